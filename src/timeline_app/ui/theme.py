"""Colours for the timeline, derived from the application palette so light and dark both read.

Actor colours are fixed hues from the data; here they are only lightened or darkened until they
contrast enough with the background (WCAG ratios: 4.5 for text, 3 for shapes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication


def _luminance(c: QColor) -> float:
    def ch(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = _luminance(a), _luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
        1.0,
    )


def readable(color: QColor, background: QColor, ratio: float) -> QColor:
    """``color`` with its lightness pushed away from the background until the contrast holds."""
    if contrast(color, background) >= ratio:
        return QColor(color)
    target = QColor("white") if _luminance(background) < 0.4 else QColor("black")
    lo, hi = 0.0, 1.0
    for _ in range(20):  # bisect on the mix fraction: the smallest change that is enough
        mid = (lo + hi) / 2
        if contrast(mix(color, target, mid), background) >= ratio:
            hi = mid
        else:
            lo = mid
    return mix(color, target, hi)


@dataclass(frozen=True)
class Theme:
    background: QColor
    text: QColor
    muted: QColor  # secondary text: axis labels, dimmed titles
    grid: QColor
    stripe: QColor  # every other lane
    separator: QColor
    highlight: QColor  # selection
    dark: bool
    _cache: dict[tuple[str, str | None], QColor] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_palette(cls, palette: QPalette | None = None) -> Theme:
        pal = palette if palette is not None else QApplication.palette()
        bg = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)
        if contrast(bg, text) < 4.5:  # a broken palette: fall back to plain black on white
            bg, text = QColor("white"), QColor("black")
        dark = _luminance(bg) < 0.4
        highlight = readable(pal.color(QPalette.ColorRole.Highlight), bg, 3.0)
        return cls(
            background=bg,
            text=text,
            muted=readable(mix(text, bg, 0.4), bg, 4.5),
            grid=mix(bg, text, 0.12 if dark else 0.09),
            stripe=mix(bg, text, 0.06 if dark else 0.035),
            separator=mix(bg, text, 0.22 if dark else 0.16),
            highlight=highlight,
            dark=dark,
        )

    def ink(self, hex_color: str) -> QColor:
        """An actor colour for text (lane names, labels) on this background."""
        return self._cached("ink", hex_color, lambda: readable(QColor(hex_color), self.background, 4.5))

    def fill(self, hex_color: str) -> QColor:
        """An actor colour for markers and bars on this background."""
        return self._cached("fill", hex_color, lambda: readable(QColor(hex_color), self.background, 3.0))

    def _cached(self, role: str, key: str | None, make: Callable[[], QColor]) -> QColor:
        """Colours are derived by bisection: once per theme, not once per lane per frame."""
        c = self._cache.get((role, key))
        if c is None:
            c = self._cache[(role, key)] = make()
        return QColor(c)

    def era(self, hex_color: str | None) -> QColor:
        """A band tint: the era's hue at just enough opacity to stand apart from the background.

        Curated era colours are pastels meant for white; on a dark background the same rule
        gives a faint wash instead of a glaring block.
        """
        return self._cached("era", hex_color, lambda: self._era(hex_color))

    def _era(self, hex_color: str | None) -> QColor:
        base = QColor(hex_color) if hex_color else self.muted
        lo, hi = 0.0, 1.0
        target = 1.12 if self.dark else 1.09
        if contrast(mix(self.background, base, 1.0), self.background) < target:
            alpha = 0.9
        else:
            for _ in range(16):
                mid = (lo + hi) / 2
                if contrast(mix(self.background, base, mid), self.background) >= target:
                    hi = mid
                else:
                    lo = mid
            alpha = hi
        c = QColor(base)
        c.setAlphaF(alpha)
        return c
