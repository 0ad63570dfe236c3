"""Noticing that the open file changed on disk, however the editor saved it.

Editors save in two ways: write in place (the file changes) or write a temporary file and rename
it over the original (the watched inode disappears, so a plain file watch goes silent). Watching
the folder as well catches the rename; the file is re-added after every event. Bursts of events
(truncate, write, chmod, rename) are folded into one ``changed`` after a quiet spell, and only when
the file's signature (inode, size, mtime) really differs from the last one seen.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

DEBOUNCE_MS = 300

Signature = tuple[int, int, int] | None


def _signature(path: str) -> Signature:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class FileWatcher(QObject):
    """Emits ``changed(path)`` once per settled change of the watched file."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._poke)
        self._watcher.directoryChanged.connect(self._poke)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._settle)
        self._path: str | None = None
        self._seen: Signature = None

    @property
    def path(self) -> str | None:
        return self._path

    def watch(self, path: str | None) -> None:
        """Follow ``path`` (None: stop). The current contents count as seen."""
        self._timer.stop()
        for old in (*self._watcher.files(), *self._watcher.directories()):
            self._watcher.removePath(old)
        self._path = str(Path(path).absolute()) if path else None
        self._seen = None
        if self._path is None:
            return
        self._seen = _signature(self._path)
        folder = str(Path(self._path).parent)
        if os.path.isdir(folder):
            self._watcher.addPath(folder)
        self._rearm()

    def _rearm(self) -> None:
        if self._path is not None and self._path not in self._watcher.files() and os.path.exists(self._path):
            self._watcher.addPath(self._path)

    def _poke(self, _path: str) -> None:
        if self._path is not None:
            self._timer.start()  # restarts: the change is reported once things are quiet

    def _settle(self) -> None:
        if self._path is None:
            return
        self._rearm()
        now = _signature(self._path)
        if now is None or now == self._seen:
            return  # gone mid-rename (the folder event for its return will follow) or unchanged
        self._seen = now
        self.changed.emit(self._path)
