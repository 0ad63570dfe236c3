"""Labels sit beside their own marks: a label moved along the axis away from its mark keeps a
short leader (no longer than the label is wide), and most labels sit right by their mark."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRectF

from timeline_app.core.build import store_from_timeline
from timeline_app.core.loading import load_timeline
from timeline_app.core.store import EventStore
from timeline_app.resources import bundled_events


def _labels(qtbot: Any, store: EventStore, width: int, height: int) -> list[Any]:
    from timeline_app.export.headless import offscreen_view

    view = offscreen_view(store, None, None, width, height)
    qtbot.addWidget(view)
    return view._state.labels(view._render_frame(QRectF(0, 0, width, height))[0]).labels


def _leader_lengths(labels: list[Any]) -> list[float]:
    out = []
    for lab in labels:
        if lab.leader is None:
            out.append(0.0)
            continue
        x0, y0, x1, y1 = lab.leader
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        out.append(length)
        if abs(x1 - x0) > 0.5:  # slanted: the label left its mark's column, but only a little
            assert length <= lab.rect.width() + 1, (lab.text, length)
        # the leader ends on the label's edge
        assert lab.rect.adjusted(-1, -1, 1, 1).contains(x1, y1), lab.text
    return out


@pytest.mark.parametrize("size", [(1920, 1080), (1123, 794), (3840, 2160)])
def test_bundled_labels_keep_short_leaders(qtbot: Any, size: tuple[int, int]) -> None:
    store = store_from_timeline(load_timeline(bundled_events()))
    lengths = _leader_lengths(_labels(qtbot, store, *size))
    assert lengths
    if size == (1920, 1080):  # the left-of-crowd column made these 466 px at most, 90 px median
        assert max(lengths) <= 240 and statistics.median(lengths) <= 60


def test_generated_labels_keep_short_leaders(qtbot: Any, gen: Any, tmp_path: Path) -> None:
    store = store_from_timeline(load_timeline(gen.write(300, tmp_path / "g300.json")))
    assert _leader_lengths(_labels(qtbot, store, 1920, 1080))
