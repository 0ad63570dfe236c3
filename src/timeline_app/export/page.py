"""The page around the timeline drawing: the title, the filter caption and the legend above it,
and the numbered source notes in columns (below it on an image, on further pages in a PDF).

The drawing itself comes from ``TimelineView.render_to``, the same path the window paints with,
so an exported image shows what the reader sees. The text is laid out by the Qt-free
``export.layout`` with widths measured here; nothing is cut with "…": the page makes room.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import numpy as np
import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QGuiApplication, QPainter, QPen

from ..ui.theme import Theme
from .key import KeyPlacement, place_key
from .layout import Line, Para, Style, balanced_columns, flow_pages, lay_out, wrap
from .metadata import Metadata
from .notes import FigureNotes, build_notes
from .options import ExportOptions
from .texts import figure_span, legend_entries, span_text, truthful_title

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ..core.store import EventStore

REFERENCE_WIDTH = 1920.0  # the size at which the page's fonts have their nominal pixel sizes
REFERENCE_HEIGHT = 1080.0
NOTES_HEADING = "Sources"
DISAGREE_HEADING = "Where sources disagree (marked ! in the figure)"


class Renderable(Protocol):
    """What export needs from the timeline view."""

    def render_to(self, painter: QPainter, target: QRectF) -> None: ...


@dataclass(frozen=True)
class PageTexts:
    """The words around the drawing. All of it is data and is drawn as plain text."""

    title: str
    caption: str = ""
    legend: Sequence[tuple[str, str]] = ()  # (actor name, #rrggbb)
    notes: FigureNotes = field(default_factory=FigureNotes)
    metadata: Metadata | None = None

    def all_text(self) -> str:
        """Every string the page draws around the view (for the glyph check)."""
        parts = [self.title, self.caption, *(name for name, _ in self.legend)]
        parts += [n.text for n in self.notes.notes] + [d.text for d in self.notes.disagreements]
        return "\n".join(parts)


def figure_rows(
    store: EventStore, visible: NDArray[np.bool_] | None, x_range: tuple[float, float] | None
) -> NDArray[np.int64]:
    """Store indices of the events a figure shows: those ``visible`` leaves, within ``x_range`` (days)."""
    mask = np.ones(len(store), dtype=bool) if visible is None else np.asarray(visible, dtype=bool)[: len(store)].copy()
    if x_range is not None:
        x0, x1 = x_range
        mask &= (store.start < x1) & (store.end > x0)
    return np.flatnonzero(mask)


def figure_text(view: Renderable, texts: PageTexts) -> str:
    """Every string the figure draws: the page's and the titles of the events the view shows."""
    store_of = getattr(view, "store", None)
    store = store_of() if callable(store_of) else None
    view_range = getattr(view, "view_range", None)
    if store is None or not callable(view_range):
        return texts.all_text()
    rows = figure_rows(store, None, view_range())
    return texts.all_text() + "\n" + "\n".join(str(store.titles[i]) for i in rows.tolist())


def page_texts(
    store: EventStore,
    visible: NDArray[np.bool_] | None,
    *,
    caption: str = "",
    title: str | None = None,
    lanes: NDArray[np.bool_] | None = None,
    x_range: tuple[float, float] | None = None,
    data_sha256: str | None = None,
    data_file: str | None = None,
) -> PageTexts:
    """Title, legend, notes and metadata for the events ``visible`` leaves shown within ``x_range``.

    The default title is the data set's, naming the figure's real span when it shows less than
    the whole data set (a figure of 2018–2020 is not titled "…, 2001–2021").
    """
    rows = figure_rows(store, visible, x_range)
    if title and title.strip():
        heading = " ".join(title.split())
    else:
        span = figure_span(store, rows)
        whole = figure_span(store, np.arange(len(store)))
        heading = truthful_title(store.title, span_text(*span) if span else None, span_text(*whole) if whole else None)
    notes = build_notes(store, None, shown=rows.tolist())
    meta = Metadata(
        title=heading,
        data_title=" ".join(store.title.split()),
        filter=caption or f"All {len(store)} events",
        data_sha256=data_sha256 or store.content_key,
        data_file=data_file,
    )
    return PageTexts(
        title=heading, caption=caption, legend=legend_entries(store, visible, lanes), notes=notes, metadata=meta
    )


