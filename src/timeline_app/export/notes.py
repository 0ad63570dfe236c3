"""The numbered source notes of a figure, without Qt: every source cited by an event shown, in full.

A figure that goes into a report must let a reader trace each claim: every source quoted by a
shown event becomes one numbered note (author, title, publisher, date, kind, URL, in one citation
style), numbered in reading order (the events by date, then the order of their excerpts), and
each event knows its note numbers, so its label or key entry can carry them. Sources that a file
repeats under one name ("YouTube", eleven times, each with its own address) are one note listing
every address. The disagreements the figure marks (its ! badges) are explained in full, with the
notes of the sources concerned. Nothing here is ever shortened: the page makes room instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ..core.dates import DateError, parse_date
from ..core.store import EventStore
from .texts import _row_mask

__all__ = ["Disagreement", "FigureNotes", "Note", "SourceRecord", "build_notes", "note_marks"]


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """What a source table row holds, whichever store it came from."""

    id: str
    title: str
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None  # EDTF, as in the data
    kind: str | None = None  # e.g. "news article", "government report" (optional in the data)


@dataclass(frozen=True, slots=True)
class Note:
    """One numbered note: one source, or several repeated under one name."""

    number: int
    text: str  # the full citation, starting with the author or the title (no number)
    sources: tuple[SourceRecord, ...]
    events: tuple[int, ...]  # store indices of the shown events citing it, in reading order

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.url for s in self.sources if s.url))


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A disagreement the figure marks, explained: which event, what is disputed, who says what."""

    index: int  # store index of the event
    field: str | None
    text: str  # "Sources disagree on the date: <claim> <correction>"
    notes: tuple[int, ...]


@dataclass(frozen=True)
class FigureNotes:
    notes: list[Note] = field(default_factory=list)
    by_event: dict[int, tuple[int, ...]] = field(default_factory=dict)  # store index -> note numbers
    disagreements: list[Disagreement] = field(default_factory=list)
    lookup: Callable[[int], tuple[int, ...]] | None = None  # for stores too large for ``by_event``

    def numbers(self, index: int) -> tuple[int, ...]:
        found = self.by_event.get(index)
        if found is None and self.lookup is not None:
            return self.lookup(index)
        return found or ()

    def marks(self, index: int) -> str:
        """The note numbers of event ``index`` as a label carries them: "[1, 3–5]" ("" for none)."""
        return note_marks(self.numbers(index))

    def plain_text(self, *, title: str = "", caption: str = "", before: Sequence[object] = ()) -> str:
        """Every note and disagreement as plain text (the ``NAME-sources.txt`` beside a fixed-size
        image); ``before``: paragraphs (``layout.Para``) to put first, e.g. a key that did not fit."""
        lines = [t for t in (title, caption) if t]
        if lines:
            lines.append("")
        for para in before:
            lead, text = getattr(para, "lead", ""), getattr(para, "text", str(para))
            lines.append(f"{lead} {text}".strip())
        if before:
            lines.append("")
        if self.notes:
            lines.append("Sources")
            lines += [f"{n.number}. {n.text}" for n in self.notes]
        if self.disagreements:
            lines += ["", "Where sources disagree (marked ! in the figure)"]
            lines += [f"! {d.text}" for d in self.disagreements]
        return "\n".join(lines) + "\n"


def note_marks(numbers: Iterable[int]) -> str:
    """``[1, 3–5]``: sorted, runs of three or more as ranges."""
    ns = sorted(set(numbers))
    if not ns:
        return ""
    parts: list[str] = []
    run = [ns[0]]
    for n in ns[1:]:
        if n == run[-1] + 1:
            run.append(n)
            continue
        parts.append(_run(run))
        run = [n]
    parts.append(_run(run))
    return "[" + ", ".join(parts) + "]"


def _run(run: list[int]) -> str:
    if len(run) >= 3:
        return f"{run[0]}–{run[-1]}"
    return ", ".join(str(n) for n in run)


# -- building the notes -------------------------------------------------------------------------------


