"""Dates with precision: every form parses, impossible dates are refused, BCE and leap years are right."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.core.dates import (
    DateError,
    EdtfDate,
    Precision,
    civil_from_days,
    day_to_text,
    days_from_civil,
    days_in_month,
    format_range,
    parse_date,
)


@pytest.mark.parametrize(
    ("text", "parts", "precision", "approx", "uncertain"),
    [
        ("2001", (2001, None, None), Precision.YEAR, False, False),
        ("2018-08", (2018, 8, None), Precision.MONTH, False, False),
        ("2011-05-02", (2011, 5, 2), Precision.DAY, False, False),
        ("2001~", (2001, None, None), Precision.YEAR, True, False),
        ("1971-12?", (1971, 12, None), Precision.MONTH, False, True),
        ("1965-09-06%", (1965, 9, 6), Precision.DAY, True, True),
        ("0000", (0, None, None), Precision.YEAR, False, False),
        ("-0043-03-15", (-43, 3, 15), Precision.DAY, False, False),
        ("9999-12-31", (9999, 12, 31), Precision.DAY, False, False),
    ],
)
def test_every_form_parses(
    text: str, parts: tuple[int, int | None, int | None], precision: Precision, approx: bool, uncertain: bool
) -> None:
    d = parse_date(text)
    assert (d.year, d.month, d.day) == parts
    assert d.precision is precision
    assert (d.approximate, d.uncertain) == (approx, uncertain)
    assert d.to_edtf() == text
    assert parse_date(d.to_edtf()) == d


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2018-02-30", "February 2018 has 28 days, not 30"),
        ("2018-04-31", "April 2018 has 30 days, not 31"),
        ("2018-13", "month 13 does not exist"),
        ("2018-00", "month 0 does not exist"),
        ("2018-05-00", "has 31 days, not 0"),
        ("99999", "years have 4 digits"),
        ("201", "is not a date"),
        ("2018-5-2", "is not a date"),
        ("05/02/2011", "is not a date"),
        ("2011-05-02T10:00", "is not a date"),
        ("", "is not a date"),
        ("2001~~", "is not a date"),
        ("May 2011", "is not a date"),
    ],
)
def test_impossible_and_malformed_dates_are_refused(text: str, message: str) -> None:
    with pytest.raises(DateError, match=message.replace("(", r"\(")):
        parse_date(text)


def test_non_string_is_refused() -> None:
    with pytest.raises(DateError, match="expected a date string"):
        parse_date(2011)  # type: ignore[arg-type]


def test_a_huge_bad_date_gives_a_short_message() -> None:
    with pytest.raises(DateError) as info:
        parse_date("9" * 1_000_000)
    assert len(str(info.value)) < 200


def test_leap_years() -> None:
    with pytest.raises(DateError, match="February 1900 has 28 days"):
        parse_date("1900-02-29")
    assert parse_date("2000-02-29").day == 29
    assert parse_date("2024-02-29").day == 29
    with pytest.raises(DateError):
        parse_date("2023-02-29")
    assert parse_date("1900-02").interval()[1] - parse_date("1900-02").interval()[0] == 28
    assert parse_date("2000-02").interval()[1] - parse_date("2000-02").interval()[0] == 29
    assert parse_date("-0004-02-29").day == 29  # 5 BCE: astronomical -4 is a leap year


def test_epoch_and_known_days() -> None:
    assert days_from_civil(1970, 1, 1) == 0
    assert days_from_civil(1969, 12, 31) == -1
    assert days_from_civil(2011, 5, 2) == (dt.date(2011, 5, 2) - dt.date(1970, 1, 1)).days
    assert days_from_civil(1, 1, 1) == (dt.date(1, 1, 1) - dt.date(1970, 1, 1)).days
    assert days_from_civil(0, 12, 31) == days_from_civil(1, 1, 1) - 1


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-3_000_000, max_value=3_000_000))
def test_day_numbers_round_trip_over_bce_and_ce(day: int) -> None:
    y, m, d = civil_from_days(day)
    assert 1 <= m <= 12
    assert 1 <= d <= days_in_month(y, m)
    assert days_from_civil(y, m, d) == day


@settings(max_examples=200, deadline=None)
@given(st.dates())
def test_agrees_with_datetime_where_datetime_works(date: dt.date) -> None:
    z = days_from_civil(date.year, date.month, date.day)
    assert z == (date - dt.date(1970, 1, 1)).days
    assert civil_from_days(z) == (date.year, date.month, date.day)


def test_intervals_cover_the_whole_period() -> None:
    s, e = parse_date("2001").interval()
    assert e - s == 365
    assert s == days_from_civil(2001, 1, 1)
    s, e = parse_date("2018-08").interval()
    assert e - s == 31
    assert parse_date("2000").interval()[1] - parse_date("2000").interval()[0] == 366
    s, e = parse_date("2011-05-02").interval()
    assert e - s == 1
    s, e = parse_date("-0043").interval()
    assert e - s == 365 and e == days_from_civil(-42, 1, 1)


@pytest.mark.parametrize(
    ("start", "end", "text", "short"),
    [
        ("2011-05-02", None, "2 May 2011", "2 May 2011"),
        ("2018-08", None, "August 2018", "Aug 2018"),
        ("2001", None, "2001", "2001"),
        ("2002", "2017", "2002 – 2017", "2002 – 2017"),
        ("2001~", None, "c. 2001", "c. 2001"),
        ("1971-12?", None, "December 1971?", "Dec 1971?"),
        ("-0043", None, "44 BCE", "44 BCE"),
        ("0000", None, "1 BCE", "1 BCE"),
        ("-0043-03-15", None, "15 March 44 BCE", "15 Mar 44 BCE"),
        ("2011-11-26", "2012-07-03", "26 November 2011 – 3 July 2012", "26 Nov 2011 – 3 Jul 2012"),
        ("2011", "2011", "2011", "2011"),
    ],
)
def test_formatting_by_precision(start: str, end: str | None, text: str, short: str) -> None:
    s = parse_date(start)
    e = parse_date(end) if end is not None else None
    assert format_range(s, e) == text
    assert format_range(s, e, short=True) == short


def test_day_to_text() -> None:
    assert day_to_text(0) == "1 Jan 1970"
    assert day_to_text(days_from_civil(2011, 5, 2) + 0.75) == "2 May 2011"
    assert day_to_text(days_from_civil(-43, 3, 15)) == "15 Mar 44 BCE"
    assert day_to_text(-0.5) == "31 Dec 1969"


def test_dates_are_values() -> None:
    assert parse_date("2001") == EdtfDate(2001)
    assert parse_date("2001") != parse_date("2001~")
    assert len({parse_date("2001"), parse_date("2001")}) == 1
