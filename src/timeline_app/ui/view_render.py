"""The timeline's frames: the one the window paints (which hit tests share) and one for any
target's size, which ``render_to`` draws for export, with its label key.

A mixin of :class:`~timeline_app.ui.timeline_view.TimelineView`. On screen one graphics item paints
the layers (``layers.Layer``); ``render_to`` paints the same layers, lane names and axis straight
into a painter, sized for the target, so an export is the view laid out afresh, not a screenshot.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF, QPainter

from ..core.label_key import KeyEntry
from .axis_layer import draw_axis, draw_gutter
from .background_layer import draw_background
from .connectors_layer import draw_connectors
from .frame import Frame
from .labels_layer import draw_labels
from .marks_layer import draw_events
from .overlay_layer import draw_overlay
from .relations_layer import draw_relations

# the plot's layers, bottom to top: on screen one graphics item paints them all (see Layer)
DRAWS = (draw_background, draw_connectors, draw_events, draw_labels, draw_relations, draw_overlay)

REFERENCE_WIDTH = 1920.0  # render_to scales fonts and strokes relative to this width
AXIS_HEIGHT = 30.0


class RenderMixin:
    """The view's frames, on screen and for export."""

    def set_render_scale(self, scale: float | None) -> None:
        """The size of ``render_to``'s text and strokes (1 at 1920x1080), set by a page the drawing
        is part of: a 4K page draws at 2 whatever room its header and key leave the drawing, as its
        own text does. None: from the target's size."""
        self._render_scale = scale

    def render_scale(self) -> float | None:
        return self._render_scale

    def label_key(self, target: QRectF | None = None) -> list[KeyEntry]:
        """The numbered events, in number order, of a render of this view into ``target`` (exactly
        what ``render_to(painter, target)`` draws), or of the window when ``target`` is None."""
        f = self._view_frame() if target is None else self._render_frame(target)[0]
        return list(self._state.labels(f).key) if f is not None else []

    def render_to(self, painter: QPainter, target: QRectF) -> None:
        """Draw the current view into ``target`` at its own size, laying labels out afresh.

        Sizes scale with the target (1 at 1920x1080, 2 at 3840x2160, never below 1).
        """
        st = self._state
        f, gutter, axis_h = self._render_frame(target)
        painter.save()
        painter.setClipRect(target)
        painter.fillRect(target, st.theme.background)
        if f is not None:
            plot = f.plot
            for draw in DRAWS:
                painter.save()
                painter.setClipRect(plot)
                draw(painter, f, st)
                painter.restore()
            draw_gutter(painter, QRectF(target.left(), plot.top(), gutter, plot.height()), f, st)
            draw_axis(painter, QRectF(plot.left(), plot.bottom(), plot.width(), axis_h), f, st)
        painter.restore()

    def _render_frame(self, target: QRectF) -> tuple[Frame | None, float, float]:
        """The frame ``render_to`` draws into ``target``, with its gutter width and axis height."""
        scale = self._render_scale or max(1.0, min(target.width() / REFERENCE_WIDTH, target.height() / 1080.0))
        gutter = self._gutter_width(scale)
        axis_h = AXIS_HEIGHT * scale
        plot = QRectF(target.left() + gutter, target.top(), target.width() - gutter, target.height() - axis_h)
        x0, x1 = self.view_range()
        if plot.width() > 2 and plot.height() > 2 and x1 > x0:
            return self._state.frame(plot, x0, x1, scale), gutter, axis_h
        return None, gutter, axis_h

    def _gutter_width(self, scale: float) -> float:
        st = self._state
        s = st.store
        _, bold, _ = st.fonts(scale)
        widest = max((QFontMetricsF(bold).horizontalAdvance(n) for n in s.actor_names), default=0.0) if s else 0.0
        return min(max(widest + 24 * scale, 90 * scale), 220 * scale)

    def _view_frame(self) -> Frame | None:
        """The frame the layers paint, in the viewport's pixels: hit tests share it (and its label
        layout) instead of laying out a second frame in ViewBox coordinates on every mouse move."""
        x0, x1 = self.view_range()
        to_device = self._vb.sceneTransform() * self._plot.viewportTransform()  # as Layer.paint's painter
        rect = to_device.mapRect(QRectF(self._vb.boundingRect()))
        if rect.width() < 2 or rect.height() < 2 or not x1 > x0:
            return None
        return self._state.frame(rect, x0, x1, 1.0)
