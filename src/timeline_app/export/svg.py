"""SVG: the planned page as an SVG Tiny drawing, its size stated in pixels and a Dublin Core
``<metadata>`` block naming the figure's data, filter and software."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape as xml_escape

import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator

from .device import begin, memory
from .options import ExportOptions, ImageFormat
from .page_texts import PageTexts
from .plan import PlannedPage

_SVG_SIZE = re.compile(rb'<svg\s+width="[^"]*"\s+height="[^"]*"')


def svg_bytes(page: PlannedPage, texts: PageTexts, options: ExportOptions) -> tuple[bytes, int, int]:
    """The SVG document of ``page`` and its size in pixels."""
    w, h = round(page.width), round(page.height)
    with memory() as buffer:
        generator = QSvgGenerator()  # SVG Tiny 1.2: no clipping, hence the margin masks in render_page
        generator.setOutputDevice(buffer)
        generator.setSize(QSize(w, h))
        generator.setViewBox(QRectF(0, 0, w, h))
        generator.setResolution(round(options.dpi_of(ImageFormat.SVG)))
        generator.setTitle(texts.title)
        meta = texts.metadata
        generator.setDescription(meta.summary() if meta is not None else texts.caption or "Exported by timeline-app")
        painter = QPainter()
        begin(painter, generator)
        try:
            page.draw(painter)
        finally:
            painter.end()
        data = bytes(buffer.data().data())
    # Qt states the size in millimetres, which some renderers convert at 90 dpi: state the pixels.
    data = _SVG_SIZE.sub(f'<svg width="{w}px" height="{h}px"'.encode(), data, count=1)
    return _svg_metadata(data, texts), w, h


def _svg_metadata(data: bytes, texts: PageTexts) -> bytes:
    """A Dublin Core ``<metadata>`` block after ``<desc>``: title, source data, filter, software."""
    meta = texts.metadata
    if meta is None:
        return data
    e = xml_escape
    fields = [
        f"<dc:title>{e(meta.title)}</dc:title>",
        f"<dc:description>{e(meta.filter)}</dc:description>",
        f"<dc:relation>{e(meta.data_title)}</dc:relation>",
        f"<dc:creator>{e(meta.software)}</dc:creator>",
    ]
    if meta.data_sha256:
        fields.append(f"<dc:source>urn:sha256:{e(meta.data_sha256)}</dc:source>")
    if meta.data_file:
        fields.append(f"<dc:identifier>{e(meta.data_file)}</dc:identifier>")
    block = (
        '<metadata id="timeline-app-metadata"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description rdf:about="">'
        + "".join(fields)
        + "</rdf:Description></rdf:RDF></metadata>\n"
    ).encode("utf-8")
    at = data.find(b"</desc>")
    if at < 0:
        return data
    at += len(b"</desc>")
    return data[:at] + b"\n" + block + data[at:]
