"""Load a timeline of any size into an :class:`EventStore`: models for small files, columns for big ones.

Small files take the ordinary path (``load_timeline``: full pydantic models, so the details panel
has everything). Big files are decoded straight from the bytes by msgspec into slotted structs
(the events) and raw JSON (the few top-level parts, validated by pydantic TypedDicts), with the
garbage collector paused; the per-event strings are checked with C-level passes, sets and numpy
(dates: numpy per distinct string) rather than per-event Python work, turned into numpy columns and
compact string tables, and the structs dropped: no per-event Python objects are kept. Anything the
fast decoder cannot vouch for (a type error, a key written twice, an escape it refuses) goes to the
models, so a file is accepted, or refused with the same words, whatever its size.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator, Sequence
from itertools import chain, count, repeat
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
import numpy as np
from numpy.typing import NDArray
from pydantic import ConfigDict, StringConstraints, TypeAdapter, ValidationError
from typing_extensions import NotRequired, TypedDict

from . import rules, store_cache
from .dates import MONTH_NAMES, DateError, EdtfDate, days_from_civil, parse_date, year_label
from .loading import (
    Problem,
    check_references,
    load_timeline,
    loads_timeline,
    located_error,
    read_bytes,
    read_text,
)
from .models import SourceKind, check_date
from .palette import resolve_colors
from .search_texts import SearchTexts
from .store import EraBand, EventStore, Kind
from .strings import RaggedStrings, StringTable

__all__ = ["SMALL_FILE_BYTES", "LoadCancelled", "load_store"]

SMALL_FILE_BYTES = 5 * 1024**2

Progress = Callable[[float], None]
Cancelled = Callable[[], bool]


class LoadCancelled(Exception):
    """The caller asked to stop (``cancelled()`` returned True); nothing was loaded."""


# -- the document shape, as TypedDicts -----------------------------------------------------------
# The rules' own patterns (core/rules.py), read by pydantic-core's Rust regex. They only detect:
# any type problem sends the file through the model path, which words every problem.

_Id = Annotated[str, StringConstraints(pattern=rules.ID_PATTERN, max_length=rules.ID_MAX_LENGTH)]
_Text = Annotated[str, StringConstraints(pattern=rules.TEXT_PATTERN)]
_Color = Annotated[str, StringConstraints(pattern=rules.COLOR_PATTERN)]
_Url = Annotated[str, StringConstraints(pattern=rules.URL_PATTERN)]
_FORBID = ConfigDict(extra="forbid")


class _Strict(TypedDict):
    """Unknown keys are errors, as in the models (pydantic reads the config from the base)."""

    __pydantic_config__ = _FORBID  # type: ignore[misc]


class _Actor(_Strict):
    id: _Id
    name: _Text
    color: NotRequired[_Color | None]
    description: NotRequired[str | None]


class _Source(_Strict):
    id: _Id
    title: _Text
    author: NotRequired[str | None]
    publisher: NotRequired[str | None]
    url: NotRequired[_Url | None]
    published: NotRequired[str | None]
    kind: NotRequired[SourceKind | None]
    origin: NotRequired[str | None]
    note: NotRequired[str | None]


class _Era(_Strict):
    id: _Id
    title: _Text
    start: str
    end: str
    color: NotRequired[_Color | None]


# The events (nearly all of a big file) are decoded by msgspec into slotted structs, untracked by
# the garbage collector: ~3x faster than pydantic-core into dicts and ~4x faster than bare
# ``json.loads`` on this machine, with the same strictness (no coercion, unknown keys refused, UTF-8
# checked). The few top-level parts are kept as raw JSON and validated by pydantic (``_Head``).
# Optional fields default to sentinels, so whether a key was written at all is known (see
# ``_keys_written``).

_ABSENT: tuple[()] = ()  # default of optional list fields: "the key was not written"
_MId = Annotated[str, msgspec.Meta(pattern=rules.searchable(rules.ID_PATTERN), max_length=rules.ID_MAX_LENGTH)]
_MText = Annotated[str, msgspec.Meta(pattern=rules.TEXT_PATTERN)]
_Opt = str | None | msgspec.UnsetType


class _MExcerpt(msgspec.Struct, forbid_unknown_fields=True, gc=False, kw_only=True):
    source: str  # per-event strings: checked in bulk after decoding (see _MEvent)
    quote: str
    locator: _Opt = msgspec.UNSET


class _MDiscrepancy(msgspec.Struct, forbid_unknown_fields=True, gc=False, kw_only=True, omit_defaults=True):
    field: _Opt = msgspec.UNSET
    claim: _MText
    correction: _MText
    sources: list[_MId] = _ABSENT  # type: ignore[assignment]


class _MLink(msgspec.Struct, forbid_unknown_fields=True, gc=False, kw_only=True):
    to: _MId
    relation: _MText


class _MEvent(msgspec.Struct, forbid_unknown_fields=True, gc=False, kw_only=True, omit_defaults=True):
    # Ids and texts repeated per event are plain strings here and checked in bulk after decoding
    # (one regex over all ids joined, one ``str.strip`` pass). Dates: once per distinct string.
    id: str
    title: str
    start: str
    end: _Opt = msgspec.UNSET
    actors: Annotated[list[str], msgspec.Meta(min_length=1)]
    tags: list[str] = _ABSENT  # type: ignore[assignment]
    summary: str
    excerpts: list[_MExcerpt] = _ABSENT  # type: ignore[assignment]
    discrepancies: list[_MDiscrepancy] = _ABSENT  # type: ignore[assignment]
    links: list[_MLink] = _ABSENT  # type: ignore[assignment]


_NO_RAW = msgspec.Raw()  # default of top-level fields: "the key was not written"


class _MDoc(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, rename={"schema": "$schema"}):
    schema: msgspec.Raw = _NO_RAW
    schema_ref: msgspec.Raw = _NO_RAW
    schema_version: msgspec.Raw = _NO_RAW
    title: msgspec.Raw = _NO_RAW
    description: msgspec.Raw = _NO_RAW
    actors: msgspec.Raw = _NO_RAW
    sources: msgspec.Raw = _NO_RAW
    eras: msgspec.Raw = _NO_RAW
    events: list[_MEvent] = _ABSENT  # type: ignore[assignment]


# (JSON key, attribute) of every top-level part but the events, as _MDoc declares them
_HEAD_KEYS = tuple((f.encode_name, f.name) for f in msgspec.structs.fields(_MDoc) if f.name != "events")
_DECODER = msgspec.json.Decoder(_MDoc)

_Head = TypedDict(
    "_Head",
    {
        "$schema": NotRequired[str | None],
        "schema_ref": NotRequired[str | None],
        "schema_version": Literal[1],  # written exactly ``1``: checked in _decode
        "title": _Text,
        "description": NotRequired[str],
        "actors": NotRequired[list[_Actor]],
        "sources": NotRequired[list[_Source]],
        "eras": NotRequired[list[_Era]],
    },
)
_Head.__pydantic_config__ = _FORBID  # type: ignore[attr-defined]
_HEAD_ADAPTER: TypeAdapter[Any] = TypeAdapter(_Head)


def _decode(data: bytes) -> tuple[dict[str, Any], int]:
    """The document as a dict (head validated by pydantic, events as structs), and how many ``:``
    the events array holds; raises ``msgspec.MsgspecError``, ``ValidationError`` or ``_Retype``
    for anything the models might refuse."""
    raw = _DECODER.decode(data)
    if bytes(raw.schema_version) != b"1":  # pydantic would take ``true`` or ``1.0``; the models do not
        raise _Retype
    head = (
        b"{"
        + b",".join(
            b'"%s":%s' % (key.encode(), bytes(value)) for key, attr in _HEAD_KEYS if (value := getattr(raw, attr))
        )
        + b"}"
    )
    doc: dict[str, Any] = _HEAD_ADAPTER.validate_json(head)
    if head.count(b":") != _colons(doc):
        raise _Retype  # a key written twice in the head
    events = raw.events
    doc["events"] = [] if events is _ABSENT else events
    return doc, data.count(b":") - head.count(b":") - (events is not _ABSENT)


# -- keys written twice --------------------------------------------------------------------------
# JSON decoders keep the last of two equal keys; the models refuse the file. Every ``:`` in a
# document ends a key or sits inside a string, so a document without repeated keys holds exactly
# (keys written) + (colons inside its strings) of them: one ``bytes.count`` and sums over the
# decoded strings tell. A ``\u003a`` escape makes them differ too: the models then decide.


def _colons(obj: Any) -> int:
    """Keys plus colons inside strings, in decoded JSON (the few head objects)."""
    if isinstance(obj, str):
        return obj.count(":")
    if isinstance(obj, dict):
        return len(obj) + sum(map(_colons, obj.values()))
    if isinstance(obj, list):
        return sum(map(_colons, obj))
    return 0


def _optional_written(values: Sequence[Any], absent: Any) -> int:
    return len(values) - values.count(absent)  # type: ignore[attr-defined]


# -- entry point ---------------------------------------------------------------------------------


def load_store(
    path: str | Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    small_limit: int = SMALL_FILE_BYTES,
    keep: bool = True,
) -> EventStore:
    """Read, validate and index ``path``; raise :class:`TimelineLoadError` or :class:`LoadCancelled`.

    Files under ``small_limit`` bytes keep their models (``store.event(i)`` works); bigger ones
    give a model-free store (``store.event(i)`` is None; ``excerpt_texts(i)`` still works), read
    back from the reopen cache (core/store_cache.py) when the same bytes were loaded before, and
    kept there after a load unless ``keep`` is False (the caller then writes it when it suits).
    """
    report = progress or (lambda _f: None)
    stop = cancelled or (lambda: False)

    def stage(fraction: float) -> None:
        if stop():
            raise LoadCancelled(str(path))
        report(fraction)

    stage(0.0)
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = -1  # missing or unreadable: the small path's reader says which
    if size < small_limit:
        timeline = load_timeline(path)
        stage(0.8)
        store = EventStore.from_timeline(timeline)
        stage(1.0)
        return store
    return _load_bulk(str(path), stage, keep)


def _load_bulk(name: str, stage: Callable[[float], None], keep: bool = True) -> EventStore:
    # Read here, not by the caller: this frame holds the only reference, so the bytes (as large
    # as the file) are freed as soon as they are decoded.
    data = read_bytes(name)
    key = store_cache.content_key(data) if store_cache.cache_dir() is not None else None
    if key is not None and (cached := store_cache.read(key)) is not None:
        stage(1.0)
        return cached  # these very bytes were validated before
    stage(0.05)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of fresh containers, none cyclic: collection passes are pure cost
    try:
        try:
            doc, event_colons = _decode(data)
        except (msgspec.MsgspecError, ValidationError, UnicodeDecodeError, _Retype):
            # Refused: the rare path. Re-reading keeps the happy path from holding bytes and
            # structs at once.
            del data
            return _model_path(name, stage)
        del data
        stage(0.3)
        try:
            store = _build(doc, stage, name, event_colons)
        except _Retype:
            del doc
            return _model_path(name, stage)
        except _Invalid as bad:
            del doc
            raise located_error(name, read_text(name), bad.problems) from None
        del doc
    finally:
        if gc_was_enabled:
            gc.enable()
    store.content_key = key
    if key is not None and keep:
        store_cache.write(key, store)
    stage(1.0)
    return store


# -- errors --------------------------------------------------------------------------------------


def _model_path(name: str, stage: Callable[[float], None]) -> EventStore:
    """A document the fast decoder refused: the models decide and word every problem (syntax,
    encoding, types, references, duplicate keys), exactly as for a small file. Rare for big
    generated files; slow, but whatever the models accept still opens."""
    timeline = loads_timeline(read_text(name), name)  # raises TimelineLoadError when invalid
    stage(0.9)
    return EventStore.from_timeline(timeline)


def _strict_date(text: str) -> EdtfDate:
    """``parse_date`` under the model's rule (``parse_date`` alone forgives spaces around)."""
    check_date(text)  # raises ValueError with the model's message
    return parse_date(text)


