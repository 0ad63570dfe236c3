"""Free space for label placement, Qt-free: the lanes cut into horizontal bands (a glyph band and a
label line per sub-row, tall ones cut finer), each keeping the sorted, disjoint x-intervals taken
in it, so "is this rectangle free" is a binary search per band rather than a test against every
label placed."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .layout import LaneGeometry


class Bands:
    """Horizontal bands of the lanes, each with the sorted, disjoint x-intervals taken in it."""

    def __init__(self, edges: list[float]) -> None:
        self.y0 = edges[:-1]
        self.y1 = edges[1:]
        self.starts: list[list[float]] = [[] for _ in self.y0]
        self.ends: list[list[float]] = [[] for _ in self.y0]

    def span(self, y0: float, y1: float) -> range:
        """The bands that ``[y0, y1)`` crosses (by more than a hair)."""
        a = max(0, bisect_right(self.y1, y0 + 0.5))
        b = bisect_left(self.y0, y1 - 0.5)
        return range(a, max(a, b))

    def fill(self, band: NDArray[np.int64], x0: NDArray[np.float64], x1: NDArray[np.float64]) -> None:
        """Take many intervals at once (marks): merged per band, so the lists stay disjoint."""
        if len(band) == 0:
            return
        order = np.lexsort((x0, band))
        b, a, e = band[order], x0[order], x1[order]
        head = np.r_[True, b[1:] != b[:-1]]
        off = np.cumsum(head) * (float(e.max() - a.min()) + 10.0)
        reach = np.maximum.accumulate(e + off) - off
        new = head | np.r_[True, a[1:] > reach[:-1]]
        first = np.flatnonzero(new)
        ends = np.maximum.reduceat(e, first)
        for bb, s, t in zip(b[first].tolist(), a[first].tolist(), ends.tolist(), strict=True):
            self.starts[bb].append(s)
            self.ends[bb].append(t)

    def free(self, bands: range, x0: float, x1: float) -> bool:
        for b in bands:
            k = bisect_left(self.starts[b], x1)  # intervals starting left of x1: 0 .. k-1
            if k and self.ends[b][k - 1] > x0:
                return False
        return True

    def blockers(self, bands: range, x0: float, x1: float) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for b in bands:
            st, en = self.starts[b], self.ends[b]
            k = max(0, bisect_left(en, x0))  # ends are sorted as starts are (disjoint intervals)
            while k < len(st) and st[k] < x1:
                out.append((st[k], en[k]))
                k += 1
        return out

    def take(self, bands: range, x0: float, x1: float) -> None:
        for b in bands:
            k = bisect_left(self.starts[b], x0)
            self.starts[b].insert(k, x0)
            self.ends[b].insert(k, x1)


def band_edges(geometry: LaneGeometry, nrows: Sequence[int], step: float) -> list[float]:
    """Lane top, then per sub-row its glyph band and its label line, then the lane's bottom pad;
    each cut into bands at most ``step`` tall from its top, so a label takes little more than its height."""
    edges: list[float] = []
    g = geometry
    for pos, n in enumerate(nrows):
        top, bottom = float(g.top[pos]), float(g.top[pos] + g.height[pos])
        ys = [top]
        for r in range(max(1, n)):
            rt = float(g.row_top(pos, r))
            ys += [rt, rt + g.glyph_height]
        ys.append(bottom)
        ys = [min(max(y, top), bottom) for y in ys]
        if edges and abs(edges[-1] - ys[0]) < 1e-6:
            ys = ys[1:]
        edges += ys
    # strictly increasing (empty bands dropped), tall bands cut
    out: list[float] = []
    for y in edges:
        if not out:
            out.append(y)
            continue
        if y <= out[-1] + 1e-6:
            continue
        last = out[-1]
        k = 1
        while last + k * step < y - 0.5:
            out.append(last + k * step)
            k += 1
        out.append(y)
    return out
