"""The real main window, driven the way a reader would: open, filter, select, step, search."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPushButton

from timeline_app.ui.actions import ACTIONS, MENUS, ActionId, ActionMenu, Submenu
from timeline_app.ui.app import make_excepthook
from timeline_app.ui.details_dock import EMPTY_TEXT
from timeline_app.ui.main_window import NO_MATCH, MainWindow


def _index(window: MainWindow, event_id: str) -> int:
    assert window.store is not None
    index = window.store.index_of(event_id)
    assert index is not None
    return index


def _selected_id(window: MainWindow) -> str | None:
    sel = window.view.selected()
    return None if sel is None or window.store is None else window.store.ids[sel]


def _details(window: MainWindow) -> str:
    return "\n".join(window.details_dock.texts())


def _nothing_selected(window: MainWindow) -> bool:
    """The details panel's empty state: the hint (after the data set's title and description)."""
    texts = window.details_dock.texts()
    return bool(texts) and texts[-1] == EMPTY_TEXT and window.details_dock.findChild(QLabel, "details_title") is None


# -- opening ---------------------------------------------------------------------------------


def test_open_names_the_data_set_and_counts_events(window: MainWindow, load: Any, timeline_file: Path) -> None:
    assert window.count_label.text() == "No data set open"
    load(window, timeline_file)
    assert window.windowTitle() == "Fixture timeline — Timeline"
    assert window.count_label.text() == "6 events"
    actors = [window.filter_dock.actor_list.item(k).text() for k in range(window.filter_dock.actor_list.count())]
    assert actors == ["United States (4)", "Pakistan (4)", "Afghanistan (2)"]
    sources = [window.filter_dock.source_list.item(k).text() for k in range(window.filter_dock.source_list.count())]
    assert sorted(sources) == ["CRS report (2)", "Dawn report (2)"]
    assert _nothing_selected(window)


def test_invalid_file_is_reported_and_previous_data_stays(
    window: MainWindow, load: Any, timeline_file: Path, invalid_file: Path
) -> None:
    load(window, timeline_file)
    window.select(_index(window, "raid"))
    load(window, invalid_file, ok=False)
    errors = window.messages.errors()
    assert len(errors) == 1 and "bad.json could not be opened" in errors[0].title
    assert any(line.startswith(f"{invalid_file}:3:") and "$.title" in line for line in errors[0].lines)
    assert window.problems_dock.isVisible()
    assert any(f"{invalid_file}:3:" in line for line in window.problems_dock.lines())
    # The data set shown before is intact: title, count, selection, details.
    assert window.windowTitle() == "Fixture timeline — Timeline"
    assert window.count_label.text() == "6 events"
    assert _selected_id(window) == "raid"
    assert "Abbottabad raid" in _details(window)
    window.problems_dock.copy_all_button.click()
    assert f"{invalid_file}:3:" in QGuiApplication.clipboard().text()


def test_missing_file_is_reported_not_raised(window: MainWindow, load: Any, tmp_path: Path) -> None:
    load(window, tmp_path / "nope.json", ok=False)
    assert "no such file" in window.messages.errors()[0].lines[0]
    assert window.store is None


def test_reload_keeps_selection(window: MainWindow, load: Any, timeline_file: Path, qtbot: Any) -> None:
    load(window, timeline_file)
    window.select(_index(window, "suspend"))
    data = json.loads(timeline_file.read_text(encoding="utf-8"))
    data["title"] = "Edited title"
    timeline_file.write_text(json.dumps(data), encoding="utf-8")
    with qtbot.waitSignal(window.load_finished, timeout=15_000):
        window.actions_by_id[ActionId.RELOAD].trigger()
    assert window.windowTitle() == "Edited title — Timeline"
    assert _selected_id(window) == "suspend"


def test_dropping_a_json_file_opens_it(window: MainWindow, timeline_file: Path, qtbot: Any) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(timeline_file))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    with qtbot.waitSignal(window.load_finished, timeout=15_000):
        window.dropEvent(event)
    assert window.count_label.text() == "6 events"


# -- filters ---------------------------------------------------------------------------------


def test_unchecking_an_actor_hides_its_events(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    window.filter_dock.set_actor_checked("af", False)  # "img" has only Afghanistan
    assert window.count_label.text() == "5 of 6 events"
    assert window.visible_mask is not None
    assert not window.visible_mask[_index(window, "img")]
    assert int(window.visible_mask.sum()) == 5
    window.filter_dock.all_button.click()
    assert window.count_label.text() == "6 events"
    assert window.visible_mask is None


def test_export_legend_lists_the_lanes_the_window_shows(
    window: MainWindow, load: Any, timeline_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(window, timeline_file)
    window.filter_dock.set_actor_checked("af", False)  # "withdraw" (US and Afghanistan) still shows
    pages: list[Any] = []
    monkeypatch.setattr("timeline_app.ui.export_dialog.export_image", lambda *args: pages.append(args[-1]))
    window.export_image()
    dialog: Any = window._export_dialog
    dialog.path_edit.setText(str(tmp_path / "out.png"))
    dialog.export_now()
    names = [name for name, _color in pages[0].legend]
    assert "Afghanistan" not in names and "United States" in names


def test_all_of_mode_and_empty_result_message(
    window: MainWindow, load: Any, timeline_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(window, timeline_file)
    shown: list[str | None] = []
    real = window.view.set_message
    monkeypatch.setattr(window.view, "set_message", lambda text: (shown.append(text), real(text)))
    window.filter_dock.set_actor_checked("af", False)
    window.filter_dock.match.setCurrentIndex(1)  # all of United States and Pakistan
    assert window.count_label.text() == "3 of 6 events"  # raid, aid, suspend
    window.filter_dock.none_button.click()
    assert window.count_label.text() == "0 of 6 events"
    assert shown[-1] == NO_MATCH
    # "All" means every event back, in either mode (issue 12): it resets the mode to "any",
    # where it used to ask for events with all three actors at once, which gave none
    window.filter_dock.all_button.click()
    assert shown[-1] is None
    assert window.filter_dock.match.currentIndex() == 0
    assert window.count_label.text() == "6 events"


def test_hiding_the_selected_event_clears_the_details(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    window.select(_index(window, "img"))
    window.filter_dock.set_actor_checked("af", False)
    assert window.view.selected() is None
    assert _nothing_selected(window)


def test_date_range_filter(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    dock = window.filter_dock
    QTest.keyClicks(dock.date_from, "2010")
    QTest.keyClicks(dock.date_to, "2018")
    # Overlapping 2010–2018: the 2002–2017 aid span, the raid, March 2015, January 2018.
    assert window.count_label.text() == "4 of 6 events"
    dock.date_to.clear()
    QTest.keyClicks(dock.date_to, "2018-13")
    dock.date_to.editingFinished.emit()
    error = dock.error_text(dock.date_to)
    assert error is not None and "month 13" in error
    assert window.count_label.text() == "5 of 6 events"  # the invalid To is not applied: no upper bound
    dock.date_to.clear()
    assert dock.error_text(dock.date_to) is None


def test_actor_filter_is_remembered_per_data_set(
    qtbot: Any, load: Any, timeline_file: Path, settings_dir: Path
) -> None:
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.resize(720, 570)  # within the offscreen screen (800x600): restoreGeometry clamps to it
    load(first, timeline_file)
    first.filter_dock.set_actor_checked("af", False)
    first.close()
    saved = json.loads((settings_dir / "settings.json").read_text(encoding="utf-8"))
    assert saved["recent_files"] == [str(timeline_file)]

    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (720, 570)
    recent = [a.text() for a in second.recent_menu.actions() if a.text()]
    assert recent[0] == "&1 fixture.json"
    load(second, timeline_file)
    assert second.count_label.text() == "5 of 6 events"
    item = second.filter_dock.actor_item("af")
    assert item is not None and item.checkState() == Qt.CheckState.Unchecked
    second.close()


def test_corrupt_settings_give_defaults_and_a_notice(
    qtbot: Any, load: Any, timeline_file: Path, settings_dir: Path
) -> None:
    settings_dir.mkdir(parents=True)
    (settings_dir / "settings.json").write_text("{ this is not json", encoding="utf-8")
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    notices = [m.title for m in win.messages.notices()]
    assert len(notices) == 1 and "damaged" in notices[0]
    assert len(list(settings_dir.glob("settings.json.corrupt-*"))) == 1
    load(win, timeline_file)  # the app runs normally
    assert win.count_label.text() == "6 events"
    win.close()


# -- selection and details -------------------------------------------------------------------


def test_clicking_an_event_shows_its_sources_and_discrepancy(
    window: MainWindow, load: Any, timeline_file: Path, qtbot: Any
) -> None:
    load(window, timeline_file)
    raid = _index(window, "raid")
    window.view.event_clicked.emit(raid)  # what the view emits when the reader clicks the event
    assert window.view.selected() == raid
    text = _details(window)
    assert "Abbottabad raid" in text
    assert "2 May 2011" in text
    assert "“The compound stood near the military academy.”" in text
    assert "— Dawn report, Dawn Media Group, 3 May 2011, para. 3" in text
    # the disputed field in words, not the data's key ("start")
    assert "The date\nClaimed: 1 May 2011\nThe evidence: 2 May 2011 local time\nAccording to CRS report" in text
    assert "Start" not in text
    assert "Tags: counterterrorism" in text
    chips = [w.text() for w in window.details_dock.findChildren(QLabel, "actor_chip")]
    assert chips == ["United States", "Pakistan"]


def test_open_link_uses_only_http_urls(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    opened: list[QUrl] = []
    window.details_dock.open_url = opened.append
    window.select(_index(window, "raid"))
    assert len(window.details_dock.link_buttons) == 1
    window.details_dock.link_buttons[0].click()
    assert [u.toString() for u in opened] == ["https://www.dawn.com/news/raid"]
    window.select(_index(window, "aid"))  # CRS report has no URL: no button
    assert window.details_dock.link_buttons == []


def test_html_in_data_is_shown_literally(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    window.view.event_clicked.emit(_index(window, "img"))
    title = window.details_dock.findChild(QLabel, "details_title")
    assert title is not None
    assert title.text() == "<img src=x> <b>bold</b> & more"
    assert title.textFormat() == Qt.TextFormat.PlainText
    summary = window.details_dock.findChild(QLabel, "details_summary")
    assert summary is not None and summary.textFormat() == Qt.TextFormat.PlainText
    assert summary.text() == "<script>alert(1)</script>"


def test_related_event_button_selects_it(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    window.select(_index(window, "suspend"))
    buttons = window.details_dock.related_buttons
    assert [b.full_text() for b in buttons] == ["context: Abbottabad raid"]
    buttons[0].click()
    assert _selected_id(window) == "raid"
    assert "Abbottabad raid" in _details(window)


def test_background_click_and_escape_clear_selection(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    window.select(_index(window, "raid"))
    window.view.event_clicked.emit(-1)
    assert window.view.selected() is None and _nothing_selected(window)
    window.select(_index(window, "raid"))
    window.actions_by_id[ActionId.CLEAR_SELECTION].trigger()
    assert window.view.selected() is None


# -- keyboard --------------------------------------------------------------------------------


def test_arrow_keys_step_through_visible_events(window: MainWindow, load: Any, timeline_file: Path, qtbot: Any) -> None:
    load(window, timeline_file)
    window.activateWindow()
    window.view.setFocus()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is not None, timeout=3000)
    window.filter_dock.set_actor_checked("af", False)  # hides "img" (2015)
    window.select(_index(window, "raid"))
    QTest.keyClick(window.view, Qt.Key.Key_Right)
    assert _selected_id(window) == "suspend"  # "img" is skipped: it is hidden
    assert "US suspends security assistance" in _details(window)
    QTest.keyClick(window.view, Qt.Key.Key_Left)
    QTest.keyClick(window.view, Qt.Key.Key_Left)
    assert _selected_id(window) == "aid"
    QTest.keyClick(window.view, Qt.Key.Key_Escape)
    assert window.view.selected() is None
    QTest.keyClick(window.view, Qt.Key.Key_Home)  # fit all
    QTest.keyClick(window.view, Qt.Key.Key_Right)  # nothing selected: starts at the left
    assert _selected_id(window) == "base"


def test_step_ensures_the_event_is_in_view(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    suspend = _index(window, "suspend")
    window.view.set_view_range(-4000.0, -3000.0)  # the 1950s-60s
    window.select(_index(window, "img"))
    window.actions_by_id[ActionId.NEXT_EVENT].trigger()
    assert window.view.selected() == suspend
    x0, x1 = window.view.view_range()
    assert window.store is not None and x0 <= window.store.start[suspend] <= x1


def test_ctrl_f_focuses_search(window: MainWindow, load: Any, timeline_file: Path, qtbot: Any) -> None:
    load(window, timeline_file)
    window.activateWindow()
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.filter_dock.search.hasFocus(), timeout=3000)


def test_zoom_actions_change_the_range(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    x0, x1 = window.view.view_range()
    window.actions_by_id[ActionId.ZOOM_IN].trigger()
    z0, z1 = window.view.view_range()
    assert z1 - z0 < x1 - x0
    window.actions_by_id[ActionId.FIT_ALL].trigger()
    assert window.view.view_range() == pytest.approx((x0, x1))


# -- search and sources ----------------------------------------------------------------------


def test_search_highlights_and_enter_steps(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    dock = window.filter_dock
    QTest.keyClicks(dock.search, "peshawar")  # accent-insensitive: the title says Pêshawar
    assert dock.search_status.text() == "1 match"
    dock.search.clear()
    QTest.keyClicks(dock.search, "US")  # raid summary, aid, suspend, withdraw (case-insensitive)
    assert window.highlight_mask is not None
    matches = [window.store.ids[i] for i in np.flatnonzero(window.highlight_mask)]  # type: ignore[union-attr]
    assert matches == ["aid", "raid", "suspend", "withdraw"]
    assert window.match_label.text() == "4 matches"
    QTest.keyClick(dock.search, Qt.Key.Key_Return)
    assert _selected_id(window) == "aid"
    QTest.keyClick(dock.search, Qt.Key.Key_Return)
    assert _selected_id(window) == "raid"
    QTest.keyClick(dock.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert _selected_id(window) == "aid"
    QTest.keyClick(dock.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert _selected_id(window) == "withdraw"  # wraps around
    # Matches hidden by a filter are not counted as shown, and are skipped.
    dock.set_actor_checked("af", False)
    dock.set_actor_checked("us", False)
    assert window.match_label.text() == "3 matches (1 more hidden by filters)"
    dock.search.clear()
    assert window.highlight_mask is None and window.match_label.text() == ""


def test_search_without_matches(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    QTest.keyClicks(window.filter_dock.search, "zeppelin")
    assert window.filter_dock.search_status.text() == "No matches"
    QTest.keyClick(window.filter_dock.search, Qt.Key.Key_Return)
    assert window.view.selected() is None


def test_selecting_a_source_highlights_events_citing_it(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    window.filter_dock.select_source("crs")  # quoted by "aid", named in the raid's discrepancy
    assert window.highlight_mask is not None
    assert {window.store.ids[i] for i in np.flatnonzero(window.highlight_mask)} == {"aid", "raid"}  # type: ignore[union-attr]
    assert window.match_label.text() == "2 events cite “CRS report”"  # not "2 matches" under an empty box
    window.filter_dock.clear_source_button.click()
    assert window.highlight_mask is None


# -- errors, actions, help -------------------------------------------------------------------


def test_unexpected_exceptions_reach_the_problems_dock(window: MainWindow) -> None:
    try:
        raise ValueError("boom")
    except ValueError as exc:
        make_excepthook(window.messages)(ValueError, exc, exc.__traceback__)
    error = window.messages.errors()[-1]
    assert error.title == "Unexpected error: ValueError: boom"
    assert any("raise ValueError" in line for line in error.lines)
    assert window.problems_dock.isVisible()


def test_every_action_has_a_slot_or_dock_and_a_menu(window: MainWindow) -> None:
    in_menus = {item for _title, items in MENUS for item in items if isinstance(item, ActionId)}
    in_menus |= {sub for _title, items in MENUS for item in items if isinstance(item, ActionMenu) for sub in item.items}
    for spec in ACTIONS:
        assert spec.slot is None or callable(getattr(window, spec.slot)), spec
        assert spec.dock is None or getattr(window, spec.dock) is not None, spec
        assert spec.id in in_menus or spec.id is ActionId.CLEAR_RECENT, spec  # Open Recent
    keys = {spec.id: window.actions_by_id[spec.id].shortcuts() for spec in ACTIONS}
    assert "Ctrl+O" in [k.toString() for k in keys[ActionId.OPEN]]
    assert "F5" in [k.toString() for k in keys[ActionId.RELOAD]]
    assert "Ctrl+=" in [k.toString() for k in keys[ActionId.ZOOM_IN]]
    assert {"Ctrl+0", "Home"} <= {k.toString() for k in keys[ActionId.FIT_ALL]}
    assert any(isinstance(item, Submenu) for _title, items in MENUS for item in items)
    all_sequences = [k.toString() for seqs in keys.values() for k in seqs]
    assert len(all_sequences) == len(set(all_sequences)), "a shortcut is bound twice"


def test_view_menu_toggles_docks(window: MainWindow) -> None:
    assert window.details_dock.isVisible()
    window.actions_by_id[ActionId.SHOW_DETAILS].trigger()
    assert not window.details_dock.isVisible()
    window.actions_by_id[ActionId.SHOW_DETAILS].trigger()
    assert window.details_dock.isVisible()


def test_view_menu_switches_lane_modes_one_at_a_time(window: MainWindow) -> None:
    """View > Lanes by Leading Actor / by Every Actor / Single Stream: one checked, the view follows,
    and a shared event stays one mark in each."""
    lane_actions = [window.actions_by_id[ActionId(f"lanes_{m}")] for m in ("primary", "actor", "stream")]
    assert [a.isChecked() for a in lane_actions] == [True, False, False]
    assert window.view.lane_mode() == "primary"
    for k, mode in enumerate(("stream", "actor", "primary")):
        action = window.actions_by_id[ActionId(f"lanes_{mode}")]
        action.trigger()
        assert window.view.lane_mode() == mode and action.isChecked()
        assert sum(a.isChecked() for a in lane_actions) == 1, k
        f = window.view._view_frame()
        c = window.view._state.copies(f)
        assert len(c.idx) == len(set(c.idx.tolist()))  # each event once


def test_about_is_not_modal(window: MainWindow) -> None:
    window.actions_by_id[ActionId.ABOUT].trigger()
    box = window._about_box
    assert box is not None and box.isVisible() and not box.isModal()
    assert any(b.text() for b in box.findChildren(QPushButton))
    box.close()


def test_recent_menu_opens_a_file(window: MainWindow, load: Any, timeline_file: Path, qtbot: Any) -> None:
    load(window, timeline_file)
    window.clear_selection()
    first = window.recent_menu.actions()[0]
    assert first.text() == "&1 fixture.json"
    with qtbot.waitSignal(window.load_finished, timeout=15_000):
        first.trigger()
    window.actions_by_id[ActionId.CLEAR_RECENT].trigger()
    assert window.settings_file.settings.recent_files == []


def test_recent_files_of_one_name_say_their_folder(window: MainWindow, tmp_path: Path) -> None:
    paths = [str(tmp_path / "a" / "events.json"), str(tmp_path / "b" / "events.json"), str(tmp_path / "other.json")]
    window.settings_file.settings.recent_files = paths
    window._rebuild_recent_menu()
    labels = [a.text() for a in window.recent_menu.actions()[:3]]
    assert labels == [f"&1 events.json — {tmp_path / 'a'}", f"&2 events.json — {tmp_path / 'b'}", "&3 other.json"]


def test_help_troubleshooting_says_what_the_reopen_cache_holds_and_clears_it(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gen: ModuleType
) -> None:
    from timeline_app.core import store_cache
    from timeline_app.core.bulk import load_store

    monkeypatch.setenv(store_cache.ENV_DIR, str(tmp_path / "cache"))
    action = window.actions_by_id[ActionId.CLEAR_CACHE]
    menu = window.menus["Troubleshooting"]  # Help > Troubleshooting, not jargon in Open Recent
    assert action not in window.recent_menu.actions()
    menu.aboutToShow.emit()
    assert action in menu.actions() and not action.isEnabled()
    data = tmp_path / "big.json"
    data.write_text(json.dumps(gen.generate(3000, seed=4)), encoding="utf-8")
    load_store(data, small_limit=0)  # kept in the cache
    kept = store_cache.usage()
    assert kept > 1_000_000
    menu.aboutToShow.emit()  # as when the reader opens the menu
    assert action.isEnabled() and action.text().endswith(f"({kept / 1e6:,.0f} MB)")
    action.trigger()
    assert store_cache.usage() == 0 and not list((tmp_path / "cache").iterdir())
    assert not action.isEnabled() and "Cleared the reopen cache" in window.statusBar().currentMessage()
    assert len(load_store(data, small_limit=0)) == 3000  # and the file still opens, from scratch


def test_details_and_sources_are_the_models_whatever_the_file_size(qtbot: Any, timeline_file: Path) -> None:
    """Read by the decoder (as every file is) or by the models: the same details, the same citations."""
    from timeline_app.core.build import store_from_timeline
    from timeline_app.core.bulk import load_store
    from timeline_app.core.loading import load_timeline
    from timeline_app.core.search import SourceCitations
    from timeline_app.ui.details_dock import DetailsDock

    store = load_store(timeline_file, small_limit=0)
    models = store_from_timeline(load_timeline(timeline_file))
    raid = store.index_of("raid")
    assert raid is not None and raid == models.index_of("raid")
    texts = []
    for s in (store, models):
        dock = DetailsDock()
        qtbot.addWidget(dock)
        dock.show_event(s, raid)
        texts.append(dock.texts())
    assert texts[0] == texts[1]
    text = "\n".join(texts[0])
    assert "Abbottabad raid" in text
    assert "“The compound stood near the military academy.”" in text
    assert "Sources disagree" in text and "loaded without" not in text
    cites, other = SourceCitations.from_store(store), SourceCitations.from_store(models)
    assert (cites.source_ids, cites.titles) == (other.source_ids, other.titles)
    assert [e.tolist() for e in cites.events] == [e.tolist() for e in other.events]
    counts = dict(zip(cites.titles, cites.counts(), strict=True))
    assert counts == {"Dawn report": 2, "CRS report": 2}  # the CRS report is named in a disagreement
    assert cites.source_ids == [s.id for s in load_timeline(timeline_file).sources]


def test_run_app_opens_the_file_and_installs_the_excepthook(
    qtbot: Any, timeline_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from PySide6.QtWidgets import QApplication

    from timeline_app.ui import app as app_module

    created: list[MainWindow] = []

    class Recording(MainWindow):
        def __init__(self) -> None:
            super().__init__()
            created.append(self)
            qtbot.addWidget(self)

    seen: dict[str, Any] = {}

    def fake_exec(_self: QApplication) -> int:
        win = created[0]
        qtbot.waitUntil(lambda: win.store is not None, timeout=15_000)
        seen["title"] = win.windowTitle()
        seen["hook"] = sys.excepthook
        win.close()
        return 0

    monkeypatch.setattr(app_module, "MainWindow", Recording)
    monkeypatch.setattr(QApplication, "exec", fake_exec)
    before = sys.excepthook
    assert app_module.run_app(str(timeline_file)) == 0
    assert seen["title"] == "Fixture timeline — Timeline"
    assert seen["hook"] is not before
    assert sys.excepthook is before
