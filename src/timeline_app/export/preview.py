"""The export dialog's preview: a page of the output drawn by the same plan the writers draw, only
smaller, so that what the reader sees is what will be written."""

from __future__ import annotations

from dataclasses import dataclass

import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtGui import QImage, QPainter

from ..ui.theme import Theme
from .device import begin
from .options import ExportOptions, ImageFormat
from .page import Renderable
from .page_texts import PageTexts
from .plan import plan

__all__ = ["Preview", "render_preview"]


@dataclass(frozen=True)
class Preview:
    image: QImage
    page: int  # shown, from 0
    pages: int
    width: int  # the output's size (device pixels for PNG, logical for SVG/PDF) of the page shown
    height: int
    sidecar: bool  # the notes go beside the image as text


def render_preview(
    view: Renderable,
    texts: PageTexts,
    options: ExportOptions,
    fmt: ImageFormat,
    *,
    page: int = 0,
    max_width: int = 640,
    max_height: int = 480,
) -> Preview:
    """Page ``page`` of the export, its figure drawn to fit ``max_width`` × ``max_height``: a notes
    panel an image grows below its figure continues below the box, at the same scale."""
    planned = plan(view, texts, options, fmt)
    page = max(0, min(page, len(planned.pages) - 1))
    chosen = planned.pages[page]
    k = min(max_width / chosen.width, max_height / min(chosen.height, float(options.height)))
    w, h = max(1, round(chosen.width * k)), max(1, round(chosen.height * k))
    image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Theme.from_palette().background)
    painter = QPainter()
    begin(painter, image)
    try:
        painter.scale(w / chosen.width, h / chosen.height)
        chosen.draw(painter)
    finally:
        painter.end()
    if fmt is ImageFormat.PNG:
        sx = options.pixel_size(fmt)[0] / options.width
        sy = options.pixel_size(fmt)[1] / options.height
        size = round(chosen.width * sx), round(chosen.height * sy)
    else:
        size = round(chosen.width), round(chosen.height)
    return Preview(image, page, len(planned.pages), size[0], size[1], planned.sidecar is not None)
