"""Format detection and conversion between our format, TimelineJS, CSV and iCalendar.

Input formats are told apart by extension and, for ``.json``, by content (ours has
``schema_version``; TimelineJS has ``events`` with ``start_date`` or a ``timeline`` wrapper).
Output ``.json`` means ours unless ``--to timelinejs`` says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..core.loading import loads_timeline, parse_json, read_text
from ..core.models import Timeline
from .csv_format import loads_csv, read_csv, write_csv
from .icalendar import write_ics
from .native import write_native
from .timelinejs import loads_timelinejs, looks_like_timelinejs, write_timelinejs

INPUT_FORMATS = ("timeline", "timelinejs", "csv")
OUTPUT_FORMATS = ("timeline", "timelinejs", "csv", "ics")
_CSV_EXT = (".csv", ".tsv", ".txt")
_ICS_EXT = (".ics", ".ical", ".ifb", ".icalendar")

__all__ = ["INPUT_FORMATS", "OUTPUT_FORMATS", "FormatError", "convert", "detect_output", "read_any", "write_any"]


class FormatError(ValueError):
    """The format cannot be told or is not supported in that direction: a usage error (exit 2)."""


def _ext(path: str | Path) -> str:
    return Path(path).suffix.lower()


def read_any(path: str | Path, fmt: str | None = None) -> tuple[Timeline, list[str], str]:
    """Read ``path`` in ``fmt`` (detected when None): the timeline, warnings and the format used."""
    if fmt is not None and fmt not in INPUT_FORMATS:
        if fmt in OUTPUT_FORMATS:
            raise FormatError(f"{fmt} is an export format only; read from: {', '.join(INPUT_FORMATS)}")
        raise FormatError(f"unknown input format {fmt!r}; choose from: {', '.join(INPUT_FORMATS)}")
    ext = _ext(path)
    if fmt is None and ext in _ICS_EXT:
        raise FormatError(f"{path}: iCalendar is an export format only; read from: {', '.join(INPUT_FORMATS)}")
    if fmt == "csv" or (fmt is None and ext in _CSV_EXT):
        timeline, warnings = read_csv(path)
        return timeline, warnings, "csv"
    name = str(path)
    text = read_text(path)
    if fmt is None and ext != ".json" and not text.lstrip().startswith(("{", "[")):
        timeline, warnings = loads_csv(text, name)  # no extension to go by and not JSON: a spreadsheet?
        return timeline, warnings, "csv"
    data = parse_json(text, name)
    if fmt == "timelinejs" or (fmt is None and looks_like_timelinejs(data)):
        timeline, warnings = loads_timelinejs(text, name, data)
        return timeline, warnings, "timelinejs"
    return loads_timeline(text, name), [], "timeline"


def detect_output(path: str | Path) -> str:
    ext = _ext(path)
    if ext in _CSV_EXT:
        return "csv"
    if ext in _ICS_EXT:
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


def convert(src: str | Path, dst: str | Path, from_fmt: str | None = None, to_fmt: str | None = None) -> list[str]:
    """Read ``src``, write ``dst``; returns the warnings of both steps.

    Raises FormatError (usage), TimelineLoadError (invalid input) or OSError (the write failed,
    leaving any existing ``dst`` untouched).
    """
    to_fmt = _output_format(dst, to_fmt)  # before reading: a usage error should not wait for a big file
    timeline, warnings, _ = read_any(src, from_fmt)
    return warnings + write_any(timeline, dst, to_fmt)
