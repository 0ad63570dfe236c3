"""Marks that share a spot, without Qt: instants whose diamonds would sit on each other at the
current zoom gather into one mark with a count (vis-timeline's ``cluster`` option is the model).

A cluster starts at its earliest member and takes every later instant of the same lane and sub-row
whose centre is less than ``reach`` pixels from the head's: so a mark stands for what is under it,
never for a chain of events drifting far along the axis.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["MAX_CLUSTERED", "cluster_heads"]

MAX_CLUSTERED = 20_000  # more instants than this in view: no clusters (a crowd of marks, strips next)


def cluster_heads(
    group: NDArray[np.int64], cx: NDArray[np.float64], instant: NDArray[np.bool_], reach: float
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """For marks with a ``group`` (lane and row as one number) and centre ``cx``: the position of
    each one's cluster head, and the member count at each head (0 elsewhere). Non-instants and
    lone instants are their own heads with a count of 1."""
    n = len(cx)
    head = np.arange(n, dtype=np.int64)
    inst = np.flatnonzero(instant)
    if 1 < len(inst) <= MAX_CLUSTERED:
        order = inst[np.lexsort((inst, cx[inst], group[inst]))]
        g, x = group[order], cx[order]
        near = (g[1:] == g[:-1]) & (x[1:] - x[:-1] < reach)
        if near.any():
            g_l, x_l, o_l = g.tolist(), x.tolist(), order.tolist()
            cur = 0  # place (in ``order``) of the current head
            for k in range(1, len(o_l)):
                if g_l[k] == g_l[cur] and x_l[k] - x_l[cur] < reach:
                    head[o_l[k]] = o_l[cur]
                else:
                    cur = k
    count = np.bincount(head, minlength=n).astype(np.int64)
    return head, count
