"""The drawing of the timeline: one shared state, one graphics item painting every layer.

Every layer draws in device pixels through ``draw(painter, frame)``: on screen the frame comes
from the ViewBox, and ``TimelineView.render_to`` builds one for any target size, so the screen
and an export run the same code (label layout included). Work per frame is bounded by what is
visible: ``searchsorted`` windows, a density strip when events outnumber pixels, and at most a
few hundred labels, with text measured once per title. Qt calls are few and batched, as the
per-call cost dominates: markers of every lane in one blit from a glyph atlas, bars and brackets
one call per colour, label texts blitted from a text atlas, lane names and legend from pictures
kept while the view pans (benchmarks/frames_profile.py measures and profiles frames).
"""

from __future__ import annotations

import copy
import itertools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
import shiboken6
from numpy.typing import NDArray
from pyqtgraph.Qt.internals import PrimitiveArray
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontInfo,
    QFontMetricsF,
    QImage,
    QPainter,
    QPen,
    QPixmap,
    QPolygonF,
    QStaticText,
)
from PySide6.QtWidgets import QWidget

from ..core.clusters import cluster_heads
from ..core.labels import KeyEntry
from ..core.lane_index import LaneIndex
from ..core.lane_modes import DEFAULT_LANE_MODE, STREAM, LaneSet, check_lane_mode, lane_set, primary_actors
from ..core.layout import LaneGeometry, fold_rows, lane_geometry
from ..core.scale import DEFAULT_SCALE, LINEAR, TimeScale, build_scale_shown
from ..core.store import EventStore, Kind
from ..core.ticks import Ticks, compute_scale_ticks
from .theme import Theme

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

CROWDED_PER_PX_ROW = 0.25  # more visible events than this per pixel column and sub-row: a density strip
MIN_INK = 0.12  # opacity of a strip column holding the fewest events
DIMMED_ALPHA = 0.22  # opacity of events a search leaves out (markers, and strips under the matches)
FOLLOW_FRACTION = 0.1  # with one strip shown, lanes this fraction as crowded become strips too
LABEL_CANDIDATES = 400  # at most this many events compete for labels in a frame
CROWDED_COPIES = 2000  # more visible copies than this: fewer competitors, two spots each
FEW_LABELS = 200  # up to this many competing events, each also tries its less natural spots
MAX_LABELS = 300
MAX_MISSES = 80  # events in a row that found no room: the rest of the crowd is not tried
MAX_BADGES = 500
MAX_CONNECTORS = 5000
STREAM_NAME = "All events"  # the single stream's lane name
BASE_GLYPH = 12.0  # marker size at scale 1
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


