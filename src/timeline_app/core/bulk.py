"""Load a timeline of any size into an :class:`EventStore`: models for small files, columns for big ones.

Small files take the ordinary path (``load_timeline``: full pydantic models, so the details panel
has everything). Big files are validated by pydantic-core straight from the bytes into plain dicts
(TypedDicts mirroring the models, with the string rules as Rust-side patterns) with the garbage
collector paused, checked with set and numpy operations rather than per-event Python work, turned
into numpy columns and compact string tables, and the dicts dropped: no per-event Python objects
are kept. Errors read exactly as on the small path, because they are produced by the same helpers.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError
from typing_extensions import NotRequired, TypedDict

from .dates import DateError, EdtfDate, parse_date
from .errors import Issue, TimelineLoadError
from .loading import (
    Problem,
    check_references,
    load_timeline,
    loads_timeline,
    located_error,
    read_bytes,
    read_text,
)
from .models import check_date
from .palette import resolve_colors
from .store import EraBand, EventStore, Kind
from .strings import RaggedStrings, StringTable

__all__ = ["SMALL_FILE_BYTES", "LoadCancelled", "load_store"]

SMALL_FILE_BYTES = 5 * 1024**2

Progress = Callable[[float], None]
Cancelled = Callable[[], bool]


class LoadCancelled(Exception):
    """The caller asked to stop (``cancelled()`` returned True); nothing was loaded."""


# -- the document shape, as TypedDicts -----------------------------------------------------------
# Rust-side patterns accept exactly what the models' Python checks accept (``$`` in Python also
# matches before a final newline; ``str.strip`` also strips \x1c-\x1f). They only detect: any
# type problem sends the file through the model path, which words every problem.

_ID_RX = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*\n?$"
_TEXT_RX = r"[^\s\x1c-\x1f]"
_COLOR_RX = r"^#[0-9A-Fa-f]{6}\n?$"
_URL_RX = r"(?i)^https?://\S+\n?$"

_Id = Annotated[str, StringConstraints(pattern=_ID_RX, max_length=200)]
_Text = Annotated[str, StringConstraints(pattern=_TEXT_RX)]
_Color = Annotated[str, StringConstraints(pattern=_COLOR_RX)]
_Url = Annotated[str, StringConstraints(pattern=_URL_RX)]
_FORBID = ConfigDict(extra="forbid")


class _Strict(TypedDict):
    """Unknown keys are errors, as in the models (pydantic reads the config from the base)."""

    __pydantic_config__ = _FORBID  # type: ignore[misc]


class _Actor(_Strict):
    id: _Id
    name: _Text
    color: NotRequired[_Color | None]
    description: NotRequired[str | None]


class _Source(_Strict):
    id: _Id
    title: _Text
    author: NotRequired[str | None]
    publisher: NotRequired[str | None]
    url: NotRequired[_Url | None]
    published: NotRequired[str | None]
    note: NotRequired[str | None]


class _Era(_Strict):
    id: _Id
    title: _Text
    start: str
    end: str
    color: NotRequired[_Color | None]


class _Excerpt(_Strict):
    source: _Id
    quote: _Text
    locator: NotRequired[str | None]


class _Discrepancy(_Strict):
    field: NotRequired[str | None]
    claim: _Text
    correction: _Text
    sources: NotRequired[list[_Id]]


class _Link(_Strict):
    to: _Id
    relation: _Text


class _Event(_Strict):
    id: _Id
    title: _Text
    start: str  # dates: checked once per distinct string, after validation
    end: NotRequired[str | None]
    actors: Annotated[list[_Id], Field(min_length=1)]
    tags: NotRequired[list[str]]
    summary: str
    excerpts: NotRequired[list[_Excerpt]]
    discrepancies: NotRequired[list[_Discrepancy]]
    links: NotRequired[list[_Link]]


_Doc = TypedDict(
    "_Doc",
    {
        "$schema": NotRequired[str | None],
        "schema_ref": NotRequired[str | None],
        "schema_version": Literal[1],
        "title": _Text,
        "description": NotRequired[str],
        "actors": NotRequired[list[_Actor]],
        "sources": NotRequired[list[_Source]],
        "eras": NotRequired[list[_Era]],
        "events": NotRequired[list[_Event]],
    },
)
_Doc.__pydantic_config__ = _FORBID  # type: ignore[attr-defined]
_DOC_ADAPTER: TypeAdapter[Any] = TypeAdapter(_Doc)


# -- entry point ---------------------------------------------------------------------------------


def load_store(
    path: str | Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    small_limit: int = SMALL_FILE_BYTES,
) -> EventStore:
    """Read, validate and index ``path``; raise :class:`TimelineLoadError` or :class:`LoadCancelled`.

    Files under ``small_limit`` bytes keep their models (``store.event(i)`` works); bigger ones
    give a model-free store (``store.event(i)`` is None; ``excerpt_texts(i)`` still works).
    """
    report = progress or (lambda _f: None)
    stop = cancelled or (lambda: False)

    def stage(fraction: float) -> None:
        if stop():
            raise LoadCancelled(str(path))
        report(fraction)

    stage(0.0)
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = -1  # missing or unreadable: the small path's reader says which
    if size < small_limit:
        timeline = load_timeline(path)
        stage(0.8)
        store = EventStore.from_timeline(timeline)
        stage(1.0)
        return store
    data = read_bytes(path)
    stage(0.05)
    return _load_bulk(data, str(path), stage)


def _load_bulk(data: bytes, name: str, stage: Callable[[float], None]) -> EventStore:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of fresh containers, none cyclic: collection passes are pure cost
    try:
        try:
            doc = _DOC_ADAPTER.validate_json(data)
        except ValidationError:
            # Errors are the rare path: re-reading keeps the happy path from holding bytes and
            # dicts at once.
            del data
            raise _report_invalid(name) from None
        stage(0.55)
        try:
            store = _build(doc, stage, name)
        except _Invalid as bad:
            del doc
            raise located_error(name, read_text(name), bad.problems) from None
        del doc
    finally:
        if gc_was_enabled:
            gc.enable()
    stage(1.0)
    return store


# -- errors --------------------------------------------------------------------------------------


def _report_invalid(name: str) -> TimelineLoadError:
    """A document that is not even type-valid: the model path words it (syntax, encoding, types,
    references, duplicate keys), exactly as for a small file. Rare for big generated files."""
    try:
        loads_timeline(read_text(name), name)
    except TimelineLoadError as err:
        return err
    # pydantic-core was stricter than the models (it should not be): say so rather than crash.
    return TimelineLoadError(name, [Issue("$", "the file could not be validated in bulk; please report this", 1, 1)])


def _strict_date(text: str) -> EdtfDate:
    """``parse_date`` under the model's rule (``parse_date`` alone forgives spaces around)."""
    check_date(text)  # raises ValueError with the model's message
    return parse_date(text)


