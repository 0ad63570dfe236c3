"""File > Export Data… and import warnings, driven through the real window and its dialog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLineEdit

from timeline_app.core.loading import load_timeline
from timeline_app.interop.convert import read_any
from timeline_app.resources import bundled_events
from timeline_app.ui.actions import ActionId
from timeline_app.ui.data_export import FORMATS, DataExportDialog, resolve_target
from timeline_app.ui.main_window import EXPORT_DATA_NEEDS_FILE, MainWindow

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "interop-samples" / "timelinejs"
FILTERS = {f.fmt: f.name_filter for f in FORMATS}


@pytest.fixture
def data_file(timeline_file: Path) -> Path:
    """The bundled data set when it is there, else the window tests' fixture."""
    try:
        return bundled_events()
    except FileNotFoundError:
        return timeline_file


def _event_count(window: MainWindow) -> int:
    assert window.store is not None
    return len(window.store)


def _export_through_dialog(window: MainWindow, qtbot: Any, target: Path, fmt: str) -> None:
    window.actions_by_id[ActionId.EXPORT_DATA].trigger()
    dialog = window._data_dialog
    assert isinstance(dialog, DataExportDialog) and dialog.isVisible()  # open(), not exec(): we got here
    dialog.selectNameFilter(FILTERS[fmt])
    dialog.filterSelected.emit(FILTERS[fmt])  # what picking it in the combo box does
    dialog.selectFile(str(target))
    with qtbot.waitSignal(dialog.chosen, timeout=5000):
        dialog.accept()


@pytest.mark.parametrize(("fmt", "name"), [("csv", "out.csv"), ("timelinejs", "out.json"), ("ics", "out.ics")])
def test_export_writes_a_file_that_reads_back_with_every_event(
    window: MainWindow, load: Any, qtbot: Any, data_file: Path, tmp_path: Path, fmt: str, name: str
) -> None:
    load(window, data_file)
    target = tmp_path / "exports" / name
    target.parent.mkdir()
    _export_through_dialog(window, qtbot, target, fmt)
    assert target.is_file()
    if fmt == "ics":  # iCalendar is export-only: count the events it holds
        assert target.read_text(encoding="utf-8").count("BEGIN:VEVENT") == _event_count(window)
    else:
        timeline, _warnings, read_as = read_any(target)
        assert read_as == fmt
        assert len(timeline.events) == _event_count(window)
    assert sorted(p.name for p in target.parent.iterdir()) == [name]  # no temporary file left


def test_timelinejs_export_lists_what_it_cannot_carry(
    window: MainWindow, load: Any, qtbot: Any, data_file: Path, tmp_path: Path
) -> None:
    load(window, data_file)
    assert window.messages.warnings() == []
    _export_through_dialog(window, qtbot, tmp_path / "tl.json", "timelinejs")
    warning = window.messages.warnings()[-1]
    assert "tl.json" in warning.title and "TimelineJS" in warning.title
    assert any("discrepancies" in line for line in warning.lines)
    assert window.problems_dock.isVisible()
    assert any("discrepancies" in line for line in window.problems_dock.lines())
    assert "tl.json" in window.statusBar().currentMessage()
    assert window.messages.errors() == []
    # Exporting to the same file again replaces the warnings rather than piling them up.
    assert window.export_data(tmp_path / "tl.json", "timelinejs")
    assert sum("discrepancies" in line for line in window.problems_dock.lines()) == 1


def test_export_to_our_own_format_reads_back_equal(
    window: MainWindow, load: Any, data_file: Path, tmp_path: Path
) -> None:
    load(window, data_file)
    target = tmp_path / "copy.json"
    assert window.export_data(target, "timeline")
    timeline, warnings, read_as = read_any(target)
    assert (warnings, read_as) == ([], "timeline")
    assert window.store is not None and timeline == load_timeline(data_file)  # the document, rebuilt whole
    assert window.messages.warnings() == [] and "Exported" in window.messages.notices()[-1].title


def test_failed_write_reports_a_clear_error_and_leaves_nothing(
    window: MainWindow, load: Any, data_file: Path, tmp_path: Path
) -> None:
    load(window, data_file)
    folder = tmp_path / "taken.csv"
    folder.mkdir()
    before = sorted(tmp_path.iterdir())
    assert not window.export_data(folder, "csv")
    error = window.messages.errors()[-1]
    assert "Export failed" in error.title and "taken.csv" in error.title
    assert error.lines == [f"{folder}: is a folder; choose a file name"]
    assert window.problems_dock.isVisible()
    assert sorted(tmp_path.iterdir()) == before and list(folder.iterdir()) == []
    assert window.store is not None and len(window.store) > 0  # the data set is untouched


def test_export_data_needs_a_data_set(window: MainWindow, load: Any, timeline_file: Path) -> None:
    action = window.actions_by_id[ActionId.EXPORT_DATA]
    assert not action.isEnabled() and action.toolTip() == EXPORT_DATA_NEEDS_FILE
    window.export_data_dialog()  # the shortcut still reaches the slot: a notice, no dialog
    assert window._data_dialog is None and window.messages.notices()[-1].title == EXPORT_DATA_NEEDS_FILE
    load(window, timeline_file)
    assert action.isEnabled() and "CSV" in action.toolTip()
    assert "Ctrl+Shift+S" in [s.toString() for s in action.shortcuts()]
    # The read model is the same at every size: Export Data rebuilds the document from it (a large
    # file: test_large_load), here as a spreadsheet.
    assert window.export_data(timeline_file.with_suffix(".csv"), "csv")
    assert timeline_file.with_suffix(".csv").exists()


def test_picking_a_format_swaps_the_extension_typed(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    window.export_data_dialog()
    dialog = window._data_dialog
    assert dialog is not None
    edit = dialog.findChild(QLineEdit, "fileNameEdit")
    if edit is None:
        pytest.skip("a native file dialog: its name field is not ours to read")
    assert edit.text() == "fixture.csv"
    dialog.selectNameFilter(FILTERS["ics"])
    dialog.filterSelected.emit(FILTERS["ics"])
    assert edit.text() == "fixture.ics"
    dialog.reject()


def test_target_format_follows_the_extension_and_the_filter_for_json(tmp_path: Path) -> None:
    assert resolve_target(tmp_path / "a.csv", FILTERS["ics"]) == (tmp_path / "a.csv", "csv")
    assert resolve_target(tmp_path / "a.json", FILTERS["timelinejs"]) == (tmp_path / "a.json", "timelinejs")
    assert resolve_target(tmp_path / "a.json", FILTERS["csv"]) == (tmp_path / "a.json", "timeline")
    assert resolve_target(tmp_path / "notes", FILTERS["ics"]) == (tmp_path / "notes.ics", "ics")


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs ../shared: shared/interop-samples is not beside the checkout")
def test_opening_a_lossy_timelinejs_file_shows_its_import_warnings(window: MainWindow, load: Any) -> None:
    sample = SAMPLES / "marktwain.json"
    expected = read_any(sample)[1]
    assert expected, "the sample no longer has lossy parts"
    load(window, sample)
    warning = window.messages.warnings()[-1]
    assert "marktwain.json" in warning.title and warning.lines == expected
    assert window.problems_dock.isVisible()
    assert any("map location dropped" in line for line in window.problems_dock.lines())
    assert "import warning" in window.statusBar().currentMessage()
    assert window.messages.errors() == []


def test_our_own_format_opens_without_warnings(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    assert window.messages.warnings() == [] and not window.problems_dock.isVisible()
