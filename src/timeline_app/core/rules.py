"""The format's value rules, each written once: id, text, colour, URL, date syntax, end after start.

The document models (``models.py``), the fast decoder (``bulk.py``), the generated JSON Schema and
the importers all take their rule from here, so a value is accepted or refused the same way
whichever reads it (tests/core/test_rules.py checks them against one table of cases).

A pattern is read by three regex dialects: Python's ``re`` (the models, msgspec), Rust's ``regex``
(pydantic-core) and ECMA-262 (JSON Schema in editors). They are written in the subset the three
read alike: ``[0-9]`` rather than ``\\d`` (in Python and Rust ``\\d`` also matches ``٢``),
blanks as an explicit class rather than ``\\s`` (each dialect has its own), case spelt out rather
than ``(?i)``. One difference cannot be written away: ``$`` in Python also matches before a final
newline, so Python checks use ``fullmatch`` and :func:`searchable` adds ``(?!\\n)`` for the
readers that only search (msgspec, Python JSON Schema validators).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

from .errors import clip

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from .dates import EdtfDate

    _Days = TypeVar("_Days", float, NDArray[np.float64])  # a day number, or an array of them
else:
    _Days = TypeVar("_Days")

# What ``str.isspace`` calls whitespace, i.e. exactly what ``str.strip`` removes (the test checks
# every code point), as a regex class body every dialect reads the same.
BLANKS = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

ID_MAX_LENGTH = 200
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"
TEXT_PATTERN = rf"[^{BLANKS}]"  # somewhere a character that is not blank (a search, not a whole match)
COLOR_PATTERN = r"^#[0-9A-Fa-f]{6}$"
URL_PATTERN = rf"^[Hh][Tt][Tt][Pp][Ss]?://[^{BLANKS}]+$"

# EDTF dates (level 0 and the qualifiers of level 1): YYYY, YYYY-MM, YYYY-MM-DD, astronomical
# years ('-' before BCE years, 0000 = 1 BCE), an optional ~ ? % after; years beyond ±9999 in
# EDTF's long form, year precision only (Y-13800000000). Month and day ranges are the calendar's
# (``dates.parse_date``, and ``dates.check_date`` for the models), so that its messages can say
# which part is wrong.
YEAR = r"-?[0-9]{4}"
TWO_DIGITS = r"[0-9]{2}"
QUALIFIER = r"[~?%]"
LONG_YEAR = r"-?[1-9][0-9]{4,11}"  # after the "Y"
DATE_PATTERN = rf"^(?:{YEAR}(?:-{TWO_DIGITS}(?:-{TWO_DIGITS})?)?{QUALIFIER}?|Y{LONG_YEAR})$"
DATE_DESCRIPTION = (
    "EDTF date: YYYY, YYYY-MM or YYYY-MM-DD; ~ approximate, ? uncertain, % both; "
    "'-' before BCE years (astronomical: 0000 = 1 BCE); beyond ±9999 as Y-13800000000 (year only)."
)

_ID = re.compile(ID_PATTERN)
_TEXT = re.compile(TEXT_PATTERN)
_COLOR = re.compile(COLOR_PATTERN)
_URL = re.compile(URL_PATTERN)


def searchable(pattern: str) -> str:
    """``pattern`` for readers that ``re.search`` (msgspec, Python JSON Schema validators): a final
    ``$`` made to hold only at the very end, as it does in ECMA-262 and Rust."""
    return pattern + r"(?!\n)" if pattern.endswith("$") else pattern


def is_id(value: str) -> bool:
    return len(value) <= ID_MAX_LENGTH and _ID.fullmatch(value) is not None


def is_text(value: str) -> bool:
    return _TEXT.search(value) is not None


def is_color(value: str) -> bool:
    return _COLOR.fullmatch(value) is not None


def is_url(value: str) -> bool:
    return _URL.fullmatch(value) is not None


# -- the checks the models run, with a curator's sentence instead of a pattern -------------------


def check_id(value: str) -> str:
    if not is_id(value):
        raise ValueError(f"{clip(value)} is not a valid id: use letters, digits and _ . : - (no spaces)")
    return value


def check_text(value: str) -> str:
    if not is_text(value):
        raise ValueError("must not be empty")
    return value


def check_color(value: str) -> str:
    if not is_color(value):
        raise ValueError(f"{clip(value)} is not a colour: use #rrggbb, e.g. #0072b2")
    return value


def check_url(value: str) -> str:
    if not is_url(value):
        raise ValueError(f"{clip(value)} is not an http(s) address: only http:// and https:// links are allowed")
    return value


def ends_before_start(start: EdtfDate, end: EdtfDate) -> bool:
    """An end that is over before its start begins (a same-day or same-year end is fine)."""
    return bool(ends_before(start.interval()[0], end.interval()[1]))


def ends_before(start_first: _Days, end_after: _Days) -> bool | NDArray[np.bool_]:
    """:func:`ends_before_start` on days: the start's first day and the day after the end's last
    (numbers, or numpy arrays of them: the builder checks every event at once)."""
    return end_after <= start_first


# -- the same rules over many values at once (the fast decoder) -----------------------------------

# The id rule over all ids joined by NULs, in scans that run at C speed.
_ID_CHARS = re.compile(r"[A-Za-z0-9_.:\-\x00]*")
_ID_FIRST = re.compile(r"[A-Za-z0-9]")
_ID_BAD_START = re.compile(r"\x00(?![A-Za-z0-9])")


def all_ids(ids: Sequence[str]) -> bool:
    """True if every string is a valid id: the same answer as :func:`is_id` for each."""
    if not ids:
        return True
    if max(map(len, ids)) > ID_MAX_LENGTH:
        return False
    joined = "\x00".join(ids)
    return (
        joined.count("\x00") == len(ids) - 1  # no id holds a NUL itself
        and _ID_CHARS.fullmatch(joined) is not None
        and _ID_FIRST.match(joined) is not None
        and _ID_BAD_START.search(joined) is None
    )


def all_text(texts: Sequence[str]) -> bool:
    """:func:`is_text` for each: ``str.strip`` removes exactly :data:`BLANKS`, and is faster."""
    return all(map(str.strip, texts))
