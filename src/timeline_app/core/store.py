"""Events as numpy columns, sorted by start: the one read model of a data set, at every size.

The same store serves the bundled 33 events and a million, built by one builder (core/build.py):
drawing and filtering touch only arrays; a reader's records of one event or one source
(core/records.py) are assembled from the columns on demand, the same way whatever the size.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property
from typing import Any

import msgspec
import numpy as np
from numpy.typing import NDArray

from .records import DiscrepancyRecord, EventRecord, ExcerptRecord, LinkRecord, SourceRecord
from .strings import OptionalStrings, RaggedStrings, SparseRows, StringTable


class Kind(IntEnum):
    """How an event is drawn."""

    INSTANT = 0  # a day: a marker
    PERIOD = 1  # one date of month or year precision: a bracket as wide as that month/year
    SPAN = 2  # start and end: a bar


@dataclass(frozen=True, slots=True)
class EraBand:
    title: str
    start: float
    end: float
    color: str | None


@dataclass(eq=False)
class EventStore:
    """Columns indexed by event position in time order (0 = earliest start)."""

    title: str
    start: NDArray[np.float64]  # first day covered
    end: NDArray[np.float64]  # day after the last day covered (half-open)
    kind: NDArray[np.int8]
    qualified: NDArray[np.bool_]  # approximate or uncertain: drawn distinctly
    has_discrepancy: NDArray[np.bool_]
    ids: Sequence[str]  # lists for small sets; compact string tables (core/strings.py) for bulk loads
    titles: Sequence[str]
    date_texts: Sequence[str]  # as the data states it, formatted by precision
    actor_ids: list[str]
    actor_names: list[str]
    actor_colors: list[str]
    member_ptr: NDArray[np.int64]  # CSR: actors of event i are member_actor[member_ptr[i]:member_ptr[i+1]]
    member_actor: NDArray[np.int32]
    eras: list[EraBand] = field(default_factory=list)
    search_texts: Sequence[str] | None = None  # what search looks in, per event (None: titles only)
    excerpt_quotes: RaggedStrings | None = None  # row i: the quotes of event i
    excerpt_sources: NDArray[np.int32] | None = None  # source index per quote, aligned with the flat quotes
    excerpt_locators: OptionalStrings | None = None  # each quote's locator, if it has one
    nested: SparseRows | None = None  # the encoded discrepancies and links of the events that have any
    sources: list[SourceRecord] = field(default_factory=list)  # the source table, in the data's order
    head: dict[str, Any] = field(default_factory=dict)  # the document but its events (JSON values)
    file_order: NDArray[np.int64] | None = None  # store index -> index in the file (None: the same)
    content_key: str | None = None  # SHA-256 of the file the store was read from: its reopen-cache key
    from_cache: bool = False  # read back from the reopen cache (the same bytes were validated before)

    def __post_init__(self) -> None:
        n = len(self.ids)
        # Per-actor lanes: indices of the events each actor takes part in, in time order.
        counts = np.diff(self.member_ptr)
        owner = np.repeat(np.arange(n, dtype=np.int64), counts)
        order = np.lexsort((owner, self.member_actor))
        sorted_actor = self.member_actor[order]
        bounds = np.searchsorted(sorted_actor, np.arange(len(self.actor_ids) + 1))
        self.lane_events: list[NDArray[np.int64]] = [
            owner[order[bounds[a] : bounds[a + 1]]] for a in range(len(self.actor_ids))
        ]
        self.max_duration = float((self.end - self.start).max()) if n else 0.0
        self._id_to_index: dict[str, int] | None = None  # built on first lookup: 1M entries cost ~100 MB

    # -- queries -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    def index_of(self, event_id: str) -> int | None:
        if isinstance(self.ids, StringTable):
            try:
                return self.ids.index(event_id)  # a byte search: no per-event dict for bulk stores
            except ValueError:
                return None
        if self._id_to_index is None:
            self._id_to_index = {ident: i for i, ident in enumerate(self.ids)}
        return self._id_to_index.get(event_id)

    # -- a reader's records ------------------------------------------------------------------

    @property
    def description(self) -> str:
        return str(self.head.get("description") or "")

    @property
    def source_titles(self) -> list[str]:
        return [s.title for s in self.sources]

    @cached_property
    def source_by_id(self) -> dict[str, SourceRecord]:
        return {s.id: s for s in self.sources}

    def summary(self, i: int) -> str:
        texts = self.search_texts
        return texts.summaries[i] if texts is not None and hasattr(texts, "summaries") else ""

    def tags(self, i: int) -> list[str]:
        texts = self.search_texts
        return texts.tags.row(i) if texts is not None and hasattr(texts, "tags") else []

    def excerpts(self, i: int) -> tuple[ExcerptRecord, ...]:
        if self.excerpt_quotes is None or self.excerpt_sources is None:
            return ()
        lo, hi = int(self.excerpt_quotes.ptr[i]), int(self.excerpt_quotes.ptr[i + 1])
        quotes = self.excerpt_quotes.table[lo:hi]
        locators = self.excerpt_locators
        return tuple(
            ExcerptRecord(self._source_id(int(s)), q, locators.get(k) if locators is not None else None)
            for k, s, q in zip(range(lo, hi), self.excerpt_sources[lo:hi].tolist(), quotes, strict=True)
        )

    def _source_id(self, k: int) -> str:
        return self.sources[k].id if 0 <= k < len(self.sources) else str(k)

    def nested_of(self, i: int) -> tuple[tuple[DiscrepancyRecord, ...], tuple[LinkRecord, ...]]:
        """Event ``i``'s discrepancies and links (kept encoded: few events have any)."""
        text = self.nested.get(i) if self.nested is not None else None
        if text is None:
            return (), ()
        obj = msgspec.json.decode(text)
        return (
            tuple(
                DiscrepancyRecord(d["claim"], d["correction"], d.get("field"), tuple(d.get("sources", ())))
                for d in obj.get("discrepancies", ())
            ),
            tuple(LinkRecord(k["to"], k["relation"]) for k in obj.get("links", ())),
        )

    def event(self, i: int) -> EventRecord:
        """Everything the data says about event ``i``, as its details show it."""
        discrepancies, links = self.nested_of(i)
        dates = self.date_texts
        start_of, end_of = getattr(dates, "start_of", None), getattr(dates, "end_of", None)
        return EventRecord(
            id=self.ids[i],
            title=self.titles[i],
            start=start_of(i) if start_of is not None else dates[i],
            end=end_of(i) if end_of is not None else None,
            date_text=dates[i],
            actors=tuple(self.actor_ids[int(a)] for a in self.actors_of(i)),
            tags=tuple(self.tags(i)),
            summary=self.summary(i),
            excerpts=self.excerpts(i),
            discrepancies=discrepancies,
            links=links,
        )

    def excerpt_texts(self, i: int) -> list[tuple[str, str]]:
        """``(source title, quote)`` for each excerpt of event ``i``."""
        if self.excerpt_quotes is None or self.excerpt_sources is None:
            return []
        lo, hi = int(self.excerpt_quotes.ptr[i]), int(self.excerpt_quotes.ptr[i + 1])
        quotes = self.excerpt_quotes.table[lo:hi]
        titles = self.source_titles
        return [(titles[int(s)], q) for s, q in zip(self.excerpt_sources[lo:hi], quotes, strict=True)]

    def file_positions(self) -> NDArray[np.int64]:
        """Store indices in the file's order (what a rebuilt document lists first comes first)."""
        if self.file_order is None:
            return np.arange(len(self), dtype=np.int64)
        return np.argsort(self.file_order, kind="stable")

    def document(self) -> dict[str, Any]:
        """The data set as the document's JSON values, events in the file's order: what the
        models (``Timeline.model_validate``) and the exporters read."""
        return {**self.head, "events": [self.event(int(i)).to_json() for i in self.file_positions()]}

    def nbytes(self) -> int:
        """Approximate memory held by the per-event data (columns, strings, lanes), in bytes."""
        total = sum(
            a.nbytes
            for a in (
                self.start,
                self.end,
                self.kind,
                self.qualified,
                self.has_discrepancy,
                self.member_ptr,
                self.member_actor,
            )
        )
        total += sum(lane.nbytes for lane in self.lane_events)
        for seq in (
            self.ids,
            self.titles,
            self.date_texts,
            self.search_texts,
            self.excerpt_quotes,
            self.excerpt_sources,
            self.excerpt_locators,
            self.nested,
            self.file_order,
        ):
            if seq is None:
                continue
            size = getattr(seq, "nbytes", None)
            if isinstance(size, int):
                total += size
            elif isinstance(seq, list):
                total += sys.getsizeof(seq) + sum(sys.getsizeof(s) for s in seq)
        return total

    def actors_of(self, i: int) -> NDArray[np.int32]:
        return self.member_actor[self.member_ptr[i] : self.member_ptr[i + 1]]

    def actor_counts(self) -> NDArray[np.int64]:
        return np.bincount(self.member_actor, minlength=len(self.actor_ids))

    def span(self) -> tuple[float, float] | None:
        lo = [float(self.start.min())] if len(self) else []
        hi = [float(self.end.max())] if len(self) else []
        lo += [e.start for e in self.eras]
        hi += [e.end for e in self.eras]
        return (min(lo), max(hi)) if lo else None

    def window(self, x0: float, x1: float) -> tuple[int, int]:
        """Index range ``[i0, i1)`` holding every event that may overlap ``[x0, x1]``.

        Sorted by start, so ``searchsorted`` bounds it; the left edge is padded by the longest
        duration so that a long span that started before ``x0`` is never culled.
        """
        i0 = int(np.searchsorted(self.start, x0 - self.max_duration, side="left"))
        i1 = int(np.searchsorted(self.start, x1, side="right"))
        return i0, i1
