"""Story mode: the shown events one at a time, in reading type, above the timeline.

The story reads the events the filters show in date order (ties in file order), after a title
card. The window's own timeline stays below the card as the strip: it is zoomed to the current
event's neighbourhood, with that event centred and selected, so the reader always sees where
the event sits. The card lives in a dock at the top of the window; entering hides the other
docks and leaving puts the window back as it was, with the event read last selected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..core.reading_order import ReadingOrder, neighbourhood
from ..core.store import EventStore
from .details_dock import ElidedButton
from .plain_text import plain_tooltip
from .story_card import Related, card_texts, event_card, scaled, span_text, title_card

if TYPE_CHECKING:
    from .main_window import MainWindow

TITLE_CARD = -1  # the position of the title card, before the first event
NEIGHBOURS = 3  # the strip shows this many shown events either side of the current one
CARD_SHARE = 0.6  # of the window's height, for the card; the strip gets the rest
MIN_HALF = 20.0  # days either side of the current event, at least


class StoryPanel(QWidget):
    """The card (scrolling when long) and the navigation bar under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("story_panel")
        base = QFont(self.font())
        base.setPointSizeF(base.pointSizeF() * 1.15)
        self.setFont(base)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("story_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer.addWidget(self.scroll, 1)

        bar = QFrame(self)
        bar.setObjectName("story_bar")
        bar.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(bar)
        row.setContentsMargins(12, 6, 12, 6)
        self.previous = ElidedButton("", bar)
        self.previous.setObjectName("story_previous")
        self.position = QLabel(bar)
        self.position.setObjectName("story_position")
        self.position.setTextFormat(Qt.TextFormat.PlainText)
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.position.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        scaled(self.position, 1.1, bold=True)
        self.next = ElidedButton("", bar)
        self.next.setObjectName("story_next")
        self.leave = QPushButton("Leave story (Esc)", bar)
        self.leave.setObjectName("story_leave")
        self.leave.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        row.addWidget(self.previous, 1)
        row.addWidget(self.position)
        row.addWidget(self.next, 1)
        row.addSpacing(12)
        row.addWidget(self.leave)
        outer.addWidget(bar)
        self.body: QWidget | None = None

    def set_body(self, body: QWidget) -> None:
        self.scroll.setWidget(body)  # deletes the previous body
        self.scroll.verticalScrollBar().setValue(0)
        self.body = body

    def set_position_text(self, text: str) -> None:
        self.position.setText(text)
        width = self.position.fontMetrics().horizontalAdvance(text) + 32
        self.position.setFixedWidth(max(width, 120))

    @staticmethod
    def set_step(button: ElidedButton, text: str | None, tip: str) -> None:
        button.set_full_text(text or "")
        button.setEnabled(text is not None)
        button.setVisible(text is not None)
        button.setToolTip(plain_tooltip(tip) if text is not None else "")


class StoryMode(QObject):
    """Enters and leaves story mode on the window, and steps through the story."""

    changed = Signal(int)  # the position shown (TITLE_CARD for the title card)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.open_url = QDesktopServices.openUrl  # replaced in tests
        self.panel = StoryPanel()
        self.dock = QDockWidget("Story", window)
        self.dock.setObjectName("story_dock")
        self.dock.setTitleBarWidget(QWidget(self.dock))  # no title bar: the card is the window's top
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.dock.setAllowedAreas(Qt.DockWidgetArea.TopDockWidgetArea)
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, self.dock)
        self.dock.hide()
        self.panel.previous.clicked.connect(lambda: self.step(-1))
        self.panel.next.clicked.connect(lambda: self.step(1))
        self.panel.leave.clicked.connect(lambda: window.set_story_mode(False))
        self.active = False
        self.position = TITLE_CARD
        self.order = ReadingOrder(0)
        self.link_buttons: list[QPushButton] = []
        self.related_buttons: list[ElidedButton] = []
        self._saved_state: QByteArray | None = None
        self._saved_range: tuple[float, float] | None = None
        self._last_end = 0.0
        self._overview_shown = True

    # -- entering and leaving ----------------------------------------------------------------

    def enter(self) -> None:
        w = self._window
        if self.active or w.store is None:
            return
        self._saved_state = w.saveState()
        self._saved_range = w.view.view_range()
        for dock in w.findChildren(QDockWidget):
            if dock is not self.dock:
                dock.hide()
        self.dock.show()
        self._overview_shown = w.overview.isVisible()
        if w.height() < 900:  # a low screen: the lanes need the overview's room more (the bar says where we are)
            w.overview.hide()
        self.active = True
        self.refresh_order(keep=w.view.selected())
        # the card gets most of the height, the strip the rest (once the dock is laid out)
        QTimer.singleShot(0, self._size_card)
        self._size_card()

    def _size_card(self) -> None:
        if self.active:
            w = self._window
            share = CARD_SHARE if w.height() >= 900 else CARD_SHARE - 0.07  # a low screen: the lanes need room
            self._window.resizeDocks([self.dock], [int(w.height() * share)], Qt.Orientation.Vertical)

    def leave(self) -> int | None:
        """Put the window back as it was; return the event read last (None on the title card)."""
        if not self.active:
            return None
        w = self._window
        self.active = False
        self.dock.hide()
        w.overview.setVisible(self._overview_shown)
        if self._saved_state is not None:
            w.restoreState(self._saved_state)
        if self._saved_range is not None:
            w.view.set_view_range(*self._saved_range)
        return self.current()

    # -- the story ---------------------------------------------------------------------------

    def refresh_order(self, keep: int | None = None) -> None:
        """Read the events the filters show now; stay on ``keep`` (or the current event) if it is
        still shown, else on the next shown event after it."""
        w = self._window
        store = w.store
        if store is None:
            return
        current = keep if keep is not None else self.current()
        self.order = ReadingOrder(len(store), w.visible_mask)
        n = len(self.order)
        self._last_end = float(store.end[w.visible_mask].max()) if w.visible_mask is not None and n else 0.0
        if w.visible_mask is None and n:
            self._last_end = float(store.end.max())
        if not self.active:
            return
        position = TITLE_CARD
        if current is not None and n:
            found = self.order.first_at_or_after(current)
            position = found if found is not None else n - 1
        self.go(position)

    def saved_range(self) -> tuple[float, float] | None:
        """The normal view's range, kept while the story shows its own."""
        return self._saved_range if self.active else None

    def current(self) -> int | None:
        """The store index of the event shown; None on the title card."""
        return self.order.at(self.position) if self.position != TITLE_CARD else None

    def step(self, step: int) -> None:
        target = self.position + step
        n = len(self.order)
        if target < TITLE_CARD:
            self._window.statusBar().showMessage("This is the start of the story.", 4000)
            return
        if target >= n:
            self._window.statusBar().showMessage(
                f"The end of the story: {n} of {n}. ← goes back, Home to the first event, Esc leaves.", 6000
            )
            return
        self.go(target)

    def first(self) -> None:
        if len(self.order):
            self.go(0)

    def last(self) -> None:
        if len(self.order):
            self.go(len(self.order) - 1)

    def go(self, position: int) -> None:
        """Show ``position`` (TITLE_CARD or 0..len-1): the card, the bar and the strip."""
        w = self._window
        store = w.store
        if store is None or not self.active:
            return
        n = len(self.order)
        position = TITLE_CARD if n == 0 else max(TITLE_CARD, min(position, n - 1))
        self.position = position
        self.link_buttons, self.related_buttons = [], []
        body = QWidget()
        body.setObjectName("story_body")
        font = QFont(self.panel.font())  # reading type grows with the screen: x1 at 1280 px, x1.3 at 1920
        font.setPointSizeF(font.pointSizeF() * min(1.3, max(1.0, 1 + (self.panel.width() - 1280) / 2133)))
        body.setFont(font)
        layout = QVBoxLayout(body)
        side = max(24, min(96, (self.panel.width() - 1100) // 4 + 48))
        layout.setContentsMargins(side, 24, side, 16)
        layout.addStretch(1)  # a short card sits in the middle of its space, not at its top
        if position == TITLE_CARD:
            span = span_text(store, self.order.at(0), self._last_end) if n else ""
            card, begin = title_card(body, store, n, span, self.first)
            begin.setEnabled(n > 0)
            layout.addWidget(card)
            w.view.set_selected(None)
            w.view.fit_all()
            self.panel.set_position_text(f"{n} events" if n != 1 else "1 event")
        else:
            index = self.order.at(position)
            card, self.link_buttons, self.related_buttons = event_card(
                body, store, index, self._related(store, index), self.go, lambda u: self.open_url(u)
            )
            layout.addWidget(card)
            w.view.set_selected(index)
            w.view.set_view_range(*neighbourhood(store.start, store.end, self.order, position, NEIGHBOURS, MIN_HALF))
            self.panel.set_position_text(f"{position + 1} of {n}")
        layout.addStretch(1)
        self.panel.set_body(body)
        self._update_steps(store)
        self.changed.emit(position)

    def _update_steps(self, store: EventStore) -> None:
        p, n = self.position, len(self.order)
        if p == TITLE_CARD:
            self.panel.set_step(self.panel.previous, None, "")
        elif p == 0:
            self.panel.set_step(self.panel.previous, "←  Title card", "Back to the title card")
        else:
            i = self.order.at(p - 1)
            self.panel.set_step(
                self.panel.previous, f"←  {store.titles[i]} · {store.date_texts[i]}", f"Previous: {store.titles[i]}"
            )
        if p + 1 < n:
            i = self.order.at(p + 1)
            self.panel.set_step(
                self.panel.next, f"{store.titles[i]} · {store.date_texts[i]}  →", f"Next: {store.titles[i]}"
            )
        else:
            self.panel.set_step(self.panel.next, None, "")

    def _related(self, store: EventStore, index: int) -> list[Related]:
        out = []
        for link in store.event(index).links:
            target = store.index_of(link.to)
            if target is None:
                out.append(Related(link.relation, link.to, "", None))
                continue
            out.append(
                Related(link.relation, store.titles[target], store.date_texts[target], self.order.position(target))
            )
        return out

    def texts(self) -> list[str]:
        """What the card says, label by label (for tests and accessibility checks)."""
        return card_texts(self.panel.body)

    def open(self, url: QUrl) -> object:
        return self.open_url(url)
