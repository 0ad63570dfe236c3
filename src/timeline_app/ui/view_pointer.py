"""The pointer on the timeline: which event is under it, hover and tooltips, clicks (a cluster's
mark zooms in to separate its events), and where events and link arrows are drawn.

A mixin of :class:`~timeline_app.ui.timeline_view.TimelineView`. Hit tests share the frame the
layers paint (``_view_frame``), so what is hit is exactly what is seen.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QToolTip

from .background_layer import era_title_at
from .hit_test import cluster_members, event_at
from .relations_layer import Arrow, relation_arrows

MAX_TOOLTIP_ROWS = 12  # a cluster's tooltip lists this many of its events


class PointerMixin:
    """Hit testing, hover, tooltips and clicks."""

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
