"""iCalendar export: RFC 5545 lines, folding, escaping, all-day dates by precision, BCE skipped."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from timeline_app.core.loading import load_timeline
from timeline_app.core.models import Timeline
from timeline_app.interop.icalendar import escape_text, fold, to_ics

NOW = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def parse_ics(text: str) -> list[dict[str, list[str]]]:
    """A small reader: unfold (CRLF + space), split name;params:value, unescape TEXT, group VEVENTs."""
    assert "\n" not in text.replace("\r\n", ""), "bare LF or CR outside CRLF"
    lines = text.replace("\r\n ", "").split("\r\n")
    assert lines[-1] == "" and lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    events: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] | None = None
    for line in lines[:-1]:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            unescaped = value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
            current.setdefault(name, []).append(unescaped)
    return events


def _timeline(**event: object) -> Timeline:
    base = {"id": "e1", "title": "T", "start": "2011-05-02", "actors": ["us"], "summary": ""}
    return Timeline.model_validate({
        "schema_version": 1, "title": "Cal", "actors": [{"id": "us", "name": "United States"}],
        "sources": [{"id": "s", "title": "Paper", "author": "Ann", "url": "https://example.org/p"}],
        "events": [{**base, **event}],
    })  # fmt: skip


def test_folding_keeps_lines_short_and_utf8_whole() -> None:
    line = "DESCRIPTION:" + "é" * 100 + "x" * 50 + "ж€😀" * 20
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert folded.replace("\r\n ", "") == line  # every piece decoded on its own: no split character
    assert fold("SHORT:x") == "SHORT:x"


def test_escaping_of_text_values() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_day_precision_single_day_event() -> None:
    text, warnings = to_ics(_timeline(title="Raid, at night; 2", excerpts=[{"source": "s", "quote": "q"}]), NOW)
    assert text.endswith("END:VCALENDAR\r\n") and warnings == []
    [ev] = parse_ics(text)
    assert ev["UID"] == ["e1@timeline-app"]
    assert ev["DTSTAMP"] == ["20240102T030405Z"]
    assert ev["DTSTART;VALUE=DATE"] == ["20110502"]
    assert ev["DTEND;VALUE=DATE"] == ["20110503"]  # exclusive
    assert ev["SUMMARY"] == ["Raid, at night; 2"]
    assert ev["URL"] == ["https://example.org/p"]
    assert "“q”\n— Paper, Ann <https://example.org/p>" in ev["DESCRIPTION"][0]
    assert ev["CATEGORIES"] == ["United States"]


def test_month_and_year_precision_span_the_whole_period() -> None:
    [ev] = parse_ics(to_ics(_timeline(start="2018-02"), NOW)[0])
    assert (ev["DTSTART;VALUE=DATE"], ev["DTEND;VALUE=DATE"]) == (["20180201"], ["20180301"])
    assert "Date precision: month" in ev["DESCRIPTION"][0]
    [ev] = parse_ics(to_ics(_timeline(start="2002", end="2017~", tags=["aid"]), NOW)[0])
    assert (ev["DTSTART;VALUE=DATE"], ev["DTEND;VALUE=DATE"]) == (["20020101"], ["20180101"])
    assert "Date precision: year" in ev["DESCRIPTION"][0] and "approximate" in ev["DESCRIPTION"][0]
    assert ev["CATEGORIES"] == ["United States,aid"]


def test_bce_events_are_skipped_with_a_warning() -> None:
    text, warnings = to_ics(_timeline(start="-0043-03-15"), NOW)
    assert parse_ics(text) == []
    assert warnings and "skipped 1 event" in warnings[0] and "e1" in warnings[0]


def test_bundled_data_exports(bundled: Path) -> None:
    timeline = load_timeline(bundled)
    text, _ = to_ics(timeline, NOW)
    events = parse_ics(text)
    assert len(events) == len(timeline.events)
    first = timeline.events[0]
    assert events[0]["UID"] == [f"{first.id}@timeline-app"]
    y, m, d = first.start_date.year, first.start_date.month or 1, first.start_date.day or 1
    assert events[0]["DTSTART;VALUE=DATE"] == [f"{y:04d}{m:02d}{d:02d}"]
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
