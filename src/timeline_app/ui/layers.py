"""The drawing of the timeline: one shared state, one graphics item painting every layer.

Every layer draws in device pixels through ``draw(painter, frame)``: on screen the frame comes
from the ViewBox, and ``TimelineView.render_to`` builds one for any target size, so the screen
and an export run the same code (label layout included). Work per frame is bounded by what is
visible: ``searchsorted`` windows, a density strip when events outnumber pixels, and at most a
few hundred labels, with text measured once per title. Qt calls are few and batched, as the
per-call cost dominates: markers of every lane in one blit from a glyph atlas, bars and brackets
one call per colour, label texts blitted from a text atlas, lane names and legend from pictures
kept while the view pans (benchmarks/frames_profile.py measures and profiles frames).

The pieces: ``view_state`` (what the view shows, and its caches), ``frame`` (what one frame
holds) built by ``frame_build``, ``hit_test``; one module per layer, bottom to top:
``background_layer``, ``connectors_layer``, ``marks_layer``, ``labels_layer``, ``relations_layer``,
``overlay_layer``; ``axis_layer`` for the fixed margins; ``glyphs`` and ``text_atlas`` for what is
drawn once and blitted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from .frame import Frame
    from .view_state import ViewState


class Layer(pg.GraphicsObject):
    """Drawing layers as one child of the ViewBox, covering it; draws in device pixels. One item
    paints them all, in order, from one frame: the scene's cost is per item, not per layer."""

    def __init__(
        self, state: ViewState, draws: Sequence[Callable[[QPainter, Frame, ViewState], None]], z: float
    ) -> None:
        super().__init__()
        self._state = state
        self.draws = tuple(draws)
        self.setZValue(z)

    def boundingRect(self) -> QRectF:
        vb = self.parentItem()
        return QRectF(vb.boundingRect()) if vb is not None else QRectF()

    def geometry_changed(self) -> None:
        self.prepareGeometryChange()
        self.update()

    def paint(self, p: QPainter, *args: Any) -> None:
        vb = self.parentItem()
        if vb is None:
            return
        (u0, u1), _ = vb.viewRange()  # view units (core.scale); frames speak days
        if not u1 > u0:
            return
        t = self._state.tscale
        x0, x1 = float(t.to_days(u0)), float(t.to_days(u1))
        plot = p.transform().mapRect(QRectF(vb.boundingRect()))
        f = self._state.frame(plot, x0, x1, 1.0)
        p.save()
        p.resetTransform()
        p.setClipRect(plot)
        for draw in self.draws:  # each from the same painter state, as separate items would
            p.save()
            draw(p, f, self._state)
            p.restore()
        p.restore()
