"""Laying out the text of a page without Qt: wrapping that never drops a word, and flowing
paragraphs (notes, key entries, disagreements) into columns and pages.

The Qt side supplies the widths (``Measure``, from font metrics) and draws the lines where this
module says; tests use fixed-width measures. Nothing is cut: a word wider than the column (a long
URL) breaks after a "/" or, failing that, between characters, and text that does not fit a column
continues in the next column or on the next page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

Measure = Callable[[str], float]
Style = Literal["heading", "text"]

__all__ = ["Line", "Para", "balanced_columns", "flow_pages", "lay_out", "wrap"]


def wrap(text: str, measure: Measure, width: float) -> list[str]:
    """Greedy word wrap into as many lines as it takes; every character of ``text`` is kept."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        if measure(word) <= width:
            current = word
            continue
        pieces = _break_word(word, measure, width)
        lines.extend(pieces[:-1])
        current = pieces[-1]
    if current:
        lines.append(current)
    return lines


def _break_word(word: str, measure: Measure, width: float) -> list[str]:
    """A word wider than the line in pieces that fit: after a "/", "?", "&", "=" or "_" if one is
    near enough, else between characters, never right after a "-" (text extractors such as
    pdftotext take a line ending in "-" for a hyphenated word and join it without the "-")."""
    pieces: list[str] = []
    rest = word
    while rest and measure(rest) > width:
        lo, hi = 1, len(rest)
        while lo < hi:  # the longest prefix that fits (at least one character)
            mid = (lo + hi + 1) // 2
            if measure(rest[:mid]) <= width:
                lo = mid
            else:
                hi = mid - 1
        cut = lo
        soft = max(rest.rfind(c, 0, cut) for c in "/?&=_")
        if soft >= cut // 2:
            cut = soft + 1
        while cut > 1 and rest[cut - 1] == "-":
            cut -= 1
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        pieces.append(rest)
    return pieces or [word]


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph of a panel: a heading, or text with a lead (a note's number) in the indent."""

    text: str
    lead: str = ""
    style: Style = "text"
    keep_with_next: bool = False  # a heading: never the last line of a column


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    lead: str  # drawn in the hanging indent on a paragraph's first line only
    style: Style
    height: float
    first: bool  # the first line of its paragraph (space above it)
    keep_with_next: bool = False


def lay_out(
    paras: Sequence[Para],
    measure: Callable[[Style], Measure],
    width: float,
    indent: Callable[[Style], float],
    height: Callable[[Style], float],
) -> list[list[Line]]:
    """Each paragraph wrapped to ``width`` less its hanging indent, as lines."""
    out: list[list[Line]] = []
    for p in paras:
        inner = max(1.0, width - indent(p.style))
        texts = wrap(p.text, measure(p.style), inner) or [""]
        h = height(p.style)
        out.append(
            [
                Line(t, p.lead if k == 0 else "", p.style, h, k == 0, p.keep_with_next and k == len(texts) - 1)
                for k, t in enumerate(texts)
            ]
        )
    return out


def _fill(lines: Sequence[Line], capacity: float, gap: float, per_page: int = 0) -> list[list[Line]]:
    """Lines into columns of ``capacity`` height, in order; a heading never ends a column, and with
    ``per_page`` columns to a page, a paragraph is not split over a page's turn (it moves over)."""
    columns: list[list[Line]] = [[]]
    used = 0.0
    k = 0
    while k < len(lines):
        line = lines[k]
        need = line.height + (gap if line.first and columns[-1] else 0.0)
        # a heading needs the next line beside it
        follow = lines[k + 1].height if line.keep_with_next and k + 1 < len(lines) else 0.0
        if columns[-1] and used + need + follow > capacity:
            carried: list[Line] = []
            if per_page and len(columns) % per_page == 0 and not line.first:
                prev = columns[-1]
                j = max((n for n, x in enumerate(prev) if x.first), default=0)
                if j > 0 and prev[j - 1].keep_with_next:  # its heading too: none ends a column
                    j -= 1
                if j > 0:  # the paragraph's start goes over with it (the column keeps the rest)
                    carried = prev[j:]
                    del prev[j:]
            columns.append(carried)
            used = column_height(carried, gap)
            need = line.height
        columns[-1].append(line)
        used += need
        k += 1
    return columns if columns[0] else []


def column_height(column: Sequence[Line], gap: float) -> float:
    return sum(line.height + (gap if line.first and n else 0.0) for n, line in enumerate(column))


def flow_pages(paras: Sequence[Sequence[Line]], capacity: float, per_page: int, gap: float) -> list[list[list[Line]]]:
    """Paragraph lines into columns ``capacity`` high, ``per_page`` columns to a page."""
    flat = [line for p in paras for line in p]
    columns = _fill(flat, capacity, gap, per_page)
    return [columns[k : k + per_page] for k in range(0, len(columns), per_page)]


def balanced_columns(paras: Sequence[Sequence[Line]], count: int, gap: float) -> tuple[float, list[list[Line]]]:
    """The lowest column height at which the lines fit ``count`` columns, and those columns."""
    flat = [line for p in paras for line in p]
    if not flat:
        return 0.0, []
    total = column_height(flat, gap)
    tallest = max(line.height for line in flat) * 2
    lo, hi = max(tallest, total / max(1, count)), total + tallest
    for _ in range(40):
        if hi - lo < 0.5:
            break
        mid = (lo + hi) / 2
        if len(_fill(flat, mid, gap)) <= count:
            hi = mid
        else:
            lo = mid
    columns = _fill(flat, hi, gap)
    return max(column_height(c, gap) for c in columns), columns