def _date_problem(text: str) -> str | None:
    try:
        _strict_date(text)
    except ValueError as exc:
        return str(exc)
    return None


def _few_date_problems(eras: list[dict[str, Any]], sources: list[dict[str, Any]]) -> Iterator[Problem]:
    """Date messages for eras and sources (few: checked one by one, each distinct string once)."""
    cache: dict[str, str | None] = {}
    for key, rows, fields in (("eras", eras, ("start", "end")), ("sources", sources, ("published",))):
        for i, obj in enumerate(rows):
            for f in fields:
                value = obj.get(f)
                if value is None:
                    continue
                if value not in cache:
                    cache[value] = _date_problem(value)
                msg = cache[value]
                if msg is not None:
                    yield (key, i, f), msg, False


def _era_reversed(era: dict[str, Any]) -> bool:
    try:
        return parse_date(era["end"]).interval()[1] <= parse_date(era["start"]).interval()[0]
    except DateError:
        return False


def _reorder(items: list[Any], order: list[int] | None) -> list[Any]:
    """``items`` in ``order`` (None: as they are)."""
    if order is None:
        return items
    if len(order) < 2:
        return [items[k] for k in order]
    return list(itemgetter(*order)(items))


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


class _Dates:
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
                d = _strict_date(text)
            except ValueError as exc:
                self.problems[text] = str(exc)
                continue
            k = len(self.texts)
            self.codes[text] = k
            self.texts.append(d.format())
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
    """Each event's date as a reader says it, from two small codes per event instead of a string."""

    __slots__ = ("_end", "_start", "_texts")

    def __init__(self, texts: list[str], start_code: NDArray[np.int32], end_code: NDArray[np.int32]) -> None:
        self._texts = texts
        self._start = start_code
        self._end = end_code  # -1: no end, or the same date as the start

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

    @property
    def nbytes(self) -> int:
        return self._start.nbytes + self._end.nbytes + sum(len(t) for t in self._texts)

    def texts(self) -> list[str]:
        """The distinct date texts the codes point into (what the reopen cache keeps)."""
        return list(self._texts)

    def codes(self) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
        return self._start, self._end


