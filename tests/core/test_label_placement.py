"""What the label placer (core.labels.place) guarantees, beyond test_labels.py: the outcomes the
old culling placer (``core.layout.place_labels``, removed unused) was held to, asked of the one the
view uses: labels stay in the plot and off every mark, priority decides who keeps the spot, room
brings labels back, and the label count is capped."""

from __future__ import annotations

import numpy as np
from test_labels import _overlap, _problem, _rects

from timeline_app.core.labels import place


def _crowd(n: int, seed: int, spread: float = 1.0):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    xs = sorted((rng.uniform(20, 980, n) * spread).tolist())
    titles = [f"Event {i} " + "word " * int(rng.integers(1, 8)) for i in range(n)]
    return {**_problem(xs, titles, rows=2, height=120.0), "x_max": 1000.0 * spread}


def test_labels_stay_in_the_plot_and_cover_no_mark() -> None:
    problem = _crowd(50, seed=11)
    out = place(**problem)
    assert 5 < len(out.labels) < 50 and out.numbers
    marks = [tuple(m) for m in problem["mark"].tolist()]
    for lab, rect in zip(out.labels, _rects(out), strict=True):
        assert problem["x_min"] <= rect[0] and rect[2] <= problem["x_max"], lab.lines
        assert not any(_overlap(rect, m) for m in marks), lab.lines


def test_the_higher_priority_keeps_the_contested_spot() -> None:
    titles = ["A long title that fills the only line", "Another long title for the same line"]
    for winner in (0, 1):
        problem = {**_problem([500.0, 505.0], titles, rows=1, height=30.0), "priority": np.eye(2)[winner]}
        out = place(**problem)
        assert [lab.owner for lab in out.labels] == [winner]
        assert [n.owner for n in out.numbers] == [1 - winner]  # the other is numbered, not lost


def test_labels_come_back_with_more_room() -> None:
    tight = place(**_crowd(40, seed=4))
    roomy = place(**_crowd(40, seed=4, spread=6.0))  # zoomed in: the same events six times apart
    assert len(tight.labels) < len(roomy.labels)
    assert len(roomy.labels) + len(roomy.numbers) == 40


def test_the_label_count_is_capped() -> None:
    n = 400
    xs = [100.0 * k for k in range(n)]
    out = place(**{**_problem(xs, [f"E{k}" for k in range(n)]), "x_max": 100.0 * n, "max_labels": 300})
    assert len(out.labels) == 300
