"""Era titles in the header never overlap, and are never cut mid-word: a title that does not fit
whole is wrapped or shortened at a word boundary, and hovering it gives the full title. A
relation's tag never covers the selected event's own title callout or label."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from timeline_app.resources import bundled_events
from timeline_app.ui.background_layer import era_title_at, era_titles
from timeline_app.ui.labels_layer import callout_box


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_era_titles_whole_words_apart(window: Any, load: Any, qtbot: Any, size: tuple[int, int]) -> None:
    window.resize(*size)
    load(window, bundled_events())
    qtbot.wait(100)
    st = window.view._state
    f = window.view._view_frame()
    titles = era_titles(f, st)
    assert titles
    rects = [r for t in titles for r in t.rects]
    assert not [(a, b) for a, b in itertools.combinations(rects, 2) if a.intersects(b)]
    assert all(f.plot.contains(r) for r in rects)
    for t in titles:
        full = " ".join(st.store.eras[t.era].title.split())
        text = " ".join(t.lines)
        if t.shortened:
            head = text.removesuffix(" …")
            assert full.startswith(head) and full[len(head)] == " "  # cut between words
            assert era_title_at(f, st, t.rects[-1].center()) == full  # hover: the whole title
        else:
            assert text == full
    if size == (1280, 800):  # "US security-assistance suspension (from 4 Jan 2018; …)" has no room
        assert any(t.shortened for t in titles)


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_relation_tags_keep_off_the_selected_callout(window: Any, load: Any, qtbot: Any, size: tuple[int, int]) -> None:
    window.resize(*size)
    load(window, bundled_events())
    for index in range(len(window.store)):  # every event with links
        if not window.store.event(index).links:
            continue
        window.select(index, ensure_visible=True)
        qtbot.wait(50)
        f = window.view._view_frame()
        st = window.view._state
        arrows = window.view.relation_arrows()
        own = [lab.rect for lab in st.labels(f).labels if lab.index == index]
        box = callout_box(f, st, index)
        keep = own or [box[0]]
        assert not [(a.text, k) for a in arrows for k in keep if a.label.intersects(k)]
        tags = [a.label for a in arrows]
        assert not [(a, b) for a, b in itertools.combinations(tags, 2) if a.intersects(b)]
