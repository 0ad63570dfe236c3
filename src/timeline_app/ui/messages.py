"""The one path by which errors and notices reach the reader, without blocking.

Errors (a file that will not load, an unexpected exception) go to a "Problems" dock listing
located lines such as ``events.json:12:5: $.events[3].start: ...``; each line can be selected and
copied, and "Copy all" copies the lot. An error given a ``key`` (say, the file being watched)
replaces the earlier one with that key and goes away when ``resolve(key)`` says it is fixed.
Warnings (what an import or export could not carry) are listed the same way, marked with a
warning icon rather than an error one: the job succeeded, but the reader should know what was
lost. Notices (settings reset, file reloaded) go to the status bar.
Nothing here calls ``exec()``, so tests and headless runs never hang, and ``history`` records
everything shown so tests can assert it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import Enum

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

NOTICE_MS = 12_000


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


@dataclass(frozen=True)
class Message:
    level: Level
    title: str
    lines: list[str] = field(default_factory=list)


class MessageDock(QDockWidget):
    """A list of problems: a bold heading per error or warning, then its located lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Problems", parent)
        self.setObjectName("problems_dock")
        body = QWidget(self)
        self.list = QListWidget(body)
        self.list.setObjectName("problems_list")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        copy = QAction("Copy", self.list)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selected)
        self.list.addAction(copy)
        copy_all_action = QAction("Copy all", self.list)
        copy_all_action.triggered.connect(self.copy_all)
        self.list.addAction(copy_all_action)

        self.copy_all_button = QPushButton("Copy all", body)
        self.copy_all_button.clicked.connect(self.copy_all)
        self.clear_button = QPushButton("Clear", body)
        self.clear_button.clicked.connect(self.clear)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_all_button)
        buttons.addWidget(self.clear_button)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.setWidget(body)
        self._keyed: dict[str, list[QListWidgetItem]] = {}

    def add(self, message: Message, key: str | None = None) -> None:
        if key is not None:
            self.remove(key)
        heading = QListWidgetItem(message.title)
        icon = (
            QStyle.StandardPixmap.SP_MessageBoxWarning
            if message.level is Level.WARNING
            else QStyle.StandardPixmap.SP_MessageBoxCritical
        )
        heading.setIcon(QApplication.style().standardIcon(icon))
        font = QFont(heading.font())
        font.setBold(True)
        heading.setFont(font)
        items = [heading, *(QListWidgetItem(line) for line in message.lines)]
        for item in items:
            self.list.addItem(item)
        if key is not None:
            self._keyed[key] = items
        self.list.scrollToBottom()

    def remove(self, key: str) -> bool:
        """Take away the lines added under ``key``; True if there were any."""
        items = self._keyed.pop(key, None)
        if not items:
            return False
        for item in items:
            self.list.takeItem(self.list.row(item))
        return True

    def lines(self) -> list[str]:
        return [self.list.item(k).text() for k in range(self.list.count())]

    def copy_all(self) -> None:
        QGuiApplication.clipboard().setText("\n".join(self.lines()))

    def copy_selected(self) -> None:
        rows = sorted(self.list.row(item) for item in self.list.selectedItems())
        if rows:
            QGuiApplication.clipboard().setText("\n".join(self.list.item(r).text() for r in rows))

    def clear(self) -> None:
        self.list.clear()
        self._keyed.clear()
        self.hide()


class Messages(QObject):
    """Shows errors and warnings in the Problems dock and notices in the status bar; records all."""

    shown = Signal(object)  # Message

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.dock = MessageDock(window)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.history: list[Message] = []
        self.active: dict[str, Message] = {}  # keyed errors and warnings still standing
        self.dock.clear_button.clicked.connect(self.active.clear)

    def resolve(self, key: str) -> bool:
        """The problem under ``key`` is fixed: remove it; hide the dock if nothing is left."""
        self.active.pop(key, None)
        if not self.dock.remove(key):
            return False
        if self.dock.list.count() == 0:
            self.dock.hide()
        return True

    def error(self, title: str, lines: list[str] | None = None, *, key: str | None = None) -> None:
        """Show an error; with ``key``, in place of the previous error with that key."""
        self._list(Message(Level.ERROR, title, list(lines or [])), key)

    def warning(self, title: str, lines: list[str] | None = None, *, key: str | None = None) -> None:
        """Show what a job that succeeded had to leave out; ``key`` as for :meth:`error`."""
        self._list(Message(Level.WARNING, title, list(lines or [])), key)

    def _list(self, message: Message, key: str | None) -> None:
        title = message.title
        log.warning("%s%s", title, "".join(f"\n  {line}" for line in message.lines))
        self.history.append(message)
        if key is not None:
            self.active[key] = message
        self.dock.add(message, key)
        if not self.dock.isVisible():
            self.dock.show()
            if not self.dock.isFloating():
                height = max(140, min(260, self._window.height() // 4))
                self._window.resizeDocks([self.dock], [height], Qt.Orientation.Vertical)
        self.dock.raise_()
        self._window.statusBar().showMessage(title, NOTICE_MS)
        self.shown.emit(message)

    def notice(self, text: str) -> None:
        message = Message(Level.NOTICE, text)
        log.info("%s", text)
        self.history.append(message)
        self._window.statusBar().showMessage(text, NOTICE_MS)
        self.shown.emit(message)

    def errors(self) -> list[Message]:
        return [m for m in self.history if m.level is Level.ERROR]

    def warnings(self) -> list[Message]:
        return [m for m in self.history if m.level is Level.WARNING]

    def notices(self) -> list[Message]:
        return [m for m in self.history if m.level is Level.NOTICE]
