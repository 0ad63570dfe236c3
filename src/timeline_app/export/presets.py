"""The page sizes a user picks from, and the defaults the dialog and the command line share.

Paper presets are defined in millimetres, so that a print PNG at a chosen DPI has the paper's true
pixel size (A4 landscape at 300 dpi is 3508 × 2480); their logical size (what the page is laid out
in) is the paper at 96 dpi. Screen presets are pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

from .options import REFERENCE_DPI, ExportError, ExportOptions, ImageFormat, Orientation, Paper, paper_mm


@dataclass(frozen=True, slots=True)
class SizePreset:
    key: str
    label: str
    width: int  # logical pixels at 96 dpi (for paper: the page at 96 dpi)
    height: int
    page: Paper | None = None
    orientation: Orientation = "landscape"

    @property
    def is_paper(self) -> bool:
        return self.page is not None


def _paper(key: str, label: str, page: Paper, orientation: Orientation) -> SizePreset:
    w, h = paper_mm(page, orientation)
    return SizePreset(key, label, round(w / 25.4 * REFERENCE_DPI), round(h / 25.4 * REFERENCE_DPI), page, orientation)


PRESETS: tuple[SizePreset, ...] = (
    SizePreset("slide", "16:9 slide, 1920 × 1080", 1920, 1080),
    SizePreset("4k", "4K, 3840 × 2160", 3840, 2160),
    SizePreset("social", "Social card, 1200 × 675", 1200, 675),
    _paper("a4-landscape", "A4 landscape", "A4", "landscape"),
    _paper("a4-portrait", "A4 portrait", "A4", "portrait"),
    _paper("letter-landscape", "US Letter landscape", "Letter", "landscape"),
    _paper("letter-portrait", "US Letter portrait", "Letter", "portrait"),
)
PRESET_BY_KEY = {p.key: p for p in PRESETS}
# Names of earlier versions (settings files and scripts keep working).
ALIASES = {"1080p": "slide", "a4": "a4-landscape", "letter": "letter-landscape"}
CUSTOM = "custom"
PRINT_DPIS = (96, 150, 300, 600)


def preset(key: str) -> SizePreset:
    k = key.lower()
    try:
        return PRESET_BY_KEY[ALIASES.get(k, k)]
    except KeyError:
        raise ExportError(f"unknown size {key!r}: choose one of {', '.join(PRESET_BY_KEY)} or custom") from None


def default_preset(fmt: ImageFormat | None) -> str:
    """The size an export gets when the user names none, in the dialog and on the command line alike:
    a PDF is a printed page (A4 landscape), an image a 16:9 slide."""
    return "a4-landscape" if fmt is ImageFormat.PDF else "slide"


def options_for(
    fmt: ImageFormat | None,
    *,
    size: str | None = None,
    width: int | None = None,
    height: int | None = None,
    **rest: object,
) -> ExportOptions:
    """The one way the dialog and the command line turn a user's choices into ``ExportOptions``:
    a preset (the format's default when none is named), or a custom ``width`` × ``height``, which
    a width or height given on its own also means (the other side from the preset)."""
    key = size or default_preset(fmt)
    chosen = preset(key) if key != CUSTOM else None
    custom = chosen is None or width is not None or height is not None
    w = width if width is not None else (chosen.width if chosen else 1920)
    h = height if height is not None else (chosen.height if chosen else 1080)
    page = chosen.page if chosen is not None and not custom else None
    orientation = chosen.orientation if chosen is not None and not custom else "landscape"
    return ExportOptions.make(width=w, height=h, page=page, orientation=orientation, **rest)
