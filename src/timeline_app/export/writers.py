"""The file formats (PNG, SVG, PDF): every format is rendered into memory first and then written
atomically, so a failure never leaves a partial file behind."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape

import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from ..core.atomic import atomic_write_bytes
from ..core.dates import day_to_text
from ..ui.theme import Theme
from .glyphs import missing_glyphs, missing_glyphs_message
from .metadata import Metadata
from .notes import FigureNotes
from .options import MAX_PIXELS, ExportError, ExportOptions, ImageFormat, check_target, format_from_path
from .page import (
    FigureLayout,
    Fonts,
    PageTexts,
    Renderable,
    draw_notes,
    figure_text,
    lay_out_figure,
    notes_pages,
    notes_panel,
    render_page,
)

if TYPE_CHECKING:
    pass


PNG_QUALITY = 80  # Qt's PNG quality: 80 is a fast zlib level (1.5-2x faster than the default, smaller)


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


# -- the plan: the pages every format and the preview draw ----------------------------------------------


@dataclass(frozen=True)
class PlannedPage:
    """One page of the output, in logical pixels; ``draw`` paints it at (0, 0)."""

    width: float
    height: float
    draw: Callable[[QPainter], None]
    kind: str  # "figure", "figure+notes" or "notes"


@dataclass(frozen=True)
class Plan:
    pages: list[PlannedPage]
    sidecar: str | None = None  # the notes as text, when they go beside a fixed-size image

    @property
    def first(self) -> PlannedPage:
        return self.pages[0]


def plan(view: Renderable, texts: PageTexts, options: ExportOptions, fmt: ImageFormat) -> Plan:
    """What the export will draw: pages, sizes and painters, shared by the writers and the preview."""
    w, h = float(options.width), float(options.height)
    fonts = Fonts.for_page(w, h, options)
    figures = _figure_pages(view, texts, options, w, h)
    overflow = [para for _, layout in figures for para in layout.key_overflow]
    has_notes = bool(overflow) or (options.notes and bool(texts.notes.notes or texts.notes.disagreements))
    shown = texts.notes if options.notes else FigureNotes()
    if fmt is ImageFormat.PDF:
        pages = [page for page, _ in figures]
        if has_notes:
            for layout in notes_pages(w, h, shown, fonts, overflow):
                pages.append(
                    PlannedPage(w, h, lambda p, lay=layout: draw_notes(p, QRectF(0, 0, w, h), lay, rule=False), "notes")
                )
        return Plan(pages)
    sidecar = None
    panel_h, panel = 0.0, None
    if has_notes and options.fixed_size:
        sidecar = texts.notes.plain_text(title=texts.title, caption=texts.caption, before=overflow)
    elif has_notes:
        panel_h, panel = notes_panel(w, shown, fonts, overflow)
    figure = figures[0][0]

    def draw(painter: QPainter) -> None:
        figure.draw(painter)
        if panel is not None:
            draw_notes(painter, QRectF(0, h, w, panel_h), panel)

    return Plan([PlannedPage(w, h + panel_h, draw, "figure+notes" if panel else "figure")], sidecar)


def _figure_pages(
    view: Renderable, texts: PageTexts, options: ExportOptions, w: float, h: float
) -> list[tuple[PlannedPage, FigureLayout]]:
    """The figure's pages, each laid out now (so a key that does not fit is known before the notes)."""
    rect = QRectF(0, 0, w, h)
    count = options.pages_wide
    ranged = hasattr(view, "view_range") and hasattr(view, "set_view_range")
    if count == 1 or not ranged:
        layout = lay_out_figure(rect, view, texts, options)
        return [
            (PlannedPage(w, h, lambda p: render_page(p, rect, view, texts, options, layout=layout), "figure"), layout)
        ]
    bounds = _page_bounds(view, count)
    pages = []
    for k in range(count):
        lo, hi = bounds[k], bounds[k + 1]
        label = f"page {k + 1} of {count}: {day_to_text(lo)} – {day_to_text(hi)}"
        with _view_range(view, lo, hi):
            layout = lay_out_figure(rect, view, texts, options, page_label=label)

        def draw(p: QPainter, lo: float = lo, hi: float = hi, layout: FigureLayout = layout) -> None:
            with _view_range(view, lo, hi):
                render_page(p, rect, view, texts, options, layout=layout)

        pages.append((PlannedPage(w, h, draw, "figure"), layout))
    return pages


