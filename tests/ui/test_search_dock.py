"""The search box over a large data set: queries wait for a pause in typing, and with the index
the search runs on a pool thread, so the window is handed an answer that is ready."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from timeline_app.core.search import SearchIndex
from timeline_app.core.store import EventStore
from timeline_app.ui.filter_dock import FilterDock


def _store(n: int) -> EventStore:
    titles = [f"Talks {k} in {'Pêshawar' if k % 3 == 0 else 'Kabul'}" for k in range(n)]
    return EventStore(
        title="t",
        start=np.arange(n, dtype=np.float64),
        end=np.arange(n, dtype=np.float64) + 1,
        kind=np.zeros(n, np.int8),
        qualified=np.zeros(n, bool),
        has_discrepancy=np.zeros(n, bool),
        ids=[f"e{k}" for k in range(n)],
        titles=titles,
        date_texts=["2000"] * n,
        actor_ids=[],
        actor_names=[],
        actor_colors=[],
        member_ptr=np.zeros(n + 1, np.int64),
        member_actor=np.zeros(0, np.int32),
    )


@pytest.fixture
def dock(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> FilterDock:
    monkeypatch.setattr(FilterDock, "LARGE", 50)  # "large" without a million events
    widget = FilterDock()
    qtbot.addWidget(widget)
    return widget


def test_a_small_data_set_searches_on_every_keystroke(qtbot: Any) -> None:
    widget = FilterDock()
    qtbot.addWidget(widget)
    widget.set_store(_store(10))
    seen: list[str] = []
    widget.search_changed.connect(seen.append)
    widget.search.setText("pe")
    assert seen == ["pe"] and not widget.search_pending()


def test_a_large_data_set_waits_for_a_pause_in_typing(dock: FilterDock, qtbot: Any) -> None:
    dock.set_store(_store(100))  # no index given: the window searches, once typing pauses
    seen: list[str] = []
    dock.search_changed.connect(seen.append)
    for text in ("p", "pe", "pes"):
        dock.search.setText(text)
    assert seen == [] and dock.search_pending()
    qtbot.waitUntil(lambda: seen == ["pes"], timeout=3000)
    dock.search.setText("")  # clearing is at once
    assert seen == ["pes", ""]


def test_with_the_index_the_answer_is_ready_when_the_window_asks(dock: FilterDock, qtbot: Any) -> None:
    store = _store(100)
    index = SearchIndex(store.titles)
    dock.set_store(store, search=index)
    answers: list[np.ndarray | None] = []
    dock.search_changed.connect(lambda text: answers.append(index.search(text)))
    dock.search.setText("peshawar")
    qtbot.waitUntil(lambda: len(answers) == 1, timeout=5000)
    assert not dock.search_pending()
    expected = np.arange(100) % 3 == 0
    assert answers[0] is not None and answers[0].tolist() == expected.tolist()


def test_enter_passes_the_query_on_at_once(dock: FilterDock) -> None:
    dock.set_store(_store(100))
    seen: list[str] = []
    dock.search_changed.connect(seen.append)
    dock.search.setText("kabul")
    dock.flush_search()  # what Enter does before stepping
    assert seen == ["kabul"] and not dock.search_pending()
