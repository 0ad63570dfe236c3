"""How well each event is supported: by one source, by several independent ones, or disputed.

A sourced history is only as good as its sources, and two copies of one wire story are one
witness, not two: sources are counted once per *origin* (a wire copy counts as its agency, a
reprint as what it reprints, anything else as its publisher, or itself when it names none).
An event with recorded discrepancies is *disputed* whatever its count.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np
from numpy.typing import NDArray

from .models import SOURCE_KIND_LABELS, Event, Source, Timeline


class Standing(Enum):
    """An event's corroboration, as the details panel and the filters name it."""

    SINGLE = "single"  # one independent source
    CORROBORATED = "corroborated"  # two or more independent sources
    DISPUTED = "disputed"  # sources disagree (the event has discrepancies)


@dataclass(frozen=True, slots=True)
class Corroboration:
    standing: Standing
    independent: int  # independent origins among the sources the excerpts cite
    sources: int  # distinct sources cited

    def text(self) -> str:
        """One line for a reader, e.g. "Corroborated: 3 independent sources"."""
        if self.sources == 0:
            count = "no sources"
        elif self.independent == self.sources:
            count = f"{self.independent} independent source{'s' if self.independent != 1 else ''}"
        else:
            count = f"{self.sources} sources, {self.independent} independent"
        if self.standing is Standing.DISPUTED:
            return f"Disputed: sources disagree · {count}"
        if self.standing is Standing.CORROBORATED:
            return f"Corroborated: {count}"
        return "Single source" if self.sources <= 1 else f"Single source: {count}"


def kind_label(source: Source | None) -> str | None:
    """The source's kind in words ("wire copy"), or None when the data does not say."""
    return SOURCE_KIND_LABELS.get(source.kind) if source is not None and source.kind else None


def origin_key(source: Source, by_id: dict[str, Source]) -> str:
    """What a source counts as when independence is judged (case-insensitive names)."""
    seen: set[str] = set()
    while source.origin and source.origin in by_id and source.id not in seen:  # an id: follow it
        seen.add(source.id)
        source = by_id[source.origin]
    name = source.origin or source.publisher
    return f"name:{name.strip().casefold()}" if name and name.strip() else f"id:{source.id}"


def corroboration(event: Event, timeline: Timeline) -> Corroboration:
    by_id = timeline.source_by_id
    cited = list(dict.fromkeys(x.source for x in event.excerpts))
    origins = {origin_key(by_id[s], by_id) if s in by_id else f"id:{s}" for s in cited}
    if event.discrepancies:
        standing = Standing.DISPUTED
    else:
        standing = Standing.CORROBORATED if len(origins) >= 2 else Standing.SINGLE
    return Corroboration(standing, len(origins), len(cited))


def store_corroboration(store: object, i: int) -> Corroboration:
    """Event ``i`` of an ``EventStore``: from its model when the store keeps models, else from the
    columns (which keep which source each quote cites, not the sources' origins)."""
    event = store.event(i)  # type: ignore[attr-defined]
    timeline: Timeline | None = getattr(store, "timeline", None)
    if event is not None and timeline is not None:
        return corroboration(event, timeline)
    quotes, sources = getattr(store, "excerpt_quotes", None), getattr(store, "excerpt_sources", None)
    cited = 0
    if quotes is not None and sources is not None:
        cited = len(np.unique(sources[int(quotes.ptr[i]) : int(quotes.ptr[i + 1])]))
    if bool(store.has_discrepancy[i]):  # type: ignore[attr-defined]
        standing = Standing.DISPUTED
    else:
        standing = Standing.CORROBORATED if cited >= 2 else Standing.SINGLE
    return Corroboration(standing, cited, cited)


def independent_counts(store: object) -> NDArray[np.int32]:
    """Independent sources per event, in store order (``store`` is an ``EventStore``).

    With the full models each source's origin is judged; a bulk store keeps only which source
    each quote cites, so there every distinct source counts.
    """
    n = len(store)  # type: ignore[arg-type]
    timeline: Timeline | None = getattr(store, "timeline", None)
    model_index = getattr(store, "model_index", None)
    if timeline is not None and model_index is not None:
        return np.array(
            [corroboration(timeline.events[int(model_index[i])], timeline).independent for i in range(n)],
            dtype=np.int32,
        )
    quotes, sources = getattr(store, "excerpt_quotes", None), getattr(store, "excerpt_sources", None)
    if quotes is None or sources is None:
        return np.zeros(n, dtype=np.int32)
    ptr = np.asarray(quotes.ptr, dtype=np.int64)
    owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(ptr))
    if len(owner) == 0:
        return np.zeros(n, dtype=np.int32)
    width = int(sources.max()) + 1
    pairs = np.sort(owner * width + sources.astype(np.int64))  # sort + diff: np.unique is ~90x slower here
    first = np.ones(len(pairs), dtype=bool)
    first[1:] = pairs[1:] != pairs[:-1]
    return np.bincount(pairs[first] // width, minlength=n).astype(np.int32)
