"""iCalendar (RFC 5545) → our timeline, read with the ``icalendar`` package (folded lines,
escapes, time zones and parameters are its job).

Each ``VEVENT`` becomes an event: ``SUMMARY`` the title, ``DESCRIPTION`` the summary, ``DTSTART``
the start day (a timed event's day in its own time zone; the time is dropped, with a warning),
``DTEND``/``DURATION`` the end (``DTEND`` of an all-day event is exclusive), ``CATEGORIES`` its
actors and ``URL`` its source. A recurring event (``RRULE``) is expanded within a bounded window,
with a warning. An event that cannot be read is skipped with a warning that names its line.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from ..core.dates import EdtfDate
from ..core.errors import Issue, TimelineLoadError
from ..core.loading import read_bytes
from ..core.models import Actor, Event, Excerpt, Source, Timeline
from .htmltext import HTTP_URL, one_line
from .ids import IdAllocator, is_valid_id
from .timelinejs import _host, _url_title

__all__ = ["MAX_OCCURRENCES", "loads_ics", "read_ics"]

MAX_OCCURRENCES = 100  # per recurring event
RECURRENCE_YEARS = 10  # and within this many years of its first
_DEFAULT_ACTOR = "calendar"
_DROPPED = ("LOCATION", "ORGANIZER", "ATTENDEE", "GEO", "ATTACH", "RESOURCES", "CONTACT", "COMMENT", "STATUS",
            "CLASS", "PRIORITY", "RDATE", "RECURRENCE-ID")  # fmt: skip


def _day(value: Any) -> date | None:
    """A DTSTART/DTEND value as the day it falls on in its own time zone (floating: as written)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _edtf(d: date) -> str:
    return EdtfDate(d.year, d.month, d.day).to_edtf()


class _Reader:
    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.lines = [m.start() for m in re.finditer(r"(?im)^BEGIN:VEVENT\s*$", text)]
        self.text = text
        self.notes: Counter[str] = Counter()
        self.skipped: list[Issue] = []
        self.actors: dict[str, Actor] = {}
        self.sources: dict[str, Source] = {}
        self.actor_ids, self.source_ids, self.event_ids = IdAllocator(), IdAllocator(), IdAllocator()
        self.events: list[Event] = []

    def line_of(self, index: int) -> int:
        if index < len(self.lines):
            return self.text.count("\n", 0, self.lines[index]) + 1
        return 1

    def actor(self, name: str) -> str:
        if name not in self.actors:
            self.actors[name] = Actor(id=self.actor_ids.claim(None, name, "actor"), name=name)
        return self.actors[name].id

    def source(self, url: str) -> Source:
        if url not in self.sources:
            self.sources[url] = Source(id=self.source_ids.claim(None, _url_title(url), "source"),
                                       title=_url_title(url), url=url, publisher=_host(url))  # fmt: skip
        return self.sources[url]

    def skip(self, index: int, why: str) -> None:
        self.skipped.append(Issue(f"VEVENT {index + 1}", f"{why}: the event was skipped", self.line_of(index), 1))

    def vevent(self, index: int, ev: Any, default_actor: str) -> None:
        start_prop = ev.get("DTSTART")
        start_value = start_prop.dt if start_prop is not None else None
        start = _day(start_value)
        if start is None:
            self.skip(index, "no DTSTART: an event needs a start")
            return
        timed = isinstance(start_value, datetime)
        if timed:
            self.notes["time of day dropped: our dates stop at the day (a timed event keeps its day in its zone)"] += 1
        end = self._end(ev, start_value, timed)
        title = one_line(str(ev.get("SUMMARY") or "")) or "Untitled"
        summary = str(ev.get("DESCRIPTION") or "").replace("\r\n", "\n").strip()
        names = self._categories(ev)
        actors = [self.actor(n) for n in names] or [default_actor]
        excerpts = []
        url = str(ev.get("URL") or "").strip()
        if url and HTTP_URL.match(url):
            excerpts.append(Excerpt(source=self.source(url).id, quote=url, locator="URL"))
        elif url:
            self.notes["URL dropped: not an http(s) address"] += 1
        for key in _DROPPED:
            if ev.get(key) is not None:
                self.notes[f"{key} dropped"] += 1
        if any(True for _ in ev.walk("VALARM")):
            self.notes["VALARM (reminders) dropped"] += 1
        uid = str(ev.get("UID") or "").split("@", 1)[0].strip()
        days = self._occurrences(ev, start_value, start, title)
        span = (end - start) if end is not None else None
        for day in days:
            wanted = uid if is_valid_id(uid) else None
            if len(days) > 1:
                wanted = f"{uid}-{day:%Y%m%d}" if wanted else None
            ident = self.event_ids.claim(wanted, f"{title} {day:%Y-%m-%d}" if len(days) > 1 else title, "event")
            last = day + span if span is not None else None
            self.events.append(Event(id=ident, title=title, start=_edtf(day),
                                     end=_edtf(last) if last is not None and last > day else None,
                                     actors=actors, summary=summary, excerpts=excerpts))  # fmt: skip

    def _end(self, ev: Any, start_value: Any, timed: bool) -> date | None:
        end_prop, duration = ev.get("DTEND"), ev.get("DURATION")
        if end_prop is not None:
            end_value = end_prop.dt
            if not timed and isinstance(end_value, date) and not isinstance(end_value, datetime):
                return end_value - timedelta(days=1)  # all-day DTEND is exclusive
            if isinstance(end_value, datetime) and isinstance(start_value, datetime) and end_value.tzinfo:
                # The end's day where the event started, so an evening event that ends at 01:00 UTC
                # stays on its day.
                end_value = end_value.astimezone(start_value.tzinfo) if start_value.tzinfo else end_value
            return _day(end_value)
        if duration is not None and isinstance(duration.dt, timedelta):
            if timed:
                return _day(start_value + duration.dt)
            return _day(start_value) + duration.dt - timedelta(days=1) if duration.dt.days >= 1 else None
        return None

    def _categories(self, ev: Any) -> list[str]:
        raw = ev.get("CATEGORIES")
        props = raw if isinstance(raw, list) else [raw] if raw is not None else []
        names: list[str] = []
        for prop in props:
            cats = getattr(prop, "cats", None)
            values = cats if cats is not None else str(prop).split(",")
            names.extend(one_line(str(c)) for c in values if str(c).strip())
        return list(dict.fromkeys(names))

    def _occurrences(self, ev: Any, start_value: Any, start: date, title: str) -> list[date]:
        rule = ev.get("RRULE")
        if rule is None:
            return [start]
        from dateutil.rrule import rruleset, rrulestr

        first = start_value if isinstance(start_value, datetime) else datetime(start.year, start.month, start.day)
        try:
            rules = rrulestr(rule.to_ical().decode(), dtstart=first, forceset=True)
        except (ValueError, TypeError) as exc:
            self.notes[f"RRULE not understood ({exc}): only the first occurrence kept"] += 1
            return [start]
        assert isinstance(rules, rruleset)
        exdates = ev.get("EXDATE")
        for ex in exdates if isinstance(exdates, list) else [exdates] if exdates is not None else []:
            for d in getattr(ex, "dts", []):
                value = d.dt if isinstance(d.dt, datetime) else datetime(d.dt.year, d.dt.month, d.dt.day)
                if first.tzinfo is not None and value.tzinfo is None:
                    value = value.replace(tzinfo=first.tzinfo)
                rules.exdate(value)
        limit = first + timedelta(days=365 * RECURRENCE_YEARS)
        days: list[date] = []
        truncated = False
        for occurrence in rules:
            if occurrence > limit or len(days) >= MAX_OCCURRENCES:
                truncated = True
                break
            days.append(occurrence.date())
        bound = f"at most {MAX_OCCURRENCES} occurrences within {RECURRENCE_YEARS} years of the first"
        self.notes[f"recurring events (RRULE) expanded: {bound}" + ("; later ones dropped" if truncated else "")] += 1
        return days or [start]


