"""Axis ticks: bounded, readable, calendar-aligned at every zoom, BCE included."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.core.dates import days_from_civil
from timeline_app.core.ticks import compute_ticks, default_measure


def day(y: int, m: int = 1, d: int = 1) -> float:
    return float(days_from_civil(y, m, d))


def _no_overlap(ticks, x0: float, x1: float, width: float) -> None:
    k = width / (x1 - x0)
    labelled = [t for t in ticks.major if t.label]
    for a, b in itertools.pairwise(labelled):
        pa, pb = (a.value - x0) * k, (b.value - x0) * k
        assert pb - pa >= (default_measure(a.label) + default_measure(b.label)) / 2, (a, b)
    for t in labelled:
        p = (t.value - x0) * k
        assert p - default_measure(t.label) / 2 >= 0 and p + default_measure(t.label) / 2 <= width


@settings(max_examples=150, deadline=None)
@given(
    x0=st.floats(min_value=-2e8, max_value=2e8, allow_nan=False),
    span=st.floats(min_value=1.0, max_value=4e8),
    width=st.integers(min_value=80, max_value=4000),
)
def test_any_range_is_bounded_monotonic_unique_and_readable(x0: float, span: float, width: int) -> None:
    x1 = x0 + span
    t = compute_ticks(x0, x1, width)
    values = [tick.value for tick in t.major]
    assert len(values) <= width / 20 + 2  # bounded by pixels, not by the range
    assert len(t.minor) <= width / 7 + 2
    assert values == sorted(values) and len(set(values)) == len(values)
    assert all(x0 <= v <= x1 for v in values + t.minor)
    assert not set(values) & set(t.minor)
    _no_overlap(t, x0, x1, width)


@pytest.mark.parametrize(
    ("x0", "x1", "width", "expect"),
    [
        (day(1990), day(2030), 1600, {"2000", "2010", "2020"}),
        (day(2011, 1), day(2012, 1), 1600, {"May 2011", "Jun 2011"}),
        (day(2011, 5, 1), day(2011, 5, 8), 800, {"2 May 2011", "3 May"}),
        (day(-60), day(40), 1200, {"50 BCE", "10 BCE", "10"}),
    ],
)
def test_labels_follow_the_zoom_level(x0: float, x1: float, width: int, expect: set[str]) -> None:
    labels = {t.label for t in compute_ticks(x0, x1, width).major}
    assert expect <= labels, labels


def test_bce_ticks_are_round_reader_years_and_there_is_no_year_zero() -> None:
    labels = [t.label for t in compute_ticks(day(-3000), day(1000), 1200).major if t.label]
    assert "0" not in labels
    assert any(lab.endswith("BCE") for lab in labels)
    for lab in labels:
        n = int(lab.split()[0])
        assert n % 500 == 0, labels


def test_day_ticks_name_the_year_once_and_on_new_year() -> None:
    labels = [t.label for t in compute_ticks(day(2010, 12, 26), day(2011, 1, 6), 1200).major if t.label]
    assert labels[0].endswith("2010")
    assert "1 Jan 2011" in labels
    assert sum(1 for lab in labels if lab[-4:].isdigit()) == 2


def test_degenerate_input_gives_no_ticks_rather_than_an_error() -> None:
    for x0, x1, w in [(5.0, 5.0, 800), (10.0, 0.0, 800), (math.nan, 1.0, 800), (0.0, math.inf, 800), (0, 10, 1)]:
        t = compute_ticks(x0, x1, w)
        assert t.major == [] and t.minor == []


def test_wider_labels_mean_fewer_ticks() -> None:
    narrow = compute_ticks(day(1900), day(2000), 1000, lambda s: 5.0 * len(s))
    wide = compute_ticks(day(1900), day(2000), 1000, lambda s: 20.0 * len(s))
    assert len(wide.major) < len(narrow.major)
