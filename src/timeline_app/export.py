"""Image export (PNG, SVG, PDF): the page around the timeline drawing, and the file formats.

The drawing itself comes from ``TimelineView.render_to``, the same path the window paints with,
so an exported image shows what the reader sees; this module adds the title, a legend of the actors
shown, a caption of the active filter and a footer crediting the sources. Every format is rendered
into memory first and then written atomically, so a failure never leaves a partial file behind.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QPen,
)
from PySide6.QtSvg import QSvgGenerator

from .core.atomic import atomic_write_bytes
from .export_options import (
    ExportError,
    ExportOptions,
    ImageFormat,
    check_target,
    credit_text,
    format_from_path,
    legend_entries,
    source_credits,
)
from .ui.theme import Theme

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from .core.store import EventStore
    from .ui.timeline_view import TimelineView

__all__ = ["ExportResult", "PageTexts", "export_image", "page_texts", "render_page", "render_view_image"]

REFERENCE_WIDTH = 1920.0  # the size at which the page's fonts have their nominal pixel sizes
REFERENCE_HEIGHT = 1080.0


class Renderable(Protocol):
    """What export needs from the timeline view."""

    def render_to(self, painter: QPainter, target: QRectF) -> None: ...


@dataclass(frozen=True)
class PageTexts:
    """The words around the drawing. All of it is data and is drawn as plain text."""

    title: str
    caption: str = ""
    legend: Sequence[tuple[str, str]] = ()  # (actor name, #rrggbb)
    credit: str = ""


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


def page_texts(
    store: EventStore,
    visible: NDArray[np.bool_] | None,
    *,
    caption: str = "",
    title: str | None = None,
    lanes: NDArray[np.bool_] | None = None,
) -> PageTexts:
    """Title, legend and source credit for the events ``visible`` leaves shown (in ``lanes``)."""
    return PageTexts(
        title=title if title and title.strip() else store.title,
        caption=caption,
        legend=legend_entries(store, visible, lanes),
        credit=credit_text(source_credits(store, visible)),
    )


# -- the page ---------------------------------------------------------------------------------------


def font_scale(width: float, height: float) -> float:
    """How much the page's text grows with the output: proportional above 1920×1080, like the
    view's labels; below it a little smaller (not under 0.8) to leave the drawing room."""
    return max(0.8, min(width / REFERENCE_WIDTH, height / REFERENCE_HEIGHT))


def _font(base: QFont, px: float, *, bold: bool = False) -> QFont:
    font = QFont(base)
    font.setPixelSize(max(6, round(px)))
    font.setBold(bold)
    return font


def render_page(painter: QPainter, rect: QRectF, view: Renderable, texts: PageTexts) -> None:
    """Title, caption and legend above the view's drawing; the source credit below it."""
    theme = Theme.from_palette()
    background, ink, muted = theme.background, theme.text, theme.muted
    k = font_scale(rect.width(), rect.height())
    margin = round(24 * k)
    base = QGuiApplication.font()
    device = painter.device()
    left, right = rect.left() + margin, rect.right() - margin
    width = right - left

    # Lay out first, draw after: the drawing goes down before the texts (see the masking below).
    title_font = _font(base, 30 * k, bold=True)
    title_fm = QFontMetricsF(title_font, device)
    title_y = rect.top() + margin
    y = title_y + title_fm.height() + 4 * k
    caption_font = _font(base, 16 * k)
    caption_fm = QFontMetricsF(caption_font, device)
    caption_y = y
    if texts.caption:
        y += caption_fm.height()
    legend_font = _font(base, 15 * k)
    entries = [(name, theme.fill(color)) for name, color in texts.legend]
    legend_y = y + 8 * k
    if entries:
        y = _draw_legend(painter, entries, QRectF(left, legend_y, width, 0), legend_font, ink, k, draw=False)
    y += 10 * k
    credit_font = _font(base, 12.5 * k)
    credit_fm = QFontMetricsF(credit_font, device)
    footer_lines = wrap_elided(texts.credit, credit_fm.horizontalAdvance, width, max_lines=2) if texts.credit else []
    footer_h = len(footer_lines) * credit_fm.lineSpacing() + (10 * k if footer_lines else 0)
    bottom = rect.bottom() - margin
    # The view indents its lane names by 8 px (scaled): line them up with the title.
    inset = max(0.0, margin - 8 * k)
    view_rect = QRectF(rect.left() + inset, y, rect.width() - inset - margin, max(1.0, bottom - footer_h - y))

    painter.save()
    painter.fillRect(rect, background)
    painter.save()
    painter.setClipRect(view_rect)
    view.render_to(painter, view_rect)
    painter.restore()
    # SVG Tiny has no clipping (and Qt's SVG 1.1 clip paths do not survive restore()), so bars that
    # run past the view's edges would show in the margins: cover the margins instead of clipping.
    for strip in (
        QRectF(rect.left(), rect.top(), rect.width(), view_rect.top() - rect.top()),
        QRectF(rect.left(), view_rect.bottom(), rect.width(), rect.bottom() - view_rect.bottom()),
        QRectF(rect.left(), view_rect.top(), view_rect.left() - rect.left(), view_rect.height()),
        QRectF(view_rect.right(), view_rect.top(), rect.right() - view_rect.right(), view_rect.height()),
    ):
        if strip.width() > 0 and strip.height() > 0:
            painter.fillRect(strip, background)

    painter.setFont(title_font)
    painter.setPen(ink)
    title = title_fm.elidedText(" ".join(texts.title.split()), Qt.TextElideMode.ElideRight, width)
    painter.drawText(QPointF(left, title_y + title_fm.ascent()), title)
    if texts.caption:
        painter.setFont(caption_font)
        painter.setPen(muted)
        caption = caption_fm.elidedText(texts.caption, Qt.TextElideMode.ElideRight, width)
        painter.drawText(QPointF(left, caption_y + caption_fm.ascent()), caption)
    if entries:
        _draw_legend(painter, entries, QRectF(left, legend_y, width, 0), legend_font, ink, k)
    if footer_lines:
        fy = view_rect.bottom() + 10 * k
        painter.setPen(QPen(theme.separator, max(1.0, k)))
        painter.drawLine(QPointF(left, fy - 5 * k), QPointF(right, fy - 5 * k))
        painter.setFont(credit_font)
        painter.setPen(muted)
        for line in footer_lines:
            painter.drawText(QPointF(left, fy + credit_fm.ascent()), line)
            fy += credit_fm.lineSpacing()
    painter.restore()


