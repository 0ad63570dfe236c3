"""Label placement without Qt: every competing event gets its full title beside its own mark, on
one line or wrapped to two, or else a small number that a key lists.

After Labella.js: a label starts from its ideal spot (beginning at its mark, under it) and is pushed
along the axis to the nearest free place that still covers its mark; if its own label line is full
it goes to the label lines of the rows below or above in its lane, in stacked layers, joined to the
mark by a vertical leader. Nothing placed ever overlaps: labels, marks, leaders and numbers are kept
as merged x-intervals per horizontal band of the lanes (a glyph band and a label line per sub-row),
so a leader crosses no label's text and no label covers a leader. The view supplies text widths
through ``measure``; the caller lays out without the selection or the hover, so neither moves a label.
Label forms are in ``label_forms``, the free-space bands in ``label_bands``, numbers' key in ``label_key``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .label_bands import Bands, band_edges
from .label_forms import Measure, add_suffixes, wrap_two
from .label_key import number_text
from .layout import LaneGeometry

__all__ = ["LabelLayout", "PlacedLabel", "PlacedNumber", "place"]

MAX_LAYERS = 64  # label layers tried below a mark, a line apart
WRAP_COST = 1.0  # under the mark, two lines cost as much as this many lines pushed along the axis
FAN_LAYERS = 16  # the column left of a crowd reaches this many lines down
FAN_REACH = 3.0  # a label k lines below its mark may sit up to k * FAN_REACH lines left of it,
FAN_WIDTHS = 0.5  # ... but no more than this many of its widths, its leader no longer than one width
PASS_ONE_PUSH = 4.0  # a label under its mark may be pushed this many lines along the axis


@dataclass(frozen=True, slots=True)
class PlacedLabel:
    owner: int  # position in the competitors
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...]
    leader: tuple[float, float, float, float] | None = None  # x0, y0 at the mark to x1, y1 at the label


@dataclass(frozen=True, slots=True)
class PlacedNumber:
    owner: int
    number: int
    x: float
    y: float
    width: float
    height: float
    text: str = ""  # what the chip shows: this number, or those of a cluster ("7–9")


@dataclass
class LabelLayout:
    labels: list[PlacedLabel] = field(default_factory=list)
    numbers: list[PlacedNumber] = field(default_factory=list)  # in number order


def place(
    titles: Sequence[str],
    mark: NDArray[np.float64],
    lane: NDArray[np.int64],
    row: NDArray[np.int64],
    priority: NDArray[np.float64],
    geometry: LaneGeometry,
    nrows: Sequence[int],
    obstacles: NDArray[np.float64],
    measure: Measure,
    line_height: float,
    *,
    number_measure: Measure | None = None,
    number_height: float = 0.0,
    numbering: bool = True,
    x_min: float,
    x_max: float,
    gap: float = 8.0,
    pad: float = 4.0,
    max_labels: int = 300,
    two_line: Sequence[tuple[tuple[str, str], float] | None] | None = None,
    widths: Sequence[float] | None = None,
    suffixes: Sequence[str] | None = None,
) -> LabelLayout:
    """Labels (or numbers) for competitors in time order (``titles``, ``mark`` rows ``[x0, y0, x1,
    y1]`` of each one's mark, its lane position and sub-row); ``obstacles`` are every drawn mark.

    Competitors go highest ``priority`` first (ties: earlier first). Each tries, in order: under its
    mark on one line, right of it, left of it, under it on two lines, then the label lines of the
    rows below and above in its lane (one line, then two) with a leader. Those that find no room
    get numbers 1, 2, ... in time order, drawn beside the mark where free, else in the free place
    nearest it (a chip covers a mark or badge only when there is none within a few chip widths).

    ``suffixes``: text a label carries after its title (an export's note numbers, "[3, 7]"), on its
    last line and never split from it; its width is part of the label's, so it overlaps nothing.
    """
    n = len(titles)
    out = LabelLayout()
    if n == 0:
        return out
    edges = band_edges(geometry, nrows, max(2.0, line_height / 2))
    bands = Bands(edges)  # labels, leaders and numbers
    marks = Bands(edges)  # marks: a label may not cover one, a leader may cross one
    half = gap / 2
    if len(obstacles):
        ob = np.asarray(obstacles, np.float64).reshape(-1, 4)
        y0s = np.asarray(bands.y0)
        y1s = np.asarray(bands.y1)
        first = np.searchsorted(y1s, ob[:, 1] + 0.5, side="right")
        last = np.searchsorted(y0s, ob[:, 3] - 0.5, side="left")
        count = np.maximum(last - first, 0)
        which = np.repeat(np.arange(len(ob)), count)
        band = np.repeat(first, count) + (np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count))
        marks.fill(band.astype(np.int64), ob[which, 0] - half, ob[which, 2] + half)
    g = geometry
    glyph = g.glyph_height
    th = line_height
    w1 = list(widths) if widths is not None else [measure(t) for t in titles]
    wraps = list(two_line) if two_line is not None else [wrap_two(t, measure) for t in titles]
    one_line = [" ".join(t.split()) for t in titles]
    if suffixes is not None:
        add_suffixes(one_line, w1, wraps, suffixes, measure)
    lane_l, row_l = lane.tolist(), row.tolist()
    mk = np.asarray(mark, np.float64).tolist()
    prio = np.asarray(priority, np.float64)
    placed = [False] * n
    n_labels = 0
    # where each mark's leader would leave it: the middle of a diamond, near the start of a bar
    lead_x = [
        min(max((m[0] + m[2]) / 2, m[0] + 1), m[2] - 1) if m[2] - m[0] <= 40 else min(m[0] + pad, m[2] - 1) for m in mk
    ]
    # the events of one cluster share its mark: their leaders leave it side by side
    sharing: dict[tuple[float, ...], list[int]] = {}
    for o in range(n):
        sharing.setdefault(tuple(mk[o]), []).append(o)
    for members in sharing.values():
        if len(members) > 1:
            m = mk[members[0]]
            room = min(m[2] - m[0], 40.0) - 4.0
            for j, o in enumerate(members):
                lead_x[o] = lead_x[o] + room * (j / (len(members) - 1) - 0.5)
    # per lane, every mark's leader x and sub-row, by x: a label must leave a corridor for the
    # leaders of the marks above it that have no label yet
    corridors: dict[int, list[tuple[float, int, int]]] = {}
    for k in np.argsort(lead_x, kind="stable").tolist():
        corridors.setdefault(lane_l[k], []).append((lead_x[k], row_l[k], k))

    def covers_mark_above(o: int, x0: float, x1: float) -> bool:
        """Whether ``[x0, x1]`` in ``o``'s row sits under the leader's way of another unlabelled
        mark of its row or a row above."""
        wl = corridors[lane_l[o]]
        a = bisect_left(wl, (x0, -1, -1))
        b = bisect_right(wl, (x1, 1 << 30, 1 << 30))
        me, r = mk[o], row_l[o]
        return any(c[1] <= r and not placed[c[2]] and c[2] != o and mk[c[2]] != me for c in wl[a:b])

    def bars_a_way_down(o: int, x0: float, x1: float, y: float) -> bool:
        """Whether ``[x0, x1]`` at ``y`` lies across the leader's way of an unlabelled mark above
        it in ``o``'s lane (one that may still want a label below it)."""
        wl = corridors[lane_l[o]]
        a = bisect_left(wl, (x0, -1, -1))
        b = bisect_right(wl, (x1, 1 << 30, 1 << 30))
        me = mk[o]
        return any(not placed[c[2]] and c[2] != o and mk[c[2]] != me and mk[c[2]][3] <= y for c in wl[a:b])

    def fits(x0: float, x1: float, y0: float, y1: float) -> bool:
        span = bands.span(y0, y1)
        return bands.free(span, x0 - half, x1 + half) and marks.free(span, x0 - half, x1 + half)

    def slide(lo: float, hi: float, ideal: float, w: float, y0: float, y1: float) -> list[float]:
        """Free x positions in ``[lo, hi]`` for a ``w``-wide label on ``[y0, y1)``, nearest ``ideal``
        first: one per gap between what is taken there (merged), the one nearest ``ideal``."""
        lo, hi = max(lo, x_min), min(hi, x_max - w)
        if hi < lo:
            return []
        span = bands.span(y0, y1)
        block = sorted(bands.blockers(span, lo - half, hi + w + half) + marks.blockers(span, lo - half, hi + w + half))
        xs: list[float] = []
        left_edge = -np.inf
        for s0, e0 in [*block, (np.inf, np.inf)]:
            if s0 > left_edge:  # a gap from left_edge to s0: x in [left_edge + half, s0 - half - w]
                a, b = max(lo, left_edge + half), min(hi, s0 - half - w)
                if a <= b + 1e-9:
                    xs.append(min(max(ideal, a), b))
            left_edge = max(left_edge, e0)
        xs.sort(key=lambda x: (abs(x - ideal), x))
        return xs[:12]

    def leader_path(x0: float, y0: float, x1: float, y1: float) -> list[tuple[int, float]]:
        """The bands a straight leader from (x0, y0) to (x1, y1) crosses, with its x in each."""
        lo, hi = min(y0, y1), max(y0, y1)
        out = []
        for band in bands.span(lo, hi):
            yb = (max(bands.y0[band], lo) + min(bands.y1[band], hi)) / 2
            out.append((band, x0 + (x1 - x0) * (yb - y0) / (y1 - y0) if y1 != y0 else x0))
        return out

    def forms_of(o: int) -> list[tuple[tuple[str, ...], float]]:
        forms: list[tuple[tuple[str, ...], float]] = [((one_line[o],), w1[o])]
        if wraps[o] is not None:
            forms.append(wraps[o])  # type: ignore[arg-type]
        return forms

    def lane_bounds(o: int) -> tuple[float, float]:
        pos = lane_l[o]
        return float(g.top[pos]), float(g.top[pos] + g.height[pos])

    def accept(choice: PlacedLabel) -> None:
        nonlocal n_labels
        if choice.leader is not None:
            for band, xb in leader_path(*choice.leader):
                bands.take(range(band, band + 1), xb - 1.5, xb + 1.5)
        bands.take(bands.span(choice.y, choice.y + choice.height), choice.x - half, choice.x + choice.width + half)
        out.labels.append(choice)
        placed[choice.owner] = True
        n_labels += 1

    def near(o: int, strict: bool) -> PlacedLabel | None:
        """On the label line right under the mark (pushed along the axis but still over it) or beside
        it; ``strict``: only where that leaves the marks above their corridor."""
        mx0, my0, mx1, my1 = mk[o]
        top, bottom = lane_bounds(o)
        cover = min(8.0, (mx1 - mx0) / 2)
        own = float(g.row_top(lane_l[o], row_l[o])) + glyph
        best: tuple[float, PlacedLabel] | None = None
        for f_no, (lines, w) in enumerate(forms_of(o)):
            h = th * len(lines)
            if own + h > bottom + 0.5:
                continue
            for x in slide(mx0 + cover - w, mx1 - cover, mx0, w, own, own + h):
                if not strict or not covers_mark_above(o, x - half, x + w + half):
                    cost = abs(x - mx0) + f_no * th * WRAP_COST
                    if best is None or cost < best[0]:
                        best = (cost, PlacedLabel(o, x, own, w, h, lines))
                    break
        lines, w = forms_of(o)[0]
        y = (my0 + my1) / 2 - th / 2
        if top - 0.5 <= y and y + th <= bottom + 0.5:
            for cost, x in ((th * 0.8, mx1 + pad), (th * 1.6, mx0 - pad - w)):
                better = (best is None or cost < best[0]) and x_min <= x <= x_max - w
                free = better and fits(x, x + w, y, y + th)
                if free and (not strict or not covers_mark_above(o, x - half, x + w + half)):
                    best = (cost, PlacedLabel(o, x, y, w, th, lines))
        if best is not None and (not strict or best[0] <= th * PASS_ONE_PUSH):
            return best[1]
        return None

    # Pass 1, highest priority first: by the mark, leaving the marks above their corridor
    by_priority = np.lexsort((np.arange(n), -prio)).tolist()
    for o in by_priority:
        if n_labels >= max_labels:
            break
        choice = near(o, strict=True)
        if choice is not None:
            accept(choice)

    # Pass 2, as Labella stacks them: layers below the mark, the label starting at its mark, with a
    # vertical leader; from right to left, so each leader runs left of every label placed before
    # it (by the right edge, labels end at their mark instead, placed from left to right). Search
    # matches first.
    left = np.asarray(mark, np.float64)[:, 0]
    narrow = np.array([min(w1[o], wraps[o][1] if wraps[o] is not None else w1[o]) for o in range(n)])  # type: ignore[index]
    by_edge = (left + narrow > x_max).astype(np.int64)
    along = np.where(by_edge == 1, left, -left)
    klass = -np.floor(prio / 100.0)

    def stacked(
        o: int, layers: int, spots: Callable[[int, float, float, float], Iterable[tuple[float, float]]]
    ) -> PlacedLabel | None:
        """The first free place in the layers below ``o``'s mark, narrow forms first (they bar
        fewer leaders): ``spots(k, w, y, h)`` gives the x to try in layer k and where its leader ends."""
        my1 = mk[o][3]
        _, bottom = lane_bounds(o)
        own = float(g.row_top(lane_l[o], row_l[o])) + glyph
        lc = lead_x[o]
        forms = sorted(forms_of(o), key=lambda form: form[1])
        for k in range(1, layers):
            for lines, w in forms:
                h = th * len(lines)
                y = own + k * th
                if y + h > bottom + 0.5:
                    continue
                for x, lx in spots(k, w, y, h):
                    path = leader_path(lc, my1, lx, y)
                    if all(bands.free(range(band, band + 1), xb - 1.5, xb + 1.5) for band, xb in path):
                        return PlacedLabel(o, x, y, w, h, lines, (lc, my1, lx, y))
        return None

    for o in np.lexsort((np.arange(n), along, by_edge, klass)).tolist():
        if n_labels >= max_labels:
            break
        if placed[o]:
            continue

        def under(k: int, w: float, y: float, h: float, o: int = o) -> Iterable[tuple[float, float]]:
            """At the mark's edge (left, or right by the view's edge), else pushed along the layer
            as far as the label still covers the leader and bars no unlabelled mark's way down."""
            mx0, _, mx1, _ = mk[o]
            lc = lead_x[o]
            edge = max(mx1 - w if by_edge[o] else mx0, x_min)
            if edge <= x_max - w + 1e-9 and edge + 1 <= lc <= edge + w - 1 and fits(edge, edge + w, y, y + h):
                yield edge, lc
                return
            for x in slide(lc - w + 1, lc - 1, edge, w, y, y + h):
                if not bars_a_way_down(o, x - half, x + w + half, y):
                    yield x, lc

        choice = stacked(o, MAX_LAYERS, under)
        if choice is not None:
            accept(choice)
    # Pass 2b: left of the crowd, a column of labels ending just left of their marks, with slanted
    # leaders: from left to right, each a layer deeper, so no leader crosses a label or another leader
    for o in np.lexsort((np.arange(n), left)).tolist():
        if n_labels >= max_labels:
            break
        if placed[o] or not by_edge[o]:  # a crowd by the right edge, where stacks run out of room
            continue

        def column(k: int, w: float, y: float, h: float, o: int = o) -> Iterable[tuple[float, float]]:
            mx0, my1 = mk[o][0], mk[o][3]
            reach = min(k * th * FAN_REACH, FAN_WIDTHS * w)  # a short leader: about a label's width
            for x in slide(mx0 - pad - w - reach, mx0 - pad - w, mx0 - pad - w, w, y, y + h):
                if np.hypot(mx0 - (x + w - pad), y - my1) <= w:
                    yield x, x + w - pad

        choice = stacked(o, FAN_LAYERS, column)
        if choice is not None:
            accept(choice)

    # Pass 3: what is left would get a number; a label anywhere by its mark is better
    for o in by_priority:
        if n_labels >= max_labels:
            break
        if not placed[o]:
            choice = near(o, strict=False)
            if choice is not None:
                accept(choice)
    if numbering:
        nm = number_measure or measure
        nh = number_height or th
        number = 0
        groups: dict[tuple[float, ...], list[int]] = {}  # events sharing a mark (a cluster) share a chip
        for o in range(n):
            if not placed[o]:
                groups.setdefault(tuple(mk[o]), []).append(o)
        for o in range(n):
            members = groups.get(tuple(mk[o]))
            if placed[o] or not members or members[0] != o:
                continue
            numbers = list(range(number + 1, number + 1 + len(members)))
            number += len(members)
            text = number_text(numbers)
            w = nm(text) + 6
            mx0, my0, mx1, my1 = mk[o]
            cy = (my0 + my1) / 2
            spots = [
                (mx1 + 2, cy - nh / 2),  # right of the mark
                ((mx0 + mx1) / 2 - w / 2, my0 - nh),  # above it
                ((mx0 + mx1) / 2 - w / 2, my1),  # below it
                (mx0 - 2 - w, cy - nh / 2),  # left of it
            ]
            spots = [(min(max(x, x_min), x_max - w), y) for x, y in spots]
            lane_top, lane_bottom = lane_bounds(o)  # not up into the era header or another lane
            inside = [(x, y) for x, y in spots if lane_top - 0.5 <= y and y + nh <= lane_bottom + 0.5]
            at = next(((x, y) for x, y in inside if fits(x, x + w, y, y + nh)), None)
            if at is None:  # crowded: the free place nearest the mark on those lines, never on a badge
                reach = 3 * w + 20
                lines = (cy - nh / 2, my1, my0 - nh, *(my1 + k * nh for k in range(1, 7)))
                near_spots = [
                    (abs(xs[0] - spots[0][0]) + abs(y - spots[0][1]), xs[0], y)
                    for y in lines
                    if lane_top - 0.5 <= y
                    and y + nh <= lane_bottom + 0.5
                    and (xs := slide(mx0 - reach, mx1 + reach, spots[0][0], w, y, y + nh))
                ]
                at = min(near_spots)[1:] if near_spots else spots[0]
            x, y = at
            bands.take(bands.span(y, y + nh), x - 1, x + w + 1)
            for m, k in zip(members, numbers, strict=True):
                out.numbers.append(PlacedNumber(m, k, x, y, w, nh, text))
    return out
