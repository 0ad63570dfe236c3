"""Sub-row packing, lane geometry and label collision culling (no Qt)."""

from __future__ import annotations

import numpy as np
from frames_reference_layout import reference_place_labels
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.core.layout import (
    fold_rows,
    label_priority,
    lane_geometry,
    pack_rows,
    place_labels,
)


def test_overlapping_spans_go_to_separate_rows_and_touching_ones_share() -> None:
    start = np.array([0.0, 5.0, 10.0, 10.0, 30.0])
    end = np.array([10.0, 20.0, 15.0, 12.0, 40.0])
    rows, n = pack_rows(start, end)
    assert rows.tolist() == [0, 1, 0, 2, 0]
    assert n == 3


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 500), st.integers(1, 60)), min_size=1, max_size=80))
def test_packing_never_overlaps_within_a_row(items: list[tuple[int, int]]) -> None:
    items.sort()
    start = np.array([s for s, _ in items], dtype=float)
    end = start + np.array([d for _, d in items], dtype=float)
    rows, n = pack_rows(start, end, max_rows=1000)
    assert n == (rows.max() + 1)
    for r in range(n):
        sel = np.flatnonzero(rows == r)
        assert np.all(start[sel][1:] >= end[sel][:-1])


def test_row_count_is_capped() -> None:
    start = np.zeros(50)
    rows, n = pack_rows(start, start + 10, max_rows=4)
    assert n == 4 and rows.max() == 3


def _rects_overlap(x, y, w, h, kept) -> bool:
    idx = np.flatnonzero(kept)
    for a in idx:
        for b in idx:
            if a < b and x[a] < x[b] + w[b] and x[b] < x[a] + w[a] and y[a] < y[b] + h[b] and y[b] < y[a] + h[a]:
                return True
    return False


def _crowd(n: int = 40, seed: int = 1):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 800, n)
    y = rng.integers(0, 4, n) * 20.0
    w = rng.uniform(40, 200, n)
    h = np.full(n, 16.0)
    return x, y, w, h


def test_kept_labels_never_overlap_and_stay_inside() -> None:
    x, y, w, h = _crowd()
    kept, xs = place_labels(x, y, w, h, np.zeros(len(x)), x_min=0, x_max=1000, gap=0)
    assert 0 < kept.sum() < len(x)
    assert not _rects_overlap(xs, y, w, h, kept)
    assert np.all(xs[kept] >= 0) and np.all(xs[kept] + w[kept] <= 1000)


def test_forced_label_always_shows_even_when_crowded() -> None:
    x, y, w, h = _crowd()
    prio = np.arange(len(x), dtype=float)  # the last has the highest priority
    force = np.zeros(len(x), bool)
    force[0] = True  # lowest priority, but selected
    kept, _ = place_labels(x, y, w, h, prio, force=force, x_min=0, x_max=1000)
    assert kept[0]
    again, _ = place_labels(x, y, w, h, prio, force=force, x_min=0, x_max=1000)
    assert np.array_equal(kept, again)


def test_higher_priority_wins_a_collision() -> None:
    x = np.array([0.0, 10.0])
    y = np.zeros(2)
    w = np.array([100.0, 100.0])
    h = np.full(2, 16.0)
    kept, _ = place_labels(x, y, w, h, np.array([1.0, 5.0]))
    assert kept.tolist() == [False, True]


def test_hidden_labels_reappear_with_more_room() -> None:
    """Zooming in spreads the anchors: the same labels then fit."""
    x, y, w, h = _crowd(30)
    prio = np.zeros(len(x))
    tight, _ = place_labels(x, y, w, h, prio, x_min=0, x_max=1000)
    loose, _ = place_labels(x * 8, y, w, h, prio, x_min=0, x_max=8000)
    assert tight.sum() < loose.sum()
    order = np.argsort(x)
    spread = np.empty(len(x))
    spread[order] = np.arange(len(x)) * 300.0  # far enough apart for every label
    roomy, _ = place_labels(spread, y, w, h, prio, x_min=0, x_max=300.0 * len(x))
    assert roomy.all()


