"""The view follows the reader: compressed scale and hit testing, filters that move the view,
Fit All of what is shown, the filter chips, the overview strip, and "All" in all-of mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from timeline_app.core.build import store_from_timeline
from timeline_app.core.dates import days_from_civil
from timeline_app.core.loading import load_timeline
from timeline_app.core.store import EventStore
from timeline_app.ui.actions import ActionId
from timeline_app.ui.main_window import MainWindow
from timeline_app.ui.timeline_view import TimelineView

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "events.json"


def day(y: int, m: int = 1, d: int = 1) -> float:
    return float(days_from_civil(y, m, d))


@pytest.fixture(scope="module")
def bundled_store() -> EventStore:
    return store_from_timeline(load_timeline(BUNDLED))


def _view(qtbot: Any, store: EventStore, w: int = 1280, h: int = 640) -> TimelineView:
    v = TimelineView()
    qtbot.addWidget(v)
    v.resize(w, h)
    v.show()
    qtbot.waitExposed(v)
    v.set_store(store)
    return v


# -- the compressed scale in the view ------------------------------------------------------------


def test_compressed_view_gives_the_dense_years_room_and_marks_its_breaks(qtbot: Any, bundled_store: EventStore) -> None:
    v = _view(qtbot, bundled_store)
    assert v.time_scale() == "compressed"
    f = v._view_frame()
    assert f is not None and f.tmap.breaks
    share = (f.px(day(2022)) - f.px(day(2018))) / f.plot.width()
    v.set_time_scale("linear")
    v.fit_all()
    g = v._view_frame()
    assert g is not None and not g.tmap.breaks
    linear_share = (g.px(day(2022)) - g.px(day(2018))) / g.plot.width()
    assert share > 1.8 * linear_share
    # switching scales keeps the dates in view
    before = v.view_range()
    v.set_time_scale("compressed")
    assert v.view_range() == pytest.approx(before, abs=1e-6)
    with pytest.raises(ValueError, match="unknown time scale"):
        v.set_time_scale("log")


def test_hit_testing_under_the_compressed_scale_maps_back_to_true_dates(qtbot: Any, bundled_store: EventStore) -> None:
    v = _view(qtbot, bundled_store, 1600, 800)
    f = v._view_frame()
    assert f is not None
    xs = np.linspace(f.plot.left(), f.plot.right(), 97)
    assert np.all(np.diff(f.days_at(xs)) > 0)  # further right is always later
    for d in (day(1999, 6, 1), day(2011, 5, 2), day(2019, 7, 22), day(2021, 8, 30)):
        assert f.days_at(f.px(d)) == pytest.approx(d, abs=1e-6)
    # a click on an event's mark finds that event, or one drawn on the same spot (clusters are
    # the layout's business): its true dates are under the pointer, never a break's squeezed years
    s = bundled_store
    found = 0
    for i in np.flatnonzero(s.kind == 0).tolist():
        pos = v.event_position(i)
        if pos is None:
            continue
        j = v.event_at(pos)
        assert j >= 0, s.titles[i]
        lo, hi = f.px(s.start[j]) - f.glyph, f.px(s.end[j]) + f.glyph
        assert lo <= pos.x() <= hi, (s.titles[i], s.titles[j])
        found += j == i
    assert found >= 10


def test_zoom_and_view_range_speak_days_under_the_compressed_scale(qtbot: Any, bundled_store: EventStore) -> None:
    v = _view(qtbot, bundled_store)
    v.set_view_range(day(2019), day(2020))
    assert v.view_range() == pytest.approx((day(2019), day(2020)), abs=1e-6)
    v.zoom_out()
    a, b = v.view_range()
    assert a < day(2019) and b > day(2020)
    seen: list[tuple[float, float]] = []
    v.range_changed.connect(lambda x0, x1: seen.append((x0, x1)))
    v.set_view_range(day(2005), day(2010))  # across a break: still the dates asked for
    assert seen[-1] == pytest.approx((day(2005), day(2010)), abs=1e-6)


# -- filters drive the view ----------------------------------------------------------------------


@pytest.fixture
def bundled(window: MainWindow, load: Any) -> MainWindow:
    load(window, BUNDLED)
    return window


def _only(window: MainWindow, *actor_ids: str, all_of: bool = False) -> None:
    dock = window.filter_dock
    dock.none_button.click()
    for a in actor_ids:
        dock.set_actor_checked(a, True)
    dock.match.setCurrentIndex(1 if all_of else 0)


def test_a_date_range_sets_the_view_to_it(bundled: MainWindow) -> None:
    dock = bundled.filter_dock
    dock.date_from.setText("2018")
    dock.date_to.setText("2020")
    a, b = bundled.view.view_range()
    lo, hi = day(2018), day(2021)
    assert a <= lo + 1 and b >= hi - 1  # the whole range shows...
    assert (b - a) < 1.1 * (hi - lo)  # ...and fills the view, not 1999-2022
    # Fit All stays inside the range, even for a long bar reaching back before it
    bundled.view.zoom_out()
    bundled.fit_all()
    a2, b2 = bundled.view.view_range()
    assert a2 >= lo - 0.05 * (hi - lo) and b2 <= hi + 0.05 * (hi - lo)


def test_fit_all_fits_what_the_filters_leave(bundled: MainWindow) -> None:
    _only(bundled, "pakistan", "russia", all_of=True)
    assert bundled.count_label.text() == "1 of 33 events"
    bundled.view.zoom_out()
    bundled.fit_all()
    a, b = bundled.view.view_range()
    contract = day(2018, 8, 7)
    assert a <= contract <= b and b - a < 90  # one event: weeks, not 23 years
    bundled.actions_by_id[ActionId.FIT_ALL].trigger()  # the menu and Ctrl+0 / Home do the same
    assert bundled.view.view_range() == pytest.approx((a, b))


def test_a_filter_change_refits_unless_the_reader_zoomed_by_hand(bundled: MainWindow) -> None:
    whole = bundled.view.view_range()
    _only(bundled, "russia")  # Russia's events: 2018 only
    a, b = bundled.view.view_range()
    assert b - a < 0.5 * (whole[1] - whole[0])  # refitted to what is left
    _only(bundled, "us", "pakistan", "russia")
    assert bundled.view.view_range()[0] < day(2000)  # more events: refitted out again
    bundled.view.zoom_in()  # the reader takes over
    placed = bundled.view.view_range()
    _only(bundled, "russia")
    assert bundled.view.view_range() == pytest.approx(placed)
    assert bundled.view.moved_by_hand()
    bundled.fit_all()
    assert not bundled.view.moved_by_hand()


def test_all_in_all_of_mode_brings_every_event_back(bundled: MainWindow) -> None:
    _only(bundled, "pakistan", "russia", all_of=True)
    assert bundled.count_label.text() == "1 of 33 events"
    bundled.filter_dock.all_button.click()
    assert bundled.count_label.text() == "33 events"


# -- chips ---------------------------------------------------------------------------------------


def _chip_texts(window: MainWindow) -> list[str]:
    return [c.text for c in window.chips.chips()]


def test_chips_state_the_filter_and_clear_each_part(bundled: MainWindow, qtbot: Any) -> None:
    assert _chip_texts(bundled) == [] and not bundled.chips.isVisible()
    dock = bundled.filter_dock
    _only(bundled, "pakistan", "russia", all_of=True)
    dock.match.setCurrentIndex(0)
    dock.date_from.setText("2018")
    dock.date_to.setText("2020")
    dock.search.setText("IMET")
    dock.flush_search()
    assert _chip_texts(bundled) == ["Pakistan or Russia", "2018–2020", "“IMET”"]
    dock.match.setCurrentIndex(1)
    assert _chip_texts(bundled)[0] == "Pakistan and Russia"
    assert bundled.chips.isVisible()
    # each × clears its part in the dock, and the view follows
    QTest.mouseClick(bundled.chips.button("search"), Qt.MouseButton.LeftButton)
    assert dock.search.text() == "" and bundled.highlight_mask is None
    assert _chip_texts(bundled) == ["Pakistan and Russia", "2018–2020"]
    QTest.mouseClick(bundled.chips.button("dates"), Qt.MouseButton.LeftButton)
    assert dock.date_from.text() == "" and dock.date_to.text() == ""
    assert _chip_texts(bundled) == ["Pakistan and Russia"]
    QTest.mouseClick(bundled.chips.button("actors"), Qt.MouseButton.LeftButton)
    assert bundled.count_label.text() == "33 events" and dock.match.currentIndex() == 0
    assert _chip_texts(bundled) == [] and not bundled.chips.isVisible()


def test_a_picked_source_shows_as_a_chip(bundled: MainWindow) -> None:
    dock = bundled.filter_dock
    dock.source_list.setCurrentRow(0)
    dock.source_list.item(0).setSelected(True)
    (chip,) = bundled.chips.chips()
    assert chip.key == "source" and chip.text.startswith("cites: ")
    bundled.remove_filter("source")
    assert dock.selected_source() is None and bundled.chips.chips() == []


# -- overview strip --------------------------------------------------------------------------------


def test_the_overview_strip_shows_the_whole_and_moves_the_view(bundled: MainWindow, qtbot: Any) -> None:
    strip = bundled.overview
    assert strip.isVisible()
    counts = strip.counts()
    assert counts.sum() == 33  # every event, in some bar
    bundled.view.set_view_range(day(2019), day(2019, 7))
    box = strip.view_box()
    assert box is not None and box.width() < 0.2 * strip.width()
    # a click elsewhere centres the view there, keeping the zoom
    width = bundled.view.view_units()[1] - bundled.view.view_units()[0]
    x = strip.x_of_units(float(bundled.view.time_scale_map().to_units(day(2012, 7))))
    assert x is not None
    QTest.mouseClick(strip, Qt.MouseButton.LeftButton, pos=QPoint(round(x), strip.height() // 2))
    a, b = bundled.view.view_range()
    assert a < day(2012, 7) < b
    assert bundled.view.view_units()[1] - bundled.view.view_units()[0] == pytest.approx(width)
    # dragging the box moves the view with it
    box = strip.view_box()
    assert box is not None
    start = box.center().toPoint()
    QTest.mousePress(strip, Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(strip, start + QPoint(60, 0))
    QTest.mouseRelease(strip, Qt.MouseButton.LeftButton, pos=start + QPoint(60, 0))
    assert bundled.view.view_range()[0] > a
    # filters change the counts; the menu hides the strip
    _only(bundled, "russia")
    assert strip.counts().sum() == int(np.count_nonzero(bundled.visible_mask))
    bundled.actions_by_id[ActionId.SHOW_OVERVIEW].trigger()
    assert not strip.isVisible()


def test_the_scale_is_chosen_in_the_view_menu(bundled: MainWindow) -> None:
    linear = bundled.actions_by_id[ActionId.SCALE_LINEAR]
    compressed = bundled.actions_by_id[ActionId.SCALE_COMPRESSED]
    assert compressed.isChecked() and not linear.isChecked()
    linear.trigger()
    assert bundled.view.time_scale() == "linear" and not compressed.isChecked()
    compressed.trigger()
    assert bundled.view.time_scale() == "compressed"


# -- first run -------------------------------------------------------------------------------------


def test_the_first_window_suits_the_screen() -> None:
    from timeline_app.ui.main_window import first_window_size

    assert first_window_size(1280, 800) == (1280, 800, True)  # small: maximised
    assert first_window_size(1366, 768) == (1280, 768, True)
    w, h, maximise = first_window_size(1920, 1080)
    assert not maximise and w >= 1700 and h >= 950  # most of a large screen, not 44 % of it
    assert first_window_size(3840, 2160)[:2] == (3456, 1944)


def test_a_first_run_on_a_small_screen_opens_maximised(qtbot: Any) -> None:
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    screen = win.screen().availableGeometry()
    if screen.width() > 1440 and screen.height() > 900:
        pytest.skip("needs a small screen (the offscreen platform's is 800 x 600)")
    assert win.isMaximized()


def test_chip_wording() -> None:
    from timeline_app.ui.filter_chips import actor_chip_text, date_chip_text

    assert actor_chip_text(["A", "B", "C"], [], all_of=False) is None  # every actor: no chip
    assert actor_chip_text(["Pakistan", "Russia"], ["US"], all_of=True) == "Pakistan and Russia"
    assert actor_chip_text(["Pakistan", "Russia"], ["US"], all_of=False) == "Pakistan or Russia"
    assert actor_chip_text([], ["A", "B"], all_of=False) == "No actors"
    many = [f"A{k}" for k in range(10)]
    assert actor_chip_text(many, ["China"], all_of=False) == "All actors but China"
    assert actor_chip_text(many, ["China"], all_of=True) == "All of 10 actors"
    assert date_chip_text("2018", "2020") == "2018–2020"
    assert date_chip_text("2018", None) == "from 2018" and date_chip_text(None, "2020") == "until 2020"
    assert date_chip_text(None, None) is None


def test_overview_counts_use_the_filter_mask() -> None:
    from timeline_app.ui.overview import bin_counts

    start = np.array([1.0, 2.0, 5.0, 9.0])
    edges = np.array([0.0, 3.0, 6.0, 10.0])
    assert bin_counts(start, None, edges).tolist() == [2, 1, 1]
    mask = np.array([True, False, True, True])
    cum = np.concatenate(([0], np.cumsum(mask)))
    assert bin_counts(start, cum, edges).tolist() == [1, 1, 1]
