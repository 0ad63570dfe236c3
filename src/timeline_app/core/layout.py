"""Where things go in the timeline view, without Qt: sub-rows in a lane, lane heights, and who
keeps a label when two collide (the labels themselves are placed by ``core.labels``). The view
measures text and supplies pixel positions; these functions decide.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "LaneGeometry",
    "fold_rows",
    "label_priority",
    "lane_geometry",
    "pack_rows",
]


def pack_rows(start: NDArray[np.float64], end: NDArray[np.float64], max_rows: int = 8) -> tuple[NDArray[np.int32], int]:
    """Greedy interval packing: each interval goes to the lowest row free at its start.

    ``start`` must be sorted. Intervals are half-open, so one ending on the day another starts
    shares its row. Beyond ``max_rows`` an interval goes to the row that frees first (it may
    then overlap: a bounded lane beats an unreadable one). Returns (row per interval, rows used).
    """
    n = len(start)
    rows = np.zeros(n, dtype=np.int32)
    if n == 0:
        return rows, 0
    busy: list[tuple[float, int]] = []  # (end, row) of rows in use
    free: list[int] = []  # rows free right now, lowest first
    used = 0
    s_list = start.tolist()
    e_list = end.tolist()
    for i in range(n):
        s = s_list[i]
        while busy and busy[0][0] <= s:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            r = heapq.heappop(free)
        elif used < max_rows:
            r = used
            used += 1
        else:
            _, r = heapq.heappop(busy)
        rows[i] = r
        heapq.heappush(busy, (max(e_list[i], s), r))
    return rows, used


@dataclass(frozen=True, slots=True)
class LaneGeometry:
    """Vertical layout of the lanes, in pixels from the top of the plot area."""

    top: NDArray[np.float64]  # per shown lane
    height: NDArray[np.float64]
    row_height: float
    glyph_height: float  # the band of a row holding the marker or bar; the label sits below it
    labels_fit: bool  # False when rows were squeezed below the text height

    def row_top(self, lane: int, row: int | NDArray[np.int32]) -> float | NDArray[np.float64]:
        return self.top[lane] + self.pad + row * self.row_height

    @property
    def pad(self) -> float:
        return max(2.0, self.row_height * 0.15)

    def lane_at(self, y: float) -> int:
        """The shown lane containing ``y``, or -1."""
        i = int(np.searchsorted(self.top, y, side="right")) - 1
        if i < 0 or y >= self.top[i] + self.height[i]:
            return -1
        return i


def lane_geometry(
    rows: list[int],
    top: float,
    available: float,
    glyph_height: float,
    text_height: float,
    *,
    max_stretch: float = 1.8,
) -> LaneGeometry:
    """Lanes stacked from ``top``: each as tall as its rows, squeezed to fit or gently stretched."""
    rows_arr = np.maximum(np.asarray(rows, dtype=np.float64), 1.0)
    natural = glyph_height + text_height + 4.0
    n_rows = float(rows_arr.sum())
    lanes = len(rows_arr)
    if lanes == 0:
        return LaneGeometry(np.zeros(0), np.zeros(0), natural, glyph_height, True)
    # Per lane: rows plus padding above and below (about 0.3 row).
    want = (n_rows + 0.3 * lanes) * natural
    row_h = natural * min(max_stretch, available / want) if want > 0 else natural
    row_h = max(row_h, glyph_height + 2.0)
    labels_fit = row_h >= glyph_height + text_height
    pad = max(2.0, row_h * 0.15)
    heights = rows_arr * row_h + 2 * pad
    tops = top + np.concatenate([[0.0], np.cumsum(heights)[:-1]])
    return LaneGeometry(tops, heights, row_h, glyph_height, labels_fit)


def fold_rows(rows: list[int], capacity: float) -> int | None:
    """The most sub-rows any lane may keep so that every lane fits ``capacity`` natural rows
    (padding included, as ``lane_geometry`` counts it), or None when all fit as they are.

    Deep lanes then fold their rows (row % cap): some bars overlap, but labels stay readable.
    """
    if not rows:
        return None
    pad = 0.3 * len(rows)
    if sum(rows) + pad <= capacity:
        return None
    cap = 1
    for c in range(2, max(rows) + 1):
        if sum(min(r, c) for r in rows) + pad > capacity:
            break
        cap = c
    return cap


def label_priority(
    duration: NDArray[np.float64],
    has_discrepancy: NDArray[np.bool_],
    search_match: NDArray[np.bool_] | None = None,
) -> NDArray[np.float64]:
    """Who keeps a label when two collide: search match > discrepancy / longer span > others.

    Selected and hovered events are not ranked here: the caller forces them.
    """
    p = np.log1p(np.maximum(duration, 0.0))  # 0 .. ~15 for a million days
    p = p + 20.0 * has_discrepancy
    if search_match is not None:
        p = p + 100.0 * search_match
    return p
