"""The one builder of the read model: a checked document in, an :class:`EventStore` out, at every size.

Whatever the file's size or format (ours decoded by msgspec in core/bulk.py, or a document another
format was imported to), the same code checks what the decoder cannot (references, unique ids,
dates, end after start), and turns every per-event field a reader sees into numpy columns and
compact string tables: summaries, tags, excerpts with their locators, discrepancies and links, and
the source table with the data's own ids. Each event is visited once per field with C-level passes;
per-item Python runs only to word problems once something is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import attrgetter, itemgetter
from typing import Any

import msgspec
import numpy as np
from numpy.typing import NDArray

from . import rules
from .date_columns import Dates, DateTexts, date_problem
from .dates import DateError, parse_date
from .loading import Problem, check_references
from .models import Timeline
from .palette import resolve_colors
from .records import SourceRecord
from .repeated_keys import keys_and_colons
from .search_texts import SearchTexts
from .store import EraBand, EventStore, Kind
from .strings import OptionalStrings, RaggedStrings, SparseRows, StringTable

__all__ = ["Checked", "Invalid", "Retype", "build", "store_document", "store_from_timeline"]

_EVENT_FIELDS = ("id", "title", "start", "end", "actors", "tags", "summary", "excerpts", "discrepancies", "links")


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
                    cache[value] = date_problem(value)
                msg = cache[value]
                if msg is not None:
                    yield (key, i, f), msg, False


def _era_reversed(era: dict[str, Any]) -> bool:
    try:
        return rules.ends_before_start(parse_date(era["start"]), parse_date(era["end"]))
    except DateError:
        return False  # worded with the date problems


def _reorder(items: list[Any], order: list[int] | None) -> list[Any]:
    """``items`` in ``order`` (None: as they are)."""
    if order is None:
        return items
    if len(order) < 2:
        return [items[k] for k in order]
    return list(itemgetter(*order)(items))


def _ragged_order(counts: NDArray[np.int64], order: NDArray[np.intp]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Rows of a flat ragged array taken in ``order``: the new row pointers and the flat positions
    to gather, computed with numpy instead of regrouping Python lists."""
    n = len(counts)
    old_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=old_ptr[1:])
    new_counts = counts[order]
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(new_counts, out=ptr[1:])
    take = np.repeat(old_ptr[:-1][order] - ptr[:-1], new_counts) + np.arange(ptr[-1], dtype=np.int64)
    return ptr, take


def _codes(index: dict[str, int], keys: Sequence[str]) -> NDArray[np.int32]:
    """Position of each key in ``index``; -1 where it is missing."""
    return np.fromiter(map(index.get, keys, repeat(-1, len(keys))), dtype=np.int32, count=len(keys))


@dataclass(frozen=True, slots=True)
class Checked:
    """What ``validate`` reports of a valid file: how much it holds, and the days it covers."""

    events: int
    actors: int
    sources: int
    eras: int
    span: tuple[float, float] | None

    @classmethod
    def of(cls, timeline: Timeline) -> Checked:
        """The same report of a document the models accepted (an import, or the model path)."""
        counts = (len(timeline.events), len(timeline.actors), len(timeline.sources), len(timeline.eras))
        return cls(*counts, timeline.span())


