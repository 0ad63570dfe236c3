"""Start the desktop application: ``timeline-app [FILE]`` ends up here (see cli.py)."""

from __future__ import annotations

import faulthandler
import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TextIO

import appdirs
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from .. import __version__
from ..resources import bundled_events, resource
from .main_window import MainWindow
from .messages import Messages

log = logging.getLogger("timeline_app")

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]

LOG_DIR_ENV = "TIMELINE_APP_LOG_DIR"
LOG_FILE = "timeline-app.log"
CRASH_FILE = "crash.log"


def log_dir() -> Path:
    """Where logs go; ``TIMELINE_APP_LOG_DIR`` points tests and portable setups elsewhere."""
    override = os.environ.get(LOG_DIR_ENV)
    return Path(override) if override else Path(appdirs.user_log_dir("timeline-app"))


class FaultLog:
    """A hard crash (segfault in Qt, abort) leaves its Python stacks in ``crash.log`` via
    faulthandler; unexpected exceptions and warnings go to ``timeline-app.log``. Without a
    writable folder the app still runs, logging to stderr only."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else log_dir()
        self.handler: logging.FileHandler | None = None
        self._crash: TextIO | None = None
        self._was_enabled = faulthandler.is_enabled()  # say, by pytest: give it back on close
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._crash = open(self.folder / CRASH_FILE, "a", encoding="utf-8")  # noqa: SIM115 (held open)
            self.handler = logging.FileHandler(self.folder / LOG_FILE, encoding="utf-8", delay=True)
        except OSError as exc:
            log.warning("no log file in %s: %s", self.folder, exc)
            self.close()
            return
        self.handler.setLevel(logging.INFO)
        self.handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(self.handler)
        faulthandler.enable(self._crash, all_threads=True)

    @property
    def log_file(self) -> Path:
        return self.folder / LOG_FILE

    def close(self) -> None:
        if self._crash is not None:
            faulthandler.disable()
            if self._was_enabled and sys.__stderr__ is not None:
                faulthandler.enable(sys.__stderr__, all_threads=True)
            self._crash.close()
            self._crash = None
        if self.handler is not None:
            log.removeHandler(self.handler)
            self.handler.close()
            self.handler = None


def make_excepthook(messages: Messages) -> ExceptHook:
    """An exception escaping a Qt slot would otherwise only reach stderr (or abort): log it and
    show it in the Problems dock, with the details copyable for a bug report."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QCoreApplication.quit()
            return
        log.error("unexpected error", exc_info=(kind, exc, tb))
        details = "".join(traceback.format_exception(kind, exc, tb)).rstrip().splitlines()
        try:
            messages.error(f"Unexpected error: {kind.__name__}: {exc}", details)
        except Exception:  # the window is gone: logging is all that is left
            log.exception("could not show the error")

    return hook


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("timeline-app")
    app.setOrganizationName("timeline-app")
    app.setApplicationDisplayName("Timeline")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("timeline-app")  # matches the entry `timeline-app install-desktop` writes
    icon = resource("timeline-app.svg")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    # No palette or style is forced: Qt follows the system's light or dark scheme, and the view
    # derives its colours from the palette (and re-derives them when it changes).
    return app


def run_app(file: str | None) -> int:
    """Open ``file`` (default: the bundled data set) in the main window and run until it closes."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    faults = FaultLog()
    app = create_application()
    window = MainWindow()
    previous = sys.excepthook
    sys.excepthook = make_excepthook(window.messages)
    try:
        window.show()
        if file is not None:
            window.open_file(file)
        else:
            try:
                window.open_file(bundled_events())
            except FileNotFoundError as exc:
                window.messages.error("The bundled data set is missing", [str(exc)])
        return int(app.exec())
    finally:
        sys.excepthook = previous
        faults.close()
