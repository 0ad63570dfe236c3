"""PDF: every planned page on a page of the chosen paper (or exactly the figure's size), with the
figure's metadata in XMP and in the document information dictionary (which Qt does not fill)."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape as xml_escape

import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from .device import begin, memory
from .metadata import Metadata
from .options import ExportError, ExportOptions, ImageFormat
from .page_texts import PageTexts
from .plan import Plan


def pdf_bytes(plan_: Plan, texts: PageTexts, options: ExportOptions) -> tuple[bytes, int, int, int]:
    """The PDF document of every planned page: bytes, page size in device units, page count."""
    with memory() as buffer:
        writer = QPdfWriter(buffer)
        writer.setResolution(round(options.dpi_of(ImageFormat.PDF)))
        writer.setTitle(texts.title)
        meta = texts.metadata
        writer.setCreator(meta.software if meta is not None else "timeline-app")
        if meta is not None:
            writer.setDocumentXmpMetadata(_xmp(meta).encode("utf-8"))
        if options.page is not None:
            size_id = QPageSize.PageSizeId.A4 if options.page == "A4" else QPageSize.PageSizeId.Letter
            page = QPageSize(size_id)
            orientation = (
                QPageLayout.Orientation.Landscape
                if options.orientation == "landscape"
                else QPageLayout.Orientation.Portrait
            )
        else:  # a page exactly width × height pixels at 96 dpi, in points
            pts = QSizeF(options.width * 72 / 96, options.height * 72 / 96)
            page = QPageSize(pts, QPageSize.Unit.Point, "Custom", QPageSize.SizeMatchPolicy.ExactMatch)
            orientation = QPageLayout.Orientation.Portrait
        if not writer.setPageLayout(QPageLayout(page, orientation, QMarginsF(0, 0, 0, 0))):
            raise ExportError("the PDF page size was refused")
        painter = QPainter()
        begin(painter, writer)
        try:
            w, h = writer.width(), writer.height()
            for n, planned in enumerate(plan_.pages):
                if n:
                    writer.newPage()
                painter.save()
                try:
                    painter.scale(w / planned.width, h / planned.height)
                    planned.draw(painter)
                finally:
                    painter.restore()
        finally:
            painter.end()
        data = bytes(buffer.data().data())
    if meta is not None:
        data = pdf_info(data, {"Subject": meta.summary(), "Keywords": f"sha256:{meta.data_sha256 or 'unknown'}"})
    return data, w, h, len(plan_.pages)


def _xmp(meta: Metadata) -> str:
    e = xml_escape
    source = f"<dc:source>urn:sha256:{e(meta.data_sha256)}</dc:source>" if meta.data_sha256 else ""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.title)}</rdf:li></rdf:Alt></dc:title>'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.summary())}</rdf:li></rdf:Alt></dc:description>'
        f"{source}<xmp:CreatorTool>{e(meta.software)}</xmp:CreatorTool>"
        f"<pdf:Producer>{e(meta.software)}</pdf:Producer>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )


def pdf_info(data: bytes, extra: dict[str, str]) -> bytes:
    """Add entries to the document information dictionary of a PDF Qt wrote (classic xref table),
    shifting the cross-reference offsets; a PDF of another shape is returned unchanged."""
    m = re.search(rb"/Title\s*[(<]", data)
    start = data.rfind(b"<<", 0, m.start()) if m else -1
    xref_at = data.rfind(b"\nxref\n")
    sx = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data)
    if m is None or start < 0 or xref_at < 0 or sx is None or int(sx.group(1)) != xref_at + 1:
        return data
    insert = m.start()
    entries = b"".join(b"/" + k.encode("ascii") + b" " + _pdf_text(v) + b"\n" for k, v in extra.items())
    delta = len(entries)
    table = re.compile(rb"xref\n(\d+) (\d+)\n")
    t = table.match(data, xref_at + 1)
    if t is None:
        return data
    count = int(t.group(2))
    pos = t.end()
    rows = []
    for _ in range(count):
        row = data[pos : pos + 20]
        if len(row) != 20 or row[17:18] not in (b"n", b"f"):
            return data
        offset = int(row[:10])
        if row[17:18] == b"n" and offset > insert:
            offset += delta
        rows.append(b"%010d" % offset + row[10:])
        pos += 20
    head = data[:insert] + entries + data[insert : xref_at + 1]
    tail = data[t.start() : t.end()] + b"".join(rows) + data[pos : sx.start()]
    return head + tail + b"startxref\n%d\n%%%%EOF\n" % (xref_at + 1 + delta)


def _pdf_text(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"
