"""Read and validate a timeline file, reporting every problem with file, line, column and JSON path.

Qt-free: the window, the CLI and the tests all go through :func:`load_timeline`, and the only
exception it raises for bad input is :class:`TimelineLoadError`.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .dates import DateError, parse_date
from .errors import Issue, TimelineLoadError
from .jsonpos import JsonPath, format_path, line_col, locate
from .models import Actor, Discrepancy, Era, Event, Excerpt, Link, Source, Timeline

MAX_FILE_BYTES = 2 * 1024**3

# The model that describes the object at a path (indices removed), for "did you mean" hints.
_MODEL_AT: dict[tuple[str, ...], type[BaseModel]] = {
    (): Timeline,
    ("actors",): Actor,
    ("sources",): Source,
    ("eras",): Era,
    ("events",): Event,
    ("events", "excerpts"): Excerpt,
    ("events", "discrepancies"): Discrepancy,
    ("events", "links"): Link,
}


def read_text(path: str | Path) -> str:
    """The file's text as UTF-8 (a BOM is accepted), or a located error that says what is wrong."""
    name = str(path)
    p = Path(path)
    try:
        if p.is_dir():
            raise _fail(name, "is a directory, not a timeline file")
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(name, f"is {size / 1024**3:.1f} GB; the limit is {MAX_FILE_BYTES // 1024**3} GB")
        data = p.read_bytes()
    except FileNotFoundError:
        raise _fail(name, "no such file") from None
    except PermissionError:
        raise _fail(name, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise _fail(name, f"cannot be read: {exc.strerror or exc}") from None
    return decode(data, name)


def decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(name, "the file is UTF-16; save it as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        msg = f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8"
        raise TimelineLoadError(name, [Issue("$", msg, line, col)]) from None


def parse_json(text: str, name: str) -> Any:
    """``json.loads`` with located syntax errors and no crash on absurd nesting."""
    if not text.strip():
        raise _fail(name, "the file is empty; a timeline is a JSON object with schema_version, title and events")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise TimelineLoadError(name, [Issue("$", f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)]) from None
    except RecursionError:
        raise _fail(name, "JSON nested too deeply to be a timeline") from None
    except ValueError as exc:  # from _reject_constant
        raise _fail(name, f"invalid JSON: {exc}") from None


def _reject_constant(token: str) -> Any:
    raise ValueError(f"{token} is not allowed in JSON")


def loads_timeline(text: str, name: str = "<string>") -> Timeline:
    """Validate a document's text; raise TimelineLoadError with every problem located."""
    data = parse_json(text, name)
    if not isinstance(data, dict):
        msg = f"a timeline is a JSON object with schema_version, title and events, not {_json_type(data)}"
        raise _fail(name, msg)
    problems: list[tuple[JsonPath, str, bool]] = []  # (path, message, point at key)
    timeline: Timeline | None = None
    try:
        timeline = Timeline.model_validate(data)
    except ValidationError as exc:
        problems.extend(_from_pydantic(exc, data))
    except RecursionError:
        raise _fail(name, "JSON nested too deeply to be a timeline") from None
    problems.extend(check_references(data))
    if problems or timeline is None:
        raise TimelineLoadError(name, _locate(text, problems))
    return timeline


def load_timeline(path: str | Path) -> Timeline:
    """Read, parse and validate ``path``."""
    return loads_timeline(read_text(path), str(path))


def _fail(name: str, message: str) -> TimelineLoadError:
    return TimelineLoadError(name, [Issue("$", message, 1, 1)])


def _locate(text: str, problems: list[tuple[JsonPath, str, bool]]) -> list[Issue]:
    values, keys = locate(text, [p for p, _, _ in problems])
    issues = []
    for path, message, at_key in problems:
        offset = keys.get(path) if at_key else None
        if offset is None:
            # The value itself, or the nearest enclosing value that exists (for a missing field).
            for k in range(len(path), -1, -1):
                offset = values.get(path[:k])
                if offset is not None:
                    break
        line, col = line_col(text, offset or 0)
        issues.append(Issue(format_path(path), message, line, col))
    return issues


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "a number", float: "a number", str: "a string", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)


def _from_pydantic(exc: ValidationError, data: Any) -> Iterable[tuple[JsonPath, str, bool]]:
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        value = err.get("input")
        if kind == "missing":
            yield loc, f"missing required field {loc[-1]!r}", False
        elif kind == "extra_forbidden":
            yield loc, _unknown_key(loc), True
        elif kind == "literal_error" and loc == ("schema_version",):
            yield loc, f"unsupported schema_version {value!r}: this program reads version 1", False
        elif kind == "too_short" and loc[-1:] == ("actors",):
            yield loc, "an event needs at least one actor", False
        elif kind == "value_error":
            yield loc, str(err["msg"]).removeprefix("Value error, "), False
        elif kind in ("model_type", "dict_type"):
            yield loc, f"expected an object, got {_json_type(value)}", False
        elif kind == "list_type":
            yield loc, f"expected a list, got {_json_type(value)}", False
        elif kind == "string_type":
            yield loc, f"expected a string, got {_json_type(value)}", False
        else:
            yield loc, str(err["msg"]), False


def _unknown_key(loc: JsonPath) -> str:
    key = str(loc[-1])
    shape = tuple(p for p in loc[:-1] if isinstance(p, str))
    model = _MODEL_AT.get(shape)
    msg = f"unknown key {key!r}"
    if model is not None:
        allowed = [f.alias or n for n, f in model.model_fields.items()]
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if not close:
            close = [a for a in allowed if a.lower() == key.lower()]
        if close:
            msg += f" (did you mean {close[0]!r}?)"
        else:
            msg += f"; allowed here: {', '.join(allowed)}"
    return msg


def check_references(data: Any) -> list[tuple[JsonPath, str, bool]]:
    """The checks beyond types: unique ids, references that resolve, end not before start.

    Runs on the raw document, so these problems are reported together with type errors.
    """
    if not isinstance(data, dict):
        return []  # reported by the caller
    out: list[tuple[JsonPath, str, bool]] = []

    def items(key: str) -> list[tuple[int, dict[str, Any]]]:
        seq = data.get(key)
        return [(i, x) for i, x in enumerate(seq) if isinstance(x, dict)] if isinstance(seq, list) else []

    ids: dict[str, set[str]] = {}
    for key, what in (("actors", "actor"), ("sources", "source"), ("eras", "era"), ("events", "event")):
        seen: dict[str, int] = {}
        for i, obj in items(key):
            ident = obj.get("id")
            if not isinstance(ident, str):
                continue
            if ident in seen:
                out.append(((key, i, "id"), f"duplicate {what} id {ident!r} (also {key}[{seen[ident]}])", False))
            else:
                seen[ident] = i
        ids[key] = set(seen)

    def ref(path: JsonPath, value: Any, key: str, what: str) -> None:
        if isinstance(value, str) and value not in ids[key]:
            close = difflib.get_close_matches(value, sorted(ids[key]), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            out.append((path, f"unknown {what} {value!r}{hint}", False))

    for i, ev in items("events"):
        for j, a in enumerate(_list(ev.get("actors"))):
            ref(("events", i, "actors", j), a, "actors", "actor")
        for j, ex in enumerate(_list(ev.get("excerpts"))):
            if isinstance(ex, dict):
                ref(("events", i, "excerpts", j, "source"), ex.get("source"), "sources", "source")
        for j, d in enumerate(_list(ev.get("discrepancies"))):
            if isinstance(d, dict):
                for k, s in enumerate(_list(d.get("sources"))):
                    ref(("events", i, "discrepancies", j, "sources", k), s, "sources", "source")
        for j, link in enumerate(_list(ev.get("links"))):
            if isinstance(link, dict):
                ref(("events", i, "links", j, "to"), link.get("to"), "events", "event")
        _check_order(out, ("events", i), ev)
    for i, era in items("eras"):
        _check_order(out, ("eras", i), era)
    return out


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _check_order(out: list[tuple[JsonPath, str, bool]], path: JsonPath, obj: dict[str, Any]) -> None:
    start, end = obj.get("start"), obj.get("end")
    if not (isinstance(start, str) and isinstance(end, str)):
        return
    try:
        s, e = parse_date(start), parse_date(end)
    except DateError:
        return  # reported by the model
    if e.interval()[1] <= s.interval()[0]:
        out.append(((*path, "end"), f"end {end} is before start {start}", False))
