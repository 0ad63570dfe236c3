"""Calendar ticks for the time axis, for any range from days to millions of years, BCE included.

The step is chosen from a calendar ladder (days, months, years in 1-2-5 steps) so that the
labels of neighbouring major ticks never collide at the given pixel width; generation is bounded
by that width, never by the data, so a zoomed-in view of a long timeline stays cheap.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .dates import MONTH_ABBR, civil_from_days, days_from_civil, days_in_month, year_label
from .scale import TimeScale

__all__ = ["Step", "Tick", "Ticks", "compute_scale_ticks", "compute_ticks", "default_measure"]

_MAX_YEAR_STEP = 10**12


@dataclass(frozen=True, slots=True)
class Step:
    """One rung of the ladder: every ``n`` days, months or years."""

    unit: str  # "day" | "month" | "year"
    n: int

    def approx_days(self) -> float:
        return self.n * {"day": 1.0, "month": 30.44, "year": 365.2425}[self.unit]


@dataclass(frozen=True, slots=True)
class Tick:
    value: float  # day number
    label: str


@dataclass(frozen=True, slots=True)
class Ticks:
    major: list[Tick]
    minor: list[float]
    step: Step | None


def default_measure(text: str) -> float:
    """A font-free width estimate (pixels) for tests and non-Qt callers."""
    return 7.0 * len(text)


def _ladder() -> Iterator[Step]:
    yield from (Step("day", 1), Step("day", 2), Step("day", 5), Step("day", 10))
    yield from (Step("month", 1), Step("month", 3), Step("month", 6))
    n = 1
    while n <= _MAX_YEAR_STEP:
        for m in (1, 2, 5):
            yield Step("year", n * m)
        n *= 10


_LADDER: tuple[Step, ...] = tuple(_ladder())


def _divides(minor: Step, major: Step) -> bool:
    if minor.unit != major.unit:
        return True
    return major.n % minor.n == 0 and major.n > minor.n


def _values(step: Step, x0: float, x1: float) -> Iterator[tuple[float, int, int, int]]:
    """Month or day tick positions inside ``[x0, x1]`` as (day, year, month, day-of-month)."""
    y0, m0, _ = civil_from_days(math.floor(x0))
    if step.unit == "month":
        k = (y0 * 12 + m0 - 1) // step.n * step.n
        while True:
            y, m = divmod(k, 12)
            v = float(days_from_civil(y, m + 1, 1))
            if v > x1:
                return
            if v >= x0:
                yield v, y, m + 1, 1
            k += step.n
    # days: day-of-month 1, 1+n, 1+2n, ... skipping a last one that would crowd the next month's 1st
    d0 = math.floor(x0)
    y, m, _ = civil_from_days(d0)
    while True:
        first = days_from_civil(y, m, 1)
        if first > x1:
            return
        dim = days_in_month(y, m)
        d = 1
        while d <= dim - (step.n // 2 if step.n > 1 else 0) or d == 1:
            v = float(first + d - 1)
            if v > x1:
                return
            if v >= x0:
                yield v, y, m, d
            d += step.n
        m += 1
        if m == 13:
            y, m = y + 1, 1


def _label(step: Step, y: int, m: int, d: int, with_year: bool) -> str:
    if step.unit == "year":
        return year_label(y)
    if step.unit == "month":
        return f"{MONTH_ABBR[m - 1]} {year_label(y)}"
    text = f"{d} {MONTH_ABBR[m - 1]}"
    return f"{text} {year_label(y)}" if with_year else text


def _year_values(step: Step, x0: float, x1: float) -> list[tuple[float, int]]:
    y0, _, _ = civil_from_days(math.floor(x0))
    y1, _, _ = civil_from_days(math.floor(x1))
    n = step.n
    out: list[tuple[float, int]] = []
    # CE: multiples of n; BCE: reader's years n, 2n, ... BCE, i.e. astronomical 1 - k*n.
    k_lo = max(1, -(-y0 // n))
    k_hi = y1 // n
    for k in range(k_lo, k_hi + 1):
        out.append((float(days_from_civil(k * n, 1, 1)), k * n))
    if y0 <= 0:
        # astronomical y = 1 - k*n for k >= 1 (and y = 0, i.e. 1 BCE, when n == 1)
        j_lo = max(1, -(-(1 - min(y1, 0)) // n))
        j_hi = (1 - y0) // n
        bce = [(float(days_from_civil(1 - j * n, 1, 1)), 1 - j * n) for j in range(j_lo, j_hi + 1)]
        out = sorted(bce) + out
    return [(v, y) for v, y in out if x0 <= v <= x1]


def _generate(step: Step, x0: float, x1: float) -> list[tuple[float, int, int, int]]:
    if step.unit == "year":
        return [(v, y, 1, 1) for v, y in _year_values(step, x0, x1)]
    return list(_values(step, x0, x1))


def compute_ticks(
    x0: float,
    x1: float,
    width_px: float,
    measure: Callable[[str], float] = default_measure,
    *,
    gap_px: float = 14.0,
    min_minor_px: float = 7.0,
) -> Ticks:
    """Major ticks with non-colliding labels and unlabelled minor ticks for ``[x0, x1]`` days.

    Labels are centred on their tick and kept inside ``[0, width_px]``; one that would spill
    over an edge keeps its tick and loses its text.
    """
    if not (math.isfinite(x0) and math.isfinite(x1)) or x1 <= x0 or width_px < 2:
        return Ticks([], [], None)
    px_per_day = width_px / (x1 - x0)
    # A label is at least a few characters wide: skip rungs that would produce too many ticks.
    min_spacing_px = measure("0000") + gap_px
    chosen: tuple[int, list[tuple[float, int, int, int]]] | None = None
    for k, step in enumerate(_LADDER):
        if step.approx_days() * px_per_day < min_spacing_px * 0.8:
            continue
        values = _generate(step, x0, x1)
        labels = [_label(step, y, m, d, False) for _, y, m, d in values]
        widths = [measure(t) for t in labels]
        pos = [(v - x0) * px_per_day for v, *_ in values]
        ok = all(pos[i + 1] - pos[i] >= (widths[i] + widths[i + 1]) / 2 + gap_px for i in range(len(pos) - 1))
        if ok:
            chosen = (k, values)
            break
    if chosen is None:
        return Ticks([], [], None)
    k, values = chosen
    step = _LADDER[k]
    major: list[Tick] = []
    year_shown = False
    for v, y, m, d in values:
        # Day labels omit the year except on the first labelled tick and on 1 January.
        px = (v - x0) * px_per_day
        text = _label(step, y, m, d, with_year=not year_shown or (m == 1 and d == 1))
        w = measure(text)
        if px - w / 2 < 0 or px + w / 2 > width_px:
            text = ""
        year_shown = year_shown or bool(text)
        major.append(Tick(v, text))
    # A year-bearing day label is wider than the one measured: drop a neighbour it would hit.
    last: Tick | None = None
    for i, t in enumerate(major):
        if not t.label:
            continue
        if last is not None:
            gap = (t.value - last.value) * px_per_day
            if gap < (measure(last.label) + measure(t.label)) / 2 + gap_px:
                major[i] = Tick(t.value, "")
                continue
        last = t
    minor: list[float] = []
    major_set = {t.value for t in major}
    for j in range(k - 1, -1, -1):
        sub = _LADDER[j]
        if not _divides(sub, step):
            continue
        if sub.approx_days() * px_per_day < min_minor_px:
            break
        vals = [v for v, *_ in _generate(sub, x0, x1)]
        if len(vals) > width_px / min_minor_px + 2:
            break
        minor = [v for v in vals if v not in major_set]
        break
    return Ticks(major, minor, step)


def compute_scale_ticks(
    scale: TimeScale,
    x0: float,
    x1: float,
    width_px: float,
    measure: Callable[[str], float] = default_measure,
    *,
    break_gap_px: float = 6.0,
) -> Ticks:
    """Ticks for ``[x0, x1]`` days drawn through ``scale`` over ``width_px``: ``compute_ticks``
    on each stretch between breaks, with its own pixel width (so labels never reach into a
    break, and keep ``break_gap_px`` clear of it); none inside a break. Every label names the
    true date of its tick. The linear scale gives exactly ``compute_ticks``."""
    if scale.identity or not scale.breaks:
        return compute_ticks(x0, x1, width_px, measure)
    if not (math.isfinite(x0) and math.isfinite(x1)) or x1 <= x0 or width_px < 2:
        return Ticks([], [], None)
    u0 = scale.to_units(x0)
    k = width_px / (scale.to_units(x1) - u0)
    major: list[Tick] = []
    minor: list[float] = []
    step: Step | None = None
    widest = -1.0
    for a, b, is_break in scale.pieces(x0, x1):
        if is_break:
            continue
        pa, pb = (scale.to_units(a) - u0) * k, (scale.to_units(b) - u0) * k
        lead = break_gap_px if a > x0 else 0.0  # a break on the left
        trail = break_gap_px if b < x1 else 0.0
        w = pb - pa - lead - trail
        if w < 2:
            continue
        # the piece is linear: its inner [a', b'] days span exactly w pixels
        per_px = (b - a) / (pb - pa)
        t = compute_ticks(a + lead * per_px, b - trail * per_px, w, measure)
        if not any(m.label for m in t.major):
            t = _one_label(a + lead * per_px, b - trail * per_px, w, measure) or t
        major += t.major
        minor += t.minor
        if w > widest:
            widest, step = w, t.step
    return Ticks(major, minor, step)


def _one_label(x0: float, x1: float, width_px: float, measure: Callable[[str], float]) -> Ticks | None:
    """A short stretch between breaks that got no label: one tick at its first new year (else
    its first new month) that fits, so every stretch says where it is."""
    k = width_px / (x1 - x0)
    for step in (Step("year", 1), Step("month", 1)):
        for v, y, m, d in _generate(step, x0, x1):
            text = _label(step, y, m, d, True)
            w = measure(text)
            x = (v - x0) * k
            if x - w / 2 >= 0 and x + w / 2 <= width_px:
                return Ticks([Tick(v, text)], [], step)
    return None