def build_notes(
    store: EventStore, visible: NDArray[np.bool_] | None, *, shown: Sequence[int] | None = None
) -> FigureNotes:
    """The notes for the events ``visible`` leaves shown (or exactly the store indices ``shown``)."""
    rows = np.flatnonzero(_row_mask(store, visible)) if shown is None else np.asarray(sorted(shown), dtype=np.int64)
    table = source_table(store)
    if store.timeline is None:
        return _bulk_notes(store, rows, table)
    positions = {s.id: k for k, s in enumerate(table)}
    groups: dict[tuple[str, str, str], list[int]] = {}  # citation key -> source positions, first seen first
    group_events: dict[tuple[str, str, str], list[int]] = {}
    event_groups: dict[int, list[tuple[str, str, str]]] = {}
    for i in rows.tolist():
        for s in cited_sources(store, i, positions):
            if s < 0 or s >= len(table):
                continue
            key = _merge_key(table[s])
            members = groups.setdefault(key, [])
            if s not in members:
                members.append(s)
            evs = group_events.setdefault(key, [])
            if not evs or evs[-1] != i:
                evs.append(i)
            event_groups.setdefault(i, [])
            if key not in event_groups[i]:
                event_groups[i].append(key)
    number = {key: n for n, key in enumerate(groups, start=1)}
    notes = [
        Note(
            number[key],
            citation([table[s] for s in members]),
            tuple(table[s] for s in members),
            tuple(group_events[key]),
        )
        for key, members in groups.items()
    ]
    by_event = {i: tuple(sorted(number[k] for k in keys)) for i, keys in event_groups.items()}
    id_note = {table[s].id: number[key] for key, members in groups.items() for s in members}
    return FigureNotes(notes, by_event, _disagreements(store, rows, id_note))


def _bulk_notes(store: EventStore, rows: NDArray[np.int64], table: list[SourceRecord]) -> FigureNotes:
    """The notes of a store without models (a large file), in array operations: no loop over events.

    Its notes name no events (``Note.events`` is empty) and its events' note numbers are looked up
    on demand; its disagreements are counted, since the store keeps only that an event has some.
    """
    quotes, sources = store.excerpt_quotes, store.excerpt_sources
    mask = np.zeros(len(store), dtype=bool)
    mask[rows] = True
    notes: list[Note] = []
    number_of = np.zeros(max(1, len(table)), dtype=np.int64)  # source position -> note number (0: none)
    if quotes is not None and sources is not None and len(table):
        ptr = np.asarray(quotes.ptr, dtype=np.int64)
        cited = np.asarray(sources, dtype=np.int64)[np.repeat(mask, np.diff(ptr))]
        cited = cited[(cited >= 0) & (cited < len(table))]
        unique, first = np.unique(cited, return_index=True)
        groups: dict[tuple[str, str, str], list[int]] = {}
        for s in unique[np.argsort(first, kind="stable")].tolist():
            groups.setdefault(_merge_key(table[s]), []).append(s)
        for n, members in enumerate(groups.values(), start=1):
            notes.append(Note(n, citation([table[s] for s in members]), tuple(table[s] for s in members), ()))
            number_of[members] = n

    def lookup(i: int) -> tuple[int, ...]:
        if quotes is None or sources is None or not mask[i]:
            return ()
        lo, hi = int(quotes.ptr[i]), int(quotes.ptr[i + 1])
        found = number_of[np.asarray(sources[lo:hi], dtype=np.int64).clip(0, len(number_of) - 1)]
        return tuple(sorted({int(x) for x in found if x > 0}))

    marked = int(np.count_nonzero(store.has_discrepancy[rows])) if len(rows) else 0
    disagreements = []
    if marked:
        text = (
            f"{marked} event{'s' if marked != 1 else ''} in this figure {'are' if marked != 1 else 'is'} marked !: "
            "sources disagree about them. This data set is too large to keep the words of each disagreement "
            "in memory; the data file records them with each event."
        )
        disagreements.append(Disagreement(-1, None, text, ()))
    return FigureNotes(notes, {}, disagreements, lookup)


def _merge_key(s: SourceRecord) -> tuple[str, str, str]:
    return tuple(" ".join((x or "").split()).casefold() for x in (s.author, s.title, s.publisher))  # type: ignore[return-value]


def source_table(store: EventStore) -> list[SourceRecord]:
    """Every source of the data set, in the store's source order (the index ``cited_sources`` uses)."""
    timeline = store.timeline
    if timeline is not None:
        return [
            SourceRecord(
                s.id,
                s.title,
                s.author,
                s.publisher,
                str(s.url) if s.url is not None else None,
                s.published,
                getattr(s, "kind", None),
            )
            for s in timeline.sources
        ]
    return [SourceRecord(str(k), title) for k, title in enumerate(store.source_titles)]


