"""Events as numpy columns, sorted by start: what the view, filters and search work on.

The same store serves the bundled 33 events and a million: drawing and filtering touch only
arrays; per-event objects (the pydantic models, for the details panel) exist only for small sets.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from .models import Event, Timeline
from .palette import resolve_colors
from .strings import RaggedStrings, StringTable


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
    timeline: Timeline | None = None  # the full models, when the set is small enough to keep them
    model_index: NDArray[np.int64] | None = None  # store position -> index in timeline.events
    search_texts: Sequence[str] | None = None  # what search looks in, per event (None: titles only)
    # Bulk stores keep no models; these give the details panel the evidence without them.
    excerpt_quotes: RaggedStrings | None = None  # row i: the quotes of event i
    excerpt_sources: NDArray[np.int32] | None = None  # source index per quote, aligned with the flat quotes
    source_titles: list[str] = field(default_factory=list)
    content_key: str | None = None  # SHA-256 of the file a bulk store was read from: its reopen-cache key
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

    def event(self, i: int) -> Event | None:
        """The full model of event ``i`` (excerpts, discrepancies), where the store keeps them."""
        if self.timeline is None or self.model_index is None:
            return None
        return self.timeline.events[int(self.model_index[i])]

    def excerpt_texts(self, i: int) -> list[tuple[str, str]]:
        """``(source title, quote)`` for each excerpt of event ``i``, with or without models."""
        ev = self.event(i)
        if ev is not None and self.timeline is not None:
            by_id = self.timeline.source_by_id
            return [(by_id[x.source].title if x.source in by_id else x.source, x.quote) for x in ev.excerpts]
        if self.excerpt_quotes is None or self.excerpt_sources is None:
            return []
        lo, hi = int(self.excerpt_quotes.ptr[i]), int(self.excerpt_quotes.ptr[i + 1])
        quotes = self.excerpt_quotes.table[lo:hi]
        return [(self.source_titles[int(s)], q) for s, q in zip(self.excerpt_sources[lo:hi], quotes, strict=True)]

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
            self.model_index,
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

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def from_timeline(cls, timeline: Timeline) -> EventStore:
        events = timeline.events
        intervals = np.array([e.interval() for e in events], dtype=np.float64).reshape(-1, 2)
        order = np.argsort(intervals[:, 0], kind="stable") if len(events) else np.zeros(0, np.int64)
        actor_index = {a.id: k for k, a in enumerate(timeline.actors)}
        sorted_events = [events[int(k)] for k in order]
        ptr = np.zeros(len(events) + 1, dtype=np.int64)
        ptr[1:] = np.cumsum([len(e.actors) for e in sorted_events])
        members = np.array(
            [actor_index[a] for e in sorted_events for a in e.actors if a in actor_index], dtype=np.int32
        )
        source_names = {s.id: " ".join(filter(None, (s.title, s.author, s.publisher))) for s in timeline.sources}
        return cls(
            title=timeline.title,
            start=np.ascontiguousarray(intervals[order, 0]),
            end=np.ascontiguousarray(intervals[order, 1]),
            kind=np.array([_kind(e) for e in sorted_events], dtype=np.int8),
            qualified=np.array(
                [e.start_date.qualified or bool(e.end_date and e.end_date.qualified) for e in sorted_events],
                dtype=bool,
            ),
            has_discrepancy=np.array([bool(e.discrepancies) for e in sorted_events], dtype=bool),
            ids=[e.id for e in sorted_events],
            titles=[e.title for e in sorted_events],
            date_texts=[e.date_text() for e in sorted_events],
            actor_ids=[a.id for a in timeline.actors],
            actor_names=[a.name for a in timeline.actors],
            actor_colors=resolve_colors([a.color for a in timeline.actors]),
            member_ptr=ptr,
            member_actor=members,
            eras=[EraBand(e.title, *e.interval(), e.color) for e in timeline.eras],
            timeline=timeline,
            model_index=order.astype(np.int64),
            search_texts=[_search_text(e, source_names) for e in sorted_events],
        )


def _kind(event: Event) -> Kind:
    if event.end is not None:
        return Kind.SPAN
    return Kind.INSTANT if event.start_date.day is not None else Kind.PERIOD


def _search_text(event: Event, source_names: dict[str, str]) -> str:
    parts: Sequence[str] = [
        event.title,
        event.summary,
        *event.tags,
        *(x.quote for x in event.excerpts),
        *(source_names.get(x.source, x.source) for x in event.excerpts),
    ]
    return "\n".join(parts)
