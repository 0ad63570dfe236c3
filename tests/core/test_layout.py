"""Sub-row packing, lane geometry, folding and label priority (no Qt)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.core.layout import fold_rows, label_priority, lane_geometry, pack_rows


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


def test_fold_rows_only_when_lanes_do_not_fit() -> None:
    assert fold_rows([3, 1, 2], capacity=20) is None
    cap = fold_rows([8, 8, 1, 1], capacity=10)
    assert cap is not None and sum(min(r, cap) for r in [8, 8, 1, 1]) + 1.2 <= 10
    assert fold_rows([8, 8, 8, 8], capacity=2) == 1
