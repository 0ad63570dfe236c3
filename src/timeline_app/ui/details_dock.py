"""The selected event in full: what happened, who, when, and the evidence behind it.

Every excerpt is shown as a quotation with its attribution, and disagreements between sources
(discrepancies) as a callout, because reading the sources is the point of the program. All text
from the data file is shown as plain text; only http(s) links get an "Open link" button.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QObject, QPoint, QRect, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QFont, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..core.corroboration import kind_label, store_corroboration
from ..core.dates import DateError, parse_date
from ..core.highlight import match_spans
from ..core.records import DiscrepancyRecord, EventRecord, ExcerptRecord, SourceRecord
from ..core.store import EventStore
from .plain_text import button_text, marked_html, plain_label, plain_tooltip, safe_url
from .theme import contrast

__all__ = ["EMPTY_TEXT", "DetailsDock", "marked_html", "plain_label", "plain_tooltip", "safe_url"]

Sources = Mapping[str, SourceRecord]  # the store's source table by id

EMPTY_TEXT = "Select an event to read its sources, or press → to step through the events."


def _published(source: SourceRecord) -> str | None:
    if not source.published:
        return None
    try:
        return parse_date(source.published).format()
    except DateError:
        return source.published


def attribution(source: SourceRecord | None, source_id: str, locator: str | None) -> str:
    """ "Title, Author, Publisher, 12 January 2018, p. 4 · wire copy": what a reader needs to find the
    quote, and what kind of source it is."""
    parts = [source.title, source.author, source.publisher, _published(source)] if source else [source_id]
    parts.append(locator)
    kind = kind_label(source)
    return "— " + ", ".join(p for p in parts if p) + (f" · {kind}" if kind else "")


def dataset_description(store: EventStore) -> str:
    """The data set's own description (what it is and how it was built); "" when it has none."""
    return " ".join(store.description.split())


