"""iCalendar import: all-day and timed events, time zones, folded lines, DURATION, bounded RRULE,
CATEGORIES as actors, URL as source, an unreadable event skipped with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline_app.core.errors import TimelineLoadError
from timeline_app.interop.ical_import import MAX_OCCURRENCES, loads_ics
from timeline_app.interop.open import read_any

CALENDAR = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//x//y//EN
X-WR-CALNAME:Test cal
BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:STANDARD
DTSTART:19701101T020000
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
UID:allday@example.org
DTSTART;VALUE=DATE:20240310
DTEND;VALUE=DATE:20240313
SUMMARY:Three days\\, all day
DESCRIPTION:First line\\nsecond line that is folded over more than seventy-five octets so that it con
 tinues here
CATEGORIES:Work,Travel
URL:https://example.org/trip
END:VEVENT
BEGIN:VEVENT
UID:timed@example.org
DTSTART;TZID=America/New_York:20240101T230000
DTEND;TZID=America/New_York:20240101T233000
SUMMARY:Late meeting
LOCATION:Room 1
END:VEVENT
BEGIN:VEVENT
UID:weekly
DTSTART;VALUE=DATE:20240101
DURATION:P1D
RRULE:FREQ=WEEKLY
SUMMARY:Forever weekly
END:VEVENT
BEGIN:VEVENT
UID:nostart
SUMMARY:Broken
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n")


def test_calendar_imports_with_its_warnings() -> None:
    timeline, warnings = loads_ics(CALENDAR.encode(), "cal.ics")
    assert timeline.title == "Test cal"
    allday, timed, *weekly = timeline.events
    # DTEND of an all-day event is exclusive: 10-13 March covers the 10th to the 12th.
    assert (allday.id, allday.title, allday.start, allday.end) == ("allday", "Three days, all day", "2024-03-10",
                                                                   "2024-03-12")  # fmt: skip
    assert allday.summary.endswith("seventy-five octets so that it continues here")  # folded line joined
    assert [timeline.actor_by_id[a].name for a in allday.actors] == ["Work", "Travel"]
    source = timeline.source_by_id[allday.excerpts[0].source]
    assert (source.url, source.publisher) == ("https://example.org/trip", "example.org")
    # 23:00 in New York is the 1st there (the 2nd in UTC): the day in its own zone.
    assert (timed.start, timed.end) == ("2024-01-01", None)
    assert len(weekly) == MAX_OCCURRENCES and weekly[1].start == "2024-01-08"
    assert len({e.id for e in timeline.events}) == len(timeline.events)
    assert any(w.startswith("line 38, column 1: VEVENT 4: no DTSTART") for w in warnings)
    assert any("RRULE" in w and "later ones dropped" in w for w in warnings)
    assert "LOCATION dropped" in warnings


def test_calendar_opens_through_the_one_way_in(tmp_path: Path) -> None:
    path = tmp_path / "cal.ics"
    path.write_bytes(CALENDAR.encode())
    timeline, _, fmt = read_any(path)
    assert fmt == "ics" and len(timeline.events) == 2 + MAX_OCCURRENCES


def test_a_calendar_without_events_is_refused() -> None:
    with pytest.raises(TimelineLoadError, match="no events"):
        loads_ics(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "empty.ics")
