"""Story mode, driven as a reader would: the title card, → / ← / Home / End / Esc, the filters'
events only, in date order with ties in file order, and the strip centred on the event read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from timeline_app.ui.actions import ActionId
from timeline_app.ui.main_window import MainWindow
from timeline_app.ui.story import TITLE_CARD

DESCRIPTION = "Six events for testing, from two sources; the raid's date is disputed."


@pytest.fixture
def story_file(timeline_file: Path) -> Path:
    data = json.loads(timeline_file.read_text(encoding="utf-8"))
    data["description"] = DESCRIPTION
    # a tie: same day as the raid, later in the file; it must come after the raid
    data["events"].append(
        {"id": "tie", "title": "Pakistan protests the raid", "start": "2011-05-02", "actors": ["pk"], "summary": "."}
    )
    path = timeline_file.with_name("story.json")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _ids(window: MainWindow) -> list[str]:
    """Step through the whole story with →, from the title card, and list the ids read."""
    assert window.store is not None
    seen = []
    for _ in range(20):
        window.actions_by_id[ActionId.NEXT_EVENT].trigger()
        current = window.story.current()
        if current is None or (seen and seen[-1] == window.store.ids[current]):
            break
        seen.append(window.store.ids[current])
    return seen


def _card(window: MainWindow) -> str:
    return "\n".join(window.story.texts())


def _enter(window: MainWindow) -> None:
    window.actions_by_id[ActionId.STORY_MODE].trigger()
    assert window.story.active


def test_story_begins_with_a_title_card(window: MainWindow, load: Any, story_file: Path) -> None:
    load(window, story_file)
    _enter(window)
    assert window.story.position == TITLE_CARD
    text = _card(window)
    assert "Fixture timeline" in text and DESCRIPTION in text
    assert "1959 – 2021 · 7 events" in text
    assert window.story.dock.isVisible()
    assert not window.filter_dock.isVisible() and not window.details_dock.isVisible()
    assert window.view.isVisible()  # the strip: the window's own timeline, under the card
    assert window.view.selected() is None


def test_story_reads_in_date_order_ties_in_file_order(window: MainWindow, load: Any, story_file: Path) -> None:
    load(window, story_file)
    _enter(window)
    assert _ids(window) == ["base", "aid", "raid", "tie", "img", "suspend", "withdraw"]
    assert window.story.panel.position.text() == "7 of 7"
    # → after the last event says so and stays
    window.actions_by_id[ActionId.NEXT_EVENT].trigger()
    assert window.story.panel.position.text() == "7 of 7"
    assert "The end of the story" in window.statusBar().currentMessage()
    assert not window.story.panel.next.isVisible()


def test_story_reads_only_what_the_filters_show(window: MainWindow, load: Any, story_file: Path) -> None:
    load(window, story_file)
    window.filter_dock.set_actor_checked("af", False)  # hides img (Afghanistan only)
    shown = window.visible_count()
    _enter(window)
    assert shown == 6 and "6 of 7 events (filtered)" in _card(window)
    ids = _ids(window)
    assert "img" not in ids and len(ids) == shown
    assert window.story.panel.position.text() == f"{shown} of {shown}"


def test_story_keys_first_last_back_and_leave(window: MainWindow, load: Any, story_file: Path, qtbot: Any) -> None:
    load(window, story_file)
    window.activateWindow()
    overview = window.overview.isVisible()
    _enter(window)
    target = window.view
    QTest.keyClick(target, Qt.Key.Key_End)
    assert window.store is not None and window.store.ids[window.story.current() or 0] == "withdraw"
    assert window.story.panel.position.text() == "7 of 7"
    QTest.keyClick(target, Qt.Key.Key_Home)
    assert window.story.panel.position.text() == "1 of 7"
    QTest.keyClick(target, Qt.Key.Key_Right)
    QTest.keyClick(target, Qt.Key.Key_Right)
    assert window.store.ids[window.story.current() or 0] == "raid"
    QTest.keyClick(target, Qt.Key.Key_Left)
    assert window.story.panel.position.text() == "2 of 7"
    # the bar names the neighbours
    assert "Abbottabad raid · 2 May 2011" in window.story.panel.next.full_text()
    assert "Air base at Pêshawar" in window.story.panel.previous.full_text()
    QTest.keyClick(target, Qt.Key.Key_Left)
    QTest.keyClick(target, Qt.Key.Key_Left)
    assert window.story.position == TITLE_CARD
    QTest.keyClick(target, Qt.Key.Key_Right)
    QTest.keyClick(target, Qt.Key.Key_Escape)
    assert not window.story.active and not window.story.dock.isVisible()
    assert window.filter_dock.isVisible() and window.details_dock.isVisible()
    assert window.overview.isVisible() == overview  # hidden on a low screen while reading, back after
    assert window.store.ids[window.view.selected() or 0] == "base"  # the event read last stays selected
    assert not window.actions_by_id[ActionId.STORY_MODE].isChecked()


def test_story_card_shows_the_evidence_and_centres_the_strip(window: MainWindow, load: Any, story_file: Path) -> None:
    load(window, story_file)
    assert window.store is not None
    raid = window.store.index_of("raid")
    window.select(raid)
    _enter(window)  # starts at the selected event
    assert window.story.current() == raid and window.view.selected() == raid
    text = _card(window)
    assert "Abbottabad raid\n" in text and "2 May 2011" in text
    assert "US forces kill Osama bin Laden in Abbottabad." in text
    assert "“The compound stood near the military academy.”" in text
    assert "— Dawn report, Dawn Media Group, 3 May 2011, para. 3" in text
    assert "⚠ Sources disagree" in text and "The date" in text
    chips = [w.text() for w in window.story.panel.findChildren(QLabel, "actor_chip")]
    assert chips == ["United States", "Pakistan"]
    title = window.story.panel.findChild(QLabel, "story_title")
    assert title is not None and title.textFormat() == Qt.TextFormat.PlainText
    assert title.font().pointSizeF() > window.font().pointSizeF() * 2
    x0, x1 = window.view.view_range()
    centre = (window.store.start[raid] + window.store.end[raid]) / 2
    assert (x0 + x1) / 2 == pytest.approx(centre, abs=1.0)
    assert x1 - x0 < 365 * 30  # zoomed to the neighbourhood, not the whole 1959-2021
    opened: list[QUrl] = []
    window.story.open_url = opened.append
    assert len(window.story.link_buttons) == 1
    window.story.link_buttons[0].click()
    assert [u.toString() for u in opened] == ["https://www.dawn.com/news/raid"]


def test_story_names_relations_and_follows_them(window: MainWindow, load: Any, story_file: Path) -> None:
    load(window, story_file)
    assert window.store is not None
    window.select(window.store.index_of("suspend"))
    _enter(window)
    buttons = window.story.related_buttons
    assert [b.full_text() for b in buttons] == ["Context: Abbottabad raid (2 May 2011)"]
    buttons[0].click()
    assert window.story.current() == window.store.index_of("raid")


def test_story_follows_a_filter_change(window: MainWindow, load: Any, story_file: Path) -> None:
    load(window, story_file)
    assert window.store is not None
    window.select(window.store.index_of("img"))
    _enter(window)
    window.filter_dock.set_actor_checked("af", False)  # img leaves the story: the next shown event shows
    current = window.story.current()
    assert current is not None and window.store.ids[current] != "img"
    assert window.store.start[current] >= window.store.start[window.store.index_of("img")]


def test_story_mode_needs_a_data_set(window: MainWindow) -> None:
    window.actions_by_id[ActionId.STORY_MODE].trigger()
    assert not window.story.active and not window.actions_by_id[ActionId.STORY_MODE].isChecked()


# -- stepping in the normal view -------------------------------------------------------------


@pytest.fixture
def cluster_file(timeline_file: Path) -> Path:
    """The fixture plus a dense cluster: twelve events within four weeks of 2019."""
    data = json.loads(timeline_file.read_text(encoding="utf-8"))
    for k in range(12):
        data["events"].append(
            {
                "id": f"c{k}",
                "title": f"Cluster event {k}",
                "start": f"2019-03-{k * 2 + 1:02d}",
                "actors": ["us"],
                "summary": ".",
            }
        )
    path = timeline_file.with_name("cluster.json")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_first_step_starts_at_the_first_event_and_keeps_the_view(
    window: MainWindow, load: Any, cluster_file: Path
) -> None:
    load(window, cluster_file)
    assert window.store is not None
    before = window.view.view_range()
    window.actions_by_id[ActionId.NEXT_EVENT].trigger()
    assert window.store.ids[window.view.selected() or 0] == "base"
    assert window.view.view_range() == pytest.approx(before)  # the overview stays
    assert window.statusBar().currentMessage() == "1 of 18 · next: US aid to Pakistan (2002 – 2017)"


def test_stepping_into_a_dense_cluster_zooms_in(window: MainWindow, load: Any, cluster_file: Path) -> None:
    load(window, cluster_file)
    assert window.store is not None
    window.select(window.store.index_of("suspend"))  # 2018: the step after it lands in the 2019 cluster
    x0, x1 = window.view.view_range()
    window.actions_by_id[ActionId.NEXT_EVENT].trigger()
    selected = window.view.selected()
    assert selected is not None and window.store.ids[selected] == "c0"
    z0, z1 = window.view.view_range()
    assert z1 - z0 < (x1 - x0) / 10  # zoomed in, not only panned
    assert z0 <= window.store.start[selected] <= z1
    # the marks of the cluster are now apart: neighbours at least 8 px from each other
    a = window.view.event_position(selected)
    b = window.view.event_position(window.store.index_of("c1"))
    assert a is not None and b is not None and b.x() - a.x() >= 8
    assert window.statusBar().currentMessage().startswith("6 of 18 · next: Cluster event 1")
    # stepping on inside the cluster keeps the view settled
    window.actions_by_id[ActionId.NEXT_EVENT].trigger()
    assert window.view.view_range() == pytest.approx((z0, z1))


def test_the_end_of_the_list_says_so(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    assert window.store is not None
    window.actions_by_id[ActionId.LAST_EVENT].trigger()
    last = window.view.selected()
    assert last is not None and window.store.ids[last] == "withdraw"
    assert window.statusBar().currentMessage() == "6 of 6 · the last event"
    window.actions_by_id[ActionId.NEXT_EVENT].trigger()
    assert window.view.selected() == last
    assert window.statusBar().currentMessage().startswith("The end of the list: the last event, 6 of 6")
    window.actions_by_id[ActionId.FIRST_EVENT].trigger()
    assert window.store.ids[window.view.selected() or 0] == "base"


def test_selecting_reopens_a_hidden_details_panel(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    window.actions_by_id[ActionId.SHOW_DETAILS].trigger()
    assert not window.details_dock.isVisible()
    window.actions_by_id[ActionId.NEXT_EVENT].trigger()
    assert window.details_dock.isVisible() and "Air base at Pêshawar" in "\n".join(window.details_dock.texts())


def test_go_to_date_selects_the_first_event_from_it(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    assert window.store is not None
    assert window.go_to_date("2015")
    assert window.store.ids[window.view.selected() or 0] == "img"
    assert not window.go_to_date("2015-13")
    assert "Not a date" in window.statusBar().currentMessage()


def test_keyboard_pans_the_view(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    window.actions_by_id[ActionId.ZOOM_IN].trigger()
    x0, _x1 = window.view.view_range()
    u0, u1 = window.view.view_units()
    window.actions_by_id[ActionId.PAN_LEFT].trigger()
    y0, _y1 = window.view.view_range()
    v0, v1 = window.view.view_units()
    # the same width on screen (under the compressed scale a break entering the view holds
    # more days in the same width)
    assert y0 < x0 and v1 - v0 == pytest.approx(u1 - u0)
