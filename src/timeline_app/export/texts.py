"""The words around the drawing, without Qt: a title that names the figure's real span, the filter
caption and the legend of actors shown."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from ..core.dates import MONTH_NAMES, DateError, civil_from_days, parse_date, year_label
from ..core.store import EventStore

SEP = " · "


def date_range_text(date_from: str | None, date_to: str | None) -> str | None:
    """``2001–2021``, ``from May 2011``, ``until 2021``; None when there is no date filter."""
    lo = _date_label(date_from)
    hi = _date_label(date_to)
    if lo and hi:
        return f"{lo}–{hi}" if " " not in lo + hi else f"{lo} – {hi}"
    if lo:
        return f"from {lo}"
    if hi:
        return f"until {hi}"
    return None


def _date_label(text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    try:
        return parse_date(text).format()
    except DateError:
        return text.strip()


def filter_caption(
    *,
    actor_names: Sequence[str] | None,
    total_actors: int,
    match: Literal["any", "all"] = "any",
    date_from: str | None = None,
    date_to: str | None = None,
    search: str | None = None,
    matches: int | None = None,
    shown: int,
    total: int,
) -> str:
    """The active filter in one line: "Actors: Pakistan · 2001–2021 · 18 of 33 events".

    ``actor_names`` None (or every actor) means no actor filter.
    """
    parts: list[str] = []
    if actor_names is not None and len(actor_names) < total_actors:
        if not actor_names:
            parts.append("Actors: none")
        else:
            joiner = " and " if match == "all" and len(actor_names) > 1 else ", "
            label = "Actors (all of)" if match == "all" and len(actor_names) > 1 else "Actors"
            parts.append(f"{label}: {_clip(joiner.join(actor_names), 120)}")
    dates = date_range_text(date_from, date_to)
    if dates:
        parts.append(dates)
    if search and search.strip():
        found = "" if matches is None else f" ({matches} match{'es' if matches != 1 else ''})"
        parts.append(f"Search: “{_clip(search.strip(), 60)}”{found}")
    if parts:
        parts.append(f"{shown} of {total} event{'s' if total != 1 else ''}")
    else:
        parts.append(f"All {total} event{'s' if total != 1 else ''}")
    return SEP.join(parts)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _per_member(ptr: NDArray[np.int64], rows: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """A row mask spread over a CSR table's flat entries (vectorised: no loop over events)."""
    return np.repeat(rows, np.diff(ptr))


def _row_mask(store: EventStore, visible: NDArray[np.bool_] | None) -> NDArray[np.bool_]:
    if visible is None:
        return np.ones(len(store), dtype=bool)
    return np.asarray(visible, dtype=bool)[: len(store)]


def legend_entries(
    store: EventStore, visible: NDArray[np.bool_] | None, lanes: NDArray[np.bool_] | None = None
) -> list[tuple[str, str]]:
    """(name, colour) of each actor taking part in a shown event and whose lane is drawn."""
    members = store.member_actor[_per_member(store.member_ptr, _row_mask(store, visible))]
    present = np.bincount(members, minlength=len(store.actor_ids)) > 0
    if lanes is not None:
        present &= lanes
    return [(store.actor_names[a], store.actor_colors[a]) for a in np.flatnonzero(present)]


# -- a title that tells the truth ---------------------------------------------------------------------

# A year or a year range at the end of a title: "…, 2001–2021", "… (2001-2021)", "… in 2019".
_TRAILING_YEARS = re.compile(r"(?P<lead>[,:]?\s*\(?)(?P<years>\d{3,4}(?:\s*[–—-]\s*\d{2,4})?)(?P<close>\)?)\s*$")


def span_text(first_day: float, last_day: float) -> str:
    """The span of a figure as a title says it: "2018–2020", "2019", "March–June 2019", "May 2011"."""
    y0, m0, _ = civil_from_days(int(first_day // 1))
    y1, m1, _ = civil_from_days(int(max(first_day, last_day) // 1))
    if y0 != y1:
        return f"{year_label(y0)}–{year_label(y1)}"
    if m0 == m1:
        return f"{MONTH_NAMES[m0 - 1]} {year_label(y0)}"
    if m0 == 1 and m1 == 12:
        return year_label(y0)
    return f"{MONTH_NAMES[m0 - 1]}–{MONTH_NAMES[m1 - 1]} {year_label(y0)}"


def figure_span(store: EventStore, rows: NDArray[np.int64]) -> tuple[float, float] | None:
    """First and last day covered by the events ``rows`` (``end`` is half-open)."""
    if len(rows) == 0:
        return None
    return float(store.start[rows].min()), float(store.end[rows].max()) - 1.0


def truthful_title(title: str, span: str | None, whole: str | None) -> str:
    """The data set's title for a figure spanning ``span``: a year range it ends with is replaced
    by the figure's, and a figure narrower than the data set (``whole``) gets its span appended."""
    text = " ".join(title.split())
    if span is None or span == whole:  # the whole data set: its own title
        return text
    m = _TRAILING_YEARS.search(text)
    if m is not None:
        return f"{text[: m.start('years')]}{span}{m.group('close')}"
    return f"{text}, {span}"
