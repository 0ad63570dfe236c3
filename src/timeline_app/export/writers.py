"""The file formats (PNG, SVG, PDF): every format is rendered into memory first and then written
atomically, so a failure never leaves a partial file behind."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from ..core.atomic import atomic_write_bytes
from ..ui.theme import Theme
from .options import ExportError, ExportOptions, ImageFormat, check_target, format_from_path
from .page import PageTexts, Renderable, render_page

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: ImageFormat
    width: int  # device pixels (PNG) or logical pixels at 96 dpi (SVG, PDF)
    height: int
    size_bytes: int
    extra: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        return f"{self.path} ({self.width} × {self.height} {self.format.value.upper()}, {_human_size(self.size_bytes)})"


def _begin(painter: QPainter, device: object) -> None:
    if not painter.begin(device):  # type: ignore[arg-type]
        raise ExportError("could not start drawing the image (the output device refused)")
    painter.setRenderHints(
        QPainter.RenderHint.Antialiasing
        | QPainter.RenderHint.TextAntialiasing
        | QPainter.RenderHint.SmoothPixmapTransform
    )


@contextmanager
def _memory() -> Iterator[QBuffer]:
    buffer = QBuffer()
    buffer.setData(QByteArray())
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    try:
        yield buffer
    finally:
        buffer.close()


def render_view_image(view: Renderable, width: int, height: int, scale: float = 1.0) -> QImage:
    """The bare drawing (no page around it), e.g. for the clipboard."""
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    image = QImage(*size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Theme.from_palette().background)
    painter = QPainter()
    _begin(painter, image)
    try:
        painter.scale(scale, scale)
        view.render_to(painter, QRectF(0, 0, width, height))
    finally:
        painter.end()
    image.setDevicePixelRatio(scale)
    return image


def _png(view: Renderable, texts: PageTexts, options: ExportOptions) -> bytes:
    w, h = options.pixel_size(ImageFormat.PNG)
    image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise ExportError(f"not enough memory for a {w} × {h} image: lower the size or the scale")
    image.fill(Theme.from_palette().background)
    painter = QPainter()
    _begin(painter, image)
    try:
        painter.scale(w / options.width, h / options.height)
        render_page(painter, QRectF(0, 0, options.width, options.height), view, texts)
    finally:
        painter.end()
    # Set after drawing: fonts sized in points would otherwise grow with the DPI *and* the scale.
    dots_per_meter = round(options.dpi(ImageFormat.PNG) / 0.0254)
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    image.setText("Title", texts.title)
    if texts.caption:
        image.setText("Description", texts.caption)
    image.setText("Software", "timeline-app")
    with _memory() as buffer:
        if not image.save(buffer, "PNG"):
            raise ExportError("could not encode the PNG image")
        return bytes(buffer.data().data())


def _svg(view: Renderable, texts: PageTexts, options: ExportOptions) -> bytes:
    with _memory() as buffer:
        generator = QSvgGenerator()  # SVG Tiny 1.2: no clipping, hence the margin masks in render_page
        generator.setOutputDevice(buffer)
        generator.setSize(QSize(options.width, options.height))
        generator.setViewBox(QRectF(0, 0, options.width, options.height))
        generator.setResolution(round(options.dpi(ImageFormat.SVG)))
        generator.setTitle(texts.title)
        generator.setDescription(texts.caption or "Exported by timeline-app")
        painter = QPainter()
        _begin(painter, generator)
        try:
            render_page(painter, QRectF(0, 0, options.width, options.height), view, texts)
        finally:
            painter.end()
        data = bytes(buffer.data().data())
    # Qt states the size in millimetres, which some renderers convert at 90 dpi: state the pixels.
    return _SVG_SIZE.sub(f'<svg width="{options.width}px" height="{options.height}px"'.encode(), data, count=1)


_SVG_SIZE = re.compile(rb'<svg\s+width="[^"]*"\s+height="[^"]*"')


def _pdf(view: Renderable, texts: PageTexts, options: ExportOptions) -> tuple[bytes, int, int]:
    with _memory() as buffer:
        writer = QPdfWriter(buffer)
        writer.setResolution(round(options.dpi(ImageFormat.PDF)))
        writer.setTitle(texts.title)
        writer.setCreator("timeline-app")
        if options.page is not None:
            size_id = QPageSize.PageSizeId.A4 if options.page == "A4" else QPageSize.PageSizeId.Letter
            page = QPageSize(size_id)
        else:  # a page exactly width × height pixels at 96 dpi, in points
            pts = QSizeF(options.width * 72 / 96, options.height * 72 / 96)
            page = QPageSize(pts, QPageSize.Unit.Point, "Custom", QPageSize.SizeMatchPolicy.ExactMatch)
        orientation = (
            QPageLayout.Orientation.Landscape if options.page is not None else QPageLayout.Orientation.Portrait
        )
        if not writer.setPageLayout(QPageLayout(page, orientation, QMarginsF(0, 0, 0, 0))):
            raise ExportError("the PDF page size was refused")
        painter = QPainter()
        _begin(painter, writer)
        try:
            w, h = writer.width(), writer.height()
            render_page(painter, QRectF(0, 0, w, h), view, texts)
        finally:
            painter.end()
        return bytes(buffer.data().data()), w, h


def export_image(
    view: Renderable,
    path: str | os.PathLike[str],
    options: ExportOptions,
    texts: PageTexts,
) -> ExportResult:
    """Render the page for ``view`` and write it to ``path``, atomically, in the format its
    extension names. Raises ``ExportError`` with a message for the user; an existing file at
    ``path`` is left untouched on failure."""
    target = Path(path)
    fmt = format_from_path(target)
    check_target(target)
    width, height = options.pixel_size(fmt)
    if fmt is ImageFormat.PNG:
        data = _png(view, texts, options)
    elif fmt is ImageFormat.SVG:
        data = _svg(view, texts, options)
    else:
        data, width, height = _pdf(view, texts, options)
    try:
        atomic_write_bytes(target, data)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return ExportResult(target, fmt, width, height, len(data))


def _human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    units = ("KB", "MB", "GB")
    e = min(int(math.log(n, 1024)), len(units))
    return f"{n / 1024**e:.1f} {units[e - 1]}" if e else f"{n} B"