def _date_problem(text: str) -> str | None:
    try:
        _strict_date(text)
    except ValueError as exc:
        return str(exc)
    return None


def _few_date_problems(eras: list[dict[str, Any]], sources: list[dict[str, Any]]) -> Iterator[Problem]:
    """Date messages for eras and sources (few: checked one by one, each distinct string once)."""
    cache: dict[str, str | None] = {}
    for key, rows, fields in (("eras", eras, ("start", "end")), ("sources", sources, ("published",))):
        for i, obj in enumerate(rows):
            for f in fields:
                value = obj.get(f)
                if value is None:
                    continue
                if value not in cache:
                    cache[value] = _date_problem(value)
                msg = cache[value]
                if msg is not None:
                    yield (key, i, f), msg, False


def _era_reversed(era: dict[str, Any]) -> bool:
    try:
        return parse_date(era["end"]).interval()[1] <= parse_date(era["start"]).interval()[0]
    except DateError:
        return False


def _field(rows: list[dict[str, Any]], key: str, default: Any = None) -> list[Any]:
    """``[row.get(key, default) for row in rows]`` at C speed (map over an unbound method)."""
    n = len(rows)
    return list(map(dict.get, rows, repeat(key, n), repeat(default, n)))


def _reorder(items: list[Any], order: list[int]) -> list[Any]:
    if len(order) < 2:
        return [items[k] for k in order]
    return list(itemgetter(*order)(items))


