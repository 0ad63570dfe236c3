"""CSV: a spreadsheet-style file with awkward quoting, every bad cell reported at once, round trip."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from timeline_app.core.errors import TimelineLoadError
from timeline_app.core.models import Timeline
from timeline_app.interop.csv_format import loads_csv, read_csv, to_csv, write_csv

from .conftest import timelines

HEADER = "id,title,start,end,actors,tags,summary,source,quote,url"

# Excel-style: BOM, CRLF records, a bare LF inside a quoted field, doubled quotes, a ';' inside
# quotes in a single-valued column, repeated ids for further excerpts, a blank row.
AWKWARD = (
    "\ufeff" + HEADER + "\r\n"
    'raid,"The ""raid""; at night",2011-05-02,,"United States; Pakistan",ops;night,"First line\nsecond line",'
    '"Report, vol. 1","He said ""go"".",https://example.org/report\r\n'
    'raid,,,,,,,Other paper,"quote two; with semicolon",\r\n'
    "\r\n"
    ",Talks,2012-07,2012-08~,Pakistan,,,,,\r\n"
    ',,,,,,,"Report, vol. 1",a third quote,https://example.org/report\r\n'
)


def test_awkward_spreadsheet_csv_imports(tmp_path: Path) -> None:
    path = tmp_path / "awkward.csv"
    path.write_bytes(AWKWARD.encode("utf-8"))
    timeline, warnings = read_csv(path)
    assert timeline.title == "awkward"  # CSV has no title: the file name
    raid, talks = timeline.events
    assert raid.title == 'The "raid"; at night'
    assert raid.summary == "First line\nsecond line"
    assert [timeline.actor_by_id[a].name for a in raid.actors] == ["United States", "Pakistan"]
    assert raid.tags == ["ops", "night"]
    assert [(timeline.source_by_id[x.source].title, x.quote) for x in raid.excerpts] == [
        ("Report, vol. 1", 'He said "go".'),
        ("Other paper", "quote two; with semicolon"),
    ]
    assert timeline.source_by_id[raid.excerpts[0].source].url == "https://example.org/report"
    # No id: made from the title; the next row with no id and no event adds an excerpt to it.
    assert (talks.id, talks.start, talks.end) == ("talks", "2012-07", "2012-08~")
    assert [x.quote for x in talks.excerpts] == ["a third quote"]
    assert talks.excerpts[0].source == raid.excerpts[0].source  # same source by title
    assert warnings == []


def test_bad_rows_are_all_reported_with_row_line_and_column() -> None:
    text = (
        HEADER + "\r\n"
        'ok,Fine,2001,,us,,"two\nlines",,,\r\n'  # lines 2-3
        "bad date,Title,2001-13,,us,,,,,\r\n"  # line 4: id with a space, bad month
        "e3,,20011,,,,,,,\r\n"  # line 5: no title, 5-digit year, no actors
        "e4,Span,2005,2001,us,,,,a quote,ftp://x\r\n"  # line 6: end before start, quote without source, bad url
        "ok,Changed title,,,,,,src,q,\r\n"  # line 7: repeated id with a different title
    )
    # Issue 16: bad rows are skipped with located warnings and the readable row imports.
    timeline, warnings = loads_csv(text.encode(), "bad.csv")
    assert [e.id for e in timeline.events] == ["ok"]
    located = [re.match(r"line (\d+), column (\d+): (row \d+, column [^:]+): (.*)$", w) for w in warnings]
    got = {(m[3], int(m[1]), int(m[2])) for m in located if m}
    assert got == {
        ("row 3, column 'id'", 4, 1),
        ("row 4, column 'title'", 5, 2),
        ("row 4, column 'start'", 5, 3),
        ("row 4, column 'actors'", 5, 5),
        ("row 5, column 'end'", 6, 4),
        ("row 5, column 'url'", 6, 10),
        ("row 5, column 'source'", 6, 8),
        ("row 6, column 'title'", 7, 2),
    }
    assert "line 6, column 4: row 5, column 'end': end 2001 is before start 2005: the row was skipped" in warnings
    assert any("differs from row 2" in w and "the value was ignored" in w for w in warnings)
    # Nothing readable at all: the file is refused, every bad cell reported at once.
    with pytest.raises(TimelineLoadError) as info:
        loads_csv((HEADER + "\r\n" + "\r\n".join(text.splitlines()[3:5]) + "\r\n").encode(), "bad.csv")
    assert {i.path for i in info.value.issues} >= {"row 2, column 'id'", "row 3, column 'title'"}


def test_extra_cells_name_the_real_header_width_and_what_was_dropped() -> None:
    # An unknown column counts in the header's width; only cells beyond the header are extra.
    text = HEADER + ",notes\r\ne1,Title,2001,,us,,,,,,kept aside\r\ne2,Other,2002,,us,,,,,,x,surplus\r\n"
    timeline, warnings = loads_csv(text.encode(), "wide.csv")
    assert [e.id for e in timeline.events] == ["e1", "e2"]
    [extra] = [w for w in warnings if "cells but the header" in w]
    assert extra == (
        "line 3, column 12: row 3, column 12: this row has 12 cells but the header has 11 columns "
        "(an unquoted comma inside a cell?): the cells from here on were ignored"
    )
    assert any("notes" in w and "not one of ours" in w for w in warnings)


def test_second_field_on_a_later_line_is_located_there() -> None:
    text = HEADER + '\r\ne1,"multi\nline\ntitle",2001-02-30,,us,,,,,\r\n'
    with pytest.raises(TimelineLoadError) as info:
        loads_csv(text, "x.csv")
    [issue] = info.value.issues
    assert (issue.path, issue.line, issue.col) == ("row 2, column 'start'", 4, 3)
    assert "has 28 days" in issue.message


def test_header_and_quoting_errors_are_clear() -> None:
    with pytest.raises(TimelineLoadError, match="lacks 'start', 'actors'"):
        loads_csv(b"id,title\r\ne,T\r\n", "h.csv")
    # A quote that never closes: its line is read with the quote as text, and said (issue 16).
    timeline, warnings = loads_csv((HEADER + '\r\ne1,"unclosed,2001,,us,,,,,\r\ne2,Next,2002,,us,,,,,\r\n').encode(),
                                   "q.csv")  # fmt: skip
    assert [(e.id, e.title, e.start) for e in timeline.events] == [("e1", '"unclosed', "2001"), ("e2", "Next", "2002")]
    assert any(w.startswith("line 2, column 1: row 2") and "never closes" in w for w in warnings)
    # Text after a closing quote joins the cell, as a spreadsheet reads it.
    timeline, warnings = loads_csv((HEADER + '\r\ne1,"The" raid,2001,,us,,,,,\r\n').encode(), "q.csv")
    assert timeline.events[0].title == "The raid" and any("joined to its cell" in w for w in warnings)
    with pytest.raises(TimelineLoadError, match="empty"):
        loads_csv(b"", "e.csv")


def test_windows_1252_is_read_with_a_warning() -> None:
    text = HEADER + "\r\ne1,Caf\xe9 \u2013 talks,2001,,us,,,,,\r\n"
    timeline, warnings = loads_csv(text.encode("cp1252"), "w.csv")
    assert timeline.events[0].title == "Café – talks"
    assert any("Windows-1252" in w for w in warnings)


def test_semicolon_separated_file_from_a_european_excel() -> None:
    text = 'id;title;start;end;actors;tags;summary;source;quote;url\r\ne1;T;2001;;"us;pk";;;;;\r\n'
    timeline, _ = loads_csv(text.encode(), "eu.csv")
    assert [a.name for a in timeline.actors] == ["us", "pk"]


def test_formula_like_cells_are_defused_and_read_back(tmp_path: Path) -> None:
    timeline = Timeline.model_validate({
        "schema_version": 1, "title": "t", "actors": [{"id": "a", "name": "A"}],
        "events": [{"id": "e", "title": "=HYPERLINK(\"http://evil\")", "start": "2001", "actors": ["a"],
                    "summary": "'=already quoted"}],
    })  # fmt: skip
    text, _ = to_csv(timeline)
    assert ",\"'=HYPERLINK(" in text and ",''=already quoted" in text
    path = tmp_path / "f.csv"
    write_csv(timeline, path)
    back, _ = read_csv(path)
    assert back.events[0].title == timeline.events[0].title
    assert back.events[0].summary == "'=already quoted"


def test_export_is_excel_friendly_and_lists_losses(bundled: Path) -> None:
    from timeline_app.core.loading import load_timeline

    timeline = load_timeline(bundled)
    text, warnings = to_csv(timeline)
    assert text.startswith("\ufeff" + HEADER + ",actor_ids,source_id\r\n")
    assert any("discrepancies" in w for w in warnings) and any("eras" in w for w in warnings)
    back, _ = loads_csv(text.encode("utf-8"), "events.csv")
    assert [e.id for e in back.events] == [e.id for e in timeline.events]
    # Ids round-trip (issue 16: actor "us" came back as "united-states", "pakistan" as "Pakistan").
    assert [e.actors for e in back.events] == [e.actors for e in timeline.events]
    assert {"us", "pakistan"} <= {a.id for a in back.actors}
    assert [[x.source for x in e.excerpts] for e in back.events] == [
        [x.source for x in e.excerpts] for e in timeline.events
    ]
    assert [len(e.excerpts) for e in back.events] == [len(e.excerpts) for e in timeline.events]


def _carried(t: Timeline) -> list[object]:
    """What our CSV holds: event fields, actor names (ids for names with ';'), tags, and each excerpt's
    source title, quote and url."""
    out: list[object] = []
    for e in t.events:
        names = [n if ";" not in n else a for a, n in ((a, t.actor_by_id[a].name) for a in e.actors)]
        excerpts = [(t.source_by_id[x.source].title, x.quote, t.source_by_id[x.source].url) for x in e.excerpts]
        out.append((e.id, e.title, e.start, e.end, names, e.tags, e.summary,
                    excerpts))  # fmt: skip
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines())
def test_round_trip_keeps_what_csv_holds(timeline: Timeline) -> None:
    text, _ = to_csv(timeline)
    back, _ = loads_csv(text.encode("utf-8"), "rt.csv")
    assert _carried(back) == _carried(timeline)