def build(
    doc: dict[str, Any],
    stage: Callable[[float], None] = lambda _f: None,
    *,
    event_type: type | None = None,
    event_colons: int = -1,
    check_only: bool = False,
) -> EventStore | Checked:
    """Check and index a type-valid document (events: objects with the document's field names,
    msgspec structs of ``event_type`` from the decoder or the models of an imported timeline).

    ``event_colons`` (the ``:`` the file's events array holds) asks for the repeated-key check,
    derived from ``event_type``'s fields; ``check_only`` stops once the data is known valid (for
    ``validate``: no tables built). Raises :class:`Retype` (let the models word it) or
    :class:`Invalid` (problems, located by the caller)."""
    events: list[Any] = doc["events"]
    n = len(events)
    actors: list[dict[str, Any]] = doc.get("actors", [])
    sources: list[dict[str, Any]] = doc.get("sources", [])
    eras: list[dict[str, Any]] = doc.get("eras", [])
    problems: list[Problem] = []

    # One C-level pass per field (measured: cheaper than one pass building a tuple per event).
    cols: dict[str, list[Any]] = {f: list(map(attrgetter(f), events)) for f in _EVENT_FIELDS}
    ids: list[str] = cols["id"]
    titles: list[str] = cols["title"]
    starts: list[str] = cols["start"]
    ends: list[str | msgspec.UnsetType | None] = cols["end"]
    actor_lists: list[list[str]] = cols["actors"]
    tag_rows: list[list[str]] = cols["tags"]
    summaries: list[str] = cols["summary"]
    excerpt_rows: list[list[Any]] = cols["excerpts"]
    discrepancy_rows: list[list[Any]] = cols["discrepancies"]
    link_rows: list[list[Any]] = cols["links"]
    flat_excerpts = list(chain.from_iterable(excerpt_rows))
    xcols: dict[str, list[Any]] = {f: list(map(attrgetter(f), flat_excerpts)) for f in ("source", "quote", "locator")}
    quote_source_ids: list[str] = xcols["source"]
    quotes: list[str] = xcols["quote"]
    if not (rules.all_ids(ids) and rules.all_text(titles) and rules.all_text(quotes)):
        raise Retype
    if event_colons >= 0 and event_type is not None:
        # Keys written plus colons inside strings must be every ``:`` of the events (see core/repeated_keys.py).
        written = keys_and_colons(event_type, events, cols, {"excerpts": (flat_excerpts, xcols)})
        if written != event_colons:
            raise Retype  # a key written twice in some event (or a \u003a escape): the models decide
    file_locators: list[Any] = xcols["locator"]
    del flat_excerpts, cols, xcols  # each column lives as long as its own name below, no longer

    dates = Dates(starts, ends)
    start_code, end_code = dates.start_code, dates.end_code
    if dates.problems:
        bad = dates.problems
        for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
            if s in bad:
                problems.append((("events", i, "start"), bad[s], False))
            if isinstance(e, str) and e in bad:
                problems.append((("events", i, "end"), bad[e], False))
    problems.extend(_few_date_problems(eras, sources))
    del starts, ends
    stage(0.45)

    # Ids unique, references resolve, no end before its start: sets and arrays detect; the
    # document's check_references words every instance if anything is wrong.
    actor_index = {a["id"]: k for k, a in enumerate(actors)}
    source_index = {s["id"]: k for k, s in enumerate(sources)}
    actor_counts = np.fromiter(map(len, actor_lists), dtype=np.int64, count=n)
    flat_actors = list(chain.from_iterable(actor_lists))
    del actor_lists
    member_code = _codes(actor_index, flat_actors)
    quote_source = _codes(source_index, quote_source_ids)
    unknown = (
        [
            *(a for a, c in zip(flat_actors, member_code.tolist(), strict=True) if c < 0),
            *(s for s, c in zip(quote_source_ids, quote_source.tolist(), strict=True) if c < 0),
        ]
        if (len(member_code) and member_code.min() < 0) or (len(quote_source) and quote_source.min() < 0)
        else []
    )
    if not rules.all_ids(unknown):  # not a reference problem: a malformed id, which the model path words
        raise Retype
    del flat_actors, quote_source_ids
    id_set = set(ids)
    cited = chain.from_iterable(map(attrgetter("sources"), chain.from_iterable(discrepancy_rows)))
    linked = map(attrgetter("to"), chain.from_iterable(link_rows))
    wrong = (
        bool(unknown)
        or len(actor_index) != len(actors)
        or len(source_index) != len(sources)
        or len({e["id"] for e in eras}) != len(eras)
        or len(id_set) != n
        or not source_index.keys() >= set(cited)
        or not id_set.issuperset(linked)
        or any(_era_reversed(era) for era in eras)
    )
    del id_set
    if not wrong:
        has_end = end_code >= 0
        ok = start_code >= 0
        wrong = bool(np.any(rules.ends_before(dates.lo[start_code[has_end & ok]], dates.hi[end_code[has_end & ok]])))
    if wrong:
        problems.extend(check_references({**doc, "events": _builtins(events)}))
    if problems:
        raise Invalid(problems)
    if check_only:
        ends_at = np.where(end_code >= 0, dates.hi[np.maximum(end_code, 0)] if len(dates.hi) else 0.0, 0.0)
        lo = [float(dates.lo[start_code].min())] if n else []
        hi = [float(np.maximum(ends_at, dates.hi[start_code]).max())] if n else []
        for era in eras:
            lo.append(parse_date(era["start"]).interval()[0])
            hi.append(parse_date(era["end"]).interval()[1])
        return Checked(n, len(actors), len(sources), len(eras), (min(lo), max(hi)) if lo else None)
    # The rare nested parts (discrepancies, links) of the few events that have them, encoded once.
    has_discrepancy_file = np.fromiter(map(bool, discrepancy_rows), dtype=bool, count=n)
    nested = np.flatnonzero(has_discrepancy_file | np.fromiter(map(bool, link_rows), dtype=bool, count=n))
    nested_json = [
        msgspec.json.encode(
            {"discrepancies": discrepancy_rows[k], "links": link_rows[k]}, enc_hook=_dump, order="deterministic"
        ).decode("utf-8")
        for k in nested.tolist()
    ]
    # Everything needed is in the columns now: free the per-event objects before the string
    # tables are built, so the two never peak together.
    events.clear()
    stage(0.55)

    order = np.argsort(dates.lo[start_code], kind="stable")
    # Files written in time order (most are) skip every regrouping: no Python list is reordered.
    in_order = bool(np.all(order[1:] > order[:-1])) if n > 1 else True
    order_list: list[int] | None = None if in_order else order.tolist()
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

    member_ptr, take = _ragged_order(actor_counts, order)
    member_actor = member_code[take]
    has_discrepancy = has_discrepancy_file[order]
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n, dtype=np.int64)  # file index -> store index
    nested_at = position[nested]
    nested_sort = np.argsort(nested_at, kind="stable")
    nested_table = StringTable.from_strings([nested_json[k] for k in nested_sort.tolist()])
    del discrepancy_rows, link_rows, member_code, take, nested_json
    stage(0.6)

    id_table = StringTable.from_strings(_reorder(ids, order_list))
    del ids
    stage(0.67)  # the tables take the rest: a Cancel is heard between them
    title_table = StringTable.from_strings(_reorder(titles, order_list))
    del titles
    stage(0.74)
    summary_table = StringTable.from_strings(_reorder(summaries, order_list))
    del summaries
    stage(0.82)
    tag_ptr, take = _ragged_order(np.fromiter(map(len, tag_rows), dtype=np.int64, count=n), order)
    flat_tags = list(chain.from_iterable(tag_rows))
    tags = RaggedStrings(StringTable.from_strings(_reorder(flat_tags, None if in_order else take.tolist())), tag_ptr)
    del flat_tags, tag_rows
    stage(0.86)
    quote_ptr, take = _ragged_order(np.fromiter(map(len, excerpt_rows), dtype=np.int64, count=n), order)
    del excerpt_rows
    take_list = None if in_order else take.tolist()
    quote_rows = RaggedStrings(StringTable.from_strings(_reorder(quotes, take_list)), quote_ptr)
    quote_sources = quote_source[take]
    locators = _reorder(file_locators, take_list)
    del file_locators
    given = np.fromiter(map(isinstance, locators, repeat(str)), dtype=bool, count=len(locators))
    locator_table = StringTable.from_strings(list(compress(locators, given.tolist())))
    del quotes, take, locators, take_list
    stage(0.95)

    records = [SourceRecord.from_json(s) for s in sources]
    source_names = [" ".join(filter(None, (s.title, s.author, s.publisher))) for s in records]
    bands = [
        EraBand(e["title"], parse_date(e["start"]).interval()[0], parse_date(e["end"]).interval()[1], e.get("color"))
        for e in eras
    ]
    head = {k: v for k, v in doc.items() if k != "events"}
    return EventStore(
        title=doc["title"],
        start=np.ascontiguousarray(start),
        end=np.ascontiguousarray(end, dtype=np.float64),
        kind=kind,
        qualified=qualified,
        has_discrepancy=has_discrepancy,
        ids=id_table,
        titles=title_table,
        date_texts=DateTexts(dates.texts, start_code, shown_end, dates.raw, end_code.astype(np.int32)),
        actor_ids=[a["id"] for a in actors],
        actor_names=[a["name"] for a in actors],
        actor_colors=resolve_colors([a.get("color") for a in actors]),
        member_ptr=member_ptr,
        member_actor=member_actor,
        eras=bands,
        search_texts=SearchTexts(title_table, summary_table, tags, quote_rows, quote_sources, source_names),
        excerpt_quotes=quote_rows,
        excerpt_sources=quote_sources,
        excerpt_locators=OptionalStrings(locator_table, given),
        nested=SparseRows(nested_at[nested_sort], nested_table),
        sources=records,
        head=head,
        file_order=None if in_order else order.astype(np.int64),
    )


def _dump(obj: Any) -> Any:
    """The models of an imported timeline, as JSON values (structs encode themselves)."""
    return obj.model_dump(exclude_none=True)


def _builtins(events: list[Any]) -> Any:
    return msgspec.to_builtins(events, enc_hook=_dump)


def store_document(store: EventStore) -> Timeline:
    """The document form of a read model (File > Export Data, at any size): its JSON values
    read by the models from bytes, pydantic-core's fastest way in."""
    return Timeline.model_validate_json(msgspec.json.encode(store.document()))


def store_from_timeline(timeline: Timeline) -> EventStore:
    """The read model of a document already checked by the models (an import, or a file the fast
    decoder handed to them): the same builder as every file of ours."""
    doc: dict[str, Any] = timeline.model_dump(
        mode="json", by_alias=True, exclude={"events"}, exclude_none=True, exclude_defaults=True
    )
    doc["events"] = list(timeline.events)
    store = build(doc)
    assert isinstance(store, EventStore)
    return store


class Retype(Exception):
    """A per-event string breaks a rule the models check (an id, a non-empty text): the model path
    words it, exactly as when pydantic-core itself refuses the document."""


class Invalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
