"""The marks layer: each visible event's mark in its lane (a diamond for an instant, a bar for a
span, a bracket for a month or a year, hollow or dashed when approximate), a badge where sources
disagree, a count beside a cluster's mark, the selection's and hover's rings, and a density strip
for a lane whose marks would pile up. Batched over all lanes: a few Qt calls per colour."""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

import numpy as np
import shiboken6
from numpy.typing import NDArray
from pyqtgraph.Qt.internals import PrimitiveArray
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen, QPixmap

from .frame import INSTANT, PERIOD, SPAN, Frame
from .glyphs import _badge, _fragments, _marker, _pixel_ratio

if TYPE_CHECKING:
    from collections.abc import Callable

    from .view_state import ViewState

MIN_INK = 0.12  # opacity of a strip column holding the fewest events
DIMMED_ALPHA = 0.22  # opacity of events a search leaves out (markers, and strips under the matches)
MAX_BADGES = 500


def draw_events(p: QPainter, f: Frame, st: ViewState) -> None:
    """Density strips, span bars, period brackets, instant diamonds, discrepancy badges.

    Batched over all lanes at once, a few Qt calls per colour rather than per lane: dimmed
    events first (matches draw on top), and in each pass spans, then brackets, then diamonds.
    Lanes never overlap, so this draws the same picture as going lane by lane.
    """
    s = st.store
    if s is None:
        return
    th = st.theme
    dpr = _pixel_ratio(p)
    st.stats["frames"] += 1
    st.stats["density_lanes"] = 0
    st.stats["markers"] = 0
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    for ld in f.lanes:
        if ld.density is not None:
            color = st.actor_fill(ld.actor)
            if ld.lit is None:
                _draw_density(p, f, ld.density, f.density_range, color, ld.pos)
            else:  # a search: every event faded, as dimmed markers are, and the matches over them
                _draw_density(p, f, ld.density, f.density_range, color, ld.pos, fade=DIMMED_ALPHA)
                _draw_density(p, f, ld.lit, f.lit_range, color, ld.pos)
            st.stats["density_lanes"] += 1
    c = st.copies(f)
    drawn = np.flatnonzero(c.drawn)  # cluster members hide under their head's mark
    n = len(drawn)
    if n == 0:
        return
    st.stats["markers"] = n
    glyph = f.glyph
    idx, kind, cy, color = c.idx[drawn], c.kind[drawn], c.cy[drawn], c.color[drawn]
    lo, hi = f.plot.left() - 20, f.plot.right() + 20
    xa = np.clip(c.x0[drawn], lo, hi)
    xb = np.clip(np.maximum(c.x1[drawn], xa + 2), lo, hi)
    cxd = c.cx[drawn]
    qual = s.qualified[idx]
    bright = st.highlight[idx] if st.highlight is not None else np.ones(n, bool)
    if st.highlight is not None:  # a cluster is bright when any member matches
        lit_heads = c.head[st.highlight[c.idx]]
        bright |= np.isin(drawn, lit_heads)
    color = color + 1  # palette keys: actor + 1 (0: no actor, muted)
    colors = {int(a): st.actor_fill(int(a) - 1) for a in np.unique(color).tolist()}
    faded: dict[int, QColor] = {}
    for pos, col in colors.items():
        faded[pos] = QColor(col)
        faded[pos].setAlphaF(DIMMED_ALPHA)
    for lit in (False, True):  # dimmed first, so matches draw on top
        part = bright == lit
        if not part.any():
            continue
        palette = colors if lit else faded
        m = np.flatnonzero(part & (kind == SPAN))
        if len(m):
            _span_bars(p, xa[m], cy[m], xb[m], color[m], qual[m], glyph * 0.56, palette, f.scale)
        m = np.flatnonzero(part & (kind == PERIOD))
        if len(m):
            _period_brackets(p, xa[m], cy[m], xb[m], color[m], qual[m], glyph, palette, f.scale)
        m = np.flatnonzero(part & (kind == INSTANT))
        if len(m):
            m = m[np.argsort(qual[m], kind="stable")]  # hollow ones on top
            _instant_markers(p, st, cxd[m], cy[m], color[m], qual[m], palette, round(glyph), dpr)
    d = np.flatnonzero(s.has_discrepancy[idx])
    badge_parts: list[tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]] = []
    if len(d):
        right = np.where(kind[d] == INSTANT, cxd[d] + glyph / 2, xb[d])
        badge_parts.append((idx[d], np.asarray(right, np.float64), cy[d]))
    rings: list[tuple[int, int, int, float, float, float]] = []  # (lane, rank, index, x0, x1, cy)
    for rank, special in enumerate((st.selected, st.hovered)):
        if special is None:
            continue
        for j0 in np.flatnonzero(c.idx == special).tolist():
            j = int(np.searchsorted(drawn, c.head[j0]))  # a cluster member rings its head's mark
            x = float(cxd[j])
            a, b = (x - glyph / 2, x + glyph / 2) if kind[j] == INSTANT else (float(xa[j]), float(xb[j]))
            rings.append((int(c.lane[drawn[j]]), rank, special, a, b, float(cy[j])))
    rings.sort(key=lambda r: r[:2])  # lane by lane, the selection's ring under the hover's
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for _, _, special, a, b, cy0 in rings:
        pad = 3 * f.scale
        pen = QPen(th.highlight if special == st.selected else th.muted, 2 * f.scale)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(QRectF(a - pad, cy0 - glyph / 2 - pad, b - a + 2 * pad, glyph + 2 * pad), 3, 3)
    _badges(p, f, st, *_badge_spots(badge_parts, 10 * f.scale))
    heads = np.flatnonzero(c.count[drawn] > 1)
    if len(heads):
        _cluster_counts(p, f, st, cxd[heads] + glyph / 2, cy[heads], c.count[drawn][heads] - 1)


