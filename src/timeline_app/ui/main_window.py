"""The main window: the timeline in the middle, filters on the left, the selected event's sources
on the right, problems at the bottom; menus and shortcuts from ``actions.py``.

The window owns the reading state (data set, filter, search, selection) and keeps the docks and
the view in step with it. A file that fails to load is reported in the Problems dock and the
data set shown before stays, untouched. The open file is watched: when it changes on disk it is
reloaded in place (zoom, selection, filters and search kept); if the new version is broken, its
problems stay listed until a later save fixes them. A long load shows a progress bar with a
Cancel button in the status bar; cancelling keeps the data set shown. What an import or a data
export (File > Export Data…) cannot carry is listed as warnings in the Problems dock.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core import store_cache
from ..core.filtering import FilterState, Match, Support, compute, lane_mask
from ..core.reading_order import ReadingOrder
from ..core.search import SearchIndex, SourceCitations
from ..core.store import EventStore
from ..interop.open import CsvOptions
from ..settings import MAX_RECENT, ActorFilterSetting, SettingsFile, ViewSetting
from .actions import ACTIONS, CLEAR_CACHE_TEXT, ActionId, build_menus, create_actions
from .data_export import DataExportDialog, ExportFailed, export_store, format_label
from .details_dock import DetailsDock
from .file_watch import FileWatcher
from .filter_chips import Chip, FilterChips, actor_chip_text, date_chip_text
from .filter_dock import FilterDock
from .help import HelpDialog, about_data_text
from .key_panel import KeyPanel
from .load_progress import LoadProgress
from .messages import Messages
from .overview import OverviewStrip
from .story import StoryMode
from .timeline_view import TimelineView
from .worker import OPENABLE_SUFFIXES, Loaded, Loader, LoadFailed

log = logging.getLogger(__name__)

APP_TITLE = "Timeline"
NO_MATCH = "No events match the filters"
EXPORT_DATA_NEEDS_FILE = "Open a data set to export it"
Mask = NDArray[np.bool_]
MAX_VIEWS = 50  # data sets whose view the settings keep
MAX_RESULTS = 200  # matches listed under the search box (Enter steps through all of them)


def _b64(data: QByteArray) -> str:
    return base64.b64encode(bytes(data.data())).decode("ascii")


def _unb64(text: str | None) -> QByteArray | None:
    if not text:
        return None
    try:
        return QByteArray(base64.b64decode(text, validate=True))
    except ValueError:
        return None


def _home_short(folder: Path) -> str:
    try:
        return str(Path("~") / folder.relative_to(Path.home()))
    except ValueError:
        return str(folder)


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f} MB" if size >= 1e6 else f"{size / 1e6:.1f} MB"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}{'es' if word.endswith('ch') else 's'}"


def first_window_size(avail_w: int, avail_h: int) -> tuple[int, int, bool]:
    """The window's size on first run for a screen's available area, and whether to maximise:
    on a small screen (up to 1440 x 900) every pixel counts, so maximised; on a larger one 90 %
    of it, so the timeline gets room (1280 x 800 on a 1920 x 1080 screen left it 568 px)."""
    if avail_w <= 1440 or avail_h <= 900:
        return min(1280, avail_w), min(800, avail_h), True
    return round(avail_w * 0.9), round(avail_h * 0.9), False


class MainWindow(QMainWindow):
    load_finished = Signal(bool)  # after a load attempt has been applied (True) or reported (False)

    def __init__(self, settings: SettingsFile | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.settings_file = settings if settings is not None else SettingsFile.load()

        # Reading state.
        self.path: str | None = None
        self.store: EventStore | None = None
        self.search_index: SearchIndex | None = None
        self.citations: SourceCitations | None = None
        self.loaded_by = 0  # pid of the process that built the store (a child loader for big files)
        self.filter_state = FilterState()
        self.visible_mask: Mask | None = None
        self.lane_mask: Mask | None = None  # actors whose lanes show; None = all
        self.search_mask: Mask | None = None
        self.source_mask: Mask | None = None
        self.highlight_mask: Mask | None = None
        self.order = ReadingOrder(0)  # the shown events, in the order ← / → and story mode read them
        self._reloading = False

        # The centre: filter chips over the timeline, the key of its numbered events and the
        # overview strip under it.
        centre = QWidget(self)
        centre.setObjectName("timeline_area")
        self.view = TimelineView(centre)
        self.view.setObjectName("timeline_view")
        self.chips = FilterChips(centre)
        self.chips.removed.connect(self.remove_filter)
        self.overview = OverviewStrip(self.view, centre)
        self.key_panel = KeyPanel(self.view, centre)
        self.key_panel.picked.connect(self.select)
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.chips)
        column.addWidget(self.view, 1)
        column.addWidget(self.key_panel)
        column.addWidget(self.overview)
        self.setCentralWidget(centre)
        self.filter_dock = FilterDock(self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.filter_dock)
        self.details_dock = DetailsDock(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.details_dock)
        self.messages = Messages(self)
        self.problems_dock = self.messages.dock
        # Side docks run the full height; Problems sits under the timeline only.
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("event_count")
        self.match_label = QLabel(self)
        self.match_label.setObjectName("match_count")
        for label in (self.match_label, self.count_label):
            label.setContentsMargins(8, 0, 8, 0)
        self.load_progress = LoadProgress(self)
        self.load_progress.cancel_requested.connect(self.cancel_load)
        self.statusBar().addPermanentWidget(self.load_progress)
        self.statusBar().addPermanentWidget(self.match_label)
        self.statusBar().addPermanentWidget(self.count_label)

        self.recent_menu: Any = None  # filled by build_menus
        self.story = StoryMode(self)
        self.actions_by_id = create_actions(self)
        self.menus = build_menus(self, self.actions_by_id)
        self._system_palette = QApplication.palette()
        self._apply_theme_choice(self.settings_file.settings.theme)
        legend = self.actions_by_id[ActionId.SHOW_LEGEND]
        legend.setChecked(self.settings_file.settings.show_legend)
        self.set_legend_visible(legend.isChecked())
        self.set_lane_mode(self.view.lane_mode())
        scales = QActionGroup(self)  # one time scale at a time
        for aid, name in ((ActionId.SCALE_COMPRESSED, "compressed"), (ActionId.SCALE_LINEAR, "linear")):
            action = self.actions_by_id[aid]
            scales.addAction(action)
            action.setChecked(self.view.time_scale() == name)
        self.actions_by_id[ActionId.SHOW_OVERVIEW].setChecked(True)
        self._rebuild_recent_menu()
        self.menus["Troubleshooting"].aboutToShow.connect(self._update_cache_action)

        self.loader = Loader(self)
        self.loader.done.connect(self._loaded)
        self.loader.progress.connect(self._progress)
        self.view.event_clicked.connect(self._view_clicked)
        self.filter_dock.filters_changed.connect(self._filters_changed)
        self.filter_dock.search_changed.connect(self._search_changed)
        self.filter_dock.search_step.connect(self.step_match)
        self.filter_dock.result_picked.connect(lambda i: self.select(i, ensure_visible=True))
        self.filter_dock.source_changed.connect(self._source_changed)
        self.details_dock.related_clicked.connect(lambda i: self.select(i, ensure_visible=True))
        self.story.changed.connect(self._story_moved)
        self.file_watch = FileWatcher(self)
        self.file_watch.changed.connect(self._changed_on_disk)

        self._open_dialog: QFileDialog | None = None
        self._map_dialog: QDialog | None = None
        self._csv_options: dict[str, CsvOptions] = {}  # spreadsheets opened with a column mapping
        self._data_dialog: DataExportDialog | None = None
        self._data_filter: str | None = None  # the format last exported to, offered first next time
        self._loading: str | None = None  # the file being loaded, while a load runs
        self._about_box: QMessageBox | None = None
        self._help: HelpDialog | None = None
        self._date_dialog: QInputDialog | None = None
        self._export_dialog: QWidget | None = None
        self._first_size()
        self._layout_restored = self._restore_layout()
        self._update_counts()
        self._update_export_data()
        self._flush_settings_notices()

    # -- opening -----------------------------------------------------------------------------

    def open_file(self, path: str | Path) -> None:
        """Start loading ``path``; the current data set stays until the new one is ready."""
        text = str(Path(path).expanduser().absolute())
        self.statusBar().showMessage(f"Opening {Path(text).name}…")
        self._start_load(text)

    def _start_load(self, path: str) -> None:
        self._loading = path
        self.load_progress.start(Path(path).name)
        self.loader.load(path, self._csv_options.get(path))

    def import_spreadsheet_dialog(self) -> None:
        """File > Import Spreadsheet…: choose a file, then which column holds what."""
        start = str(Path(self.path).parent) if self.path else str(Path.home())
        dialog = QFileDialog(self, "Import Spreadsheet", start, "Spreadsheets (*.csv *.tsv *.txt);;All files (*)")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.map_columns)
        self._open_dialog = dialog
        dialog.open()

    def map_columns(self, path: str, why: str = "") -> None:
        """Show the column-mapping dialog for ``path``; Open loads it with the columns chosen."""
        from ..core.errors import TimelineLoadError
        from ..interop.csv_mapped import preview
        from .column_map_dialog import make_dialog

        text = str(Path(path).expanduser().absolute())
        try:
            shown = preview(text)
        except TimelineLoadError as exc:
            self.messages.error(f"{Path(text).name} could not be read", exc.lines(), key=self._problem_key(text))
            return
        dialog = make_dialog(Path(text).name, shown, self, why)
        dialog.chosen.connect(lambda options: self._import_with(text, options))
        self._map_dialog = dialog
        dialog.open()

    def _offer_column_map(self, path: str) -> bool:
        """A spreadsheet whose header is none we know (opened, dropped or reloaded) gets the
        column-mapping dialog instead of an error; True if it was offered."""
        from ..core.errors import TimelineLoadError
        from ..interop.csv_format import needs_mapping
        from ..interop.csv_mapped import preview
        from ..interop.detect import detect_format

        if path in self._csv_options or detect_format(path) != "csv":
            return False
        try:
            if not needs_mapping(preview(path).header):
                return False
        except TimelineLoadError:
            return False
        name = Path(path).name
        self.statusBar().showMessage(f"{name}: its columns were not recognised; choose which holds what", 10_000)
        self.map_columns(path, f"The columns of {name} were not recognised by their names.")
        return True

    def _import_with(self, path: str, options: CsvOptions) -> None:
        self._csv_options[path] = options  # a reload reads it the same way
        self.statusBar().showMessage(f"Importing {Path(path).name}…")
        self._start_load(path)

    def cancel_load(self) -> None:
        """Stop the load under way (its result is dropped); the data set shown stays."""
        if self._loading is None:
            return
        name = Path(self._loading).name
        self.loader.cancel()
        self._loading = None
        self._reloading = False
        self.load_progress.finish()
        shown = f"; still showing {Path(self.path).name}" if self.path else ""
        self.messages.notice(f"Opening {name} was cancelled{shown}.")
        self.load_finished.emit(False)

    def reload(self) -> None:
        if self.path is None:
            self.messages.notice("No file is open to reload.")
            return
        self._reload(f"Opening {Path(self.path).name}…")

    def _changed_on_disk(self, path: str) -> None:
        if path == self.path:
            self._reload(f"{Path(path).name} changed on disk; reloading…")

    def _reload(self, status: str) -> None:
        """Read the open file again in place: ``_loaded`` keeps the reader's place."""
        assert self.path is not None
        self._reloading = True
        self.statusBar().showMessage(status)
        self._start_load(self.path)

    @staticmethod
    def _problem_key(path: str) -> str:
        return f"load:{path}"

    def open_dialog(self) -> None:
        """A non-blocking file chooser (``open()``, never ``exec()``)."""
        start = str(Path(self.path).parent) if self.path else str(Path.home())
        filters = ";;".join(
            (
                f"Timelines ({' '.join('*' + s for s in OPENABLE_SUFFIXES)})",
                "Timeline, TimelineJS or vis-timeline JSON (*.json)",
                "Spreadsheets (*.csv *.tsv *.txt)",
                "iCalendar (*.ics *.ical *.icalendar)",
                "Timeline program (*.timeline)",
                "All files (*)",
            )
        )
        dialog = QFileDialog(self, "Open Timeline", start, filters)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.fileSelected.connect(self.open_file)
        self._open_dialog = dialog
        dialog.open()

    def clear_recent(self) -> None:
        self.settings_file.settings.recent_files = []
        self._rebuild_recent_menu()
        self._save_settings()

    def _progress(self, fraction: float) -> None:
        self.load_progress.set_fraction(fraction)

    def _loaded(self, result: object) -> None:
        reloading, self._reloading = self._reloading, False
        self._loading = None
        self.load_progress.finish()
        if isinstance(result, LoadFailed):
            self.statusBar().clearMessage()
            if result.path != self.path and self._offer_column_map(result.path):
                self.load_finished.emit(False)
                return
            if result.path == self.path:
                title = f"{result.title} (still showing the last version that loaded)"
            else:
                title = result.title
            self.messages.error(title, result.lines, key=self._problem_key(result.path))
            self.load_finished.emit(False)
            return
        assert isinstance(result, Loaded)
        same = reloading and result.path == self.path
        restore_place = self._keep_place() if same else None
        if not same:
            if self.story.active:
                self.set_story_mode(False)
            self._remember_view()  # the data set being left: its view comes back when it is reopened
            saved = self.settings_file.settings.actor_filters.get(result.path)
            self.filter_state = FilterState(frozenset(saved.hidden), Match(saved.match)) if saved else FilterState()
            view = self.settings_file.settings.views.get(result.path)
            if view is not None:
                restore_place = lambda v=view: self._restore_place(v, dates_applied=False)  # noqa: E731
        self.path, self.store = result.path, result.store
        self.search_index, self.citations = result.search, result.citations
        self.loaded_by = result.loaded_by
        self.search_mask = self.source_mask = self.highlight_mask = None
        self.filter_dock.set_store(self.store, self.filter_state, self.citations, search=self.search_index)
        self.view.set_store(self.store)
        self.details_dock.show_event(self.store, None)
        self.details_dock.set_query("")
        self._apply_filters()
        if restore_place is not None:
            restore_place()
        self.setWindowTitle(f"{' '.join(self.store.title.split())} — {APP_TITLE}")
        self.setWindowFilePath(result.path)
        self._update_export_data()
        key = self._problem_key(result.path)
        name = Path(result.path).name
        if not same:  # another file is open now: the problems listed for the others are gone with them
            for stale in [k for k in self.messages.active if k != key and k.startswith(("load:", "export:"))]:
                self.messages.resolve(stale)
        if result.warnings:  # replaces any error the file had before it was fixed
            self.messages.warning(
                f"{name} was imported, but some of it could not be carried over", list(result.warnings), key=key
            )
        else:
            self.messages.resolve(key)
        if self.file_watch.path != result.path:
            self.file_watch.watch(result.path)
        self.settings_file.settings.add_recent(result.path)
        self._rebuild_recent_menu()
        self._save_settings()
        status = f"{'Reloaded' if reloading else 'Opened'} {name}"
        if self.store.from_cache:
            status += " from the cache (the same bytes were checked when first opened)"
        if result.warnings:
            status += f" with {_plural(len(result.warnings), 'import warning')} (see Problems)"
        self.statusBar().showMessage(status, 5000)
        self.load_finished.emit(True)

    def _keep_place(self) -> Callable[[], None]:
        """Note the reader's place (dates and search typed, source picked, range, selection);
        the returned function puts it back once the reloaded data set is shown."""
        place = self._current_place()
        return lambda: self._restore_place(place, dates_applied=True)

    def _current_place(self) -> ViewSetting:
        dock = self.filter_dock
        selected = self.view.selected()
        if self.story.active:
            selected = self.story.current()
        return ViewSetting(
            x_range=list(self.story.saved_range() or self.view.view_range()),
            selected=self.store.ids[selected] if self.store is not None and selected is not None else None,
            search=dock.search.text(),
            source=dock.selected_source(),
            date_from=dock.date_from.text(),
            date_to=dock.date_to.text(),
            time_scale=self.view.time_scale(),
        )

    def _restore_place(self, place: ViewSetting, *, dates_applied: bool) -> None:
        """Put a noted place back: the dates (already in the filter state on a reload, applied
        afresh after a restart), the search, the source, the range and the selection."""
        assert self.store is not None
        dock = self.filter_dock
        for edit, text in zip((dock.date_from, dock.date_to), (place.date_from, place.date_to), strict=True):
            edit.blockSignals(dates_applied)
            edit.setText(text)
            edit.blockSignals(False)
        if place.search:
            dock.search.setText(place.search)  # emits search_changed: the highlight is recomputed
            dock.flush_search()
        if place.source is not None:
            dock.select_source(place.source)
        if place.time_scale in ("compressed", "linear") and place.time_scale != self.view.time_scale():
            self.view.set_time_scale(place.time_scale)
            ids = {"compressed": ActionId.SCALE_COMPRESSED, "linear": ActionId.SCALE_LINEAR}
            self.actions_by_id[ids[place.time_scale]].setChecked(True)
        if place.x_range is not None and len(place.x_range) == 2:
            self.view.set_view_range(*place.x_range)
        index = self.store.index_of(place.selected) if place.selected is not None else None
        if index is not None and self._is_visible(index):
            self.select(index)

    def _remember_view(self) -> None:
        """Keep the open data set's view in the settings, for when it is opened again."""
        if self.path is None or self.store is None:
            return
        views = self.settings_file.settings.views
        views.pop(self.path, None)
        views[self.path] = self._current_place()  # last: the most recently read
        for stale in list(views)[: max(0, len(views) - MAX_VIEWS)]:
            del views[stale]

    def _rebuild_recent_menu(self) -> None:
        menu = self.recent_menu
        if menu is None:
            return
        menu.clear()
        recent = self.settings_file.settings.recent_files[:MAX_RECENT]
        names = [Path(p).name for p in recent]
        for k, path in enumerate(recent):
            shown = names[k]
            if names.count(shown) > 1:  # two files of one name: say which folder each is in
                shown = f"{shown} — {_home_short(Path(path).parent)}"
            label = f"&{k + 1 if k < 9 else 0} {shown.replace('&', '&&')}"
            action = menu.addAction(label)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_file(p))
        if recent:
            menu.addSeparator()
        menu.addAction(self.actions_by_id[ActionId.CLEAR_RECENT])
        self.actions_by_id[ActionId.CLEAR_RECENT].setEnabled(bool(recent))
        menu.setEnabled(True)

    def _update_cache_action(self) -> None:
        """Say how much the reopen cache holds (looked at when the menu opens: a child loader may
        have added an entry since)."""
        size = store_cache.usage()
        action = self.actions_by_id[ActionId.CLEAR_CACHE]
        action.setText(f"{CLEAR_CACHE_TEXT} ({_megabytes(size)})" if size else CLEAR_CACHE_TEXT)
        action.setEnabled(size > 0)

    def clear_reopen_cache(self) -> None:
        freed = store_cache.clear()
        self._update_cache_action()
        self.statusBar().showMessage(f"Cleared the reopen cache: {_megabytes(freed)} freed", 5000)

    # -- filters and search ------------------------------------------------------------------

    def _filters_changed(self, state: FilterState) -> None:
        self.filter_state = state
        self._remember_filter()
        self._apply_filters()

    def _apply_filters(self) -> None:
        store = self.store
        if store is None:
            return
        mask = compute(store, self.filter_state)
        self.visible_mask = None if mask.all() else mask
        self.lane_mask = lane_mask(store, self.filter_state)
        self.view.set_date_bounds(self.filter_state.date_from, self.filter_state.date_to)
        self.view.set_visible(self.visible_mask)
        self.view.set_visible_actors(self.lane_mask)
        self.view.follow_filters()
        self._update_chips()
        self.view.set_message(NO_MATCH if len(store) and not mask.any() else None)
        self.order = ReadingOrder(len(store), self.visible_mask)
        selected = self.view.selected()
        if self.story.active:
            self.story.refresh_order()
        elif selected is not None and not self._is_visible(selected):
            self.clear_selection()
        self._update_counts()
        self._update_match_status()  # the highlight itself depends on search and source only

    def _search_changed(self, text: str) -> None:
        self.search_mask = self.search_index.search(text) if self.search_index is not None else None
        self.details_dock.set_query(text if self.search_mask is not None else "")
        self._apply_highlight()

    def _source_changed(self, source_id: str | None) -> None:
        if self.store is None or self.citations is None or source_id is None:
            self.source_mask = None
        else:
            self.source_mask = self.citations.mask(source_id, len(self.store))
        self._apply_highlight()

    def _apply_highlight(self) -> None:
        masks = [m for m in (self.search_mask, self.source_mask) if m is not None]
        if not masks or self.store is None:
            self.highlight_mask = None
        else:
            self.highlight_mask = np.logical_and.reduce(masks) if len(masks) > 1 else masks[0]
        self.view.set_highlight(self.highlight_mask)
        self._update_match_status()
        self._update_chips()

    def _update_match_status(self) -> None:
        """ "3 matches (1 more hidden by filters)" in the dock and the status bar, naming the
        source when one is picked; the matches listed under the search box."""
        text = ""
        rows: list[tuple[int, str, str]] = []
        more = 0
        if self.highlight_mask is not None and self.store is not None:
            visible = self._visible_matches()
            shown = int(np.count_nonzero(visible))
            hidden = int(np.count_nonzero(self.highlight_mask)) - shown
            query = self.filter_dock.search.text().strip() if self.search_mask is not None else ""
            source = self._source_title() if self.source_mask is not None else None
            if query and source:
                found = _plural(shown, "match") if shown else "No matches"
                text = f"{found} for “{query}” among events citing {source}"
            elif source:
                text = (
                    f"{_plural(shown, 'event')} cite{'s' if shown == 1 else ''} {source}"
                    if shown
                    else (f"No shown event cites {source}")
                )
            else:
                text = _plural(shown, "match") if shown else "No matches"
            if hidden:
                text += f" ({hidden} more hidden by filters)"
            if query:
                first = np.flatnonzero(visible)
                more = max(0, len(first) - MAX_RESULTS)
                rows = [(int(i), self.store.date_texts[i], self.store.titles[i]) for i in first[:MAX_RESULTS]]
        self.filter_dock.set_search_status(text)
        self.filter_dock.set_results(rows, more)
        self.match_label.setText(text)

    def _source_title(self) -> str | None:
        source_id = self.filter_dock.selected_source()
        if source_id is None or self.store is None:
            return None
        source = self.store.source_by_id.get(source_id)
        return f"“{' '.join((source.title if source is not None else source_id).split())}”"

    def _visible_matches(self) -> Mask:
        assert self.highlight_mask is not None
        return self.highlight_mask if self.visible_mask is None else self.highlight_mask & self.visible_mask

    def step_match(self, step: int) -> None:
        """Enter / Shift+Enter in the search box: select the next / previous match, wrapping."""
        if self.highlight_mask is None:
            return
        matches = np.flatnonzero(self._visible_matches())
        if not len(matches):
            return
        current = self.view.selected()
        if current is None:
            target = matches[0] if step > 0 else matches[-1]
        elif step > 0:
            k = int(np.searchsorted(matches, current, side="right"))
            target = matches[k % len(matches)]
        else:
            k = int(np.searchsorted(matches, current, side="left")) - 1
            target = matches[k % len(matches)]
        self.select(int(target), ensure_visible=True)

    def _update_counts(self) -> None:
        store = self.store
        if store is None:
            self.count_label.setText("No data set open")
            return
        total, shown = len(store), self.visible_count()
        self.count_label.setText(f"{shown} of {total} events" if shown != total else _plural(total, "event"))

    def _remember_filter(self) -> None:
        if self.path is None:
            return
        state = self.filter_state
        filters = self.settings_file.settings.actor_filters
        if state.hidden_actors or state.match is not Match.ANY:
            filters[self.path] = ActorFilterSetting(hidden=sorted(state.hidden_actors), match=state.match.value)
        else:
            filters.pop(self.path, None)

    def visible_count(self) -> int:
        if self.store is None:
            return 0
        return len(self.store) if self.visible_mask is None else int(np.count_nonzero(self.visible_mask))

    # -- selection and navigation ------------------------------------------------------------

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
        where = f"{position + 1} of {n}"
        if position + 1 < n:
            k = self.order.at(position + 1)
            self.statusBar().showMessage(f"{where} · next: {self.store.titles[k]} ({self.store.date_texts[k]})")
        else:
            self.statusBar().showMessage(f"{where} · the last event")

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
            self.statusBar().showMessage(
                f"{'The first' if first else 'The end of the list: the last'} event, {position + 1} of {n}"
                + (" (→ goes on)" if first else " (← goes back, Ctrl+Home to the first)"),
                6000,
            )
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

    # -- story mode, full screen, theme -----------------------------------------------------

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

    def set_full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    def theme_system(self, checked: bool) -> None:
        if checked:
            self._set_theme("system")

    def theme_light(self, checked: bool) -> None:
        if checked:
            self._set_theme("light")

    def theme_dark(self, checked: bool) -> None:
        if checked:
            self._set_theme("dark")

    def _set_theme(self, theme: str) -> None:
        if theme != self.settings_file.settings.theme:
            self.settings_file.settings.theme = theme
            self._apply_theme_choice(theme)
            self._save_settings()

    def _apply_theme_choice(self, theme: str) -> None:
        """System follows the desktop's palette; Light and Dark set the export's plain palettes."""
        from ..export.headless import theme_palette

        ids = {"system": ActionId.THEME_SYSTEM, "light": ActionId.THEME_LIGHT, "dark": ActionId.THEME_DARK}
        theme = theme if theme in ids else "system"
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setPalette(self._system_palette if theme == "system" else theme_palette(theme))
        action = self.actions_by_id[ids[theme]]
        action.blockSignals(True)
        action.setChecked(True)
        action.blockSignals(False)

    def zoom_in(self) -> None:
        self.view.zoom_in()

    def zoom_out(self) -> None:
        self.view.zoom_out()

    def fit_all(self) -> None:
        if self.story.active:  # Home: the story's first event
            self.story.first()
            return
        self.view.fit_all()

    def set_compressed_scale(self, checked: bool) -> None:
        if checked:
            self.view.set_time_scale("compressed")

    def set_linear_scale(self, checked: bool) -> None:
        if checked:
            self.view.set_time_scale("linear")

    def set_overview_visible(self, visible: bool) -> None:
        self.overview.setVisible(visible)

    # -- filter chips --------------------------------------------------------------------------

    def filter_chips(self) -> list[Chip]:
        """The active filter as chips: actors, date range, sources' support, search, picked source."""
        store = self.store
        if store is None:
            return []
        state, dock = self.filter_state, self.filter_dock
        chips: list[Chip] = []
        names = dict(zip(store.actor_ids, store.actor_names, strict=True))
        checked = [names[i] for i in store.actor_ids if i not in state.hidden_actors]
        hidden = [names[i] for i in store.actor_ids if i in state.hidden_actors]
        all_of = state.match is Match.ALL
        text = actor_chip_text(checked, hidden, all_of)
        if text is not None:
            how = "every one of" if all_of else "any of"
            chips.append(Chip("actors", text, f"Events with {how}: {', '.join(checked) or 'no actor'}. × shows all"))
        dates = date_chip_text(*dock.date_texts())
        if dates is not None:
            chips.append(Chip("dates", dates, "× clears the date range"))
        query = dock.search.text().strip()
        if query:
            chips.append(Chip("search", f"“{query if len(query) <= 40 else query[:39] + '…'}”", "× clears the search"))
        if state.support is not Support.ANY:
            corroborated = state.support is Support.CORROBORATED
            text = "2+ independent sources" if corroborated else "single source only"
            chips.append(Chip("support", text, "× shows events with any number of sources"))
        source = dock.selected_source()
        if source is not None and self.citations is not None and source in self.citations.source_ids:
            title = self.citations.titles[self.citations.source_ids.index(source)]
            short = title if len(title) <= 40 else title[:39].rstrip() + "…"
            chips.append(Chip("source", f"cites: {short}", f"Events citing {title}. × clears"))
        return chips

    def _update_chips(self) -> None:
        self.chips.set_chips(self.filter_chips())

    def remove_filter(self, key: str) -> None:
        """A chip's ×: clear that part of the filter, in the dock too (which applies it)."""
        dock = self.filter_dock
        if key == "actors":
            dock.show_all_actors()
        elif key == "dates":
            dock.clear_dates()
        elif key == "search":
            dock.search.clear()
            dock.flush_search()
        elif key == "source":
            dock.select_source(None)
        elif key == "support":
            dock.support.setCurrentIndex(dock.support.findData(Support.ANY.value))

    def _first_size(self) -> None:
        """First run (no saved geometry): most of the screen, maximised on a small one."""
        self._maximise_first = False
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None or self.settings_file.settings.window_geometry:
            self.resize(1280, 800)  # the saved geometry, restored next, wins
        else:
            avail = screen.availableGeometry()
            w, h, self._maximise_first = first_window_size(avail.width(), avail.height())
            self.resize(w, h)
            self.move(avail.left() + (avail.width() - w) // 2, avail.top() + (avail.height() - h) // 2)
        self._first_size_set = self.size()

    def focus_search(self) -> None:
        self.filter_dock.show()
        self.filter_dock.raise_()
        self.filter_dock.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_dock.search.selectAll()

    def set_lane_mode(self, mode: str) -> None:
        """View > Lanes by Leading Actor / by Every Actor / Single Stream (core.lane_modes)."""
        self.view.set_lane_mode(mode)
        self.actions_by_id[ActionId(f"lanes_{mode}")].setChecked(True)

    def set_legend_visible(self, visible: bool) -> None:
        self.settings_file.settings.show_legend = visible
        self.view.set_legend_visible(visible)

    # -- export (ui/export_dialog.py) -----------------------------------------------------------

    def export_image(self) -> None:
        if self.store is None:
            self.messages.notice("Open a data set before exporting.")
            return
        from .export_dialog import ExportDialog

        dialog = ExportDialog(
            self,
            self.view,
            self.store,
            self._filter_caption,
            masks=lambda: (self.visible_mask, self.lane_mask),
            choices=self.settings_file.settings.export_choices,
            data_path=self.path,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.choices_changed.connect(self._export_choices_changed)
        dialog.failed.connect(lambda message: self.messages.error("Export failed", [message]))
        dialog.exported.connect(lambda result: self.messages.notice(f"Exported {getattr(result, 'path', '')}"))
        self._export_dialog = dialog
        dialog.open()

    def _update_export_data(self) -> None:
        """Export Data needs an open data set: greyed out, with the reason, when there is none."""
        action = self.actions_by_id[ActionId.EXPORT_DATA]
        spec_tip = next(spec.tip for spec in ACTIONS if spec.id is ActionId.EXPORT_DATA)
        reason = EXPORT_DATA_NEEDS_FILE if self.store is None else None
        action.setEnabled(reason is None)
        action.setToolTip(reason or spec_tip)
        action.setStatusTip(reason or spec_tip)

    def export_data_dialog(self) -> None:
        """A non-blocking save dialog (``open()``); the choice goes to :meth:`export_data`."""
        if self.store is None:
            self.messages.notice(EXPORT_DATA_NEEDS_FILE)
            return
        start = Path(self.path) if self.path else Path.home() / "timeline.json"
        dialog = DataExportDialog(self, start, self._data_filter)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filterSelected.connect(lambda f: setattr(self, "_data_filter", f))
        dialog.chosen.connect(self.export_data)
        self._data_dialog = dialog
        dialog.open()

    def export_data(self, path: str | Path, fmt: str) -> bool:
        """Write the whole open data set (filters do not apply) to ``path`` in ``fmt``.

        Warnings for what the format cannot carry go to the Problems dock under this target's
        key, replacing those of an earlier export to the same file.
        """
        store = self.store
        if store is None:
            self.messages.notice(EXPORT_DATA_NEEDS_FILE)
            return False
        target = Path(path)
        key = f"export:{target}"
        try:
            warnings = export_store(store, target, fmt)
        except ExportFailed as exc:
            self.messages.error(f"Export failed: {target.name} was not written", [str(exc)], key=key)
            return False
        done = f"Exported {_plural(len(store), 'event')} to {target.name} as {format_label(fmt)}"
        if warnings:
            self.messages.warning(f"{done}, which cannot carry everything", warnings, key=key)
        else:
            self.messages.resolve(key)
            self.messages.notice(done)
        return True

    def copy_image(self) -> None:
        from .export_dialog import copy_image_to_clipboard

        copy_image_to_clipboard(self.view)
        self.messages.notice("The current view was copied to the clipboard.")

    def _export_choices_changed(self, choices: dict[str, Any]) -> None:
        self.settings_file.settings.export_choices = dict(choices)
        self._save_settings()

    def _filter_caption(self) -> str:
        from ..export.texts import filter_caption

        store = self.store
        if store is None:
            return ""
        state = self.filter_state
        names = [n for i, n in zip(store.actor_ids, store.actor_names, strict=True) if i not in state.hidden_actors]
        date_from, date_to = self.filter_dock.date_texts()
        query = self.filter_dock.search.text().strip() or None
        matches = int(np.count_nonzero(self._visible_matches())) if self.highlight_mask is not None else None
        return filter_caption(
            actor_names=names,
            total_actors=len(store.actor_ids),
            match=state.match.value,
            date_from=date_from,
            date_to=date_to,
            search=query,
            matches=matches,
            shown=self.visible_count(),
            total=len(store),
        )

    # -- help --------------------------------------------------------------------------------

    def show_help(self) -> None:
        """Help (F1): the keys (from the actions table), the mouse, and what the marks mean."""
        if self._help is None:
            self._help = HelpDialog(self, self.actions_by_id)
        self._help.show()
        self._help.raise_()

    def about_data_set(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("About This Data Set")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(about_data_text(self.store, self.path))
        box.setModal(False)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._about_box = box
        box.show()

    def about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("About Timeline")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            f"Timeline {__version__}\n\nRead how events unfold, with the sources behind every event: "
            "zoom, filter by actor, search, and read the excerpts and the points where sources disagree."
        )
        box.setIcon(QMessageBox.Icon.Information)
        box.setModal(False)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._about_box = box
        box.show()

    # -- drag and drop -----------------------------------------------------------------------

    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> str | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith(OPENABLE_SUFFIXES):
                return url.toLocalFile()
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_file(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if path:
            event.acceptProposedAction()
            self.open_file(path)
        else:
            event.ignore()

    # -- settings ----------------------------------------------------------------------------

    def _restore_layout(self) -> bool:
        s = self.settings_file.settings
        geometry = _unb64(s.window_geometry)
        if geometry is not None and not self.restoreGeometry(geometry):
            log.info("saved window geometry ignored")
        state = _unb64(s.window_state)
        if state is not None and not self.restoreState(state):
            log.info("saved dock layout ignored")
            return False
        return state is not None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._layout_restored:
            # First run: docks sized for reading, the rest to the timeline (once; then as saved).
            self._layout_restored = True
            if self._maximise_first and self.size() == self._first_size_set:  # not resized by a caller
                self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
            # the timeline keeps most of the width: its labels need it (the Filters dock's own
            # content needs 240 px; Details wraps its text)
            side = min(400, self.width() // 6)
            sizes = [max(240, side - 20), max(270, side + 40)]
            self.resizeDocks([self.filter_dock, self.details_dock], sizes, Qt.Orientation.Horizontal)

    def _save_settings(self) -> None:
        self.settings_file.save()
        self._flush_settings_notices()

    def _flush_settings_notices(self) -> None:
        for text in self.settings_file.take_notices():
            self.messages.notice(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._remember_view()
        if self.story.active:  # the layout saved is the reading layout, not the story's
            self.set_story_mode(False)
        s = self.settings_file.settings
        s.window_geometry = _b64(self.saveGeometry())
        s.window_state = _b64(self.saveState())
        self._save_settings()
        self.loader.cancel()
        self.loader.wait(10_000)
        super().closeEvent(event)
