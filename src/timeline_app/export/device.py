"""Drawing into memory: every format and the preview paint with the same hints, into a buffer,
so a file is written only once its bytes are whole (atomically, by ``writers``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPainter

from .options import ExportError


def begin(painter: QPainter, device: object) -> None:
    """Start ``painter`` on ``device`` with antialiasing; a device that refuses is an ``ExportError``."""
    if not painter.begin(device):  # type: ignore[arg-type]
        raise ExportError("could not start drawing the image (the output device refused)")
    painter.setRenderHints(
        QPainter.RenderHint.Antialiasing
        | QPainter.RenderHint.TextAntialiasing
        | QPainter.RenderHint.SmoothPixmapTransform
    )


@contextmanager
def memory() -> Iterator[QBuffer]:
    """An open, empty in-memory buffer for a writer (SVG, PDF) or an image to encode into."""
    buffer = QBuffer()
    buffer.setData(QByteArray())
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    try:
        yield buffer
    finally:
        buffer.close()
