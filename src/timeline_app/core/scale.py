"""Time scales: how days map to view units along the time axis (Qt-free).

The view works in *view units*: the ViewBox's x coordinate, in which pan and zoom are linear.
The linear scale is the identity (one unit a day). The compressed scale is piecewise linear:
each long stretch with no event start or end becomes an *axis break*, squeezed to a narrow band
that the axis marks as a break, and the stretches between breaks share the width by how many
events they hold: the densest keeps one unit a day, a sparser one fewer (never under
``MIN_STRETCH_SLOPE``), so room goes where the events are, as in Timeline Storyteller's sequential
scale, while each stretch stays linear, with its own true ticks, and a break mark stands at every
change of pace. Dates on either side stay true (a date maps to the same place whatever the
zoom); a span that crosses a break is drawn through it. Every mapping is strictly increasing, so
it has an inverse, which hit testing and the overview strip use (Timeline Storyteller's
chronological and sequential scales, and thetimelineproj's "compress", are the references).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "DEFAULT_SCALE",
    "LINEAR",
    "SCALE_LABELS",
    "SCALE_NAMES",
    "Break",
    "TimeScale",
    "build_scale",
    "build_scale_shown",
    "check_scale_name",
]

SCALE_NAMES = ("compressed", "linear")
SCALE_LABELS = {"compressed": "Compressed (breaks over empty years)", "linear": "Linear"}
# Compressed reads best on the bundled data: 25 of its 33 events fall in 2018-2021, and the
# empty 2003-2010 and 2013-2017 become breaks, so 2018-2021 gets 36 % of the width, not 17 %.
# A data set without long empty stretches gets no break, and looks as under the linear scale.
DEFAULT_SCALE = "compressed"

GAP_FRACTION = 1 / 20  # an empty stretch longer than this share of the whole span may break
MIN_GAP_DAYS = 540.0  # and longer than this: a break never hides less than a year and a half
MIN_SAVED = 0.2  # breaks are made only if together they save this share of the span
MARGIN_FRACTION = 0.12  # of each gap kept linear on either side, so events keep room beside it
MAX_MARGIN_FRACTION = 0.01  # ... but no more than this share of the span
BREAK_FRACTION = 0.025  # each break's width, as a share of the compressed length
MAX_BREAKS = 12
# Between breaks, a stretch's units a day follow its events a day, relative to the densest long
# stretch (one unit a day), but a sparse stretch keeps at least this pace: its few events still
# need room beside each other, and its years stay comparable to the dense ones'.
MIN_STRETCH_SLOPE = 0.4


@dataclass(frozen=True, slots=True)
class Break:
    """A stretch of ``[start, end]`` days drawn in ``[u0, u1]`` view units, marked on the axis."""

    start: float
    end: float
    u0: float
    u1: float

    @property
    def days(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class TimeScale:
    """A strictly increasing piecewise-linear map between days and view units; outside its
    knots it continues at one unit a day. With no knots it is the identity (linear)."""

    name: str = "linear"
    knots_days: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    knots_units: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    breaks: tuple[Break, ...] = ()

    @property
    def identity(self) -> bool:
        return len(self.knots_days) == 0

    def _end_slopes(self) -> tuple[float, float]:
        """Units a day of the first and last stretches, which go on past the knots: the stretch
        before a break stays one linear piece however far the view is panned."""
        d, u = self.knots_days, self.knots_units
        return float((u[1] - u[0]) / (d[1] - d[0])), float((u[-1] - u[-2]) / (d[-1] - d[-2]))

    def to_units(self, days: Any) -> Any:
        """View units of ``days`` (a number or an array)."""
        if self.identity:
            return days
        d, u = self.knots_days, self.knots_units
        lo, hi = self._end_slopes()
        x = np.asarray(days, dtype=np.float64)
        out = np.interp(x, d, u) + lo * np.minimum(x - d[0], 0) + hi * np.maximum(x - d[-1], 0)
        return float(out) if out.ndim == 0 else out

    def to_days(self, units: Any) -> Any:
        """The inverse of ``to_units``."""
        if self.identity:
            return units
        d, u = self.knots_days, self.knots_units
        lo, hi = self._end_slopes()
        x = np.asarray(units, dtype=np.float64)
        out = np.interp(x, u, d) + np.minimum(x - u[0], 0) / lo + np.maximum(x - u[-1], 0) / hi
        return float(out) if out.ndim == 0 else out

    def pieces(self, x0: float, x1: float) -> list[tuple[float, float, bool]]:
        """``[x0, x1]`` days cut at the break edges: (start, end, is_break) pieces, in order,
        each mapped linearly."""
        cuts = [x0]
        kinds: list[bool] = []
        for b in self.breaks:
            if b.end <= x0 or b.start >= x1:
                continue
            if b.start > cuts[-1]:
                cuts.append(b.start)
                kinds.append(False)
            cuts.append(min(b.end, x1))
            kinds.append(True)
        if cuts[-1] < x1:
            cuts.append(x1)
            kinds.append(False)
        return [(cuts[i], cuts[i + 1], kinds[i]) for i in range(len(kinds))]


LINEAR = TimeScale()


def check_scale_name(name: str) -> str:
    """``name`` if it names a scale; otherwise a ValueError that lists the names."""
    if name not in SCALE_NAMES:
        raise ValueError(f"unknown time scale {name!r}; the scales are: {', '.join(SCALE_NAMES)}")
    return name


def build_scale(name: str, start: NDArray[np.float64], end: NDArray[np.float64]) -> TimeScale:
    """The scale ``name`` for events spanning ``[start, end]`` days (``start`` sorted, as in the
    store; ``end`` in the same order). Linear is the identity; compressed breaks the longest
    stretches holding no event start or end. Cost: O(n) over the events, O(k log k) over the
    few candidate gaps."""
    check_scale_name(name)
    if name == "linear" or len(start) < 2:
        return LINEAR
    start = np.asarray(start, dtype=np.float64)
    end = np.asarray(end, dtype=np.float64)
    lo = float(start[0])
    hi = float(end.max())
    span = hi - lo
    min_gap = max(span * GAP_FRACTION, MIN_GAP_DAYS)
    if span <= 0 or span < 2 * min_gap:
        return LINEAR
    gaps = _empty_stretches(start, end, min_gap)
    if not gaps:
        return LINEAR
    gaps.sort(key=lambda g: g[1] - g[0], reverse=True)
    gaps = sorted(gaps[:MAX_BREAKS])
    margins = [min((b - a) * MARGIN_FRACTION, span * MAX_MARGIN_FRACTION) for a, b in gaps]
    cut = [(a + m, b - m) for (a, b), m in zip(gaps, margins, strict=True)]
    saved = sum(b - a for a, b in cut)
    if saved < span * MIN_SAVED:
        return LINEAR
    edges = [lo, *(x for ab in cut for x in ab), hi]
    stretches = list(zip(edges[::2], edges[1::2], strict=True))
    slopes = _stretch_slopes(stretches, start, end)
    kept = sum((b - a) * k for (a, b), k in zip(stretches, slopes, strict=True))
    width = BREAK_FRACTION * kept / (1 - BREAK_FRACTION * len(cut))
    knots_d = [lo]
    knots_u = [lo]
    breaks: list[Break] = []
    for (a0, a), k, (_, b) in zip(stretches, slopes, cut, strict=False):  # each stretch, then its break
        ua = knots_u[-1] + (a - a0) * k
        knots_d += [a, b]
        knots_u += [ua, ua + width]
        breaks.append(Break(a, b, ua, ua + width))
    knots_d.append(hi)
    knots_u.append(knots_u[-1] + (hi - knots_d[-2]) * slopes[-1])
    return TimeScale("compressed", np.array(knots_d, np.float64), np.array(knots_u, np.float64), tuple(breaks))


def _stretch_slopes(
    stretches: list[tuple[float, float]], start: NDArray[np.float64], end: NDArray[np.float64]
) -> list[float]:
    """Units a day of each stretch between breaks: its events a day (starts, and the ends of
    spans) over those of the densest stretch at least ``MIN_GAP_DAYS`` long, kept within
    ``[MIN_STRETCH_SLOPE, 1]``. Short stretches (a margin beside a break, the end of one long
    span) do not set the reference: a pile of events on one day needs no more days drawn, so
    no stretch is drawn at more than one unit a day."""
    span_ends = end[end - start > 2.0]
    points = np.sort(np.concatenate([start, span_ends]))
    counts, days = [], []
    for a, b in stretches:
        counts.append(float(np.searchsorted(points, b, side="right") - np.searchsorted(points, a, side="left")))
        days.append(max(b - a, 1.0))
    density = [c / d for c, d in zip(counts, days, strict=True)]
    long = [r for r, d in zip(density, days, strict=True) if d >= MIN_GAP_DAYS] or density
    top = max(long)
    if top <= 0:
        return [1.0] * len(stretches)
    return [min(1.0, max(MIN_STRETCH_SLOPE, r / top)) for r in density]


def build_scale_shown(
    name: str, start: NDArray[np.float64], end: NDArray[np.float64], mask: NDArray[np.bool_] | None
) -> TimeScale:
    """``build_scale`` for the events where ``mask`` is true (None: all), without copying the
    columns when no break can come of it: a gap longer than ``MIN_GAP_DAYS`` holds a whole bin
    of half that width with no start, so one count of shown starts per bin (a ``reduceat`` over
    the mask: a few ms at 1M events) rules breaks out before any event is looked at."""
    check_scale_name(name)
    if name == "linear" or len(start) < 2:
        return LINEAR
    if mask is None:
        return build_scale(name, start, end)
    if not mask.any():
        return LINEAR
    first = int(np.argmax(mask))
    last = len(mask) - 1 - int(np.argmax(mask[::-1]))
    lo, hi = float(start[first]), float(start[last])
    width = MIN_GAP_DAYS / 2
    bins = int((hi - lo) // width) + 1
    # More inner bins than shown starts leaves one empty, so the count cannot rule breaks out (and
    # billions of years would be billions of bins): go straight to the full search.
    if hi - lo > 2 * width and bins - 1 <= int(np.count_nonzero(mask)):
        edges = lo + width * np.arange(bins)
        pos = np.searchsorted(start, edges, side="left")
        counts = np.add.reduceat(mask, pos, dtype=np.int64) if len(pos) else np.zeros(0, np.int64)
        counts[np.diff(np.append(pos, len(mask))) == 0] = 0  # reduceat gives a[i] for empty slices
        inner = counts[:-1]  # the last bin runs to the end of the store: not wholly inside
        if len(inner) and inner.min() > 0:
            return LINEAR
    return build_scale(name, start[mask], end[mask])


def _empty_stretches(start: NDArray[np.float64], end: NDArray[np.float64], min_gap: float) -> list[tuple[float, float]]:
    """Stretches longer than ``min_gap`` with no event start or end in them.

    Starts are sorted, so gaps between starts are one ``diff``; the few candidates are then cut
    at the ends that fall inside them (one ``searchsorted`` of the ends into the candidates)."""
    d = np.diff(start)
    cand = np.flatnonzero(d > min_gap)
    if not len(cand):
        return []
    a = start[cand]
    b = start[cand + 1]
    slot = np.searchsorted(a, end, side="right") - 1  # candidate gap whose left edge is before each end
    inside = (slot >= 0) & (end > a[np.maximum(slot, 0)]) & (end < b[np.maximum(slot, 0)])
    cuts: dict[int, list[float]] = {}
    for k, e in zip(slot[inside].tolist(), end[inside].tolist(), strict=True):
        cuts.setdefault(k, []).append(e)
    out: list[tuple[float, float]] = []
    for k in range(len(cand)):
        edges = [float(a[k]), *sorted(set(cuts.get(k, []))), float(b[k])]
        out += [(x, y) for x, y in itertools.pairwise(edges) if y - x > min_gap]
    return out
