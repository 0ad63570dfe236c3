"""The order a reader steps through the events the filters show: date order, ties in file order.

The store is already sorted by start (stably, so ties keep file order); the reading order is
that order restricted to the shown events. Kept as the shown indices (or nothing, when every
event shows) so that stepping at a million events is a binary search, not a scan.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["ReadingOrder", "neighbourhood"]


class ReadingOrder:
    """Positions 0..len-1 over the shown events; ``index`` means a store index."""

    def __init__(self, n: int, visible: NDArray[np.bool_] | None = None) -> None:
        self._n = n
        self._order: NDArray[np.int64] | None = None if visible is None else np.flatnonzero(visible)

    def __len__(self) -> int:
        return self._n if self._order is None else len(self._order)

    def at(self, position: int) -> int:
        """The store index of the event at ``position`` (0-based)."""
        if not 0 <= position < len(self):
            raise IndexError(position)
        return position if self._order is None else int(self._order[position])

    def position(self, index: int) -> int | None:
        """Where store event ``index`` sits in the order; None when it is not shown."""
        if self._order is None:
            return index if 0 <= index < self._n else None
        k = int(np.searchsorted(self._order, index))
        return k if k < len(self._order) and int(self._order[k]) == index else None

    def first_at_or_after(self, index: int) -> int | None:
        """The position of the first shown event at or after store index ``index``."""
        k = max(0, index) if self._order is None else int(np.searchsorted(self._order, index))
        return k if k < len(self) else None

    def neighbours(self, position: int, radius: int) -> tuple[int, int]:
        """The store indices ``radius`` positions before and after (clamped to the ends)."""
        lo, hi = max(0, position - radius), min(len(self) - 1, position + radius)
        return self.at(lo), self.at(hi)


def neighbourhood(
    start: NDArray[np.float64],
    end: NDArray[np.float64],
    order: ReadingOrder,
    position: int,
    k: int,
    min_half: float,
) -> tuple[float, float]:
    """The time range centred on the event at ``position`` that reaches, on its denser side,
    ``k`` shown events (and at least one): a far event on one side does not zoom it out."""
    index = order.at(position)
    a, b = float(start[index]), float(end[index])
    c = (a + b) / 2
    n = len(order)
    near: list[float] = []  # per side: the distance to the nearest shown event, and to the k-th
    far: list[float] = []
    if position > 0:
        near.append(c - float(start[order.at(position - 1)]))
        far.append(c - float(start[order.at(max(0, position - k))]))
    if position + 1 < n:
        near.append(float(start[order.at(position + 1)]) - c)
        far.append(float(start[order.at(min(n - 1, position + k))]) - c)
    reach = max(min(abs(d) for d in far), min(abs(d) for d in near)) if far else 0.0
    half = max(reach * 1.15, (b - a) / 2 * 1.25, min_half)
    return c - half, c + half
