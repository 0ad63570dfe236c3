"""The reader's place in each data set, kept across reloads and restarts.

A reload (by hand or because the file changed on disk) puts back the dates and search typed, the
source picked, the range, the time scale and the selection; reopening a data set later puts back
the view it was left with and its actor filter, from the settings (the last ``MAX_VIEWS`` data sets).
A helper object rather than window methods: the window only asks it to note and restore.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..core.filtering import FilterState, Match
from ..settings import ActorFilterSetting, ViewSetting
from .actions import ActionId

if TYPE_CHECKING:
    from .main_window import MainWindow

MAX_VIEWS = 50  # data sets whose view the settings keep


class ViewMemory:
    """Notes and restores the window's place; holds no state of its own (the settings do)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def keep_place(self) -> Callable[[], None]:
        """Note the reader's place (dates and search typed, source picked, range, selection);
        the returned function puts it back once the reloaded data set is shown."""
        place = self.current_place()
        return lambda: self.restore_place(place, dates_applied=True)

    def saved_place(self, path: str) -> Callable[[], None] | None:
        """The view ``path`` was left with when last read, to put back once it is shown; None if none."""
        view = self.window.settings_file.settings.views.get(path)
        if view is None:
            return None
        return lambda: self.restore_place(view, dates_applied=False)

    def saved_filter(self, path: str) -> FilterState:
        """The actor filter ``path`` was left with (dates and search come with its view)."""
        saved = self.window.settings_file.settings.actor_filters.get(path)
        return FilterState(frozenset(saved.hidden), Match(saved.match)) if saved else FilterState()

    def current_place(self) -> ViewSetting:
        w = self.window
        dock = w.filter_dock
        selected = w.view.selected()
        if w.story.active:
            selected = w.story.current()
        return ViewSetting(
            x_range=list(w.story.saved_range() or w.view.view_range()),
            selected=w.store.ids[selected] if w.store is not None and selected is not None else None,
            search=dock.search.text(),
            source=dock.selected_source(),
            date_from=dock.date_from.text(),
            date_to=dock.date_to.text(),
            time_scale=w.view.time_scale(),
        )

    def restore_place(self, place: ViewSetting, *, dates_applied: bool) -> None:
        """Put a noted place back: the dates (already in the filter state on a reload, applied
        afresh after a restart), the search, the source, the range and the selection."""
        w = self.window
        assert w.store is not None
        dock = w.filter_dock
        for edit, text in zip((dock.date_from, dock.date_to), (place.date_from, place.date_to), strict=True):
            edit.blockSignals(dates_applied)
            edit.setText(text)
            edit.blockSignals(False)
        if place.search:
            dock.search.setText(place.search)  # emits search_changed: the highlight is recomputed
            dock.flush_search()
        if place.source is not None:
            dock.select_source(place.source)
        if place.time_scale in ("compressed", "linear") and place.time_scale != w.view.time_scale():
            w.view.set_time_scale(place.time_scale)
            ids = {"compressed": ActionId.SCALE_COMPRESSED, "linear": ActionId.SCALE_LINEAR}
            w.actions_by_id[ids[place.time_scale]].setChecked(True)
        if place.x_range is not None and len(place.x_range) == 2:
            w.view.set_view_range(*place.x_range)
        index = w.store.index_of(place.selected) if place.selected is not None else None
        if index is not None and w._is_visible(index):
            w.select(index)

    def remember_view(self) -> None:
        """Keep the open data set's view in the settings, for when it is opened again."""
        w = self.window
        if w.path is None or w.store is None:
            return
        views = w.settings_file.settings.views
        views.pop(w.path, None)
        views[w.path] = self.current_place()  # last: the most recently read
        for stale in list(views)[: max(0, len(views) - MAX_VIEWS)]:
            del views[stale]

    def remember_filter(self) -> None:
        """Keep the actor filter of the open data set (none kept when it shows everything)."""
        w = self.window
        if w.path is None:
            return
        state = w.filter_state
        filters = w.settings_file.settings.actor_filters
        if state.hidden_actors or state.match is not Match.ANY:
            filters[w.path] = ActorFilterSetting(hidden=sorted(state.hidden_actors), match=state.match.value)
        else:
            filters.pop(w.path, None)
