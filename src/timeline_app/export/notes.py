"""The sources cited by the events in a figure, without Qt."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from ..core.store import EventStore
from .texts import _clip, _per_member, _row_mask


def source_credits(store: EventStore, visible: NDArray[np.bool_] | None) -> list[str]:
    """Each source quoted by the shown events, as "Title — Publisher", most-cited first.

    Stores without models (very large files) keep only source titles: those are credited.
    """
    rows = _row_mask(store, visible)
    timeline = store.timeline
    if timeline is None:
        quotes, sources = store.excerpt_quotes, store.excerpt_sources
        if quotes is None or sources is None or not store.source_titles:
            return []
        cited = sources[_per_member(np.asarray(quotes.ptr, dtype=np.int64), rows)]
        counts = np.bincount(cited, minlength=len(store.source_titles))
        order = np.argsort(-counts, kind="stable")
        return [_clip(" ".join(store.source_titles[k].split()), 90) for k in order if counts[k] > 0]
    tally: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for i in np.flatnonzero(rows):
        event = store.event(int(i))
        if event is None:
            continue
        for source_id in dict.fromkeys(x.source for x in event.excerpts):
            tally[source_id] += 1
            first_seen.setdefault(source_id, len(first_seen))
    ordered = sorted(tally, key=lambda s: (-tally[s], first_seen[s]))
    out = []
    for source_id in ordered:
        source = timeline.source_by_id.get(source_id)
        if source is None:
            out.append(source_id)
            continue
        title = _clip(" ".join(source.title.split()), 90)
        publisher = " ".join((source.publisher or "").split())
        out.append(f"{title} — {_clip(publisher, 50)}" if publisher else title)
    return out


def credit_text(credits: Sequence[str]) -> str:
    if not credits:
        return ""
    return f"Sources ({len(credits)}): " + "; ".join(credits)
