"""PNG: the planned page drawn into an opaque image at the output's pixel size (a paper preset at
its DPI), with the DPI and the figure's metadata stored in the file's text chunks."""

from __future__ import annotations

import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtGui import QImage, QPainter

from ..ui.theme import Theme
from .device import begin, memory
from .options import MAX_PIXELS, ExportError, ExportOptions, ImageFormat
from .page_texts import PageTexts
from .plan import PlannedPage

PNG_QUALITY = 80  # Qt's PNG quality: 80 is a fast zlib level (1.5-2x faster than the default, smaller)


def png_bytes(page: PlannedPage, texts: PageTexts, options: ExportOptions) -> tuple[bytes, int, int]:
    """The encoded PNG of ``page`` and its size in pixels."""
    pw, ph = options.pixel_size(ImageFormat.PNG)
    sx, sy = pw / options.width, ph / options.height
    w, h = pw, round(page.height * sy)
    if w * h > MAX_PIXELS:
        raise ExportError(
            f"{w} × {h} pixels (the figure and its notes) is too large: lower the size or the scale, "
            "or keep the size exact (the notes then go beside the image as text)"
        )
    # Opaque (the page has a background): RGB32 encodes as 3 channels, a quarter less to compress.
    image = QImage(w, h, QImage.Format.Format_RGB32)
    if image.isNull():
        raise ExportError(f"not enough memory for a {w} × {h} image: lower the size or the scale")
    image.fill(Theme.from_palette().background)
    painter = QPainter()
    begin(painter, image)
    try:
        painter.scale(sx, sy)
        page.draw(painter)
    finally:
        painter.end()
    # Set after drawing: fonts sized in points would otherwise grow with the DPI *and* the scale.
    dots_per_meter = round(options.dpi_of(ImageFormat.PNG) / 0.0254)
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    for key, value in _metadata_pairs(texts):
        image.setText(key, value)
    with memory() as buffer:
        if not image.save(buffer, "PNG", PNG_QUALITY):
            raise ExportError("could not encode the PNG image")
        return bytes(buffer.data().data()), w, h


def _metadata_pairs(texts: PageTexts) -> list[tuple[str, str]]:
    meta = texts.metadata
    pairs = meta.pairs() if meta is not None else [("Title", texts.title), ("Software", "timeline-app")]
    if texts.caption:
        pairs.append(("Description", texts.caption))
    return pairs