def loads_ics(data: bytes, name: str = "<string>") -> tuple[Timeline, list[str]]:
    """An iCalendar file's bytes → our timeline and warnings; TimelineLoadError when unusable."""
    import icalendar

    text = data.decode("utf-8-sig", errors="replace")
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except (ValueError, KeyError, IndexError) as exc:
        raise TimelineLoadError.whole_file(name, f"not a readable iCalendar file: {exc}") from None
    if not calendars:
        raise TimelineLoadError.whole_file(name, "no VCALENDAR in the file")
    reader = _Reader(name, text)
    cal = calendars[0]
    title = one_line(str(cal.get("X-WR-CALNAME") or "")) or Path(name).stem or "Calendar"
    description = str(cal.get("X-WR-CALDESC") or "").strip()
    default_actor: str | None = None
    index = 0
    for calendar in calendars:
        for ev in calendar.walk("VEVENT"):
            if default_actor is None and not ev.get("CATEGORIES"):
                default_actor = reader.actor_ids.claim(_DEFAULT_ACTOR)
                reader.actors[""] = Actor(id=default_actor, name=title, description="Events with no CATEGORIES.")
            try:
                reader.vevent(index, ev, default_actor or _DEFAULT_ACTOR)
            except (ValueError, TypeError, AttributeError, OverflowError) as exc:
                reader.skip(index, f"cannot be read ({type(exc).__name__}: {exc})")
            index += 1
        for kind in ("VTODO", "VJOURNAL"):
            n = len(calendar.walk(kind))
            if n:
                reader.notes[f"{kind} components dropped (only events are read)"] += n
    if not reader.events:
        if reader.skipped:
            raise TimelineLoadError(name, reader.skipped)
        raise TimelineLoadError.whole_file(name, "the calendar has no events (VEVENT) to show")
    timeline = Timeline(schema_version=1, title=title, description=description, actors=list(reader.actors.values()),
                        sources=list(reader.sources.values()), events=reader.events)  # fmt: skip
    warnings = [f"line {i.line}, column 1: {i.path}: {i.message}" for i in reader.skipped]
    warnings += [f"{what} ({n}×)" if n > 1 else what for what, n in reader.notes.items()]
    return timeline, warnings


def read_ics(path: str | Path) -> tuple[Timeline, list[str]]:
    return loads_ics(read_bytes(path, "iCalendar file"), str(path))
