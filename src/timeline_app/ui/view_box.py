"""The timeline's ViewBox: pyqtgraph's, with navigation in time only.

Its own module because it is pyqtgraph's mouse handling, not the timeline's: the view embeds it
and gives it a click handler; the y axis (the lanes) never moves.
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt


class TimelineViewBox(pg.ViewBox):
    """Time-only navigation: wheel zooms at the cursor, left-drag pans, right-drag or
    Shift+drag draws a band and zooms to its time range; a click reports its position."""

    def __init__(self) -> None:
        super().__init__(enableMenu=False)
        self.setMouseEnabled(x=True, y=False)
        self.click_handler: Any = None

    def mouseClickEvent(self, ev: Any) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            if self.click_handler is not None:
                self.click_handler(ev.pos())
        else:
            ev.ignore()

    def mouseDragEvent(self, ev: Any, axis: Any = None) -> None:
        band = ev.button() == Qt.MouseButton.RightButton or (
            ev.button() == Qt.MouseButton.LeftButton and ev.modifiers() & Qt.KeyboardModifier.ShiftModifier
        )
        if not band or axis is not None:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        down = ev.buttonDownPos(ev.button())
        h = self.height()
        if ev.isFinish():
            self.rbScaleBox.hide()
            a = self.mapToView(QPointF(down.x(), 0)).x()
            b = self.mapToView(QPointF(ev.pos().x(), 0)).x()
            if abs(ev.pos().x() - down.x()) >= 4:
                self.setXRange(min(a, b), max(a, b), padding=0)
        else:
            self.updateScaleBox(QPointF(down.x(), 0), QPointF(ev.pos().x(), h))
