"""What search looks in for a bulk-loaded store, assembled from its string tables on demand."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from numpy.typing import NDArray

from .strings import RaggedStrings, StringTable

__all__ = ["SearchTexts"]


class SearchTexts(Sequence[str]):
    """What search looks in: title, summary, tags, quotes and source names, assembled on demand.

    The same text as the small path's ``search_texts``, without storing titles and quotes twice.
    """

    __slots__ = ("_quote_sources", "_quotes", "_source_names", "_summaries", "_tags", "_titles")

    def __init__(
        self,
        titles: StringTable,
        summaries: StringTable,
        tags: RaggedStrings,
        quotes: RaggedStrings,
        quote_sources: NDArray[np.int32],
        source_names: list[str],
    ) -> None:
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
            yield "\n".join(
                [title, summary, *tags[tptr[i] : tptr[i + 1]], *quotes[q0:q1], *(names[s] for s in srcs[q0:q1])]
            )

    # The columns themselves, for search to scan in bulk.

    @property
    def titles(self) -> StringTable:
        return self._titles

    @property
    def summaries(self) -> StringTable:
        return self._summaries

    @property
    def tags(self) -> RaggedStrings:
        return self._tags

    @property
    def quotes(self) -> RaggedStrings:
        return self._quotes

    @property
    def quote_sources(self) -> NDArray[np.int32]:
        return self._quote_sources

    @property
    def source_names(self) -> list[str]:
        return self._source_names

    @property
    def nbytes(self) -> int:
        return self._summaries.nbytes + self._tags.nbytes  # titles and quotes are counted where owned
