"""The time axis and the lane-name gutter, as pyqtgraph axes.

Never ``DateAxisItem``: it works on Unix timestamps and gives up before year 1. Ticks come from
``core.ticks`` (calendar steps, BCE-safe); both axes draw through the same functions as
``TimelineView.render_to``, so the screen and an export agree.
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF, QPainter

from ..core.ticks import compute_ticks
from .layers import ViewState, draw_axis, draw_gutter


class _ViewAxis(pg.AxisItem):
    def __init__(self, state: ViewState, orientation: str) -> None:
        super().__init__(orientation)
        self._state = state
        self.setStyle(showValues=True)

    def _frame_and_rect(self, p: QPainter) -> tuple[Any, QRectF] | None:
        vb = self.linkedView()
        if vb is None:
            return None
        (x0, x1), _ = vb.viewRange()
        if not x1 > x0:
            return None
        t = p.transform()
        plot = t.mapRect(self.mapRectFromItem(vb, QRectF(vb.boundingRect())))
        own = t.mapRect(QRectF(0, 0, self.width(), self.height()))
        return self._state.frame(plot, float(x0), float(x1), 1.0), own

    def paint(self, p: QPainter, *args: Any) -> None:
        got = self._frame_and_rect(p)
        if got is None:
            return
        f, own = got
        p.save()
        p.resetTransform()
        p.setClipRect(own)
        self._draw(p, own, f)
        p.restore()

    def _draw(self, p: QPainter, rect: QRectF, f: Any) -> None:
        raise NotImplementedError


class TimeAxis(_ViewAxis):
    """Calendar ticks that adapt from millennia to days as you zoom."""

    def __init__(self, state: ViewState) -> None:
        super().__init__(state, "bottom")

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        font = self._state.fonts(1.0)[2]
        ticks = compute_ticks(minVal, maxVal, size, QFontMetricsF(font).horizontalAdvance)
        spacing = ticks.step.approx_days() if ticks.step else 1.0
        return [(spacing, [t.value for t in ticks.major]), (spacing / 4, ticks.minor)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        vb = self.linkedView()
        if vb is None:
            return ["" for _ in values]
        (x0, x1), _ = vb.viewRange()
        font = self._state.fonts(1.0)[2]
        ticks = compute_ticks(x0, x1, max(2.0, vb.width()), QFontMetricsF(font).horizontalAdvance)
        by_value = {t.value: t.label for t in ticks.major}
        return [by_value.get(v, "") for v in values]

    def _draw(self, p: QPainter, rect: QRectF, f: Any) -> None:
        draw_axis(p, rect, f, self._state)


class LaneAxis(_ViewAxis):
    """The fixed left gutter: one actor name per lane, in the actor's colour."""

    def __init__(self, state: ViewState) -> None:
        super().__init__(state, "left")

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        return []

    def _draw(self, p: QPainter, rect: QRectF, f: Any) -> None:
        draw_gutter(p, rect, f, self._state)
