"""Filtering by actors (any/all) and by date range, on a store built from a small timeline."""

from __future__ import annotations

import numpy as np
import pytest

from timeline_app.core.build import store_from_timeline
from timeline_app.core.filtering import DateBoundError, FilterState, Match, compute, parse_bound
from timeline_app.core.models import Timeline
from timeline_app.core.store import EventStore


def _store() -> EventStore:
    events = [
        {"id": "a", "title": "US only", "start": "2001-09-11", "actors": ["us"]},
        {"id": "b", "title": "Both", "start": "2011-05-02", "actors": ["us", "pk"]},
        {"id": "c", "title": "Pakistan only", "start": "2018-08", "actors": ["pk"]},
        {"id": "d", "title": "Long span", "start": "2002", "end": "2017", "actors": ["pk", "af"]},
        {"id": "e", "title": "All three", "start": "2010-01-01", "actors": ["us", "pk", "af"]},
    ]
    timeline = Timeline.model_validate(
        {
            "schema_version": 1,
            "title": "Filter fixture",
            "actors": [
                {"id": "us", "name": "United States"},
                {"id": "pk", "name": "Pakistan"},
                {"id": "af", "name": "Afghanistan"},
            ],
            "events": [{**e, "summary": "s"} for e in events],
        }
    )
    return store_from_timeline(timeline)


def _ids(store: EventStore, mask: np.ndarray) -> set[str]:
    return {store.ids[i] for i in np.flatnonzero(mask)}


def test_default_state_shows_everything() -> None:
    store = _store()
    mask = compute(store, FilterState())
    assert mask.dtype == bool and mask.all()
    assert not FilterState().is_active(store)


def test_any_of_checked_actors() -> None:
    store = _store()
    state = FilterState(hidden_actors=frozenset({"us", "af"}))  # only Pakistan checked
    assert _ids(store, compute(store, state)) == {"b", "c", "d", "e"}
    assert state.is_active(store)


def test_all_of_checked_actors() -> None:
    store = _store()
    state = FilterState(hidden_actors=frozenset({"af"}), match=Match.ALL)  # US and Pakistan both
    assert _ids(store, compute(store, state)) == {"b", "e"}
    everyone = FilterState(match=Match.ALL)
    assert _ids(store, compute(store, everyone)) == {"e"}


def test_no_actor_checked_is_empty_in_both_modes() -> None:
    store = _store()
    none = frozenset(store.actor_ids)
    assert not compute(store, FilterState(hidden_actors=none)).any()
    assert not compute(store, FilterState(hidden_actors=none, match=Match.ALL)).any()


def test_unknown_hidden_ids_are_ignored() -> None:
    store = _store()
    state = FilterState(hidden_actors=frozenset({"gone"}))
    assert compute(store, state).all()
    assert not state.is_active(store)


def test_date_range_keeps_overlapping_events() -> None:
    store = _store()
    state = FilterState(date_from=parse_bound("2011", end=False), date_to=parse_bound("2012", end=True))
    # The 2002–2017 span overlaps 2011; the 2011 raid is inside; 2001, 2010 and 2018 are not.
    assert _ids(store, compute(store, state)) == {"b", "d"}


def test_to_bound_includes_the_whole_stated_period() -> None:
    store = _store()
    assert _ids(
        store,
        compute(
            store, FilterState(date_from=parse_bound("2018-08", end=False), date_to=parse_bound("2018-08", end=True))
        ),
    ) == {"c"}
    only_to = FilterState(date_to=parse_bound("2001-09-11", end=True))
    assert _ids(store, compute(store, only_to)) == {"a"}


def test_date_range_combines_with_actor_filter() -> None:
    store = _store()
    state = FilterState(hidden_actors=frozenset({"pk", "af"}), date_from=parse_bound("2005", end=False))
    assert _ids(store, compute(store, state)) == {"b", "e"}


def test_empty_result_when_range_misses_everything() -> None:
    store = _store()
    state = FilterState(date_from=parse_bound("1900", end=False), date_to=parse_bound("1950", end=True))
    assert not compute(store, state).any()


@pytest.mark.parametrize("text", ["2011-13", "May 2011", "11", "2011-02-30"])
def test_invalid_bounds_are_reported(text: str) -> None:
    with pytest.raises(DateBoundError, match="2011-05"):
        parse_bound(text, end=False)


def test_blank_bound_means_unbounded() -> None:
    assert parse_bound("  ", end=True) is None


def test_large_store_filters_by_actor_lanes() -> None:
    n, actors = 200_000, 20
    rng = np.random.default_rng(1)
    counts = rng.integers(1, 3, n)
    ptr = np.concatenate(([0], np.cumsum(counts)))
    members = rng.integers(0, actors, int(ptr[-1])).astype(np.int32)
    store = EventStore(
        title="big",
        start=np.sort(rng.uniform(0, 10_000, n)),
        end=np.zeros(n),
        kind=np.zeros(n, np.int8),
        qualified=np.zeros(n, bool),
        has_discrepancy=np.zeros(n, bool),
        ids=[str(i) for i in range(n)],
        titles=[""] * n,
        date_texts=[""] * n,
        actor_ids=[f"a{k}" for k in range(actors)],
        actor_names=[f"A{k}" for k in range(actors)],
        actor_colors=["#000000"] * actors,
        member_ptr=ptr,
        member_actor=members,
    )
    store.end = store.start + 1
    mask = compute(store, FilterState(hidden_actors=frozenset(f"a{k}" for k in range(1, actors))))
    owner = np.repeat(np.arange(n), counts)
    assert np.array_equal(mask, np.isin(np.arange(n), owner[members == 0]))