def density_alpha(counts: NDArray[np.int64], lo: float, hi: float) -> NDArray[np.float64]:
    """Opacity per column on a log scale between ``lo`` and ``hi``: an empty column is clear,
    any event at all shows (at least ``MIN_INK``), and structure among thousands stays visible."""
    c = np.asarray(counts, dtype=np.float64)
    span = math.log(hi / lo) if hi > lo > 0 else 0.0
    t = np.clip(np.log(np.maximum(c, 1.0) / max(lo, 1.0)) / span, 0.0, 1.0) if span > 0 else np.ones(len(c))
    return np.where(c > 0, MIN_INK + (1.0 - MIN_INK) * t, 0.0)


def _draw_density(
    p: QPainter,
    f: Frame,
    counts: NDArray[np.int64],
    ink: tuple[float, float],
    color: QColor,
    pos: int,
    fade: float = 1.0,
) -> None:
    w = len(counts)
    alpha = density_alpha(counts, *ink) * fade
    r, g, b = color.red(), color.green(), color.blue()
    a8 = (alpha * 255).astype(np.uint32)
    pix = (a8 << 24) | ((r * a8 // 255) << 16) | ((g * a8 // 255) << 8) | (b * a8 // 255)
    buf = np.ascontiguousarray(pix.astype(np.uint32))
    img = QImage(buf.data, w, 1, w * 4, QImage.Format.Format_ARGB32_Premultiplied)
    geo = f.geometry
    y = geo.top[pos] + geo.pad
    h = geo.height[pos] - 2 * geo.pad
    if _pixel_ratio(p) is not None and abs(w - f.plot.width()) < 1:
        # one column per pixel: repeat the row down the strip (half the cost of scaling it)
        p.drawTiledPixmap(QRectF(f.plot.left(), y, w, h), QPixmap.fromImage(img))
    else:
        p.drawImage(QRectF(f.plot.left(), y, f.plot.width(), h), img)
    del buf


def _draw_runs(
    p: QPainter, method: Callable[..., None], klass: type, items: NDArray[np.float64], groups: NDArray[np.int64],
    style: Callable[[int], None],
) -> None:  # fmt: skip
    """Draw ``items`` (rows of floats laid out as ``klass``) in runs of equal ``groups`` (sorted):
    ``style(group)`` sets the pen and brush, then one Qt call draws the run from the array itself."""
    buf = np.ascontiguousarray(items, dtype=np.float64)
    base, size = buf.ctypes.data, buf.shape[1] * 8
    cut = np.flatnonzero(np.concatenate(([True], groups[1:] != groups[:-1], [True]))).tolist()
    for a, b in itertools.pairwise(cut):
        style(int(groups[a]))
        method(shiboken6.wrapInstance(base + a * size, klass), b - a)


def _span_bars(
    p: QPainter, xa: NDArray[np.float64], cy: NDArray[np.float64], xb: NDArray[np.float64], lane: NDArray[np.int64],
    qual: NDArray[np.bool_], h: float, colors: dict[int, QColor], scale: float,
) -> None:  # fmt: skip
    """Bars, one colour per lane; approximate ones lighter with a dashed outline."""
    group = lane * 2 + qual
    xa, cy, xb, group = _merge_runs(xa, cy, xb, group, touching=~qual)
    rects = np.column_stack([xa, cy - h / 2, xb - xa, np.full(len(xa), h)])
    width = max(1, round(1.2 * scale))  # whole pixels: the fast path

    def style(g: int) -> None:
        color = colors[g // 2]
        if g % 2:
            fill = QColor(color)
            fill.setAlphaF(color.alphaF() * 0.35)
            p.setPen(QPen(color, width, Qt.PenStyle.DashLine))
            p.setBrush(fill)
        else:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)

    _draw_runs(p, p.drawRects, QRectF, rects, group, style)


def _merge_runs(
    xa: NDArray[np.float64], cy: NDArray[np.float64], xb: NDArray[np.float64], group: NDArray[np.int64],
    *, touching: NDArray[np.bool_],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:  # fmt: skip
    """Bars overlapping on one row of one group merged into one, sorted by group: thousands of
    stacked spans in a dense lane would otherwise fill (or, dashed, stroke) the same pixels
    thousands of times. Bars that only touch are merged too where ``touching`` (solid fills look
    the same merged)."""
    order = np.lexsort((xa, cy, group))
    xa, cy, xb, group, touching = xa[order], cy[order], xb[order], group[order], touching[order]
    if len(xa) < 2:
        return xa, cy, xb, group
    row_start = np.concatenate(([True], (cy[1:] != cy[:-1]) | (group[1:] != group[:-1])))
    # running right edge within each row: offset rows apart so one cumulative max serves all
    row_id = np.cumsum(row_start) - 1
    offset = row_id * (float(np.max(xb) - np.min(xa)) + 10.0)
    reach = np.maximum.accumulate(xb + offset) - offset
    gap = np.where(touching[1:], xa[1:] > reach[:-1], xa[1:] >= reach[:-1])
    new = row_start | np.concatenate(([True], gap))
    first = np.flatnonzero(new)
    return xa[first], cy[first], np.maximum.reduceat(xb, first), group[first]


def _period_brackets(
    p: QPainter, xa: NDArray[np.float64], cy: NDArray[np.float64], xb: NDArray[np.float64], lane: NDArray[np.int64],
    qual: NDArray[np.bool_], glyph: float, colors: dict[int, QColor], scale: float,
) -> None:  # fmt: skip
    """A bracket as wide as the month or year, one colour per lane, dashed when approximate."""
    group = lane * 2 + qual
    order = np.argsort(group, kind="stable")
    xa, cy, xb, group = xa[order], cy[order], np.maximum(xb[order], xa[order] + 3), group[order]
    top = cy - glyph * 0.35
    bot = cy + glyph * 0.35
    lines = np.empty((3 * len(xa), 4))
    lines[0::3] = np.column_stack([xa, top, xb, top])
    lines[1::3] = np.column_stack([xa, top, xa, bot])
    lines[2::3] = np.column_stack([xb, top, xb, bot])
    width = max(1.0, 2.0 * scale)

    def style(g: int) -> None:
        pen = QPen(colors[g // 2], width, Qt.PenStyle.DashLine if g % 2 else Qt.PenStyle.SolidLine)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        p.setPen(pen)

    _draw_runs(p, p.drawLines, QLineF, lines, np.repeat(group, 3), style)


def _instant_markers(
    p: QPainter, st: ViewState, cx: NDArray[np.float64], cy: NDArray[np.float64], lane: NDArray[np.int64],
    qual: NDArray[np.bool_], colors: dict[int, QColor], size: int, dpr: float | None,
) -> None:  # fmt: skip
    """Diamonds, hollow when approximate, in the order given: on a raster device all of them in one
    call, from an atlas of the glyphs in use."""
    code = lane * 2 + qual
    if dpr is not None:
        used = np.unique(code).tolist()
        atlas, n = st.glyphs.marker_atlas(
            [("hollow" if k % 2 else "diamond", colors[k // 2]) for k in used], size, dpr, st.theme.background
        )
        cell = np.zeros(int(code.max()) + 1, np.int64)
        cell[used] = np.arange(len(used))
        arr = PrimitiveArray(QPainter.PixmapFragment, 10)
        arr.resize(len(cx))
        m = arr.ndarray()
        m[:, 0] = cx
        m[:, 1] = cy
        m[:, 2] = cell[code] * n
        m[:, 3:6] = (0, n, n)
        m[:, 6:10] = (1 / dpr, 1 / dpr, 0.0, 1.0)
        p.drawPixmapFragments(*arr.drawargs(), atlas)
        return
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)  # as the cached pixmaps are drawn
    background = st.theme.background
    for x, y, k in zip(cx.tolist(), cy.tolist(), code.tolist(), strict=True):
        _marker(p, "hollow" if k % 2 else "diamond", colors[k // 2], background, x, y, size, 1.0)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)


def _badge_spots(
    parts: list[tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]], cell: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """One badge per event (its first lane), none where it would sit on another badge, capped."""
    if not parts:
        return np.zeros(0), np.zeros(0)
    idx = np.concatenate([q[0] for q in parts])
    x = np.concatenate([q[1] for q in parts])
    y = np.concatenate([q[2] for q in parts])
    _, first = np.unique(idx, return_index=True)
    first.sort()
    x, y = x[first], y[first]
    key = np.round(y).astype(np.int64) * 1_000_003 + np.floor(x / cell).astype(np.int64)
    _, one = np.unique(key, return_index=True)
    one.sort()
    x, y, key = x[one], y[one], key[one]
    # a badge right next to another would merge into a blob (``np.isin`` by one binary search)
    ordered = np.sort(key)
    at = np.minimum(np.searchsorted(ordered, key - 1), len(ordered) - 1)
    lone = ordered[at] != key - 1
    return x[lone][:MAX_BADGES], y[lone][:MAX_BADGES]


def _badges(p: QPainter, f: Frame, st: ViewState, xs: NDArray[np.float64], ys: NDArray[np.float64]) -> None:
    """A small "!" disc at the top-right of each event whose sources disagree."""
    if len(xs) == 0:
        return
    r = 5.5 * f.scale
    cx, cy = xs + r * 0.6, ys - f.glyph / 2
    dpr = _pixel_ratio(p)
    if dpr is not None:  # one blit from a cached glyph, as for markers
        _fragments(p, cx, cy, st.glyphs.badge_pixmap(f, st.theme, dpr), dpr)
        return
    for x, y in zip(cx.tolist(), cy.tolist(), strict=True):
        _badge(p, f, st.theme, QPointF(x, y))


def _cluster_counts(
    p: QPainter, f: Frame, st: ViewState, x: NDArray[np.float64], cy: NDArray[np.float64], more: NDArray[np.int64]
) -> None:
    """ "+3" right of a cluster's mark: that many more events share the spot (``count_width``)."""
    th = st.theme
    font = QFont(f.small)
    font.setBold(True)
    fm = QFontMetricsF(font)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    h = fm.height()
    for xx, yy, k in zip(x.tolist(), cy.tolist(), more.tolist(), strict=True):
        text = f"+{k}"
        w = fm.horizontalAdvance(text) + 4 * f.scale
        r = QRectF(xx + 1 * f.scale, yy - h / 2, w, h)
        p.setPen(QPen(th.muted, max(1.0, f.scale * 0.8)))
        p.setBrush(th.background)
        p.drawRoundedRect(r, h / 2, h / 2)
        p.setPen(th.text)
        st.draw_text(p, QPointF(r.left() + 2 * f.scale, r.top()), text, font)
