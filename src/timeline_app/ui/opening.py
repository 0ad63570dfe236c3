"""Opening data sets: the file chooser, the spreadsheet import and its column map, loading off the
GUI thread with progress and Cancel, reloading when the file changes on disk, recent files, the
reopen cache and drag and drop.

A mixin of :class:`~timeline_app.ui.main_window.MainWindow` (these are its slots, named in the
actions table); it reads and sets the window's reading state. A load that fails leaves the data
set shown untouched and lists its problems; one that succeeds replaces it, keeping the reader's
place on a reload (``view_memory.py``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog

from ..core import store_cache
from ..interop.open import CsvOptions
from ..settings import MAX_RECENT
from .actions import CLEAR_CACHE_TEXT, ActionId
from .status_text import home_short, megabytes, plural
from .worker import OPENABLE_SUFFIXES, Loaded, LoadFailed

APP_TITLE = "Timeline"


class OpeningMixin:
    """Open, import, reload, cancel; the recent files menu; files dropped on the window."""

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
        memory = self.view_memory
        restore_place = memory.keep_place() if same else None
        if not same:
            if self.story.active:
                self.set_story_mode(False)
            memory.remember_view()  # the data set being left: its view comes back when it is reopened
            self.filter_state = memory.saved_filter(result.path)
            restore_place = memory.saved_place(result.path)
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
            status += f" with {plural(len(result.warnings), 'import warning')} (see Problems)"
        self.statusBar().showMessage(status, 5000)
        self.load_finished.emit(True)

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
                shown = f"{shown} — {home_short(Path(path).parent)}"
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
        action.setText(f"{CLEAR_CACHE_TEXT} ({megabytes(size)})" if size else CLEAR_CACHE_TEXT)
        action.setEnabled(size > 0)

    def clear_reopen_cache(self) -> None:
        freed = store_cache.clear()
        self._update_cache_action()
        self.statusBar().showMessage(f"Cleared the reopen cache: {megabytes(freed)} freed", 5000)

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
