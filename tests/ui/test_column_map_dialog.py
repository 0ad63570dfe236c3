"""File > Import Spreadsheet…: the column-mapping dialog prefills what it recognises, refuses a
mapping without a title or start, and the window opens the file with the columns chosen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QLabel

from timeline_app.interop.csv_format import needs_mapping
from timeline_app.interop.csv_mapped import preview
from timeline_app.ui.actions import ActionId
from timeline_app.ui.column_map_dialog import NONE, ColumnMapDialog

SHEET = "Begun,What,Who,Notes\n04/05/2014,Meeting,Ann;Bo,first\n2015-01-02,Launch,Bo,\n"


def test_dialog_prefills_and_checks(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(SHEET, encoding="utf-8")
    dialog = ColumnMapDialog("plan.csv", preview(path))
    qtbot.addWidget(dialog)
    assert dialog.combos["title"].currentText() == "What"  # "what" is a common name for the title
    assert dialog.combos["actors"].currentText() == "Who"
    assert dialog.combos["summary"].currentText() == "Notes"
    assert dialog.combos["start"].currentText() == NONE  # "Begun" is not recognised: the reader says
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Open).isEnabled()
    assert "start date" in dialog.problem.text()
    assert dialog.table.item(0, 1).text() == "Meeting"
    dialog.combos["start"].setCurrentText("Begun")
    dialog.order.setCurrentIndex(1)  # day first
    assert dialog.buttons.button(dialog.buttons.StandardButton.Open).isEnabled()
    options = dialog.options()
    assert dict(options.columns) == {"title": "What", "start": "Begun", "actors": "Who", "summary": "Notes"}
    assert options.day_first is True


def test_window_imports_with_the_chosen_columns(window: Any, qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(SHEET, encoding="utf-8")
    assert window.actions_by_id[ActionId.IMPORT_SPREADSHEET].text() == "&Import Spreadsheet…"
    window.map_columns(str(path))
    dialog = window._map_dialog
    assert isinstance(dialog, ColumnMapDialog) and dialog.isVisible()
    dialog.combos["start"].setCurrentText("Begun")
    dialog.order.setCurrentIndex(1)
    with qtbot.waitSignal(window.load_finished, timeout=15_000) as blocker:
        dialog.buttons.button(dialog.buttons.StandardButton.Open).click()
    assert blocker.args == [True]
    assert list(window.store.titles) == ["Meeting", "Launch"]
    assert window.store.date_texts[0] == "4 May 2014"
    assert sorted(window.store.actor_names) == ["Ann", "Bo"]


# A header none of whose names we know: no error, the dialog instead.
UNKNOWN = "Wann,Was,Wer\n2001-09-11,Attacks,US\n2011-05-02,Raid,US;Pakistan\n"


def _drop(window: Any, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    window.dropEvent(QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                                Qt.KeyboardModifier.NoModifier))  # fmt: skip


@pytest.mark.parametrize("how", ["open", "drop"])
def test_a_spreadsheet_with_unknown_columns_offers_the_mapping_instead_of_failing(
    window: Any, qtbot: Any, tmp_path: Path, how: str
) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(UNKNOWN, encoding="utf-8")
    with qtbot.waitSignal(window.load_finished, timeout=15_000) as blocker:
        window.open_file(path) if how == "open" else _drop(window, path)
    assert blocker.args == [False]
    dialog = window._map_dialog
    assert isinstance(dialog, ColumnMapDialog) and dialog.isVisible()
    assert "The columns of mine.csv were not recognised" in dialog.findChild(QLabel, "column_map_intro").text()
    assert not window.messages.errors()  # offered the dialog, not an error
    assert "not recognised" in window.statusBar().currentMessage()
    for fld, column in (("start", "Wann"), ("title", "Was"), ("actors", "Wer")):
        dialog.combos[fld].setCurrentText(column)
    with qtbot.waitSignal(window.load_finished, timeout=15_000) as blocker:
        dialog.buttons.button(dialog.buttons.StandardButton.Open).click()
    assert blocker.args == [True]
    assert list(window.store.titles) == ["Attacks", "Raid"]
    assert sorted(window.store.actor_names) == ["Pakistan", "US"]


def test_only_headers_we_cannot_read_by_ourselves_need_a_mapping() -> None:
    assert needs_mapping(["Wann", "Was", "Wer"])
    assert not needs_mapping(["id", "title", "start", "actors"])  # ours
    assert not needs_mapping(["Year", "Month", "Day", "Headline", "Text"])  # TimelineJS's sheet
    assert not needs_mapping(["date", "title", "description"])  # common names
    assert needs_mapping(["title", "notes"])  # no start: a start date is needed
