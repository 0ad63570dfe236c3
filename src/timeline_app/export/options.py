"""What an image export is asked to do, without Qt: the format, the size, the scale and theme.

Kept Qt-free so that the command line can reject bad options (unknown extension, absurd size)
before it pays for starting Qt, and so that they are unit-testable without a display.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

# A rendered PNG is held in memory before the atomic write: cap it well below the machine's memory.
MAX_PIXELS = 120_000_000
REFERENCE_DPI = 96.0
SEP = " · "

# Paper sizes live here, not with the presets (presets.py builds on this module, not the reverse).
Paper = Literal["A4", "Letter"]
Orientation = Literal["landscape", "portrait"]
PAPER_MM: dict[str, tuple[float, float]] = {"A4": (297.0, 210.0), "Letter": (279.4, 215.9)}  # long × short side


def paper_mm(page: Paper, orientation: Orientation) -> tuple[float, float]:
    long, short = PAPER_MM[page]
    return (long, short) if orientation == "landscape" else (short, long)


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


class ExportOptions(BaseModel):
    """One export's settings, shared by the dialog and the command line.

    Sizes are logical pixels at 96 dpi: the page is laid out in them. ``scale`` multiplies PNG pixels
    (a paper page with a ``dpi`` gets the paper's exact pixel size at that resolution instead).
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    width: int = Field(1920, ge=400, le=20000)
    height: int = Field(1080, ge=300, le=20000)
    scale: float = Field(1.0, ge=0.25, le=8.0)
    theme: Literal["light", "dark"] | None = None  # None: the palette the application has
    title: str | None = None  # None: the data set's title, with the figure's real span
    scope: Literal["view", "all"] = "view"  # the range the user looks at, or the whole timeline
    page: Paper | None = None  # paper (PDF page; PNG at ``dpi``); None: width × height
    orientation: Orientation = "landscape"
    dpi: int | None = Field(None, ge=72, le=1200)  # PNG of a paper page: its resolution
    legend: bool = True
    caption: bool = True
    notes: bool = True  # the numbered source notes (and the explained disagreements)
    font_scale: float = Field(1.0, ge=0.5, le=3.0)
    fixed_size: bool = False  # PNG/SVG: keep exactly width × height; the notes go beside it as text
    pages_wide: int = Field(1, ge=1, le=20)  # PDF: the timeline across this many pages
    lane_mode: str | None = None  # passed to the view when it offers lane modes
    time_scale: str | None = None  # passed to the view when it offers time scales

    @model_validator(mode="after")
    def _bounded(self) -> ExportOptions:
        w, h = self.pixel_size(ImageFormat.PNG)
        if w * h > MAX_PIXELS:
            raise ValueError(
                f"{w} × {h} pixels is too large "
                f"(at most {MAX_PIXELS // 1_000_000} million pixels): lower the size, the scale or the DPI"
            )
        return self

    @classmethod
    def make(cls, **values: Any) -> ExportOptions:
        """Build from user input, turning validation failures into one readable ``ExportError``."""
        try:
            return cls(**values)
        except ValidationError as exc:
            raise ExportError("; ".join(_readable(e) for e in exc.errors())) from None

    @property
    def png_scale(self) -> float:
        """Device pixels per logical pixel in a PNG."""
        if self.page is not None and self.dpi is not None:
            return self.dpi / REFERENCE_DPI
        return self.scale

    def pixel_size(self, fmt: ImageFormat) -> tuple[int, int]:
        """The size in device pixels of the first page (PNG: scaled; SVG/PDF: logical), before any
        notes panel grows it."""
        if fmt is ImageFormat.PNG:
            if self.page is not None and self.dpi is not None:
                mw, mh = paper_mm(self.page, self.orientation)
                return round(mw / 25.4 * self.dpi), round(mh / 25.4 * self.dpi)
            return round(self.width * self.scale), round(self.height * self.scale)
        return self.width, self.height

    def dpi_of(self, fmt: ImageFormat) -> float:
        return REFERENCE_DPI * (self.png_scale if fmt is ImageFormat.PNG else 1.0)


def _readable(error: Mapping[str, Any]) -> str:
    where = ".".join(str(p) for p in error.get("loc", ()))
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
