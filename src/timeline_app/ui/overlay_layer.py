"""The overlay layer, on top of every other: the legend of the mark shapes (bottom right, in the
footer strip, from a cached picture) and the centred message of an empty or filtered-out view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPolygonF

from .frame import Frame
from .glyphs import _badge, _diamond

if TYPE_CHECKING:
    from .view_state import ViewState

LEGEND = (("diamond", "event"), ("bar", "span"), ("bracket", "month / year"),
          ("hollow", "approximate"), ("badge", "sources disagree"))  # fmt: skip


def legend_width(f: Frame, st: ViewState) -> float:
    w = 0.0
    for _, text in LEGEND:
        w += st.text_width(text, f.small) + f.glyph + 18 * f.scale
    return w + 4 * f.scale


def draw_overlay(p: QPainter, f: Frame, st: ViewState) -> None:
    """The legend (bottom right, in the footer strip) and the centred message."""
    th = st.theme
    width = legend_width(f, st) if f.footer else 0.0
    if f.footer and width < f.plot.width() * 0.8:
        x = f.plot.right() - width
        cy = f.plot.bottom() - f.footer / 2
        half = max(f.glyph, 11 * f.scale + 2, QFontMetricsF(f.small).height())
        box = QRectF(x - 2 * f.scale, cy - half, width + 2 * f.scale, 2 * half)
        st.cached(p, ("legend", st.serial, x, cy, f.scale, f.glyph, f.small.pixelSize()), box,
                  lambda q: _draw_legend(q, f, st, x, cy))  # fmt: skip
    if st.message:
        font = QFont(f.font)
        font.setPixelSize(round(f.font.pixelSize() * 1.25))
        p.setFont(font)
        p.setPen(th.muted)
        p.drawText(f.plot, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, st.message)


def _draw_legend(p: QPainter, f: Frame, st: ViewState, x: float, cy: float) -> None:
    th = st.theme
    g = f.glyph * 0.9
    ink = QColor(th.muted)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    fm = QFontMetricsF(f.small)
    for kind, text in LEGEND:
        p.setBrush(ink)
        p.setPen(Qt.PenStyle.NoPen)
        if kind == "diamond":
            p.drawPolygon(_diamond(x + g / 2, cy, g / 2))
        elif kind == "hollow":
            p.setBrush(th.background)
            p.setPen(QPen(ink, 1.5 * f.scale))
            p.drawPolygon(_diamond(x + g / 2, cy, g / 2 - 1))
        elif kind == "bar":
            p.drawRect(QRectF(x, cy - g * 0.28, g, g * 0.56))
        elif kind == "bracket":
            p.setPen(QPen(ink, 2 * f.scale))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPolyline(QPolygonF([QPointF(x, cy + g * 0.35), QPointF(x, cy - g * 0.35),
                                      QPointF(x + g, cy - g * 0.35), QPointF(x + g, cy + g * 0.35)]))  # fmt: skip
        else:
            _badge(p, f, st.theme, QPointF(x + g / 2, cy))
            p.setFont(f.small)
        p.setPen(ink)
        st.draw_text(p, QPointF(x + g + 5 * f.scale, cy - fm.height() / 2), text, f.small)
        x += g + st.text_width(text, f.small) + 18 * f.scale