# -- fonts and measures ----------------------------------------------------------------------------------


def font_scale(width: float, height: float) -> float:
    """How much the page's text grows with the output: proportional above 1920×1080, like the
    view's labels; below it a little smaller (not under 0.8) to leave the drawing room."""
    return max(0.8, min(width / REFERENCE_WIDTH, height / REFERENCE_HEIGHT))


def _font(base: QFont, px: float, *, bold: bool = False) -> QFont:
    font = QFont(base)
    font.setPixelSize(max(6, round(px)))
    font.setBold(bold)
    # No ligatures: text copied out of a PDF ("profilbaru.com") must be the text, not "ﬁ".
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


@dataclass(frozen=True)
class Fonts:
    """The page's fonts at one text scale ``k`` (1 at 1920×1080)."""

    k: float
    title: QFont
    caption: QFont
    legend: QFont
    notes: QFont
    heading: QFont

    @classmethod
    def at(cls, k: float) -> Fonts:
        base = QGuiApplication.font()
        return cls(
            k,
            _font(base, 30 * k, bold=True),
            _font(base, 16 * k),
            _font(base, 15 * k),
            _font(base, 14 * k),  # 8.4 pt on A4 at the default scale: readable in print
            _font(base, 17 * k, bold=True),
        )

    @classmethod
    def for_page(cls, width: float, height: float, options: ExportOptions) -> Fonts:
        return cls.at(font_scale(width, height) * options.font_scale)

    def of(self, style: Style) -> QFont:
        return self.heading if style == "heading" else self.notes


def metrics(font: QFont) -> QFontMetricsF:
    return QFontMetricsF(font)  # fonts are sized in pixels: the same on every device


# -- the header -------------------------------------------------------------------------------------------


@dataclass
class Header:
    title_lines: list[str]
    caption_lines: list[str]
    legend: list[tuple[str, QColor]]
    legend_rows: list[list[tuple[float, str, QColor]]]  # (x offset, name, colour) per row
    top: float
    bottom: float


def lay_out_header(
    rect: QRectF, texts: PageTexts, options: ExportOptions, fonts: Fonts, theme: Theme, *, page_label: str = ""
) -> Header:
    k = fonts.k
    margin = round(24 * k)
    width = rect.width() - 2 * margin
    tfm, cfm, lfm = metrics(fonts.title), metrics(fonts.caption), metrics(fonts.legend)
    title_lines = wrap(" ".join(texts.title.split()), tfm.horizontalAdvance, width) or [""]
    caption = texts.caption if options.caption else ""
    if page_label:
        caption = f"{caption} · {page_label}" if caption else page_label
    caption_lines = wrap(caption, cfm.horizontalAdvance, width) if caption else []
    y = rect.top() + margin + len(title_lines) * tfm.lineSpacing() + 4 * k + len(caption_lines) * cfm.lineSpacing()
    entries = [(name, theme.fill(color)) for name, color in texts.legend] if options.legend else []
    rows: list[list[tuple[float, str, QColor]]] = []
    if entries:
        swatch, gap, pad = lfm.ascent() * 0.8, 18 * k, 6 * k
        x, row = 0.0, []
        for name, color in entries:
            label = " ".join(name.split())
            w = swatch + pad + lfm.horizontalAdvance(label)
            if row and x + w > width:
                rows.append(row)
                x, row = 0.0, []
            row.append((x, label, color))
            x += w + gap
        rows.append(row)
        y += 8 * k + len(rows) * (lfm.height() + 4 * k)
    return Header(title_lines, caption_lines, entries, rows, rect.top() + margin, y + 10 * k)


