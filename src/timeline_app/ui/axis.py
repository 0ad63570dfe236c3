"""The time axis and the lane-name gutter, as pyqtgraph axes.

Never ``DateAxisItem``: it works on Unix timestamps and gives up before year 1. Ticks come from
``core.ticks`` (calendar steps, BCE-safe); both axes draw through the same functions as
``TimelineView.render_to``, so the screen and an export agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from .axis_layer import draw_axis, draw_gutter
from .frame import Frame
from .view_state import ViewState


class _ViewAxis(pg.AxisItem):
    """An axis that paints itself with ``draw`` from the view's frame; pyqtgraph's own tick
    machinery (``tickValues``, ``tickStrings``) never runs, as ``paint`` is replaced."""

    def __init__(
        self, state: ViewState, orientation: str, draw: Callable[[QPainter, QRectF, Frame, ViewState], None]
    ) -> None:
        super().__init__(orientation)
        self._state = state
        self._draw = draw
        # no SI prefix: otherwise every range change re-renders the (hidden) label's HTML
        self.enableAutoSIPrefix(False)

    def paint(self, p: QPainter, *args: Any) -> None:
        vb = self.linkedView()
        if vb is None:
            return
        (u0, u1), _ = vb.viewRange()  # view units (core.scale); frames speak days
        if not u1 > u0:
            return
        x0, x1 = self._state.tscale.to_days(u0), self._state.tscale.to_days(u1)
        t = p.transform()
        plot = t.mapRect(self.mapRectFromItem(vb, QRectF(vb.boundingRect())))
        own = t.mapRect(QRectF(0, 0, self.width(), self.height()))
        f = self._state.frame(plot, float(x0), float(x1), 1.0)
        p.save()
        p.resetTransform()
        p.setClipRect(own)
        self._draw(p, own, f, self._state)
        p.restore()


class TimeAxis(_ViewAxis):
    """Calendar ticks that adapt from millennia to days as you zoom."""

    def __init__(self, state: ViewState) -> None:
        super().__init__(state, "bottom", draw_axis)


class LaneAxis(_ViewAxis):
    """The fixed left gutter: one actor name per lane, in the actor's colour."""

    def __init__(self, state: ViewState) -> None:
        super().__init__(state, "left", draw_gutter)
