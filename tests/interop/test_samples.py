"""The five real TimelineJS files (saved unmodified in shared/interop-samples) import with the facts
a reader of each would check."""

from __future__ import annotations

from pathlib import Path

from timeline_app.interop.convert import read_any
from timeline_app.interop.csv_format import read_csv
from timeline_app.interop.timelinejs import read_timelinejs


def test_group_sample_four_groups_become_four_actors(samples: Path) -> None:
    timeline, warnings, fmt = read_any(samples / "group_sample.json")
    assert fmt == "timelinejs"
    assert timeline.title == "Demo of groups"
    assert timeline.description == "Demo of groups and actions"  # <p> stripped
    assert len(timeline.events) == 7
    names = [a.name for a in timeline.actors]
    assert len(names) == 4
    assert names[0] == "Group 1 - 1ST_INTERVIEW - 1st Interview - Technical assessment"
    first = timeline.events[0]
    assert (first.start, first.title) == ("2016-11-13", "event 1 heading send notification long description")
    assert first.actors == [timeline.actors[0].id]
    # Same headline twice: two different ids.
    assert len({e.id for e in timeline.events}) == 7
    assert any("time of day" in w and "7×" in w for w in warnings)


def test_eras_keep_three_digit_years_and_four_eras(samples: Path) -> None:
    timeline, _ = read_timelinejs(samples / "eras.json")
    assert timeline.title == "Eras Test"
    assert len(timeline.events) == 20
    assert len(timeline.eras) == 4
    tang = next(e for e in timeline.eras if e.title == "Tang Dynasty in China")
    assert (tang.start, tang.end) == ("0618-06-18", "0907-06-01")  # zero-padded parts, 3-digit years
    war = timeline.events[0]
    assert (war.title, war.start, war.end) == ("Last great Roman-Persian War.", "0602", "0629")
    # A media URL with no credit: a source named from the Wikipedia address.
    source = timeline.source_by_id[timeline.sources[0].id]
    assert source.url == "https://en.wikipedia.org/wiki/Roman-Persian_Wars"
    assert source.title == "Roman-Persian Wars (en.wikipedia.org)"
    # No group anywhere: one default actor named after the timeline.
    assert [(a.id, a.name) for a in timeline.actors] == [("general", "Eras Test")]


def test_women_in_computing_json_strips_html_and_maps_media(samples: Path) -> None:
    timeline, _ = read_timelinejs(samples / "women_in_computing.json")
    assert timeline.title == "Women in Computing"
    assert len(timeline.events) == 10
    ada = timeline.event_by_id["ada-lovelace"]
    assert (ada.start, ada.end) == ("1815-12-10", "1852-11-27")
    assert "<" not in ada.summary and "href" not in ada.summary
    assert "Take Ada Lovelace: Daughter of Lord Byron" in ada.summary  # <a> text kept
    assert ada.summary.endswith('\n\nThis slide demonstrates a simple "image" media type.')  # paragraph kept
    [excerpt] = ada.excerpts
    assert excerpt.quote == "Portrait by Alfred Edward Chalon"  # caption, its <a> stripped
    assert timeline.source_by_id[excerpt.source].title == "Wikimedia Commons"  # credit
    eniac = next(e for e in timeline.events if e.title == "...And the women who made it work")
    assert (eniac.start, eniac.end) == ("1943-07", "1946")  # empty day/month strings → month/year precision
    credit = timeline.source_by_id[eniac.excerpts[0].source]
    assert credit.title == "Computer History Museum"
    assert credit.url == "https://www.youtube.com/watch?v=aPweFhhXFvY"
    # A <blockquote> as media: the quotation becomes the excerpt, its <cite> the source.
    clarke = next(e for e in timeline.events if e.title.startswith("Edith Clarke"))
    assert clarke.excerpts[0].quote.startswith("There is no demand for women engineers")
    assert timeline.source_by_id[clarke.excerpts[0].source].title.startswith("Edith Clarke, first female")
    assert timeline.source_by_id[clarke.excerpts[0].source].url is None
    assert "Péter" in timeline.events[4].title  # \u00e9 escapes decoded


def test_marktwain_old_wrapper_overview_slide_is_the_title(samples: Path) -> None:
    timeline, warnings, fmt = read_any(samples / "marktwain.json")
    assert fmt == "timelinejs"
    assert timeline.title == "Mark Twain JSON"
    assert timeline.description.startswith("Samuel Langhorne Clemens (November 30, 1835 – April 21, 1910)")
    assert len(timeline.events) == 14  # 15 slides less the overview
    florida = timeline.events[0]
    assert (florida.title, florida.start, florida.end) == ("Florida, Missouri", "2000-01", "2001")
    assert "Halley’s comet" in florida.summary
    untitled = timeline.events[2]
    assert untitled.title == "Untitled"  # no headline, no text
    assert untitled.excerpts[0].quote.startswith("Hannibal Gazette.")
    # null caption/credit: a source from the address, still attached to its event (issue 16).
    printer = next(e for e in timeline.events if e.title == "Itinerant Printer")
    [media] = printer.excerpts
    assert timeline.source_by_id[media.source].title == "vine.co"
    assert (media.quote, media.locator) == ("https://vine.co/v/bjHh0zHdgZT", "media")
    assert any("map location dropped" in w for w in warnings)


def test_women_in_computing_csv_sheet_layout(samples: Path) -> None:
    timeline, warnings = read_csv(samples / "women_in_computing.csv")
    assert timeline.title == "Women in Computing"  # the Type=title row
    assert timeline.description.startswith("In this sample timeline, we’ll walk you through")
    assert len(timeline.events) == 10
    titles = [e.title for e in timeline.events]
    assert titles[0] == "Ada Lovelace"
    assert '"The Mother of the Internet"' in titles  # """…""" at the start of a field
    assert "Rózsa Péter writes recursion" in titles  # raw UTF-8
    eniac = timeline.events[2]
    # A bare LF inside a quoted field of a CRLF file: one record, the text joined.
    assert eniac.summary.endswith("You can add a YouTube URL like this video on the ENIAC Women. .")
    assert 'Frances Elizabeth "Betty" Holberton' in eniac.summary
    karen = next(e for e in timeline.events if e.title.startswith("Karen"))
    assert karen.start == "1972"
    quote = '"How to enjoy a career in computing: the power of networks," Professor Dame Wendy Hall'
    assert karen.excerpts[0].quote == quote
    assert timeline.source_by_id[karen.excerpts[0].source].title == "BCS Karen Sparck Jones Lecture"
    assert any("background" in w for w in warnings)
