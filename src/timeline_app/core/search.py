"""Text search over events, and which events cite a source: Qt-free, built once per data set.

Search folds case and accents ("Pêshawar" finds "Peshawar" and the reverse). All events' texts are
folded once into one haystack with a separator between events; a query scans that string in C
(``re.finditer``) and maps hit offsets to events with ``np.searchsorted``, so a query costs no
Python work per event.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .store import EventStore

__all__ = ["SearchIndex", "SourceCitations", "fold"]

_SEP = "\x1e"  # record separator: never in a folded query, so no hit spans two events


def _fold_char(c: str) -> str:
    return "".join(x for x in unicodedata.normalize("NFKD", c).casefold() if not unicodedata.combining(x))


_ASCII_LOWER = np.array([ord(chr(k).lower()) for k in range(128)], dtype=np.uint32)


_DELETE = np.uint32(0xFFFFFFFF)  # not a code point: marks a character that folds to nothing


def fold(text: str) -> str:
    """Case- and accent-insensitive form: NFKD, casefold, combining marks removed.

    Folding is per character, so it is worked out once per *distinct* non-ASCII character and
    applied with numpy: str.casefold plus unicodedata.normalize take seconds on a million
    events' text. The rare characters that fold to several (ß → ss) are then replaced by str.replace.
    """
    if text.isascii():
        return text.lower()  # ASCII casefold is lower()
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    out = np.where(codes < 128, _ASCII_LOWER[codes & 127], codes)
    wide = np.flatnonzero(codes >= 128)
    uniq, inverse = np.unique(codes[wide], return_inverse=True)
    mapped = [_fold_char(chr(int(u))) for u in uniq]
    single = np.array(
        [ord(m) if len(m) == 1 else (_DELETE if not m else int(u)) for u, m in zip(uniq, mapped, strict=True)],
        dtype=np.uint32,
    )
    out[wide] = single[inverse]
    if (single == _DELETE).any():
        out = out[out != _DELETE]
    folded = out.tobytes().decode("utf-32-le")
    for u, m in zip(uniq, mapped, strict=True):
        if len(m) > 1:
            folded = folded.replace(chr(int(u)), m)
    return folded


def _terms(query: str) -> list[str]:
    cleaned = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in query)
    return [t for t in fold(cleaned).split() if t]


class SearchIndex:
    """Every event's searchable text, folded, in one string."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.count = len(texts)
        self._haystack = fold(_SEP.join(t.replace(_SEP, " ") for t in texts))
        codes = np.frombuffer(self._haystack.encode("utf-32-le"), dtype=np.uint32)
        # Offsets where each event's text starts, in the folded haystack.
        self._starts = np.concatenate(([0], np.flatnonzero(codes == ord(_SEP)) + 1)).astype(np.int64)

    @classmethod
    def from_store(cls, store: EventStore) -> SearchIndex:
        return cls(store.search_texts if store.search_texts is not None else store.titles)

    def search(self, query: str) -> NDArray[np.bool_] | None:
        """Events containing every word of ``query`` (anywhere in their texts); None for a blank query."""
        terms = _terms(query)
        if not terms:
            return None
        mask = np.ones(self.count, dtype=bool)
        for term in terms:
            hits = np.fromiter((m.start() for m in re.finditer(re.escape(term), self._haystack)), dtype=np.int64)
            term_mask = np.zeros(self.count, dtype=bool)
            term_mask[np.searchsorted(self._starts, hits, side="right") - 1] = True
            mask &= term_mask
        return mask


@dataclass(frozen=True)
class SourceCitations:
    """For each source, the events that quote it or name it in a discrepancy."""

    source_ids: list[str]
    titles: list[str]
    events: list[NDArray[np.int64]]  # store indices, per source

    @classmethod
    def from_store(cls, store: EventStore) -> SourceCitations:
        timeline = store.timeline
        if timeline is None or store.model_index is None:
            return cls._from_columns(store)
        by_source: dict[str, set[int]] = {s.id: set() for s in timeline.sources}
        for i, k in enumerate(store.model_index):
            event = timeline.events[int(k)]
            cited = {x.source for x in event.excerpts} | {s for d in event.discrepancies for s in d.sources}
            for source in cited:
                by_source.setdefault(source, set()).add(i)
        ids = list(by_source)
        titles = [timeline.source_by_id[s].title if s in timeline.source_by_id else s for s in ids]
        return cls(ids, titles, [np.array(sorted(by_source[s]), dtype=np.int64) for s in ids])

    @classmethod
    def _from_columns(cls, store: EventStore) -> SourceCitations:
        """Bulk stores keep (quote -> source) columns, not models: group them with numpy."""
        quotes, sources, titles = store.excerpt_quotes, store.excerpt_sources, store.source_titles
        if quotes is None or sources is None or not titles:
            return cls([], [], [])
        n = len(store)
        owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(quotes.ptr))
        pairs = np.unique(np.asarray(sources, dtype=np.int64) * max(n, 1) + owner)
        by_source = pairs // max(n, 1)
        bounds = np.searchsorted(by_source, np.arange(len(titles) + 1))
        events = [pairs[bounds[k] : bounds[k + 1]] % max(n, 1) for k in range(len(titles))]
        return cls([f"source-{k}" for k in range(len(titles))], list(titles), events)

    def counts(self) -> list[int]:
        return [len(e) for e in self.events]

    def mask(self, source_id: str, size: int) -> NDArray[np.bool_]:
        out = np.zeros(size, dtype=bool)
        if source_id in self.source_ids:
            out[self.events[self.source_ids.index(source_id)]] = True
        return out
