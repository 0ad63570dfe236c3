"""The compressed time scale: monotonic, honest breaks, true ticks, an exact inverse."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from timeline_app.core.build import store_from_timeline
from timeline_app.core.dates import civil_from_days, days_from_civil
from timeline_app.core.loading import load_timeline
from timeline_app.core.scale import DEFAULT_SCALE, LINEAR, SCALE_NAMES, build_scale, check_scale_name
from timeline_app.core.store import EventStore
from timeline_app.core.ticks import compute_scale_ticks, compute_ticks, default_measure

ROOT = Path(__file__).resolve().parents[2]


def day(y: int, m: int = 1, d: int = 1) -> float:
    return float(days_from_civil(y, m, d))


@pytest.fixture(scope="module")
def bundled() -> EventStore:
    return store_from_timeline(load_timeline(ROOT / "events.json"))


def _clustered() -> tuple[np.ndarray, np.ndarray]:
    """Events in 2000-2002 and 2018-2021, nothing between: one long empty stretch."""
    rng = np.random.default_rng(3)
    start = np.sort(np.concatenate([rng.uniform(day(2000), day(2002), 20), rng.uniform(day(2018), day(2021), 60)]))
    return start, start + 1


def test_names_and_default() -> None:
    assert set(SCALE_NAMES) == {"linear", "compressed"} and DEFAULT_SCALE in SCALE_NAMES
    assert check_scale_name("linear") == "linear"
    with pytest.raises(ValueError, match=r"unknown time scale 'log'.*compressed, linear"):
        check_scale_name("log")


def test_linear_is_the_identity(bundled: EventStore) -> None:
    t = build_scale("linear", bundled.start, bundled.end)
    assert t is LINEAR and t.identity and not t.breaks
    assert t.to_units(1234.5) == 1234.5


def test_compressed_is_strictly_monotonic_with_an_exact_inverse() -> None:
    start, end = _clustered()
    t = build_scale("compressed", start, end)
    assert t.breaks
    xs = np.linspace(day(1990), day(2030), 20001)
    u = t.to_units(xs)
    assert np.all(np.diff(u) > 0)
    assert np.allclose(t.to_days(u), xs, atol=1e-6)
    # inside the densest stretch: one unit a day, as under the linear scale
    assert t.to_units(day(2019, 6, 1) + 10) - t.to_units(day(2019, 6, 1)) == pytest.approx(10)
    # every piece between breaks is linear, up to and past the data's ends (so per-piece ticks,
    # spaced linearly, stand on their true dates wherever the view is panned)
    for a, b, _ in t.pieces(day(1990), day(2030)):
        d = np.linspace(a, b, 101)
        assert np.allclose(np.diff(t.to_units(d), 2), 0, atol=1e-6)


def test_the_break_covers_only_empty_time_and_saves_room() -> None:
    start, end = _clustered()
    t = build_scale("compressed", start, end)
    (b,) = t.breaks
    # nothing starts or ends inside the break, and it sits in the 2002-2018 gap
    assert not np.any((start > b.start) & (start < b.end)) and not np.any((end > b.start) & (end < b.end))
    assert day(2002) < b.start < day(2003) and day(2017) < b.end < day(2018)
    # the dense 2018-2021 gets most of the width, where the linear scale gives it 14 %
    whole = t.to_units(end.max()) - t.to_units(start.min())
    assert (t.to_units(day(2021)) - t.to_units(day(2018))) / whole > 0.5
    # the break is narrow but not zero: the years it hides stay there, squeezed
    assert 0 < b.u1 - b.u0 < 0.05 * whole


def test_spans_are_not_broken_through_their_ends_but_may_cross_a_break() -> None:
    # a long bar from 2000 to 2019 spans the gap: its ends are kept, its middle may be squeezed
    start, end = _clustered()
    start = np.concatenate([[day(2000)], start])
    end = np.concatenate([[day(2019)], end])
    t = build_scale("compressed", start, end)
    for b in t.breaks:
        assert not (b.start < day(2019) < b.end)
    assert t.to_units(day(2019)) > t.to_units(day(2010))


def test_no_break_without_a_long_empty_stretch() -> None:
    rng = np.random.default_rng(1)
    start = np.sort(rng.uniform(day(2000), day(2020), 5000))
    assert build_scale("compressed", start, start + 3) is LINEAR
    assert build_scale("compressed", start[:1], start[:1] + 1) is LINEAR


def test_bundled_data_gets_breaks_over_the_empty_years(bundled: EventStore) -> None:
    t = build_scale("compressed", bundled.start, bundled.end)
    years = [(civil_from_days(int(b.start))[0], civil_from_days(int(b.end))[0]) for b in t.breaks]
    assert (2003, 2006) in years and any(a >= 2012 and b <= 2017 for a, b in years)
    u = t.to_units
    whole = u(bundled.end.max()) - u(bundled.start.min())
    linear_share = (day(2022) - day(2018)) / (bundled.end.max() - bundled.start.min())
    share = (u(day(2022)) - u(day(2018))) / whole
    assert share > 1.8 * linear_share  # about twice the room for 25 of the 33 events


def test_ticks_are_true_and_none_fall_inside_a_break() -> None:
    start, end = _clustered()
    t = build_scale("compressed", start, end)
    x0, x1 = day(1999, 6), day(2021, 6)
    width = 1200.0
    ticks = compute_scale_ticks(t, x0, x1, width)
    assert ticks.major
    u0 = t.to_units(x0)
    k = width / (t.to_units(x1) - u0)
    for b in t.breaks:
        assert not any(b.start < v < b.end for v in [m.value for m in ticks.major] + ticks.minor)
    placed: list[tuple[float, float]] = []
    for tick in ticks.major:
        if not tick.label:
            continue
        y, m, d = civil_from_days(int(tick.value))
        assert tick.value == day(y, m, d)
        assert tick.label.split()[-1] == str(y)  # year labels name the year the tick stands on
        x = (t.to_units(tick.value) - u0) * k
        w = default_measure(tick.label)
        assert x - w / 2 >= 0 and x + w / 2 <= width
        for b in t.breaks:  # a label never reaches into a break
            bx0, bx1 = (b.u0 - u0) * k, (b.u1 - u0) * k
            assert x + w / 2 <= bx0 or x - w / 2 >= bx1
        placed.append((x - w / 2, x + w / 2))
    placed.sort()
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(placed))


def test_linear_scale_ticks_are_todays_ticks() -> None:
    x0, x1 = day(1999), day(2022)
    assert compute_scale_ticks(LINEAR, x0, x1, 900) == compute_ticks(x0, x1, 900)


def test_pieces_cover_the_range_in_order() -> None:
    start, end = _clustered()
    t = build_scale("compressed", start, end)
    pieces = t.pieces(day(1999), day(2022))
    assert pieces[0][0] == day(1999) and pieces[-1][1] == day(2022)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))
    assert [p[2] for p in pieces] == [False, True, False]


def test_the_shown_events_scale_matches_building_from_them() -> None:
    from timeline_app.core.scale import build_scale_shown

    rng = np.random.default_rng(5)
    start = np.sort(rng.uniform(day(1990), day(2024), 20000))
    end = start + rng.exponential(5, len(start))
    # every event shown, or half of them at random: no long gap, no break (the quick path)
    assert build_scale_shown("compressed", start, end, None) is LINEAR
    assert build_scale_shown("compressed", start, end, rng.random(len(start)) < 0.5) is LINEAR
    # a filter that leaves 1990-1995 and 2015-2024: the break appears, as built from those events
    mask = (start < day(1995)) | (start > day(2015))
    shown = build_scale_shown("compressed", start, end, mask)
    direct = build_scale("compressed", start[mask], end[mask])
    assert shown.breaks and shown.breaks == direct.breaks
    assert build_scale_shown("compressed", start, end, np.zeros(len(start), bool)) is LINEAR
    assert build_scale_shown("linear", start, end, mask) is LINEAR


def test_stretches_share_the_width_by_their_events(bundled: EventStore) -> None:
    """Between breaks, the densest stretch keeps one unit a day, a sparse one gets fewer (never
    under MIN_STRETCH_SLOPE): room goes where the events are, each stretch still linear."""
    from timeline_app.core.scale import MIN_STRETCH_SLOPE

    t = build_scale("compressed", bundled.start, bundled.end)
    slopes = np.diff(t.knots_units) / np.diff(t.knots_days)
    stretch = slopes[::2]  # knots: stretch, break, stretch, ..., stretch
    assert stretch.max() == pytest.approx(1.0) and stretch.min() >= MIN_STRETCH_SLOPE - 1e-9
    # 2001-2003 holds 3 events in 900 days, 2018-2021 25 in 1,640: the first is drawn at a lesser pace
    assert t.to_units(day(2002) + 100) - t.to_units(day(2002)) < 0.6 * 100
    # the dense years get over half the axis (40 % when every stretch kept one unit a day)
    u = t.to_units
    whole = u(bundled.end.max()) - u(bundled.start.min())
    assert (u(day(2022)) - u(day(2018))) / whole > 0.5
    # true dates back from every place on the axis
    xs = np.linspace(day(1995), day(2025), 5001)
    assert np.all(np.diff(u(xs)) > 0) and np.allclose(t.to_days(u(xs)), xs, atol=1e-6)
