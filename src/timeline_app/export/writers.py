"""Writing an export to a file: the plan's pages in the format the file's name asks for (``png``,
``svg``, ``pdf``), rendered into memory first and written atomically, so a failure never leaves a
partial file behind; the notes of a fixed-size image go beside it as text."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from ..core.atomic import atomic_write_bytes
from ..ui.theme import Theme
from .device import begin
from .glyphs import missing_glyphs, missing_glyphs_message
from .options import ExportError, ExportOptions, ImageFormat, check_target, format_from_path
from .page import Renderable
from .page_texts import PageTexts, figure_text
from .pdf import pdf_bytes
from .plan import plan
from .png import png_bytes
from .svg import svg_bytes


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: ImageFormat
    width: int  # device pixels (PNG) or logical pixels at 96 dpi (SVG, PDF)
    height: int
    size_bytes: int
    extra: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        pages = int(self.extra.get("pages", "1"))
        what = f"{pages} pages, " if pages > 1 else ""
        size = f"{self.width} × {self.height} {self.format.value.upper()}, {_human_size(self.size_bytes)}"
        text = f"{self.path} ({what}{size})"
        if "sources" in self.extra:
            text += f"; the source notes did not fit the fixed size and are in {self.extra['sources']}"
        return text


def render_view_image(view: Renderable, width: int, height: int, scale: float = 1.0) -> QImage:
    """The bare drawing (no page around it), e.g. for the clipboard."""
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    image = QImage(*size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Theme.from_palette().background)
    painter = QPainter()
    begin(painter, image)
    try:
        painter.scale(scale, scale)
        view.render_to(painter, QRectF(0, 0, width, height))
    finally:
        painter.end()
    image.setDevicePixelRatio(scale)
    return image


def export_image(
    view: Renderable,
    path: str | os.PathLike[str],
    options: ExportOptions,
    texts: PageTexts,
) -> ExportResult:
    """Render the pages for ``view`` and write them to ``path``, atomically, in the format its
    extension names. Raises ``ExportError`` with a message for the user; an existing file at
    ``path`` is left untouched on failure. A fixed-size image whose notes do not go on it gets them
    beside it as ``NAME-sources.txt`` (named in ``ExportResult.extra["sources"]``)."""
    target = Path(path)
    fmt = format_from_path(target)
    check_target(target)
    planned = plan(view, texts, options, fmt)
    pages = 1
    if fmt is ImageFormat.PNG:
        data, width, height = png_bytes(planned.first, texts, options)
    elif fmt is ImageFormat.SVG:
        data, width, height = svg_bytes(planned.first, texts, options)
    else:
        data, width, height, pages = pdf_bytes(planned, texts, options)
    extra: dict[str, str] = {"pages": str(pages)}
    missing = missing_glyphs(figure_text(view, texts))
    if missing:
        extra["missing_glyphs"] = missing_glyphs_message(missing)
    try:
        atomic_write_bytes(target, data)
        if planned.sidecar is not None:
            side = sidecar_path(target)
            atomic_write_bytes(side, planned.sidecar.encode("utf-8"))
            extra["sources"] = str(side)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return ExportResult(target, fmt, width, height, len(data), extra)


def sidecar_path(target: Path) -> Path:
    return target.with_name(f"{target.stem}-sources.txt")


def _human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    units = ("KB", "MB", "GB")
    e = min(int(math.log(n, 1024)), len(units))
    return f"{n / 1024**e:.1f} {units[e - 1]}" if e else f"{n} B"
