"""What an image export needs to know, without Qt: format, size, scale, theme and the texts around
the drawing (title, filter caption, legend entries, source credit).

Kept Qt-free so that the command line can reject bad options (unknown extension, absurd size)
before it pays for starting Qt, and so that the texts are unit-testable without a display.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .core.dates import DateError, parse_date
from .core.store import EventStore

# A rendered PNG is held in memory before the atomic write: cap it well below the machine's memory.
MAX_PIXELS = 120_000_000
REFERENCE_DPI = 96.0
SEP = " · "


class ExportError(Exception):
    """An export that could not be done; the message is for the user as it stands."""


class ImageFormat(str, Enum):
    PNG = "png"
    SVG = "svg"
    PDF = "pdf"

    @property
    def label(self) -> str:
        return {"png": "PNG image", "svg": "SVG drawing", "pdf": "PDF document"}[self.value]


FORMAT_FILTER = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"


def format_from_path(path: str | Path) -> ImageFormat:
    """The format named by the file's extension; anything else is refused with the choices."""
    suffix = Path(path).suffix.lower().lstrip(".")
    try:
        return ImageFormat(suffix)
    except ValueError:
        shown = f".{suffix}" if suffix else "no extension"
        raise ExportError(
            f"{path}: cannot tell the image format from {shown}: use a name ending in .png, .svg or .pdf"
        ) from None


def check_target(target: Path) -> None:
    """Refuse early (before drawing) what the atomic write would refuse late, with a clearer message."""
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a folder")
    if not folder.exists():
        raise ExportError(f"cannot write {target}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise ExportError(f"cannot write {target}: {folder} is not a folder")


@dataclass(frozen=True, slots=True)
class SizePreset:
    key: str
    label: str
    width: int  # pixels at 96 dpi (the PDF page size for the paper presets)
    height: int
    page: Literal["A4", "Letter"] | None = None


# Paper sizes at 96 dpi: A4 is 297 × 210 mm, Letter 11 × 8.5 in, both landscape.
PRESETS: tuple[SizePreset, ...] = (
    SizePreset("1080p", "1920 × 1080 (Full HD)", 1920, 1080),
    SizePreset("4k", "3840 × 2160 (4K)", 3840, 2160),
    SizePreset("a4", "A4 landscape", 1123, 794, "A4"),
    SizePreset("letter", "Letter landscape", 1056, 816, "Letter"),
)
PRESET_BY_KEY = {p.key: p for p in PRESETS}
CUSTOM = "custom"


def preset(key: str) -> SizePreset:
    try:
        return PRESET_BY_KEY[key.lower()]
    except KeyError:
        raise ExportError(f"unknown size {key!r}: choose one of {', '.join(PRESET_BY_KEY)}") from None


class ExportOptions(BaseModel):
    """One export's settings. Sizes are logical pixels at 96 dpi; ``scale`` multiplies PNG pixels only."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    width: int = Field(1920, ge=400, le=20000)
    height: int = Field(1080, ge=300, le=20000)
    scale: float = Field(1.0, ge=0.25, le=8.0)
    theme: Literal["light", "dark"] | None = None  # None: the palette the application has
    title: str | None = None  # None: the data set's title
    scope: Literal["view", "all"] = "view"  # the range the user looks at, or the whole timeline
    page: Literal["A4", "Letter"] | None = None  # PDF paper; None: a page of width × height

    @model_validator(mode="after")
    def _bounded(self) -> ExportOptions:
        pixels = self.width * self.scale * self.height * self.scale
        if pixels > MAX_PIXELS:
            raise ValueError(
                f"{round(self.width * self.scale)} × {round(self.height * self.scale)} pixels is too large "
                f"(at most {MAX_PIXELS // 1_000_000} million pixels): lower the size or the scale"
            )
        return self

    @classmethod
    def make(cls, **values: Any) -> ExportOptions:
        """Build from user input, turning validation failures into one readable ``ExportError``."""
        try:
            return cls(**values)
        except ValidationError as exc:
            raise ExportError("; ".join(_readable(e) for e in exc.errors())) from None

    def pixel_size(self, fmt: ImageFormat) -> tuple[int, int]:
        """The output's size in device pixels (PNG: scaled; SVG/PDF: logical)."""
        if fmt is ImageFormat.PNG:
            return round(self.width * self.scale), round(self.height * self.scale)
        return self.width, self.height

    def dpi(self, fmt: ImageFormat) -> float:
        return REFERENCE_DPI * (self.scale if fmt is ImageFormat.PNG else 1.0)


def _readable(error: Mapping[str, Any]) -> str:
    where = ".".join(str(p) for p in error.get("loc", ()))
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


# -- texts around the drawing ----------------------------------------------------------------------


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


def source_credits(store: EventStore, visible: NDArray[np.bool_] | None) -> list[str]:
    """Each source quoted by the shown events, as "Title — Publisher", most-cited first.

    Stores without models (very large files) keep only source titles: those are credited.
    """
    rows = _row_mask(store, visible)
    timeline = store.timeline
    if timeline is None:
        quotes, sources = store.excerpt_quotes, store.excerpt_sources
        if quotes is None or sources is None or not store.source_titles:
            return []
        cited = sources[_per_member(np.asarray(quotes.ptr, dtype=np.int64), rows)]
        counts = np.bincount(cited, minlength=len(store.source_titles))
        order = np.argsort(-counts, kind="stable")
        return [_clip(" ".join(store.source_titles[k].split()), 90) for k in order if counts[k] > 0]
    tally: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for i in np.flatnonzero(rows):
        event = store.event(int(i))
        if event is None:
            continue
        for source_id in dict.fromkeys(x.source for x in event.excerpts):
            tally[source_id] += 1
            first_seen.setdefault(source_id, len(first_seen))
    ordered = sorted(tally, key=lambda s: (-tally[s], first_seen[s]))
    out = []
    for source_id in ordered:
        source = timeline.source_by_id.get(source_id)
        if source is None:
            out.append(source_id)
            continue
        title = _clip(" ".join(source.title.split()), 90)
        publisher = " ".join((source.publisher or "").split())
        out.append(f"{title} — {_clip(publisher, 50)}" if publisher else title)
    return out


def credit_text(credits: Sequence[str]) -> str:
    if not credits:
        return ""
    return f"Sources ({len(credits)}): " + "; ".join(credits)
