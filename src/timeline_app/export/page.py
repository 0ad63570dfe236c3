"""The figure's page: the header above the timeline drawing and, when the view numbers events it
cannot label, the key beside it (landscape) or below it (portrait).

The drawing itself comes from ``TimelineView.render_to``, the same path the window paints with,
so an exported image shows what the reader sees. Where everything goes is decided first
(``lay_out_figure``) and drawn after (``render_page``), so the plan of an export knows a key that
does not fit before it lays out the notes. Nothing is cut with "…": the page makes room.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from ..ui.theme import Theme
from .fonts import REFERENCE_HEIGHT, REFERENCE_WIDTH, Fonts, measures, text_measures
from .header import Header, draw_header, lay_out_header
from .key import KeyPlacement, place_key
from .layout import Para
from .notes import FigureNotes
from .notes_layout import draw_columns
from .options import ExportOptions
from .page_texts import PageTexts


class Renderable(Protocol):
    """What export needs from the timeline view."""

    def render_to(self, painter: QPainter, target: QRectF) -> None: ...


def view_rect_for(rect: QRectF, header: Header, fonts: Fonts) -> QRectF:
    k = fonts.k
    margin = fonts.margin
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


def cited_notes(texts: PageTexts, options: ExportOptions) -> FigureNotes:
    """The notes the figure's numbers may point to: none when the export leaves the notes out."""
    return texts.notes if options.notes else FigureNotes()


@contextmanager
def note_marks(view: Renderable, texts: PageTexts, options: ExportOptions) -> Iterator[None]:
    """While a figure is laid out and drawn, each event's label carries its note numbers, as its
    key entry does ("[3, 7]", when the notes are part of the export); the view is left as it was."""
    setter = getattr(view, "set_label_suffix", None)
    notes = cited_notes(texts, options)
    if not callable(setter) or not notes.notes:
        yield
        return
    before = view.label_suffix()  # type: ignore[attr-defined]
    setter(notes.marks)
    try:
        yield
    finally:
        setter(before)


@contextmanager
def page_scale(view: Renderable, rect: QRectF, options: ExportOptions) -> Iterator[None]:
    """While a figure is laid out and drawn, the drawing's text and strokes follow the page's size
    (2 on a 4K page), as the page's own text does, not the room its header and key leave the
    drawing, which would draw a 4K figure at 1.5 and leave its lanes' lower parts empty; the
    reader's text size (``font_scale``) applies to the drawing's labels as to the page's text."""
    setter = getattr(view, "set_render_scale", None)
    if not callable(setter):
        yield
        return
    before = view.render_scale()  # type: ignore[attr-defined]
    setter(max(1.0, min(rect.width() / REFERENCE_WIDTH, rect.height() / REFERENCE_HEIGHT)) * options.font_scale)
    try:
        yield
    finally:
        setter(before)


def lay_out_figure(
    rect: QRectF, view: Renderable, texts: PageTexts, options: ExportOptions, *, page_label: str = ""
) -> FigureLayout:
    """Header, drawing and (when the view numbers events it cannot label) the key beside or below."""
    with note_marks(view, texts, options), page_scale(view, rect, options):
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
    _, _, pgap, indent = text_measures(fonts)
    measure, height = measures(fonts)

    def numbered(r: tuple[float, float, float, float]):  # type: ignore[no-untyped-def]
        return label_key(QRectF(*r))

    key = place_key(
        (full.left(), full.top(), full.width(), full.height()),
        numbered,
        cited_notes(texts, options),
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
            with note_marks(view, texts, options), page_scale(view, rect, options):
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
            _, _, pgap, indent = text_measures(fonts)
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
