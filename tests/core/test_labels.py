"""Label placement (core.labels), lane modes (core.lane_modes) and clusters (core.clusters), Qt-free."""

from __future__ import annotations

import numpy as np
import pytest

from timeline_app.core.build import store_from_timeline
from timeline_app.core.clusters import cluster_heads
from timeline_app.core.label_forms import wrap_two
from timeline_app.core.label_key import KeyEntry, key_entries
from timeline_app.core.labels import place
from timeline_app.core.lane_modes import LANE_MODES, check_lane_mode, lane_set, primary_actors
from timeline_app.core.layout import lane_geometry
from timeline_app.core.models import Actor, Event, Timeline
from timeline_app.core.store import EventStore


def measure(text: str) -> float:
    return 7.0 * len(text)  # a monospaced font, 7 px a character


def _problem(xs: list[float], titles: list[str], rows: int = 6, height: float = 400.0):  # type: ignore[no-untyped-def]
    geom = lane_geometry([rows], 0.0, height, 12.0, 14.0)
    y0 = float(geom.row_top(0, 0))
    mark = np.array([[x - 6, y0, x + 6, y0 + 12] for x in xs], np.float64)
    n = len(xs)
    return dict(
        titles=titles, mark=mark, lane=np.zeros(n, np.int64), row=np.zeros(n, np.int64),
        priority=np.zeros(n), geometry=geom, nrows=[rows], obstacles=mark.copy(), measure=measure,
        line_height=14.0, x_min=0.0, x_max=1000.0,
    )  # fmt: skip


def _rects(layout) -> list[tuple[float, float, float, float]]:  # type: ignore[no-untyped-def]
    return [(p.x, p.y, p.x + p.width, p.y + p.height) for p in layout.labels]


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_a_lone_event_gets_its_full_title_under_its_mark_however_long() -> None:
    title = "Pakistan and Russia sign contract to train Pakistani troops in Russia, a very long title indeed"
    out = place(**_problem([100.0], [title]))
    assert len(out.labels) == 1 and not out.numbers
    lab = out.labels[0]
    assert lab.lines == (title,)  # no character cut, no "…"
    assert lab.x <= 100 <= lab.x + lab.width and lab.leader is None


def test_a_title_wraps_to_two_lines_before_it_is_numbered() -> None:
    title = "US approves Pakistan's return to IMET as exception to aid freeze"
    (a, b), w = wrap_two(title, measure)  # type: ignore[misc]
    assert f"{a} {b}" == title and w < measure(title) * 0.6
    # room for half the title's width only (the right edge): two lines
    out = place(**{**_problem([760.0], [title]), "x_max": 760.0 + w - 10})
    assert out.labels and out.labels[0].lines == (a, b)


def test_crowds_are_labelled_or_numbered_never_overlapping_and_leaders_cross_no_label() -> None:
    rng = np.random.default_rng(3)
    xs = sorted(rng.uniform(50, 950, 60).tolist())
    titles = [f"Event {i} " + "word " * int(rng.integers(1, 8)) for i in range(60)]
    out = place(**_problem(xs, titles))
    rects = _rects(out)
    for i, a in enumerate(rects):
        assert not any(_overlap(a, b) for b in rects[i + 1 :])
    for lab in out.labels:
        if lab.leader is None:
            continue
        xa, ya, xb, yb = lab.leader
        for other in out.labels:
            if other is lab:
                continue
            for t in np.linspace(0.02, 0.98, 40):
                x, y = xa + (xb - xa) * t, ya + (yb - ya) * t
                inside_x = other.x + 1 < x < other.x + other.width - 1
                assert not (inside_x and other.y + 1 < y < other.y + other.height - 1)
    labelled = {p.owner for p in out.labels}
    numbered = [p.owner for p in out.numbers]
    assert labelled.isdisjoint(numbered) and sorted(labelled | set(numbered)) == list(range(60))
    assert [p.number for p in out.numbers] == list(range(1, len(numbered) + 1))
    assert numbered == sorted(numbered)  # numbers run in time order
    keys = key_entries(out, list(range(100, 160)), [f"d{i}" for i in range(160)], [f"t{i}" for i in range(160)])
    assert keys and keys[0] == KeyEntry(1, 100 + numbered[0], f"d{100 + numbered[0]}", f"t{100 + numbered[0]}")