class _Dates:
    """Every distinct date string parsed once; per-date facts as arrays indexed by a date code."""

    def __init__(self, strings: Iterable[str | None]) -> None:
        self.codes: dict[str | None, int] = {}
        self.texts: list[str] = []
        self.problems: dict[str, str] = {}
        lo: list[float] = []
        hi: list[float] = []
        day: list[bool] = []
        qual: list[bool] = []
        canon: list[int] = []
        first: dict[EdtfDate, int] = {}
        for text in dict.fromkeys(strings):
            if text is None:
                continue
            try:
                d = _strict_date(text)
            except ValueError as exc:
                self.problems[text] = str(exc)
                continue
            k = len(self.texts)
            self.codes[text] = k
            self.texts.append(d.format())
            a, b = d.interval()
            lo.append(a)
            hi.append(b)
            day.append(d.day is not None)
            qual.append(d.qualified)
            canon.append(first.setdefault(d, k))  # equal dates written differently share a code
        self.lo = np.array(lo, dtype=np.float64)
        self.hi = np.array(hi, dtype=np.float64)
        self.day = np.array(day, dtype=bool)
        self.qualified = np.array(qual, dtype=bool)
        self.canon = np.array(canon, dtype=np.int32)

    def encode(self, strings: list[str | None]) -> NDArray[np.int32]:
        """Codes per string; -1 for None (no end date) or an invalid date."""
        return np.fromiter(map(self.codes.get, strings, repeat(-1, len(strings))), dtype=np.int32, count=len(strings))


class DateTexts(Sequence[str]):
    """Each event's date as a reader says it, from two small codes per event instead of a string."""

    __slots__ = ("_end", "_start", "_texts")

    def __init__(self, texts: list[str], start_code: NDArray[np.int32], end_code: NDArray[np.int32]) -> None:
        self._texts = texts
        self._start = start_code
        self._end = end_code  # -1: no end, or the same date as the start

    def __len__(self) -> int:
        return len(self._start)

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        if not -len(self) <= i < len(self):
            raise IndexError("date text index out of range")
        s, e = int(self._start[i]), int(self._end[i])
        return self._texts[s] if e < 0 else f"{self._texts[s]} – {self._texts[e]}"

    def __iter__(self) -> Iterator[str]:
        texts = self._texts
        for s, e in zip(self._start.tolist(), self._end.tolist(), strict=True):
            yield texts[s] if e < 0 else f"{texts[s]} – {texts[e]}"

    @property
    def nbytes(self) -> int:
        return self._start.nbytes + self._end.nbytes + sum(len(t) for t in self._texts)


