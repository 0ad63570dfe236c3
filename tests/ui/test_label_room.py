"""The bundled data at the reference 1280x800 window: the plot's height goes to the lane whose
labels need it, and no number chip or label sits on a "!" badge or another mark."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QRectF

from timeline_app.resources import bundled_events
from timeline_app.ui.frame import INSTANT


def test_busy_lane_gets_the_height_and_chips_keep_off_badges(window: Any, load: Any, qtbot: Any) -> None:
    load(window, bundled_events())
    qtbot.wait(200)
    st = window.view._state
    f = window.view._view_frame()
    ls = st.labels(f)
    c = st.copies(f)
    events = [len(ld.idx) for ld in f.lanes]
    h = f.geometry.height
    busiest = int(np.argmax(events))
    assert h[busiest] == h.max() and h[busiest] > 0.5 * h.sum()  # the crowded lane gets the rest
    few = int(np.argmin(events))  # one event: a row, not a tall empty band
    assert h[few] <= 1.5 * (f.geometry.row_height + 2 * f.geometry.pad)
    # before this rule 9 of the 33 events had labels here; the rest are numbered in the key
    assert len({lab.index for lab in ls.labels}) >= 10
    assert len({lab.index for lab in ls.labels} | {n.index for n in ls.numbers}) == len(set(c.idx.tolist()))
    s = st.store
    r = 5.5 * f.scale
    inst = c.kind == INSTANT
    right = np.where(inst, c.cx + f.glyph / 2, c.x1)
    top = c.cy - f.glyph / 2
    badges = [
        QRectF(right[j] - 0.4 * r, top[j] - r, 2 * r, 2 * r) for j in np.flatnonzero(c.drawn & s.has_discrepancy[c.idx])
    ]
    gx0 = np.where(inst, c.cx - f.glyph / 2, c.x0)
    gx1 = np.where(inst, c.cx + f.glyph / 2, np.maximum(c.x1, gx0 + 2))
    marks = [QRectF(gx0[j], top[j], gx1[j] - gx0[j], f.glyph) for j in np.flatnonzero(c.drawn)]
    assert badges and ls.numbers
    chips = [n.rect for n in ls.numbers] + [lab.rect for lab in ls.labels]
    assert not [(q, b) for q in chips for b in badges + marks if q.intersects(b)]