class ViewState:
    """What the view shows (data, filters, search, selection, hover) and the per-frame layout."""

    def __init__(self, theme: Theme, font: QFont, lay_out_labels: Callable[[ViewState, Frame], LabelSet]) -> None:
        self.theme = theme
        self._lay_out_labels = lay_out_labels  # labels_layer.layout_labels, given by the view (no import cycle)
        self.base_font = QFont(font)
        self.store: EventStore | None = None
        self.visible: NDArray[np.bool_] | None = None
        self.visible_actors: NDArray[np.bool_] | None = None  # lanes to show; None = every actor's
        self.highlight: NDArray[np.bool_] | None = None
        self.selected: int | None = None
        self.hovered: int | None = None
        self.message: str | None = None
        self.show_legend = True
        self.label_suffix: Callable[[int], str] | None = None  # text after a label's title (an export's notes)
        self.scale_name = DEFAULT_SCALE  # see core.scale; rebuild_scale makes tscale from it
        self.tscale: TimeScale = LINEAR
        self.version = 0
        self.serial = 0  # bumped when the data or the look changes: keys cached pictures
        self.index: LaneIndex | None = None
        self.lane_mode = DEFAULT_LANE_MODE
        self.lanes: LaneSet | None = None  # the lanes of ``lane_mode``: which actor each stands for
        self.primary: NDArray[np.int64] = np.zeros(0, np.int64)  # each event's leading actor
        self._lit: LaneIndex | None = None  # see lit_index
        self._lit_key: tuple[Any, ...] | None = None
        self.shown: list[int] = []  # lanes (of ``lanes``) shown, top to bottom
        self.lane_nrows: list[int] = []
        self._frames: dict[tuple[Any, ...], Frame] = {}
        self._widths: dict[tuple[str, int, bool], float] = {}
        self._static: dict[tuple[str, int, bool], QStaticText] = {}
        self._pixmaps: dict[tuple[Any, ...], QPixmap] = {}
        self.atlas = TextAtlas()
        self._pictures: dict[tuple[Any, ...], QPixmap] = {}
        self._titles: dict[int, str] = {}
        self._wraps: dict[tuple[int, int], tuple[tuple[str, str], float] | None] = {}  # per event, font size
        self._title_w: dict[tuple[int, bool], NDArray[np.float64]] = {}  # label width per event, per font
        # what the last frame drew: for tests and diagnostics, never for timing
        self.stats: dict[str, int] = {"density_lanes": 0, "markers": 0, "labels": 0, "frames": 0}

    # -- state changes -----------------------------------------------------------------------

    def changed(self) -> None:
        self.version += 1
        self._frames.clear()

    def set_look(self, theme: Theme, font: QFont) -> None:
        """A palette or font change: cached widths, texts and glyph pixmaps were made with the old."""
        self.theme = theme
        self.base_font = QFont(font)
        self._widths.clear()
        self._title_w.clear()
        self._wraps.clear()
        self._static.clear()
        self._pixmaps.clear()
        self._pictures.clear()
        self.atlas.clear()
        self.serial += 1
        self.changed()

    def set_store(self, store: EventStore | None) -> None:
        self.store = store
        self.serial += 1
        self.visible = None
        self.visible_actors = None
        self.highlight = None
        self.selected = None
        self.hovered = None
        self._titles.clear()
        self._title_w.clear()
        self._wraps.clear()
        self.primary = primary_actors(store) if store is not None else np.zeros(0, np.int64)
        self._build_index()
        self.rebuild_scale()

    def set_lane_mode(self, mode: str) -> None:
        """Lanes by leading actor, by every actor, or one stream (see core.lane_modes)."""
        if check_lane_mode(mode) == self.lane_mode:
            return
        self.lane_mode = mode
        self.serial += 1
        self._build_index()

    def _build_index(self) -> None:
        s = self.store
        self.lanes = lane_set(s, self.lane_mode) if s is not None else None
        self.index = LaneIndex(s.start, s.end, self.lanes.events) if s is not None and self.lanes else None
        self._lit, self._lit_key = None, None
        self.rebuild_lanes(recount=self.visible is not None)

    def lane_actor(self, lane: int) -> int:
        """The actor lane ``lane`` stands for (``STREAM`` for the single stream)."""
        return self.lanes.actors[lane] if self.lanes is not None else STREAM

    def actors(self, i: int) -> tuple[int, ...]:
        """Event ``i``'s actors, in the data's order (the leading one first)."""
        assert self.store is not None
        return tuple(int(a) for a in self.store.actors_of(i))

    def rebuild_scale(self) -> None:
        """The time scale for the events shown now (filters applied): breaks follow the data."""
        s = self.store
        if s is None or self.scale_name == "linear":
            self.tscale = LINEAR
        else:
            self.tscale = build_scale_shown(self.scale_name, s.start, s.end, self.visible)
        self.changed()

    def rebuild_lanes(self, recount: bool = True) -> None:
        """Which lanes show, and their rows; a filter change recounts (see core.lane_index)."""
        self.shown, self.lane_nrows = [], []
        ix = self.index
        if ix is not None:
            if recount:
                ix.set_mask(self.visible)
            # only "every actor" lanes hide with their actor: in the other modes an event shared
            # with an actor the reader filtered on may sit in another actor's lane
            by_actor = self.visible_actors is not None and self.lanes is not None and self.lanes.shared
            for a in range(ix.n_lanes):
                if by_actor and not self.visible_actors[self.lane_actor(a)]:  # type: ignore[index]
                    continue
                if ix.counts[a] == 0:
                    continue
                self.shown.append(a)
                self.lane_nrows.append(int(ix.nrows[a]))
        self.changed()

    # -- text --------------------------------------------------------------------------------

    def fonts(self, scale: float) -> tuple[QFont, QFont, QFont]:
        px = QFontInfo(self.base_font).pixelSize() or 13
        font = QFont(self.base_font)
        font.setPixelSize(max(6, round(px * scale)))
        bold = QFont(font)
        bold.setBold(True)
        small = QFont(self.base_font)
        small.setPixelSize(max(6, round(px * 0.9 * scale)))
        return font, bold, small

    def title(self, i: int) -> str:
        t = self._titles.get(i)
        if t is None:
            assert self.store is not None
            t = self._titles[i] = " ".join(self.store.titles[i].split())
        return t

    def title_widths(self, ev: NDArray[np.int64], font: QFont) -> NDArray[np.float64]:
        """Label widths of events ``ev`` in ``font``, kept per event so a pan measures only
        titles it has not met before."""
        assert self.store is not None
        key = (font.pixelSize(), font.bold())
        table = self._title_w.get(key)
        if table is None or len(table) != len(self.store):
            table = self._title_w[key] = np.full(len(self.store), np.nan)
        w = table[ev]
        missing = np.flatnonzero(np.isnan(w)).tolist()
        fm = QFontMetricsF(font)
        for k in missing:
            i = int(ev[k])
            w[k] = table[i] = fm.horizontalAdvance(self.title(i))
        return w

    def text_width(self, text: str, font: QFont) -> float:
        key = (text, font.pixelSize(), font.bold())
        w = self._widths.get(key)
        if w is None:
            w = self._widths[key] = QFontMetricsF(font).horizontalAdvance(text)
        return w

    def measure(self, font: QFont) -> Callable[[str], float]:
        """``text_width`` in ``font`` with the font's part of the key looked up once, not per text
        (tick layout measures a few hundred labels a frame)."""
        size, bold, widths = font.pixelSize(), font.bold(), self._widths

        def width(text: str) -> float:
            w = widths.get((text, size, bold))
            return self.text_width(text, font) if w is None else w

        return width

    def draw_text(self, p: QPainter, pos: QPointF, text: str, font: QFont, set_font: bool = True) -> None:
        """``text`` at ``pos`` from a cached ``QStaticText``; ``set_font=False`` when the painter
        already has ``font`` (a loop of labels sets it once)."""
        key = (text, font.pixelSize(), font.bold())
        st = self._static.get(key)
        if st is None:
            if len(self._static) > 5000:
                self._static.clear()
            st = self._static[key] = QStaticText(text)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(font=font)
        if set_font:
            p.setFont(font)
        p.drawStaticText(pos, st)

    def cached(self, p: QPainter, key: tuple[Any, ...], rect: QRectF, paint: Callable[[QPainter], None]) -> None:
        """Draw what ``paint`` draws inside ``rect`` from a pixmap made once per ``key``: for parts
        that stay put while the view pans (lane names, legend). Vector devices get it drawn."""
        dpr = _pixel_ratio(p)
        if dpr is None or rect.isEmpty():
            paint(p)
            return
        x0, y0 = math.floor(rect.left() * dpr), math.floor(rect.top() * dpr)
        w, h = math.ceil(rect.right() * dpr) - x0, math.ceil(rect.bottom() * dpr) - y0
        full = (*key, x0, y0, w, h, dpr, int(p.renderHints().value))
        pm = self._pictures.get(full)
        if pm is None:
            if len(self._pictures) > 16:
                self._pictures.clear()
            pm = self._pictures[full] = QPixmap(w, h)
            pm.setDevicePixelRatio(dpr)
            pm.fill(Qt.GlobalColor.transparent)
            q = QPainter(pm)
            q.setRenderHints(p.renderHints())
            q.translate(-x0 / dpr, -y0 / dpr)
            paint(q)
            q.end()
        p.drawPixmap(QPointF(x0 / dpr, y0 / dpr), pm)

    # -- frames ------------------------------------------------------------------------------

    def frame(self, plot: QRectF, x0: float, x1: float, scale: float = 1.0) -> Frame:
        key = (plot.x(), plot.y(), plot.width(), plot.height(), x0, x1, scale, self.version)
        f = self._frames.get(key)
        if f is None:
            if len(self._frames) > 8:
                self._frames.clear()
            f = self._frames[key] = self._build_frame(plot, x0, x1, scale)
        return f

    def _build_frame(self, plot: QRectF, x0: float, x1: float, scale: float) -> Frame:
        font, bold, small = self.fonts(scale)
        text_h = QFontMetricsF(font).height()
        line = QFontMetricsF(small).height()
        s = self.store
        era_rows = min(2, len(s.eras)) if s is not None else 0
        header = era_rows * (line + 2 * scale) + 4 * scale
        footer = line + 8 * scale if self.show_legend and s is not None and len(s) else 0.0
        glyph = round(BASE_GLYPH * scale)
        top = plot.top() + header
        avail = max(1.0, plot.height() - header - footer - 2 * scale)
        measure = self.measure(small)
        ticks = compute_scale_ticks(self.tscale, x0, x1, plot.width(), measure, break_gap_px=_break_gap(measure))
        lanes: list[LaneData] = []
        nrows: list[int] = []
        ix = self.index
        if s is not None and ix is not None and x1 > x0:
            strip = self._strip_lanes(plot.width(), x0, x1, avail / (glyph + text_h + 4.0))
            no_idx, no_rows = np.zeros(0, np.int64), np.zeros(0, np.int32)
            marker = [a for pos, a in enumerate(self.shown) if not strip[pos]]
            windows = dict(zip(marker, ix.windows(marker, x0, x1), strict=True))
            strips = [a for pos, a in enumerate(self.shown) if strip[pos]]
            density = dict(zip(strips, self._coverages(ix, strips, x0, x1, plot.width()), strict=True))
            lit_ix = self.lit_index() if strips else None
            lit = (
                dict(zip(strips, self._coverages(lit_ix, strips, x0, x1, plot.width()), strict=True))
                if lit_ix is not None
                else {}
            )
            for pos, a in enumerate(self.shown):
                if strip[pos]:
                    lanes.append(LaneData(self.lane_actor(a), pos, no_idx, no_rows, density=density[a], lit=lit.get(a)))
                    nrows.append(1)
                    continue
                w = windows[a]
                # a lane is as tall as the sub-rows in use here: rows empty in this window close up
                r = ix.rows[w]
                used = np.bincount(r, minlength=1) > 0
                rank = (np.cumsum(used) - 1).astype(np.int32)  # row -> its place among the rows in use
                lanes.append(LaneData(self.lane_actor(a), pos, ix.idx[w], rank[r]))
                nrows.append(max(1, int(used.sum())))
        else:
            nrows = [1] * len(self.shown)
        cap = fold_rows(nrows, avail / (glyph + text_h + 4.0))
        if cap is not None and fold_rows(nrows, avail / (glyph + SQUEEZE_TEXT * text_h + 4.0)) is None:
            # A little short of room for a label line under every row: squeeze the rows rather
            # than fold them, which would draw unrelated bars on top of each other; labels go
            # wherever the collision layout still finds room.
            cap = None
        if cap is not None:  # far too many rows for labels: fold the deepest lanes
            for ld in lanes:
                ld.rows = ld.rows % cap
            nrows = [min(n, cap) for n in nrows]
        elif lanes:
            nrows = _spare_label_rows(nrows, lanes, avail / (glyph + text_h + 4.0), text_h / (glyph + text_h + 4.0))
        # strips alone carry no labels: let them fill the height rather than leave it empty
        strips_only = bool(lanes) and all(ld.density is not None for ld in lanes)
        geom = lane_geometry(nrows, top, avail, glyph, text_h, max_stretch=4.0 if strips_only else 2.5)
        return Frame(plot, x0, x1, scale, font, bold, small, header, footer, geom, lanes, ticks, nrows,
                     density_range=density_range(lanes), lit_range=density_range(lanes, lit=True),
                     tmap=self.tscale)  # fmt: skip

    def _coverages(
        self, ix: LaneIndex, strips: list[int], x0: float, x1: float, width: float
    ) -> list[NDArray[np.int64]]:
        """Events per pixel column of each strip lane: one linear piece of the time scale at a
        time (a break's columns count the years it hides), joined column for column."""
        cols = max(1, round(width))
        t = self.tscale
        if t.identity or not t.breaks or not strips:
            return ix.coverages(strips, x0, x1, cols)
        u0 = t.to_units(x0)
        k = cols / (t.to_units(x1) - u0)
        parts: list[list[NDArray[np.int64]]] = []
        left = 0
        for a, b, _ in t.pieces(x0, x1):
            right = cols if b >= x1 else min(cols, max(left, round((t.to_units(b) - u0) * k)))
            if right > left:
                parts.append(ix.coverages(strips, a, b, right - left))
            left = right
        return [np.concatenate([p[i] for p in parts]) for i in range(len(strips))]

    def lit_index(self) -> LaneIndex | None:
        """The lane index counting only search matches among the visible events, for strips: it
        shares the main index's structure and recounts (one ``set_mask``) when the search or the
        filter changes, not per frame."""
        if self.highlight is None or self.index is None:
            return None
        key = self._lit_key
        if key is None or key[0] is not self.index or key[1] is not self.highlight or key[2] is not self.visible:
            lit = copy.copy(self.index)
            lit.set_mask(self.highlight if self.visible is None else self.highlight & self.visible)
            self._lit = lit
            self._lit_key = (self.index, self.highlight, self.visible)
        return self._lit

    def _strip_lanes(self, width: float, x0: float, x1: float, capacity: float) -> list[bool]:
        """Which shown lanes draw as a density strip: those whose markers would pile up (more
        than ``CROWDED_PER_PX_ROW`` per pixel per sub-row, counting only the sub-rows a lane gets
        when ``capacity`` rows are shared by all lanes). Once one lane is a strip, lanes nearly
        as crowded follow, so a view does not mix strips with lanes of overlapping markers."""
        ix = self.index
        if ix is None or not self.shown:
            return []
        share = max(1.0, capacity / len(self.shown) - 0.3)
        rows = np.minimum(ix.nrows[self.shown].astype(np.float64), share)
        counts = np.array([ix.count(a, x0, x1) for a in self.shown], np.float64)
        crowd = counts / (max(width, 1.0) * np.maximum(rows, 1.0))
        strip = crowd > CROWDED_PER_PX_ROW
        if strip.any():
            strip |= crowd > CROWDED_PER_PX_ROW * FOLLOW_FRACTION
        return [bool(v) for v in strip]

    def actor_fill(self, a: int) -> QColor:
        """The colour of actor ``a``'s marks (the stream's lane, which has no actor: muted)."""
        return self.theme.fill(self.store.actor_colors[a]) if self.store is not None and a >= 0 else self.theme.muted

    def actor_ink(self, a: int) -> QColor:
        return self.theme.ink(self.store.actor_colors[a]) if self.store is not None and a >= 0 else self.theme.text

    def labels(self, f: Frame) -> LabelSet:
        """The frame's labels, numbers and key: laid out once per frame, without the selection or
        the hover (they are drawn on top, in place), so neither moves a label."""
        if f._labels is None:
            f._labels = self._lay_out_labels(self, f)
        return f._labels

    def copies(self, f: Frame) -> Copies:
        if f._copies is None:
            f._copies, f._echoes = self._marks(f)
        return f._copies

    def echoes(self, f: Frame) -> Echoes:
        if f._echoes is None:
            f._copies, f._echoes = self._marks(f)
        return f._echoes

    def _marks(self, f: Frame) -> tuple[Copies, Echoes]:
        s = self.store
        marker = [ld for ld in f.lanes if ld.density is None]
        e64, f64 = np.zeros(0, np.int64), np.zeros(0)
        no_echoes = Echoes(e64, e64, f64, f64, e64)
        if s is None or not marker:
            return Copies(e64, e64, e64, f64, e64.astype(np.int8), f64, f64, f64, e64, e64, e64), no_echoes
        idx = np.concatenate([ld.idx for ld in marker])
        lane = np.repeat(np.array([ld.pos for ld in marker], np.int64), [len(ld.idx) for ld in marker])
        row = np.concatenate([ld.rows for ld in marker]).astype(np.int64)
        lane_actor = np.repeat(np.array([ld.actor for ld in marker], np.int64), [len(ld.idx) for ld in marker])
        echoes = no_echoes
        if self.lanes is not None and self.lanes.shared and len(idx):
            # each event's mark in the first shown lane it has; dots in the others
            _, first = np.unique(idx, return_index=True)
            main = np.zeros(len(idx), bool)
            main[first] = True
            if not main.all():
                o = ~main
                cy_o = np.asarray(f.glyph_center_y(lane[o], row[o]), dtype=np.float64)  # type: ignore[arg-type]
                io = idx[o]
                x0 = np.maximum(f.px(s.start[io]), f.plot.left()) + 3
                x = np.where(s.kind[io] == INSTANT, f.px(s.start[io] + 0.5), x0)
                echoes = Echoes(io, lane[o], cy_o, np.asarray(x, np.float64), lane_actor[o])
            idx, lane, row, lane_actor = idx[main], lane[main], row[main], lane_actor[main]
        cy = np.asarray(f.glyph_center_y(lane, row), dtype=np.float64)  # type: ignore[arg-type]
        start = s.start[idx]
        kind = s.kind[idx]
        cx = f.px(start + 0.5)
        color = np.where(lane_actor >= 0, lane_actor, self.primary[idx])
        head, count = cluster_heads(lane * 4096 + row, cx, kind == INSTANT, f.glyph * 0.9)
        return Copies(idx, lane, row, cy, kind, f.px(start), f.px(s.end[idx]), cx, color, head, count), echoes

    # -- hit testing -------------------------------------------------------------------------

    def event_at(self, f: Frame, pt: QPointF) -> int:
        """The event whose label, number, mark or dot is under ``pt``; -1 if none. A cluster's mark
        gives its head (``cluster_members`` lists the rest)."""
        s = self.store
        if s is None or not f.plot.contains(pt):
            return -1
        ls = self.labels(f)
        for lab in ls.labels:
            if lab.rect.contains(pt):
                return lab.index
        for num in ls.numbers:
            if num.rect.adjusted(-2, -2, 2, 2).contains(pt):
                return num.index
        c = self.copies(f)
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
        e = self.echoes(f)
        if len(e.idx):
            d = np.hypot(e.x - pt.x(), e.cy - pt.y())
            k = int(np.argmin(d))
            if d[k] <= half:
                return int(e.idx[k])
        return -1

    def cluster_members(self, f: Frame, index: int) -> list[int]:
        """The events gathered under event ``index``'s mark in frame ``f`` (itself first), or [index]."""
        c = self.copies(f)
        at = np.flatnonzero(c.idx == index)
        if len(at) == 0:
            return [index]
        head = int(c.head[at[0]])
        members = np.flatnonzero(c.head == head)
        return [int(c.idx[head])] + [int(c.idx[m]) for m in members.tolist() if m != head]

    # -- cached glyph pixmaps ----------------------------------------------------------------

    def _pixmap(self, key: tuple[Any, ...], n: int, paint: Callable[[QPainter], None]) -> QPixmap:
        """An ``n``x``n`` device-pixel glyph drawn once: hundreds are then blitted in one call."""
        pm = self._pixmaps.get(key)
        if pm is None:
            pm = self._pixmaps[key] = QPixmap(n, n)
            pm.fill(Qt.GlobalColor.transparent)
            q = QPainter(pm)
            q.setRenderHint(QPainter.RenderHint.Antialiasing)
            q.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            paint(q)
            q.end()
        return pm

    def badge_pixmap(self, f: Frame, dpr: float) -> QPixmap:
        r = 5.5 * f.scale
        n = max(1, math.ceil((2 * r + 2 * max(1.0, f.scale)) * dpr))

        def paint(q: QPainter) -> None:
            q.scale(dpr, dpr)
            _badge(q, f, self, QPointF(n / dpr / 2, n / dpr / 2))

        return self._pixmap(("badge", f.scale, f.small.pixelSize(), dpr), n, paint)

    def marker_atlas(self, cells: list[tuple[str, QColor]], size: int, dpr: float) -> tuple[QPixmap, int]:
        """The glyphs ``cells`` side by side in one pixmap (cell k at x = k * n), so a frame's
        diamonds of every lane and colour go in one ``drawPixmapFragments``."""
        n = max(1, round(size * dpr))
        key = ("atlas", tuple((kind, color.rgba()) for kind, color in cells), size, dpr)
        pm = self._pixmaps.get(key)
        if pm is None:
            if len(self._pixmaps) > 200:
                self._pixmaps.clear()
            glyphs = [self.marker_pixmap(kind, color, size, dpr) for kind, color in cells]
            pm = self._pixmaps[key] = QPixmap(n * len(cells), n)
            pm.fill(Qt.GlobalColor.transparent)
            q = QPainter(pm)
            q.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
            for k, glyph in enumerate(glyphs):
                q.drawPixmap(k * n, 0, glyph)
            q.end()
        return pm, n

    def marker_pixmap(self, kind: str, color: QColor, size: int, dpr: float) -> QPixmap:
        n = max(1, round(size * dpr))
        bg = self.theme.background
        return self._pixmap(
            (kind, color.rgba(), size, dpr), n, lambda q: _marker(q, kind, color, bg, n / 2, n / 2, n, dpr)
        )


