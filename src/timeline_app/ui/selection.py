"""Selecting and stepping: one event selected everywhere (view, Details dock, status bar), ← / →
through the shown events in reading order, first and last, Go to Date, panning, and story mode's
events one at a time.

A mixin of :class:`~timeline_app.ui.main_window.MainWindow`: these are its slots in the actions
table; in story mode they step the story (``story.py``) rather than the plain selection.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from .actions import ActionId
from .status_text import edge_text, position_text


class SelectionMixin:
    """The selection and the reading order's steps, in the plain view and in story mode."""

    def _is_visible(self, index: int) -> bool:
        return self.visible_mask is None or bool(self.visible_mask[index])

    def select(self, index: int | None, *, ensure_visible: bool = False, zoom: bool = True) -> None:
        """Select an event everywhere: the view draws it, the details dock reads it out (and opens
        if it was hidden), the status bar says where it is in the reading order."""
        if self.store is None or index is None or not 0 <= index < len(self.store):
            self.clear_selection()
            return
        if self.story.active:
            position = self.story.order.position(index)
            if position is not None:
                self.story.go(position)
            return
        self.view.set_selected(index)
        if ensure_visible:
            self.view.ensure_visible(index, zoom=zoom)
        self.details_dock.show_event(self.store, index)
        if self.details_dock.isHidden():
            self.details_dock.show()
        self._say_position(index)

    def _say_position(self, index: int) -> None:
        """ "12 of 33 · next: Title (date)", or that this is the last event."""
        assert self.store is not None
        position = self.order.position(index)
        if position is None:
            return
        n = len(self.order)
        following = None
        if position + 1 < n:
            k = self.order.at(position + 1)
            following = (self.store.titles[k], self.store.date_texts[k])
        self.statusBar().showMessage(position_text(position, n, following))

    def clear_selection(self) -> None:
        if self.story.active:
            self.set_story_mode(False)
            return
        self.view.set_selected(None)
        self.details_dock.show_event(self.store, None)
        self.statusBar().clearMessage()

    def _view_clicked(self, index: int) -> None:
        if index < 0:
            self.clear_selection()
        else:
            self.select(index)

    def select_next(self) -> None:
        self._step(1)

    def select_previous(self) -> None:
        self._step(-1)

    def _step(self, step: int) -> None:
        if self.story.active:
            self.story.step(step)
            return
        store = self.store
        n = len(self.order)
        if store is None or not n:
            return
        current = self.view.selected()
        position = self.order.position(current) if current is not None else None
        if position is None:
            # → starts the list at its first event, ← at its last; the view stays where it is
            # when the event is on screen, rather than leaving the period being looked at
            self.select(self.order.at(0 if step > 0 else n - 1), ensure_visible=True, zoom=False)
            return
        target = position + step
        if not 0 <= target < n:
            first = target < 0
            self.statusBar().showMessage(edge_text(position, n, first=first), 6000)
            return
        self.select(self.order.at(target), ensure_visible=True)

    def select_first(self) -> None:
        if self.story.active:
            self.story.first()
        elif len(self.order):
            self.select(self.order.at(0), ensure_visible=True)

    def select_last(self) -> None:
        if self.story.active:
            self.story.last()
        elif len(self.order):
            self.select(self.order.at(len(self.order) - 1), ensure_visible=True)

    def go_to_date_dialog(self) -> None:
        """Ask for a date in the data's own forms; the first shown event from it is selected."""
        if self.store is None:
            return
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Go to Date")
        dialog.setLabelText("Date (YYYY, YYYY-MM or YYYY-MM-DD):")
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        dialog.textValueSelected.connect(self.go_to_date)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._date_dialog = dialog
        dialog.open()

    def go_to_date(self, text: str) -> bool:
        from ..core.dates import DateError, parse_date

        store = self.store
        if store is None:
            return False
        try:
            day = parse_date(text.strip()).interval()[0]
        except DateError as exc:
            self.statusBar().showMessage(f"Not a date: {text.strip()!r}: {exc}", 8000)
            return False
        k = self.order.first_at_or_after(int(np.searchsorted(store.start, day)))
        if k is None:
            self.statusBar().showMessage(f"No shown event on or after {text.strip()}", 6000)
            return False
        self.select(self.order.at(k), ensure_visible=True)
        return True

    def pan_earlier(self) -> None:
        self.view.pan(-0.25)

    def pan_later(self) -> None:
        self.view.pan(0.25)

    # -- story mode ---------------------------------------------------------------------------

    def set_story_mode(self, on: bool) -> None:
        """View > Story Mode: the shown events one at a time above the timeline (ui/story.py)."""
        action = self.actions_by_id[ActionId.STORY_MODE]
        if on and self.store is None:
            self.statusBar().showMessage("Open a data set to read its story.", 5000)
            on = False
        if on:
            self.story.enter()
        else:
            last = self.story.leave()
            if last is not None:
                self.select(last, ensure_visible=True)
        action.blockSignals(True)
        action.setChecked(self.story.active)
        action.blockSignals(False)

    def _story_moved(self, position: int) -> None:
        n = len(self.story.order)
        index = self.story.current()
        if index is None or self.store is None:
            self.statusBar().showMessage(f"Story: the title card · {n} events · → begins", 5000)
        else:
            self._say_position(index)
