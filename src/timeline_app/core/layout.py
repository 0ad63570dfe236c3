"""Where things go in the timeline view, without Qt: sub-rows in a lane, lane heights, which
labels fit. The view measures text and supplies pixel positions; these functions decide.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "LaneGeometry",
    "fold_rows",
    "label_priority",
    "lane_geometry",
    "pack_rows",
    "place_labels",
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


class _Bands:
    """Obstacles (markers, bars) as horizontal bands of merged x-intervals: testing a rectangle
    costs a binary search per band it crosses, whatever the number of markers."""

    def __init__(self, rects: NDArray[np.float64]) -> None:
        self.y0 = self.y1 = self.run_start = np.zeros(0)
        self.run_band = np.zeros(0, np.int64)
        self.keys = np.zeros(0, np.complex128)
        if len(rects) == 0:
            return
        order = np.lexsort((rects[:, 0], rects[:, 3], rects[:, 1]))
        r = rects[order]
        band_start = np.r_[True, (r[1:, 1] != r[:-1, 1]) | (r[1:, 3] != r[:-1, 3])]
        # merged runs in every band at once: bands offset apart so one running max serves all
        band = np.cumsum(band_start) - 1
        a, e = r[:, 0], r[:, 2]
        offset = band * (float(e.max() - a.min()) + 10.0)
        reach = np.maximum.accumulate(e + offset) - offset
        new = band_start | np.r_[True, a[1:] > reach[:-1]]  # past all before in its band: a new run
        first = np.flatnonzero(new)
        heads = np.flatnonzero(band_start)
        self.y0, self.y1 = r[heads, 1], r[heads, 3]
        self.run_band, self.run_start = band[first], a[first]
        # (band, run end) as complex numbers, which numpy orders by real then imaginary part: one
        # searchsorted finds, for every rectangle and band at once, the first run ending past x0
        self.keys = self.run_band + 1j * np.maximum.reduceat(e, first)

    def hits(self, x0: NDArray[np.float64], x1: NDArray[np.float64], line: NDArray[np.int64],
             ly: NDArray[np.float64], lh: NDArray[np.float64]) -> NDArray[np.bool_]:  # fmt: skip
        """Which rectangles ``x0..x1`` meet an obstacle; rectangle k spans ``ly[line[k]]`` and
        ``lh[line[k]]`` down (rectangles share a few distinct lines)."""
        out = np.zeros(len(x0), dtype=bool)
        if len(self.keys) == 0 or len(x0) == 0:
            return out
        ov = (ly[:, None] < self.y1[None, :]) & ((ly + lh)[:, None] > self.y0[None, :])  # line x band
        per_line = ov.sum(axis=1)
        _, band_of = np.nonzero(ov)  # by line, then band
        first_of_line = np.cumsum(per_line) - per_line
        per = per_line[line]  # bands each rectangle crosses
        total = int(per.sum())
        if total == 0:
            return out
        rect = np.repeat(np.arange(len(x0)), per)
        k = np.arange(total) - np.repeat(np.cumsum(per) - per, per)  # 0, 1, .. within a rectangle
        band = band_of[first_of_line[line[rect]] + k]
        j = np.searchsorted(self.keys, band + 1j * x0[rect], side="right")
        jj = np.minimum(j, len(self.keys) - 1)
        hit = (j < len(self.keys)) & (self.run_band[jj] == band) & (self.run_start[jj] < x1[rect])
        out[rect[hit]] = True
        return out


class _Lines:
    """Placed label rectangles, found by one bisection per nearby line.

    A line is one distinct (y, height). Labels placed without a collision never overlap, so on a
    line their x-intervals are disjoint and sorted by start and by end alike: a rectangle can meet
    at most the last of those starting left of its right edge. ``near[line]`` lists the lines whose
    rectangles overlap it vertically (a handful). Forced labels (which may overlap anything) and
    zero-width ones are few and kept ``aside``, checked one by one.
    """

    def __init__(self, ly: NDArray[np.float64], lh: NDArray[np.float64]) -> None:
        n = len(ly)
        # the exact test the rectangles get (b0 < y1 and b1 > y0), once per pair of lines
        ov = (ly[None, :] < (ly + lh)[:, None]) & ((ly + lh)[None, :] > ly[:, None])
        a, b = np.nonzero(ov)
        cut = np.searchsorted(a, np.arange(n + 1)).tolist()
        other = b.tolist()
        self.near: list[list[int]] = [other[cut[k] : cut[k + 1]] for k in range(n)]
        self.starts: list[list[float]] = [[] for _ in range(n)]
        self.ends: list[list[float]] = [[] for _ in range(n)]
        self.aside: list[tuple[float, float, float, float]] = []

    def add(self, line: int, x0: float, y0: float, x1: float, y1: float, *, aside: bool) -> None:
        if aside or not x1 > x0:
            self.aside.append((x0, y0, x1, y1))
            return
        k = bisect_left(self.starts[line], x0)
        self.starts[line].insert(k, x0)
        self.ends[line].insert(k, x1)


def _meets(rects: list[tuple[float, float, float, float]], x0: float, y0: float, x1: float, y1: float) -> bool:
    return any(a0 < x1 and a1 > x0 and b0 < y1 and b1 > y0 for a0, b0, a1, b1 in rects)


def place_labels(
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    width: NDArray[np.float64],
    height: NDArray[np.float64],
    priority: NDArray[np.float64],
    *,
    force: NDArray[np.bool_] | None = None,
    owner: NDArray[np.int64] | None = None,
    x_min: float = -np.inf,
    x_max: float = np.inf,
    gap: float = 6.0,
    max_labels: int = 300,
    obstacles: NDArray[np.float64] | None = None,
    max_tries: int = 8,
    max_misses: int | None = None,
) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
    """Greedy collision culling over candidate positions.

    Each row is one candidate rectangle. Rows with the same ``owner`` (default: every row its own)
    are alternative places for one label, tried in row order; the first whose rectangle (widened
    by ``gap``) meets no placed label and no obstacle (``[x0, y0, x1, y1]`` rows: markers, bars)
    wins, and an owner gets at most one. Owners go highest priority first; forced owners
    (selected, hovered) go before all and, if no candidate is free, take their first one anyway.
    At most ``max_tries`` free-of-obstacle candidates are tested against placed labels per owner;
    after ``max_misses`` unforced owners in a row find no place, the rest (lower priority) are not
    tried: in a crowd the remaining space is gone and trying costs time for nothing.
    A candidate is shifted left to end inside ``x_max`` and right to start inside ``x_min``.
    Ties break by owner then row, so the result is deterministic. Returns (kept per row, x per row).
    """
    n = len(x)
    w = np.asarray(width, dtype=np.float64)
    xs = np.minimum(np.asarray(x, dtype=np.float64), x_max - w)
    xs = np.maximum(xs, x_min)
    kept = np.zeros(n, dtype=bool)
    if n == 0:
        return kept, xs
    own = np.arange(n) if owner is None else np.asarray(owner, dtype=np.int64)
    forced = np.zeros(n, dtype=bool) if force is None else np.asarray(force, dtype=bool)
    prio = np.asarray(priority, dtype=np.float64)
    h = np.broadcast_to(np.asarray(height, dtype=np.float64), (n,))
    yy = np.asarray(y, dtype=np.float64)
    # owners in placement order: by their first row in (forced first, priority, owner, row) order
    if own.min() >= 0 and own.max() < 2 * n + 64:  # owners numbered 0 .. m-1 already (a few may be absent)
        own_k, m = own, int(own.max()) + 1
    else:
        uniq, own_k = np.unique(own, return_inverse=True)
        own_k, m = own_k.reshape(-1), len(uniq)
    order = np.lexsort((np.arange(n), own, -prio, ~forced))
    in_order = own_k[order]
    first_pos = np.empty(m, np.int64)
    first_pos[in_order[::-1]] = np.arange(n - 1, -1, -1)  # the last write wins: each owner's first place
    first = np.flatnonzero(first_pos[in_order] == np.arange(n))
    seq = in_order[first].tolist()
    seq_forced = forced[order[first]].tolist()
    forced_k = np.zeros(m, dtype=bool)
    forced_k[own_k[forced]] = True
    # rectangles on a few lines (distinct y and height): complex numbers order by (y, height)
    lines, line = np.unique(yy + 1j * h, return_inverse=True)
    line = line.reshape(-1)
    ly, lh = lines.real, lines.imag
    # obstacles do not move: test every candidate against them at once
    half = gap / 2
    x0v, x1v, y1v = xs - half, xs + w + half, yy + h
    bands = _Bands(np.zeros((0, 4)) if obstacles is None else np.asarray(obstacles, np.float64).reshape(-1, 4))
    blocked = bands.hits(x0v, x1v, line, ly, lh)
    # each owner's tries: its first ``max_tries`` rows clear of obstacles (and not wider than the
    # room, unless forced), in row order
    by_owner = np.argsort(own_k, kind="stable")
    ok = ~blocked & (~(w > x_max - x_min) | forced_k[own_k])
    tries = by_owner[ok[by_owner]]
    run = own_k[tries]
    head = np.r_[True, run[1:] != run[:-1]]
    rank = np.arange(len(tries)) - np.maximum.accumulate(np.where(head, np.arange(len(tries)), 0))
    tries = tries[rank < max_tries]
    cut = np.searchsorted(own_k[tries], np.arange(m + 1)).tolist()
    first_row = by_owner[np.minimum(np.searchsorted(own_k[by_owner], np.arange(m)), n - 1)].tolist()
    placed_on = _Lines(ly, lh)
    starts, ends, aside, near = placed_on.starts, placed_on.ends, placed_on.aside, placed_on.near
    # the tries in owner order as plain lists: row, x0, x1, the lines it may meet
    try_row = tries.tolist()
    try_x0, try_x1 = x0v[tries].tolist(), x1v[tries].tolist()
    try_near = [near[k] for k in line[tries].tolist()]
    forced_l = forced_k.tolist()
    cap = max(max_labels, int(forced_k.sum()))
    limit = n + 1 if max_misses is None else max_misses
    placed = misses = 0
    for o, is_forced in zip(seq, seq_forced, strict=True):
        if placed >= cap or (misses >= limit and not is_forced):
            break
        chosen = -1
        for j in range(cut[o], cut[o + 1]):
            x0, x1 = try_x0[j], try_x1[j]
            if aside and _meets(aside, x0, float(yy[try_row[j]]), x1, float(y1v[try_row[j]])):
                continue
            for other in try_near[j]:
                k = bisect_left(starts[other], x1)  # intervals starting left of x1: 0 .. k-1
                if k and ends[other][k - 1] > x0:
                    break
            else:
                chosen = try_row[j]
                break
        if chosen < 0 and forced_l[o]:
            chosen = first_row[o]
        if chosen < 0:
            misses += 1
            continue
        misses = 0
        i = chosen
        placed_on.add(int(line[i]), float(x0v[i]), float(yy[i]), float(x1v[i]), float(y1v[i]), aside=forced_l[o])
        kept[i] = True
        placed += 1
    return kept, xs
