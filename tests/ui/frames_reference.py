"""The event layer as it was drawn before batching (lane by lane, a Qt call per lane and style),
kept as the reference the batched ``marks_layer.draw_events`` must match pixel for pixel. Since each
event is drawn once (lanes by leading actor) it draws only the marks the view draws: a cluster's
members hide under its head, which carries a "+N"."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from pyqtgraph.Qt.internals import PrimitiveArray

from timeline_app.ui import QtCore, QtGui  # PySide6 before pyqtgraph
from timeline_app.ui.frame import INSTANT, Frame
from timeline_app.ui.glyphs import _marker, _pixel_ratio
from timeline_app.ui.marks_layer import DIMMED_ALPHA, _badge_spots, _badges, _cluster_counts, _draw_density
from timeline_app.ui.theme import Theme
from timeline_app.ui.view_state import ViewState

QColor, QPainter, QPen, QPixmap = QtGui.QColor, QtGui.QPainter, QtGui.QPen, QtGui.QPixmap
QLineF, QRectF, Qt = QtCore.QLineF, QtCore.QRectF, QtCore.Qt


def reference_draw_events(p: QPainter, f: Frame, st: ViewState) -> None:
    """Density strips, span bars, period brackets, instant diamonds, discrepancy badges."""
    s = st.store
    if s is None:
        return
    th = st.theme
    dpr = _pixel_ratio(p)
    st.stats["frames"] += 1
    st.stats["density_lanes"] = 0
    st.stats["markers"] = 0
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    glyph = f.glyph
    badge_parts: list[tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]] = []
    rings: list[tuple[int, float, float, float]] = []  # (index, x0, x1, cy) of selected/hovered copies
    for ld in f.lanes:
        color = th.fill(s.actor_colors[ld.actor])
        if ld.density is not None:  # strips are not what this reference is about: drawn as the view does
            if ld.lit is None:
                _draw_density(p, f, ld.density, f.density_range, color, ld.pos)
            else:
                _draw_density(p, f, ld.density, f.density_range, color, ld.pos, fade=DIMMED_ALPHA)
                _draw_density(p, f, ld.lit, f.lit_range, color, ld.pos)
            st.stats["density_lanes"] += 1
            continue
        if len(ld.idx) == 0:
            continue
        # each event once (lanes by leading actor); cluster members hide under their head's mark
        c = st.copies(f)
        keep = np.isin(ld.idx, c.idx[c.drawn])
        idx = ld.idx[keep]
        cy = np.asarray(f.glyph_center_y(ld.pos, ld.rows[keep]), dtype=np.float64)
        kind = s.kind[idx]
        qual = s.qualified[idx]
        dim = ~st.highlight[idx] if st.highlight is not None else np.zeros(len(idx), bool)
        if st.highlight is not None:  # a cluster's mark is bright when any of its events matches
            dim &= ~np.isin(idx, c.idx[c.head[st.highlight[c.idx]]])
        lo, hi = f.plot.left() - 20, f.plot.right() + 20
        xa = np.clip(f.px(s.start[idx]), lo, hi)
        xb = np.clip(np.maximum(f.px(s.end[idx]), xa + 2), lo, hi)
        faded = QColor(color)
        faded.setAlphaF(0.22)
        # one batch per (dimmed, kind, approximate) present: dimmed first, so matches draw on top;
        # spans before brackets before diamonds
        style = (1 - dim.astype(np.int64)) * 100 + np.choose(kind, [30, 20, 10]) + qual
        for code in np.unique(style).tolist():
            m = style == code
            c = color if code >= 100 else faded
            q = bool(code % 2)
            k = (code % 100) // 10
            if k == 1:  # spans: bars; approximate ones lighter with a dashed outline
                _rects(p, xa[m], cy[m], xb[m], glyph * 0.56, c, dashed=q, theme=th, scale=f.scale)
            elif k == 2:  # periods (a month or a year): brackets
                _brackets(p, xa[m], cy[m], xb[m], glyph, c, dashed=q, scale=f.scale)
            else:  # instants: diamonds, hollow when approximate
                _markers(p, st, "hollow" if q else "diamond", c, round(glyph), f.px(s.start[idx[m]] + 0.5), cy[m], dpr)
        st.stats["markers"] += len(idx)
        d = np.flatnonzero(s.has_discrepancy[idx])
        if len(d):
            right = np.where(kind[d] == INSTANT, f.px(s.start[idx[d]] + 0.5) + glyph / 2, xb[d])
            badge_parts.append((idx[d], np.asarray(right, np.float64), cy[d]))
        for special in (st.selected, st.hovered):
            if special is None:
                continue
            for j in np.flatnonzero(idx == special).tolist():
                if kind[j] == INSTANT:
                    cx = float(f.px(s.start[special] + 0.5))
                    rings.append((special, cx - glyph / 2, cx + glyph / 2, float(cy[j])))
                else:
                    rings.append((special, float(xa[j]), float(xb[j]), float(cy[j])))
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for special, a, b, cy0 in rings:
        pad = 3 * f.scale
        pen = QPen(th.highlight if special == st.selected else th.muted, 2 * f.scale)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(QRectF(a - pad, cy0 - glyph / 2 - pad, b - a + 2 * pad, glyph + 2 * pad), 3, 3)
    _badges(p, f, st, *_badge_spots(badge_parts, 10 * f.scale))
    c = st.copies(f)
    heads = np.flatnonzero(c.count > 1)
    if len(heads):
        _cluster_counts(p, f, st, c.cx[heads] + glyph / 2, c.cy[heads], c.count[heads] - 1)


def _rects(
    p: QPainter, xa: NDArray[np.float64], cy: NDArray[np.float64], xb: NDArray[np.float64], h: float,
    color: QColor, *, dashed: bool, theme: Theme, scale: float,
) -> None:  # fmt: skip
    xa, cy, xb = _merge_runs(xa, cy, xb, touching=not dashed)
    arr = PrimitiveArray(QRectF, 4)
    arr.resize(len(xa))
    m = arr.ndarray()
    m[:, 0] = xa
    m[:, 1] = cy - h / 2
    m[:, 2] = xb - xa
    m[:, 3] = h
    if dashed:
        fill = QColor(color)
        fill.setAlphaF(color.alphaF() * 0.35)
        pen = QPen(color, max(1, round(1.2 * scale)), Qt.PenStyle.DashLine)  # whole pixels: the fast path
        p.setPen(pen)
        p.setBrush(fill)
    else:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
    p.drawRects(*arr.drawargs())


def _merge_runs(
    xa: NDArray[np.float64], cy: NDArray[np.float64], xb: NDArray[np.float64], *, touching: bool
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Bars overlapping on one row merged into one: thousands of stacked spans in a dense lane
    would otherwise fill (or, dashed, stroke) the same pixels thousands of times. Bars that only
    touch are merged too when ``touching`` (solid fills look the same merged)."""
    if len(xa) < 2:
        return xa, cy, xb
    order = np.lexsort((xa, cy))
    xa, cy, xb = xa[order], cy[order], xb[order]
    row_start = np.r_[True, cy[1:] != cy[:-1]]
    # running right edge within each row: offset rows apart so one cumulative max serves all
    row_id = np.cumsum(row_start) - 1
    offset = row_id * (float(np.max(xb) - np.min(xa)) + 10.0)
    reach = np.maximum.accumulate(xb + offset) - offset
    gap = xa[1:] > reach[:-1] if touching else xa[1:] >= reach[:-1]
    new = row_start | np.r_[True, gap]
    first = np.flatnonzero(new)
    return xa[first], cy[first], np.maximum.reduceat(xb, first)


