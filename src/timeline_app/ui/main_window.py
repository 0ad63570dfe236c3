"""The main window: the timeline in the middle, filters on the left, the selected event's sources
on the right, problems at the bottom; menus and shortcuts from ``actions.py``.

The window owns the reading state (data set, filter, search, selection) and keeps the docks and
the view in step with it. Its commands are grouped by idea in mixins: opening and reloading data
sets (``opening.py``), filters and search (``filtering.py``), selection and stepping
(``selection.py``), export (``export_commands.py``); the reader's place per data set is kept by
``view_memory.py`` and the status bar's wording is ``status_text.py``. Left here: building the
window, the view's commands (zoom, scale, lanes, theme), help, and the saved layout.
"""

from __future__ import annotations

import base64
import logging
from typing import Any

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QActionGroup, QCloseEvent, QGuiApplication, QShowEvent
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
from ..core.filtering import FilterState
from ..core.reading_order import ReadingOrder
from ..core.search import SearchIndex, SourceCitations
from ..core.store import EventStore
from ..interop.open import CsvOptions
from ..settings import SettingsFile
from .actions import ActionId, build_menus, create_actions
from .data_export import DataExportDialog
from .details_dock import DetailsDock
from .export_commands import EXPORT_DATA_NEEDS_FILE, ExportCommandsMixin
from .file_watch import FileWatcher
from .filter_chips import FilterChips
from .filter_dock import FilterDock
from .filtering import NO_MATCH, FilteringMixin, Mask
from .help import HelpDialog, about_data_text
from .key_panel import KeyPanel
from .load_progress import LoadProgress
from .messages import Messages
from .opening import APP_TITLE, OpeningMixin
from .overview import OverviewStrip
from .selection import SelectionMixin
from .story import StoryMode
from .timeline_view import TimelineView
from .view_memory import ViewMemory
from .worker import Loader

__all__ = ["APP_TITLE", "EXPORT_DATA_NEEDS_FILE", "NO_MATCH", "MainWindow", "first_window_size"]

log = logging.getLogger(__name__)


def _b64(data: QByteArray) -> str:
    return base64.b64encode(bytes(data.data())).decode("ascii")


def _unb64(text: str | None) -> QByteArray | None:
    if not text:
        return None
    try:
        return QByteArray(base64.b64decode(text, validate=True))
    except ValueError:
        return None


def first_window_size(avail_w: int, avail_h: int) -> tuple[int, int, bool]:
    """The window's size on first run for a screen's available area, and whether to maximise:
    on a small screen (up to 1440 x 900) every pixel counts, so maximised; on a larger one 90 %
    of it, so the timeline gets room (1280 x 800 on a 1920 x 1080 screen left it 568 px)."""
    if avail_w <= 1440 or avail_h <= 900:
        return min(1280, avail_w), min(800, avail_h), True
    return round(avail_w * 0.9), round(avail_h * 0.9), False


class MainWindow(OpeningMixin, FilteringMixin, SelectionMixin, ExportCommandsMixin, QMainWindow):
    """The docks and the view around the reading state; the commands live in the mixins."""

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
        self.view_memory = ViewMemory(self)  # each data set's place, across reloads and restarts

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

    # -- the view's commands: full screen, theme, zoom, scale, lanes, legend ---------------------

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
        self.view_memory.remember_view()
        if self.story.active:  # the layout saved is the reading layout, not the story's
            self.set_story_mode(False)
        s = self.settings_file.settings
        s.window_geometry = _b64(self.saveGeometry())
        s.window_state = _b64(self.saveState())
        self._save_settings()
        self.loader.cancel()
        self.loader.wait(10_000)
        super().closeEvent(event)
