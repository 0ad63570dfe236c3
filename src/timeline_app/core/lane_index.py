"""Per-lane indexes that keep drawing cost bounded by pixels or visible events, not by N.

Built once per data set. A filter change only recounts (one gather and two bincounts over the
lane copies) and repacks lanes left small; it never re-sorts. Three questions are answered fast:

* how many visible events touch each pixel column of a lane (density strips, spans included):
  cumulative counts of start bins and end bins, so a column costs two lookups;
* how many visible events touch ``[x0, x1]`` in a lane (whether to draw a strip or markers);
* which visible events touch ``[x0, x1]`` (markers, labels, hit tests): copies are grouped by
  duration class (powers of 4 days), each group sorted by start, so a window query pads its left
  edge only by its own group's longest duration; a few 20-year spans no longer drag every
  instant of those 20 years into every frame.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .layout import pack_rows

__all__ = ["LaneIndex", "depth_rows"]

PACK_LIMIT = 50_000  # lanes up to this size get exact greedy sub-rows at load; larger ones depth rows
REPACK_LIMIT = 5_000  # after a filter, lanes with at most this many visible events are packed afresh
MAX_ROWS = 8
MAX_BIN_CELLS = 1 << 23  # lanes x bins: the count tables stay below ~130 MB even with many lanes
MAX_BINS = 1 << 16


def depth_rows(
    start: NDArray[np.float64], end: NDArray[np.float64], max_rows: int = MAX_ROWS
) -> tuple[NDArray[np.int32], int]:
    """Vectorised sub-rows for huge lanes: an event's row is how many events are still open at its
    start (mod ``max_rows``). Not collision-free like ``pack_rows``, but O(n log n) in numpy; a
    lane this dense overflows ``max_rows`` anyway.
    """
    n = len(start)
    if n == 0:
        return np.zeros(0, np.int32), 0
    open_at = np.arange(n) - np.searchsorted(np.sort(end), start, side="right")
    rows = (np.maximum(open_at, 0) % max_rows).astype(np.int32)
    return rows, int(rows.max()) + 1


def _duration_class(duration: NDArray[np.float64]) -> NDArray[np.int64]:
    d = np.maximum(duration, 1.0)
    return np.clip(np.floor(np.log(d) / math.log(4.0)), 0, 40).astype(np.int64)


class LaneIndex:
    """The copies of every event in every lane it belongs to, indexed for windows and counts."""

    def __init__(
        self,
        start: NDArray[np.float64],
        end: NDArray[np.float64],
        lane_events: Sequence[NDArray[np.int64]],
    ) -> None:
        self.n_lanes = len(lane_events)
        sizes = np.array([len(ev) for ev in lane_events], dtype=np.int64)
        self.lane_ptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        n_copies = int(self.lane_ptr[-1])
        idx = np.empty(n_copies, np.int64)
        rows = np.empty(n_copies, np.int32)
        self.base_nrows = np.zeros(self.n_lanes, np.int64)
        self._class_ptr: list[NDArray[np.int64]] = []  # per lane: group boundaries (absolute)
        self._class_maxdur: list[NDArray[np.float64]] = []
        self._by_start: list[NDArray[np.int64]] = []  # per lane: copy positions in time order
        for a, ev in enumerate(lane_events):
            lo = int(self.lane_ptr[a])
            s, e = start[ev], end[ev]
            r, nr = pack_rows(s, e, MAX_ROWS) if len(ev) <= PACK_LIMIT else depth_rows(s, e)
            cls = _duration_class(e - s)
            order = np.argsort(cls, kind="stable")  # by class, then time (ev is in time order)
            idx[lo : lo + len(ev)] = ev[order]
            rows[lo : lo + len(ev)] = r[order]
            by_start = np.empty(len(ev), np.int64)
            by_start[order] = np.arange(len(ev))
            self._by_start.append(lo + by_start)
            cls_sorted = cls[order]
            bounds = np.flatnonzero(np.r_[True, cls_sorted[1:] != cls_sorted[:-1], True]) if len(ev) else np.zeros(1)
            ptr = lo + bounds.astype(np.int64)
            self._class_ptr.append(ptr)
            dur = (e - s)[order]
            self._class_maxdur.append(
                np.array([dur[ptr[k] - lo : ptr[k + 1] - lo].max() for k in range(len(ptr) - 1)], np.float64)
            )
            self.base_nrows[a] = nr
        self.idx = idx
        self.start = np.ascontiguousarray(start[idx])
        # every lane's duration groups as one sorted sequence: (group number, start) as complex
        # numbers, which numpy orders by real then imaginary part, so one searchsorted answers a
        # window for all groups of all lanes (``windows``)
        self._group_ptr = np.concatenate([ptr[:-1] for ptr in self._class_ptr] + [[n_copies]]).astype(np.int64)
        self._group_lane = np.repeat(np.arange(self.n_lanes), [len(ptr) - 1 for ptr in self._class_ptr])
        self._group_maxdur = np.concatenate([*self._class_maxdur, np.zeros(0)])
        self._lane_groups = np.searchsorted(self._group_lane, np.arange(self.n_lanes + 1)).tolist()
        group_of = np.repeat(np.arange(len(self._group_maxdur)), np.diff(self._group_ptr))
        self._key = group_of.astype(np.float64) + 1j * self.start
        self.end = np.ascontiguousarray(end[idx])
        self.base_rows = rows
        self.lane_of = np.repeat(np.arange(self.n_lanes, dtype=np.int64), sizes)
        # Time bins for counting: one day wide where that fits, padded by an empty bin each side.
        if n_copies:
            t0, t1 = float(self.start.min()), float(self.end.max())
        else:
            t0, t1 = 0.0, 1.0
        budget = max(64, min(MAX_BINS, MAX_BIN_CELLS // max(1, self.n_lanes)))
        self.bin_days = max(1.0, (t1 - t0) / (budget - 4))
        self.t0 = math.floor(t0) - self.bin_days
        self.n_bins = math.ceil((t1 - self.t0) / self.bin_days) + 2
        bs = self._bin(self.start)
        be = np.maximum(np.ceil((self.end - self.t0) / self.bin_days).astype(np.int64) - 1, bs)
        self._key_s = self.lane_of * self.n_bins + bs
        self._key_e = self.lane_of * self.n_bins + np.minimum(be, self.n_bins - 1)
        self.set_mask(None)

    # -- filtering ---------------------------------------------------------------------------

    def set_mask(self, visible: NDArray[np.bool_] | None) -> None:
        """Recount for a new filter (bool per store index; None = all)."""
        shape = (self.n_lanes, self.n_bins)
        if visible is None:
            self.copy_visible: NDArray[np.bool_] | None = None
            ks, ke = self._key_s, self._key_e
        else:
            m = np.asarray(visible, dtype=bool)[self.idx]
            self.copy_visible = m
            ks, ke = self._key_s[m], self._key_e[m]
        size = self.n_lanes * self.n_bins
        self._cs = np.cumsum(np.bincount(ks, minlength=size).reshape(shape), axis=1)
        self._ce = np.cumsum(np.bincount(ke, minlength=size).reshape(shape), axis=1)
        self.counts = self._cs[:, -1].copy() if self.n_bins else np.zeros(self.n_lanes, np.int64)
        self.rows = self.base_rows
        self.nrows = self.base_nrows.copy()
        if self.copy_visible is None:
            return
        for a in range(self.n_lanes):
            total = int(self.lane_ptr[a + 1] - self.lane_ptr[a])
            if self.counts[a] == total or self.counts[a] > REPACK_LIMIT:
                continue
            if self.rows is self.base_rows:
                self.rows = self.base_rows.copy()
            pos = self._by_start[a]
            pos = pos[self.copy_visible[pos]]
            r, nr = pack_rows(self.start[pos], self.end[pos], MAX_ROWS)
            self.rows[pos] = r
            self.nrows[a] = max(nr, 1)

    # -- queries -----------------------------------------------------------------------------

    def _bin(self, x: NDArray[np.float64]) -> NDArray[np.int64]:
        b = np.floor((np.asarray(x, dtype=np.float64) - self.t0) / self.bin_days).astype(np.int64)
        return np.clip(b, 0, self.n_bins - 1)

    def _bin1(self, x: float) -> int:
        return min(max(math.floor((x - self.t0) / self.bin_days), 0), self.n_bins - 1)

    def count(self, lane: int, x0: float, x1: float) -> int:
        """Visible events of ``lane`` touching ``[x0, x1)``, rounded out to whole bins."""
        p, q = self._bin1(x0), self._bin1(max(x0, x1 - 1e-9))
        return int(self._cs[lane, q] - (self._ce[lane, p - 1] if p > 0 else 0))

    def coverage(self, lane: int, x0: float, x1: float, width: int) -> NDArray[np.int64]:
        """Visible events of ``lane`` touching each of ``width`` equal columns of ``[x0, x1)``.

        A span counts in every column it covers. Columns narrower than a bin are counted from the
        events themselves (exact); wider ones from the bin tables (edges rounded out to bins).
        """
        width = max(1, int(width))
        step = (x1 - x0) / width
        if step < self.bin_days:
            return self._coverage_exact(lane, x0, x1, width)
        edges = x0 + step * np.arange(width + 1)
        p = self._bin(edges[:-1])
        q = np.maximum(self._bin(edges[1:] - step * 1e-9), p)
        cs, ce = self._cs[lane], self._ce[lane]
        before = np.where(p > 0, ce[np.maximum(p - 1, 0)], 0)
        return (cs[q] - before).astype(np.int64)

    def coverages(self, lanes: Sequence[int], x0: float, x1: float, width: int) -> list[NDArray[np.int64]]:
        """``coverage`` for each of ``lanes`` at once (the same counts)."""
        width = max(1, int(width))
        step = (x1 - x0) / width
        n = len(lanes)
        if n == 0:
            return []
        if step >= self.bin_days:
            edges = x0 + step * np.arange(width + 1)
            p = self._bin(edges[:-1])
            q = np.maximum(self._bin(edges[1:] - step * 1e-9), p)
            rows = np.asarray(lanes, dtype=np.int64)[:, None]
            before = np.where(p > 0, self._ce[rows, np.maximum(p - 1, 0)], 0)
            return list((self._cs[rows, q] - before).astype(np.int64))
        pos, which = self._touching(lanes, x0, x1)
        keep = self.start[pos] < x1
        pos, which = pos[keep], which[keep]
        k = width / (x1 - x0)
        a = np.clip(np.floor((self.start[pos] - x0) * k).astype(np.int64), 0, width - 1)
        b = np.clip(np.ceil((self.end[pos] - x0) * k).astype(np.int64) - 1, a, width - 1)
        cols = width + 1
        diff = np.bincount(which * cols + a, minlength=n * cols) - np.bincount(which * cols + b + 1, minlength=n * cols)
        return list(np.cumsum(diff.reshape(n, cols)[:, :width], axis=1).astype(np.int64))

    def _coverage_exact(self, lane: int, x0: float, x1: float, width: int) -> NDArray[np.int64]:
        pos = self.window(lane, x0, x1)
        pos = pos[self.start[pos] < x1]
        k = width / (x1 - x0)
        a = np.clip(np.floor((self.start[pos] - x0) * k).astype(np.int64), 0, width - 1)
        b = np.clip(np.ceil((self.end[pos] - x0) * k).astype(np.int64) - 1, a, width - 1)
        diff = np.bincount(a, minlength=width + 1) - np.bincount(b + 1, minlength=width + 1)
        return np.cumsum(diff[:width]).astype(np.int64)

    def window(self, lane: int, x0: float, x1: float) -> NDArray[np.int64]:
        """Copy positions of the visible events of ``lane`` touching ``[x0, x1]``, in time order."""
        ptr = self._class_ptr[lane]
        maxdur = self._class_maxdur[lane]
        parts: list[NDArray[np.int64]] = []
        for k in range(len(ptr) - 1):
            lo, hi = int(ptr[k]), int(ptr[k + 1])
            st = self.start[lo:hi]
            j0 = int(np.searchsorted(st, x0 - maxdur[k], side="left"))
            j1 = int(np.searchsorted(st, x1, side="right"))
            if j1 > j0:
                parts.append(np.arange(lo + j0, lo + j1, dtype=np.int64))
        if not parts:
            return np.zeros(0, np.int64)
        pos = np.concatenate(parts)
        keep = self.end[pos] > x0
        if self.copy_visible is not None:
            keep &= self.copy_visible[pos]
        pos = pos[keep]
        return pos[np.argsort(self.idx[pos], kind="stable")]

    def windows(self, lanes: Sequence[int], x0: float, x1: float) -> list[NDArray[np.int64]]:
        """``window`` for each of ``lanes`` at once (the same positions, in the same order)."""
        pos, which = self._touching(lanes, x0, x1)
        order = np.lexsort((self.idx[pos], which))  # lane by lane, each in time order
        pos, which = pos[order], which[order]
        cut = np.searchsorted(which, np.arange(len(lanes) + 1)).tolist()
        return [pos[cut[k] : cut[k + 1]] for k in range(len(lanes))]

    def _touching(self, lanes: Sequence[int], x0: float, x1: float) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Copy positions of the visible events touching ``[x0, x1]`` in ``lanes``, and for each
        the lane's place in ``lanes``: one searchsorted over all their duration groups."""
        spans = [(self._lane_groups[a], self._lane_groups[a + 1]) for a in lanes]
        groups = np.concatenate([np.arange(lo, hi) for lo, hi in spans] + [np.zeros(0)]).astype(np.int64)
        g = groups.astype(np.float64)
        j0 = np.searchsorted(self._key, g + 1j * (x0 - self._group_maxdur[groups]), side="left")
        j1 = np.searchsorted(self._key, g + 1j * x1, side="right")
        n = np.maximum(j1 - j0, 0)
        total = int(n.sum())
        starts = np.cumsum(n) - n
        pos = np.arange(total, dtype=np.int64) + np.repeat(j0 - starts, n)
        which = np.repeat(np.repeat(np.arange(len(lanes)), [hi - lo for lo, hi in spans]), n)
        keep = self.end[pos] > x0
        if self.copy_visible is not None:
            keep &= self.copy_visible[pos]
        return pos[keep], which[keep]

    def lane_positions(self, lane: int) -> NDArray[np.int64]:
        """All visible copy positions of ``lane``, in time order."""
        pos = self._by_start[lane]
        return pos if self.copy_visible is None else pos[self.copy_visible[pos]]
