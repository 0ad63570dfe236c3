"""Loading a data set off the GUI thread, so a large file never freezes the window.

A load reads, validates and builds the store and search index in a pool thread, then reports
back (queued onto the GUI thread) with either everything the window needs or the located error
lines. Each request has a number; a newer request cancels an older one between stages and any
late result is dropped, so the last file asked for wins. Every format comes in through
``interop.open`` (one detector); an imported file carries the importer's warnings.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..core.bulk import LoadCancelled
from ..core.errors import TimelineLoadError
from ..core.load_process import LoaderDied
from ..core.search import SearchIndex, SourceCitations
from ..core.store import EventStore
from ..interop.detect import OPENABLE_SUFFIXES, FormatError
from ..interop.open import CsvOptions, open_prepared

__all__ = ["OPENABLE_SUFFIXES", "LoadFailed", "Loaded", "Loader", "load_data_set"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Loaded:
    path: str
    store: EventStore
    search: SearchIndex
    citations: SourceCitations
    warnings: tuple[str, ...] = ()  # what an importer left out; empty for our own format
    loaded_by: int = 0  # pid of the process that built the store (a child for big files)


@dataclass(frozen=True)
class LoadFailed:
    path: str
    title: str
    lines: list[str]


def load_data_set(
    path: str,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    csv: CsvOptions | None = None,
) -> Loaded | LoadFailed | None:
    """Everything the window needs for ``path``, or why it cannot be shown (None if cancelled).

    Never raises: whatever happens reaches the reader as located lines, not a traceback.
    """
    try:
        opened = open_prepared(path, progress, cancelled, csv)
        for warning in opened.warnings:
            log.info("importing %s (%s): %s", path, opened.format, warning)
        ready = opened.prepared
        return Loaded(path, ready.store, ready.search, ready.citations, opened.warnings, ready.loaded_by)
    except LoadCancelled:
        return None
    except LoaderDied as exc:
        return LoadFailed(path, f"{Path(path).name} could not be opened: the loader stopped", [f"{path}: {exc}"])
    except FormatError as exc:
        return LoadFailed(path, f"{Path(path).name} could not be opened", [str(exc)])
    except TimelineLoadError as exc:
        n = len(exc.issues)
        what = "a problem" if n == 1 else f"{n} problems"
        return LoadFailed(path, f"{Path(path).name} could not be opened: {what}", exc.lines())
    except Exception as exc:  # a bug or an exotic OS error: report it, keep the window alive
        log.exception("loading %s failed", path)
        lines = [f"{path}: {type(exc).__name__}: {exc}", *traceback.format_exc().rstrip().splitlines()]
        return LoadFailed(path, f"{Path(path).name} could not be opened: unexpected error", lines)


class _Job(QRunnable):
    def __init__(self, loader: Loader, number: int, path: str, csv: CsvOptions | None = None) -> None:
        super().__init__()
        self._loader, self._number, self._path, self._csv = loader, number, path, csv

    def run(self) -> None:
        loader, number = self._loader, self._number
        result = load_data_set(
            self._path,
            progress=lambda f: loader._progress.emit(number, f),
            cancelled=lambda: number != loader._latest,
            csv=self._csv,
        )
        loader._finished.emit(number, result)


class Loader(QObject):
    """Emits ``done`` with a :class:`Loaded` or :class:`LoadFailed` for the latest request only."""

    done = Signal(object)
    progress = Signal(float)
    _finished = Signal(int, object)  # emitted from the pool thread; queued to this object's thread
    _progress = Signal(int, float)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._latest = 0
        self._finished.connect(self._deliver)
        self._progress.connect(self._report)

    def load(self, path: str, csv: CsvOptions | None = None) -> None:
        """Load ``path`` (a spreadsheet with ``csv``'s column mapping, when given)."""
        self._latest += 1
        self._pool.start(_Job(self, self._latest, path, csv))

    def cancel(self) -> None:
        """Drop any load under way: it stops at its next stage and its result is discarded."""
        self._latest += 1

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)

    def _deliver(self, number: int, result: object) -> None:
        if number == self._latest and result is not None:
            self.done.emit(result)

    def _report(self, number: int, fraction: float) -> None:
        if number == self._latest:
            self.progress.emit(fraction)
