"""The plan of an export: the pages it will draw, their sizes and painters, decided once and
shared by the writers and the dialog's preview, so the preview is exactly what will be written.

A figure is laid out before the notes, so the key entries that do not fit beside the drawing go
first in the notes; a PDF puts the notes on further pages, an image grows a panel below the
figure, and an image of fixed size gets them beside it as text. A figure "N pages wide" is N
figure pages of equal drawing width, the axis on each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from ..core.dates import day_to_text
from .fonts import Fonts
from .notes_layout import draw_notes, notes_pages, notes_panel
from .options import ExportOptions, ImageFormat
from .page import FigureLayout, Renderable, cited_notes, lay_out_figure, render_page
from .page_texts import PageTexts


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
    shown = cited_notes(texts, options)
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
        sidecar = shown.plain_text(title=texts.title, caption=texts.caption, before=overflow)
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