def draw_header(painter: QPainter, rect: QRectF, header: Header, fonts: Fonts, theme: Theme) -> None:
    k = fonts.k
    left = rect.left() + round(24 * k)
    tfm, cfm, lfm = metrics(fonts.title), metrics(fonts.caption), metrics(fonts.legend)
    y = header.top
    painter.setFont(fonts.title)
    painter.setPen(theme.text)
    for line in header.title_lines:
        painter.drawText(QPointF(left, y + tfm.ascent()), line)
        y += tfm.lineSpacing()
    y += 4 * k
    painter.setFont(fonts.caption)
    painter.setPen(theme.muted)
    for line in header.caption_lines:
        painter.drawText(QPointF(left, y + cfm.ascent()), line)
        y += cfm.lineSpacing()
    if header.legend_rows:
        y += 8 * k
        swatch, pad = lfm.ascent() * 0.8, 6 * k
        painter.setFont(fonts.legend)
        for row in header.legend_rows:
            for x, name, color in row:
                sy = y + (lfm.height() - swatch) / 2
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(color)
                painter.drawRoundedRect(QRectF(left + x, sy, swatch, swatch), swatch * 0.2, swatch * 0.2)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(theme.text)
                painter.drawText(QPointF(left + x + swatch + pad, y + lfm.ascent()), name)
            y += lfm.height() + 4 * k


# -- the figure -----------------------------------------------------------------------------------------------


def view_rect_for(rect: QRectF, header: Header, fonts: Fonts) -> QRectF:
    k = fonts.k
    margin = round(24 * k)
    # The view indents its lane names by 8 px (scaled): line them up with the title.
    inset = max(0.0, margin - 8 * k)
    top = header.bottom
    return QRectF(rect.left() + inset, top, rect.width() - inset - margin, max(1.0, rect.bottom() - margin - top))


@dataclass
class FigureLayout:
    """Where everything of a figure page goes: computed before anything is drawn."""

    fonts: Fonts
    header: Header
    view_rect: QRectF
    key: KeyPlacement | None = None

    @property
    def key_overflow(self) -> list[Para]:
        return self.key.overflow if self.key is not None else []


@contextmanager
def note_marks(view: Renderable, texts: PageTexts, options: ExportOptions) -> Iterator[None]:
    """While a figure is laid out and drawn, each event's label carries its note numbers, as its
    key entry does ("[3, 7]", when the notes are part of the export); the view is left as it was."""
    setter = getattr(view, "set_label_suffix", None)
    if not callable(setter) or not options.notes or not texts.notes.notes:
        yield
        return
    before = view.label_suffix()  # type: ignore[attr-defined]
    setter(texts.notes.marks)
    try:
        yield
    finally:
        setter(before)


def lay_out_figure(
    rect: QRectF, view: Renderable, texts: PageTexts, options: ExportOptions, *, page_label: str = ""
) -> FigureLayout:
    """Header, drawing and (when the view numbers events it cannot label) the key beside or below."""
    with note_marks(view, texts, options):
        return _lay_out_figure(rect, view, texts, options, page_label)


def _lay_out_figure(
    rect: QRectF, view: Renderable, texts: PageTexts, options: ExportOptions, page_label: str
) -> FigureLayout:
    theme = Theme.from_palette()
    fonts = Fonts.for_page(rect.width(), rect.height(), options)
    header = lay_out_header(rect, texts, options, fonts, theme, page_label=page_label)
    full = view_rect_for(rect, header, fonts)
    label_key = getattr(view, "label_key", None)
    if not callable(label_key):
        return FigureLayout(fonts, header, full)
    _, _, pgap, indent = _text_measures(fonts)
    measure, height = _measures(fonts)

    def numbered(r: tuple[float, float, float, float]):  # type: ignore[no-untyped-def]
        return label_key(QRectF(*r))

    key = place_key(
        (full.left(), full.top(), full.width(), full.height()),
        numbered,
        texts.notes,
        measure=measure,
        height=height,
        indent=indent,
        k=fonts.k,
        beside=rect.width() >= rect.height(),
        paragraph_gap=pgap,
    )
    if key is None:
        return FigureLayout(fonts, header, full)
    return FigureLayout(fonts, header, QRectF(*key.view), key)


