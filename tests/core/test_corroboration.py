"""Each event's corroboration: one source, several independent ones, or disputed; a reprint or a
second copy of one wire story is not an independent witness."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline_app.core.build import store_from_timeline
from timeline_app.core.bulk import load_store
from timeline_app.core.corroboration import Standing, corroboration, independent_counts, kind_label, store_corroboration
from timeline_app.core.models import Timeline


def _timeline(excerpt_sources: list[list[str]], *, disputed: tuple[int, ...] = ()) -> Timeline:
    sources = [
        {"id": "dawn", "title": "A report", "publisher": "Dawn", "kind": "news"},
        {"id": "dawn-2", "title": "Another report", "publisher": "Dawn", "kind": "news"},
        {"id": "reprint", "title": "A copy", "publisher": "exbulletin", "kind": "reprint", "origin": "dawn"},
        {"id": "wire-a", "title": "Wire story", "publisher": "The News (Reuters)", "kind": "wire", "origin": "Reuters"},
        {"id": "wire-b", "title": "Wire story", "publisher": "Irish Times", "kind": "wire", "origin": "reuters"},
        {"id": "blog", "title": "A blog post", "kind": "opinion"},
        {"id": "tweet", "title": "A tweet", "author": "someone", "kind": "social"},
    ]
    events = []
    for k, cited in enumerate(excerpt_sources):
        event = {
            "id": f"e{k}",
            "title": f"Event {k}",
            "start": f"{2000 + k}",
            "actors": ["a"],
            "summary": "",
            "excerpts": [{"source": s, "quote": f"quote {n}"} for n, s in enumerate(cited)],
        }
        if k in disputed:
            event["discrepancies"] = [{"claim": "one says", "correction": "another says", "sources": cited}]
        events.append(event)
    return Timeline.model_validate(
        {"schema_version": 1, "title": "t", "actors": [{"id": "a", "name": "A"}], "sources": sources, "events": events}
    )


@pytest.mark.parametrize(
    ("cited", "standing", "independent"),
    [
        (["dawn"], Standing.SINGLE, 1),
        (["dawn", "reprint"], Standing.SINGLE, 1),  # a reprint of Dawn is Dawn
        (["dawn", "dawn-2"], Standing.SINGLE, 1),  # one publisher
        (["wire-a", "wire-b"], Standing.SINGLE, 1),  # one Reuters story in two papers
        (["dawn", "wire-a"], Standing.CORROBORATED, 2),
        (["dawn", "wire-a", "wire-b", "blog", "tweet"], Standing.CORROBORATED, 4),
        (["blog", "blog"], Standing.SINGLE, 1),  # the same source quoted twice
        ([], Standing.SINGLE, 0),
    ],
)
def test_independent_sources_are_counted_by_origin(cited: list[str], standing: Standing, independent: int) -> None:
    timeline = _timeline([cited])
    c = corroboration(timeline.events[0], timeline)
    assert (c.standing, c.independent) == (standing, independent)


def test_discrepancies_make_an_event_disputed_whatever_its_count() -> None:
    timeline = _timeline([["dawn", "wire-a", "blog"]], disputed=(0,))
    c = corroboration(timeline.events[0], timeline)
    assert c.standing is Standing.DISPUTED and c.independent == 3
    assert c.text() == "Disputed: sources disagree · 3 independent sources"


def test_texts_a_reader_sees() -> None:
    timeline = _timeline([["dawn"], ["dawn", "reprint"], ["dawn", "wire-a"]])
    texts = [corroboration(e, timeline).text() for e in timeline.events]
    assert texts == ["Single source", "Single source: 2 sources, 1 independent", "Corroborated: 2 independent sources"]


def test_kind_labels() -> None:
    timeline = _timeline([])
    assert kind_label(timeline.source_by_id["wire-a"]) == "wire copy"
    assert kind_label(timeline.source_by_id["tweet"]) == "social media post"
    assert kind_label(None) is None


def test_store_counts_are_the_same_however_the_store_was_read(tmp_path: Path) -> None:
    timeline = _timeline([["dawn", "reprint"], ["dawn", "wire-a", "wire-b"], ["blog"], ["tweet", "blog", "tweet"], []])
    store = store_from_timeline(timeline)
    assert independent_counts(store).tolist() == [1, 2, 1, 2, 0]
    # Read from a file (the decoder, as a large file is): the source table keeps every origin.
    path = tmp_path / "t.json"
    path.write_text(timeline.model_dump_json(by_alias=True, exclude_none=True), encoding="utf-8")
    bulk = load_store(path, small_limit=0)
    assert independent_counts(bulk).tolist() == [1, 2, 1, 2, 0]
    assert [store_corroboration(bulk, i) for i in range(5)] == [store_corroboration(store, i) for i in range(5)]
