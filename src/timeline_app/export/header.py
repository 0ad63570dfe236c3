"""The page's header above the drawing: the title (wrapped, never cut), the filter caption and
the legend of actors shown, laid out first so the drawing gets the height that is left."""

from __future__ import annotations

from dataclasses import dataclass

import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from ..ui.theme import Theme
from .fonts import Fonts, metrics
from .layout import wrap
from .options import ExportOptions
from .page_texts import PageTexts


@dataclass
class Header:
    title_lines: list[str]
    caption_lines: list[str]
    legend: list[tuple[str, QColor]]
    legend_rows: list[list[tuple[float, str, QColor]]]  # (x offset, name, colour) per row
    top: float
    bottom: float


def lay_out_header(
    rect: QRectF, texts: PageTexts, options: ExportOptions, fonts: Fonts, theme: Theme, *, page_label: str = ""
) -> Header:
    k = fonts.k
    margin = fonts.margin
    width = rect.width() - 2 * margin
    tfm, cfm, lfm = metrics(fonts.title), metrics(fonts.caption), metrics(fonts.legend)
    title_lines = wrap(" ".join(texts.title.split()), tfm.horizontalAdvance, width) or [""]
    caption = texts.caption if options.caption else ""
    if page_label:
        caption = f"{caption} · {page_label}" if caption else page_label
    caption_lines = wrap(caption, cfm.horizontalAdvance, width) if caption else []
    y = rect.top() + margin + len(title_lines) * tfm.lineSpacing() + 4 * k + len(caption_lines) * cfm.lineSpacing()
    entries = [(name, theme.fill(color)) for name, color in texts.legend] if options.legend else []
    rows: list[list[tuple[float, str, QColor]]] = []
    if entries:
        swatch, gap, pad = lfm.ascent() * 0.8, 18 * k, 6 * k
        x, row = 0.0, []
        for name, color in entries:
            label = " ".join(name.split())
            w = swatch + pad + lfm.horizontalAdvance(label)
            if row and x + w > width:
                rows.append(row)
                x, row = 0.0, []
            row.append((x, label, color))
            x += w + gap
        rows.append(row)
        y += 8 * k + len(rows) * (lfm.height() + 4 * k)
    return Header(title_lines, caption_lines, entries, rows, rect.top() + margin, y + 10 * k)


def draw_header(painter: QPainter, rect: QRectF, header: Header, fonts: Fonts, theme: Theme) -> None:
    k = fonts.k
    left = rect.left() + fonts.margin
    tfm, cfm, lfm = metrics(fonts.title), metrics(fonts.caption), metrics(fonts.legend)
    y = header.top
    painter.setFont(fonts.title)
    painter.setPen(theme.text)
    for line in header.title_lines:
        painter.drawText(QPointF(left, y + tfm.ascent()), line)
        y += tfm.lineSpacing()
    y += 4 * k
    painter.setFont(fonts.caption)
    painter.setPen(theme.muted)
    for line in header.caption_lines:
        painter.drawText(QPointF(left, y + cfm.ascent()), line)
        y += cfm.lineSpacing()
    if header.legend_rows:
        y += 8 * k
        swatch, pad = lfm.ascent() * 0.8, 6 * k
        painter.setFont(fonts.legend)
        for row in header.legend_rows:
            for x, name, color in row:
                sy = y + (lfm.height() - swatch) / 2
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(color)
                painter.drawRoundedRect(QRectF(left + x, sy, swatch, swatch), swatch * 0.2, swatch * 0.2)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(theme.text)
                painter.drawText(QPointF(left + x + swatch + pad, y + lfm.ascent()), name)
            y += lfm.height() + 4 * k