def render_page(
    painter: QPainter,
    rect: QRectF,
    view: Renderable,
    texts: PageTexts,
    options: ExportOptions | None = None,
    *,
    page_label: str = "",
    layout: FigureLayout | None = None,
) -> FigureLayout:
    """The figure in ``rect``: header above the view's drawing, the key beside or below it."""
    options = options or ExportOptions()
    theme = Theme.from_palette()
    layout = layout or lay_out_figure(rect, view, texts, options, page_label=page_label)
    fonts, view_rect = layout.fonts, layout.view_rect
    painter.save()
    try:  # a drawing that fails must not leave the painter with saved states
        painter.fillRect(rect, theme.background)
        painter.save()
        try:
            painter.setClipRect(view_rect)
            with note_marks(view, texts, options):
                view.render_to(painter, view_rect)
        finally:
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
                painter.fillRect(strip, theme.background)
        draw_header(painter, rect, layout.header, fonts, theme)
        key = layout.key
        if key is not None:
            _, _, pgap, indent = _text_measures(fonts)
            draw_columns(
                painter,
                key.origin[0],
                key.origin[1],
                key.columns,
                key.column_width,
                key.column_gap,
                pgap,
                indent,
                fonts,
            )
    finally:
        painter.restore()
    return layout


# -- the notes ------------------------------------------------------------------------------------------------


def notes_paras(notes: FigureNotes, before: Sequence[Para] = ()) -> list[Para]:
    """The notes' paragraphs: what comes first (the rest of a key), the sources, the disagreements."""
    paras: list[Para] = list(before)
    if notes.notes:
        paras.append(Para(NOTES_HEADING, style="heading", keep_with_next=True))
        paras += [Para(n.text, lead=f"{n.number}.") for n in notes.notes]
    if notes.disagreements:
        paras.append(Para(DISAGREE_HEADING, style="heading", keep_with_next=True))
        paras += [Para(d.text, lead="!") for d in notes.disagreements]
    return paras


@dataclass
class NotesLayout:
    fonts: Fonts
    column_width: float
    column_gap: float
    paragraph_gap: float
    indent: float
    columns: list[list[Line]]  # for one panel; flow_pages splits for PDFs

    def paragraphs(self) -> list[tuple[str, str]]:
        """(lead, text) of each paragraph as laid out, its lines joined: what a reader can read."""
        out: list[tuple[str, str]] = []
        for line in (line for column in self.columns for line in column):
            if line.first:
                out.append((line.lead, line.text))
            else:
                lead, text = out[-1]
                out[-1] = (lead, f"{text}\n{line.text}")
        return out


def _text_measures(fonts: Fonts) -> tuple[float, float, float, float]:
    """(margin, gap between columns, gap between paragraphs, hanging indent) at the fonts' scale."""
    k = fonts.k
    return round(24 * k), 28 * k, 4 * k, metrics(fonts.notes).horizontalAdvance("000.") + 6 * k


def _measures(fonts: Fonts):  # type: ignore[no-untyped-def]
    nfm, hfm = metrics(fonts.notes), metrics(fonts.heading)

    def measure(style: Style):  # type: ignore[no-untyped-def]
        return (hfm if style == "heading" else nfm).horizontalAdvance

    def height(style: Style) -> float:
        return hfm.lineSpacing() * 1.25 if style == "heading" else nfm.lineSpacing()

    return measure, height


