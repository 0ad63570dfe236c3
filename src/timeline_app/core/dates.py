"""Dates with precision (an EDTF level-0/1 subset), BCE-safe.

A date such as ``2001`` means the whole year, not 1 January: it keeps its precision, maps to a
numeric interval ``[start, end)`` of days, and is formatted by that precision. Days are counted in
the proleptic Gregorian calendar from 1970-01-01 (day 0) with our own arithmetic, because
``datetime`` stops at year 1 and platform time functions break before 1970.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from .errors import clip
from .rules import LONG_YEAR, QUALIFIER, TWO_DIGITS, YEAR

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    _Days = TypeVar("_Days", int, NDArray[np.int64])
else:
    _Days = TypeVar("_Days")

__all__ = [
    "DateError",
    "EdtfDate",
    "Precision",
    "check_date",
    "civil_from_days",
    "day_to_text",
    "days_from_civil",
    "format_range",
    "parse_date",
]

# The syntax of core/rules.py (ASCII digits only), with the parts named; matched whole.
_DATE_RE = re.compile(
    rf"(?P<year>{YEAR})(?:-(?P<month>{TWO_DIGITS})(?:-(?P<day>{TWO_DIGITS}))?)?(?P<qual>{QUALIFIER})?"
)
# EDTF's long-year form for years beyond ±9999 (year precision only): Y-13800000000, Y170000002.
_LONG_YEAR_RE = re.compile(rf"Y(?P<year>{LONG_YEAR})")
MAX_LONG_YEAR = 10**12

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTH_ABBR = tuple(m[:3] for m in MONTH_NAMES)


class DateError(ValueError):
    """A date string that is not a valid date of the supported forms."""


class Precision(str, Enum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def days_from_civil(year: _Days, month: _Days, day: _Days) -> _Days:
    """Days since 1970-01-01 in the proleptic Gregorian calendar (astronomical years, 0 = 1 BCE).

    Plain arithmetic with floor division, so it works on numpy integer arrays too (the bulk loader
    converts a million dates in one call).
    """
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(z: int) -> tuple[int, int, int]:
    """Inverse of :func:`days_from_civil`."""
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return y + (m <= 2), m, d


def year_label(year: int) -> str:
    """ISO astronomical year to a reader's year: 0 is 1 BCE, -43 is 44 BCE; beyond ±9999 with
    thousands separators (13,798,000,000 BCE)."""
    shown = year if year > 0 else 1 - year
    text = f"{shown:,}" if shown > 9999 else str(shown)
    return text if year > 0 else f"{text} BCE"


@dataclass(frozen=True, slots=True)
class EdtfDate:
    """A parsed date: the parts given, its precision and its qualifiers."""

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def qualified(self) -> bool:
        return self.approximate or self.uncertain

    def interval(self) -> tuple[float, float]:
        """The half-open interval of days this date covers: a year spans the whole year."""
        if self.day is not None:
            assert self.month is not None
            start = days_from_civil(self.year, self.month, self.day)
            return float(start), float(start + 1)
        if self.month is not None:
            start = days_from_civil(self.year, self.month, 1)
            return float(start), float(start + days_in_month(self.year, self.month))
        return float(days_from_civil(self.year, 1, 1)), float(days_from_civil(self.year + 1, 1, 1))

    def format(self, *, short: bool = False) -> str:
        """Format by precision: "2001", "August 2018", "2 May 2011"; "c." / "?" for qualifiers."""
        months = MONTH_ABBR if short else MONTH_NAMES
        text = year_label(self.year)
        if self.month is not None:
            text = f"{months[self.month - 1]} {text}"
            if self.day is not None:
                text = f"{self.day} {text}"
        if self.approximate:
            text = f"c. {text}"
        if self.uncertain:
            text = f"{text}?"
        return text

    def to_edtf(self) -> str:
        if abs(self.year) > 9999:  # EDTF's long-year form; such dates have year precision
            return f"Y{self.year}"
        text = f"-{abs(self.year):04d}" if self.year < 0 else f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        if self.approximate and self.uncertain:
            text += "%"
        elif self.approximate:
            text += "~"
        elif self.uncertain:
            text += "?"
        return text

    def __str__(self) -> str:
        return self.to_edtf()


def parse_date(text: str) -> EdtfDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` with an optional ``~``/``?``/``%`` suffix."""
    if not isinstance(text, str):
        raise DateError(f"expected a date string, got {type(text).__name__}")
    return _parse_date(text)


@lru_cache(maxsize=1024)
def _parse_date(text: str) -> EdtfDate:
    # Cached: real data repeats dates, and EdtfDate is immutable. Small, so a big file leaves
    # few objects behind; errors are not cached.
    m = _DATE_RE.fullmatch(text.strip())
    if m is None and (long := _LONG_YEAR_RE.fullmatch(text.strip())) is not None:
        return EdtfDate(int(long["year"]))
    if m is None:
        if re.match(r"-?[0-9]{5,}", text.strip()):
            raise DateError(f"{clip(text)} is not a date: years have 4 digits (0000-9999, '-' before BCE years)")
        raise DateError(
            f"{clip(text)} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD "
            "(4-digit year, '-' before BCE years), optionally followed by ~ or ?"
        )
    year = int(m["year"])
    month = int(m["month"]) if m["month"] else None
    day = int(m["day"]) if m["day"] else None
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"{text!r}: month {month} does not exist (01-12)")
    if day is not None:
        assert month is not None
        last = days_in_month(year, month)
        if not 1 <= day <= last:
            raise DateError(f"{text!r}: {MONTH_NAMES[month - 1]} {year_label(year)} has {last} days, not {day}")
    qual = m["qual"] or ""
    return EdtfDate(year, month, day, approximate=qual in "~%" and qual != "", uncertain=qual in "?%" and qual != "")


def check_date(value: str) -> str:
    """The format's date rule, as the models and the fast decoder apply it: the syntax of
    core/rules.py, a real calendar day, and no spaces around (``parse_date`` alone forgives them)."""
    if value != value.strip():
        raise DateError(f"{clip(value)} has spaces around the date; write it as {clip(value.strip())}")
    parse_date(value)  # raises DateError with a reader's message
    return value


def format_range(start: EdtfDate, end: EdtfDate | None, *, short: bool = False) -> str:
    """A date or span as a reader says it: "2 May 2011", "2002 – 2017", "26 Nov 2011 – 3 Jul 2012"."""
    if end is None or end == start:
        return start.format(short=short)
    return f"{start.format(short=short)} – {end.format(short=short)}"


def day_to_text(day: float) -> str:
    """A numeric day (as used by the view) as a plain calendar date, for tooltips and ranges."""
    y, m, d = civil_from_days(int(day // 1))
    return f"{d} {MONTH_ABBR[m - 1]} {year_label(y)}"
