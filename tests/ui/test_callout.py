"""The title callout of a selected (or hovered) unlabelled event is drawn on top of the frame: at
the reference 1280x800 window, for every numbered bundled event, it covers no other event's label."""

from __future__ import annotations

from typing import Any

from timeline_app.resources import bundled_events
from timeline_app.ui.labels_layer import callout_box


def test_no_callout_covers_a_neighbours_label(window: Any, load: Any, qtbot: Any) -> None:
    load(window, bundled_events())
    qtbot.wait(150)
    window.key_panel.refresh()  # the key under the view has settled: the frame stays
    qtbot.wait(100)
    view = window.view
    f = view._view_frame()
    st = view._state
    ls = st.labels(f)
    assert ls.numbers  # the test is about numbered events
    plot = f.plot
    for number in ls.numbers:
        window.select(number.index)
        assert view._view_frame() is f
        placed = callout_box(f, st, number.index)
        assert placed is not None
        box, lines = placed
        assert " ".join(lines) == st.title(number.index)  # the full title
        assert plot.contains(box)
        covered = [lab.text for lab in ls.labels if lab.rect.intersects(box)]
        assert not covered, (st.title(number.index), covered)
    assert st.labels(view._view_frame()) is ls  # selecting laid nothing out again, moved no label