def _notes_geometry(width: float, fonts: Fonts) -> tuple[int, float, float, float, float]:
    """(column count, column width, gap between columns, gap between paragraphs, hanging indent)."""
    k = fonts.k
    margin, gap, pgap, indent = _text_measures(fonts)
    inner = width - 2 * margin
    count = max(1, int((inner + gap) // (520 * k + gap)))
    column_width = (inner - gap * (count - 1)) / count
    return count, column_width, gap, pgap, indent


def _lines(paras: Sequence[Para], fonts: Fonts, column_width: float, indent: float) -> list[list[Line]]:
    measure, height = _measures(fonts)
    return lay_out(paras, measure, column_width, lambda s: 0.0 if s == "heading" else indent, height)


def notes_panel(
    width: float, notes: FigureNotes, fonts: Fonts, before: Sequence[Para] = ()
) -> tuple[float, NotesLayout | None]:
    """The height a notes panel of ``width`` needs (balanced columns), and its layout."""
    paras = notes_paras(notes, before)
    if not paras:
        return 0.0, None
    count, cw, gap, pgap, indent = _notes_geometry(width, fonts)
    height, columns = balanced_columns(_lines(paras, fonts, cw, indent), count, pgap)
    k = fonts.k
    return height + 2 * round(24 * k) + 8 * k, NotesLayout(fonts, cw, gap, pgap, indent, columns)


def notes_pages(
    width: float, height: float, notes: FigureNotes, fonts: Fonts, before: Sequence[Para] = ()
) -> list[NotesLayout]:
    """The notes on pages of ``width`` × ``height`` (a PDF's continuation pages)."""
    paras = notes_paras(notes, before)
    if not paras:
        return []
    count, cw, gap, pgap, indent = _notes_geometry(width, fonts)
    _, height_of = _measures(fonts)
    heading_h = height_of("heading")
    capacity = height - 2 * round(24 * fonts.k) - heading_h - pgap  # room for a "… (continued)" heading
    pages = flow_pages(_lines(paras, fonts, cw, indent), capacity, count, pgap)
    section = ""
    for k, columns in enumerate(pages):
        top = columns[0] if columns and columns[0] else None
        if k and top is not None and top[0].style != "heading" and section:
            # a page that goes on with the list before it says so, as a page turned mid-list reads
            top.insert(0, Line(f"{section} (continued)", "", "heading", heading_h, first=True, keep_with_next=True))
        for line in (line for column in columns for line in column):
            if line.style == "heading":
                section = continued_name(line.text)
    return [NotesLayout(fonts, cw, gap, pgap, indent, columns) for columns in pages]


def continued_name(heading: str) -> str:
    """ "Sources" of "Sources", "Key" of "Key (continued)", "Where sources disagree" of "Where
    sources disagree (marked ! in the figure)": a section's name for its continuation."""
    return heading.split(" (", 1)[0]


def draw_notes(painter: QPainter, rect: QRectF, layout: NotesLayout, *, rule: bool = True) -> None:
    """The notes' columns in ``rect`` (its margins included), a thin rule above them."""
    theme = Theme.from_palette()
    fonts = layout.fonts
    k = fonts.k
    margin = round(24 * k)
    painter.save()
    painter.fillRect(rect, theme.background)
    left, top = rect.left() + margin, rect.top() + margin
    if rule:
        painter.setPen(QPen(theme.separator, max(1.0, k)))
        painter.drawLine(
            QPointF(left, rect.top() + margin / 2), QPointF(rect.right() - margin, rect.top() + margin / 2)
        )
    draw_columns(
        painter,
        left,
        top,
        layout.columns,
        layout.column_width,
        layout.column_gap,
        layout.paragraph_gap,
        layout.indent,
        fonts,
    )
    painter.restore()


def draw_columns(
    painter: QPainter,
    left: float,
    top: float,
    columns: Sequence[Sequence[Line]],
    column_width: float,
    column_gap: float,
    paragraph_gap: float,
    indent: float,
    fonts: Fonts,
) -> None:
    """Laid-out lines in columns from (``left``, ``top``): headings bold, leads in the hanging indent."""
    theme = Theme.from_palette()
    k = fonts.k
    nfm, hfm = metrics(fonts.notes), metrics(fonts.heading)
    painter.save()
    for c, column in enumerate(columns):
        x = left + c * (column_width + column_gap)
        y = top
        for n, line in enumerate(column):
            if line.first and n:
                y += paragraph_gap
            if line.style == "heading":
                painter.setFont(fonts.heading)
                painter.setPen(theme.text)
                painter.drawText(QPointF(x, y + hfm.ascent()), line.text)
            else:
                painter.setFont(fonts.notes)
                painter.setPen(theme.text)
                if line.lead:
                    lead_w = nfm.horizontalAdvance(line.lead)
                    painter.drawText(QPointF(x + indent - 6 * k - lead_w, y + nfm.ascent()), line.lead)
                painter.drawText(QPointF(x + indent, y + nfm.ascent()), line.text)
            y += line.height
    painter.restore()