def test_a_suffix_is_measured_with_its_label_and_ends_its_last_line() -> None:
    title = "US approves Pakistan's return to IMET as exception to aid freeze"
    out = place(**_problem([100.0], [title]), suffixes=["[3, 7–9]"])
    lab = out.labels[0]
    assert lab.lines == (f"{title} [3, 7–9]",) and lab.width == measure(f"{title} [3, 7–9]")
    (a, b), w = wrap_two(title, measure)  # type: ignore[misc]
    tight = place(**{**_problem([760.0], [title]), "x_max": 760.0 + w + measure(" [3]") + 2}, suffixes=["[3]"])
    assert tight.labels[0].lines == (a, f"{b} [3]")  # two lines, the numbers never split from the title
    assert tight.labels[0].width == max(measure(a), measure(f"{b} [3]"))
    rng = np.random.default_rng(5)  # a crowd: the wider labels still overlap nothing
    xs = sorted(rng.uniform(50, 950, 40).tolist())
    titles = [f"Event {i} " + "word " * int(rng.integers(1, 6)) for i in range(40)]
    crowd = place(**_problem(xs, titles), suffixes=[f"[{i}, {i + 1}]" for i in range(40)])
    rects = _rects(crowd)
    assert len(rects) >= 10
    for i, r in enumerate(rects):
        assert not any(_overlap(r, q) for q in rects[i + 1 :])
    for lab in crowd.labels:
        assert lab.lines[-1].endswith(f"[{lab.owner}, {lab.owner + 1}]")
        assert lab.width >= max(measure(line) for line in lab.lines)


def test_placement_depends_on_the_problem_only() -> None:
    xs = [100.0, 110.0, 120.0, 400.0]
    titles = ["Alpha beta gamma delta", "Epsilon zeta eta", "Theta iota kappa lambda mu", "Nu xi"]
    assert place(**_problem(xs, titles)) == place(**_problem(xs, titles))


def test_numbering_can_be_turned_off_for_crowds() -> None:
    xs = [100.0 + k for k in range(30)]
    out = place(**{**_problem(xs, [f"Title number {k}" for k in range(30)]), "numbering": False})
    assert not out.numbers and out.labels


def _store() -> EventStore:
    ev = [
        Event(id="a", title="A", start="2001", actors=["us", "pk"], summary="s"),
        Event(id="b", title="B", start="2002", actors=["pk", "us", "ru"], summary="s"),
        Event(id="c", title="C", start="2003", actors=["ru"], summary="s"),
    ]
    actors = [Actor(id=i, name=i.upper()) for i in ("us", "pk", "ru", "cn")]
    return store_from_timeline(Timeline(schema_version=1, title="t", actors=actors, events=ev))


def test_lane_modes_put_each_event_in_one_lane_except_every_actor_lanes() -> None:
    s = _store()
    assert primary_actors(s).tolist() == [0, 1, 2]
    primary = lane_set(s, "primary")
    assert [e.tolist() for e in primary.events] == [[0], [1], [2], []] and not primary.shared
    every = lane_set(s, "actor")
    assert [e.tolist() for e in every.events] == [[0, 1], [0, 1], [1, 2], []] and every.shared
    stream = lane_set(s, "stream")
    assert [e.tolist() for e in stream.events] == [[0, 1, 2]] and stream.actors == [-1]
    assert [m for m, _ in LANE_MODES] == ["primary", "actor", "stream"]
    with pytest.raises(ValueError, match="primary, actor, stream"):
        check_lane_mode("nope")


def test_clusters_gather_marks_on_one_spot_of_one_row_only() -> None:
    group = np.array([0, 0, 0, 0, 1, 0], np.int64)
    cx = np.array([10.0, 14.0, 19.0, 40.0, 12.0, 41.0])
    instant = np.array([True, True, True, True, True, False])
    head, count = cluster_heads(group, cx, instant, reach=10.0)
    # 10, 14, 19 share a spot (within 10 px of the first); 40 stands alone; row 1 and a span apart
    assert head.tolist() == [0, 0, 0, 3, 4, 5]
    assert count.tolist() == [3, 0, 0, 1, 1, 1]