# -- drawing, one function per layer ------------------------------------------------------------


def _break_spans(f: Frame) -> list[tuple[float, float, float]]:
    """(left, right, days hidden) in device x of each axis break in view."""
    out = []
    for b in f.tmap.breaks:
        if b.end <= f.x0 or b.start >= f.x1:
            continue
        out.append((float(f.px(b.start)), float(f.px(b.end)), b.days))
    return out


def draw_events(p: QPainter, f: Frame, st: ViewState) -> None:
    """Density strips, span bars, period brackets, instant diamonds, discrepancy badges.

    Batched over all lanes at once, a few Qt calls per colour rather than per lane: dimmed
    events first (matches draw on top), and in each pass spans, then brackets, then diamonds.
    Lanes never overlap, so this draws the same picture as going lane by lane.
    """
    s = st.store
    if s is None:
        return
    th = st.theme
    dpr = _pixel_ratio(p)
    st.stats["frames"] += 1
    st.stats["density_lanes"] = 0
    st.stats["markers"] = 0
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    for ld in f.lanes:
        if ld.density is not None:
            color = st.actor_fill(ld.actor)
            if ld.lit is None:
                _draw_density(p, f, ld.density, f.density_range, color, ld.pos)
            else:  # a search: every event faded, as dimmed markers are, and the matches over them
                _draw_density(p, f, ld.density, f.density_range, color, ld.pos, fade=DIMMED_ALPHA)
                _draw_density(p, f, ld.lit, f.lit_range, color, ld.pos)
            st.stats["density_lanes"] += 1
    c = st.copies(f)
    drawn = np.flatnonzero(c.drawn)  # cluster members hide under their head's mark
    n = len(drawn)
    if n == 0:
        return
    st.stats["markers"] = n
    glyph = f.glyph
    idx, kind, cy, color = c.idx[drawn], c.kind[drawn], c.cy[drawn], c.color[drawn]
    lo, hi = f.plot.left() - 20, f.plot.right() + 20
    xa = np.clip(c.x0[drawn], lo, hi)
    xb = np.clip(np.maximum(c.x1[drawn], xa + 2), lo, hi)
    cxd = c.cx[drawn]
    qual = s.qualified[idx]
    bright = st.highlight[idx] if st.highlight is not None else np.ones(n, bool)
    if st.highlight is not None:  # a cluster is bright when any member matches
        lit_heads = c.head[st.highlight[c.idx]]
        bright |= np.isin(drawn, lit_heads)
    color = color + 1  # palette keys: actor + 1 (0: no actor, muted)
    colors = {int(a): st.actor_fill(int(a) - 1) for a in np.unique(color).tolist()}
    faded: dict[int, QColor] = {}
    for pos, col in colors.items():
        faded[pos] = QColor(col)
        faded[pos].setAlphaF(DIMMED_ALPHA)
    for lit in (False, True):  # dimmed first, so matches draw on top
        part = bright == lit
        if not part.any():
            continue
        palette = colors if lit else faded
        m = np.flatnonzero(part & (kind == SPAN))
        if len(m):
            _span_bars(p, xa[m], cy[m], xb[m], color[m], qual[m], glyph * 0.56, palette, f.scale)
        m = np.flatnonzero(part & (kind == PERIOD))
        if len(m):
            _period_brackets(p, xa[m], cy[m], xb[m], color[m], qual[m], glyph, palette, f.scale)
        m = np.flatnonzero(part & (kind == INSTANT))
        if len(m):
            m = m[np.argsort(qual[m], kind="stable")]  # hollow ones on top
            _instant_markers(p, st, cxd[m], cy[m], color[m], qual[m], palette, round(glyph), dpr)
    d = np.flatnonzero(s.has_discrepancy[idx])
    badge_parts: list[tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]] = []
    if len(d):
        right = np.where(kind[d] == INSTANT, cxd[d] + glyph / 2, xb[d])
        badge_parts.append((idx[d], np.asarray(right, np.float64), cy[d]))
    rings: list[tuple[int, int, int, float, float, float]] = []  # (lane, rank, index, x0, x1, cy)
    for rank, special in enumerate((st.selected, st.hovered)):
        if special is None:
            continue
        for j0 in np.flatnonzero(c.idx == special).tolist():
            j = int(np.searchsorted(drawn, c.head[j0]))  # a cluster member rings its head's mark
            x = float(cxd[j])
            a, b = (x - glyph / 2, x + glyph / 2) if kind[j] == INSTANT else (float(xa[j]), float(xb[j]))
            rings.append((int(c.lane[drawn[j]]), rank, special, a, b, float(cy[j])))
    rings.sort(key=lambda r: r[:2])  # lane by lane, the selection's ring under the hover's
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for _, _, special, a, b, cy0 in rings:
        pad = 3 * f.scale
        pen = QPen(th.highlight if special == st.selected else th.muted, 2 * f.scale)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(QRectF(a - pad, cy0 - glyph / 2 - pad, b - a + 2 * pad, glyph + 2 * pad), 3, 3)
    _badges(p, f, st, *_badge_spots(badge_parts, 10 * f.scale))
    heads = np.flatnonzero(c.count[drawn] > 1)
    if len(heads):
        _cluster_counts(p, f, st, cxd[heads] + glyph / 2, cy[heads], c.count[drawn][heads] - 1)


