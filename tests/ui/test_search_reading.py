"""Search that helps read: the matches listed under the box, the words marked in the details,
Esc clearing the box, and a picked source named when it narrows a search."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from timeline_app.core.highlight import match_spans
from timeline_app.ui.main_window import MainWindow


def _rows(window: MainWindow) -> list[str]:
    results = window.filter_dock.results
    return [results.item(k).text() for k in range(results.count())]


def test_matches_are_listed_in_date_order_and_a_click_goes_there(
    window: MainWindow, load: Any, timeline_file: Path
) -> None:
    load(window, timeline_file)
    dock = window.filter_dock
    assert dock.results.isHidden()
    QTest.keyClicks(dock.search, "US")
    assert _rows(window) == [
        "2002 – 2017 · US aid to Pakistan",
        "2 May 2011 · Abbottabad raid",
        "4 January 2018 · US suspends security assistance",
        "30 August 2021 · Last US troops leave Afghanistan",
    ]
    assert dock.results.isVisibleTo(dock)
    dock.results.itemClicked.emit(dock.results.item(2))
    assert window.store is not None and window.store.ids[window.view.selected() or 0] == "suspend"
    dock.set_actor_checked("af", False)
    dock.set_actor_checked("us", False)  # "withdraw" (US, Afghanistan) is hidden: not listed
    assert window.match_label.text() == "3 matches (1 more hidden by filters)"
    assert len(_rows(window)) == 3 and all("Last US troops" not in r for r in _rows(window))


def test_matched_words_are_marked_in_the_details_as_escaped_text(
    window: MainWindow, load: Any, timeline_file: Path
) -> None:
    load(window, timeline_file)
    assert window.store is not None
    QTest.keyClicks(window.filter_dock.search, "abbottabad")
    window.select(window.store.index_of("raid"))
    summary = window.details_dock.findChild(QLabel, "details_summary")
    assert summary is not None and summary.textFormat() == Qt.TextFormat.RichText
    assert "Osama bin Laden in <span" in summary.text() and ">Abbottabad</span>." in summary.text()
    # a title that looks like markup stays text: escaped first, then marked
    window.filter_dock.search.clear()
    QTest.keyClicks(window.filter_dock.search, "bold")
    window.select(window.store.index_of("img"))
    title = window.details_dock.findChild(QLabel, "details_title")
    assert title is not None and title.textFormat() == Qt.TextFormat.RichText
    assert "&lt;img src=x&gt; &lt;b&gt;" in title.text() and ">bold</span>&lt;/b&gt; &amp; more" in title.text()
    # no search: plain text again
    window.filter_dock.search.clear()
    title = window.details_dock.findChild(QLabel, "details_title")
    assert title is not None and title.textFormat() == Qt.TextFormat.PlainText


def test_match_spans_ignore_case_and_accents() -> None:
    assert match_spans("Air base at Pêshawar", "PESHAWAR") == [(12, 20)]
    assert match_spans("US aid, US troops", "us aid") == [(0, 2), (3, 6), (8, 10)]
    assert match_spans("Straße", "strasse") == [(0, 6)]
    assert match_spans("nothing here", "") == []


def test_escape_in_the_search_box_clears_it(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    dock = window.filter_dock
    QTest.keyClicks(dock.search, "raid")
    assert window.highlight_mask is not None
    QTest.keyClick(dock.search, Qt.Key.Key_Escape)
    assert dock.search.text() == "" and window.highlight_mask is None and dock.results.isHidden()


def test_a_picked_source_and_a_search_are_both_named(window: MainWindow, load: Any, timeline_file: Path) -> None:
    load(window, timeline_file)
    dock = window.filter_dock
    dock.select_source("crs")
    QTest.keyClicks(dock.search, "Davos")
    assert dock.search_status.text() == "No matches for “Davos” among events citing “CRS report”"
    dock.search.clear()
    QTest.keyClicks(dock.search, "raid")
    assert dock.search_status.text() == "1 match for “raid” among events citing “CRS report”"
    assert _rows(window) == ["2 May 2011 · Abbottabad raid"]


def test_many_matches_list_the_first_ones_and_say_how_many_more(window: MainWindow, load: Any, tmp_path: Path) -> None:
    data = {
        "schema_version": 1,
        "title": "Many",
        "actors": [{"id": "a", "name": "A"}],
        "events": [
            {"id": f"e{k}", "title": f"Meeting {k}", "start": f"{1800 + k}", "actors": ["a"], "summary": "."}
            for k in range(250)
        ],
    }
    path = tmp_path / "many.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    load(window, path)
    QTest.keyClicks(window.filter_dock.search, "meeting")
    rows = _rows(window)
    assert len(rows) == 201 and rows[0] == "1800 · Meeting 0" and rows[-1].startswith("… and 50 more")