_valid_ids = rules.all_ids
_all_text = rules.all_text


def _ragged_order(counts: NDArray[np.int64], order: NDArray[np.intp]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Rows of a flat ragged array taken in ``order``: the new row pointers and the flat positions
    to gather, computed with numpy instead of regrouping Python lists."""
    n = len(counts)
    old_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=old_ptr[1:])
    new_counts = counts[order]
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(new_counts, out=ptr[1:])
    take = np.repeat(old_ptr[:-1][order] - ptr[:-1], new_counts) + np.arange(ptr[-1], dtype=np.int64)
    return ptr, take


def _codes(index: dict[str, int], keys: Sequence[str]) -> NDArray[np.int32]:
    """Position of each key in ``index``; -1 where it is missing."""
    return np.fromiter(map(index.get, keys, repeat(-1, len(keys))), dtype=np.int32, count=len(keys))


def _build(doc: dict[str, Any], stage: Callable[[float], None], name: str, event_colons: int = -1) -> EventStore:
    """Check and index a type-valid document. Each event dict is visited once (``_columns``);
    the rest is C-level passes over flat columns and numpy; per-item Python runs only to word
    problems once something is wrong."""
    events: list[_MEvent] = doc["events"]
    n = len(events)
    actors: list[dict[str, Any]] = doc.get("actors", [])
    sources: list[dict[str, Any]] = doc.get("sources", [])
    eras: list[dict[str, Any]] = doc.get("eras", [])
    problems: list[Problem] = []

    # One C-level pass per field (measured: cheaper than one pass building a tuple per event).
    ids: list[str] = list(map(attrgetter("id"), events))
    titles: list[str] = list(map(attrgetter("title"), events))
    starts: list[str] = list(map(attrgetter("start"), events))
    ends: list[str | msgspec.UnsetType | None] = list(map(attrgetter("end"), events))
    actor_lists: list[list[str]] = list(map(attrgetter("actors"), events))
    tag_rows: list[list[str]] = list(map(attrgetter("tags"), events))
    summaries: list[str] = list(map(attrgetter("summary"), events))
    excerpt_rows: list[list[_MExcerpt]] = list(map(attrgetter("excerpts"), events))
    discrepancy_rows: list[list[_MDiscrepancy]] = list(map(attrgetter("discrepancies"), events))
    link_rows: list[list[_MLink]] = list(map(attrgetter("links"), events))
    flat_excerpts = list(chain.from_iterable(excerpt_rows))
    quote_source_ids: list[str] = list(map(attrgetter("source"), flat_excerpts))
    quotes: list[str] = list(map(attrgetter("quote"), flat_excerpts))
    del flat_excerpts
    if not (_valid_ids(ids) and _all_text(titles) and _all_text(quotes)):
        raise _Retype
    # Keys written and colons in the strings that are not kept in a table (see _colons); the
    # tables' blobs are counted at the end.
    small_rows = [*chain.from_iterable(discrepancy_rows), *chain.from_iterable(link_rows)]
    locators = list(map(attrgetter("locator"), chain.from_iterable(excerpt_rows)))
    colons = (
        5 * n
        + sum(_optional_written(rows, _ABSENT) for rows in (tag_rows, excerpt_rows, discrepancy_rows, link_rows))
        + _optional_written(ends, msgspec.UNSET)
        + 2 * len(quotes)
        + _optional_written(locators, msgspec.UNSET)
        + _colons(msgspec.to_builtins(small_rows))
        + "\x00".join(filter(None, locators)).count(":")
    )  # dates: no valid one holds a colon; actor and source references: counted per id below
    del small_rows, locators

    dates = _Dates(starts, ends)
    start_code, end_code = dates.start_code, dates.end_code
    if dates.problems:
        bad = dates.problems
        for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
            if s in bad:
                problems.append((("events", i, "start"), bad[s], False))
            if isinstance(e, str) and e in bad:
                problems.append((("events", i, "end"), bad[e], False))
    problems.extend(_few_date_problems(eras, sources))
    del starts, ends
    stage(0.45)

    # Ids unique, references resolve, no end before its start: sets and arrays detect; the
    # small path's check_references words every instance if anything is wrong.
    actor_index = {a["id"]: k for k, a in enumerate(actors)}
    source_index = {s["id"]: k for k, s in enumerate(sources)}
    actor_counts = np.fromiter(map(len, actor_lists), dtype=np.int64, count=n)
    flat_actors = list(chain.from_iterable(actor_lists))
    del actor_lists
    member_code = _codes(actor_index, flat_actors)
    quote_source = _codes(source_index, quote_source_ids)
    unknown = (
        [
            *(a for a, c in zip(flat_actors, member_code.tolist(), strict=True) if c < 0),
            *(s for s, c in zip(quote_source_ids, quote_source.tolist(), strict=True) if c < 0),
        ]
        if (len(member_code) and member_code.min() < 0) or (len(quote_source) and quote_source.min() < 0)
        else []
    )
    if not _valid_ids(unknown):  # not a reference problem: a malformed id, which the model path words
        raise _Retype
    del flat_actors, quote_source_ids
    id_set = set(ids)
    cited = chain.from_iterable(map(attrgetter("sources"), chain.from_iterable(discrepancy_rows)))
    linked = map(attrgetter("to"), chain.from_iterable(link_rows))
    wrong = (
        bool(unknown)
        or len(actor_index) != len(actors)
        or len(source_index) != len(sources)
        or len({e["id"] for e in eras}) != len(eras)
        or len(id_set) != n
        or not source_index.keys() >= set(cited)
        or not id_set.issuperset(linked)
        or any(_era_reversed(era) for era in eras)
    )
    del id_set, link_rows
    if not wrong:
        has_end = end_code >= 0
        ok = start_code >= 0
        wrong = bool(np.any(dates.hi[end_code[has_end & ok]] <= dates.lo[start_code[has_end & ok]]))
    if wrong:
        problems.extend(check_references({**doc, "events": msgspec.to_builtins(events)}))
    if problems:
        raise _Invalid(problems)
    # Everything needed is in the columns now: free the per-event dicts before the string tables
    # are built, so the two never peak together.
    events.clear()
    stage(0.55)

    order = np.argsort(dates.lo[start_code], kind="stable")
    # Files written in time order (most are) skip every regrouping: no Python list is reordered.
    in_order = bool(np.all(order[1:] > order[:-1])) if n > 1 else True
    order_list: list[int] | None = None if in_order else order.tolist()
    start_code = start_code[order]
    end_code = end_code[order]
    span = end_code >= 0
    start = dates.lo[start_code]
    end = np.where(span, dates.hi[np.where(span, end_code, 0)] if len(dates.hi) else 0.0, dates.hi[start_code])
    kind = np.where(span, Kind.SPAN, np.where(dates.day[start_code], Kind.INSTANT, Kind.PERIOD)).astype(np.int8)
    qualified = dates.qualified[start_code] | (span & dates.qualified[np.where(span, end_code, 0)])
    # An end equal to the start (as a date) is said once, as format_range does.
    same = span & (dates.canon[np.where(span, end_code, 0)] == dates.canon[start_code])
    shown_end = np.where(same, -1, end_code).astype(np.int32)

    member_ptr, take = _ragged_order(actor_counts, order)
    member_actor = member_code[take]
    has_discrepancy = np.fromiter(map(bool, discrepancy_rows), dtype=bool, count=n)[order]
    del discrepancy_rows, member_code, take
    stage(0.6)

    id_table = StringTable.from_strings(_reorder(ids, order_list))
    del ids
    stage(0.67)  # the tables take the rest: a Cancel is heard between them
    title_table = StringTable.from_strings(_reorder(titles, order_list))
    del titles
    stage(0.74)
    summary_table = StringTable.from_strings(_reorder(summaries, order_list))
    del summaries
    stage(0.82)
    tag_ptr, take = _ragged_order(np.fromiter(map(len, tag_rows), dtype=np.int64, count=n), order)
    flat_tags = list(chain.from_iterable(tag_rows))
    tags = RaggedStrings(StringTable.from_strings(_reorder(flat_tags, None if in_order else take.tolist())), tag_ptr)
    del flat_tags
    del tag_rows
    stage(0.86)
    quote_ptr, take = _ragged_order(np.fromiter(map(len, excerpt_rows), dtype=np.int64, count=n), order)
    del excerpt_rows
    quote_table = StringTable.from_strings(_reorder(quotes, None if in_order else take.tolist()))
    quote_rows = RaggedStrings(quote_table, quote_ptr)
    quote_sources = quote_source[take]
    del quotes, take, quote_table
    colons += sum(t.blob.count(b":") for t in (id_table, title_table, summary_table, tags.table, quote_rows.table))
    colons += int(np.array([a["id"].count(":") for a in actors], dtype=np.int64)[member_actor].sum())
    colons += int(np.array([s["id"].count(":") for s in sources], dtype=np.int64)[quote_sources].sum())
    if event_colons >= 0 and colons != event_colons:
        raise _Retype  # a key written twice in some event (or a \u003a escape): the models decide
    stage(0.95)

    source_names = [" ".join(filter(None, (s["title"], s.get("author"), s.get("publisher")))) for s in sources]
    bands = [
        EraBand(e["title"], parse_date(e["start"]).interval()[0], parse_date(e["end"]).interval()[1], e.get("color"))
        for e in eras
    ]
    return EventStore(
        title=doc["title"],
        start=np.ascontiguousarray(start),
        end=np.ascontiguousarray(end, dtype=np.float64),
        kind=kind,
        qualified=qualified,
        has_discrepancy=has_discrepancy,
        ids=id_table,
        titles=title_table,
        date_texts=DateTexts(dates.texts, start_code, shown_end),
        actor_ids=[a["id"] for a in actors],
        actor_names=[a["name"] for a in actors],
        actor_colors=resolve_colors([a.get("color") for a in actors]),
        member_ptr=member_ptr,
        member_actor=member_actor,
        eras=bands,
        search_texts=SearchTexts(title_table, summary_table, tags, quote_rows, quote_sources, source_names),
        excerpt_quotes=quote_rows,
        excerpt_sources=quote_sources,
        source_titles=[s["title"] for s in sources],
    )


class _Retype(Exception):
    """A per-event string breaks a rule the models check (an id, a non-empty text): the model path
    words it, exactly as when pydantic-core itself refuses the document."""


class _Invalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems


def bare_json_load(path: str | Path) -> Any:
    """``json.loads`` of the same bytes with GC paused: the yardstick the benchmark compares to."""
    data = Path(path).read_bytes()
    enabled = gc.isenabled()
    gc.disable()
    try:
        return json.loads(data)
    finally:
        if enabled:
            gc.enable()
