"""Search: case- and accent-insensitive, over titles, summaries, excerpts, tags and source names."""

from __future__ import annotations

import unicodedata

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.core.build import store_from_timeline
from timeline_app.core.models import Timeline
from timeline_app.core.search import SearchIndex, SourceCitations, fold
from timeline_app.core.store import EventStore


def _store() -> EventStore:
    timeline = Timeline.model_validate(
        {
            "schema_version": 1,
            "title": "Search fixture",
            "actors": [{"id": "pk", "name": "Pakistan"}],
            "sources": [
                {"id": "dawn", "title": "Dawn", "publisher": "Dawn Media Group"},
                {"id": "crs", "title": "CRS report", "author": "K. Alan Kronstadt"},
            ],
            "events": [
                {
                    "id": "base",
                    "title": "Air base at Pêshawar",
                    "start": "1959",
                    "actors": ["pk"],
                    "summary": "U-2 flights leave from Badaber.",
                },
                {
                    "id": "raid",
                    "title": "Abbottabad raid",
                    "start": "2011-05-02",
                    "actors": ["pk"],
                    "summary": "Navy SEALs kill Osama bin Laden.",
                    "tags": ["counterterrorism"],
                    "excerpts": [{"source": "dawn", "quote": "The compound near the military ACADEMY."}],
                },
                {
                    "id": "aid",
                    "title": "Aid suspended",
                    "start": "2018-01",
                    "actors": ["pk"],
                    "summary": "Security assistance frozen.",
                    "excerpts": [{"source": "crs", "quote": "about $1.3 billion"}],
                    "discrepancies": [
                        {"field": "start", "claim": "2017", "correction": "January 2018", "sources": ["dawn"]}
                    ],
                },
            ],
        }
    )
    return store_from_timeline(timeline)


def _hits(store: EventStore, query: str) -> set[str]:
    mask = SearchIndex.from_store(store).search(query)
    assert mask is not None
    return {store.ids[i] for i in np.flatnonzero(mask)}


def test_fold_removes_case_and_accents() -> None:
    assert fold("Pêshawar") == fold("PESHAWAR") == "peshawar"
    assert fold("Straße") == "strasse"


def test_accents_match_both_ways() -> None:
    store = _store()
    assert _hits(store, "Peshawar") == {"base"}
    assert _hits(store, "pêshawar") == {"base"}


def test_case_insensitive() -> None:
    assert _hits(_store(), "academy") == {"raid"}
    assert _hits(_store(), "ABBOTTABAD") == {"raid"}


def test_matches_every_field() -> None:
    store = _store()
    assert _hits(store, "Badaber") == {"base"}  # summary
    assert _hits(store, "counterterrorism") == {"raid"}  # tag
    assert _hits(store, "1.3 billion") == {"aid"}  # excerpt, two words
    assert _hits(store, "Kronstadt") == {"aid"}  # source author
    assert _hits(store, "dawn media") == {"raid"}  # source publisher, via the excerpt only


def test_every_word_must_match() -> None:
    store = _store()
    assert _hits(store, "raid SEALs") == {"raid"}
    assert _hits(store, "raid frozen") == set()


def test_no_match_and_blank_query() -> None:
    index = SearchIndex.from_store(_store())
    result = index.search("zeppelin")
    assert result is not None and not result.any()
    assert index.search("   ") is None


def test_a_hit_never_spans_two_events() -> None:
    # "badaber." ends one text and "abbottabad" starts the next: the separator stops a joint match.
    index = SearchIndex(["ends with abc", "def starts"])
    result = index.search("abcdef")
    assert result is not None and not result.any()
    whole = index.search("abc\x1edef")
    assert whole is not None and not whole.any()


def test_regex_characters_are_literal() -> None:
    index = SearchIndex(["cost $1.3 (approx.)", "cost 1x3"])
    result = index.search("1.3 (approx")
    assert result is not None and result.tolist() == [True, False]


def test_source_citations_count_excerpts_and_discrepancies() -> None:
    store = _store()
    cites = SourceCitations.from_store(store)
    counts = dict(zip(cites.source_ids, cites.counts(), strict=True))
    assert counts == {"dawn": 2, "crs": 1}
    mask = cites.mask("dawn", len(store))
    assert {store.ids[i] for i in np.flatnonzero(mask)} == {"raid", "aid"}
    assert not cites.mask("nope", len(store)).any()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_fold_matches_the_per_character_definition(text: str) -> None:
    expected = "".join(c for c in unicodedata.normalize("NFKD", text).casefold() if not unicodedata.combining(c))
    assert fold(text) == expected


def test_search_in_text_with_expanding_characters() -> None:
    index = SearchIndex(["Straße in Köln", "ﬁnal report", "plain"])
    assert index.search("strasse koln") is not None
    assert index.search("strasse koln").tolist() == [True, False, False]  # type: ignore[union-attr]
    assert index.search("FINAL").tolist() == [False, True, False]  # type: ignore[union-attr]
