"""The words of a figure's page, without Qt: its title, caption, legend, notes and metadata, for
the events a figure shows. The dialog, the command line and the preview build them the same way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .metadata import Metadata
from .notes import FigureNotes, build_notes
from .texts import figure_span, legend_entries, span_text, truthful_title

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ..core.store import EventStore


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


def figure_text(view: object, texts: PageTexts) -> str:
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
