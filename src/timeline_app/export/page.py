"""The page around the timeline drawing: title, filter caption and legend above it, the source
credit below it. The drawing itself comes from ``TimelineView.render_to``, the same path the window
paints with, so an exported image shows what the reader sees."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QGuiApplication, QPainter, QPen

from ..ui.theme import Theme
from .notes import credit_text, source_credits
from .texts import legend_entries

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from ..core.store import EventStore

REFERENCE_WIDTH = 1920.0  # the size at which the page's fonts have their nominal pixel sizes
REFERENCE_HEIGHT = 1080.0


class Renderable(Protocol):
    """What export needs from the timeline view."""

    def render_to(self, painter: QPainter, target: QRectF) -> None: ...


@dataclass(frozen=True)
class PageTexts:
    """The words around the drawing. All of it is data and is drawn as plain text."""

    title: str
    caption: str = ""
    legend: Sequence[tuple[str, str]] = ()  # (actor name, #rrggbb)
    credit: str = ""


def page_texts(
    store: EventStore,
    visible: NDArray[np.bool_] | None,
    *,
    caption: str = "",
    title: str | None = None,
    lanes: NDArray[np.bool_] | None = None,
) -> PageTexts:
    """Title, legend and source credit for the events ``visible`` leaves shown (in ``lanes``)."""
    return PageTexts(
        title=title if title and title.strip() else store.title,
        caption=caption,
        legend=legend_entries(store, visible, lanes),
        credit=credit_text(source_credits(store, visible)),
    )


# -- the page ---------------------------------------------------------------------------------------


def font_scale(width: float, height: float) -> float:
    """How much the page's text grows with the output: proportional above 1920×1080, like the
    view's labels; below it a little smaller (not under 0.8) to leave the drawing room."""
    return max(0.8, min(width / REFERENCE_WIDTH, height / REFERENCE_HEIGHT))


def _font(base: QFont, px: float, *, bold: bool = False) -> QFont:
    font = QFont(base)
    font.setPixelSize(max(6, round(px)))
    font.setBold(bold)
    return font


def render_page(painter: QPainter, rect: QRectF, view: Renderable, texts: PageTexts) -> None:
    """Title, caption and legend above the view's drawing; the source credit below it."""
    theme = Theme.from_palette()
    background, ink, muted = theme.background, theme.text, theme.muted
    k = font_scale(rect.width(), rect.height())
    margin = round(24 * k)
    base = QGuiApplication.font()
    device = painter.device()
    left, right = rect.left() + margin, rect.right() - margin
    width = right - left

    # Lay out first, draw after: the drawing goes down before the texts (see the masking below).
    title_font = _font(base, 30 * k, bold=True)
    title_fm = QFontMetricsF(title_font, device)
    title_y = rect.top() + margin
    y = title_y + title_fm.height() + 4 * k
    caption_font = _font(base, 16 * k)
    caption_fm = QFontMetricsF(caption_font, device)
    caption_y = y
    if texts.caption:
        y += caption_fm.height()
    legend_font = _font(base, 15 * k)
    entries = [(name, theme.fill(color)) for name, color in texts.legend]
    legend_y = y + 8 * k
    if entries:
        y = _draw_legend(painter, entries, QRectF(left, legend_y, width, 0), legend_font, ink, k, draw=False)
    y += 10 * k
    credit_font = _font(base, 12.5 * k)
    credit_fm = QFontMetricsF(credit_font, device)
    footer_lines = wrap_elided(texts.credit, credit_fm.horizontalAdvance, width, max_lines=2) if texts.credit else []
    footer_h = len(footer_lines) * credit_fm.lineSpacing() + (10 * k if footer_lines else 0)
    bottom = rect.bottom() - margin
    # The view indents its lane names by 8 px (scaled): line them up with the title.
    inset = max(0.0, margin - 8 * k)
    view_rect = QRectF(rect.left() + inset, y, rect.width() - inset - margin, max(1.0, bottom - footer_h - y))

    painter.save()
    try:
        painter.fillRect(rect, background)
        painter.save()
        try:
            painter.setClipRect(view_rect)
            view.render_to(painter, view_rect)
        finally:  # a drawing that fails must not leave the painter with saved states
            painter.restore()
        # SVG Tiny has no clipping (and Qt's SVG 1.1 clip paths do not survive restore()), so bars that
        # run past the view's edges would show in the margins: cover the margins instead of clipping.
        for strip in (
            QRectF(rect.left(), rect.top(), rect.width(), view_rect.top() - rect.top()),
            QRectF(rect.left(), view_rect.bottom(), rect.width(), rect.bottom() - view_rect.bottom()),
            QRectF(rect.left(), view_rect.top(), view_rect.left() - rect.left(), view_rect.height()),
            QRectF(view_rect.right(), view_rect.top(), rect.right() - view_rect.right(), view_rect.height()),
        ):
            if strip.width() > 0 and strip.height() > 0:
                painter.fillRect(strip, background)

        painter.setFont(title_font)
        painter.setPen(ink)
        title = title_fm.elidedText(" ".join(texts.title.split()), Qt.TextElideMode.ElideRight, width)
        painter.drawText(QPointF(left, title_y + title_fm.ascent()), title)
        if texts.caption:
            painter.setFont(caption_font)
            painter.setPen(muted)
            caption = caption_fm.elidedText(texts.caption, Qt.TextElideMode.ElideRight, width)
            painter.drawText(QPointF(left, caption_y + caption_fm.ascent()), caption)
        if entries:
            _draw_legend(painter, entries, QRectF(left, legend_y, width, 0), legend_font, ink, k)
        if footer_lines:
            fy = view_rect.bottom() + 10 * k
            painter.setPen(QPen(theme.separator, max(1.0, k)))
            painter.drawLine(QPointF(left, fy - 5 * k), QPointF(right, fy - 5 * k))
            painter.setFont(credit_font)
            painter.setPen(muted)
            for line in footer_lines:
                painter.drawText(QPointF(left, fy + credit_fm.ascent()), line)
                fy += credit_fm.lineSpacing()
    finally:
        painter.restore()