def _page_bounds(view: Renderable, count: int) -> list[float]:
    """The dates (days) where the pages of a figure ``count`` pages wide meet: equal widths of the
    drawing, so under a compressed time scale they are equal in view units, not in days."""
    units = getattr(view, "view_units", None)
    scale = getattr(view, "time_scale_map", None)
    if callable(units) and callable(scale):
        u0, u1 = units()
        t = scale()
        return [float(t.to_days(u0 + (u1 - u0) * k / count)) for k in range(count + 1)]
    x0, x1 = view.view_range()  # type: ignore[attr-defined]
    return [x0 + (x1 - x0) * k / count for k in range(count + 1)]


@contextmanager
def _view_range(view: Renderable, lo: float, hi: float) -> Iterator[None]:
    old = view.view_range()  # type: ignore[attr-defined]
    block = getattr(view, "blockSignals", None)
    was = block(True) if block else False
    try:
        view.set_view_range(lo, hi)  # type: ignore[attr-defined]
        yield
    finally:
        view.set_view_range(*old)  # type: ignore[attr-defined]
        if block:
            block(was)


# -- the formats ------------------------------------------------------------------------------------------


def _png(page: PlannedPage, texts: PageTexts, options: ExportOptions) -> tuple[bytes, int, int]:
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
    _begin(painter, image)
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
    with _memory() as buffer:
        if not image.save(buffer, "PNG", PNG_QUALITY):
            raise ExportError("could not encode the PNG image")
        return bytes(buffer.data().data()), w, h


def _metadata_pairs(texts: PageTexts) -> list[tuple[str, str]]:
    meta = texts.metadata
    pairs = meta.pairs() if meta is not None else [("Title", texts.title), ("Software", "timeline-app")]
    if texts.caption:
        pairs.append(("Description", texts.caption))
    return pairs


def _svg(page: PlannedPage, texts: PageTexts, options: ExportOptions) -> tuple[bytes, int, int]:
    w, h = round(page.width), round(page.height)
    with _memory() as buffer:
        generator = QSvgGenerator()  # SVG Tiny 1.2: no clipping, hence the margin masks in render_page
        generator.setOutputDevice(buffer)
        generator.setSize(QSize(w, h))
        generator.setViewBox(QRectF(0, 0, w, h))
        generator.setResolution(round(options.dpi_of(ImageFormat.SVG)))
        generator.setTitle(texts.title)
        meta = texts.metadata
        generator.setDescription(meta.summary() if meta is not None else texts.caption or "Exported by timeline-app")
        painter = QPainter()
        _begin(painter, generator)
        try:
            page.draw(painter)
        finally:
            painter.end()
        data = bytes(buffer.data().data())
    # Qt states the size in millimetres, which some renderers convert at 90 dpi: state the pixels.
    data = _SVG_SIZE.sub(f'<svg width="{w}px" height="{h}px"'.encode(), data, count=1)
    return _svg_metadata(data, texts), w, h


_SVG_SIZE = re.compile(rb'<svg\s+width="[^"]*"\s+height="[^"]*"')


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


def _pdf(plan_: Plan, texts: PageTexts, options: ExportOptions) -> tuple[bytes, int, int, int]:
    with _memory() as buffer:
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
        _begin(painter, writer)
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
    first, count = int(t.group(1)), int(t.group(2))
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
    del first
    head = data[:insert] + entries + data[insert : xref_at + 1]
    tail = data[t.start() : t.end()] + b"".join(rows) + data[pos : sx.start()]
    return head + tail + b"startxref\n%d\n%%%%EOF\n" % (xref_at + 1 + delta)


def _pdf_text(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


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
        data, width, height = _png(planned.first, texts, options)
    elif fmt is ImageFormat.SVG:
        data, width, height = _svg(planned.first, texts, options)
    else:
        data, width, height, pages = _pdf(planned, texts, options)
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