def cited_sources(store: EventStore, i: int, positions: dict[str, int] | None = None) -> list[int]:
    """Positions in ``source_table`` of the sources event ``i`` cites, once each: those it quotes,
    in excerpt order, then those its recorded disagreements name."""
    event = store.event(i)
    timeline = store.timeline
    if event is not None and timeline is not None:
        position = positions if positions is not None else {s.id: k for k, s in enumerate(timeline.sources)}
        ids = [x.source for x in event.excerpts] + [s for d in event.discrepancies for s in d.sources]
        return list(dict.fromkeys(position[s] for s in ids if s in position))
    quotes, sources = store.excerpt_quotes, store.excerpt_sources
    if quotes is None or sources is None:
        return []
    lo, hi = int(quotes.ptr[i]), int(quotes.ptr[i + 1])
    return list(dict.fromkeys(int(s) for s in sources[lo:hi]))


# -- one citation style ---------------------------------------------------------------------------------


def citation(sources: Sequence[SourceRecord]) -> str:
    """``Author. “Title.” Publisher, 25 May 2021. Kind. https://….`` — what is missing is left out,
    except the date, which says "n.d." when a source gives none. Merged sources list each address
    (with its date when their dates differ)."""
    first = sources[0]
    parts: list[str] = []
    if first.author and first.author.strip():
        parts.append(_sentence(_plain(first.author)))
    parts.append(f"“{_sentence(_plain(first.title))}”")
    dates = list(dict.fromkeys(_date(s.published) for s in sources))
    same_date = len(dates) == 1
    where = _plain(first.publisher or "")
    when = dates[0] if same_date else ""
    tail = ", ".join(x for x in (where, when) if x)
    if tail:
        parts.append(_sentence(tail))
    kinds = list(dict.fromkeys(_kind_label(s.kind) for s in sources if s.kind and s.kind.strip()))
    if kinds:
        parts.append(_sentence("; ".join(k[:1].upper() + k[1:] for k in kinds)))
    if same_date:
        urls = list(dict.fromkeys(s.url for s in sources if s.url))
    else:
        urls = list(dict.fromkeys(f"{s.url} ({_date(s.published)})" if s.url else _date(s.published) for s in sources))
    if urls:  # closed with a full stop, as Chicago does (and no line of the notes ends in a URL's "-")
        parts.append("; ".join(urls) + ".")
    return " ".join(parts)


def _kind_label(kind: str) -> str:
    """The data format's words for a source kind ("official" is an "official statement or document")."""
    try:
        from ..core.models import SOURCE_KIND_LABELS
    except ImportError:  # a format without kinds
        return _plain(kind)
    return SOURCE_KIND_LABELS.get(kind, _plain(kind))


def _plain(text: str) -> str:
    return " ".join(text.split())


def _sentence(text: str) -> str:
    """End with a full stop unless the text already ends a sentence (also inside quotes or brackets)."""
    core = text.rstrip("\"”’')]")
    return text if core.endswith((".", "?", "!", "…")) or not core else text + "."


def _date(published: str | None) -> str:
    if not published:
        return "n.d."
    try:
        return parse_date(published).format()
    except DateError:
        return _plain(published)


# -- disagreements ------------------------------------------------------------------------------------------

FIELD_WORDS = {
    "start": "the date",
    "end": "the end date",
    "title": "what happened",
    "summary": "the details",
    "actors": "who took part",
    "excerpts": "the sources",
}


def _disagreements(store: EventStore, rows: NDArray[np.int64], id_note: dict[str, int]) -> list[Disagreement]:
    out: list[Disagreement] = []
    for i in rows.tolist():
        if not bool(store.has_discrepancy[i]):
            continue
        event = store.event(i)
        title = _plain(str(store.titles[i]))
        head = f"{store.date_texts[i]}, {title}"
        if event is None:  # a large store keeps the flag, not the words
            out.append(Disagreement(i, None, f"{head}: sources disagree (see the data file).", ()))
            continue
        for d in event.discrepancies:
            what = FIELD_WORDS.get(d.field or "", f"the {d.field}" if d.field else "this event")
            notes = tuple(sorted({id_note[s] for s in d.sources if s in id_note}))
            marks = f" {note_marks(notes)}" if notes else ""
            claim, correction = _sentence(_plain(d.claim)), _sentence(_plain(d.correction))
            text = f"{head}: sources disagree on {what}. {claim} {correction}{marks}"
            out.append(Disagreement(i, d.field, text, notes))
    return out
