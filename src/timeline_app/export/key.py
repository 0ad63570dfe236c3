"""The figure's numbered key, without Qt: where it goes on the page and what each entry says.

The view numbers the events it cannot label (``TimelineView.label_key(target)``: number, store
index, date as stated, full title). The key sits beside the drawing on a landscape page and below
it on a portrait one; its room narrows the drawing, which may then number a few more events, so
the placement is repeated until the numbered events stop changing (a fixed point, in a few
rounds). Each entry carries the event's note numbers. Entries that do not fit beside the drawing
continue with the notes ("Key (continued)"), never cut.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .layout import Line, Measure, Para, Style, balanced_columns, column_height, lay_out
from .notes import FigureNotes

Rect = tuple[float, float, float, float]  # x, y, width, height

__all__ = ["KeyPlacement", "key_paras", "place_key"]

KEY_HEADING = "Key"
MAX_ROUNDS = 5


class Entry(Protocol):
    number: int
    index: int
    date_text: str
    title: str


def key_paras(entries: Sequence[Entry], notes: FigureNotes, *, heading: str = KEY_HEADING) -> list[Para]:
    """ "12.  4 January 2018 — US suspends security assistance [15–17]"."""
    paras = [Para(heading, style="heading", keep_with_next=True)] if entries else []
    for e in entries:
        marks = notes.marks(e.index)
        date = " ".join(str(e.date_text).split())
        head = f"{date} — " if date else ""
        text = f"{head}{' '.join(str(e.title).split())}"
        paras.append(Para(f"{text} {marks}" if marks else text, lead=f"{e.number}."))
    return paras


@dataclass
class KeyPlacement:
    view: Rect  # where the drawing goes now
    origin: tuple[float, float]  # top-left of the key's first column
    column_width: float
    column_gap: float
    columns: list[list[Line]]
    entries: list[Entry]
    overflow: list[Para] = field(default_factory=list)  # continues with the notes
    rounds: int = 1


def place_key(
    full: Rect,
    numbered: Callable[[Rect], Sequence[Entry]],
    notes: FigureNotes,
    *,
    measure: Callable[[Style], Measure],
    height: Callable[[Style], float],
    indent: float,
    k: float,
    beside: bool,
    paragraph_gap: float,
) -> KeyPlacement | None:
    """The key for the drawing in ``full`` (None when the view numbers nothing)."""
    entries = list(numbered(full))
    if not entries:
        return None
    x, y, w, h = full
    gap = 16 * k

    def indent_of(style: Style) -> float:
        return 0.0 if style == "heading" else indent

    view, origin, column_width, capacity, count = full, (x, y), w, h, 1
    rounds = 0
    while rounds < MAX_ROUNDS:
        rounds += 1
        paras = key_paras(entries, notes)
        if beside:
            column_width = max(240 * k, min(380 * k, 0.24 * w))
            flat = [line for p in lay_out(paras, measure, column_width, indent_of, height) for line in p]
            count = max(1, min(2, math.ceil(column_height(flat, paragraph_gap) / max(1.0, h))))
            key_w = count * column_width + (count - 1) * gap
            view = (x, y, max(1.0, w - key_w - gap), h)
            origin, capacity = (x + w - key_w, y), h
        else:
            count = max(1, int((w + gap) // (420 * k + gap)))
            column_width = (w - gap * (count - 1)) / count
            laid = lay_out(paras, measure, column_width, indent_of, height)
            need, _ = balanced_columns(laid, count, paragraph_gap)
            capacity = min(need, 0.45 * h)
            view = (x, y, w, max(1.0, h - capacity - gap))
            origin = (x, y + view[3] + gap)
        again = list(numbered(view))
        if [(e.number, e.index) for e in again] == [(e.number, e.index) for e in entries]:
            break
        entries = again
    final = key_paras(entries, notes)
    columns, overflow = _fill_paragraphs(
        final, lay_out(final, measure, column_width, indent_of, height), capacity, count, paragraph_gap
    )
    rest = [Para(f"{KEY_HEADING} (continued)", style="heading", keep_with_next=True), *overflow] if overflow else []
    return KeyPlacement(view, origin, column_width, gap, columns, entries, rest, rounds)


def _fill_paragraphs(
    source: Sequence[Para], paras: Sequence[Sequence[Line]], capacity: float, count: int, gap: float
) -> tuple[list[list[Line]], list[Para]]:
    """Whole paragraphs into ``count`` columns of ``capacity``; the paragraphs left over, as given."""
    columns: list[list[Line]] = [[]]
    used = 0.0
    for n, para in enumerate(paras):
        need = sum(line.height for line in para) + (gap if columns[-1] else 0.0)
        nxt = (
            sum(line.height for line in paras[n + 1]) if para and para[-1].keep_with_next and n + 1 < len(paras) else 0
        )
        if columns[-1] and used + need + nxt > capacity:
            if len(columns) == count:
                return columns, [p for p in source[n:] if p.style != "heading"]
            columns.append([])
            used, need = 0.0, sum(line.height for line in para)
        columns[-1].extend(para)
        used += need
    return columns, []
