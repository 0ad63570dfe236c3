"""The window's key: at the reference 1280x800 window every bundled event is named at a glance,
by its label on the timeline or by its number's entry in the key under it, whole, without
scrolling; the key follows the view; an entry marks its event when hovered and selects it when
clicked, and neither moves a label."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt

from timeline_app.core.dates import days_from_civil
from timeline_app.resources import bundled_events


def _settle(window: Any, qtbot: Any) -> None:
    """Until the key holds still: the view's numbers read, and the same a moment later (the key's
    own height moves the view's labels for a round or two)."""
    panel = window.key_panel
    last: list[Any] = [None]

    def still() -> bool:
        qtbot.wait(60)
        panel.refresh()
        now = (panel.entries(), panel.height(), window.view.label_key())
        held, last[0] = now == last[0] and now[0] == now[2], now
        return held

    qtbot.waitUntil(still, timeout=5000)


def _entry_point(window: Any, index: int) -> QPoint:
    """The middle of entry ``index``'s first piece, in the entries widget's pixels."""
    rect = window.key_panel.entry_rects()[index]
    return window.key_panel.widget().mapFrom(window.key_panel, rect.center().toPoint())


def test_every_event_is_named_by_its_label_or_a_visible_key_entry(window: Any, load: Any, qtbot: Any) -> None:
    load(window, bundled_events())
    _settle(window, qtbot)
    store = window.store
    labelled = set(window.view.visible_label_indices())
    key = window.key_panel.entries()
    assert key == window.view.label_key()  # the very numbers the view draws
    assert [e.number for e in key] == list(range(1, len(key) + 1))
    named = labelled | {e.index for e in key}
    assert named == set(range(len(store)))
    assert {e.title for e in key} == {store.titles[e.index] for e in key}  # full titles
    panel = window.key_panel
    assert panel.isVisible()
    assert not panel.verticalScrollBar().isVisible()  # whole, no entry scrolled out of sight
    top_left = panel.mapTo(window, QPoint(0, 0))
    assert top_left.y() + panel.height() <= window.centralWidget().geometry().bottom() + 1
    for rect in panel.entry_rects().values():  # every entry inside the panel
        assert panel.rect().contains(rect.toRect().adjusted(1, 1, -1, -1))


def test_the_key_follows_the_view(window: Any, load: Any, qtbot: Any) -> None:
    load(window, bundled_events())
    _settle(window, qtbot)
    before = window.key_panel.entries()
    window.view.set_view_range(float(days_from_civil(2019, 6, 1)), float(days_from_civil(2020, 3, 1)))
    _settle(window, qtbot)
    after = window.key_panel.entries()
    assert after == window.view.label_key()
    assert len(after) < len(before)  # zoomed in: room for labels
    window.view.set_view_range(float(days_from_civil(2003, 1, 1)), float(days_from_civil(2004, 1, 1)))
    _settle(window, qtbot)
    assert window.view.label_key() == []
    assert not window.key_panel.isVisible()  # nothing numbered: no key, the timeline gets the room


def test_an_entry_marks_its_event_on_hover_and_selects_it_on_click(window: Any, load: Any, qtbot: Any) -> None:
    load(window, bundled_events())
    _settle(window, qtbot)
    labels = window.view.visible_label_indices()
    entry = window.key_panel.entries()[3]
    where = _entry_point(window, entry.index)
    qtbot.mouseMove(window.key_panel.widget(), where)
    qtbot.wait(50)
    assert window.view._state.hovered == entry.index
    qtbot.mouseClick(window.key_panel.widget(), Qt.MouseButton.LeftButton, pos=where)
    assert window.view.selected() == entry.index
    assert window.details_dock.isVisible()
    _settle(window, qtbot)
    assert window.view.visible_label_indices() == labels  # selecting moved no label
    assert window.key_panel.entries()[3] == entry
