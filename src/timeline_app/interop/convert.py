"""Format detection and conversion between our format, TimelineJS, CSV and iCalendar.

Input goes through the one way in (:mod:`.open`, formats told by :mod:`.detect`). Output
``.json`` means ours unless ``--to timelinejs`` says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..core.models import Timeline
from .csv_format import write_csv
from .detect import CSV_SUFFIXES, ICS_SUFFIXES, INPUT_FORMATS, FormatError
from .icalendar import write_ics
from .native import write_native
from .open import CsvOptions, read_any
from .timelinejs import write_timelinejs

OUTPUT_FORMATS = ("timeline", "timelinejs", "csv", "ics")

__all__ = ["INPUT_FORMATS", "OUTPUT_FORMATS", "FormatError", "convert", "detect_output", "read_any", "write_any"]


def _ext(path: str | Path) -> str:
    return Path(path).suffix.lower()


def detect_output(path: str | Path) -> str:
    ext = _ext(path)
    if ext in CSV_SUFFIXES:
        return "csv"
    if ext in ICS_SUFFIXES:
        return "ics"
    if ext == ".json":
        return "timeline"
    raise FormatError(f"cannot tell the output format from {str(path)!r}: name it .json, .csv or .ics, "
                      f"or give --to ({', '.join(OUTPUT_FORMATS)})")  # fmt: skip


_WRITERS: dict[str, Callable[[Timeline, Path], list[str]]] = {
    "timeline": write_native,
    "timelinejs": write_timelinejs,
    "csv": write_csv,
    "ics": write_ics,
}


def _output_format(path: str | Path, fmt: str | None) -> str:
    fmt = fmt or detect_output(path)
    if fmt not in _WRITERS:
        raise FormatError(f"unknown output format {fmt!r}; choose from: {', '.join(OUTPUT_FORMATS)}")
    return fmt


def write_any(timeline: Timeline, path: str | Path, fmt: str | None = None) -> list[str]:
    """Write atomically in ``fmt`` (from the extension when None); warnings for what was left out."""
    return _WRITERS[_output_format(path, fmt)](timeline, Path(path))


def convert(
    src: str | Path,
    dst: str | Path,
    from_fmt: str | None = None,
    to_fmt: str | None = None,
    csv: CsvOptions | None = None,
) -> list[str]:
    """Read ``src``, write ``dst``; returns the warnings of both steps.

    Raises FormatError (usage), TimelineLoadError (invalid input) or OSError (the write failed,
    leaving any existing ``dst`` untouched).
    """
    to_fmt = _output_format(dst, to_fmt)  # before reading: a usage error should not wait for a big file
    timeline, warnings, _ = read_any(src, from_fmt, csv)
    return warnings + write_any(timeline, dst, to_fmt)