def density_range(lanes: list[LaneData], lit: bool = False) -> tuple[float, float]:
    """The counts (over every strip in the frame, so lanes compare) that map to the faintest and
    the fullest ink: low and high percentiles of the non-empty columns, so a few extreme columns
    neither wash out nor saturate everything else. ``lit``: of the search matches' strips."""
    strips = [ld.lit if lit else ld.density for ld in lanes]
    counts = [c[c > 0] for c in strips if c is not None]
    nz = np.concatenate(counts) if counts else np.zeros(0)
    if len(nz) == 0:
        return 1.0, 1.0
    lo, hi = np.percentile(nz, [2.0, 99.5])
    return float(lo), float(max(hi, lo))


def density_alpha(counts: NDArray[np.int64], lo: float, hi: float) -> NDArray[np.float64]:
    """Opacity per column on a log scale between ``lo`` and ``hi``: an empty column is clear,
    any event at all shows (at least ``MIN_INK``), and structure among thousands stays visible."""
    c = np.asarray(counts, dtype=np.float64)
    span = math.log(hi / lo) if hi > lo > 0 else 0.0
    t = np.clip(np.log(np.maximum(c, 1.0) / max(lo, 1.0)) / span, 0.0, 1.0) if span > 0 else np.ones(len(c))
    return np.where(c > 0, MIN_INK + (1.0 - MIN_INK) * t, 0.0)


