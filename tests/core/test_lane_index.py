"""Lane indexes: counts, coverage and windows agree with a brute-force scan, filtered or not."""

from __future__ import annotations

import numpy as np
import pytest

from timeline_app.core.lane_index import LaneIndex, depth_rows


def _data(n: int, lanes: int, seed: int, *, span_days: float = 5000.0) -> tuple[np.ndarray, np.ndarray, list]:
    rng = np.random.default_rng(seed)
    start = np.sort(rng.integers(0, int(span_days), n).astype(np.float64))
    dur = np.where(rng.random(n) < 0.3, rng.integers(2, 400, n), 1).astype(np.float64)
    dur[rng.random(n) < 0.01] = span_days * 0.8  # a few very long spans
    end = start + dur
    owner = rng.integers(0, lanes, n)
    extra = rng.random(n) < 0.3  # some events in two lanes
    lane_events = []
    for a in range(lanes):
        lane_events.append(np.flatnonzero((owner == a) | (extra & (owner == (a + 1) % lanes))).astype(np.int64))
    return start, end, lane_events


def _indexed(
    n: int, lanes: int, seed: int, keep: float | None
) -> tuple[np.ndarray, np.ndarray, list, LaneIndex, np.ndarray | None]:
    """Data from ``seed``, its index, and (``keep`` given) a mask showing that share of events from ``seed + 1``."""
    start, end, lane_events = _data(n, lanes, seed=seed)
    ix = LaneIndex(start, end, lane_events)
    vis = np.random.default_rng(seed + 1).random(n) < keep if keep is not None else None
    ix.set_mask(vis)
    return start, end, lane_events, ix, vis


def _shown(ev: np.ndarray, vis: np.ndarray | None) -> np.ndarray:
    return ev if vis is None else ev[vis[ev]]


def _brute(start, end, ev, vis, x0, x1):  # type: ignore[no-untyped-def]
    ev = _shown(ev, vis)
    return ev[(start[ev] < x1) & (end[ev] > x0)]


@pytest.mark.parametrize("filtered", [False, True])
def test_window_never_drops_a_visible_event_including_long_spans(filtered: bool) -> None:
    start, end, lanes, ix, vis = _indexed(20_000, 4, seed=1, keep=0.4 if filtered else None)
    rng = np.random.default_rng(3)
    for _ in range(200):
        a = int(rng.integers(0, 4))
        x0 = float(rng.uniform(-100, 5100))
        x1 = x0 + float(rng.choice([0.5, 3.0, 40.0, 900.0, 6000.0]))
        got = ix.idx[ix.window(a, x0, x1)]
        want = _brute(start, end, lanes[a], vis, x0, x1 + 1e-9)
        assert np.array_equal(got, want)  # same events, in time order
        assert np.all(np.diff(got) > 0)


@pytest.mark.parametrize("filtered", [False, True])
def test_density_columns_count_what_the_individual_view_would_draw(filtered: bool) -> None:
    """Per pixel column, the strip's count equals the events drawn there one by one."""
    start, end, lanes, ix, vis = _indexed(30_000, 3, seed=4, keep=0.5 if filtered else None)
    rng = np.random.default_rng(6)
    for _ in range(30):
        a = int(rng.integers(0, 3))
        width = int(rng.integers(50, 400))
        days_per_px = float(rng.choice([1.0, 2.0, 7.0, 0.25]))  # whole-day columns and sub-day ones
        x0 = float(rng.integers(-200, 4000))
        x1 = x0 + width * days_per_px
        cov = ix.coverage(a, x0, x1, width)
        edges = x0 + days_per_px * np.arange(width + 1)
        ev = _shown(lanes[a], vis)
        want = np.array([np.count_nonzero((start[ev] < edges[k + 1]) & (end[ev] > edges[k])) for k in range(width)])
        assert np.array_equal(cov, want)
        # and the lane total in the window matches the window query
        assert ix.count(a, x0, x1) == len(ix.window(a, x0, x1 - 1e-9))


