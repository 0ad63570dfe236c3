"""TimelineJS import is tolerant where TimelineJS is, with a located warning for every skip and drop;
historical years both ways; credits and links stay with their events."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline_app.core.errors import TimelineLoadError
from timeline_app.core.models import Timeline
from timeline_app.interop.timelinejs import loads_timelinejs, to_timelinejs
from timeline_app.interop.years import from_historical, to_historical


def _one(events: list[dict[str, object]], **top: object) -> tuple[Timeline, list[str]]:
    return loads_timelinejs(json.dumps({"events": events, **top}, indent=1), "t.json")


def test_bce_years_are_historical_in_timelinejs_and_astronomical_in_ours() -> None:
    timeline, _ = _one([{"start_date": {"year": -509}, "text": {"headline": "Republic"}},
                        {"start_date": {"year": "-1"}, "text": {"headline": "1 BCE"}}])  # fmt: skip
    assert [e.start for e in timeline.events] == ["-0508", "0000"]  # 509 BCE, 1 BCE in EDTF
    doc, _ = to_timelinejs(timeline)
    assert [s["start_date"]["year"] for s in doc["events"]] == [-509, -1]


@given(st.integers(-9998, 9999))
def test_year_numbering_round_trips(year: int) -> None:
    assert from_historical(to_historical(year)) == year
    if year != 0:
        assert to_historical(from_historical(year)) == year


def test_bad_slides_are_skipped_with_located_warnings_and_the_rest_imports() -> None:
    timeline, warnings = _one([
        {"start_date": {"year": 1990, "month": "March"}, "text": {"headline": "Named month"}},
        {"start_date": {"year": "soon"}, "text": {"headline": "Unreadable"}},
        {"start_date": {"year": 1991, "month": "Sept."}, "text": {"headline": "Abbreviated"}},
        {"start_date": {"year": 1992}, "end_date": {"year": 1992, "month": 14}, "text": {"headline": "Bad end"}},
    ])  # fmt: skip
    assert [(e.title, e.start, e.end) for e in timeline.events] == [
        ("Named month", "1990-03", None), ("Abbreviated", "1991-09", None), ("Bad end", "1992", None)]  # fmt: skip
    skipped = next(w for w in warnings if "soon" in w)
    assert re.match(r"line \d+, column \d+: \$\.events\[1\]\.start_date\.year: 'soon'", skipped), skipped
    assert "the slide was skipped" in skipped
    assert any("$.events[3].end_date.month" in w and "the end was dropped" in w for w in warnings)


def test_a_file_with_no_readable_event_is_refused() -> None:
    with pytest.raises(TimelineLoadError, match="not a number"):
        _one([{"start_date": {"year": "x"}}, {"start_date": {"year": "y"}}])


def test_credits_and_every_link_stay_with_their_event() -> None:
    credit = '<a href="https://a.example/1">Archive</a> and <a href="https://b.example/2">Museum</a>'
    timeline, warnings = _one([
        {"start_date": {"year": 2001}, "text": {"headline": "A"},
         "media": {"url": "https://img.example/x.jpg", "credit": "Archive", "link": "https://l.example/p"}},
        {"start_date": {"year": 2002}, "text": {"headline": "B"}, "media": {"credit": credit, "caption": "Said"}},
        {"start_date": {"year": 2003}, "text": {"headline": "C"}, "media": {"credit": "https://bare.example/c"}},
        {"start_date": {"year": 2004}, "text": {"headline": "D"},
         "media": {"url": "https://img.example/y.jpg", "credit": "Archive", "caption": "Again"}},
    ])  # fmt: skip
    a, b, c, d = timeline.events
    src = timeline.source_by_id
    # No caption: the credit is still this event's source (not an unattached source).
    assert [src[x.source].title for x in a.excerpts] == ["Archive", "l.example"]
    archive = src[a.excerpts[0].source]
    assert (archive.url, archive.publisher) == ("https://img.example/x.jpg", "img.example")
    assert a.excerpts[1].locator == "media.link"
    # Two links in one credit: two sources, each named by its link's text ("Archive" is the same
    # source as event A's, so this event's own address is its locator).
    assert [src[x.source].title for x in b.excerpts] == ["Archive", "Museum"]
    assert [x.quote for x in b.excerpts] == ["Said", "Said"]
    assert b.excerpts[0].locator == "https://a.example/1" and src[b.excerpts[1].source].url == "https://b.example/2"
    # "Archive" met again is the same source; this event's own address is kept as the locator.
    assert d.excerpts[0].source == a.excerpts[0].source and d.excerpts[0].locator == "https://img.example/y.jpg"
    assert len([s for s in timeline.sources if s.title == "Archive"]) == 1
    # A credit that is a bare address: a source with that url, titled by the address.
    [bare] = c.excerpts
    assert (src[bare.source].url, src[bare.source].title) == ("https://bare.example/c", "bare.example")
    assert any("without a caption" in w and "2×" in w for w in warnings)


def test_html_breaks_become_spaces_in_names_and_duplicate_keys_are_warned() -> None:
    text = ('{"events": [{"start_date": {"year": 1945}, "group": "World War II<br/>Major Events",\n'
            ' "text": {"headline": "A<br>B", "headline": "Kept<br>title", "text": "x<br>y"}}]}')  # fmt: skip
    timeline, warnings = loads_timelinejs(text, "d.json")
    [ev] = timeline.events
    assert ev.title == "Kept title" and ev.summary == "x\ny"
    assert timeline.actor_by_id[ev.actors[0]].name == "World War II Major Events"
    assert any(w.startswith("line 2, column ") and "'headline' appears twice" in w for w in warnings)


def test_dropped_fields_are_named_with_counts() -> None:
    _, warnings = _one(
        [{"start_date": {"year": 1, "hour": 3}, "display_date": "long ago", "text": {"headline": "x"},
          "media": {"url": "https://x.example/a.png", "thumbnail": "t.png"}, "background": {"color": "#fff"}},
         {"start_date": {"year": 2}, "display_date": "later", "text": {"headline": "y"}}],
        title={"text": {"headline": "T"}, "media": {"credit": "Title credit"}, "background": {"url": "b.jpg"}},
    )  # fmt: skip
    joined = "\n".join(warnings)
    for said in ("display_date dropped: dates are shown from their value (2×", "time of day dropped",
                 "media.thumbnail dropped", "background dropped", "title media.credit dropped",
                 "title background dropped"):  # fmt: skip
        assert said in joined, said


def test_bare_list_of_slides_imports() -> None:
    text = json.dumps([{"start_date": {"year": 2000}, "text": {"headline": "Only"}}])
    timeline, _ = loads_timelinejs(text, "bare.json")
    assert [e.title for e in timeline.events] == ["Only"]


def test_export_shows_the_excerpt_as_a_credited_blockquote() -> None:
    timeline = Timeline.model_validate({
        "schema_version": 1, "title": "T", "actors": [{"id": "a", "name": "A"}],
        "sources": [{"id": "s", "title": "Dawn", "url": "https://dawn.example/x"}],
        "events": [{"id": "e", "title": "E", "start": "-0043", "actors": ["a"], "summary": "",
                    "excerpts": [{"source": "s", "quote": "He said <go>", "locator": "p. 3"}]}],
    })  # fmt: skip
    doc, _ = to_timelinejs(timeline)
    media = doc["events"][0]["media"]
    assert media == {"url": "<blockquote>He said &lt;go&gt;</blockquote>",
                     "credit": '<a href="https://dawn.example/x">Dawn</a>', "caption": "p. 3"}  # fmt: skip
    assert doc["events"][0]["start_date"] == {"year": -44}  # 44 BCE
    back, _ = loads_timelinejs(json.dumps(doc), "back.json")
    [ex] = back.events[0].excerpts
    assert (ex.quote, ex.locator, back.source_by_id[ex.source].url) == (
        "He said <go>",
        "p. 3",
        "https://dawn.example/x",
    )
    assert back.events[0].start == "-0043"


def test_export_keeps_quotes_and_groups_that_timelinejs_would_misread_as_written() -> None:
    # Rendered in TimelineJS (test_timelinejs_render.py), a quote naming "annex.pdf" became a PDF embed
    # and the quote was lost, and the group "Rome & <Senate>" escaped once showed as "Rome &".
    quote = "annex.pdf, spotify, an iframe, imgur.com/a, documentcloud.org/x, a PNG? google.com/maps/@1,2"
    timeline = Timeline.model_validate({
        "schema_version": 1, "title": "T", "actors": [{"id": "a", "name": "Rome & <Senate>"}],
        "sources": [{"id": "s", "title": "S"}],
        "events": [{"id": "e", "title": "E", "start": "2000", "actors": ["a"], "summary": "",
                    "excerpts": [{"source": "s", "quote": quote}]}],
    })  # fmt: skip
    doc, _ = to_timelinejs(timeline)
    slide = doc["events"][0]
    for trigger in (".pdf", "spotify", "iframe", "imgur.com/", "documentcloud.org/", "PNG?", "/maps/"):
        assert trigger not in slide["media"]["url"], trigger
    assert slide["group"] == "Rome &amp;amp; &amp;lt;Senate&amp;gt;"
    back, _ = loads_timelinejs(json.dumps(doc), "back.json")
    assert back.events[0].excerpts[0].quote == quote
    assert back.actors[0].name == "Rome & <Senate>"


def test_ids_of_non_latin_titles_are_readable_and_stable() -> None:
    slides = [{"start_date": {"year": 2008}, "text": {"headline": "北京奥运会"}, "group": "Москва"},
              {"start_date": {"year": 2009}, "text": {"headline": "\u2026\u00b7"}}]  # fmt: skip
    first, _ = _one(slides)
    again, _ = _one(slides)
    assert [e.id for e in first.events] == [e.id for e in again.events]
    assert first.events[0].id == "beijingaoyunhui" and first.events[0].actors == ["moskva"]
    assert first.events[1].id.startswith("event-") and first.events[1].id != "event-2"


def test_years_beyond_9999_use_edtf_long_years_end_to_end(tmp_path: Path) -> None:
    from timeline_app.core.dates import parse_date
    from timeline_app.core.loading import loads_timeline
    from timeline_app.interop.native import dumps_native

    timeline, warnings = _one(
        [{"start_date": {"year": "-13798000000"}, "text": {"headline": "Big Bang"}},
         {"start_date": {"year": -4600000000, "month": 3}, "text": {"headline": "Sun"}},
         {"start_date": {"year": 2000}, "text": {"headline": "Now"}}],
        scale="cosmological",
    )  # fmt: skip
    bang, sun, _ = timeline.events
    assert (bang.start, sun.start) == ("Y-13797999999", "Y-4599999999")  # historical → astronomical
    assert parse_date(bang.start).format() == "13,798,000,000 BCE"
    assert any("month and day of a year beyond ±9999 dropped" in w for w in warnings)
    assert loads_timeline(dumps_native(timeline), "t.json") == timeline  # our format, model and schema
    doc, _ = to_timelinejs(timeline)
    assert doc["scale"] == "cosmological" and doc["events"][0]["start_date"] == {"year": -13798000000}
    assert "scale" not in to_timelinejs(_one([{"start_date": {"year": 1}}])[0])[0]