def _draw_density(
    p: QPainter,
    f: Frame,
    counts: NDArray[np.int64],
    ink: tuple[float, float],
    color: QColor,
    pos: int,
    fade: float = 1.0,
) -> None:
    w = len(counts)
    alpha = density_alpha(counts, *ink) * fade
    r, g, b = color.red(), color.green(), color.blue()
    a8 = (alpha * 255).astype(np.uint32)
    pix = (a8 << 24) | ((r * a8 // 255) << 16) | ((g * a8 // 255) << 8) | (b * a8 // 255)
    buf = np.ascontiguousarray(pix.astype(np.uint32))
    img = QImage(buf.data, w, 1, w * 4, QImage.Format.Format_ARGB32_Premultiplied)
    geo = f.geometry
    y = geo.top[pos] + geo.pad
    h = geo.height[pos] - 2 * geo.pad
    if _pixel_ratio(p) is not None and abs(w - f.plot.width()) < 1:
        # one column per pixel: repeat the row down the strip (half the cost of scaling it)
        p.drawTiledPixmap(QRectF(f.plot.left(), y, w, h), QPixmap.fromImage(img))
    else:
        p.drawImage(QRectF(f.plot.left(), y, f.plot.width(), h), img)
    del buf


def _draw_runs(
    p: QPainter, method: Callable[..., None], klass: type, items: NDArray[np.float64], groups: NDArray[np.int64],
    style: Callable[[int], None],
) -> None:  # fmt: skip
    """Draw ``items`` (rows of floats laid out as ``klass``) in runs of equal ``groups`` (sorted):
    ``style(group)`` sets the pen and brush, then one Qt call draws the run from the array itself."""
    buf = np.ascontiguousarray(items, dtype=np.float64)
    base, size = buf.ctypes.data, buf.shape[1] * 8
    cut = np.flatnonzero(np.concatenate(([True], groups[1:] != groups[:-1], [True]))).tolist()
    for a, b in itertools.pairwise(cut):
        style(int(groups[a]))
        method(shiboken6.wrapInstance(base + a * size, klass), b - a)


def _span_bars(
    p: QPainter, xa: NDArray[np.float64], cy: NDArray[np.float64], xb: NDArray[np.float64], lane: NDArray[np.int64],
    qual: NDArray[np.bool_], h: float, colors: dict[int, QColor], scale: float,
) -> None:  # fmt: skip
    """Bars, one colour per lane; approximate ones lighter with a dashed outline."""
    group = lane * 2 + qual
    xa, cy, xb, group = _merge_runs(xa, cy, xb, group, touching=~qual)
    rects = np.column_stack([xa, cy - h / 2, xb - xa, np.full(len(xa), h)])
    width = max(1, round(1.2 * scale))  # whole pixels: the fast path

    def style(g: int) -> None:
        color = colors[g // 2]
        if g % 2:
            fill = QColor(color)
            fill.setAlphaF(color.alphaF() * 0.35)
            p.setPen(QPen(color, width, Qt.PenStyle.DashLine))
            p.setBrush(fill)
        else:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)

    _draw_runs(p, p.drawRects, QRectF, rects, group, style)


def _merge_runs(
    xa: NDArray[np.float64], cy: NDArray[np.float64], xb: NDArray[np.float64], group: NDArray[np.int64],
    *, touching: NDArray[np.bool_],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:  # fmt: skip
    """Bars overlapping on one row of one group merged into one, sorted by group: thousands of
    stacked spans in a dense lane would otherwise fill (or, dashed, stroke) the same pixels
    thousands of times. Bars that only touch are merged too where ``touching`` (solid fills look
    the same merged)."""
    order = np.lexsort((xa, cy, group))
    xa, cy, xb, group, touching = xa[order], cy[order], xb[order], group[order], touching[order]
    if len(xa) < 2:
        return xa, cy, xb, group
    row_start = np.concatenate(([True], (cy[1:] != cy[:-1]) | (group[1:] != group[:-1])))
    # running right edge within each row: offset rows apart so one cumulative max serves all
    row_id = np.cumsum(row_start) - 1
    offset = row_id * (float(np.max(xb) - np.min(xa)) + 10.0)
    reach = np.maximum.accumulate(xb + offset) - offset
    gap = np.where(touching[1:], xa[1:] > reach[:-1], xa[1:] >= reach[:-1])
    new = row_start | np.concatenate(([True], gap))
    first = np.flatnonzero(new)
    return xa[first], cy[first], np.maximum.reduceat(xb, first), group[first]


def _period_brackets(
    p: QPainter, xa: NDArray[np.float64], cy: NDArray[np.float64], xb: NDArray[np.float64], lane: NDArray[np.int64],
    qual: NDArray[np.bool_], glyph: float, colors: dict[int, QColor], scale: float,
) -> None:  # fmt: skip
    """A bracket as wide as the month or year, one colour per lane, dashed when approximate."""
    group = lane * 2 + qual
    order = np.argsort(group, kind="stable")
    xa, cy, xb, group = xa[order], cy[order], np.maximum(xb[order], xa[order] + 3), group[order]
    top = cy - glyph * 0.35
    bot = cy + glyph * 0.35
    lines = np.empty((3 * len(xa), 4))
    lines[0::3] = np.column_stack([xa, top, xb, top])
    lines[1::3] = np.column_stack([xa, top, xa, bot])
    lines[2::3] = np.column_stack([xb, top, xb, bot])
    width = max(1.0, 2.0 * scale)

    def style(g: int) -> None:
        pen = QPen(colors[g // 2], width, Qt.PenStyle.DashLine if g % 2 else Qt.PenStyle.SolidLine)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        p.setPen(pen)

    _draw_runs(p, p.drawLines, QLineF, lines, np.repeat(group, 3), style)


def _instant_markers(
    p: QPainter, st: ViewState, cx: NDArray[np.float64], cy: NDArray[np.float64], lane: NDArray[np.int64],
    qual: NDArray[np.bool_], colors: dict[int, QColor], size: int, dpr: float | None,
) -> None:  # fmt: skip
    """Diamonds, hollow when approximate, in the order given: on a raster device all of them in one
    call, from an atlas of the glyphs in use."""
    code = lane * 2 + qual
    if dpr is not None:
        used = np.unique(code).tolist()
        atlas, n = st.marker_atlas([("hollow" if k % 2 else "diamond", colors[k // 2]) for k in used], size, dpr)
        cell = np.zeros(int(code.max()) + 1, np.int64)
        cell[used] = np.arange(len(used))
        arr = PrimitiveArray(QPainter.PixmapFragment, 10)
        arr.resize(len(cx))
        m = arr.ndarray()
        m[:, 0] = cx
        m[:, 1] = cy
        m[:, 2] = cell[code] * n
        m[:, 3:6] = (0, n, n)
        m[:, 6:10] = (1 / dpr, 1 / dpr, 0.0, 1.0)
        p.drawPixmapFragments(*arr.drawargs(), atlas)
        return
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)  # as the cached pixmaps are drawn
    background = st.theme.background
    for x, y, k in zip(cx.tolist(), cy.tolist(), code.tolist(), strict=True):
        _marker(p, "hollow" if k % 2 else "diamond", colors[k // 2], background, x, y, size, 1.0)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)


def _pixel_ratio(p: QPainter) -> float | None:
    """Device pixels per drawing unit on a raster device (screen, image), where glyphs are blitted
    from cached pixmaps made at that resolution; None on a vector one (SVG, PDF, printer), where
    a pixmap would blur when zoomed or printed, so glyphs are drawn as shapes."""
    if not isinstance(p.device(), (QImage, QPixmap, QWidget)):
        return None
    t = p.deviceTransform()  # the device's pixel ratio and any scale set by the caller
    return math.hypot(t.m11(), t.m12()) or 1.0


def _marker(
    q: QPainter, kind: str, color: QColor, background: QColor, cx: float, cy: float, size: float, dpr: float
) -> None:
    """An instant's diamond (hollow when approximate), ``size`` device pixels across."""
    if kind == "diamond":
        q.setPen(QPen(background, max(1.0, dpr)))
        q.setBrush(color)
    else:
        q.setPen(QPen(color, max(1.5, 1.6 * dpr)))
        q.setBrush(background)
    q.drawPolygon(_diamond(cx, cy, size / 2 - max(1.0, dpr)))


def _fragments(p: QPainter, cx: NDArray[np.float64], cy: NDArray[np.float64], pm: QPixmap, dpr: float) -> None:
    arr = PrimitiveArray(QPainter.PixmapFragment, 10)
    arr.resize(len(cx))
    m = arr.ndarray()
    m[:, 0] = cx
    m[:, 1] = cy
    m[:, 2:6] = (0, 0, pm.width(), pm.height())
    m[:, 6:10] = (1 / dpr, 1 / dpr, 0.0, 1.0)
    p.drawPixmapFragments(*arr.drawargs(), pm)


def _badge_spots(
    parts: list[tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]], cell: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """One badge per event (its first lane), none where it would sit on another badge, capped."""
    if not parts:
        return np.zeros(0), np.zeros(0)
    idx = np.concatenate([q[0] for q in parts])
    x = np.concatenate([q[1] for q in parts])
    y = np.concatenate([q[2] for q in parts])
    _, first = np.unique(idx, return_index=True)
    first.sort()
    x, y = x[first], y[first]
    key = np.round(y).astype(np.int64) * 1_000_003 + np.floor(x / cell).astype(np.int64)
    _, one = np.unique(key, return_index=True)
    one.sort()
    x, y, key = x[one], y[one], key[one]
    # a badge right next to another would merge into a blob (``np.isin`` by one binary search)
    ordered = np.sort(key)
    at = np.minimum(np.searchsorted(ordered, key - 1), len(ordered) - 1)
    lone = ordered[at] != key - 1
    return x[lone][:MAX_BADGES], y[lone][:MAX_BADGES]


def _badges(p: QPainter, f: Frame, st: ViewState, xs: NDArray[np.float64], ys: NDArray[np.float64]) -> None:
    """A small "!" disc at the top-right of each event whose sources disagree."""
    if len(xs) == 0:
        return
    r = 5.5 * f.scale
    cx, cy = xs + r * 0.6, ys - f.glyph / 2
    dpr = _pixel_ratio(p)
    if dpr is not None:  # one blit from a cached glyph, as for markers
        _fragments(p, cx, cy, st.badge_pixmap(f, dpr), dpr)
        return
    for x, y in zip(cx.tolist(), cy.tolist(), strict=True):
        _badge(p, f, st, QPointF(x, y))


def _badge(p: QPainter, f: Frame, st: ViewState, c: QPointF) -> None:
    th = st.theme
    r = 5.5 * f.scale
    p.setPen(QPen(th.background, max(1.0, f.scale)))
    p.setBrush(QColor("#b8860b") if not th.dark else QColor("#f0c04a"))
    p.drawEllipse(c, r, r)
    font = QFont(f.small)
    font.setBold(True)
    font.setPixelSize(max(6, round(r * 1.7)))
    p.setPen(QColor("black") if th.dark else QColor("white"))
    p.setFont(font)
    p.drawText(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, "!")


def _cluster_counts(
    p: QPainter, f: Frame, st: ViewState, x: NDArray[np.float64], cy: NDArray[np.float64], more: NDArray[np.int64]
) -> None:
    """ "+3" right of a cluster's mark: that many more events share the spot (``count_width``)."""
    th = st.theme
    font = QFont(f.small)
    font.setBold(True)
    fm = QFontMetricsF(font)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    h = fm.height()
    for xx, yy, k in zip(x.tolist(), cy.tolist(), more.tolist(), strict=True):
        text = f"+{k}"
        w = fm.horizontalAdvance(text) + 4 * f.scale
        r = QRectF(xx + 1 * f.scale, yy - h / 2, w, h)
        p.setPen(QPen(th.muted, max(1.0, f.scale * 0.8)))
        p.setBrush(th.background)
        p.drawRoundedRect(r, h / 2, h / 2)
        p.setPen(th.text)
        st.draw_text(p, QPointF(r.left() + 2 * f.scale, r.top()), text, font)


def draw_connectors(p: QPainter, f: Frame, st: ViewState) -> None:
    """In "every actor" lanes: a thin line from a shared event's one mark through its other shown
    lanes, with a small dot in each, in that lane's actor's colour."""
    s = st.store
    if s is None:
        return
    e = st.echoes(f)
    if len(e.idx) == 0 or len(e.idx) > MAX_CONNECTORS:
        return
    c = st.copies(f)
    order = np.argsort(c.idx)
    at = order[np.searchsorted(c.idx, e.idx, sorter=order)]  # each dot's mark
    ys = np.concatenate([e.cy, c.cy[at]])
    who = np.concatenate([e.idx, e.idx])
    srt = np.argsort(who, kind="stable")
    uniq, first = np.unique(who[srt], return_index=True)
    ymin = np.minimum.reduceat(ys[srt], first)
    ymax = np.maximum.reduceat(ys[srt], first)
    mark = order[np.searchsorted(c.idx, uniq, sorter=order)]
    x = np.where(c.kind[mark] == INSTANT, c.cx[mark], np.maximum(c.x0[mark], f.plot.left()) + 3)
    half = f.glyph / 2
    col = QColor(st.theme.muted)
    col.setAlphaF(0.55)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    p.setPen(QPen(col, max(1.0, f.scale)))
    _draw_lines(p, np.column_stack([x, ymin + half, x, ymax - half * 0.4]))
    for special in (st.hovered, st.selected):
        for k in np.flatnonzero(uniq == special).tolist() if special is not None else []:
            p.setPen(QPen(st.theme.highlight if special == st.selected else st.theme.muted, 2 * f.scale))
            p.drawLine(QLineF(x[k], ymin[k] + half, x[k], ymax[k] - half * 0.4))
    # the dots: one colour per actor, a few calls
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    r = max(2.5, f.glyph * 0.24)
    dot_x = x[np.searchsorted(uniq, e.idx)]
    for a in np.unique(e.color).tolist():
        m = np.flatnonzero(e.color == a)
        p.setPen(QPen(st.theme.background, max(1.0, f.scale * 0.8)))
        p.setBrush(st.actor_fill(int(a)))
        for xx, yy in zip(dot_x[m].tolist(), e.cy[m].tolist(), strict=True):
            p.drawEllipse(QPointF(xx, yy), r, r)


AtlasKey = tuple[str, int, bool, int, float]  # text, pixel size, bold, colour, device pixel ratio


class TextAtlas:
    """Label texts drawn once into shared pixmaps, so a frame blits all its labels with one
    ``drawPixmapFragments`` per page instead of laying out glyphs label by label (~4x faster for
    a few hundred labels; a pan meets few new titles). Texts land on whole device pixels."""

    PAGE_W, PAGE_H, MAX_PAGES = 2048, 1024, 4
    PAD = 2  # device pixels around the advance: overhanging glyphs

    def __init__(self) -> None:
        self.pages: list[QPixmap] = []
        self.cells: dict[AtlasKey, tuple[int, int, int, int, int, int]] = {}  # page, x, y, w, h, pad above
        self._x = self._y = self._row = 0

    def clear(self) -> None:
        self.pages.clear()
        self.cells.clear()
        self._x = self._y = self._row = 0

    def draw(
        self, p: QPainter, items: list[tuple[QRectF, str, QColor]], font: QFont, dpr: float
    ) -> list[tuple[QRectF, str, QColor]]:
        """Draw each (rect, text, colour) with its text's top-left at the rect's, to the pixel;
        returns those that did not fit in the pages (the caller draws them itself)."""
        if not items:
            return []
        keys = [(text, font.pixelSize(), font.bold(), color.rgba(), dpr) for _, text, color in items]
        missing = [k for k in range(len(items)) if keys[k] not in self.cells]
        if missing and not self._render(font, dpr, [(keys[k], items[k][0].width(), items[k][2]) for k in missing]):
            self.clear()  # the pages are full: start afresh with this frame's texts
            self._render(font, dpr, [(k, item[0].width(), item[2]) for k, item in zip(keys, items, strict=True)])
        cells = [self.cells.get(k) for k in keys]
        fits = [k for k, c in enumerate(cells) if c is not None]
        if fits:
            table = np.array([cells[k] for k in fits], dtype=np.float64)
            page, sx, sy, w, h, pad_y = (table[:, j] for j in range(6))
            left = np.array([items[k][0].left() for k in fits]) * dpr
            top = np.array([items[k][0].top() for k in fits]) * dpr
            cx = (np.round(left) - self.PAD + w / 2) / dpr
            cy = (np.round(top) - pad_y + h / 2) / dpr
            for n in np.unique(page).astype(int).tolist():
                m = np.flatnonzero(page == n)
                arr = PrimitiveArray(QPainter.PixmapFragment, 10)
                arr.resize(len(m))
                a = arr.ndarray()
                a[:, 0], a[:, 1], a[:, 2], a[:, 3], a[:, 4], a[:, 5] = cx[m], cy[m], sx[m], sy[m], w[m], h[m]
                a[:, 6:10] = (1 / dpr, 1 / dpr, 0.0, 1.0)
                p.drawPixmapFragments(*arr.drawargs(), self.pages[n])
        return [item for item, c in zip(items, cells, strict=True) if c is None]

    def _render(self, font: QFont, dpr: float, todo: list[tuple[AtlasKey, float, QColor]]) -> bool:
        """Draw the texts ``todo`` into free cells; False when the pages ran out first."""
        fm = QFontMetricsF(font)
        complete = True
        pad_y = math.ceil(fm.height() * 0.5 * dpr)  # room for marks above and below the line
        h = math.ceil(fm.height() * dpr) + 2 * pad_y
        painter: QPainter | None = None
        page = -1
        for key, width, color in todo:
            if key in self.cells:
                continue
            w = min(self.PAGE_W, math.ceil(width * dpr) + 2 * self.PAD)
            if self._x + w > self.PAGE_W:
                self._x, self._y, self._row = 0, self._y + self._row, 0
            if not self.pages or self._y + h > self.PAGE_H:
                if len(self.pages) >= self.MAX_PAGES:
                    complete = False
                    break
                pm = QPixmap(self.PAGE_W, self.PAGE_H)
                pm.fill(Qt.GlobalColor.transparent)
                self.pages.append(pm)
                self._x = self._y = self._row = 0
            if page != len(self.pages) - 1:
                if painter is not None:
                    painter.end()
                page = len(self.pages) - 1
                painter = QPainter(self.pages[page])
                painter.setFont(font)
            assert painter is not None
            painter.setPen(color)
            st = QStaticText(key[0])
            st.setTextFormat(Qt.TextFormat.PlainText)
            painter.save()
            painter.translate(self._x + self.PAD, self._y + pad_y)
            painter.scale(dpr, dpr)
            st.prepare(painter.transform(), font)
            painter.drawStaticText(QPointF(0, 0), st)
            painter.restore()
            self.cells[key] = (page, self._x, self._y, w, h, pad_y)
            self._x += w
            self._row = max(self._row, h)
        if painter is not None:
            painter.end()
        return complete


LEGEND = (("diamond", "event"), ("bar", "span"), ("bracket", "month / year"),
          ("hollow", "approximate"), ("badge", "sources disagree"))  # fmt: skip


def legend_width(f: Frame, st: ViewState) -> float:
    w = 0.0
    for _, text in LEGEND:
        w += st.text_width(text, f.small) + f.glyph + 18 * f.scale
    return w + 4 * f.scale


def draw_overlay(p: QPainter, f: Frame, st: ViewState) -> None:
    """The legend (bottom right, in the footer strip) and the centred message."""
    th = st.theme
    width = legend_width(f, st) if f.footer else 0.0
    if f.footer and width < f.plot.width() * 0.8:
        x = f.plot.right() - width
        cy = f.plot.bottom() - f.footer / 2
        half = max(f.glyph, 11 * f.scale + 2, QFontMetricsF(f.small).height())
        box = QRectF(x - 2 * f.scale, cy - half, width + 2 * f.scale, 2 * half)
        st.cached(p, ("legend", st.serial, x, cy, f.scale, f.glyph, f.small.pixelSize()), box,
                  lambda q: _draw_legend(q, f, st, x, cy))  # fmt: skip
    if st.message:
        font = QFont(f.font)
        font.setPixelSize(round(f.font.pixelSize() * 1.25))
        p.setFont(font)
        p.setPen(th.muted)
        p.drawText(f.plot, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, st.message)


def _draw_legend(p: QPainter, f: Frame, st: ViewState, x: float, cy: float) -> None:
    th = st.theme
    g = f.glyph * 0.9
    ink = QColor(th.muted)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    fm = QFontMetricsF(f.small)
    for kind, text in LEGEND:
        p.setBrush(ink)
        p.setPen(Qt.PenStyle.NoPen)
        if kind == "diamond":
            p.drawPolygon(_diamond(x + g / 2, cy, g / 2))
        elif kind == "hollow":
            p.setBrush(th.background)
            p.setPen(QPen(ink, 1.5 * f.scale))
            p.drawPolygon(_diamond(x + g / 2, cy, g / 2 - 1))
        elif kind == "bar":
            p.drawRect(QRectF(x, cy - g * 0.28, g, g * 0.56))
        elif kind == "bracket":
            p.setPen(QPen(ink, 2 * f.scale))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPolyline(QPolygonF([QPointF(x, cy + g * 0.35), QPointF(x, cy - g * 0.35),
                                      QPointF(x + g, cy - g * 0.35), QPointF(x + g, cy + g * 0.35)]))  # fmt: skip
        else:
            _badge(p, f, st, QPointF(x + g / 2, cy))
            p.setFont(f.small)
        p.setPen(ink)
        st.draw_text(p, QPointF(x + g + 5 * f.scale, cy - fm.height() / 2), text, f.small)
        x += g + st.text_width(text, f.small) + 18 * f.scale


def _diamond(cx: float, cy: float, r: float) -> QPolygonF:
    return QPolygonF([QPointF(cx, cy - r), QPointF(cx + r, cy), QPointF(cx, cy + r), QPointF(cx - r, cy)])


def draw_gutter(p: QPainter, rect: QRectF, f: Frame, st: ViewState) -> None:
    """Lane names at the left, in the actor's colour, fixed while the time axis moves."""
    g = f.geometry
    key = ("gutter", st.serial, st.lane_mode, tuple(st.shown), g.top.tobytes(), g.height.tobytes(), g.pad, f.glyph,
           f.scale, f.bold.pixelSize(), rect.left(), rect.top(), rect.width(), rect.height())  # fmt: skip
    st.cached(p, key, rect, lambda q: _draw_gutter(q, rect, f, st))


def _draw_gutter(p: QPainter, rect: QRectF, f: Frame, st: ViewState) -> None:
    th = st.theme
    p.fillRect(rect, th.background)
    s = st.store
    if s is None:
        return
    g = f.geometry
    fm = QFontMetricsF(f.bold)
    for pos, lane in enumerate(st.shown):
        top, h = float(g.top[pos]), float(g.height[pos])
        if pos % 2 == 1:
            p.fillRect(QRectF(rect.left(), top, rect.width(), h), th.stripe)
        a = st.lane_actor(lane)
        p.fillRect(QRectF(rect.right() - 4 * f.scale, top + 1, 4 * f.scale, h - 2), st.actor_fill(a))
        p.setPen(st.actor_ink(a))
        name = s.actor_names[a] if a >= 0 else STREAM_NAME
        text = fm.elidedText(name, Qt.TextElideMode.ElideRight, rect.width() - 16 * f.scale)
        y = top + g.pad + f.glyph / 2 - fm.height() / 2
        y = min(y, top + h - fm.height())
        st.draw_text(p, QPointF(rect.left() + 8 * f.scale, y), text, f.bold)
    p.setPen(QPen(th.separator, 1))
    p.drawLines([QLineF(rect.left(), y, rect.right(), y) for y in g.top[1:].tolist()])


def draw_axis(p: QPainter, rect: QRectF, f: Frame, st: ViewState) -> None:
    """Tick marks and calendar labels under the plot (see core.ticks)."""
    th = st.theme
    p.fillRect(rect, th.background)
    p.setPen(QPen(th.separator, 1))
    p.drawLine(QLineF(f.plot.left(), rect.top() + 0.5, f.plot.right(), rect.top() + 0.5))
    tick = 6 * f.scale
    top = rect.top()
    p.setPen(QPen(th.muted, 1))
    for values, length in ((f.ticks.minor, tick * 0.5), ([t.value for t in f.ticks.major], tick)):
        if values:
            x = f.px(np.asarray(values, np.float64))
            _draw_lines(p, np.column_stack([x, np.full(len(x), top), x, np.full(len(x), top + length)]))
    p.setPen(th.text)
    p.setFont(f.small)
    measure = st.measure(f.small)
    y = top + tick + 2 * f.scale
    for t in f.ticks.major:
        if t.label:
            st.draw_text(p, QPointF(f.px(t.value) - measure(t.label) / 2, y), t.label, f.small, set_font=False)
    _draw_axis_breaks(p, rect, f, st)


def _break_gap(measure: Callable[[str], float]) -> float:
    """Room tick labels leave on either side of a break, for the length written under it."""
    return measure("0.0 yrs") / 2 + 2


def _hidden_text(days: float) -> str:
    years = days / 365.2425
    if years >= 1.5:
        return f"{years:.1f} yrs" if round(years, 1) < 3 else f"{years:.0f} yrs"
    return f"{days / 30.44:.0f} mo" if days >= 45 else f"{days:.0f} d"


def _draw_axis_breaks(p: QPainter, rect: QRectF, f: Frame, st: ViewState) -> None:
    """The axis line cut at each break with a "//" mark, and the length it hides under it."""
    th = st.theme
    measure = st.measure(f.small)
    y = rect.top() + 0.5
    last_end = -1e9  # right end of the last length written: two near breaks never overprint
    gap = 6 * f.scale
    for a, b, days in _break_spans(f):
        p.fillRect(QRectF(a, rect.top() - 1, b - a, 3), th.background)
        c = (a + b) / 2
        h = 5 * f.scale
        p.setPen(QPen(th.muted, max(1.0, 1.2 * f.scale)))
        for dx in (-2.5 * f.scale, 2.5 * f.scale):
            p.drawLine(QLineF(c + dx - h / 2, y + h, c + dx + h / 2, y - h))
        text = _hidden_text(days)
        w = measure(text)
        if w / 2 <= (b - a) / 2 + _break_gap(measure) - 4 and c - w / 2 >= last_end + gap:
            p.setPen(th.muted)
            st.draw_text(p, QPointF(c - w / 2, y + h + 3 * f.scale), text, f.small)
            last_end = c + w / 2


def _draw_lines(p: QPainter, lines: NDArray[np.float64]) -> None:
    """(x1, y1, x2, y2) rows in one ``drawLines`` straight from the array."""
    arr = PrimitiveArray(QLineF, 4)
    arr.resize(len(lines))
    arr.ndarray()[:] = lines
    p.drawLines(*arr.drawargs())


# -- graphics items ---------------------------------------------------------------------------


class Layer(pg.GraphicsObject):
    """Drawing layers as one child of the ViewBox, covering it; draws in device pixels. One item
    paints them all, in order, from one frame: the scene's cost is per item, not per layer."""

    def __init__(
        self, state: ViewState, draws: Sequence[Callable[[QPainter, Frame, ViewState], None]], z: float
    ) -> None:
        super().__init__()
        self._state = state
        self.draws = tuple(draws)
        self.setZValue(z)

    def boundingRect(self) -> QRectF:
        vb = self.parentItem()
        return QRectF(vb.boundingRect()) if vb is not None else QRectF()

    def geometry_changed(self) -> None:
        self.prepareGeometryChange()
        self.update()

    def paint(self, p: QPainter, *args: Any) -> None:
        vb = self.parentItem()
        if vb is None:
            return
        (u0, u1), _ = vb.viewRange()  # view units (core.scale); frames speak days
        if not u1 > u0:
            return
        t = self._state.tscale
        x0, x1 = float(t.to_days(u0)), float(t.to_days(u1))
        plot = p.transform().mapRect(QRectF(vb.boundingRect()))
        f = self._state.frame(plot, x0, x1, 1.0)
        p.save()
        p.resetTransform()
        p.setClipRect(plot)
        for draw in self.draws:  # each from the same painter state, as separate items would
            p.save()
            draw(p, f, self._state)
            p.restore()
        p.restore()


def _spare_label_rows(nrows: list[int], lanes: list[LaneData], capacity: float, line_share: float) -> list[int]:
    """Share the plot's height by the label room each lane needs, as empty rows for labels.

    A lane needs its rows plus, at most, a label line for each of its events (``line_share``: a
    label line's share of a row), as the label layout stacks them below the marks. Spare rows go
    to the lane with the most events per row that still needs room, so a lane of a few events keeps
    only what it uses and a crowded one gets the height its labels need; whatever is left after
    every need is met goes to the busiest lane. Costs a step per spare row, whatever the events.
    """
    spare = int(capacity - sum(nrows) - 0.3 * len(nrows))
    rows = list(nrows)
    if spare <= 0 or not rows:
        return rows
    events = [len(ld.idx) if ld.density is None else 0 for ld in lanes]
    need = [n + math.ceil(e * line_share) for n, e in zip(nrows, events, strict=True)]
    for _ in range(spare):
        best = max(range(len(rows)), key=lambda k: events[k] / rows[k] if rows[k] < need[k] else -1.0)
        if rows[best] >= need[best] or events[best] == 0:
            busiest = max(range(len(rows)), key=lambda k: events[k])
            if events[busiest]:
                rows[busiest] += spare - sum(rows) + sum(nrows)
            break
        rows[best] += 1
    return rows


SQUEEZE_TEXT = 0.5  # rows keep at least this share of a label line's height before lanes fold
