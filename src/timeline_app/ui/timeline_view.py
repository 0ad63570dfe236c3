"""The interactive timeline: lanes per actor, eras, events, labels and a calendar axis.

A ``pg.PlotWidget`` hosts one ViewBox whose x axis is time in *view units* (``core.scale``: days
under the linear scale; the compressed scale squeezes long empty stretches into axis breaks), so
pan and zoom stay linear on screen; its y axis is fixed. Every layer draws itself in pixels from
the shared ``ViewState``. The public methods speak days (``view_range``, ``set_view_range``,
``range_changed``), whatever the scale. The main window drives it and listens to the signals.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import QEvent, QObject, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QGraphicsView, QToolTip, QVBoxLayout, QWidget

from ..core.label_key import KeyEntry
from ..core.lane_modes import check_lane_mode
from ..core.reading_order import ReadingOrder, neighbourhood
from ..core.scale import TimeScale, check_scale_name
from ..core.store import EventStore
from .axis import LaneAxis, TimeAxis
from .axis_layer import draw_axis, draw_gutter
from .background_layer import draw_background, era_title_at
from .connectors_layer import draw_connectors
from .frame import Frame
from .hit_test import cluster_members, event_at
from .labels_layer import draw_labels, layout_labels
from .layers import Layer
from .marks_layer import draw_events
from .overlay_layer import draw_overlay
from .relations_layer import Arrow, draw_relations, relation_arrows
from .theme import Theme
from .view_state import ViewState

# the plot's layers, bottom to top: on screen one graphics item paints them all (see Layer)
DRAWS = (draw_background, draw_connectors, draw_events, draw_labels, draw_relations, draw_overlay)

REFERENCE_WIDTH = 1920.0  # render_to scales fonts and strokes relative to this width
AXIS_HEIGHT = 30.0
ZOOM_STEP = 2.0
MAX_TOOLTIP_ROWS = 12  # a cluster's tooltip lists this many of its events
FOCUS_RING = 2  # px round the canvas, drawn in the highlight colour while it has the keyboard focus
REFIT_FILL = 0.5  # after a filter change, shown events spanning less of the view than this: refit
CROWD_RADIUS = 0.015  # of the view's width: marks closer than this to an event crowd it
CROWD = 3  # this many other shown events that close: the event sits in a cluster
NEIGHBOURS = 4  # stepping into a cluster zooms to show this many shown events either side
MIN_READABLE_DAYS = 60.0  # never zoom a step in further than this


class _TimelineViewBox(pg.ViewBox):
    """Time-only navigation: wheel zooms at the cursor, left-drag pans, right-drag or
    Shift+drag draws a band and zooms to its time range; a click reports its position."""

    def __init__(self) -> None:
        super().__init__(enableMenu=False)
        self.setMouseEnabled(x=True, y=False)
        self.click_handler: Any = None

    def mouseClickEvent(self, ev: Any) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            if self.click_handler is not None:
                self.click_handler(ev.pos())
        else:
            ev.ignore()

    def mouseDragEvent(self, ev: Any, axis: Any = None) -> None:
        band = ev.button() == Qt.MouseButton.RightButton or (
            ev.button() == Qt.MouseButton.LeftButton and ev.modifiers() & Qt.KeyboardModifier.ShiftModifier
        )
        if not band or axis is not None:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        down = ev.buttonDownPos(ev.button())
        h = self.height()
        if ev.isFinish():
            self.rbScaleBox.hide()
            a = self.mapToView(QPointF(down.x(), 0)).x()
            b = self.mapToView(QPointF(ev.pos().x(), 0)).x()
            if abs(ev.pos().x() - down.x()) >= 4:
                self.setXRange(min(a, b), max(a, b), padding=0)
        else:
            self.updateScaleBox(QPointF(down.x(), 0), QPointF(ev.pos().x(), h))


class TimelineView(QWidget):
    """The timeline canvas the main window embeds."""

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
        self._vb = _TimelineViewBox()
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

    def set_date_bounds(self, lo: float | None, hi: float | None) -> None:
        """The filter's date range in days (None: open): Fit All stays inside it, and a new range
        is shown by the next ``follow_filters``."""
        if (lo, hi) != self._bounds:
            self._bounds = (lo, hi)
            self._bounds_pending = lo is not None or hi is not None

    def follow_filters(self) -> None:
        """After a filter change: a new date range sets the view to it; otherwise the view refits
        when the events shown span less than ``REFIT_FILL`` of it or run out of it, unless the
        reader has moved the view by hand since the last fit."""
        if self._bounds_pending:
            self._bounds_pending = False
            self.fit_all()
            return
        if self._by_hand:
            return
        span = self._shown_span()
        if span is None:
            return
        t = self._state.tscale
        lo, hi = t.to_units(span[0]), t.to_units(span[1])
        (u0, u1), _ = self._vb.viewRange()
        fill = (min(hi, u1) - max(lo, u0)) / max(u1 - u0, 1e-9)
        if fill < REFIT_FILL or lo < u0 or hi > u1:
            self.fit_all()

    def moved_by_hand(self) -> bool:
        """True when the reader has panned or zoomed since the last fit."""
        return self._by_hand

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

    def set_render_scale(self, scale: float | None) -> None:
        """The size of ``render_to``'s text and strokes (1 at 1920x1080), set by a page the drawing
        is part of: a 4K page draws at 2 whatever room its header and key leave the drawing, as its
        own text does. None: from the target's size."""
        self._render_scale = scale

    def render_scale(self) -> float | None:
        return self._render_scale

    def set_legend_visible(self, visible: bool) -> None:
        self._state.show_legend = visible
        self._refresh()

    # -- navigation --------------------------------------------------------------------------

    def view_range(self) -> tuple[float, float]:
        """The dates at the left and right edges of the view, in days (whatever the scale)."""
        (u0, u1), _ = self._vb.viewRange()
        t = self._state.tscale
        return float(t.to_days(u0)), float(t.to_days(u1))

    def view_units(self) -> tuple[float, float]:
        """The view's edges in view units (``core.scale``), as the ViewBox sees them."""
        (u0, u1), _ = self._vb.viewRange()
        return float(u0), float(u1)

    def set_view_range(self, x0: float, x1: float) -> None:
        """Show the dates ``x0`` to ``x1`` (days): a place the reader or a caller chose, so a
        filter change does not refit it away (Fit All does)."""
        self._set_days(x0, x1)
        self._by_hand = True

    def _set_days(self, x0: float, x1: float) -> None:
        t = self._state.tscale
        self._set_units(float(t.to_units(x0)), float(t.to_units(x1)))

    def _set_units(self, u0: float, u1: float) -> None:
        if u1 < u0:
            u0, u1 = u1, u0
        if u1 - u0 < 1.0:
            c = (u0 + u1) / 2
            u0, u1 = c - 0.5, c + 0.5
        self._setting += 1
        try:
            self._vb.setXRange(u0, u1, padding=0)
        finally:
            self._setting -= 1

    def fit_all(self) -> None:
        """Fit the events shown now (filters applied), inside the filter's date range."""
        lo, hi = self._shown_span() or self._data_span()
        t = self._state.tscale
        ulo, uhi = float(t.to_units(lo)), float(t.to_units(hi))
        pad = max((uhi - ulo) * 0.02, 10.0)
        self._set_units(ulo - pad, uhi + pad)
        self._by_hand = False

    def zoom_in(self) -> None:
        self._zoom(1 / ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom(ZOOM_STEP)

    def _zoom(self, factor: float) -> None:
        u0, u1 = self.view_units()
        c, half = (u0 + u1) / 2, (u1 - u0) / 2 * factor
        self._set_units(c - half, c + half)
        self._by_hand = True

    def center_on(self, days: float) -> None:
        """Pan so that ``days`` is at the centre, keeping the zoom (the overview strip)."""
        u0, u1 = self.view_units()
        c, half = float(self._state.tscale.to_units(days)), (u1 - u0) / 2
        self._set_units(c - half, c + half)
        self._by_hand = True

    def ensure_visible(self, index: int, *, zoom: bool = True) -> None:
        """Bring event ``index`` into a readable neighbourhood: zoom in (``zoom``) when it sits in a
        crowd of marks, pan when it is off screen, zoom out if it is wider than the view; an
        event already on screen and readable leaves the view where it is. Widths are measured in
        view units (days where events are, under either scale)."""
        s = self._state.store
        if s is None or not 0 <= index < len(s):
            return
        t = self._state.tscale
        a, b = float(t.to_units(s.start[index])), float(t.to_units(s.end[index]))
        x0, x1 = self.view_units()
        w = x1 - x0
        c = (a + b) / 2
        if zoom and b - a < w * CROWD_RADIUS:
            readable = self._readable_width(index, w)
            if readable is not None:
                day = (float(s.start[index]) + float(s.end[index])) / 2
                self.set_view_range(day - readable / 2, day + readable / 2)
                return
        margin = w * 0.01
        if a >= x0 + margin and b <= x1 - margin:
            return
        if b - a > w * 0.8:
            w = (b - a) * 1.3
        self._set_units(c - w / 2, c + w / 2)
        self._by_hand = True

    def _readable_width(self, index: int, width: float) -> float | None:
        """A narrower view width that spreads the crowd around ``index`` out, or None when the
        event's marks are not crowded at ``width`` (fewer than CROWD others within CROWD_RADIUS)."""
        s = self._state.store
        assert s is not None
        vis = self._state.visible
        c = float(s.start[index])
        r = width * CROWD_RADIUS
        i0, i1 = (int(v) for v in np.searchsorted(s.start, (c - r, c + r)))
        near = (i1 - i0) if vis is None else int(np.count_nonzero(vis[i0:i1]))
        if near - 1 < CROWD:
            return None
        order = ReadingOrder(len(s), vis)
        position = order.position(index)
        if position is None:
            return None
        lo, hi = neighbourhood(s.start, s.end, order, position, NEIGHBOURS, MIN_READABLE_DAYS / 2)
        return hi - lo if hi - lo < width * 0.7 else None

    def pan(self, fraction: float) -> None:
        """Move the view by ``fraction`` of its width (negative: earlier)."""
        u0, u1 = self.view_units()  # on screen: the same distance whatever breaks pass by
        d = (u1 - u0) * fraction
        self._set_units(u0 + d, u1 + d)
        self._by_hand = True

    def neighbour(self, index: int | None, step: int) -> int | None:
        """The next (step > 0) or previous visible event in time order, or None at the end."""
        s = self._state.store
        if s is None or len(s) == 0:
            return None
        vis = self._state.visible
        order = np.flatnonzero(vis) if vis is not None else np.arange(len(s))
        if len(order) == 0:
            return None
        if index is None:
            return int(order[0] if step > 0 else order[-1])
        if step > 0:
            k = int(np.searchsorted(order, index, side="right"))
            return int(order[k]) if k < len(order) else None
        k = int(np.searchsorted(order, index, side="left")) - 1
        return int(order[k]) if k >= 0 else None

    def select_next(self) -> None:
        self._step_selection(+1)

    def select_previous(self) -> None:
        self._step_selection(-1)

    def _step_selection(self, step: int) -> None:
        n = self.neighbour(self._state.selected, step)
        if n is None:
            return
        self.set_selected(n)
        self.ensure_visible(n)
        self.event_clicked.emit(n)

    # -- queries -----------------------------------------------------------------------------

    def visible_label_indices(self) -> list[int]:
        f = self._view_frame()
        return sorted(lab.index for lab in self._state.labels(f).labels) if f is not None else []

    def label_key(self, target: QRectF | None = None) -> list[KeyEntry]:
        """The numbered events, in number order, of a render of this view into ``target`` (exactly
        what ``render_to(painter, target)`` draws), or of the window when ``target`` is None."""
        f = self._view_frame() if target is None else self._render_frame(target)[0]
        return list(self._state.labels(f).key) if f is not None else []

    def actor_colors(self, index: int) -> list[QColor]:
        """Event ``index``'s actors' mark colours, leading actor first (its stripe)."""
        st = self._state
        if st.store is None or not 0 <= index < len(st.store):
            return []
        return [st.actor_fill(a) for a in st.actors(index)]

    def cluster_members(self, index: int) -> list[int]:
        """The events that share event ``index``'s mark in the window (itself first)."""
        f = self._view_frame()
        return cluster_members(self._state, f, index) if f is not None else [index]

    def event_at(self, pos: QPointF) -> int:
        """The event under ``pos`` (widget coordinates): its marker, bar or label; -1 if none."""
        viewport_pos = self._plot.viewport().mapFrom(self, QPointF(pos).toPoint())
        return self._index_at_scene(self._plot.mapToScene(viewport_pos))

    def event_position(self, index: int) -> QPointF | None:
        """Where event ``index`` is drawn (its first copy), in widget coordinates; None if not shown."""
        f = self._view_frame()
        s = self._state.store
        if f is None or s is None:
            return None
        c = self._state.copies(f)
        hit = np.flatnonzero(c.idx == index)
        if len(hit) == 0:
            return None
        j = int(c.head[hit[0]])  # a cluster member is drawn as its cluster's mark
        y = float(c.cy[j])
        x = float(c.cx[j]) if c.kind[j] == 0 else float((c.x0[j] + c.x1[j]) / 2)
        return QPointF(self._plot.viewport().mapTo(self, QPointF(x, y).toPoint()))

    def relation_arrows(self) -> list[Arrow]:
        """The selected event's link arrows as drawn now, in widget coordinates (for tests)."""
        f = self._view_frame()
        if f is None:
            return []
        to_widget = self._plot.viewport().mapTo
        out = []
        for arrow in relation_arrows(f, self._state):
            for name in ("start", "end", "control"):
                setattr(arrow, name, QPointF(to_widget(self, getattr(arrow, name).toPoint())))
            arrow.label = QRectF(arrow.label.translated(QPointF(to_widget(self, arrow.label.topLeft().toPoint()))
                                                        - arrow.label.topLeft()))  # fmt: skip
            out.append(arrow)
        return out

    def tooltip_text(self, index: int) -> str:
        """Rich text built only from escaped data: a title like ``<b>x</b>`` shows literally."""
        s = self._state.store
        if s is None or not 0 <= index < len(s):
            return ""
        members = self.cluster_members(index)
        if len(members) > 1:  # a cluster's mark: every event under it
            rows = [f"<b>{len(members)} events here</b>"]
            rows += [f"{html.escape(s.date_texts[i])}: {html.escape(s.titles[i])}" for i in members[:MAX_TOOLTIP_ROWS]]
            if len(members) > MAX_TOOLTIP_ROWS:
                rows.append(f"<i>and {len(members) - MAX_TOOLTIP_ROWS} more: zoom in to separate them</i>")
            else:
                rows.append("<i>click to zoom in and separate them</i>")
            return "<p style='white-space:pre-wrap'>" + "<br>".join(rows) + "</p>"
        actors = ", ".join(s.actor_names[a] for a in s.actors_of(index))
        lines = [
            f"<b>{html.escape(s.titles[index])}</b>",
            html.escape(s.date_texts[index]),
            html.escape(actors),
        ]
        if s.qualified[index]:
            lines.append("<i>date approximate or uncertain</i>")
        if s.has_discrepancy[index]:
            lines.append("<i>sources disagree: see the details</i>")
        return "<p style='white-space:pre-wrap'>" + "<br>".join(lines) + "</p>"

    def frame_stats(self) -> dict[str, int]:
        """What the last painted frame drew (density lanes, markers, labels): for tests."""
        return dict(self._state.stats)

    # -- export ------------------------------------------------------------------------------

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

    def _data_span(self) -> tuple[float, float]:
        s = self._state.store
        span = s.span() if s is not None else None
        if span is None:
            return 0.0, 365.25 * 60  # 1970-2030, a neutral empty view
        lo, hi = span
        if hi - lo < 30:
            c = (lo + hi) / 2
            lo, hi = c - 15, c + 15
        return lo, hi

    def _shown_span(self) -> tuple[float, float] | None:
        """First start and last end (days) of the events shown, or the filter's date range where
        it has one (within the data); None when nothing is shown."""
        s = self._state.store
        if s is None or len(s) == 0:
            return None
        vis = self._state.visible
        if vis is None:
            lo, hi = self._data_span()
        else:
            first = int(np.argmax(vis))
            if not vis[first]:
                return None
            lo, hi = float(s.start[first]), float(s.end[vis].max())
        # a date range is what the reader asked to see: its bounds, as far as the data goes
        b0, b1 = self._bounds
        d0, d1 = self._data_span()
        if b0 is not None:
            lo = min(max(b0, d0), hi)
        if b1 is not None:
            hi = max(min(b1, d1), lo)
        if hi - lo < 30:
            c = (lo + hi) / 2
            lo, hi = c - 15, c + 15
        return lo, hi

    def _update_limits(self) -> None:
        lo, hi = self._data_span()
        t = self._state.tscale
        lo, hi = float(t.to_units(lo)), float(t.to_units(hi))
        margin = max((hi - lo) * 0.25, 365.0)
        self._setting += 1  # new limits may move the view: that is not the reader's doing
        try:
            self._vb.setLimits(xMin=lo - margin, xMax=hi + margin, minXRange=1.0, maxXRange=hi - lo + 2 * margin)
        finally:
            self._setting -= 1

    def _gutter_width(self, scale: float) -> float:
        st = self._state
        s = st.store
        _, bold, _ = st.fonts(scale)
        widest = max((QFontMetricsF(bold).horizontalAdvance(n) for n in s.actor_names), default=0.0) if s else 0.0
        return min(max(widest + 24 * scale, 90 * scale), 220 * scale)

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

    def _on_range(self, _vb: object, rng: tuple[float, float]) -> None:
        if not self._setting:
            self._by_hand = True  # a wheel, drag or band zoom
        self._repaint()
        t = self._state.tscale
        self.range_changed.emit(float(t.to_days(rng[0])), float(t.to_days(rng[1])))
        self.frame_changed.emit()

    def _view_frame(self) -> Frame | None:
        """The frame the layers paint, in the viewport's pixels: hit tests share it (and its label
        layout) instead of laying out a second frame in ViewBox coordinates on every mouse move."""
        x0, x1 = self.view_range()
        to_device = self._vb.sceneTransform() * self._plot.viewportTransform()  # as Layer.paint's painter
        rect = to_device.mapRect(QRectF(self._vb.boundingRect()))
        if rect.width() < 2 or rect.height() < 2 or not x1 > x0:
            return None
        return self._state.frame(rect, x0, x1, 1.0)

    def _index_at_scene(self, scene_pos: QPointF) -> int:
        f = self._view_frame()
        return event_at(self._state, f, self._plot.viewportTransform().map(scene_pos)) if f is not None else -1

    def _on_click(self, local: QPointF) -> None:
        index = self._index_at_scene(self._vb.mapToScene(local))
        if index >= 0 and self._expand_cluster(index):
            return
        self.event_clicked.emit(index)

    def _expand_cluster(self, index: int) -> bool:
        """A click on a cluster's mark zooms in until its events stand apart; False if not a cluster."""
        s = self._state.store
        members = self.cluster_members(index)
        f = self._view_frame()
        if s is None or f is None or len(members) < 2:
            return False
        days = np.sort(s.start[members] + 0.5)
        gap = float(np.diff(days).min()) if len(days) > 1 else 0.0
        x0, x1 = self.view_range()
        want_px = 2.5 * f.glyph  # diamonds this far apart read as separate events
        width = max(1.0, gap * f.plot.width() / want_px) if gap > 0 else 1.0
        width = min(width, (x1 - x0) / 2)
        c = (days[0] + days[-1]) / 2
        width = max(width, (days[-1] - days[0]) * 1.6)
        self.set_view_range(c - width / 2, c + width / 2)
        return True

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        index = self._index_at_scene(scene_pos)
        self._set_hovered(index)
        f = self._view_frame()
        if index < 0 and f is not None:  # a shortened era title: its full title
            era = era_title_at(f, self._state, self._plot.viewportTransform().map(scene_pos))
            if era is not None:
                QToolTip.showText(QCursor.pos(), html.escape(era), self._plot)

    def hover(self, index: int) -> None:
        """Mark event ``index`` as hovered from elsewhere (the key): its highlight or title
        callout, no tooltip; -1 clears it."""
        self._set_hovered(index, tooltip=False)

    def _set_hovered(self, index: int, tooltip: bool = True) -> None:
        st = self._state
        new = index if index >= 0 else None
        if new == st.hovered:
            return
        st.hovered = new
        self._repaint()  # drawn on top of the frame as it is: no label moves
        self.event_hovered.emit(index)
        if new is None or not tooltip:
            QToolTip.hideText()
        else:
            QToolTip.showText(QCursor.pos(), self.tooltip_text(new), self._plot)

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        if ev.type() == QEvent.Type.Leave:
            self._set_hovered(-1)
        elif ev.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut) and obj is self._plot:
            self.update()
        return super().eventFilter(obj, ev)

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
