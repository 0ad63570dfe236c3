"""The state every layer draws from: what the view shows (data, lane mode, filters, search,
selection, hover, time scale), caches of measured and rendered text, and the frames built from
it, kept per size and range so a repaint without a change rebuilds nothing."""

from __future__ import annotations

import copy
import math
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontInfo, QFontMetricsF, QPainter, QPixmap, QStaticText

from ..core.lane_index import LaneIndex
from ..core.lane_modes import DEFAULT_LANE_MODE, STREAM, LaneSet, check_lane_mode, lane_set, primary_actors
from ..core.scale import DEFAULT_SCALE, LINEAR, TimeScale, build_scale_shown
from ..core.store import EventStore
from .frame import Copies, Echoes, Frame, LabelSet
from .frame_build import build_frame, copies_and_echoes
from .glyphs import Glyphs, _pixel_ratio
from .text_atlas import TextAtlas
from .theme import Theme

if TYPE_CHECKING:
    from collections.abc import Callable


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
        self.glyphs = Glyphs()
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
        self.glyphs.clear()
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
            f = self._frames[key] = build_frame(self, plot, x0, x1, scale)
        return f

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
            f._copies, f._echoes = copies_and_echoes(self, f)
        return f._copies

    def echoes(self, f: Frame) -> Echoes:
        if f._echoes is None:
            f._copies, f._echoes = copies_and_echoes(self, f)
        return f._echoes
