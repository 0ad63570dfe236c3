"""What story mode shows of one event (or of the data set, on its title card), in reading type.

Built from the details panel's own parts (actor chips, the "Sources disagree" callout, excerpts
with their attribution and Open link), at a larger size: story mode is the same evidence, read
one event at a time. Text from the data file is plain text throughout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ..core.dates import civil_from_days, year_label
from ..core.store import EventStore
from .details_dock import ElidedButton, actor_chips, dataset_description, discrepancy_callout, excerpt_box, heading
from .plain_text import plain_label

TITLE_SCALE = 2.1  # the headline, relative to the body text
BODY_SCALE = 1.25


def scaled(widget: QWidget, factor: float, *, bold: bool = False, italic: bool = False) -> None:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    if italic:
        font.setItalic(True)
    widget.setFont(font)


def relation_words(relation: str) -> str:
    """ "followed by" -> "Followed by": a link's relation as the start of a sentence."""
    text = " ".join(relation.split())
    return text[:1].upper() + text[1:]


def span_text(store: EventStore, first: int, last_end: float) -> str:
    """The years the shown events cover, "2001 – 2021" (one year: "2019")."""
    a = civil_from_days(int(store.start[first] // 1))[0]
    b = civil_from_days(int((last_end - 1) // 1))[0]
    return year_label(a) if a == b else f"{year_label(a)} – {year_label(b)}"


@dataclass
class Related:
    """A link of the shown event: the relation, the target's title and date, and where it is in
    the story (None: the filters hide it, or the data names an event that does not exist)."""

    relation: str
    title: str
    date: str
    position: int | None


def title_card(
    parent: QWidget, store: EventStore, shown: int, span: str, begin: Callable[[], None]
) -> tuple[QWidget, QPushButton]:
    """The data set's title, its date span and event count, its description and a Begin button."""
    card = QWidget(parent)
    card.setObjectName("story_title_card")
    col = QVBoxLayout(card)
    col.setContentsMargins(0, 0, 0, 0)
    col.setSpacing(12)
    col.addStretch(1)
    title = plain_label(" ".join(store.title.split()), card, object_name="story_dataset_title")
    scaled(title, TITLE_SCALE * 1.1, bold=True)
    col.addWidget(title)
    count = f"{shown} events" if shown == len(store) else f"{shown} of {len(store)} events (filtered)"
    when = plain_label(f"{span} · {count}", card, object_name="story_span")
    scaled(when, BODY_SCALE)
    when.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    col.addWidget(when)
    description = dataset_description(store)
    if description:
        text = plain_label(description, card, object_name="story_description")
        scaled(text, BODY_SCALE)
        col.addWidget(text)
    row = QHBoxLayout()
    button = QPushButton("Begin the story  →", card)
    button.setObjectName("story_begin")
    scaled(button, BODY_SCALE)
    button.clicked.connect(lambda _checked=False: begin())
    button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    row.addWidget(button)
    row.addStretch(1)
    col.addLayout(row)
    col.addStretch(2)
    return card, button


def event_card(
    parent: QWidget,
    store: EventStore,
    index: int,
    related: list[Related],
    go: Callable[[int], None],
    open_url: Callable[[QUrl], object],
) -> tuple[QWidget, list[QPushButton], list[ElidedButton]]:
    """Headline, date, chips, summary, the disagreement and the relations on the left; the
    sources on the right. Returns the card, its Open link buttons and its relation buttons."""
    card = QWidget(parent)
    card.setObjectName("story_event_card")
    card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # no taller than it needs
    row = QHBoxLayout(card)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(28)
    left = QVBoxLayout()
    left.setSpacing(10)
    right = QVBoxLayout()
    right.setSpacing(10)
    row.addLayout(left, 11)
    row.addLayout(right, 9)

    date = plain_label(store.date_texts[index], card, object_name="story_date")
    scaled(date, BODY_SCALE, bold=True)
    date.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    left.addWidget(date)
    title = plain_label(store.titles[index], card, object_name="story_title")
    scaled(title, TITLE_SCALE, bold=True)
    left.addWidget(title)
    left.addLayout(actor_chips(card, store, index))

    event = store.event(index)
    sources = store.source_by_id
    links: list[QPushButton] = []
    relation_buttons: list[ElidedButton] = []
    if event.summary:
        summary = plain_label(event.summary, card, object_name="story_summary")
        scaled(summary, BODY_SCALE)
        left.addWidget(summary)
    if event.discrepancies:
        left.addWidget(discrepancy_callout(card, event.discrepancies, sources))
    for rel in related:
        text = f"{relation_words(rel.relation)}: {rel.title}" + (f" ({rel.date})" if rel.date else "")
        button = ElidedButton(text, card)
        button.setObjectName("story_related")
        button.setFlat(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setStyleSheet(
            "QPushButton { text-align: left; padding: 3px 4px; color: palette(link); }"
            "QPushButton:disabled { color: palette(placeholder-text); }"
        )
        button.setEnabled(rel.position is not None)
        if rel.position is not None:
            button.clicked.connect(lambda _checked=False, k=rel.position: go(k))
        else:
            button.setToolTip("Not in the story: hidden by the filters")
        left.addWidget(button)
        relation_buttons.append(button)
    right.addWidget(heading(f"Sources ({len(event.excerpts)})" if event.excerpts else "No sources", card))
    for excerpt in event.excerpts:
        box, link = excerpt_box(card, excerpt, sources, open_url)
        right.addWidget(box)
        if link is not None:
            links.append(link)
    left.addStretch(1)
    right.addStretch(1)
    _reading_size(card)
    return card, links, relation_buttons


def _reading_size(card: QWidget) -> None:
    """The details panel's parts (callout, excerpts) set style sheets, which keep them at the
    application's font size: bring them up to the card's reading size (credits a little smaller)."""
    base = card.font().pointSizeF()
    for w in card.findChildren(QWidget):
        if w.font().pointSizeF() < base * 0.99:
            font = QFont(w.font())
            small = w.objectName() in ("excerpt_attribution", "discrepancy_sources", "excerpt_url")
            font.setPointSizeF(base * (0.9 if small else 1.0))
            w.setFont(font)


def card_texts(card: QWidget | None) -> list[str]:
    """Every label's text on a card, in order (what a reader sees; for tests)."""
    return [w.text() for w in card.findChildren(QLabel) if w.text()] if card is not None else []
