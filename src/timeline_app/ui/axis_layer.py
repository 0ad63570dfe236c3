"""The two margins beside the plot: lane names in the gutter at the left (fixed while the time
axis moves, so drawn from a cached picture while the view pans) and the time axis under the plot,
its ticks and calendar labels (core.ticks) and, at each break of the time scale, a "//" mark with
the length it hides."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPen

from .frame import Frame, _break_spans
from .glyphs import _draw_lines

if TYPE_CHECKING:
    from collections.abc import Callable

    from .view_state import ViewState

STREAM_NAME = "All events"  # the single stream's lane name


def draw_gutter(p: QPainter, rect: QRectF, f: Frame, st: ViewState) -> None:
    """Lane names at the left, in the actor's colour, fixed while the time axis moves."""
    g = f.geometry
    key = ("gutter", st.serial, st.lane_mode, tuple(st.shown), g.top.tobytes(), g.height.tobytes(), g.pad, f.glyph,
           f.scale, f.bold.pixelSize(), rect.left(), rect.top(), rect.width(), rect.height())  # fmt: skip
    st.cached(p, key, rect, lambda q: _draw_gutter(q, rect, f, st))


def _draw_gutter(p: QPainter, rect: QRectF, f: Frame, st: ViewState) -> None:
    th = st.theme
    p.fillRect(rect, th.background)
    s = st.store
    if s is None:
        return
    g = f.geometry
    fm = QFontMetricsF(f.bold)
    for pos, lane in enumerate(st.shown):
        top, h = float(g.top[pos]), float(g.height[pos])
        if pos % 2 == 1:
            p.fillRect(QRectF(rect.left(), top, rect.width(), h), th.stripe)
        a = st.lane_actor(lane)
        p.fillRect(QRectF(rect.right() - 4 * f.scale, top + 1, 4 * f.scale, h - 2), st.actor_fill(a))
        p.setPen(st.actor_ink(a))
        name = s.actor_names[a] if a >= 0 else STREAM_NAME
        text = fm.elidedText(name, Qt.TextElideMode.ElideRight, rect.width() - 16 * f.scale)
        y = top + g.pad + f.glyph / 2 - fm.height() / 2
        y = min(y, top + h - fm.height())
        st.draw_text(p, QPointF(rect.left() + 8 * f.scale, y), text, f.bold)
    p.setPen(QPen(th.separator, 1))
    p.drawLines([QLineF(rect.left(), y, rect.right(), y) for y in g.top[1:].tolist()])


def draw_axis(p: QPainter, rect: QRectF, f: Frame, st: ViewState) -> None:
    """Tick marks and calendar labels under the plot (see core.ticks)."""
    th = st.theme
    p.fillRect(rect, th.background)
    p.setPen(QPen(th.separator, 1))
    p.drawLine(QLineF(f.plot.left(), rect.top() + 0.5, f.plot.right(), rect.top() + 0.5))
    tick = 6 * f.scale
    top = rect.top()
    p.setPen(QPen(th.muted, 1))
    for values, length in ((f.ticks.minor, tick * 0.5), ([t.value for t in f.ticks.major], tick)):
        if values:
            x = f.px(np.asarray(values, np.float64))
            _draw_lines(p, np.column_stack([x, np.full(len(x), top), x, np.full(len(x), top + length)]))
    p.setPen(th.text)
    p.setFont(f.small)
    measure = st.measure(f.small)
    y = top + tick + 2 * f.scale
    for t in f.ticks.major:
        if t.label:
            st.draw_text(p, QPointF(f.px(t.value) - measure(t.label) / 2, y), t.label, f.small, set_font=False)
    _draw_axis_breaks(p, rect, f, st)


def _break_gap(measure: Callable[[str], float]) -> float:
    """Room tick labels leave on either side of a break, for the length written under it."""
    return measure("0.0 yrs") / 2 + 2


def _hidden_text(days: float) -> str:
    years = days / 365.2425
    if years >= 1.5:
        return f"{years:.1f} yrs" if round(years, 1) < 3 else f"{years:.0f} yrs"
    return f"{days / 30.44:.0f} mo" if days >= 45 else f"{days:.0f} d"


def _draw_axis_breaks(p: QPainter, rect: QRectF, f: Frame, st: ViewState) -> None:
    """The axis line cut at each break with a "//" mark, and the length it hides under it."""
    th = st.theme
    measure = st.measure(f.small)
    y = rect.top() + 0.5
    last_end = -1e9  # right end of the last length written: two near breaks never overprint
    gap = 6 * f.scale
    for a, b, days in _break_spans(f):
        p.fillRect(QRectF(a, rect.top() - 1, b - a, 3), th.background)
        c = (a + b) / 2
        h = 5 * f.scale
        p.setPen(QPen(th.muted, max(1.0, 1.2 * f.scale)))
        for dx in (-2.5 * f.scale, 2.5 * f.scale):
            p.drawLine(QLineF(c + dx - h / 2, y + h, c + dx + h / 2, y - h))
        text = _hidden_text(days)
        w = measure(text)
        if w / 2 <= (b - a) / 2 + _break_gap(measure) - 4 and c - w / 2 >= last_end + gap:
            p.setPen(th.muted)
            st.draw_text(p, QPointF(c - w / 2, y + h + 3 * f.scale), text, f.small)
            last_end = c + w / 2
