"""What is under the pointer in a frame: hit tests run on the frame's own labels and mark
geometry, so they find exactly what was drawn there."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF

from .frame import INSTANT, Frame

if TYPE_CHECKING:
    from .view_state import ViewState


def event_at(st: ViewState, f: Frame, pt: QPointF) -> int:
    """The event whose label, number, mark or dot is under ``pt``; -1 if none. A cluster's mark
    gives its head (``cluster_members`` lists the rest)."""
    s = st.store
    if s is None or not f.plot.contains(pt):
        return -1
    ls = st.labels(f)
    for lab in ls.labels:
        if lab.rect.contains(pt):
            return lab.index
    for num in ls.numbers:
        if num.rect.adjusted(-2, -2, 2, 2).contains(pt):
            return num.index
    c = st.copies(f)
    slack = 3 * f.scale
    half = f.glyph / 2 + slack
    if len(c.idx):
        inst = c.kind == INSTANT
        x0 = np.where(inst, c.cx - half, c.x0 - slack)
        x1 = np.where(inst, c.cx + half, np.maximum(c.x1, c.x0 + 1) + slack)
        hit = c.drawn & (pt.x() >= x0) & (pt.x() <= x1) & (np.abs(pt.y() - c.cy) <= half)
        if hit.any():
            cand = np.flatnonzero(hit)
            dist = np.abs(np.where(inst[cand], c.cx[cand], (x0[cand] + x1[cand]) / 2) - pt.x())
            # a short event drawn over a long one wins: prefer the narrowest, then the nearest
            width = (x1 - x0)[cand]
            return int(c.idx[cand[np.lexsort((dist, width))[0]]])
    e = st.echoes(f)
    if len(e.idx):
        d = np.hypot(e.x - pt.x(), e.cy - pt.y())
        k = int(np.argmin(d))
        if d[k] <= half:
            return int(e.idx[k])
    return -1


def cluster_members(st: ViewState, f: Frame, index: int) -> list[int]:
    """The events gathered under event ``index``'s mark in frame ``f`` (itself first), or [index]."""
    c = st.copies(f)
    at = np.flatnonzero(c.idx == index)
    if len(at) == 0:
        return [index]
    head = int(c.head[at[0]])
    members = np.flatnonzero(c.head == head)
    return [int(c.idx[head])] + [int(c.idx[m]) for m in members.tolist() if m != head]
