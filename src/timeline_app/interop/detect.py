"""Which format a file is: the one detector that the window, ``validate``, ``export`` and
``convert`` all ask, so a file opens the same way everywhere.

The extension decides for spreadsheets, calendars and the desktop Timeline program's files; a
``.json`` (or an unknown extension) is told by its content: ours has ``schema_version``,
TimelineJS has slides (``events``, a ``timeline`` wrapper, or a bare list of slides),
vis-timeline has items with ``start`` and ``content``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

NATIVE = "timeline"
TIMELINEJS = "timelinejs"
CSV = "csv"
ICS = "ics"
TIMELINE_XML = "timeline-xml"
VIS = "vis"
INPUT_FORMATS = (NATIVE, TIMELINEJS, CSV, ICS, TIMELINE_XML, VIS)
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
ICS_SUFFIXES = (".ics", ".ical", ".ifb", ".icalendar")
XML_SUFFIXES = (".timeline",)
# What File > Open lists and a drop accepts.
OPENABLE_SUFFIXES = (".json", *CSV_SUFFIXES, *ICS_SUFFIXES, *XML_SUFFIXES)
_PEEK_BYTES = 65536

__all__ = ["INPUT_FORMATS", "OPENABLE_SUFFIXES", "FormatError", "classify_json", "detect_format", "sniff"]


class FormatError(ValueError):
    """The format cannot be told or is not supported in that direction: a usage error (exit 2)."""


def _is_slide(item: Any) -> bool:
    return isinstance(item, dict) and ("start_date" in item or ("text" in item and "start" not in item))


def _is_vis_item(item: Any) -> bool:
    return isinstance(item, dict) and "start" in item and ("content" in item or "group" in item or "id" in item)


def classify_json(data: Any) -> str:
    """The format of a parsed JSON document (ours when nothing else fits: its loader words why not)."""
    if isinstance(data, list):
        items = [x for x in data if isinstance(x, dict)]
        if any(_is_slide(x) for x in items):
            return TIMELINEJS
        if any(_is_vis_item(x) for x in items):
            return VIS
        return NATIVE
    if not isinstance(data, dict) or "schema_version" in data:
        return NATIVE
    wrapper = data.get("timeline")
    if isinstance(wrapper, dict) and any(isinstance(wrapper.get(k), list) for k in ("date", "slides", "events")):
        return TIMELINEJS
    items = data.get("items")
    if isinstance(items, list) and any(_is_vis_item(x) for x in items):
        return VIS
    events = data.get("events")
    if isinstance(events, list):
        if isinstance(data.get("title"), dict) or isinstance(data.get("eras"), list):
            return TIMELINEJS
        if any(_is_slide(e) for e in events):
            return TIMELINEJS
    return NATIVE


def sniff(head: bytes) -> str | None:
    """The format told by a file's first bytes alone, or None when the JSON itself must be read."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        return ICS
    if text.startswith(b"<"):
        return TIMELINE_XML
    if not text.startswith((b"{", b"[")):
        return CSV
    if b'"schema_version"' in head:
        return NATIVE
    return None


def detect_format(path: str | Path, fmt: str | None = None) -> str:
    """``fmt`` checked, or the format of ``path`` by extension and content (never raises for I/O:
    an unreadable file is "ours", so that the loader reports why it cannot be read)."""
    if fmt is not None:
        if fmt not in INPUT_FORMATS:
            raise FormatError(f"unknown input format {fmt!r}; choose from: {', '.join(INPUT_FORMATS)}")
        return fmt
    ext = Path(path).suffix.lower()
    if ext in CSV_SUFFIXES:
        return CSV
    if ext in ICS_SUFFIXES:
        return ICS
    if ext in XML_SUFFIXES:
        return TIMELINE_XML
    try:
        with open(path, "rb") as fh:
            head = fh.read(_PEEK_BYTES)
    except OSError:
        return NATIVE
    told = sniff(head)
    if told is not None:
        return NATIVE if ext == ".json" else told  # a .json that is not JSON: the loader says where
    from ..core.errors import TimelineLoadError
    from ..core.loading import parse_json, read_text

    try:
        return classify_json(parse_json(read_text(path), str(path)))
    except TimelineLoadError:
        return NATIVE  # the loader reports the syntax error, located