def _brackets(
    p: QPainter, xa: NDArray[np.float64], cy: NDArray[np.float64], xb: NDArray[np.float64], glyph: float,
    color: QColor, *, dashed: bool, scale: float,
) -> None:  # fmt: skip
    n = len(xa)
    xb = np.maximum(xb, xa + 3)
    top = cy - glyph * 0.35
    bot = cy + glyph * 0.35
    arr = PrimitiveArray(QLineF, 4)
    arr.resize(3 * n)
    m = arr.ndarray()
    m[0::3] = np.column_stack([xa, top, xb, top])
    m[1::3] = np.column_stack([xa, top, xa, bot])
    m[2::3] = np.column_stack([xb, top, xb, bot])
    pen = QPen(color, max(1.0, 2.0 * scale), Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    p.setPen(pen)
    p.drawLines(*arr.drawargs())


def _markers(
    p: QPainter, st: ViewState, kind: str, color: QColor, size: int,
    cx: NDArray[np.float64], cy: NDArray[np.float64], dpr: float | None,
) -> None:  # fmt: skip
    if dpr is not None:
        _fragments(p, cx, cy, st.glyphs.marker_pixmap(kind, color, size, dpr, st.theme.background), dpr)
        return
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)  # as the cached pixmaps are drawn
    for x, y in zip(cx.tolist(), cy.tolist(), strict=True):
        _marker(p, kind, color, st.theme.background, x, y, size, 1.0)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)


def _fragments(p: QPainter, cx: NDArray[np.float64], cy: NDArray[np.float64], pm: QPixmap, dpr: float) -> None:
    arr = PrimitiveArray(QPainter.PixmapFragment, 10)
    arr.resize(len(cx))
    m = arr.ndarray()
    m[:, 0] = cx
    m[:, 1] = cy
    m[:, 2:6] = (0, 0, pm.width(), pm.height())
    m[:, 6:10] = (1 / dpr, 1 / dpr, 0.0, 1.0)
    p.drawPixmapFragments(*arr.drawargs(), pm)
