"""Label placement as it was before the line index (a hash grid, rectangle by rectangle), kept as
the reference the fast ``core.layout.place_labels`` must match exactly. Used by tests/core and
tests/ui (imported by path: the test folders are not packages)."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray


class _RefBands:
    """Obstacles (markers, bars) as horizontal bands of merged x-intervals, so testing a
    rectangle costs a binary search per band it crosses, whatever the number of markers."""

    def __init__(self, rects: NDArray[np.float64]) -> None:
        self.y0: list[float] = []
        self.y1: list[float] = []
        self.starts: list[list[float]] = []
        self.ends: list[list[float]] = []
        self.tallest = 0.0
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
        run_band = band[first]
        run_start, run_end = a[first], np.maximum.reduceat(e, first)
        cut = np.searchsorted(run_band, np.arange(int(band[-1]) + 2)).tolist()
        heads = np.flatnonzero(band_start)
        self.y0 = r[heads, 1].tolist()
        self.y1 = r[heads, 3].tolist()
        self.starts = [run_start[cut[b] : cut[b + 1]].tolist() for b in range(len(heads))]
        self.ends = [run_end[cut[b] : cut[b + 1]].tolist() for b in range(len(heads))]
        self.tallest = float((r[:, 3] - r[:, 1]).max())

    def hits(self, x0: NDArray[np.float64], y0: NDArray[np.float64], x1: NDArray[np.float64],
             y1: NDArray[np.float64]) -> NDArray[np.bool_]:  # fmt: skip
        """Which of many rectangles meet an obstacle (vectorised per band)."""
        out = np.zeros(len(x0), dtype=bool)
        for b in range(len(self.y0)):
            m = np.flatnonzero((y0 < self.y1[b]) & (y1 > self.y0[b]))
            if len(m) == 0:
                continue
            starts = np.asarray(self.starts[b] + [np.inf])
            ends = np.asarray(self.ends[b])
            j = np.searchsorted(ends, x0[m], side="right")
            out[m] |= starts[j] < x1[m]
        return out


class _RefGrid:
    """Placed label rectangles in a hash grid: a query looks at a handful of cells."""

    def __init__(self, cell_w: float, cell_h: float) -> None:
        self.cw, self.ch = max(cell_w, 1.0), max(cell_h, 1.0)
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def hit(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        cw, ch, cells = self.cw, self.ch, self.cells
        ys = range(math.floor(y0 / ch), math.floor(y1 / ch) + 1)
        for cx in range(math.floor(x0 / cw), math.floor(x1 / cw) + 1):
            for cy in ys:
                for a0, b0, a1, b1 in cells.get((cx, cy), ()):
                    if a0 < x1 and a1 > x0 and b0 < y1 and b1 > y0:
                        return True
        return False

    def add(self, x0: float, y0: float, x1: float, y1: float) -> None:
        cw, ch = self.cw, self.ch
        for cx in range(math.floor(x0 / cw), math.floor(x1 / cw) + 1):
            for cy in range(math.floor(y0 / ch), math.floor(y1 / ch) + 1):
                self.cells.setdefault((cx, cy), []).append((x0, y0, x1, y1))


def reference_place_labels(
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
    # candidates grouped by owner, owners in placement order, candidates in row order
    order = np.lexsort((np.arange(n), own, -prio, ~forced))
    owners_in_order = own[order]
    first_of = np.flatnonzero(np.r_[True, owners_in_order[1:] != owners_in_order[:-1]])
    # an owner's candidates may be interleaved with others' of equal rank: regroup them
    by_owner = np.argsort(own, kind="stable")
    owner_sorted = own[by_owner]
    uniq = np.unique(own)
    bounds = np.searchsorted(owner_sorted, np.r_[uniq, uniq[-1] + 1]).tolist()
    group = {o: (bounds[k], bounds[k + 1]) for k, o in enumerate(uniq.tolist())}
    by_owner_l = by_owner.tolist()
    forced_owner = set(own[forced].tolist())
    bands = _RefBands(np.zeros((0, 4)) if obstacles is None else np.asarray(obstacles, np.float64).reshape(-1, 4))
    grid = _RefGrid(float(np.median(w)) if n else 100.0, 2 * float(h.max()))
    half = gap / 2
    # obstacles do not move: test every candidate against them at once
    blocked = bands.hits(xs - half, yy, xs + w + half, yy + h).tolist()
    n_forced = len(np.unique(own[forced]))
    cap = max(max_labels, n_forced)
    placed = 0
    seen: set[int] = set()
    xs_l, y_l, w_l, h_l = xs.tolist(), yy.tolist(), w.tolist(), h.tolist()
    span_ok = x_max - x_min
    misses = 0
    for f in first_of.tolist():
        if placed >= cap or (max_misses is not None and misses >= max_misses and not forced[order[f]]):
            break
        o = int(owners_in_order[f])
        if o in seen:
            continue
        seen.add(o)
        lo, hi = group[o]
        rows = by_owner_l[lo:hi]
        is_forced = o in forced_owner
        chosen = -1
        tries = 0
        for i in rows:
            x0, y0, x1, y1 = xs_l[i] - half, y_l[i], xs_l[i] + w_l[i] + half, y_l[i] + h_l[i]
            if blocked[i] or (w_l[i] > span_ok and not is_forced):
                continue
            if tries >= max_tries:
                break
            tries += 1
            if grid.hit(x0, y0, x1, y1):
                continue
            chosen = i
            break
        if chosen < 0 and is_forced:
            chosen = rows[0]
        if chosen < 0:
            misses += 1
            continue
        misses = 0
        i = chosen
        grid.add(xs_l[i] - half, y_l[i], xs_l[i] + w_l[i] + half, y_l[i] + h_l[i])
        kept[i] = True
        placed += 1
    return kept, xs
