"""The connectors layer, under the marks: in "every actor" lanes a shared event has one mark, and
a thin line joins it to a small dot in each other shown lane it belongs to."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QLineF, QPointF
from PySide6.QtGui import QColor, QPainter, QPen

from .frame import INSTANT, Frame
from .glyphs import _draw_lines

if TYPE_CHECKING:
    from .view_state import ViewState

MAX_CONNECTORS = 5000  # more dots than this in view: no connectors (they would fill the lanes)


def draw_connectors(p: QPainter, f: Frame, st: ViewState) -> None:
    """In "every actor" lanes: a thin line from a shared event's one mark through its other shown
    lanes, with a small dot in each, in that lane's actor's colour."""
    s = st.store
    if s is None:
        return
    e = st.echoes(f)
    if len(e.idx) == 0 or len(e.idx) > MAX_CONNECTORS:
        return
    c = st.copies(f)
    order = np.argsort(c.idx)
    at = order[np.searchsorted(c.idx, e.idx, sorter=order)]  # each dot's mark
    ys = np.concatenate([e.cy, c.cy[at]])
    who = np.concatenate([e.idx, e.idx])
    srt = np.argsort(who, kind="stable")
    uniq, first = np.unique(who[srt], return_index=True)
    ymin = np.minimum.reduceat(ys[srt], first)
    ymax = np.maximum.reduceat(ys[srt], first)
    mark = order[np.searchsorted(c.idx, uniq, sorter=order)]
    x = np.where(c.kind[mark] == INSTANT, c.cx[mark], np.maximum(c.x0[mark], f.plot.left()) + 3)
    half = f.glyph / 2
    col = QColor(st.theme.muted)
    col.setAlphaF(0.55)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    p.setPen(QPen(col, max(1.0, f.scale)))
    _draw_lines(p, np.column_stack([x, ymin + half, x, ymax - half * 0.4]))
    for special in (st.hovered, st.selected):
        for k in np.flatnonzero(uniq == special).tolist() if special is not None else []:
            p.setPen(QPen(st.theme.highlight if special == st.selected else st.theme.muted, 2 * f.scale))
            p.drawLine(QLineF(x[k], ymin[k] + half, x[k], ymax[k] - half * 0.4))
    # the dots: one colour per actor, a few calls
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    r = max(2.5, f.glyph * 0.24)
    dot_x = x[np.searchsorted(uniq, e.idx)]
    for a in np.unique(e.color).tolist():
        m = np.flatnonzero(e.color == a)
        p.setPen(QPen(st.theme.background, max(1.0, f.scale * 0.8)))
        p.setBrush(st.actor_fill(int(a)))
        for xx, yy in zip(dot_x[m].tolist(), e.cy[m].tolist(), strict=True):
            p.drawEllipse(QPointF(xx, yy), r, r)
