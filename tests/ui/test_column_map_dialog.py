"""File > Import Spreadsheet…: the column-mapping dialog prefills what it recognises, refuses a
mapping without a title or start, and the window opens the file with the columns chosen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
