"""A curator saves the open file in an editor: the window follows, keeping the reader's place."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from timeline_app.ui.main_window import MainWindow

WAIT_MS = 5_000


def _write(path: Path, data: dict[str, Any] | str) -> None:
    text = data if isinstance(data, str) else json.dumps(data, indent=2, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")


def _edited(path: Path, title: str) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["events"][0]["title"] = title  # the "raid" event
    return data


def _selected_id(window: MainWindow) -> str | None:
    sel = window.view.selected()
    return None if sel is None or window.store is None else window.store.ids[sel]


def _title_of(window: MainWindow, event_id: str) -> str | None:
    if window.store is None:
        return None
    index = window.store.index_of(event_id)
    return None if index is None else window.store.titles[index]


def _open_and_place(window: MainWindow, load: Any, path: Path) -> tuple[float, float]:
    """Open, select the raid, zoom somewhere, hide Afghanistan: the reader's place to keep."""
    load(window, path)
    assert window.store is not None
    window.select(window.store.index_of("raid"))
    window.filter_dock.set_actor_checked("af", False)
    window.view.set_view_range(14000.0, 16000.0)
    return window.view.view_range()


def test_valid_edit_reloads_and_keeps_place(window: MainWindow, load: Any, timeline_file: Path, qtbot: Any) -> None:
    before = _open_and_place(window, load, timeline_file)
    assert window.visible_count() == 5
    _write(timeline_file, _edited(timeline_file, "Operation Neptune Spear"))
    qtbot.waitUntil(lambda: _title_of(window, "raid") == "Operation Neptune Spear", timeout=WAIT_MS)
    assert _selected_id(window) == "raid"
    assert "Operation Neptune Spear" in window.details_dock.texts()[0]
    assert window.view.view_range() == before
    assert "af" in window.filter_state.hidden_actors and window.visible_count() == 5
    assert window.messages.errors() == []


def test_invalid_edit_keeps_last_good_version_then_clears(
    window: MainWindow, load: Any, timeline_file: Path, qtbot: Any
) -> None:
    before = _open_and_place(window, load, timeline_file)
    good = timeline_file.read_text(encoding="utf-8")
    # Line 3 gets a title that is a number: a located error, the old data stays.
    _write(timeline_file, good.replace('"title": "Fixture timeline"', '"title": 5', 1))
    qtbot.waitUntil(lambda: len(window.messages.errors()) == 1, timeout=WAIT_MS)
    error = window.messages.errors()[0]
    assert "still showing the last version" in error.title
    assert any(line.startswith(f"{timeline_file}:3:") and "$.title" in line for line in error.lines)
    assert window.problems_dock.isVisible()
    assert any(f"{timeline_file}:3:" in line for line in window.problems_dock.lines())
    assert window.windowTitle() == "Fixture timeline — Timeline"
    assert _selected_id(window) == "raid" and window.view.view_range() == before
    assert window.count_label.text() == "5 of 6 events"

    # A second broken save replaces the problem rather than piling up.
    _write(timeline_file, good.replace('"title": "Fixture timeline"', '"title": 6', 1))
    qtbot.waitUntil(lambda: len(window.messages.errors()) == 2, timeout=WAIT_MS)
    assert sum(f"{timeline_file}:3:" in line for line in window.problems_dock.lines()) == 1

    # Fixed: the problem goes, the edit shows, the place is kept.
    fixed = json.loads(good)
    fixed["events"][0]["title"] = "Fixed raid"
    _write(timeline_file, fixed)
    qtbot.waitUntil(lambda: _title_of(window, "raid") == "Fixed raid", timeout=WAIT_MS)
    assert window.messages.active == {}
    assert window.problems_dock.lines() == []
    assert not window.problems_dock.isVisible()
    assert _selected_id(window) == "raid" and window.view.view_range() == before


def test_atomic_rename_save_is_followed(window: MainWindow, load: Any, timeline_file: Path, qtbot: Any) -> None:
    before = _open_and_place(window, load, timeline_file)
    for k in range(2):  # the watch survives the first rename
        temp = timeline_file.with_name(f".fixture.json.swp{k}")
        _write(temp, _edited(timeline_file, f"Renamed save {k}"))
        os.replace(temp, timeline_file)
        qtbot.waitUntil(lambda k=k: _title_of(window, "raid") == f"Renamed save {k}", timeout=WAIT_MS)
        assert _selected_id(window) == "raid" and window.view.view_range() == before


def test_search_and_dates_survive_a_reload(window: MainWindow, load: Any, timeline_file: Path, qtbot: Any) -> None:
    load(window, timeline_file)
    window.filter_dock.date_from.setText("2005")
    window.filter_dock.search.setText("aid")
    shown, matches = window.visible_count(), window.match_label.text()
    assert shown < 6 and matches
    _write(timeline_file, _edited(timeline_file, "Edited raid"))
    qtbot.waitUntil(lambda: _title_of(window, "raid") == "Edited raid", timeout=WAIT_MS)
    assert window.filter_dock.date_from.text() == "2005"
    assert window.filter_dock.search.text() == "aid"
    assert window.visible_count() == shown and window.match_label.text() == matches


def test_other_files_in_the_folder_do_not_reload(
    window: MainWindow, load: Any, timeline_file: Path, qtbot: Any
) -> None:
    load(window, timeline_file)
    with qtbot.assertNotEmitted(window.load_finished, wait=800):
        _write(timeline_file.with_name("notes.txt"), "unrelated")
