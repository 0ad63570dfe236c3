"""The overview strip: the whole data set under the timeline, with the current view as a box.

A thin band of bars, one per pixel group, counting the events shown (filters applied) that start
in each stretch, drawn through the same time scale as the view (its breaks marked the same way),
so a reader zoomed into 2019 still sees where everything else is. Click to centre the view there,
drag the box to move it (TimelineJS's navigation bar and Aeon's context bar are the references).
Counts come from the store's sorted start column: one ``cumsum`` of the filter mask (kept until
the filter changes) and one ``searchsorted`` of the bin edges, so 1M events cost a few ms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

if TYPE_CHECKING:
    from .timeline_view import TimelineView

__all__ = ["OverviewStrip", "bin_counts"]

HEIGHT = 30
BIN_PX = 3  # one bar per this many pixels


def bin_counts(
    start: NDArray[np.float64], cum: NDArray[np.int64] | None, edges: NDArray[np.float64]
) -> NDArray[np.int64]:
    """Events starting in each ``[edges[i], edges[i+1])``; ``start`` sorted, ``cum`` the running
    count of shown events (``cumsum`` of the mask, with a leading 0) or None for all events."""
    pos = np.searchsorted(start, edges, side="left")
    if cum is None:
        return np.diff(pos).astype(np.int64)
    return np.diff(cum[pos]).astype(np.int64)


class OverviewStrip(QWidget):
    """Draws ``view``'s whole data set and moves ``view`` when clicked or dragged."""

    moved = Signal(float)  # the view was centred on this day by the strip

    def __init__(self, view: TimelineView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overview_strip")
        self._view = view
        self.setFixedHeight(HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("The whole data set: click to go there, drag the box to move the view")
        self._cum_key: tuple[Any, ...] | None = None
        self._cum: NDArray[np.int64] | None = None
        self._bars_key: tuple[Any, ...] | None = None
        self._bars: NDArray[np.int64] = np.zeros(0, np.int64)
        self._grab: float | None = None  # while dragging: the press's offset from the box centre (px)
        view.range_changed.connect(lambda *_: self.update())
        view.content_changed.connect(self.update)

    # -- geometry ----------------------------------------------------------------------------

    def _extent(self) -> tuple[float, float, float, float] | None:
        """(left px, width px, first unit, last unit) of the strip: the view's plot columns,
        spanning the whole data set (a margin either side) in view units."""
        s = self._view.store()
        if s is None or len(s) == 0:
            return None
        left, width = self._view.plot_columns()
        if width < 10:
            return None
        t = self._view.time_scale_map()
        lo, hi = float(s.start[0]), float(s.end.max())
        ulo, uhi = float(t.to_units(lo)), float(t.to_units(hi))
        pad = max((uhi - ulo) * 0.02, 10.0)
        return left, width, ulo - pad, uhi + pad

    def x_of_units(self, u: float) -> float | None:
        e = self._extent()
        if e is None:
            return None
        left, width, u0, u1 = e
        return left + (u - u0) / (u1 - u0) * width

    def units_at(self, x: float) -> float | None:
        e = self._extent()
        if e is None:
            return None
        left, width, u0, u1 = e
        return u0 + (x - left) / width * (u1 - u0)

    def view_box(self) -> QRectF | None:
        """Where the current view is drawn on the strip (widget coordinates)."""
        u0, u1 = self._view.view_units()
        a, b = self.x_of_units(u0), self.x_of_units(u1)
        if a is None or b is None:
            return None
        if b - a < 4:
            c = (a + b) / 2
            a, b = c - 2, c + 2
        return QRectF(a, 1.5, b - a, self.height() - 3)

    # -- counts ------------------------------------------------------------------------------

    def counts(self) -> NDArray[np.int64]:
        """Shown events per bar (cached until the data, the filter, the scale or the size change)."""
        e = self._extent()
        s = self._view.store()
        if e is None or s is None:
            return np.zeros(0, np.int64)
        _left, width, u0, u1 = e
        vis = self._view.shown_mask()
        t = self._view.time_scale_map()
        key = (id(s), id(vis), id(t), round(width), u0, u1)
        if key != self._bars_key:
            if self._cum_key != (id(s), id(vis)):
                self._cum = None if vis is None else np.concatenate(([0], np.cumsum(vis, dtype=np.int64)))
                self._cum_key = (id(s), id(vis))
            n = max(1, int(width // BIN_PX))
            edges = np.asarray(t.to_days(np.linspace(u0, u1, n + 1)), np.float64)
            self._bars = bin_counts(s.start, self._cum, edges)
            self._bars_key = key
        return self._bars

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, _ev: QPaintEvent) -> None:
        p = QPainter(self)
        th = self._view.theme()
        p.fillRect(self.rect(), th.background)
        p.setPen(QPen(th.separator, 1))
        p.drawLine(QPointF(0, 0.5), QPointF(self.width(), 0.5))
        e = self._extent()
        if e is None:
            p.end()
            return
        left, width, u0, u1 = e
        counts = self.counts()
        n = len(counts)
        top, bottom = 4.0, self.height() - 4.0
        if n and counts.max() > 0:
            # square root: one event still shows beside a hundred
            h = np.sqrt(counts / counts.max()) * (bottom - top)
            bar = QColor(th.muted)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(bar)
            step = width / n
            bw = max(1.0, step - 0.5)
            rects = []
            for k in np.flatnonzero(counts).tolist():
                hk = max(2.0, float(h[k]))
                rects.append(QRectF(left + k * step, bottom - hk, bw, hk))
            p.drawRects(rects)  # one call for every bar
        t = self._view.time_scale_map()
        p.setPen(QPen(th.muted, 1))
        for b in t.breaks:
            for u in (b.u0, b.u1):
                x = left + (u - u0) / (u1 - u0) * width
                pts = [QPointF(x + (1.5 if k % 2 else -1.5), top + k * 3) for k in range(int((bottom - top) / 3) + 1)]
                p.drawPolyline(QPolygonF(pts))
        box = self.view_box()
        if box is not None:
            fill = QColor(th.highlight)
            fill.setAlphaF(0.18 if box.width() < 0.95 * width else 0.0)  # the whole in view: a frame
            p.setBrush(fill)
            p.setPen(QPen(th.highlight, 1.5))
            p.drawRoundedRect(box, 3, 3)
        p.end()

    # -- mouse -------------------------------------------------------------------------------

    def mousePressEvent(self, ev: QMouseEvent) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        x = ev.position().x()
        box = self.view_box()
        if box is not None and box.left() - 3 <= x <= box.right() + 3:
            self._grab = x - box.center().x()  # drag the box from where it was taken
        else:
            self._grab = 0.0
            self._move_to(x)
        ev.accept()

    def mouseMoveEvent(self, ev: QMouseEvent) -> None:
        if self._grab is not None:
            self._move_to(ev.position().x() - self._grab)
            ev.accept()

    def mouseReleaseEvent(self, ev: QMouseEvent) -> None:
        self._grab = None
        ev.accept()

    def _move_to(self, x: float) -> None:
        u = self.units_at(x)
        if u is None:
            return
        day = float(self._view.time_scale_map().to_days(u))
        self._view.center_on(day)
        self.moved.emit(day)
