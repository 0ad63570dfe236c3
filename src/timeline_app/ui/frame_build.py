"""Building a frame: which lanes show as markers or density strips, how tall each lane is (room
for labels shared by need, rows folded only when far too many), the time ticks, and the pixel
geometry of every mark. Work is bounded by what is visible: ``searchsorted`` windows, and a
density strip when events outnumber pixels."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF

from ..core.clusters import cluster_heads
from ..core.lane_index import LaneIndex
from ..core.layout import fold_rows, lane_geometry
from ..core.ticks import compute_scale_ticks
from .axis_layer import _break_gap
from .frame import INSTANT, Copies, Echoes, Frame, LaneData

if TYPE_CHECKING:
    from .view_state import ViewState

CROWDED_PER_PX_ROW = 0.25  # more visible events than this per pixel column and sub-row: a density strip
FOLLOW_FRACTION = 0.1  # with one strip shown, lanes this fraction as crowded become strips too
BASE_GLYPH = 12.0  # marker size at scale 1
SQUEEZE_TEXT = 0.5  # rows keep at least this share of a label line's height before lanes fold


def build_frame(st: ViewState, plot: QRectF, x0: float, x1: float, scale: float) -> Frame:
    """The frame of ``plot`` showing days ``x0`` to ``x1`` at ``scale``; ``ViewState.frame`` keeps a few."""
    font, bold, small = st.fonts(scale)
    text_h = QFontMetricsF(font).height()
    line = QFontMetricsF(small).height()
    s = st.store
    era_rows = min(2, len(s.eras)) if s is not None else 0
    header = era_rows * (line + 2 * scale) + 4 * scale
    footer = line + 8 * scale if st.show_legend and s is not None and len(s) else 0.0
    glyph = round(BASE_GLYPH * scale)
    top = plot.top() + header
    avail = max(1.0, plot.height() - header - footer - 2 * scale)
    measure = st.measure(small)
    ticks = compute_scale_ticks(st.tscale, x0, x1, plot.width(), measure, break_gap_px=_break_gap(measure))
    lanes: list[LaneData] = []
    nrows: list[int] = []
    ix = st.index
    if s is not None and ix is not None and x1 > x0:
        strip = _strip_lanes(st, plot.width(), x0, x1, avail / (glyph + text_h + 4.0))
        no_idx, no_rows = np.zeros(0, np.int64), np.zeros(0, np.int32)
        marker = [a for pos, a in enumerate(st.shown) if not strip[pos]]
        windows = dict(zip(marker, ix.windows(marker, x0, x1), strict=True))
        strips = [a for pos, a in enumerate(st.shown) if strip[pos]]
        density = dict(zip(strips, _coverages(st, ix, strips, x0, x1, plot.width()), strict=True))
        lit_ix = st.lit_index() if strips else None
        lit = (
            dict(zip(strips, _coverages(st, lit_ix, strips, x0, x1, plot.width()), strict=True))
            if lit_ix is not None
            else {}
        )
        for pos, a in enumerate(st.shown):
            if strip[pos]:
                lanes.append(LaneData(st.lane_actor(a), pos, no_idx, no_rows, density=density[a], lit=lit.get(a)))
                nrows.append(1)
                continue
            w = windows[a]
            # a lane is as tall as the sub-rows in use here: rows empty in this window close up
            r = ix.rows[w]
            used = np.bincount(r, minlength=1) > 0
            rank = (np.cumsum(used) - 1).astype(np.int32)  # row -> its place among the rows in use
            lanes.append(LaneData(st.lane_actor(a), pos, ix.idx[w], rank[r]))
            nrows.append(max(1, int(used.sum())))
    else:
        nrows = [1] * len(st.shown)
    cap = fold_rows(nrows, avail / (glyph + text_h + 4.0))
    if cap is not None and fold_rows(nrows, avail / (glyph + SQUEEZE_TEXT * text_h + 4.0)) is None:
        # A little short of room for a label line under every row: squeeze the rows rather
        # than fold them, which would draw unrelated bars on top of each other; labels go
        # wherever the collision layout still finds room.
        cap = None
    if cap is not None:  # far too many rows for labels: fold the deepest lanes
        for ld in lanes:
            ld.rows = ld.rows % cap
        nrows = [min(n, cap) for n in nrows]
    elif lanes:
        nrows = _spare_label_rows(nrows, lanes, avail / (glyph + text_h + 4.0), text_h / (glyph + text_h + 4.0))
    # strips alone carry no labels: let them fill the height rather than leave it empty
    strips_only = bool(lanes) and all(ld.density is not None for ld in lanes)
    geom = lane_geometry(nrows, top, avail, glyph, text_h, max_stretch=4.0 if strips_only else 2.5)
    return Frame(plot, x0, x1, scale, font, bold, small, header, footer, geom, lanes, ticks, nrows,
                 density_range=density_range(lanes), lit_range=density_range(lanes, lit=True),
                 tmap=st.tscale)  # fmt: skip


def _coverages(
    st: ViewState, ix: LaneIndex, strips: list[int], x0: float, x1: float, width: float
) -> list[NDArray[np.int64]]:
    """Events per pixel column of each strip lane: one linear piece of the time scale at a
    time (a break's columns count the years it hides), joined column for column."""
    cols = max(1, round(width))
    t = st.tscale
    if t.identity or not t.breaks or not strips:
        return ix.coverages(strips, x0, x1, cols)
    u0 = t.to_units(x0)
    k = cols / (t.to_units(x1) - u0)
    parts: list[list[NDArray[np.int64]]] = []
    left = 0
    for a, b, _ in t.pieces(x0, x1):
        right = cols if b >= x1 else min(cols, max(left, round((t.to_units(b) - u0) * k)))
        if right > left:
            parts.append(ix.coverages(strips, a, b, right - left))
        left = right
    return [np.concatenate([p[i] for p in parts]) for i in range(len(strips))]


def _strip_lanes(st: ViewState, width: float, x0: float, x1: float, capacity: float) -> list[bool]:
    """Which shown lanes draw as a density strip: those whose markers would pile up (more
    than ``CROWDED_PER_PX_ROW`` per pixel per sub-row, counting only the sub-rows a lane gets
    when ``capacity`` rows are shared by all lanes). Once one lane is a strip, lanes nearly
    as crowded follow, so a view does not mix strips with lanes of overlapping markers."""
    ix = st.index
    if ix is None or not st.shown:
        return []
    share = max(1.0, capacity / len(st.shown) - 0.3)
    rows = np.minimum(ix.nrows[st.shown].astype(np.float64), share)
    counts = np.array([ix.count(a, x0, x1) for a in st.shown], np.float64)
    crowd = counts / (max(width, 1.0) * np.maximum(rows, 1.0))
    strip = crowd > CROWDED_PER_PX_ROW
    if strip.any():
        strip |= crowd > CROWDED_PER_PX_ROW * FOLLOW_FRACTION
    return [bool(v) for v in strip]


def _spare_label_rows(nrows: list[int], lanes: list[LaneData], capacity: float, line_share: float) -> list[int]:
    """Share the plot's height by the label room each lane needs, as empty rows for labels.

    A lane needs its rows plus, at most, a label line for each of its events (``line_share``: a
    label line's share of a row), as the label layout stacks them below the marks. Spare rows go
    to the lane with the most events per row that still needs room, so a lane of a few events keeps
    only what it uses and a crowded one gets the height its labels need; whatever is left after
    every need is met goes to the busiest lane. Costs a step per spare row, whatever the events.
    """
    spare = int(capacity - sum(nrows) - 0.3 * len(nrows))
    rows = list(nrows)
    if spare <= 0 or not rows:
        return rows
    events = [len(ld.idx) if ld.density is None else 0 for ld in lanes]
    need = [n + math.ceil(e * line_share) for n, e in zip(nrows, events, strict=True)]
    for _ in range(spare):
        best = max(range(len(rows)), key=lambda k: events[k] / rows[k] if rows[k] < need[k] else -1.0)
        if rows[best] >= need[best] or events[best] == 0:
            busiest = max(range(len(rows)), key=lambda k: events[k])
            if events[busiest]:
                rows[busiest] += spare - sum(rows) + sum(nrows)
            break
        rows[best] += 1
    return rows


def density_range(lanes: list[LaneData], lit: bool = False) -> tuple[float, float]:
    """The counts (over every strip in the frame, so lanes compare) that map to the faintest and
    the fullest ink: low and high percentiles of the non-empty columns, so a few extreme columns
    neither wash out nor saturate everything else. ``lit``: of the search matches' strips."""
    strips = [ld.lit if lit else ld.density for ld in lanes]
    counts = [c[c > 0] for c in strips if c is not None]
    nz = np.concatenate(counts) if counts else np.zeros(0)
    if len(nz) == 0:
        return 1.0, 1.0
    lo, hi = np.percentile(nz, [2.0, 99.5])
    return float(lo), float(max(hi, lo))


def copies_and_echoes(st: ViewState, f: Frame) -> tuple[Copies, Echoes]:
    """Every mark's pixel geometry in frame ``f`` (``Copies``) and, in "every actor" lanes, the
    dots of shared events in their other lanes (``Echoes``)."""
    s = st.store
    marker = [ld for ld in f.lanes if ld.density is None]
    e64, f64 = np.zeros(0, np.int64), np.zeros(0)
    no_echoes = Echoes(e64, e64, f64, f64, e64)
    if s is None or not marker:
        return Copies(e64, e64, e64, f64, e64.astype(np.int8), f64, f64, f64, e64, e64, e64), no_echoes
    idx = np.concatenate([ld.idx for ld in marker])
    lane = np.repeat(np.array([ld.pos for ld in marker], np.int64), [len(ld.idx) for ld in marker])
    row = np.concatenate([ld.rows for ld in marker]).astype(np.int64)
    lane_actor = np.repeat(np.array([ld.actor for ld in marker], np.int64), [len(ld.idx) for ld in marker])
    echoes = no_echoes
    if st.lanes is not None and st.lanes.shared and len(idx):
        # each event's mark in the first shown lane it has; dots in the others
        _, first = np.unique(idx, return_index=True)
        main = np.zeros(len(idx), bool)
        main[first] = True
        if not main.all():
            o = ~main
            cy_o = np.asarray(f.glyph_center_y(lane[o], row[o]), dtype=np.float64)  # type: ignore[arg-type]
            io = idx[o]
            x0 = np.maximum(f.px(s.start[io]), f.plot.left()) + 3
            x = np.where(s.kind[io] == INSTANT, f.px(s.start[io] + 0.5), x0)
            echoes = Echoes(io, lane[o], cy_o, np.asarray(x, np.float64), lane_actor[o])
        idx, lane, row, lane_actor = idx[main], lane[main], row[main], lane_actor[main]
    cy = np.asarray(f.glyph_center_y(lane, row), dtype=np.float64)  # type: ignore[arg-type]
    start = s.start[idx]
    kind = s.kind[idx]
    cx = f.px(start + 0.5)
    color = np.where(lane_actor >= 0, lane_actor, st.primary[idx])
    head, count = cluster_heads(lane * 4096 + row, cx, kind == INSTANT, f.glyph * 0.9)
    return Copies(idx, lane, row, cy, kind, f.px(start), f.px(s.end[idx]), cx, color, head, count), echoes
