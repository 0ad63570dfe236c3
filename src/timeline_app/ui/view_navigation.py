"""Where the timeline looks: its range in days, fit, zoom, pan, following the filters, bringing
an event into a readable neighbourhood, and stepping to the next event.

A mixin of :class:`~timeline_app.ui.timeline_view.TimelineView`. The ViewBox's x axis is in view
units (``core.scale``); these methods speak days. A move the view makes itself is counted in
``_setting`` so it is not taken for the reader's (``_by_hand``), which stops filters refitting.
"""

from __future__ import annotations

import numpy as np

from ..core.reading_order import ReadingOrder, neighbourhood

ZOOM_STEP = 2.0
REFIT_FILL = 0.5  # after a filter change, shown events spanning less of the view than this: refit
CROWD_RADIUS = 0.015  # of the view's width: marks closer than this to an event crowd it
CROWD = 3  # this many other shown events that close: the event sits in a cluster
NEIGHBOURS = 4  # stepping into a cluster zooms to show this many shown events either side
MIN_READABLE_DAYS = 60.0  # never zoom a step in further than this


class NavigationMixin:
    """The view's range: set by the reader, by a caller, or refit after the filters change."""

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

    def _on_range(self, _vb: object, rng: tuple[float, float]) -> None:
        if not self._setting:
            self._by_hand = True  # a wheel, drag or band zoom
        self._repaint()
        t = self._state.tscale
        self.range_changed.emit(float(t.to_days(rng[0])), float(t.to_days(rng[1])))
        self.frame_changed.emit()