class SearchTexts(Sequence[str]):
    """What search looks in: title, summary, tags, quotes and source names, assembled on demand.

    The same text as the small path's ``search_texts``, without storing titles and quotes twice.
    """

    __slots__ = ("_quote_sources", "_quotes", "_source_names", "_summaries", "_tags", "_titles")

    def __init__(self, titles: StringTable, summaries: StringTable, tags: RaggedStrings, quotes: RaggedStrings,
                 quote_sources: NDArray[np.int32], source_names: list[str]) -> None:
        self._titles, self._summaries, self._tags, self._quotes = titles, summaries, tags, quotes
        self._quote_sources, self._source_names = quote_sources, source_names

    def __len__(self) -> int:
        return len(self._titles)

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        if not -len(self) <= i < len(self):
            raise IndexError("search text index out of range")
        i %= len(self)
        lo, hi = int(self._quotes.ptr[i]), int(self._quotes.ptr[i + 1])
        names = [self._source_names[int(s)] for s in self._quote_sources[lo:hi]]
        return "\n".join([self._titles[i], self._summaries[i], *self._tags.row(i), *self._quotes.table[lo:hi], *names])

    def __iter__(self) -> Iterator[str]:
        qptr, tptr = self._quotes.ptr.tolist(), self._tags.ptr.tolist()
        quotes, tags = list(self._quotes.table), list(self._tags.table)
        names = self._source_names
        srcs = self._quote_sources.tolist()
        for i, (title, summary) in enumerate(zip(self._titles, self._summaries, strict=True)):
            q0, q1 = qptr[i], qptr[i + 1]
            yield "\n".join([title, summary, *tags[tptr[i] : tptr[i + 1]], *quotes[q0:q1],
                             *(names[s] for s in srcs[q0:q1])])

    @property
    def nbytes(self) -> int:
        return self._summaries.nbytes + self._tags.nbytes  # titles and quotes are counted where owned


