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

from ..core.records import SourceRecord
from ..core.search import unique_sorted
from ..core.store import EventStore
from .citation import citation, plain, sentence
from .texts import _row_mask

__all__ = ["Disagreement", "FigureNotes", "Note", "SourceRecord", "build_notes", "note_marks"]


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


MAX_EXPLAINED = 200  # disagreements a figure explains one by one; beyond, it counts them
_BY_EVENT = 50_000  # events whose note numbers are kept in a dict; beyond, looked up in arrays


def build_notes(
    store: EventStore, visible: NDArray[np.bool_] | None, *, shown: Sequence[int] | None = None
) -> FigureNotes:
    """The notes for the events ``visible`` leaves shown (or exactly the store indices ``shown``).

    Array operations over the store's (quote -> source) columns, plus the few discrepancies: the
    same notes for 33 events or a million, with no loop over events."""
    rows = np.flatnonzero(_row_mask(store, visible)) if shown is None else np.asarray(sorted(shown), dtype=np.int64)
    table = source_table(store)
    ev, src = _citations(store, rows)  # reading order, each (event, source) once
    if not len(ev):
        return FigureNotes([], {}, _disagreements(store, rows, {}))
    unique, first = np.unique(src, return_index=True)
    groups: dict[tuple[str, str, str], list[int]] = {}  # citation key -> source positions, first seen first
    for k in unique[np.argsort(first, kind="stable")].tolist():
        groups.setdefault(_merge_key(table[k]), []).append(k)
    number_of = np.zeros(len(table), dtype=np.int64)  # source position -> note number
    for n, members in enumerate(groups.values(), start=1):
        number_of[members] = n
    n_events = max(len(store), 1)
    numbered = unique_sorted(number_of[src] * n_events + ev)  # (note, event) once each, events in order
    bounds = np.searchsorted(numbered // n_events, np.arange(1, len(groups) + 2))
    notes = [
        Note(
            n,
            citation([table[k] for k in members]),
            tuple(table[k] for k in members),
            tuple((numbered[bounds[n - 1] : bounds[n]] % n_events).tolist()),
        )
        for n, members in enumerate(groups.values(), start=1)
    ]
    by_number = unique_sorted(ev * (len(groups) + 1) + number_of[src])  # (event, note) once each, sorted
    owners, numbers = by_number // (len(groups) + 1), by_number % (len(groups) + 1)
    id_note = {table[k].id: int(number_of[k]) for members in groups.values() for k in members}
    disagreements = _disagreements(store, rows, id_note)

    def lookup(i: int) -> tuple[int, ...]:
        lo, hi = np.searchsorted(owners, [i, i + 1])
        return tuple(numbers[lo:hi].tolist())

    if len(rows) > _BY_EVENT:
        return FigureNotes(notes, {}, disagreements, lookup)
    starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    by_event = {
        int(owners[a]): tuple(numbers[a:b].tolist()) for a, b in zip(starts, [*starts[1:], len(owners)], strict=True)
    }
    return FigureNotes(notes, by_event, disagreements)


def _citations(store: EventStore, rows: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Each shown event's cited source positions, once each, in reading order: the events by
    date, then the sources it quotes (in excerpt order), then those its disagreements name."""
    quotes, sources = store.excerpt_quotes, store.excerpt_sources
    parts_ev, parts_src, parts_at = [], [], []
    if quotes is not None and sources is not None and len(sources):
        mask = np.zeros(len(store), dtype=bool)
        mask[rows] = True
        ptr = np.asarray(quotes.ptr, dtype=np.int64)
        owner = np.repeat(np.arange(len(store), dtype=np.int64), np.diff(ptr))
        keep = mask[owner]
        parts_ev.append(owner[keep])
        parts_src.append(np.asarray(sources, dtype=np.int64)[keep])
        parts_at.append(np.flatnonzero(keep) - ptr[owner[keep]])
    position = {s.id: k for k, s in enumerate(store.sources)}
    named = [
        (i, position[s])
        for i in rows[store.has_discrepancy[rows]].tolist()
        for d in store.nested_of(i)[0]
        for s in d.sources
        if s in position
    ]
    if named:
        extra = np.array(named, dtype=np.int64)
        parts_ev.append(extra[:, 0])
        parts_src.append(extra[:, 1])
        parts_at.append(np.arange(len(extra), dtype=np.int64) + (1 << 40))  # after every excerpt
    if not parts_ev:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    ev, src, at = (np.concatenate(p) for p in (parts_ev, parts_src, parts_at))
    order = np.lexsort((at, ev))
    ev, src = ev[order], src[order]
    _, first = np.unique(ev * max(len(store.sources), 1) + src, return_index=True)
    keep = np.sort(first)
    return ev[keep], src[keep]


def _merge_key(s: SourceRecord) -> tuple[str, str, str]:
    return tuple(" ".join((x or "").split()).casefold() for x in (s.author, s.title, s.publisher))  # type: ignore[return-value]


def source_table(store: EventStore) -> list[SourceRecord]:
    """Every source of the data set, in the data's order (the index ``cited_sources`` uses)."""
    return store.sources


def cited_sources(store: EventStore, i: int, positions: dict[str, int] | None = None) -> list[int]:
    """Positions in ``source_table`` of the sources event ``i`` cites, once each: those it quotes,
    in excerpt order, then those its recorded disagreements name."""
    return _citations(store, np.array([i], dtype=np.int64))[1].tolist()


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
    marked = rows[store.has_discrepancy[rows]] if len(rows) else rows
    if len(marked) > MAX_EXPLAINED:  # a figure of thousands of events: counted, not each explained
        text = (
            f"{len(marked):,} events in this figure are marked !: sources disagree about them. There are too many "
            "to explain here; the details of each event (and the data file) record every disagreement."
        )
        return [Disagreement(-1, None, text, ())]
    out: list[Disagreement] = []
    for i in marked.tolist():
        title = plain(str(store.titles[i]))
        head = f"{store.date_texts[i]}, {title}"
        for d in store.nested_of(i)[0]:
            what = FIELD_WORDS.get(d.field or "", f"the {d.field}" if d.field else "this event")
            notes = tuple(sorted({id_note[s] for s in d.sources if s in id_note}))
            marks = f" {note_marks(notes)}" if notes else ""
            claim, correction = sentence(plain(d.claim)), sentence(plain(d.correction))
            text = f"{head}: sources disagree on {what}. {claim} {correction}{marks}"
            out.append(Disagreement(i, d.field, text, notes))
    return out