def _draw_legend(
    painter: QPainter,
    entries: Sequence[tuple[str, QColor]],
    area: QRectF,
    font: QFont,
    ink: QColor,
    k: float,
    *,
    draw: bool = True,
) -> float:
    """Swatch-and-name entries flowing left to right, at most two rows; returns the bottom.

    With ``draw=False`` only measures, so the page can be laid out before anything is drawn.
    """
    fm = QFontMetricsF(font, painter.device())
    painter.setFont(font)
    swatch = fm.ascent() * 0.8
    gap, pad = 18 * k, 6 * k
    row_h = fm.height() + 4 * k
    x, y, row = area.left(), area.top(), 0
    for n, (name, color) in enumerate(entries):
        label = fm.elidedText(" ".join(name.split()), Qt.TextElideMode.ElideRight, 260 * k)
        w = swatch + pad + fm.horizontalAdvance(label)
        rest = len(entries) - n
        more = f"+ {rest} more"
        if x > area.left() and x + w > area.right():
            row += 1
            x, y = area.left(), y + row_h
        if row == 1 and rest > 1 and x + w + gap + fm.horizontalAdvance(more) > area.right():
            if draw:
                painter.setPen(ink)
                painter.drawText(QPointF(x, y + fm.ascent()), more)
            return y + row_h
        if row > 1:
            return y
        if draw:
            sy = y + (fm.height() - swatch) / 2
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRoundedRect(QRectF(x, sy, swatch, swatch), swatch * 0.2, swatch * 0.2)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(ink)
            painter.drawText(QPointF(x + swatch + pad, y + fm.ascent()), label)
        x += w + gap
    return y + row_h


def wrap_elided(text: str, measure: Callable[[str], float], width: float, *, max_lines: int) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines; the last one ends in "…" if text is left."""
    words = text.split()
    lines: list[str] = []
    current = ""
    i = 0
    while i < len(words):
        candidate = f"{current} {words[i]}" if current else words[i]
        if measure(candidate) <= width or not current:
            current = candidate
            i += 1
            continue
        lines.append(current)
        current = ""
        if len(lines) == max_lines - 1:
            break
    rest = " ".join([current, *words[i:]] if current else words[i:])
    if rest:
        if measure(rest) > width:
            rest = _elide(rest, measure, width)
        lines.append(rest)
    return lines[:max_lines]


def _elide(text: str, measure: Callable[[str], float], width: float) -> str:
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if measure(text[:mid].rstrip() + " …") <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip().rstrip(";,") + " …"