def _build(doc: dict[str, Any], stage: Callable[[float], None], name: str) -> EventStore:
    """Check and index a type-valid document. Per-event work is C-level ``map``/``itemgetter``
    passes and numpy; per-item Python runs only to word problems once something is wrong."""
    events: list[dict[str, Any]] = doc.get("events", [])
    n = len(events)
    actors: list[dict[str, Any]] = doc.get("actors", [])
    sources: list[dict[str, Any]] = doc.get("sources", [])
    eras: list[dict[str, Any]] = doc.get("eras", [])
    problems: list[Problem] = []

    starts: list[str] = list(map(itemgetter("start"), events))
    ends: list[str | None] = _field(events, "end")
    dates = _Dates(chain(starts, ends))
    start_code = dates.encode(starts)
    end_code = dates.encode(ends)
    if dates.problems:
        bad = dates.problems
        for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
            if s in bad:
                problems.append((("events", i, "start"), bad[s], False))
            if e is not None and e in bad:
                problems.append((("events", i, "end"), bad[e], False))
    problems.extend(_few_date_problems(eras, sources))
    del starts, ends
    stage(0.6)

    # Ids unique, references resolve, no end before its start: sets and arrays detect; the
    # small path's check_references words every instance if anything is wrong.
    actor_index = {a["id"]: k for k, a in enumerate(actors)}
    source_index = {s["id"]: k for k, s in enumerate(sources)}
    ids: list[str] = list(map(itemgetter("id"), events))
    id_set = set(ids)
    actor_lists: list[list[str]] = list(map(itemgetter("actors"), events))
    flat_actors = list(chain.from_iterable(actor_lists))
    excerpt_rows: list[list[dict[str, Any]]] = _field(events, "excerpts", ())
    flat_excerpts = list(chain.from_iterable(excerpt_rows))
    quote_source_ids: list[str] = list(map(itemgetter("source"), flat_excerpts))
    discrepancy_rows: list[list[dict[str, Any]]] = _field(events, "discrepancies", ())
    cited = chain.from_iterable(_field(list(chain.from_iterable(discrepancy_rows)), "sources", ()))
    linked = map(itemgetter("to"), chain.from_iterable(_field(events, "links", ())))
    wrong = (
        len(actor_index) != len(actors)
        or len(source_index) != len(sources)
        or len({e["id"] for e in eras}) != len(eras)
        or len(id_set) != n
        or not actor_index.keys() >= set(flat_actors)
        or not source_index.keys() >= set(quote_source_ids)
        or not source_index.keys() >= set(cited)
        or not id_set.issuperset(linked)
        or any(_era_reversed(era) for era in eras)
    )
    if not wrong:
        has_end = end_code >= 0
        ok = start_code >= 0
        wrong = bool(np.any(dates.hi[end_code[has_end & ok]] <= dates.lo[start_code[has_end & ok]]))
    if wrong:
        problems.extend(check_references(doc))
    if problems:
        raise _Invalid(problems)
    stage(0.7)

    order = np.argsort(dates.lo[start_code], kind="stable")
    order_list = order.tolist()
    start_code = start_code[order]
    end_code = end_code[order]
    span = end_code >= 0
    start = dates.lo[start_code]
    end = np.where(span, dates.hi[np.where(span, end_code, 0)] if len(dates.hi) else 0.0, dates.hi[start_code])
    kind = np.where(span, Kind.SPAN, np.where(dates.day[start_code], Kind.INSTANT, Kind.PERIOD)).astype(np.int8)
    qualified = dates.qualified[start_code] | (span & dates.qualified[np.where(span, end_code, 0)])
    # An end equal to the start (as a date) is said once, as format_range does.
    same = span & (dates.canon[np.where(span, end_code, 0)] == dates.canon[start_code])
    shown_end = np.where(same, -1, end_code).astype(np.int32)

    actor_lists = _reorder(actor_lists, order_list)
    counts = np.fromiter(map(len, actor_lists), dtype=np.int64, count=n)
    member_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=member_ptr[1:])
    member_actor = np.fromiter(map(actor_index.__getitem__, chain.from_iterable(actor_lists)), dtype=np.int32,
                               count=len(flat_actors))
    del actor_lists, flat_actors
    has_discrepancy = np.fromiter(map(bool, discrepancy_rows), dtype=bool, count=n)[order]
    del discrepancy_rows
    stage(0.8)

    events = _reorder(events, order_list)
    id_table = StringTable.from_strings(_reorder(ids, order_list))
    del ids
    titles = StringTable.from_strings(list(map(itemgetter("title"), events)))
    summaries = StringTable.from_strings(list(map(itemgetter("summary"), events)))
    tag_rows = _field(events, "tags", ())
    tags = RaggedStrings.from_flat(list(chain.from_iterable(tag_rows)), map(len, tag_rows), n)
    del tag_rows
    excerpt_rows = _reorder(excerpt_rows, order_list)
    flat_excerpts = list(chain.from_iterable(excerpt_rows))
    quotes = RaggedStrings.from_flat(list(map(itemgetter("quote"), flat_excerpts)), map(len, excerpt_rows), n)
    quote_sources = np.fromiter(map(source_index.__getitem__, map(itemgetter("source"), flat_excerpts)),
                                dtype=np.int32, count=len(flat_excerpts))
    del excerpt_rows, flat_excerpts, events
    stage(0.95)

    source_names = [" ".join(filter(None, (s["title"], s.get("author"), s.get("publisher")))) for s in sources]
    bands = [EraBand(e["title"], parse_date(e["start"]).interval()[0], parse_date(e["end"]).interval()[1],
                     e.get("color")) for e in eras]
    return EventStore(
        title=doc["title"],
        start=np.ascontiguousarray(start),
        end=np.ascontiguousarray(end, dtype=np.float64),
        kind=kind,
        qualified=qualified,
        has_discrepancy=has_discrepancy,
        ids=id_table,
        titles=titles,
        date_texts=DateTexts(dates.texts, start_code, shown_end),
        actor_ids=[a["id"] for a in actors],
        actor_names=[a["name"] for a in actors],
        actor_colors=resolve_colors([a.get("color") for a in actors]),
        member_ptr=member_ptr,
        member_actor=member_actor,
        eras=bands,
        search_texts=SearchTexts(titles, summaries, tags, quotes, quote_sources, source_names),
        excerpt_quotes=quotes,
        excerpt_sources=quote_sources,
        source_titles=[s["title"] for s in sources],
    )


class _Invalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems


def bare_json_load(path: str | Path) -> Any:
    """``json.loads`` of the same bytes with GC paused: the yardstick the benchmark compares to."""
    data = Path(path).read_bytes()
    enabled = gc.isenabled()
    gc.disable()
    try:
        return json.loads(data)
    finally:
        if enabled:
            gc.enable()
