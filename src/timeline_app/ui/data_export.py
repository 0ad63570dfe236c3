"""File > Export Data…: write the open data set as our JSON, TimelineJS JSON, CSV or iCalendar.

The format follows the file name's extension, except ``.json``, which is ours or TimelineJS as
the dialog's filter says; a name without a known extension gets the filter's. The writing is
``interop.convert.write_any`` (atomic), so a failed export leaves no file and no partial file;
the warnings it returns (what the format cannot carry) go to the reader, never only to a log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QLineEdit, QWidget

from ..core.build import store_document
from ..core.models import Timeline
from ..core.store import EventStore
from ..interop.convert import FormatError, detect_output, write_any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DataFormat:
    fmt: str  # as write_any names it
    label: str  # for messages
    name_filter: str  # for the file dialog
    suffix: str


FORMATS: tuple[DataFormat, ...] = (
    DataFormat("csv", "CSV", "CSV spreadsheet (*.csv)", ".csv"),
    DataFormat("timelinejs", "TimelineJS", "TimelineJS JSON (*.json)", ".json"),
    DataFormat("timeline", "Timeline JSON", "Timeline JSON, this program's own format (*.json)", ".json"),
    DataFormat("ics", "iCalendar", "iCalendar (*.ics)", ".ics"),
)
_BY_FILTER = {f.name_filter: f for f in FORMATS}
_BY_FMT = {f.fmt: f for f in FORMATS}
_SUFFIXES = {f.suffix for f in FORMATS}


def format_label(fmt: str) -> str:
    return _BY_FMT[fmt].label if fmt in _BY_FMT else fmt


def resolve_target(path: str | Path, name_filter: str | None = None) -> tuple[Path, str]:
    """The file to write and its format, from the name typed and the filter picked."""
    chosen = _BY_FILTER.get(name_filter or "", FORMATS[0])
    target = Path(path)
    if target.suffix.lower() == ".json":
        return target, chosen.fmt if chosen.fmt in ("timeline", "timelinejs") else "timeline"
    try:
        return target, detect_output(target)
    except FormatError:  # no extension, or one we do not write ("notes.v2"): the filter's is added
        return target.with_name(target.name + chosen.suffix), chosen.fmt


class ExportFailed(Exception):
    """The export did not happen; the message says why, for the reader."""


def export_timeline(timeline: Timeline, path: Path, fmt: str) -> list[str]:
    """Write ``timeline`` to ``path``; the warnings, or :class:`ExportFailed` with a clear reason."""
    try:
        return write_any(timeline, path, fmt)
    except FormatError as exc:
        raise ExportFailed(str(exc)) from None
    except IsADirectoryError:
        raise ExportFailed(f"{path}: is a folder; choose a file name") from None
    except OSError as exc:
        raise ExportFailed(f"{path}: {exc.strerror or exc}") from None
    except Exception as exc:  # a bug in a writer: report it, keep the window alive
        log.exception("exporting %s failed", path)
        raise ExportFailed(f"{path}: unexpected error: {type(exc).__name__}: {exc}") from None


def export_store(store: EventStore, path: Path, fmt: str) -> list[str]:
    """Write the open data set, its document rebuilt from the read model (at any size)."""
    return export_timeline(store_document(store), path, fmt)


class DataExportDialog(QFileDialog):
    """A save dialog offering the four formats; emits ``chosen(path, fmt)`` once accepted.

    Opened with ``open()`` by the window, never ``exec()``. Picking another filter swaps the
    extension of the name typed so far, so the name and the format never disagree.
    """

    chosen = Signal(str, str)

    def __init__(self, parent: QWidget | None, start: Path, name_filter: str | None = None) -> None:
        super().__init__(parent, "Export Data", str(start.parent))
        self.setObjectName("export_data_dialog")
        self.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        self.setFileMode(QFileDialog.FileMode.AnyFile)
        self.setNameFilters([f.name_filter for f in FORMATS])
        picked = _BY_FILTER.get(name_filter or "", FORMATS[0])
        self.selectNameFilter(picked.name_filter)
        self.setDefaultSuffix(picked.suffix.lstrip("."))
        self.selectFile(start.stem + picked.suffix)
        self.filterSelected.connect(self._filter_selected)
        self.fileSelected.connect(self._file_selected)

    def _filter_selected(self, name_filter: str) -> None:
        picked = _BY_FILTER.get(name_filter)
        if picked is None:
            return
        self.setDefaultSuffix(picked.suffix.lstrip("."))
        edit = self.findChild(QLineEdit, "fileNameEdit")  # Qt's own dialog; a native one keeps its name
        if edit is not None:
            name = Path(edit.text())
            if name.suffix.lower() in _SUFFIXES:
                edit.setText(name.stem + picked.suffix)

    def _file_selected(self, path: str) -> None:
        target, fmt = resolve_target(path, self.selectedNameFilter())
        self.chosen.emit(str(target), fmt)