def test_cap_on_label_count() -> None:
    n = 1000
    x = np.arange(n) * 100.0
    kept, _ = place_labels(x, np.zeros(n), np.full(n, 50.0), np.full(n, 10.0), np.zeros(n), max_labels=300)
    assert kept.sum() == 300


def test_priority_order_search_then_discrepancy_and_length() -> None:
    dur = np.array([1.0, 1.0, 3000.0, 1.0])
    disc = np.array([False, True, False, False])
    match = np.array([False, False, False, True])
    p = label_priority(dur, disc, match)
    assert p[3] > p[1] > p[0] and p[2] > p[0]


def test_lane_geometry_fits_squeezes_and_finds_lanes() -> None:
    g = lane_geometry([3, 1, 2], top=20, available=600, glyph_height=12, text_height=16)
    assert g.labels_fit
    assert g.top[0] == 20 and np.all(np.diff(g.top) > 0)
    assert g.top[-1] + g.height[-1] <= 20 + 600 + 1e-6
    assert g.lane_at(g.top[1] + 1) == 1 and g.lane_at(5) == -1
    tight = lane_geometry([10, 10, 10], top=0, available=200, glyph_height=12, text_height=16)
    assert not tight.labels_fit  # too little room: rows keep their markers, labels give way


def _alternatives(n: int, seed: int = 3) -> tuple[np.ndarray, ...]:
    """Each label may go under its marker, to its right, or in a second lane copy lower down."""
    rng = np.random.default_rng(seed)
    ax = rng.uniform(0, 900, n)
    row = rng.integers(0, 3, n) * 40.0
    w = rng.uniform(60, 180, n)
    x = np.concatenate([ax, ax + 16, ax])
    y = np.concatenate([row + 14, row, row + 200])
    owner = np.tile(np.arange(n), 3)
    return x, y, np.tile(w, 3), np.full(3 * n, 16.0), owner


def test_alternative_spots_place_more_labels_without_overlap() -> None:
    x, y, w, h, owner = _alternatives(60)
    n = 60
    prio = np.zeros(3 * n)
    first_only, _ = place_labels(x[:n], y[:n], w[:n], h[:n], prio[:n], x_min=0, x_max=1200)
    kept, xs = place_labels(x, y, w, h, prio, owner=owner, x_min=0, x_max=1200)
    assert kept.sum() > first_only.sum() + 10
    assert not _rects_overlap(xs, y, w, h, kept)
    assert np.bincount(owner[kept], minlength=n).max() == 1  # one label per event
    # deterministic
    again, _ = place_labels(x, y, w, h, prio, owner=owner, x_min=0, x_max=1200)
    assert np.array_equal(kept, again)


def test_preferred_spot_wins_when_free() -> None:
    x = np.array([0.0, 200.0])
    y = np.array([0.0, 50.0])
    kept, _ = place_labels(x, y, np.full(2, 50.0), np.full(2, 16.0), np.zeros(2), owner=np.array([0, 0]))
    assert kept.tolist() == [True, False]


def test_labels_never_cover_obstacles_and_forced_one_still_shows() -> None:
    x, y, w, h, owner = _alternatives(40, seed=9)
    rng = np.random.default_rng(10)
    ox = rng.uniform(0, 1000, 300)
    oy = rng.integers(0, 6, 300) * 40.0 + 1
    obstacles = np.column_stack([ox, oy, ox + 12, oy + 12])
    force = owner == 5
    kept, xs = place_labels(x, y, w, h, np.zeros(len(x)), owner=owner, force=force, x_min=0, x_max=1200,
                            gap=0, obstacles=obstacles)  # fmt: skip
    assert kept[owner == 5].sum() == 1
    for i in np.flatnonzero(kept & ~force):
        hit = (ox < xs[i] + w[i]) & (ox + 12 > xs[i]) & (oy < y[i] + h[i]) & (oy + 12 > y[i])
        assert not hit.any()


def test_fold_rows_only_when_lanes_do_not_fit() -> None:
    assert fold_rows([3, 1, 2], capacity=20) is None
    cap = fold_rows([8, 8, 1, 1], capacity=10)
    assert cap is not None and sum(min(r, cap) for r in [8, 8, 1, 1]) + 1.2 <= 10
    assert fold_rows([8, 8, 8, 8], capacity=2) == 1


