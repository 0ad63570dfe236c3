"""Help (F1) and About This Data Set: what a new reader needs, written for readers.

The keyboard list is generated from the actions table (``actions.py``), so it never disagrees
with the menus. Everything here is our own text except the data set's title and description,
which are escaped (the help page is rich text) or shown as plain text.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ..core.store import EventStore
from .actions import ActionId, shortcut_rows
from .details_dock import dataset_description

MOUSE = (
    ("Wheel", "zoom in or out around the pointer"),
    ("Drag", "pan through time"),
    ("Shift+drag or right-drag", "zoom to the time range you draw"),
    ("Click an event", "read its sources in the Details panel"),
    ("Click the background", "clear the selection"),
)
SEARCH_KEYS = (
    ("Enter / Shift+Enter in the search box", "next / previous match"),
    ("Esc in the search box", "clear the search"),
    ("In story mode: ← / →, Home / End, Esc", "previous / next event, first / last event, leave"),
)
MARKS = (
    ("◆ a diamond", "an event on a known day"),
    ("▬ a bar", "an event that lasts: from its start to its end"),
    ("⊓ a bracket", "a date known only to the month or the year: as wide as that month or year"),
    ("◇ hollow, dashed", "an approximate or uncertain date"),
    ("! a badge", "the sources disagree about this event (the Details panel says how)"),
    ("→ an arrow", "a link from the selected event to a related one, labelled with the relation"),
    ("faded", "not a match for the search (matches keep their colour)"),
    ("a shaded strip", "more events than fit: the darker, the more events there"),
    ("bands at the top", "eras: the periods the data set names"),
)


def _table(rows: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='padding:2px 16px 2px 0'><b>{html.escape(a)}</b></td><td>{html.escape(b)}</td></tr>"
        for a, b in rows
    )
    return f"<table>{cells}</table>"


def help_html(actions: dict[ActionId, QAction]) -> str:
    """The help page: keys, mouse, search and story keys, marks."""
    return (
        "<h2>Reading the timeline</h2>"
        "<p>Each lane is an actor; time runs left to right. Click an event, or press → to step through the "
        "events in date order; View &gt; Story Mode reads them one at a time in large type.</p>"
        "<h3>Keyboard</h3>" + _table(shortcut_rows(actions)) + "<h3>Mouse</h3>" + _table(MOUSE) + "<h3>Search and "
        "story</h3>" + _table(SEARCH_KEYS) + "<h3>What the marks mean</h3>" + _table(MARKS)
    )


class HelpDialog(QDialog):
    """A non-modal window with the help page; F1 raises it again."""

    def __init__(self, parent: QWidget, actions: dict[ActionId, QAction]) -> None:
        super().__init__(parent)
        self.setObjectName("help_dialog")
        self.setWindowTitle("Timeline Help")
        self.setModal(False)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("help_text")
        self.browser.setOpenLinks(False)
        self.browser.setHtml(help_html(actions))
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(640, 640)

    def text(self) -> str:
        return self.browser.toPlainText()


def about_data_text(store: EventStore | None, path: str | None) -> str:
    """Plain text: the data set's title, its description, its size and its file."""
    if store is None:
        return "No data set is open. File > Open… opens one."
    parts = [" ".join(store.title.split())]
    description = dataset_description(store)
    parts.append(description or "The file gives no description of this data set.")
    n_sources = len(store.sources)
    size = f"{len(store):,} events, {len(store.actor_ids)} actors"
    if n_sources:
        size += f", {n_sources} sources"
    parts.append(size)
    if path:
        parts.append(f"File: {Path(path).name} (in {Path(path).parent})")
    return "\n\n".join(parts)
