"""The selected event's links drawn on the timeline: an arrow to each linked event, labelled."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from timeline_app.ui.main_window import MainWindow
from timeline_app.ui.relations_layer import draw_relations


def _index(window: MainWindow, ident: str) -> int:
    assert window.store is not None
    index = window.store.index_of(ident)
    assert index is not None
    return index


def test_the_selected_events_links_are_drawn_as_labelled_arrows(
    window: MainWindow, load: Any, timeline_file: Path, qtbot: Any
) -> None:
    load(window, timeline_file)
    assert window.view.relation_arrows() == []  # nothing selected, nothing drawn
    suspend, raid = _index(window, "suspend"), _index(window, "raid")
    window.select(suspend)
    arrows = window.view.relation_arrows()
    assert [(a.text, a.target, a.off_screen) for a in arrows] == [("context", raid, False)]
    arrow = arrows[0]
    start, end = window.view.event_position(suspend), window.view.event_position(raid)
    assert start is not None and end is not None
    # from a mark of the selected event to a mark of the linked one: of their copies (one per
    # lane), the pair nearest in height, never farther apart than their first copies
    assert arrow.start.x() == pytest.approx(start.x(), abs=2) and arrow.end.x() == pytest.approx(end.x(), abs=2)
    assert abs(arrow.start.y() - arrow.end.y()) <= abs(start.y() - end.y()) + 1
    assert arrow.control.y() < min(arrow.start.y(), arrow.end.y())  # it arches above the marks
    # and it is painted there: without the relations layer the label's place looks different
    with_arrows = window.view.grab().toImage()
    layer = window.view._layers[0]
    layer.draws = tuple(d for d in layer.draws if d is not draw_relations)
    window.view._refresh()
    without = window.view.grab().toImage()
    r = arrow.label.toRect()
    changed = sum(
        with_arrows.pixel(x, y) != without.pixel(x, y)
        for x in range(r.left(), r.right())
        for y in range(r.top(), r.bottom())
    )
    assert changed > r.width() * r.height() / 4
    layer.draws = (*layer.draws[:-1], draw_relations, layer.draws[-1])
    window.select(raid)  # the raid has no links of its own
    assert window.view.relation_arrows() == []


def test_a_link_to_an_event_off_screen_points_to_the_edge(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    assert window.store is not None
    suspend = _index(window, "suspend")
    window.select(suspend)
    c = float(window.store.start[suspend])
    window.view.set_view_range(c - 200, c + 200)  # 2017-2018: the 2011 raid is off to the left
    arrows = window.view.relation_arrows()
    assert len(arrows) == 1 and arrows[0].off_screen
    assert arrows[0].text == "context: Abbottabad raid"
    assert arrows[0].end.x() < arrows[0].start.x()


def test_a_link_to_a_hidden_event_is_not_drawn(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    window.select(_index(window, "suspend"))
    window.filter_dock.date_from.setText("2015")
    window.filter_dock.date_from.editingFinished.emit()
    assert window.visible_mask is not None and not window.visible_mask[_index(window, "raid")]
    assert window.view.relation_arrows() == []
