"""iCalendar (RFC 5545) export: one all-day VEVENT per event, for calendar programs.

Calendars know days, not "sometime in 2001": a month or year becomes an all-day event spanning the
whole month or year (DTEND is exclusive), and the DESCRIPTION says so. Calendars also cannot show
years before 1 (BCE): such events are skipped with a warning.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from ..core.atomic import atomic_write_bytes
from ..core.dates import EdtfDate, civil_from_days
from ..core.models import Event, Timeline

PRODID = "-//timeline-app//timeline-app//EN"
UID_DOMAIN = "timeline-app"
MAX_OCTETS = 75
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into 75-octet pieces (§3.1), never splitting a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= MAX_OCTETS:
        return line
    pieces: list[str] = []
    start, limit = 0, MAX_OCTETS  # continuation lines begin with a space, which counts
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # inside a multi-byte character
            end -= 1
        pieces.append(data[start:end].decode("utf-8"))
        start, limit = end, MAX_OCTETS - 1
    return "\r\n ".join(pieces)


def _ical_date(day: float) -> str | None:
    y, m, d = civil_from_days(int(day))
    return f"{y:04d}{m:02d}{d:02d}" if 1 <= y <= 9999 else None


def _stamp(now: datetime | None) -> str:
    if now is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()  # reproducible builds
        now = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)
    return now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _precision_note(label: str, date: EdtfDate) -> list[str]:
    out = []
    if date.precision.value != "day":
        out.append(f"Date precision: {date.precision.value} ({label} {date.format()})")
    if date.qualified:
        qual = " and ".join(w for w, on in (("approximate", date.approximate), ("uncertain", date.uncertain)) if on)
        out.append(f"{label.capitalize()} date is {qual}: {date.format()}")
    return out


def _description(ev: Event, timeline: Timeline) -> str:
    parts: list[str] = []
    if ev.summary.strip():
        parts.append(ev.summary.strip())
    notes = _precision_note("start", ev.start_date)
    if ev.end_date is not None:
        notes += _precision_note("end", ev.end_date)
    if notes:
        parts.append("\n".join(notes))
    for ex in ev.excerpts:
        source = timeline.source_by_id.get(ex.source)
        credit = ex.source
        if source is not None:
            credit = source.title + (f", {source.author}" if source.author else "")
            credit += f", {source.publisher}" if source.publisher else ""
            credit += f" ({source.published})" if source.published else ""
            credit += f", {ex.locator}" if ex.locator else ""
            credit += f" <{source.url}>" if source.url else ""
        parts.append(f"“{ex.quote}”\n— {credit}")
    for d in ev.discrepancies:
        where = f" ({d.field})" if d.field else ""
        by = f" [sources: {', '.join(d.sources)}]" if d.sources else ""
        parts.append(f"Discrepancy{where}: claimed: {d.claim}; corrected: {d.correction}{by}")
    return "\n\n".join(parts)


def _event_lines(ev: Event, timeline: Timeline, stamp: str) -> list[str] | None:
    start_day, end_day = ev.interval()
    start, end = _ical_date(start_day), _ical_date(end_day)
    if start is None or end is None:
        return None
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(ev.id)}@{UID_DOMAIN}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{start}",
        f"DTEND;VALUE=DATE:{end}",
        f"SUMMARY:{escape_text(ev.title)}",
    ]
    description = _description(ev, timeline)
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    names = [timeline.actor_by_id[a].name if a in timeline.actor_by_id else a for a in ev.actors]
    categories = list(dict.fromkeys([*names, *ev.tags]))
    if categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in categories))
    # Source.url is already checked to be http(s) by the model.
    url = next((s.url for s in (timeline.source_by_id.get(x.source) for x in ev.excerpts) if s is not None and s.url),
               None)  # fmt: skip
    if url:
        lines.append(f"URL:{url}")
    lines.append("TRANSP:TRANSPARENT")  # history does not make anyone busy
    lines.append("END:VEVENT")
    return lines


def to_ics(timeline: Timeline, now: datetime | None = None) -> tuple[str, list[str]]:
    """The calendar text (CRLF, folded) and warnings for the events it could not hold."""
    stamp = _stamp(now)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text(timeline.title)}"]  # fmt: skip
    if timeline.description.strip():
        lines.append(f"X-WR-CALDESC:{escape_text(timeline.description.strip())}")
    skipped: list[str] = []
    for ev in timeline.events:
        got = _event_lines(ev, timeline, stamp)
        if got is None:
            skipped.append(ev.id)
        else:
            lines.extend(got)
    lines.append("END:VCALENDAR")
    warnings = []
    if skipped:
        shown = ", ".join(skipped[:5]) + (f" and {len(skipped) - 5} more" if len(skipped) > 5 else "")
        warnings.append(f"iCalendar dates run from year 1 to 9999: skipped {len(skipped)} event"
                        f"{'s' if len(skipped) > 1 else ''} outside them ({shown})")  # fmt: skip
    if timeline.eras:
        warnings.append(f"iCalendar has no background periods: {len(timeline.eras)} eras dropped")
    if any(ev.links for ev in timeline.events):
        warnings.append("iCalendar cannot hold links between events: dropped")
    return _join(lines), warnings


def _join(lines: Iterable[str]) -> str:
    return "".join(fold(line) + "\r\n" for line in lines)


def write_ics(timeline: Timeline, path: str | Path, now: datetime | None = None) -> list[str]:
    text, warnings = to_ics(timeline, now)
    atomic_write_bytes(Path(path), text.encode("utf-8"))
    return warnings
