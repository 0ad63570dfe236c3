"""The interactive timeline: lanes per actor, eras, events, labels and a calendar axis.

A ``pg.PlotWidget`` hosts one ViewBox whose x axis is time in *view units* (``core.scale``: days
under the linear scale; the compressed scale squeezes long empty stretches into axis breaks), so
pan and zoom stay linear on screen; its y axis is fixed. Every layer draws itself in pixels from
the shared ``ViewState``. The public methods speak days (``view_range``, ``set_view_range``,
``range_changed``), whatever the scale. The main window drives it and listens to the signals.

By idea: the range and its moves (``view_navigation.py``), the pointer (``view_pointer.py``), the
frames painted and exported (``view_render.py``), the ViewBox (``view_box.py``); here the widget,
its signals and the state it is told to show.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import QEvent, QRect, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QGraphicsView, QVBoxLayout, QWidget

from ..core.lane_modes import check_lane_mode
from ..core.scale import TimeScale, check_scale_name
from ..core.store import EventStore
from .axis import LaneAxis, TimeAxis
from .labels_layer import layout_labels
from .layers import Layer
from .theme import Theme
from .view_box import TimelineViewBox
from .view_navigation import NavigationMixin
from .view_pointer import PointerMixin
from .view_render import AXIS_HEIGHT, DRAWS, RenderMixin
from .view_state import ViewState

__all__ = ["DRAWS", "TimelineView"]

FOCUS_RING = 2  # px round the canvas, drawn in the highlight colour while it has the keyboard focus


class TimelineView(NavigationMixin, PointerMixin, RenderMixin, QWidget):
    """The timeline canvas the main window embeds; its signals and the state it shows."""

    event_clicked = Signal(int)  # store index; -1 when the background is clicked
    event_hovered = Signal(int)  # store index; -1 when leaving
    range_changed = Signal(float, float)  # visible [x0, x1] in days
    content_changed = Signal()  # the data set, the events shown or the time scale changed
    frame_changed = Signal()  # what the view lays out may differ: range, size, data, filters, look
    selection_changed = Signal()  # the selected event changed (drawn on top: no label moves)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content_changes = 0  # data, filters or look changed (not range or size): the key reads it
        self._state = ViewState(Theme.from_palette(self.palette()), self.font(), layout_labels)
        self._by_hand = False  # the reader moved the view since the last fit (no refit on filters)
        self._setting = 0  # > 0 while the view moves itself (not the reader)
        self._bounds: tuple[float | None, float | None] = (None, None)  # the filter's date range
        self._bounds_pending = False  # a new date range: the next follow_filters shows it
        self._render_scale: float | None = None  # render_to's scale, when a page sets it
        self._vb = TimelineViewBox()
        self._vb.click_handler = self._on_click
        self._time_axis = TimeAxis(self._state)
        self._lane_axis = LaneAxis(self._state)
        self._plot = pg.PlotWidget(viewBox=self._vb, axisItems={"bottom": self._time_axis, "left": self._lane_axis})
        pi = self._plot.getPlotItem()
        pi.hideButtons()
        pi.setMenuEnabled(False)
        pi.layout.setContentsMargins(0, 0, 0, 0)
        for name in ("top", "right"):  # hidden, but each range change would re-render their label's HTML
            pi.getAxis(name).enableAutoSIPrefix(False)
        self._time_axis.setHeight(AXIS_HEIGHT)
        self._vb.enableAutoRange(enable=False)
        self._vb.setRange(yRange=(0.0, 1.0), padding=0)
        self._vb.setLimits(yMin=0.0, yMax=1.0)
        self._layers = [Layer(self._state, DRAWS, 0)]
        for layer in self._layers:
            layer.setParentItem(self._vb)
        self._cut_fixed_costs()
        self._vb.sigResized.connect(self._on_resized)
        self._vb.sigXRangeChanged.connect(self._on_range)
        self._plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self._plot.viewport().installEventFilter(self)
        self._plot.installEventFilter(self)  # focus in / out: the focus ring
        self._plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._plot.setMouseTracking(True)
        layout = QVBoxLayout(self)
        # a ring the width of FOCUS_RING round the canvas: the highlight colour while it has the
        # keyboard focus (a Tab stop must show it has it), the background otherwise
        layout.setContentsMargins(FOCUS_RING, FOCUS_RING, FOCUS_RING, FOCUS_RING)
        layout.addWidget(self._plot)
        self._apply_theme()
        self.set_store(None)

    # -- data and state ----------------------------------------------------------------------

    def set_store(self, store: EventStore | None) -> None:
        """Show a new data set and fit it in view."""
        self._state.set_store(store)
        self._bounds, self._bounds_pending = (None, None), False
        self._update_gutter_width()
        self._update_limits()
        self.fit_all()
        self._refresh()
        self.content_changed.emit()

    def set_time_scale(self, name: str) -> None:
        """Switch the time scale (``core.scale.SCALE_NAMES``), keeping the dates in view."""
        check_scale_name(name)
        if name == self._state.scale_name:
            return
        self._state.scale_name = name
        self._rescale()
        self._refresh()
        self.content_changed.emit()

    def time_scale(self) -> str:
        return self._state.scale_name

    def _rescale(self) -> None:
        """A new time scale (its name or the events shown changed): the same dates stay in view."""
        x0, x1 = self.view_range()
        old = self._state.tscale
        self._state.rebuild_scale()
        if old.identity and self._state.tscale.identity:
            return  # no break before or after (a filter over dense data): nothing moves
        self._update_limits()
        self._set_days(x0, x1)
        self._refresh()
        self.content_changed.emit()

    def store(self) -> EventStore | None:
        return self._state.store

    def shown_mask(self) -> NDArray[np.bool_] | None:
        """The events the filters leave (None: all)."""
        return self._state.visible

    def time_scale_map(self) -> TimeScale:
        """The current days <-> view units map (``core.scale``)."""
        return self._state.tscale

    def theme(self) -> Theme:
        return self._state.theme

    def plot_columns(self) -> tuple[float, float]:
        """Left edge and width (widget pixels) of the plotting area, right of the lane names."""
        rect = self._plot.mapFromScene(self._vb.sceneBoundingRect()).boundingRect()
        left = self._plot.viewport().mapTo(self, rect.topLeft()).x()
        return float(left), float(rect.width())

    def set_visible(self, mask: np.ndarray | None) -> None:
        """Show only the events where ``mask`` is true (filters); lanes left empty disappear, and
        the compressed scale's breaks follow the events shown."""
        self._state.visible = self._checked_mask(mask)
        self._state.rebuild_lanes()
        if self._state.scale_name != "linear":
            self._rescale()
        self._refresh()
        self.content_changed.emit()

    def set_visible_actors(self, mask: np.ndarray | None) -> None:
        """Show only the lanes of these actors (bool per actor); None = all. An event shared with
        a hidden actor still shows in the lanes that remain."""
        s = self._state.store
        self._state.visible_actors = self._checked_mask(mask, len(s.actor_ids) if s is not None else 0, "actor mask")
        self._state.rebuild_lanes(recount=False)  # lane counts depend on the events shown, not on the lanes
        self._refresh()

    def set_highlight(self, mask: np.ndarray | None) -> None:
        """Search results: matches keep their colour and label priority; the rest are dimmed."""
        self._state.highlight = self._checked_mask(mask)
        self._refresh()

    def set_selected(self, index: int | None) -> None:
        """Select an event: its ring and highlight are drawn on top; no other label moves."""
        st = self._state
        st.selected = index if st.store is not None and index is not None and 0 <= index < len(st.store) else None
        self._repaint()  # the frame (lanes, labels) does not depend on the selection: kept as it is
        self.selection_changed.emit()

    def set_lane_mode(self, mode: str) -> None:
        """Lanes by leading actor, by every actor, or a single stream (``core.lane_modes.LANE_MODES``)."""
        check_lane_mode(mode)
        if mode == self._state.lane_mode:
            return
        self._state.set_lane_mode(mode)
        self._refresh()

    def lane_mode(self) -> str:
        return self._state.lane_mode

    def selected(self) -> int | None:
        return self._state.selected

    def set_message(self, text: str | None) -> None:
        self._state.message = text or None
        self._refresh()

    def set_label_suffix(self, suffix: Callable[[int], str] | None) -> None:
        """Text each label carries after its title, by store index (an export's note numbers); its
        width is laid out with the label. None: titles only, as in the window."""
        if suffix is not self._state.label_suffix:
            self._state.label_suffix = suffix
            self._refresh()

    def label_suffix(self) -> Callable[[int], str] | None:
        return self._state.label_suffix

    def set_legend_visible(self, visible: bool) -> None:
        self._state.show_legend = visible
        self._refresh()

    # -- queries -----------------------------------------------------------------------------

    def visible_label_indices(self) -> list[int]:
        f = self._view_frame()
        return sorted(lab.index for lab in self._state.labels(f).labels) if f is not None else []

    def actor_colors(self, index: int) -> list[QColor]:
        """Event ``index``'s actors' mark colours, leading actor first (its stripe)."""
        st = self._state
        if st.store is None or not 0 <= index < len(st.store):
            return []
        return [st.actor_fill(a) for a in st.actors(index)]

    def frame_stats(self) -> dict[str, int]:
        """What the last painted frame drew (density lanes, markers, labels): for tests."""
        return dict(self._state.stats)

    # -- internals ---------------------------------------------------------------------------

    def _cut_fixed_costs(self) -> None:
        """Every frame pays for what is painted whatever the data: one full-size fill is enough (the
        scene's background brush, which covers the viewport), so the widgets under it neither fill
        themselves nor have their parents fill for them (each full-size fill costs a frame ~0.3 ms)."""
        viewport = self._plot.viewport()
        viewport.setAutoFillBackground(False)
        for w in (self, self._plot, viewport):
            w.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        # and that fill is a fill, not a blit of a cached full-size pixmap of it
        self._plot.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)

    def _checked_mask(
        self, mask: np.ndarray | None, n: int | None = None, what: str = "mask"
    ) -> NDArray[np.bool_] | None:
        """``mask`` as bools, one per event (or ``n`` items); None without a mask or a store."""
        s = self._state.store
        if mask is None or s is None:
            return None
        n = len(s) if n is None else n
        m = np.asarray(mask, dtype=bool)
        if m.shape != (n,):
            raise ValueError(f"{what} has shape {m.shape}, expected ({n},)")
        return m

    def _update_gutter_width(self) -> None:
        self._lane_axis.setWidth(int(self._gutter_width(1.0)))

    def _apply_theme(self) -> None:
        self._state.set_look(Theme.from_palette(self.palette()), self.font())
        self._plot.setBackground(self._state.theme.background)

    def _refresh(self) -> None:
        self.content_changes += 1
        self._state.changed()
        self._repaint()
        self.frame_changed.emit()

    def _repaint(self) -> None:
        for layer in self._layers:
            layer.update()
        self._lane_axis.update()
        self._time_axis.update()

    def _on_resized(self) -> None:
        self._state.changed()
        for layer in self._layers:
            layer.geometry_changed()
        self.frame_changed.emit()

    def has_focus_ring(self) -> bool:
        return self._plot.hasFocus()

    def paintEvent(self, ev: QPaintEvent) -> None:
        """Only the focus ring: the canvas paints everything inside it."""
        p = QPainter(self)
        color = self._state.theme.highlight if self._plot.hasFocus() else self._state.theme.background
        r = self.rect()
        w = FOCUS_RING
        for band in (QRect(0, 0, r.width(), w), QRect(0, r.height() - w, r.width(), w),
                     QRect(0, 0, w, r.height()), QRect(r.width() - w, 0, w, r.height())):  # fmt: skip
            p.fillRect(band, color)
        p.end()

    def changeEvent(self, ev: QEvent) -> None:
        kinds = (QEvent.Type.PaletteChange, QEvent.Type.FontChange, QEvent.Type.StyleChange)
        if hasattr(self, "_layers") and ev.type() in kinds:
            self._apply_theme()
            self._update_gutter_width()
            self._refresh()
        super().changeEvent(ev)