class FlowLayout(QLayout):
    """Lays widgets out left to right, wrapping to new rows: actor chips never widen the dock."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        x, y, row_height = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and row_height > 0:
                x, y, row_height = rect.x(), y + row_height + self._gap, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y()


class ElidedButton(QPushButton):
    """A push button whose (plain) text is elided to the width it gets, instead of forcing the
    dock wider: related-event titles can be long."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = text
        self.setToolTip(plain_tooltip(text))
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(plain_tooltip(text))
        self.updateGeometry()
        self._elide()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        width = self.fontMetrics().horizontalAdvance(self._full) + 24
        return QSize(min(width, 480), hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(40, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        available = max(20, self.width() - 20)
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, available)
        self.setText(button_text(shown))


FIELD_WORDS = {
    "start": "The date",
    "end": "The end date",
    "date": "The date",
    "title": "The title",
    "summary": "What happened",
    "actors": "Who took part",
    "excerpts": "The sources",
    "tags": "The tags",
}


def field_words(field: str | None) -> str | None:
    """A discrepancy's field as a reader says it ("The date"), never the data's key ("start")."""
    if not field:
        return None
    words = FIELD_WORDS.get(field.strip().lower())
    return words or field.replace("_", " ").strip().capitalize() or None


Marks = Callable[[str], str | None]  # text -> rich text with the search's words marked, or None


def marked_label(text: str, parent: QWidget | None, marks: Marks | None, *, object_name: str | None = None) -> QLabel:
    """A plain label, or, when a search matches in ``text``, the escaped text with the matches marked."""
    label = plain_label(text, parent, object_name=object_name)
    rich = marks(text) if marks is not None else None
    if rich is not None:
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setText(rich)
    return label


def heading(text: str, parent: QWidget) -> QLabel:
    label = plain_label(text, parent)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    label.setContentsMargins(0, 8, 0, 0)
    return label


def actor_chips(parent: QWidget, store: EventStore, index: int) -> FlowLayout:
    """One coloured chip per actor of the event, wrapping to the width it gets."""
    row = FlowLayout()
    for a in store.actors_of(index):
        chip = plain_label(store.actor_names[int(a)], parent, wrap=False, object_name="actor_chip")
        bg = QColor(store.actor_colors[int(a)])
        fg = QColor("white") if contrast(QColor("white"), bg) >= contrast(QColor("black"), bg) else QColor("black")
        # Colours come from the validated #rrggbb palette, never from free text.
        chip.setStyleSheet(
            f"QLabel {{ background: {bg.name()}; color: {fg.name()}; border-radius: 8px; padding: 1px 8px; }}"
        )
        chip.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        row.addWidget(chip)
    return row


def _callout_colors(widget: QWidget) -> tuple[str, str]:
    dark = widget.palette().color(QPalette.ColorRole.Window).lightnessF() < 0.5
    return ("#4a3a12", "#e0a030") if dark else ("#fff3d6", "#c77c00")


def discrepancy_callout(
    parent: QWidget, items: Sequence[DiscrepancyRecord], sources: Sources, marks: Marks | None = None
) -> QFrame:
    """The "Sources disagree" callout: per point, what is disputed, the claim, the evidence, who says so."""
    box = QFrame(parent)
    box.setObjectName("discrepancy_callout")
    bg, border = _callout_colors(parent)
    box.setStyleSheet(
        f"QFrame#discrepancy_callout {{ background: {bg}; border-left: 4px solid {border}; border-radius: 3px; }}"
    )
    inner = QVBoxLayout(box)
    inner.setContentsMargins(10, 6, 8, 8)
    title = "⚠ Sources disagree" if len(items) == 1 else f"⚠ Sources disagree ({len(items)} points)"
    inner.addWidget(heading(title, box))
    for d in items:
        about = field_words(d.field)
        if about:
            what = plain_label(about, box, object_name="discrepancy_field")
            font = QFont(what.font())
            font.setBold(True)
            what.setFont(font)
            what.setContentsMargins(0, 4, 0, 0)
            inner.addWidget(what)
        inner.addWidget(marked_label(f"Claimed: {d.claim}", box, marks, object_name="discrepancy_claim"))
        inner.addWidget(marked_label(f"The evidence: {d.correction}", box, marks, object_name="discrepancy_correction"))
        if d.sources:
            names = [sources[s].title if s in sources else s for s in d.sources]
            who = plain_label("According to " + "; ".join(names), box, object_name="discrepancy_sources")
            who.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            inner.addWidget(who)
    return box


def excerpt_box(
    parent: QWidget,
    excerpt: ExcerptRecord,
    sources: Sources,
    open_url: Callable[[QUrl], object],
    marks: Marks | None = None,
) -> tuple[QFrame, QPushButton | None]:
    """A quotation, its attribution and (for http/https only) an "Open link" button."""
    box = QFrame(parent)
    box.setObjectName("excerpt")
    box.setStyleSheet("QFrame#excerpt { border-left: 3px solid palette(mid); }")
    inner = QVBoxLayout(box)
    inner.setContentsMargins(10, 2, 2, 2)
    inner.setSpacing(2)
    quote = marked_label(f"“{excerpt.quote}”", box, marks, object_name="excerpt_quote")
    font = QFont(quote.font())
    font.setItalic(True)
    quote.setFont(font)
    inner.addWidget(quote)
    source = sources.get(excerpt.source)
    credit = plain_label(attribution(source, excerpt.source, excerpt.locator), box, object_name="excerpt_attribution")
    credit.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    if source is not None and source.note:  # its standing: a disclaimer on its page, an inferred date
        credit.setToolTip(plain_tooltip(source.note))
    inner.addWidget(credit)
    url_text = source.url if source else None
    url = safe_url(url_text)
    button: QPushButton | None = None
    if url is not None:
        button = QPushButton("Open link", box)
        button.setObjectName("open_link")
        button.setToolTip(plain_tooltip(url.toDisplayString()))
        button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        button.clicked.connect(lambda _checked=False, u=url: open_url(u))
        inner.addWidget(button)
    elif url_text:
        inner.addWidget(plain_label(url_text, box, object_name="excerpt_url"))
    return box, button


class DetailsDock(QDockWidget):
    """Shows one event; emits ``related_clicked`` with the store index of a linked event."""

    related_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Details", parent)
        self.setObjectName("details_dock")
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl  # replaced in tests
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Text wraps to the dock's width; it never scrolls sideways.
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(self._scroll)
        self._link_buttons: list[QPushButton] = []
        self._related_buttons: list[ElidedButton] = []
        self.index: int | None = None
        # Building the body (word-wrapped labels) costs tens of ms: with an arrow key held down,
        # only the last event of an event-loop turn is built. Anything that reads the dock
        # (tests, accessibility) flushes first, so the deferral is never observable.
        self._pending: tuple[EventStore | None, int | None] | None = None
        self._rebuild = QTimer(self)
        self._rebuild.setSingleShot(True)
        self._rebuild.setInterval(0)
        self._rebuild.timeout.connect(self.flush)
        self._query = ""  # the search typed: its words are marked in what is shown
        self._shown: tuple[EventStore | None, int | None] = (None, None)
        self.show_event(None, None)
        self.flush()

    # -- public ------------------------------------------------------------------------------

    def show_event(self, store: EventStore | None, index: int | None) -> None:
        """Show ``index`` of ``store`` (None: the empty hint), built at the next event-loop turn."""
        self.index = index if store is not None else None
        self._pending = (store, index)
        if not self._rebuild.isActive():
            self._rebuild.start()

    def flush(self) -> None:
        """Build what ``show_event`` asked for now, if it is not built yet."""
        pending, self._pending = self._pending, None
        self._rebuild.stop()
        if pending is not None:
            self._shown = pending
            self._build(*pending)

    def set_query(self, query: str) -> None:
        """Mark ``query``'s words in the event shown (and in the events shown later)."""
        query = query.strip()
        if query == self._query:
            return
        self._query = query
        if self._pending is None and self._shown[1] is not None:
            self.show_event(*self._shown)

    def _marks(self, text: str) -> str | None:
        if not self._query:
            return None
        spans = match_spans(text, self._query)
        return marked_html(text, spans, self.palette()) if spans else None

    @property
    def link_buttons(self) -> list[QPushButton]:
        self.flush()
        return self._link_buttons

    @property
    def related_buttons(self) -> list[ElidedButton]:
        self.flush()
        return self._related_buttons

    def findChild(self, *args: object, **kwargs: object) -> object:  # type: ignore[override]
        self.flush()
        return super().findChild(*args, **kwargs)  # type: ignore[arg-type]

    def findChildren(self, *args: object, **kwargs: object) -> list[QObject]:  # type: ignore[override]
        self.flush()
        return super().findChildren(*args, **kwargs)  # type: ignore[arg-type]

    def _build(self, store: EventStore | None, index: int | None) -> None:
        self._link_buttons, self._related_buttons = [], []
        body = QWidget()
        body.setObjectName("details_body")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)
        if store is None or index is None:
            if store is not None:
                self._overview(layout, body, store)
            empty = plain_label(EMPTY_TEXT, body)
            empty.setObjectName("details_empty")
            empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            layout.addWidget(empty)
        else:
            self._fill(layout, body, store, index)
        layout.addStretch(1)
        self._scroll.setWidget(body)  # deletes the previous body
        self._scroll.verticalScrollBar().setValue(0)

    def texts(self) -> list[str]:
        """Every label's text, in order: what a reader sees (for tests and accessibility checks)."""
        self.flush()
        body = self._scroll.widget()
        return [w.text() for w in body.findChildren(QLabel) if w.text()] if body else []

    # -- building ----------------------------------------------------------------------------

    def _overview(self, layout: QVBoxLayout, body: QWidget, store: EventStore) -> None:
        """With nothing selected: what the data set is, in its own words."""
        title = plain_label(" ".join(store.title.split()), body, object_name="dataset_title")
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        title.setFont(font)
        layout.addWidget(title)
        description = dataset_description(store)
        if description:
            layout.addWidget(plain_label(description, body, object_name="dataset_description"))

    def _fill(self, layout: QVBoxLayout, body: QWidget, store: EventStore, index: int) -> None:
        title = marked_label(store.titles[index], body, self._marks, object_name="details_title")
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        title.setFont(font)
        layout.addWidget(title)
        date = plain_label(store.date_texts[index], body, object_name="details_date")
        date.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(date)
        status = plain_label(store_corroboration(store, index).text(), body, object_name="details_corroboration")
        status.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(status)
        layout.addLayout(self._chips(body, store, index))

        event = store.event(index)
        sources = store.source_by_id
        if event.summary:
            layout.addWidget(marked_label(event.summary, body, self._marks, object_name="details_summary"))
        if event.discrepancies:
            layout.addWidget(self._discrepancies(body, event.discrepancies, sources))
        layout.addWidget(self._heading(f"Sources ({len(event.excerpts)})" if event.excerpts else "No sources", body))
        for excerpt in event.excerpts:
            layout.addWidget(self._excerpt(body, excerpt, sources))
        if event.tags:
            layout.addWidget(plain_label("Tags: " + " · ".join(event.tags), body, object_name="details_tags"))
        if event.links:
            layout.addWidget(self._heading("Related events", body))
            layout.addWidget(self._related(body, event, store))

    def _heading(self, text: str, parent: QWidget) -> QLabel:
        return heading(text, parent)

    def _chips(self, parent: QWidget, store: EventStore, index: int) -> FlowLayout:
        return actor_chips(parent, store, index)

    def _discrepancies(self, parent: QWidget, items: Sequence[DiscrepancyRecord], sources: Sources) -> QFrame:
        return discrepancy_callout(parent, items, sources, self._marks)

    def _excerpt(self, parent: QWidget, excerpt: ExcerptRecord, sources: Sources) -> QFrame:
        box, button = excerpt_box(parent, excerpt, sources, lambda u: self.open_url(u), self._marks)
        if button is not None:
            self._link_buttons.append(button)
        return box

    def _related(self, parent: QWidget, event: EventRecord, store: EventStore) -> QWidget:
        box = QWidget(parent)
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(3)
        for link in event.links:
            target = store.index_of(link.to)
            name = store.titles[target] if target is not None else link.to
            button = ElidedButton(f"{link.relation}: {name}", box)
            button.setObjectName("related_event")
            button.setStyleSheet("QPushButton { text-align: left; padding: 3px 8px; }")
            button.setEnabled(target is not None)
            if target is not None:
                button.clicked.connect(lambda _checked=False, t=target: self.related_clicked.emit(t))
            col.addWidget(button)
            self._related_buttons.append(button)
        return box
