"""TimelineJS JSON: a hand-written file with the awkward cases, located errors, export, round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from timeline_app.core.dates import EdtfDate, parse_date
from timeline_app.core.errors import TimelineLoadError
from timeline_app.core.loading import load_timeline
from timeline_app.core.models import Timeline
from timeline_app.interop.htmltext import html_to_text, text_to_html
from timeline_app.interop.timelinejs import dumps_timelinejs, loads_timelinejs, to_timelinejs

from .conftest import timelines

HANDWRITTEN = """{
  "title": {"text": {"headline": "Hand &amp; written", "text": "<p>First</p><p>Second &lt;b&gt;</p>"}},
  "eras": [{"start_date": {"year": -500}, "end_date": {"year": "-0400"}, "text": {"headline": "Classical"}}],
  "events": [
    {"start_date": {"year": "602", "month": "06", "day": "08"}, "text": {"headline": "Three-digit year"},
     "unique_id": "has space", "group": "Romans"},
    {"start_date": {"year": -43, "month": 3, "day": 15}, "end_date": {"year": "", "month": "", "day": ""},
     "text": {"headline": "", "text": "<p>No headline here, so the text gives it.</p><p>More.</p>"},
     "unique_id": "ides", "group": "Romans"},
    {"start_date": {"year": 1999, "month": 2, "day": ""}, "end_date": {"year": 2001},
     "text": {"headline": "Dup", "text": "line one<br>line two &amp; more\\n\\nnext paragraph"},
     "unique_id": "ides",
     "media": {"url": "javascript:alert(1)", "credit": "<a href=\\"https://example.org/x\\">Ex &amp; Co</a>",
               "caption": "<b>Quoted</b> words"}},
    {"start_date": {"year": 2020}, "text": {"text": ""}, "group": ""},
    {"start_date": {"year": 2021}, "media": {"url": "", "caption": "", "credit": ""}}
  ]
}"""


def test_handwritten_file_imports() -> None:
    timeline, warnings = loads_timelinejs(HANDWRITTEN, "hand.json")
    assert timeline.title == "Hand & written"
    assert timeline.description == "First\n\nSecond <b>"  # entities unescaped, never rendered
    [era] = timeline.eras
    # TimelineJS's -500 is 500 BCE, EDTF's -0499 (issue 16: historical → astronomical years)
    assert (era.title, era.start, era.end) == ("Classical", "-0499", "-0399")
    three, ides, dup, untitled, bare = timeline.events
    assert (three.id, three.start) == ("three-digit-year", "0602-06-08")  # invalid unique_id → slug
    assert (ides.id, ides.start, ides.end) == ("ides", "-0042-03-15", None)  # TimelineJS's -43 = 43 BCE
    assert ides.title == "No headline here, so the text gives it."
    assert dup.id == "ides-2" and dup.start == "1999-02" and dup.end == "2001"  # repeated unique_id
    assert dup.summary == "line one\nline two & more\n\nnext paragraph"
    [excerpt] = dup.excerpts
    assert excerpt.quote == "Quoted words"
    source = timeline.source_by_id[excerpt.source]
    assert (source.title, source.url) == ("Ex & Co", "https://example.org/x")  # not the javascript: URL
    assert untitled.title == "Untitled" and bare.title == "Untitled" and untitled.id != bare.id
    romans = timeline.actor_by_id[three.actors[0]]
    assert romans.name == "Romans" and ides.actors == three.actors
    default = timeline.actor_by_id[untitled.actors[0]]
    assert (default.id, default.name) == ("general", "Hand & written")
    assert any("not an http(s) address" in w for w in warnings)
    assert any("unique_id invalid or repeated" in w and "2×" in w for w in warnings)


def test_timelinejs2_date_wrapper_imports() -> None:
    doc = {
        "timeline": {
            "headline": "Old",
            "type": "default",
            "text": "<p>v2</p>",
            "date": [
                {
                    "startDate": "2011,12,10",
                    "endDate": "2012,1",
                    "headline": "A",
                    "text": "t",
                    "tag": "Grp",
                    "asset": {"media": "https://example.org/a.jpg", "credit": "Cred", "caption": "Cap"},
                },
                {"startDate": "1990", "headline": "B"},
            ],
            "era": [{"startDate": "2000", "endDate": "2013", "headline": "Span"}],
        }
    }
    timeline, _ = loads_timelinejs(json.dumps(doc), "old.json")
    assert timeline.title == "Old"
    a, b = timeline.events
    assert (a.start, a.end, b.start) == ("2011-12-10", "2012-01", "1990")
    assert timeline.actor_by_id[a.actors[0]].name == "Grp"
    assert timeline.source_by_id[a.excerpts[0].source].title == "Cred"
    assert [(e.start, e.end) for e in timeline.eras] == [("2000", "2013")]


def test_bad_dates_are_all_reported_with_json_positions() -> None:
    text = (
        '{"events": [\n  {"start_date": {"year": "20x1"}},\n  {"text": {"headline": "no date"}},\n'
        '  {"start_date": {"year": 2001, "month": 13}},\n  {"start_date": {"year": 2001, "month": 2, "day": 30}}\n]}'
    )
    with pytest.raises(TimelineLoadError) as info:
        loads_timelinejs(text, "bad.json")
    issues = info.value.issues
    assert [(i.path, i.line) for i in issues] == [
        ("$.events[0].start_date.year", 2),
        ("$.events[1].start_date", 3),  # missing: located at its event
        ("$.events[2].start_date.month", 4),
        ("$.events[3].start_date.day", 5),
    ]
    assert "'20x1' is not a number" in issues[0].message
    assert issues[0].col == text.splitlines()[1].index('"20x1"') + 1
    assert "needs a start_date" in issues[1].message


def test_year_beyond_the_long_year_range_is_an_error() -> None:
    # Issue 16: years beyond ±9999 now import as EDTF long years (Y-13797999999); only years
    # beyond ±10^12 (no timeline needs them) are refused.
    assert loads_timelinejs('{"events": [{"start_date": {"year": -13800000000}}]}', "c.json")[0].events[0].start == (
        "Y-13799999999"
    )
    with pytest.raises(TimelineLoadError, match="beyond ±1,000,000,000,000"):
        loads_timelinejs('{"events": [{"start_date": {"year": -10000000000000}}]}', "cosmos.json")


def _plain(d: str | None) -> str | None:
    """A date without its qualifiers: what TimelineJS carries (the rest is display text)."""
    if d is None:
        return None
    p = parse_date(d)
    return EdtfDate(p.year, p.month, p.day).to_edtf()


def test_export_lists_what_timelinejs_cannot_hold(bundled: Path) -> None:
    timeline = load_timeline(bundled)
    doc, warnings = to_timelinejs(timeline)
    assert len(doc["events"]) == len(timeline.events)
    joined = "\n".join(warnings)
    for lost in ("discrepancies", "links between events", "tags", "excerpts beyond the first"):
        assert lost in joined
    # Re-import keeps ids, dates and the first excerpt's quote.
    back, _ = loads_timelinejs(dumps_timelinejs(timeline)[0], "back.json")
    assert [e.id for e in back.events] == [e.id for e in timeline.events]
    first = timeline.events[0]
    assert back.events[0].excerpts[0].quote == first.excerpts[0].quote
    assert back.events[0].start == _plain(first.start)


def test_export_escapes_markup_and_marks_qualified_dates() -> None:
    timeline = Timeline.model_validate({
        "schema_version": 1, "title": "<script>", "actors": [{"id": "a", "name": "A"}],
        "events": [{"id": "e", "title": "x < y & z", "start": "2001~", "actors": ["a"], "summary": "<b>bold</b>"}],
    })  # fmt: skip
    doc, warnings = to_timelinejs(timeline)
    slide = doc["events"][0]
    assert slide["text"] == {"headline": "x &lt; y &amp; z", "text": "<p>&lt;b&gt;bold&lt;/b&gt;</p>"}
    assert slide["start_date"] == {"year": 2001, "display_date": "c. 2001"}
    assert doc["title"]["text"]["headline"] == "&lt;script&gt;"
    assert any("qualifiers" in w for w in warnings)


def test_html_text_round_trip_and_whitespace_collapse() -> None:
    assert html_to_text("  a \n  b\t c ") == "a b c"
    assert html_to_text("a\n\n\nb") == "a\n\nb"
    assert html_to_text("<script>alert(1)</script>x<style>p{}</style>") == "x"
    text = 'a < b & "c"\nline\n\npara'
    assert html_to_text(text_to_html(text)) == text


def _carried(t: Timeline) -> dict[str, object]:
    """What TimelineJS holds: titles, plain dates, first actor's name, summary, first excerpt, eras."""
    events = {}
    for e in t.events:
        ex = e.excerpts[0] if e.excerpts else None
        src = t.source_by_id[ex.source] if ex else None
        events[e.id] = (e.title, _plain(e.start), _plain(e.end), t.actor_by_id[e.actors[0]].name, e.summary,
                        ex and ex.quote, src and src.title, src and src.url)  # fmt: skip
    return {"title": t.title, "description": t.description, "events": events,
            "eras": [(e.title, e.start, e.end) for e in t.eras]}  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines())
def test_round_trip_keeps_what_timelinejs_holds(timeline: Timeline) -> None:
    text, _ = dumps_timelinejs(timeline)
    back, _ = loads_timelinejs(text, "rt.json")
    assert _carried(back) == _carried(timeline)
