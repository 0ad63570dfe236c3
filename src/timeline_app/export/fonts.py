"""The page's fonts and the measures that follow them: one text scale ``k`` (1 at 1920×1080) sizes
the title, caption, legend, key and notes, their margins and gaps, so a page reads the same at
every size."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtGui import QFont, QFontMetricsF, QGuiApplication

from .layout import Measure, Style
from .options import ExportOptions

REFERENCE_WIDTH = 1920.0  # the size at which the page's fonts have their nominal pixel sizes
REFERENCE_HEIGHT = 1080.0


def font_scale(width: float, height: float) -> float:
    """How much the page's text grows with the output: proportional above 1920×1080, like the
    view's labels; below it a little smaller (not under 0.8) to leave the drawing room."""
    return max(0.8, min(width / REFERENCE_WIDTH, height / REFERENCE_HEIGHT))


def _font(base: QFont, px: float, *, bold: bool = False) -> QFont:
    font = QFont(base)
    font.setPixelSize(max(6, round(px)))
    font.setBold(bold)
    # No ligatures: text copied out of a PDF ("profilbaru.com") must be the text, not "ﬁ".
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


@dataclass(frozen=True)
class Fonts:
    """The page's fonts at one text scale ``k`` (1 at 1920×1080)."""

    k: float
    title: QFont
    caption: QFont
    legend: QFont
    notes: QFont
    heading: QFont

    @classmethod
    def at(cls, k: float) -> Fonts:
        base = QGuiApplication.font()
        return cls(
            k,
            _font(base, 30 * k, bold=True),
            _font(base, 16 * k),
            _font(base, 15 * k),
            _font(base, 14 * k),  # 8.4 pt on A4 at the default scale: readable in print
            _font(base, 17 * k, bold=True),
        )

    @classmethod
    def for_page(cls, width: float, height: float, options: ExportOptions) -> Fonts:
        return cls.at(font_scale(width, height) * options.font_scale)

    def of(self, style: Style) -> QFont:
        return self.heading if style == "heading" else self.notes

    @property
    def margin(self) -> float:
        """The page's margin, whole pixels at the fonts' scale."""
        return round(24 * self.k)


def metrics(font: QFont) -> QFontMetricsF:
    return QFontMetricsF(font)  # fonts are sized in pixels: the same on every device


def text_measures(fonts: Fonts) -> tuple[float, float, float, float]:
    """(margin, gap between columns, gap between paragraphs, hanging indent) at the fonts' scale."""
    k = fonts.k
    return fonts.margin, 28 * k, 4 * k, metrics(fonts.notes).horizontalAdvance("000.") + 6 * k


def measures(fonts: Fonts) -> tuple[Callable[[Style], Measure], Callable[[Style], float]]:
    """The width of a text and the height of a line, per paragraph style, for ``export.layout``."""
    nfm, hfm = metrics(fonts.notes), metrics(fonts.heading)

    def measure(style: Style) -> Measure:
        return (hfm if style == "heading" else nfm).horizontalAdvance

    def height(style: Style) -> float:
        return hfm.lineSpacing() * 1.25 if style == "heading" else nfm.lineSpacing()

    return measure, height
