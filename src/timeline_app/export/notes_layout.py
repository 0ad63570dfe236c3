"""The notes (sources, disagreements, and a key's entries that did not fit beside the drawing) set
in columns with the page's fonts: a panel below an image, or continuation pages of a PDF, each
heading carried over ("Sources (continued)") when a page turns mid-list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter, QPen

from ..ui.theme import Theme
from .fonts import Fonts, measures, metrics, text_measures
from .layout import Line, Para, balanced_columns, flow_pages, lay_out
from .notes import FigureNotes

NOTES_HEADING = "Sources"
DISAGREE_HEADING = "Where sources disagree (marked ! in the figure)"


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


def _notes_geometry(width: float, fonts: Fonts) -> tuple[int, float, float, float, float]:
    """(column count, column width, gap between columns, gap between paragraphs, hanging indent)."""
    k = fonts.k
    margin, gap, pgap, indent = text_measures(fonts)
    inner = width - 2 * margin
    count = max(1, int((inner + gap) // (520 * k + gap)))
    column_width = (inner - gap * (count - 1)) / count
    return count, column_width, gap, pgap, indent


def _lines(paras: Sequence[Para], fonts: Fonts, column_width: float, indent: float) -> list[list[Line]]:
    measure, height = measures(fonts)
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
    return height + 2 * fonts.margin + 8 * fonts.k, NotesLayout(fonts, cw, gap, pgap, indent, columns)


def notes_pages(
    width: float, height: float, notes: FigureNotes, fonts: Fonts, before: Sequence[Para] = ()
) -> list[NotesLayout]:
    """The notes on pages of ``width`` × ``height`` (a PDF's continuation pages)."""
    paras = notes_paras(notes, before)
    if not paras:
        return []
    count, cw, gap, pgap, indent = _notes_geometry(width, fonts)
    _, height_of = measures(fonts)
    heading_h = height_of("heading")
    capacity = height - 2 * fonts.margin - heading_h - pgap  # room for a "… (continued)" heading
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
    margin = fonts.margin
    painter.save()
    painter.fillRect(rect, theme.background)
    left, top = rect.left() + margin, rect.top() + margin
    if rule:
        painter.setPen(QPen(theme.separator, max(1.0, fonts.k)))
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
