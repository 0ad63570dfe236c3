"""How events are spread over lanes, without Qt: the reader picks one of a few lane modes.

Every mode draws each event once. "primary" gives each actor that leads an event a lane and puts
each event in its first actor's lane; "actor" gives every actor a lane and draws a shared event's
mark in the first of its lanes shown, with small dots in its other actors' lanes; "stream" draws all
events in one lane. Whatever the lane, a mark carries its actors' colours, and filtering by an
actor finds every event the actor took part in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .store import EventStore

__all__ = ["DEFAULT_LANE_MODE", "LANE_MODES", "LaneSet", "check_lane_mode", "lane_set", "primary_actors"]

# (mode, reader-facing name), in menu order
LANE_MODES: tuple[tuple[str, str], ...] = (
    ("primary", "Lanes by Leading Actor"),
    ("actor", "Lanes by Every Actor"),
    ("stream", "Single Stream"),
)
DEFAULT_LANE_MODE = "primary"
STREAM = -1  # the actor of the one lane in stream mode: marks take their leading actor's colour


def check_lane_mode(mode: str) -> str:
    """``mode`` if it is one of ``LANE_MODES``; otherwise a ValueError naming the choices."""
    names = [m for m, _ in LANE_MODES]
    if mode not in names:
        raise ValueError(f"unknown lane mode {mode!r}; the lane modes are: {', '.join(names)}")
    return mode


def primary_actors(store: EventStore) -> NDArray[np.int64]:
    """The first actor listed for each event (its lane in "primary" mode); -1 for an event with none."""
    ptr = store.member_ptr
    has = ptr[1:] > ptr[:-1]
    first = np.full(len(store), -1, np.int64)
    if len(store.member_actor):
        first[has] = store.member_actor[ptr[:-1][has]]
    return first


@dataclass(frozen=True, slots=True)
class LaneSet:
    """The lanes of one mode: the actor each lane stands for (``STREAM`` for the single stream)
    and the events of each lane (store indices, in time order)."""

    mode: str
    actors: list[int]
    events: list[NDArray[np.int64]]

    @property
    def shared(self) -> bool:
        """True when an event may sit in several lanes (then it is drawn once, dots elsewhere)."""
        return self.mode == "actor"


def lane_set(store: EventStore, mode: str) -> LaneSet:
    """The lanes ``mode`` gives ``store``'s events."""
    check_lane_mode(mode)
    n_actors = len(store.actor_ids)
    if mode == "actor":
        return LaneSet(mode, list(range(n_actors)), list(store.lane_events))
    if mode == "stream":
        return LaneSet(mode, [STREAM], [np.arange(len(store), dtype=np.int64)])
    first = primary_actors(store)
    order = np.argsort(first, kind="stable")  # by actor, each in time order
    bounds = np.searchsorted(first[order], np.arange(n_actors + 1))
    events = [order[bounds[a] : bounds[a + 1]].astype(np.int64) for a in range(n_actors)]
    return LaneSet(mode, list(range(n_actors)), events)