def _draw_legend(
    painter: QPainter,
    entries: Sequence[tuple[str, QColor]],
    area: QRectF,
    font: QFont,
    ink: QColor,
    k: float,
    *,
    draw: bool = True,
) -> float:
    """Swatch-and-name entries flowing left to right, at most two rows; returns the bottom.

    With ``draw=False`` only measures, so the page can be laid out before anything is drawn.
    """
    fm = QFontMetricsF(font, painter.device())
    painter.setFont(font)
    swatch = fm.ascent() * 0.8
    gap, pad = 18 * k, 6 * k
    row_h = fm.height() + 4 * k
    x, y, row = area.left(), area.top(), 0
    for n, (name, color) in enumerate(entries):
        label = fm.elidedText(" ".join(name.split()), Qt.TextElideMode.ElideRight, 260 * k)
        w = swatch + pad + fm.horizontalAdvance(label)
        rest = len(entries) - n
        more = f"+ {rest} more"
        if x > area.left() and x + w > area.right():
            row += 1
            x, y = area.left(), y + row_h
        if row == 1 and rest > 1 and x + w + gap + fm.horizontalAdvance(more) > area.right():
            if draw:
                painter.setPen(ink)
                painter.drawText(QPointF(x, y + fm.ascent()), more)
            return y + row_h
        if row > 1:
            return y
        if draw:
            sy = y + (fm.height() - swatch) / 2
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRoundedRect(QRectF(x, sy, swatch, swatch), swatch * 0.2, swatch * 0.2)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(ink)
            painter.drawText(QPointF(x + swatch + pad, y + fm.ascent()), label)
        x += w + gap
    return y + row_h


def wrap_elided(text: str, measure: Callable[[str], float], width: float, *, max_lines: int) -> list[str]:
    """Greedy word wrap into at most ``max_lines`` lines; the last one ends in "…" if text is left."""
    words = text.split()
    lines: list[str] = []
    current = ""
    i = 0
    while i < len(words):
        candidate = f"{current} {words[i]}" if current else words[i]
        if measure(candidate) <= width or not current:
            current = candidate
            i += 1
            continue
        lines.append(current)
        current = ""
        if len(lines) == max_lines - 1:
            break
    rest = " ".join([current, *words[i:]] if current else words[i:])
    if rest:
        if measure(rest) > width:
            rest = _elide(rest, measure, width)
        lines.append(rest)
    return lines[:max_lines]


def _elide(text: str, measure: Callable[[str], float], width: float) -> str:
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if measure(text[:mid].rstrip() + " …") <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip().rstrip(";,") + " …"


# -- the formats ------------------------------------------------------------------------------------


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


# -- headless ---------------------------------------------------------------------------------------


def theme_palette(theme: str) -> QPalette:
    """A plain light or dark palette, so a headless export does not depend on the desktop's
    (``tools/screenshot_app.py --dark`` uses the same one)."""
    dark = theme == "dark"
    window, base, text = (
        (QColor("#2b2b2b"), QColor("#1e1e1e"), QColor("#e8e8e8"))
        if dark
        else (QColor("#efefef"), QColor("#ffffff"), QColor("#1a1a1a"))
    )
    pal = QPalette()
    roles = QPalette.ColorRole
    for role, color in (
        (roles.Window, window),
        (roles.WindowText, text),
        (roles.Base, base),
        (roles.AlternateBase, window),
        (roles.Text, text),
        (roles.Button, window),
        (roles.ButtonText, text),
        (roles.ToolTipBase, base),
        (roles.ToolTipText, text),
        (roles.PlaceholderText, QColor("#8a8a8a")),
        (roles.Highlight, QColor("#3d8ee6" if dark else "#0b63c4")),
        (roles.HighlightedText, QColor("#ffffff")),
        (roles.Link, QColor("#6cb4ff" if dark else "#0b57a8")),
    ):
        pal.setColor(role, color)
    if dark:
        pal.setColor(roles.Mid, QColor("#555555"))  # frame and quote-bar lines (Fusion's default is light)
    return pal


def apply_theme(app: QGuiApplication, theme: str) -> None:
    app.setPalette(theme_palette(theme))


def offscreen_view(
    store: EventStore,
    visible: NDArray[np.bool_] | None,
    highlight: NDArray[np.bool_] | None,
    width: int,
    height: int,
    x_range: tuple[float, float] | None = None,
    lanes: NDArray[np.bool_] | None = None,
) -> TimelineView:
    """A view that is never shown, set up as the window would be, to render from."""
    from .ui.timeline_view import TimelineView

    view = TimelineView()
    view.resize(width, height)
    view.set_store(store)
    view.set_visible(visible)
    view.set_visible_actors(lanes)
    view.set_highlight(highlight)
    if x_range is None:
        view.fit_all()
    else:
        view.set_view_range(*x_range)
    return view
