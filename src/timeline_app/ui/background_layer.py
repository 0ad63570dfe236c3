"""The background layer: lane stripes, grid lines, era bands with their titles, and the axis
breaks' hatched gaps. Era titles share the header's rows: each goes in full in the first row
where it meets no other title, else on two lines where two rows are free, else shortened at a
word boundary ("…"), its full title then shown on hover (``era_title_at``): never cut mid-word,
never over another title."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPen, QPolygonF

from ..core.label_forms import wrap_two
from .frame import Frame, _break_spans
from .view_state import ViewState

ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class EraTitle:
    era: int  # position in the store's eras
    lines: tuple[str, ...]
    rects: tuple[QRectF, ...]  # one per line, in the header
    title: str  # the full title
    shortened: bool


def shorten_words(text: str, room: float, measure: Callable[[str], float]) -> str:
    """``text``, or its longest run of whole words followed by "…" that fits ``room``; "" if
    not even its first word does."""
    if measure(text) <= room:
        return text
    words = text.split()
    for k in range(len(words) - 1, 0, -1):
        head = " ".join(words[:k]).rstrip(",;:(–-")
        if measure(f"{head} {ELLIPSIS}") <= room:
            return f"{head} {ELLIPSIS}"
    return ""


def era_titles(f: Frame, st: ViewState) -> list[EraTitle]:
    """Where each era's title goes in the header (see the module's docstring), laid out once a frame."""
    if f._eras is not None:
        return f._eras
    s = st.store
    out: list[EraTitle] = []
    f._eras = out
    if s is None:
        return out
    fm = QFontMetricsF(f.small)
    sc = f.scale
    line = fm.height() + 2 * sc
    n_rows = max(1, round((f.header - 4 * sc) / line)) if f.header > 4 * sc else 0
    row_end = [f.plot.left() - 1e9] * n_rows  # right end of the last title placed in each header row
    order = sorted(range(len(s.eras)), key=lambda k: (s.eras[k].start, -s.eras[k].end))
    for k in order:
        era = s.eras[k]
        a, b = max(f.px(era.start), f.plot.left()), min(f.px(era.end), f.plot.right())
        if b <= a:
            continue
        x = a + 4 * sc  # it may run past a narrow band, never into the next title
        room = f.plot.right() - x - 2 * sc
        free = [r for r in range(n_rows) if row_end[r] + 10 * sc <= x]
        if not free or room < 30 * sc:
            continue
        title = " ".join(era.title.split())
        rows = [free[0]]
        lines: tuple[str, ...] = (title,)
        if fm.horizontalAdvance(title) > room:
            pair = [r for r in free if r + 1 in free]
            two = wrap_two(title, fm.horizontalAdvance)
            if pair and two is not None and two[1] <= room:
                rows, lines = [pair[0], pair[0] + 1], two[0]
            else:
                short = shorten_words(title, room, fm.horizontalAdvance)
                if not short:
                    continue
                lines = (short,)
        rects = []
        for text, r in zip(lines, rows, strict=True):
            w = fm.horizontalAdvance(text)
            rects.append(QRectF(x, f.plot.top() + 2 * sc + r * line, w, fm.height()))
            row_end[r] = x + w
        out.append(EraTitle(k, lines, tuple(rects), title, lines[-1].endswith(ELLIPSIS)))
    return out


def era_title_at(f: Frame, st: ViewState, pt: QPointF) -> str | None:
    """The full title of the era whose shortened title is under ``pt`` (for its tooltip)."""
    for t in era_titles(f, st):
        if t.shortened and any(r.adjusted(-2, -2, 2, 2).contains(pt) for r in t.rects):
            return t.title
    return None


def draw_background(p: QPainter, f: Frame, st: ViewState) -> None:
    """Lane stripes, grid lines at the major ticks, era bands and their titles."""
    th = st.theme  # the plot is already cleared to the background (the view's, or render_to's)
    g = f.geometry
    for pos in range(len(g.top)):
        r = QRectF(f.plot.left(), g.top[pos], f.plot.width(), g.height[pos])
        if pos % 2 == 1:
            p.fillRect(r, th.stripe)
    bottom = f.plot.bottom() - f.footer
    p.setPen(QPen(th.grid, 1))
    xs = [f.px(t.value) for t in f.ticks.major]
    p.drawLines([QLineF(x, f.plot.top() + f.header, x, bottom) for x in xs])
    p.setPen(QPen(th.separator, 1))
    p.drawLines([QLineF(f.plot.left(), y, f.plot.right(), y) for y in g.top[1:].tolist()])
    if f.footer:
        p.drawLine(QLineF(f.plot.left(), bottom, f.plot.right(), bottom))
    s = st.store
    if s is None:
        return
    for era in sorted(s.eras, key=lambda e: (e.start, -e.end)):
        a, b = max(f.px(era.start), f.plot.left()), min(f.px(era.end), f.plot.right())
        if b <= a:
            continue
        col = th.era(era.color)
        p.fillRect(QRectF(a, f.plot.top(), b - a, bottom - f.plot.top()), col)
        edge = QColor(col)
        edge.setAlphaF(min(1.0, col.alphaF() * 2.5))
        p.setPen(QPen(edge, 1))
        p.drawLine(QLineF(a, f.plot.top(), a, bottom))
    for t in era_titles(f, st):
        era = s.eras[t.era]
        p.setPen(th.ink(era.color) if era.color else th.muted)
        for text, rect in zip(t.lines, t.rects, strict=True):
            st.draw_text(p, rect.topLeft(), text, f.small)
    _draw_breaks(p, f, st, f.plot.top() + f.header, bottom)  # era titles stay readable above


def _zigzag(x: float, top: float, bottom: float, amp: float) -> QPolygonF:
    step = amp * 2
    pts = [QPointF(x + (amp if k % 2 else -amp) / 2, top + k * step) for k in range(int((bottom - top) / step) + 2)]
    return QPolygonF(pts)


def _draw_breaks(p: QPainter, f: Frame, st: ViewState, top: float, bottom: float) -> None:
    """Each axis break as a hatched gap in the lanes and era bands, edged by two zigzags: the
    years it hides are not drawn to scale (the axis writes their length under it); an event
    spanning the break is drawn through it, over the gap."""
    spans = _break_spans(f)
    if not spans:
        return
    th = st.theme
    pen = QPen(th.separator, max(1.0, f.scale))  # quiet in the plot; the axis carries the mark
    veil = QColor(th.background)
    veil.setAlphaF(0.7)
    hatch = QBrush(th.grid, Qt.BrushStyle.BDiagPattern)
    for a, b, _ in spans:
        r = QRectF(a, top, b - a, bottom - top)
        p.fillRect(r, veil)
        p.fillRect(r, hatch)
        p.setPen(pen)
        for x in (a, b):
            p.drawPolyline(_zigzag(x, top, bottom, 4 * f.scale))