def test_filter_recounts_and_repacks_small_lanes() -> None:
    start, end, lanes = _data(3000, 2, seed=7)
    ix = LaneIndex(start, end, lanes)
    assert list(ix.counts) == [len(ev) for ev in lanes]
    vis = np.zeros(len(start), bool)
    vis[lanes[0][:10]] = True
    ix.set_mask(vis)
    assert ix.counts[0] == 10
    pos = ix.lane_positions(0)
    assert list(ix.idx[pos]) == sorted(lanes[0][:10].tolist())
    # the ten left are packed afresh: no two overlapping events share a row
    s, e, r = ix.start[pos], ix.end[pos], ix.rows[pos]
    for i in range(len(pos)):
        for j in range(i + 1, len(pos)):
            if r[i] == r[j]:
                assert e[i] <= s[j] or e[j] <= s[i]
    ix.set_mask(None)
    assert list(ix.counts) == [len(ev) for ev in lanes]


def test_depth_rows_separate_simple_overlaps() -> None:
    start = np.array([0.0, 1.0, 2.0, 20.0])
    end = np.array([10.0, 5.0, 3.0, 21.0])
    rows, n = depth_rows(start, end)
    assert list(rows) == [0, 1, 2, 0] and n == 3


def test_very_long_ranges_fall_back_to_exact_counts() -> None:
    """Millions of years (BCE data): bins are coarse, zoomed-in columns are still exact."""
    start = np.array([-1e9, -5e8, 0.0, 10.0, 12.0])
    end = start + np.array([1e8, 1.0, 30.0, 1.0, 1.0])
    ix = LaneIndex(start, end, [np.arange(5, dtype=np.int64)])
    assert ix.bin_days > 1000
    cov = ix.coverage(0, 0.0, 40.0, 40)
    assert list(cov[:10]) == [1] * 10 and cov[10] == 2 and cov[12] == 2 and cov[35] == 0
    assert ix.coverage(0, -2e9, 1e9, 100).sum() >= 3


@pytest.mark.parametrize("filtered", [False, True])
def test_windows_of_many_lanes_at_once_equal_one_lane_at_a_time(filtered: bool) -> None:
    """The batched query the view makes per frame (one searchsorted over every lane's duration
    groups) returns exactly the per-lane windows: same events, same order, none dropped."""
    start, end, lanes, ix, vis = _indexed(20_000, 5, seed=9, keep=0.3 if filtered else None)
    rng = np.random.default_rng(10)
    for _ in range(150):
        x0 = float(rng.uniform(-500, 5500)) if rng.random() < 0.5 else float(rng.integers(-500, 5500))  # ties too
        x1 = x0 + float(rng.choice([0.5, 1.0, 3.0, 40.0, 900.0, 8000.0]))
        which = sorted(rng.choice(5, size=int(rng.integers(0, 6)), replace=False).tolist())
        got = ix.windows(which, x0, x1)
        assert len(got) == len(which)
        for a, pos in zip(which, got, strict=True):
            assert np.array_equal(pos, ix.window(a, x0, x1))
            assert np.array_equal(ix.idx[pos], _brute(start, end, lanes[a], vis, x0, x1 + 1e-9))


def test_windows_cope_with_empty_lanes_and_empty_windows() -> None:
    start, end, lanes = _data(500, 3, seed=12)
    lanes.insert(1, np.zeros(0, np.int64))  # a lane with no events at all
    ix = LaneIndex(start, end, lanes)
    assert [len(w) for w in ix.windows([0, 1, 2, 3], 1e6, 1e6 + 10)] == [0, 0, 0, 0]
    got = ix.windows([1, 3], 0.0, 6000.0)
    assert len(got[0]) == 0 and np.array_equal(ix.idx[got[1]], lanes[3])
    assert ix.windows([], 0.0, 10.0) == []


@pytest.mark.parametrize("filtered", [False, True])
def test_coverage_of_many_lanes_at_once_equals_one_lane_at_a_time(filtered: bool) -> None:
    ix = _indexed(30_000, 4, seed=13, keep=0.5 if filtered else None)[3]
    rng = np.random.default_rng(14)
    for _ in range(40):
        width = int(rng.integers(1, 400))
        days_per_px = float(rng.choice([0.05, 0.25, 1.0, 7.0, 60.0]))  # exact columns and table columns
        x0 = float(rng.integers(-300, 5000))
        which = sorted(rng.choice(4, size=int(rng.integers(0, 5)), replace=False).tolist())
        got = ix.coverages(which, x0, x0 + width * days_per_px, width)
        assert len(got) == len(which)
        for a, cov in zip(which, got, strict=True):
            assert np.array_equal(cov, ix.coverage(a, x0, x0 + width * days_per_px, width))