# -- the fast placement against the simple one it replaced ---------------------------------------
# ``place_labels`` finds placed labels by bisection on sorted lines and tests obstacles for all
# candidates at once; frames_reference_layout.py keeps the previous version (a hash grid, rectangle
# by rectangle) as the reference: the same labels, always.


@st.composite
def _label_problems(draw: st.DrawFn) -> dict[str, object]:
    """Crowded candidates on a few shared lines (as in the view: under-marker and side spots),
    with owners, ties in priority and position, forced owners, obstacles and zero widths."""
    n = draw(st.integers(1, 120))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    lines = rng.choice([0.0, 14.0, 30.0, 44.0, 60.0, 62.5], size=n)
    x = rng.integers(0, 60, n) * draw(st.sampled_from([5.0, 7.3, 10.0]))  # integer grids: exact ties
    w = rng.choice([0.0, 20.0, 35.5, 60.0, 90.0, 400.0], size=n)
    h = np.where(rng.random(n) < 0.9, 16.0, 12.0)
    owner = rng.integers(0, max(1, n // draw(st.integers(1, 4))), n)
    # a priority per owner or per row
    prio = rng.integers(0, 4, n).astype(float)[owner] if draw(st.booleans()) else rng.integers(0, 4, n).astype(float)
    owner = owner * draw(st.sampled_from([1, 1, 1000])) - draw(st.sampled_from([0, 0, 7]))  # sparse, negative ids
    force = np.isin(owner, rng.choice(owner, draw(st.integers(0, 2))))
    k = draw(st.integers(0, 40))
    ox = rng.uniform(0, 600, k)
    oy = rng.choice([0.0, 30.0, 58.0], size=k)
    return {
        "x": x, "y": lines, "width": w, "height": h, "priority": prio, "force": force, "owner": owner,
        "x_min": draw(st.sampled_from([-np.inf, 0.0, 20.0])), "x_max": draw(st.sampled_from([np.inf, 500.0, 640.0])),
        "gap": draw(st.sampled_from([0.0, 6.0, 8.0])), "max_labels": draw(st.sampled_from([300, 5, 1])),
        "obstacles": np.column_stack([ox, oy, ox + 12, oy + 12]) if k else None,
        "max_tries": draw(st.sampled_from([8, 2])), "max_misses": draw(st.sampled_from([None, 3, 80])),
    }  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(_label_problems())
def test_fast_placement_keeps_exactly_the_labels_of_the_reference(problem: dict[str, object]) -> None:
    kept, xs = place_labels(**problem)  # type: ignore[arg-type]
    want, want_xs = reference_place_labels(**problem)  # type: ignore[arg-type]
    assert kept.tolist() == want.tolist()
    assert np.array_equal(xs, want_xs)


def test_fast_placement_matches_the_reference_on_view_sized_crowds() -> None:
    """Thousands of candidates in the view's shapes: one line per sub-row, six spots per event."""
    rng = np.random.default_rng(5)
    for n in (50, 400, 1500):
        ax = rng.uniform(0, 1800, n)
        row = rng.integers(0, 30, n) * 32.0
        w = rng.uniform(60, 260, n)
        x = np.concatenate([ax, ax + 16, ax - w, ax - 20 - w, ax, ax])
        y = np.concatenate([row + 12, row - 2, row + 12, row - 2, row + 44, row - 20])
        owner = np.tile(np.arange(n), 6)
        ox = ax
        obstacles = np.column_stack([ox - 6, row, ox + 6, row + 12])
        prio = rng.integers(0, 3, n).astype(float)[owner]
        force = owner == 7
        args = (x, y, np.tile(w, 6), np.full(6 * n, 16.0), prio)
        kw = {"force": force, "owner": owner, "x_min": 2.0, "x_max": 1798.0, "gap": 8.0, "obstacles": obstacles,
              "max_misses": 80}  # fmt: skip
        kept, _ = place_labels(*args, **kw)  # type: ignore[arg-type]
        want, _ = reference_place_labels(*args, **kw)  # type: ignore[arg-type]
        assert kept.sum() > 20
        assert kept.tolist() == want.tolist()
