"""The page sizes a user picks from, without Qt."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .options import ExportError


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
