"""The window's key: under the timeline, every event the view shows as a number instead of a label,
by number, with its date as stated and its full title, so a reader can name every event at a glance
without hovering (the export's key does the same on paper).

It follows the view: whenever the view's frame changes (pan, zoom, resize, filters, data) it reads
the numbers of that very frame (``TimelineView.label_key``), a moment later so a drag repaints
first. Hovering an entry marks its event in the view; clicking it selects the event.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontInfo, QFontMetricsF, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QFrame, QScrollArea, QSizePolicy, QWidget

from ..core.label_key import KeyEntry
from .timeline_view import TimelineView

ENTRY_GAP = 14  # px between one entry's title and the next chip
MARGIN = 6
MAX_SHARE = 0.5  # of the window's centre: beyond it the key scrolls, the timeline keeps the rest
SETTLE_MS = 40  # after the view's last change, so a drag reads the key once it stops moving
KEY_TIP = "Events numbered on the timeline: hover one to find it there, click it to read it"


@dataclass(frozen=True, slots=True)
class _Placed:
    entry: KeyEntry
    chip: QRectF  # the number's chip
    words: tuple[tuple[float, float, str], ...]  # (x, baseline y, word) of its title
    rects: tuple[QRectF, ...]  # the entry's piece on each line it runs over: hit tests, highlight


class _KeyList(QWidget):
    """The entries as running text, the way a printed figure's key reads: each number's chip, then
    its full title, one after another in time order, wrapped over the whole width (as a list in
    columns it took twice the height at 1280 x 800, which the timeline's labels need)."""

    picked = Signal(int)  # store index
    hovered = Signal(int)  # store index; -1 when the pointer leaves an entry
    height_changed = Signal(int)  # the entries' height at the current width

    def __init__(self, view: TimelineView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view = view
        self._entries: list[KeyEntry] = []
        self._placed: list[_Placed] = []
        self._height = 0
        self._hover = -1
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_entries(self, entries: list[KeyEntry]) -> None:
        self._entries = entries
        self._relayout()

    def entries(self) -> list[KeyEntry]:
        return list(self._entries)

    def entry_rects(self) -> dict[int, QRectF]:
        """Store index -> the first piece of the entry (its chip and first words), widget pixels."""
        return {p.entry.index: QRectF(p.rects[0]) for p in self._placed}

    def content_height(self) -> int:
        return self._height

    def fonts(self) -> tuple[QFont, QFont]:
        font = QFont(self._view.font())  # the view's small text, as its axis and legend
        font.setPixelSize(max(6, round(QFontInfo(font).pixelSize() * 0.9)))
        chip = QFont(font)
        chip.setBold(True)
        return font, chip

    def _relayout(self) -> None:
        font, chip = self.fonts()
        fm, cm = QFontMetricsF(font), QFontMetricsF(chip)
        right = max(1, self.width()) - MARGIN
        line_h = max(fm.height(), cm.height() + 2) + 1
        space = fm.horizontalAdvance(" ")
        x, row = float(MARGIN), 0
        self._placed = []
        for e in self._entries:
            chip_w = cm.horizontalAdvance(str(e.number)) + 10
            words = e.title.split()
            if x > MARGIN:
                x += ENTRY_GAP
                # the chip stays with the title's first word
                if x + chip_w + 4 + fm.horizontalAdvance(words[0] if words else "") > right:
                    x, row = float(MARGIN), row + 1
            chip_rect = QRectF(x, MARGIN + row * line_h + 1, chip_w, line_h - 2)
            pieces: list[tuple[int, float, float]] = []  # row, x0, x1
            start = x
            x += chip_w + 4
            placed_words: list[tuple[float, float, str]] = []
            for k, w in enumerate(words):
                ww = fm.horizontalAdvance(w)
                if k and x + space + ww > right:
                    pieces.append((row, start, x))
                    x, row = float(MARGIN), row + 1
                    start = x
                elif k:
                    x += space
                placed_words.append((x, MARGIN + row * line_h + (line_h - fm.height()) / 2 + fm.ascent(), w))
                x += ww
            pieces.append((row, start, x))
            rects = tuple(QRectF(x0 - 2, MARGIN + r * line_h, x1 - x0 + 4, line_h) for r, x0, x1 in pieces)
            self._placed.append(_Placed(e, chip_rect, tuple(placed_words), rects))
        height = round((row + 1) * line_h + 2 * MARGIN) if self._entries else 0
        self.setFixedHeight(height)
        if height != self._height:
            self._height = height
            self.height_changed.emit(height)
        self.update()

    def resizeEvent(self, ev: QEvent) -> None:  # type: ignore[override]
        super().resizeEvent(ev)  # type: ignore[arg-type]
        self._relayout()

    def _at(self, pos: QPointF) -> int:
        for p in self._placed:
            if any(r.contains(pos) for r in p.rects):
                return p.entry.index
        return -1

    def mouseMoveEvent(self, ev: QMouseEvent) -> None:
        index = self._at(ev.position())
        if index != self._hover:
            self._hover = index
            self.setCursor(Qt.CursorShape.PointingHandCursor if index >= 0 else Qt.CursorShape.ArrowCursor)
            self.setToolTip(self._view.tooltip_text(index) if index >= 0 else KEY_TIP)
            self.hovered.emit(index)
            self.update()

    def leaveEvent(self, ev: QEvent) -> None:
        if self._hover >= 0:
            self._hover = -1
            self.hovered.emit(-1)
            self.update()
        super().leaveEvent(ev)

    def mousePressEvent(self, ev: QMouseEvent) -> None:
        index = self._at(ev.position())
        if index >= 0 and ev.button() == Qt.MouseButton.LeftButton:
            self.picked.emit(index)
            ev.accept()
            return
        super().mousePressEvent(ev)

    def set_hover(self, index: int) -> None:
        """The view's hover, marked here too."""
        if index != self._hover:
            self._hover = index
            self.update()

    def paintEvent(self, ev: QPaintEvent) -> None:
        th = self._view.theme()
        font, chip = self.fonts()
        selected = self._view.selected()
        p = QPainter(self)
        p.fillRect(self.rect(), th.background)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for placed in self._placed:
            e = placed.entry
            if e.index in (selected, self._hover):
                bg = QColor(th.highlight if e.index == selected else th.muted)
                bg.setAlphaF(0.22 if e.index == selected else 0.14)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(bg)
                for r in placed.rects:
                    p.drawRoundedRect(r, 3, 3)
            # the number as its chip in the view draws it: a rounded box with the actors' stripe
            box = placed.chip
            p.setPen(QPen(th.muted, 1.0))
            p.setBrush(th.background)
            p.drawRoundedRect(box, 3, 3)
            colors = self._view.actor_colors(e.index)
            if colors:
                h = (box.height() - 4) / len(colors)
                for k, c in enumerate(colors):
                    p.fillRect(QRectF(box.left() + 1.5, box.top() + 2 + k * h, 2, h), c)
            p.setPen(th.text)
            p.setFont(chip)
            p.drawText(box.adjusted(3, 0, 0, 0), Qt.AlignmentFlag.AlignCenter, str(e.number))
            p.setFont(font)
            for x, y, word in placed.words:
                p.drawText(QPointF(x, y), word)
        p.end()


class KeyPanel(QScrollArea):
    """The key under the timeline: hidden while the view numbers no event, scrolling beyond
    ``MAX_SHARE`` of its parent's height."""

    picked = Signal(int)  # store index: the reader clicked this entry

    def __init__(self, view: TimelineView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("key_panel")
        self._view = view
        self._list = _KeyList(view, self)
        self.setWidget(self._list)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._list.setToolTip(KEY_TIP)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.refresh)
        self._grow_only = False
        self._cause: tuple[object, ...] = ()  # what the view showed when the key last changed for it
        view.frame_changed.connect(self._timer.start)
        view.event_hovered.connect(self._list.set_hover)
        view.selection_changed.connect(self._list.update)
        self._list.picked.connect(self.picked)
        self._list.height_changed.connect(self._fit)
        self._list.hovered.connect(view.hover)
        self.setVisible(False)

    def entries(self) -> list[KeyEntry]:
        return self._list.entries()

    def entry_rects(self) -> dict[int, QRectF]:
        """Store index -> its entry's rectangle, in this panel's pixels (tests, hit tests)."""
        off = self._list.pos()
        return {i: r.translated(off.x(), off.y()) for i, r in self._list.entry_rects().items()}

    def refresh(self) -> None:
        """Read the view's current numbers."""
        self._timer.stop()
        entries = self._view.label_key() if self._view.isVisible() else []
        view = self._view
        cause = (view.view_range(), view.width(), view.content_changes)
        self._grow_only = cause == self._cause  # only our own height moved the view: see _fit
        self._cause = cause
        if entries != self._list.entries():
            self._list.set_entries(entries)  # its new height comes back through _fit
        self._fit(self._list.content_height())
        self.setVisible(bool(entries))

    def _fit(self, content: int) -> None:
        """As tall as the entries (up to ``MAX_SHARE`` of the centre). Our height moves the view's
        labels, hence its numbers, hence our height. While nothing but our own height has changed
        in the view (same range, width, data and filters) the key only grows, so that loop ends
        after a round or two instead of see-sawing; any other change lets it shrink again."""
        parent = self.parentWidget()
        cap = int(parent.height() * MAX_SHARE) if parent is not None else 10_000
        want = max(1, min(content, max(cap, 60)))
        if want == self.height() or (want < self.height() and self._grow_only):
            return
        self.setFixedHeight(want)
