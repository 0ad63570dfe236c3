"""Start the desktop application: ``timeline-app [FILE]`` ends up here (see cli.py)."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from .. import __version__
from ..resources import bundled_events
from .main_window import MainWindow
from .messages import Messages

log = logging.getLogger("timeline_app")

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


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
    app.setDesktopFileName("timeline-app")
    # No palette or style is forced: Qt follows the system's light or dark scheme, and the view
    # derives its colours from the palette (and re-derives them when it changes).
    return app


def run_app(file: str | None) -> int:
    """Open ``file`` (default: the bundled data set) in the main window and run until it closes."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
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
