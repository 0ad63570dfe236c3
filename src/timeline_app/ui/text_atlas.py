"""Label texts drawn once into shared pixmap pages and blitted: see ``TextAtlas``."""

from __future__ import annotations

import math

import numpy as np
from pyqtgraph.Qt.internals import PrimitiveArray
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPixmap, QStaticText

AtlasKey = tuple[str, int, bool, int, float]  # text, pixel size, bold, colour, device pixel ratio


class TextAtlas:
    """Label texts drawn once into shared pixmaps, so a frame blits all its labels with one
    ``drawPixmapFragments`` per page instead of laying out glyphs label by label (~4x faster for
    a few hundred labels; a pan meets few new titles). Texts land on whole device pixels."""

    PAGE_W, PAGE_H, MAX_PAGES = 2048, 1024, 4
    PAD = 2  # device pixels around the advance: overhanging glyphs

    def __init__(self) -> None:
        self.pages: list[QPixmap] = []
        self.cells: dict[AtlasKey, tuple[int, int, int, int, int, int]] = {}  # page, x, y, w, h, pad above
        self._x = self._y = self._row = 0

    def clear(self) -> None:
        self.pages.clear()
        self.cells.clear()
        self._x = self._y = self._row = 0

    def draw(
        self, p: QPainter, items: list[tuple[QRectF, str, QColor]], font: QFont, dpr: float
    ) -> list[tuple[QRectF, str, QColor]]:
        """Draw each (rect, text, colour) with its text's top-left at the rect's, to the pixel;
        returns those that did not fit in the pages (the caller draws them itself)."""
        if not items:
            return []
        keys = [(text, font.pixelSize(), font.bold(), color.rgba(), dpr) for _, text, color in items]
        missing = [k for k in range(len(items)) if keys[k] not in self.cells]
        if missing and not self._render(font, dpr, [(keys[k], items[k][0].width(), items[k][2]) for k in missing]):
            self.clear()  # the pages are full: start afresh with this frame's texts
            self._render(font, dpr, [(k, item[0].width(), item[2]) for k, item in zip(keys, items, strict=True)])
        cells = [self.cells.get(k) for k in keys]
        fits = [k for k, c in enumerate(cells) if c is not None]
        if fits:
            table = np.array([cells[k] for k in fits], dtype=np.float64)
            page, sx, sy, w, h, pad_y = (table[:, j] for j in range(6))
            left = np.array([items[k][0].left() for k in fits]) * dpr
            top = np.array([items[k][0].top() for k in fits]) * dpr
            cx = (np.round(left) - self.PAD + w / 2) / dpr
            cy = (np.round(top) - pad_y + h / 2) / dpr
            for n in np.unique(page).astype(int).tolist():
                m = np.flatnonzero(page == n)
                arr = PrimitiveArray(QPainter.PixmapFragment, 10)
                arr.resize(len(m))
                a = arr.ndarray()
                a[:, 0], a[:, 1], a[:, 2], a[:, 3], a[:, 4], a[:, 5] = cx[m], cy[m], sx[m], sy[m], w[m], h[m]
                a[:, 6:10] = (1 / dpr, 1 / dpr, 0.0, 1.0)
                p.drawPixmapFragments(*arr.drawargs(), self.pages[n])
        return [item for item, c in zip(items, cells, strict=True) if c is None]

    def _render(self, font: QFont, dpr: float, todo: list[tuple[AtlasKey, float, QColor]]) -> bool:
        """Draw the texts ``todo`` into free cells; False when the pages ran out first."""
        fm = QFontMetricsF(font)
        complete = True
        pad_y = math.ceil(fm.height() * 0.5 * dpr)  # room for marks above and below the line
        h = math.ceil(fm.height() * dpr) + 2 * pad_y
        painter: QPainter | None = None
        page = -1
        for key, width, color in todo:
            if key in self.cells:
                continue
            w = min(self.PAGE_W, math.ceil(width * dpr) + 2 * self.PAD)
            if self._x + w > self.PAGE_W:
                self._x, self._y, self._row = 0, self._y + self._row, 0
            if not self.pages or self._y + h > self.PAGE_H:
                if len(self.pages) >= self.MAX_PAGES:
                    complete = False
                    break
                pm = QPixmap(self.PAGE_W, self.PAGE_H)
                pm.fill(Qt.GlobalColor.transparent)
                self.pages.append(pm)
                self._x = self._y = self._row = 0
            if page != len(self.pages) - 1:
                if painter is not None:
                    painter.end()
                page = len(self.pages) - 1
                painter = QPainter(self.pages[page])
                painter.setFont(font)
            assert painter is not None
            painter.setPen(color)
            st = QStaticText(key[0])
            st.setTextFormat(Qt.TextFormat.PlainText)
            painter.save()
            painter.translate(self._x + self.PAD, self._y + pad_y)
            painter.scale(dpr, dpr)
            st.prepare(painter.transform(), font)
            painter.drawStaticText(QPointF(0, 0), st)
            painter.restore()
            self.cells[key] = (page, self._x, self._y, w, h, pad_y)
            self._x += w
            self._row = max(self._row, h)
        if painter is not None:
            painter.end()
        return complete
