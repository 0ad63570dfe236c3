"""What one frame of the timeline holds: the view at one size, its lanes, and the geometry of
its marks and labels, computed once (``frame_build``) and shared by every layer's ``draw`` and
by hit tests, so the screen and an export draw from the same numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont

from ..core.label_key import KeyEntry
from ..core.layout import LaneGeometry
from ..core.scale import LINEAR, TimeScale
from ..core.store import Kind
from ..core.ticks import Ticks

INSTANT, PERIOD, SPAN = int(Kind.INSTANT), int(Kind.PERIOD), int(Kind.SPAN)  # plain ints: numpy compares faster


@dataclass
class LaneData:
    """One shown lane in one frame: its visible events (store indices) and their sub-rows."""

    actor: int
    pos: int  # position among shown lanes
    idx: NDArray[np.int64]
    rows: NDArray[np.int32]
    density: NDArray[np.int64] | None = None  # events touching each pixel column, when drawn as a strip
    lit: NDArray[np.int64] | None = None  # of those, search matches (None: no search)


@dataclass
class Label:
    """A placed label: the full title on one or two lines, with the event's actors as a stripe of
    colours at its left, and a leader to its mark when it sits in another row's label line."""

    index: int
    rect: QRectF  # stripe and text
    lines: tuple[str, ...]
    dimmed: bool
    actors: tuple[int, ...] = ()
    leader: tuple[float, float, float, float] | None = None  # from (x, y) at the mark to (x, y) at the label

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass
class NumberMark:
    """The number of an event the layout could not label, beside its mark; the key says what it is."""

    index: int
    rect: QRectF
    number: int
    dimmed: bool
    actors: tuple[int, ...] = ()
    text: str = ""  # the chip's text: the number, or a cluster's numbers ("7–9")


@dataclass
class LabelSet:
    """What one frame labels: labels, numbers, and the key of the numbers (in number order)."""

    labels: list[Label]
    numbers: list[NumberMark]
    key: list[KeyEntry]


@dataclass
class Copies:
    """Every event drawn as a mark in one frame (lanes concatenated, in lane order) with its pixel
    geometry: computed once per frame and shared by events, connectors, labels and hit tests.

    Each event is here once. Instants whose diamonds would sit on each other in one row gather into
    a cluster: only its head is drawn, with a count; ``head`` maps every mark to its cluster's head.
    """

    idx: NDArray[np.int64]  # store index
    lane: NDArray[np.int64]  # position among shown lanes
    row: NDArray[np.int64]
    cy: NDArray[np.float64]  # centre of the glyph band
    kind: NDArray[np.int8]
    x0: NDArray[np.float64]  # px(start), px(end), px(start + 0.5): unclipped
    x1: NDArray[np.float64]
    cx: NDArray[np.float64]
    color: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))  # actor whose colour it takes
    head: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))  # position of its cluster's head
    count: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))  # members, at a head; else 0

    @property
    def drawn(self) -> NDArray[np.bool_]:
        return self.count > 0


@dataclass
class Echoes:
    """In "every actor" lanes: a small dot in each other shown lane of a shared event, joined to
    its one mark by a thin connector."""

    idx: NDArray[np.int64]
    lane: NDArray[np.int64]
    cy: NDArray[np.float64]
    x: NDArray[np.float64]
    color: NDArray[np.int64]


@dataclass
class Frame:
    """Everything a layer needs to draw one view at one size."""

    plot: QRectF  # device rect of the plotting area (lanes, eras, labels)
    x0: float
    x1: float
    scale: float
    font: QFont
    bold: QFont
    small: QFont
    header: float  # height of the strip at the top holding era titles
    footer: float  # height of the strip at the bottom holding the legend
    geometry: LaneGeometry
    lanes: list[LaneData]
    ticks: Ticks
    nrows: list[int] = field(default_factory=list)  # sub-rows per shown lane in this frame
    density_range: tuple[float, float] = (1.0, 1.0)  # counts mapped to the faintest / fullest strip ink
    lit_range: tuple[float, float] = (1.0, 1.0)  # the same for the search matches drawn over the strips
    tmap: TimeScale = LINEAR  # days -> view units (core.scale): x0, x1 and px() stay in days
    _labels: LabelSet | None = field(default=None, repr=False)
    _copies: Copies | None = field(default=None, repr=False)
    _echoes: Echoes | None = field(default=None, repr=False)
    _eras: list[Any] | None = field(default=None, repr=False)  # era titles (background_layer.era_titles)
    _callouts: dict[int, Any] = field(default_factory=dict, repr=False)  # labels_layer.callout_box, by event
    _arrows: dict[int, Any] = field(default_factory=dict, repr=False)  # relations_layer, by selected event
    k: float = field(init=False, repr=False)  # pixels per view unit (per day under the linear scale)
    _left: float = field(init=False, repr=False)
    _u0: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # plain numbers: ``px`` runs a few hundred times a frame (ticks, eras, labels)
        t = self.tmap
        self._u0 = float(t.to_units(self.x0))
        self.k = self.plot.width() / (float(t.to_units(self.x1)) - self._u0)
        self._left = self.plot.left()

    def px(self, days: Any) -> Any:
        """Device x of ``days`` (a number or an array), through the time scale."""
        t = self.tmap
        if t.identity:
            return self._left + (days - self.x0) * self.k
        return self._left + (t.to_units(days) - self._u0) * self.k

    def days_at(self, x: Any) -> Any:
        """The true date (days) drawn at device x: the inverse of ``px``, for hit testing."""
        return self.tmap.to_days(self._u0 + (x - self._left) / self.k)

    @property
    def glyph(self) -> float:
        return self.geometry.glyph_height

    def glyph_center_y(self, lane: int, rows: Any) -> Any:
        return self.geometry.row_top(lane, rows) + self.glyph / 2


def _break_spans(f: Frame) -> list[tuple[float, float, float]]:
    """(left, right, days hidden) in device x of each axis break in view."""
    out = []
    for b in f.tmap.breaks:
        if b.end <= f.x0 or b.start >= f.x1:
            continue
        out.append((float(f.px(b.start)), float(f.px(b.end)), b.days))
    return out
