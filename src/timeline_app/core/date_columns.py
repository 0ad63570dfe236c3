"""Dates as columns: every distinct date string of a data set parsed once, each event two small codes.

A million events hold a few thousand distinct dates: they are parsed once each (plain ``YYYY-MM-DD``
ones with numpy, the rest by the models' own ``check_date`` + ``parse_date``, so messages are the
document's), and the store keeps codes into the distinct texts, as written and as a reader says them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import count, repeat
from operator import itemgetter

import msgspec
import numpy as np
from numpy.typing import NDArray

from .dates import MONTH_NAMES, EdtfDate, days_from_civil, parse_date, year_label
from .models import check_date

__all__ = ["DateTexts", "Dates", "date_problem", "strict_date"]


def strict_date(text: str) -> EdtfDate:
    """``parse_date`` under the model's rule (``parse_date`` alone forgives spaces around)."""
    check_date(text)  # raises ValueError with the model's message
    return parse_date(text)


def date_problem(text: str) -> str | None:
    try:
        strict_date(text)
    except ValueError as exc:
        return str(exc)
    return None


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0], dtype=np.int64)


class _PlainDates:
    """The ``YYYY``, ``YYYY-MM`` and ``YYYY-MM-DD`` dates, each optionally followed by ``~``, ``?`` or
    ``%``, among some strings (nearly all of them in real data), parsed with numpy: no Python-level
    parsing per distinct string.

    Anything else (BCE signs, impossible days, non-ASCII digits, spaces) is left to ``parse_date``.
    Written this way, different strings are different dates.
    """

    def __init__(self, texts: list[str]) -> None:
        self.strings: list[str] = []
        parts: list[list[NDArray[np.int64]]] = []
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        for width in (10, 7, 4, 11, 8, 5):
            picked = np.flatnonzero(lengths == width).tolist()
            if not picked:
                continue
            cands: list[str] = [texts[picked[0]]] if len(picked) == 1 else list(itemgetter(*picked)(texts))
            try:
                blob = "".join(cands).encode("ascii")
            except UnicodeEncodeError:
                cands = [t for t in cands if t.isascii()]
                blob = "".join(cands).encode("ascii")
            if not cands:
                continue
            raw = np.frombuffer(blob, dtype=np.uint8).reshape(-1, width)
            digit = raw.astype(np.int64) - ord("0")
            body = width - 1 if width in (11, 8, 5) else width
            at = [k for k in range(body) if k not in (4, 7)]
            ok = ((digit[:, at] >= 0) & (digit[:, at] <= 9)).all(axis=1)
            year = digit[:, 0] * 1000 + digit[:, 1] * 100 + digit[:, 2] * 10 + digit[:, 3]
            month = np.zeros(len(cands), dtype=np.int64)
            day = np.zeros(len(cands), dtype=np.int64)
            if body >= 7:
                ok &= raw[:, 4] == ord("-")
                month = digit[:, 5] * 10 + digit[:, 6]
                ok &= (month >= 1) & (month <= 12)
            if body == 10:
                ok &= raw[:, 7] == ord("-")
                day = digit[:, 8] * 10 + digit[:, 9]
                ok &= (day >= 1) & (day <= _month_days(year, month))
            approx = np.zeros(len(cands), dtype=np.int64)
            unsure = np.zeros(len(cands), dtype=np.int64)
            if body < width:
                last = raw[:, body]
                ok &= (last == ord("~")) | (last == ord("?")) | (last == ord("%"))
                approx = ((last == ord("~")) | (last == ord("%"))).astype(np.int64)
                unsure = ((last == ord("?")) | (last == ord("%"))).astype(np.int64)
            keep = np.flatnonzero(ok)
            self.strings += [cands[i] for i in keep.tolist()]
            parts.append([year[keep], month[keep], day[keep], approx[keep], unsure[keep]])
        # month / day 0: not given (year or month precision)
        self.year, self.month, self.day, approx_all, unsure_all = (
            np.concatenate([p[i] for p in parts]) if parts else np.zeros(0, dtype=np.int64) for i in range(5)
        )
        self.approximate = approx_all.astype(bool)
        self.uncertain = unsure_all.astype(bool)

    def intervals(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        y, m, d = self.year, self.month, self.day
        lo = days_from_civil(y, np.maximum(m, 1), np.maximum(d, 1))
        hi = np.where(
            d > 0,
            lo + 1,
            np.where(
                m > 0, lo + _month_days(y, np.maximum(m, 1)), days_from_civil(y + 1, np.ones_like(y), np.ones_like(y))
            ),
        )
        return lo.astype(np.float64), hi.astype(np.float64)

    def formatted(self) -> list[str]:
        """As ``EdtfDate.format``: "2 May 2011", "May 2011", "c. 2011?"."""
        names = ("", *MONTH_NAMES)
        years = [str(y) if y > 0 else year_label(y) for y in self.year.tolist()]
        out = [
            f"{d} {names[m]} {y}" if d else f"{names[m]} {y}" if m else y
            for y, m, d in zip(years, self.month.tolist(), self.day.tolist(), strict=True)
        ]
        for i in np.flatnonzero(self.approximate).tolist():
            out[i] = f"c. {out[i]}"
        for i in np.flatnonzero(self.uncertain).tolist():
            out[i] = f"{out[i]}?"
        return out


def _month_days(year: NDArray[np.int64], month: NDArray[np.int64]) -> NDArray[np.int64]:
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    return _MONTH_DAYS[np.clip(month, 0, 13)] + ((month == 2) & leap)


class Dates:
    """Every distinct date string parsed once; per-date facts as arrays indexed by a date code.

    Plain dates go through numpy (``_PlainDates``); the rest, and every problem, through the
    models' own ``check_date`` + ``parse_date``, so messages are the small path's.
    """

    def __init__(self, starts: list[str], ends: Sequence[str | msgspec.UnsetType | None]) -> None:
        # One dict pass over every date string: each gets the position where its text first
        # appears; distinct texts are parsed, and codes reach every event through numpy.
        every: list[str | msgspec.UnsetType | None] = [*starts, *ends]
        seen: dict[str | msgspec.UnsetType | None, int] = {}
        first_seen = np.fromiter(map(seen.setdefault, every, count()), dtype=np.int64, count=len(every))
        del every
        seen.pop(None, None)
        seen.pop(msgspec.UNSET, None)  # type: ignore[call-overload]
        texts_in: list[str] = list(seen)  # type: ignore[arg-type]
        first_at = np.fromiter(seen.values(), dtype=np.int64, count=len(seen))
        del seen
        plain = _PlainDates(texts_in)
        self.codes: dict[str | None, int] = dict(zip(plain.strings, range(len(plain.strings)), strict=True))
        self.texts: list[str] = plain.formatted()
        self.raw: list[str] = list(plain.strings)  # per code: the date as the data writes it
        self.problems: dict[str, str] = {}
        lo: list[float] = []
        hi: list[float] = []
        day: list[bool] = []
        qual: list[bool] = []
        # Equal dates written differently share a canonical code. Plain strings are all different
        # dates; any other spelling of a plain date is found by its canonical (plain) spelling.
        canon: list[int] = []
        first: dict[EdtfDate, int] = {}
        for text in texts_in:
            if text in self.codes:
                continue
            try:
                d = strict_date(text)
            except ValueError as exc:
                self.problems[text] = str(exc)
                continue
            k = len(self.texts)
            self.codes[text] = k
            self.texts.append(d.format())
            self.raw.append(text)
            a, b = d.interval()
            lo.append(a)
            hi.append(b)
            day.append(d.day is not None)
            qual.append(d.qualified)
            same = self.codes.get(d.to_edtf(), k)
            canon.append(same if same < len(plain.strings) else first.setdefault(d, k))
        plain_lo, plain_hi = plain.intervals()
        self.lo = np.concatenate([plain_lo, np.array(lo, dtype=np.float64)])
        self.hi = np.concatenate([plain_hi, np.array(hi, dtype=np.float64)])
        self.day = np.concatenate([plain.day > 0, np.array(day, dtype=bool)])
        self.qualified = np.concatenate([plain.approximate | plain.uncertain, np.array(qual, dtype=bool)])
        self.canon = np.concatenate([np.arange(len(plain.strings), dtype=np.int32), np.array(canon, dtype=np.int32)])
        # Codes per event; -1 for no end date (None: never in first_at) or an invalid date.
        by_first = np.full(len(first_seen), -1, dtype=np.int32)
        by_first[first_at] = np.fromiter(
            map(self.codes.get, texts_in, repeat(-1, len(texts_in))), dtype=np.int32, count=len(texts_in)
        )
        codes = by_first[first_seen]
        self.start_code: NDArray[np.int32] = codes[: len(starts)]
        self.end_code: NDArray[np.int32] = codes[len(starts) :]


class DateTexts(Sequence[str]):
    """Each event's date as a reader says it, from two small codes per event instead of a string;
    also the dates as the data writes them (``start_of``/``end_of``), for the event's record."""

    __slots__ = ("_end", "_end_raw", "_raw", "_start", "_texts")

    def __init__(
        self,
        texts: list[str],
        start_code: NDArray[np.int32],
        end_code: NDArray[np.int32],
        raw: list[str],
        end_raw: NDArray[np.int32],
    ) -> None:
        self._texts = texts
        self._start = start_code
        self._end = end_code  # -1: no end, or the same date as the start
        self._raw = raw  # per code, as written
        self._end_raw = end_raw  # -1: no end written

    def __len__(self) -> int:
        return len(self._start)

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        if not -len(self) <= i < len(self):
            raise IndexError("date text index out of range")
        s, e = int(self._start[i]), int(self._end[i])
        return self._texts[s] if e < 0 else f"{self._texts[s]} – {self._texts[e]}"

    def __iter__(self) -> Iterator[str]:
        texts = self._texts
        for s, e in zip(self._start.tolist(), self._end.tolist(), strict=True):
            yield texts[s] if e < 0 else f"{texts[s]} – {texts[e]}"

    def start_of(self, i: int) -> str:
        return self._raw[int(self._start[i])]

    def end_of(self, i: int) -> str | None:
        e = int(self._end_raw[i])
        return self._raw[e] if e >= 0 else None

    @property
    def nbytes(self) -> int:
        return self._start.nbytes + self._end.nbytes + self._end_raw.nbytes + sum(map(len, self._texts))

    def texts(self) -> list[str]:
        """The distinct date texts the codes point into (what the reopen cache keeps)."""
        return list(self._texts)

    def raw(self) -> list[str]:
        return list(self._raw)

    def codes(self) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int32]]:
        """Start, shown end and written end codes."""
        return self._start, self._end, self._end_raw
