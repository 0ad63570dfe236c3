"""The window remembers each data set's view across restarts; Theme, Help and About This Data Set;
opening another file clears the problems of the one before."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from timeline_app.ui.actions import ActionId
from timeline_app.ui.main_window import MainWindow


def _restart(qtbot: Any, old: MainWindow) -> MainWindow:
    old.close()  # saves the settings, as quitting does
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_a_data_sets_view_comes_back_after_a_restart(
    window: MainWindow, load: Any, timeline_file: Path, invalid_file: Path, qtbot: Any
) -> None:
    load(window, timeline_file)
    assert window.store is not None
    dock = window.filter_dock
    dock.set_actor_checked("af", False)
    dock.date_from.setText("2005")
    dock.search.setText("US")
    dock.select_source("dawn")
    other_scale = "linear" if window.view.time_scale() == "compressed" else "compressed"
    window.view.set_time_scale(other_scale)
    window.select(window.store.index_of("suspend"))
    window.view.set_view_range(14000.0, 18000.0)
    shown, status = window.visible_count(), window.match_label.text()
    second = _restart(qtbot, window)
    load(second, timeline_file)
    assert second.store is not None
    assert second.view.time_scale() == other_scale
    assert second.view.view_range() == pytest.approx((14000.0, 18000.0))
    assert second.store.ids[second.view.selected() or 0] == "suspend"
    assert second.filter_dock.date_from.text() == "2005" and second.filter_dock.search.text() == "US"
    assert second.filter_dock.selected_source() == "dawn"
    assert second.visible_count() == shown and second.match_label.text() == status
    assert second.filter_state.date_from is not None  # the From date applies, not only shows
    second.close()


def test_each_data_set_keeps_its_own_view(window: MainWindow, load: Any, timeline_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text(timeline_file.read_text(encoding="utf-8"), encoding="utf-8")
    load(window, timeline_file)
    window.view.set_view_range(10000.0, 12000.0)
    load(window, other)  # the first file's view is kept when another opens
    window.view.set_view_range(15000.0, 16000.0)
    load(window, timeline_file)
    assert window.view.view_range() == pytest.approx((10000.0, 12000.0))
    load(window, other)
    assert window.view.view_range() == pytest.approx((15000.0, 16000.0))


def test_opening_another_file_clears_the_previous_files_problems(
    window: MainWindow, load: Any, timeline_file: Path, invalid_file: Path
) -> None:
    load(window, invalid_file, ok=False)
    assert window.problems_dock.isVisible() and window.messages.dock.lines()
    load(window, timeline_file)
    assert not window.messages.dock.lines() and not window.problems_dock.isVisible()


def test_theme_menu_sets_the_palette_and_is_remembered(window: MainWindow, qtbot: Any) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    system = app.palette().color(QPalette.ColorRole.Window).name()
    try:
        window.actions_by_id[ActionId.THEME_DARK].trigger()
        assert app.palette().color(QPalette.ColorRole.Window).lightnessF() < 0.3
        qtbot.waitUntil(lambda: window.view._state.theme.background.lightnessF() < 0.3)  # the timeline follows
        assert window.settings_file.settings.theme == "dark"
        window.actions_by_id[ActionId.THEME_LIGHT].trigger()
        assert app.palette().color(QPalette.ColorRole.Window).lightnessF() > 0.7
        assert not window.actions_by_id[ActionId.THEME_DARK].isChecked()
        second = _restart(qtbot, window)
        assert second.actions_by_id[ActionId.THEME_LIGHT].isChecked()
        second.actions_by_id[ActionId.THEME_SYSTEM].trigger()
        assert app.palette().color(QPalette.ColorRole.Window).name() == system
        second.close()
    finally:
        window._apply_theme_choice("system")


def test_help_lists_the_keys_from_the_actions_table_and_the_marks(window: MainWindow) -> None:
    window.actions_by_id[ActionId.HELP].trigger()
    assert window._help is not None and window._help.isVisible()
    text = window._help.text()
    for command, key in (("Story Mode", "Ctrl+Return"), ("Next Event", "Right"), ("Fit All", "Home"),
                         ("Pan Earlier", "Shift+Left"), ("Last Event", "End")):  # fmt: skip
        lines = text.splitlines()  # a table: the command, then its keys
        assert any(a == command and key in b.split(" or ") for a, b in pairwise(lines)), (command, key)
    assert "Refresh" not in text
    assert "sources disagree" in text and "Shift+drag" in text and "Enter / Shift+Enter" in text
    window._help.close()


def test_about_this_data_set_shows_its_description(window: MainWindow, load: Any, timeline_file: Path) -> None:
    import json

    data = json.loads(timeline_file.read_text(encoding="utf-8"))
    data["description"] = "What this is <b>and</b> how it was built."
    timeline_file.write_text(json.dumps(data), encoding="utf-8")
    load(window, timeline_file)
    assert "What this is <b>and</b> how it was built." in window.details_dock.texts()  # nothing selected
    window.actions_by_id[ActionId.ABOUT_DATA].trigger()
    box = window._about_box
    assert box is not None and box.isVisible()
    assert "What this is <b>and</b> how it was built." in box.text() and "6 events, 3 actors, 2 sources" in box.text()
    box.close()


def test_the_timeline_shows_when_it_has_the_keyboard_focus(
    window: MainWindow, load: Any, timeline_file: Path, qtbot: Any
) -> None:
    from PySide6.QtGui import QColor

    load(window, timeline_file)
    view = window.view

    def ring() -> QColor:
        return QColor(view.grab().toImage().pixel(view.width() // 2, 0))

    window.activateWindow()
    window.filter_dock.search.setFocus()
    qtbot.waitUntil(lambda: window.filter_dock.search.hasFocus())
    assert ring() == view._state.theme.background
    view._plot.setFocus()  # as Tab reaches it
    qtbot.waitUntil(view.has_focus_ring)
    assert ring() == view._state.theme.highlight
