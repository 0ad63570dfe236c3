"""Glyphs and batched drawing shared by the layers. On a raster device a glyph (a diamond, a
badge) is drawn once into a pixmap and then blitted hundreds at a time in one Qt call, as the
per-call cost dominates; on a vector device (SVG, PDF) a pixmap would blur, so shapes are drawn."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from pyqtgraph.Qt.internals import PrimitiveArray
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from collections.abc import Callable

    from .frame import Frame
    from .theme import Theme


class Glyphs:
    """Glyph pixmaps made once per look and size (``ViewState.set_look`` clears them)."""

    def __init__(self) -> None:
        self._pixmaps: dict[tuple[Any, ...], QPixmap] = {}

    def clear(self) -> None:
        self._pixmaps.clear()

    def _pixmap(self, key: tuple[Any, ...], n: int, paint: Callable[[QPainter], None]) -> QPixmap:
        """An ``n``x``n`` device-pixel glyph drawn once: hundreds are then blitted in one call."""
        pm = self._pixmaps.get(key)
        if pm is None:
            pm = self._pixmaps[key] = QPixmap(n, n)
            pm.fill(Qt.GlobalColor.transparent)
            q = QPainter(pm)
            q.setRenderHint(QPainter.RenderHint.Antialiasing)
            q.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            paint(q)
            q.end()
        return pm

    def badge_pixmap(self, f: Frame, theme: Theme, dpr: float) -> QPixmap:
        r = 5.5 * f.scale
        n = max(1, math.ceil((2 * r + 2 * max(1.0, f.scale)) * dpr))

        def paint(q: QPainter) -> None:
            q.scale(dpr, dpr)
            _badge(q, f, theme, QPointF(n / dpr / 2, n / dpr / 2))

        return self._pixmap(("badge", f.scale, f.small.pixelSize(), dpr), n, paint)

    def marker_atlas(
        self, cells: list[tuple[str, QColor]], size: int, dpr: float, background: QColor
    ) -> tuple[QPixmap, int]:
        """The glyphs ``cells`` side by side in one pixmap (cell k at x = k * n), so a frame's
        diamonds of every lane and colour go in one ``drawPixmapFragments``."""
        n = max(1, round(size * dpr))
        key = ("atlas", tuple((kind, color.rgba()) for kind, color in cells), size, dpr)
        pm = self._pixmaps.get(key)
        if pm is None:
            if len(self._pixmaps) > 200:
                self._pixmaps.clear()
            glyphs = [self.marker_pixmap(kind, color, size, dpr, background) for kind, color in cells]
            pm = self._pixmaps[key] = QPixmap(n * len(cells), n)
            pm.fill(Qt.GlobalColor.transparent)
            q = QPainter(pm)
            q.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
            for k, glyph in enumerate(glyphs):
                q.drawPixmap(k * n, 0, glyph)
            q.end()
        return pm, n

    def marker_pixmap(self, kind: str, color: QColor, size: int, dpr: float, background: QColor) -> QPixmap:
        n = max(1, round(size * dpr))
        bg = background
        return self._pixmap(
            (kind, color.rgba(), size, dpr), n, lambda q: _marker(q, kind, color, bg, n / 2, n / 2, n, dpr)
        )


def _pixel_ratio(p: QPainter) -> float | None:
    """Device pixels per drawing unit on a raster device (screen, image), where glyphs are blitted
    from cached pixmaps made at that resolution; None on a vector one (SVG, PDF, printer), where
    a pixmap would blur when zoomed or printed, so glyphs are drawn as shapes."""
    if not isinstance(p.device(), (QImage, QPixmap, QWidget)):
        return None
    t = p.deviceTransform()  # the device's pixel ratio and any scale set by the caller
    return math.hypot(t.m11(), t.m12()) or 1.0


def _marker(
    q: QPainter, kind: str, color: QColor, background: QColor, cx: float, cy: float, size: float, dpr: float
) -> None:
    """An instant's diamond (hollow when approximate), ``size`` device pixels across."""
    if kind == "diamond":
        q.setPen(QPen(background, max(1.0, dpr)))
        q.setBrush(color)
    else:
        q.setPen(QPen(color, max(1.5, 1.6 * dpr)))
        q.setBrush(background)
    q.drawPolygon(_diamond(cx, cy, size / 2 - max(1.0, dpr)))


def _fragments(p: QPainter, cx: NDArray[np.float64], cy: NDArray[np.float64], pm: QPixmap, dpr: float) -> None:
    arr = PrimitiveArray(QPainter.PixmapFragment, 10)
    arr.resize(len(cx))
    m = arr.ndarray()
    m[:, 0] = cx
    m[:, 1] = cy
    m[:, 2:6] = (0, 0, pm.width(), pm.height())
    m[:, 6:10] = (1 / dpr, 1 / dpr, 0.0, 1.0)
    p.drawPixmapFragments(*arr.drawargs(), pm)


def _badge(p: QPainter, f: Frame, theme: Theme, c: QPointF) -> None:
    th = theme
    r = 5.5 * f.scale
    p.setPen(QPen(th.background, max(1.0, f.scale)))
    p.setBrush(QColor("#b8860b") if not th.dark else QColor("#f0c04a"))
    p.drawEllipse(c, r, r)
    font = QFont(f.small)
    font.setBold(True)
    font.setPixelSize(max(6, round(r * 1.7)))
    p.setPen(QColor("black") if th.dark else QColor("white"))
    p.setFont(font)
    p.drawText(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, "!")


def _diamond(cx: float, cy: float, r: float) -> QPolygonF:
    return QPolygonF([QPointF(cx, cy - r), QPointF(cx + r, cy), QPointF(cx, cy + r), QPointF(cx - r, cy)])


def _draw_lines(p: QPainter, lines: NDArray[np.float64]) -> None:
    """(x1, y1, x2, y2) rows in one ``drawLines`` straight from the array."""
    arr = PrimitiveArray(QLineF, 4)
    arr.resize(len(lines))
    arr.ndarray()[:] = lines
    p.drawLines(*arr.drawargs())
