"""Read and validate a timeline file, reporting every problem with file, line, column and JSON path.

Qt-free: the window, the CLI and the tests all go through :func:`load_timeline`, and the only
exception it raises for bad input is :class:`TimelineLoadError`.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .dates import DateError, parse_date
from .errors import Issue, TimelineLoadError, clip
from .jsonpos import (
    JsonPath,
    depth_exceeded_at,
    find_duplicate_keys,
    find_outside_strings,
    format_path,
    line_col,
    locate,
)
from .models import Actor, Discrepancy, Era, Event, Excerpt, Link, Source, Timeline
from .rules import ends_before_start

MAX_FILE_BYTES = 2 * 1024**3
MAX_LOCATED = 2000  # problems kept and located; beyond that, only counted
MAX_HINTED = 50  # "did you mean" hints computed (each compares against every id)
# A problem found in the parsed document, located in its text later: (path, message, point at the key).
Problem = tuple[JsonPath, str, bool]
_SHAPE = "a timeline is a JSON object with schema_version, title and events"
# An escaped UTF-16 surrogate; JSON joins valid pairs into one character, lone ones stay behind.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")

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


def read_bytes(path: str | Path, what: str = "timeline file") -> bytes:
    """The file's bytes, or a TimelineLoadError that says why not (missing, a directory, too big,
    unreadable): one wording for every reader of user files (``what`` names the expected kind)."""
    name = str(path)
    p = Path(path)
    try:
        if p.is_dir():
            raise _fail(name, f"is a directory, not a {what}")
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(name, f"is {size / 1024**3:.1f} GB; the limit is {MAX_FILE_BYTES // 1024**3} GB")
        return p.read_bytes()
    except FileNotFoundError:
        raise _fail(name, "no such file") from None
    except PermissionError:
        raise _fail(name, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise _fail(name, f"cannot be read: {exc.strerror or exc}") from None


def read_text(path: str | Path) -> str:
    """The file's text as UTF-8 (a BOM is accepted), or a located error that says what is wrong."""
    return decode(read_bytes(path), str(path))


def decode(data: bytes, name: str) -> str:
    """Bytes to text: UTF-8 with or without BOM; anything else is a located error naming the encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise _fail(name, "the file is UTF-32; save it as UTF-8")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(name, "the file is UTF-16; save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _byte_line_col(data, nul)
        msg = "the file contains NUL bytes: it is binary, or UTF-16/UTF-32 without a BOM; save it as UTF-8 JSON"
        raise TimelineLoadError(name, [Issue("$", msg, line, col)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_line_col(data, exc.start)
        msg = (
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8 (it may be Latin-1 or Windows-1252)"
        )
        raise TimelineLoadError(name, [Issue("$", msg, line, col)]) from None


def _byte_line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    # Columns count characters, as in every other message: decode the line's valid prefix.
    col = len(data[start:offset].decode("utf-8", "replace")) + 1
    return line, col


def parse_json(text: str, name: str) -> Any:
    """``json.loads`` with located syntax errors and no crash on absurd nesting."""
    data, _ = _parse(text, name)
    return data


def _parse(text: str, name: str) -> tuple[Any, bool]:
    """The parsed document and whether some object repeats a key (located later, only if so)."""
    if not text.strip():
        raise _fail(name, f"the file is empty; {_SHAPE}")
    repeated = False

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal repeated
        d = dict(pairs)
        if len(d) != len(pairs):
            repeated = True
        return d

    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=pairs_hook), repeated
    except json.JSONDecodeError as exc:
        line, col = line_col(text, exc.pos)
        raise TimelineLoadError(name, [Issue("$", _syntax_message(text, exc), line, col)]) from None
    except RecursionError:
        limit = max(sys.getrecursionlimit() // 2, 100)
        at = depth_exceeded_at(text, limit)
        line, col = line_col(text, at or 0)
        msg = f"JSON nested too deeply (more than {limit} levels) to be a timeline"
        raise TimelineLoadError(name, [Issue("$", msg, line, col)]) from None
    except _ConstantError as exc:
        at = find_outside_strings(text, re.escape(exc.token))
        line, col = line_col(text, at or 0)
        msg = f"invalid JSON: {exc.token} is not a JSON value (use a number, or null)"
        raise TimelineLoadError(name, [Issue("$", msg, line, col)]) from None
    except ValueError:  # an integer too long for Python to convert
        at = find_outside_strings(text, r"-?\d{1000,}")
        line, col = line_col(text, at or 0)
        msg = "invalid JSON: a number with thousands of digits"
        raise TimelineLoadError(name, [Issue("$", msg, line, col)]) from None


def _syntax_message(text: str, exc: json.JSONDecodeError) -> str:
    """``json``'s terse message, said so that a curator can fix the file."""
    pos, msg = exc.pos, exc.msg
    at = text[pos : pos + 2]
    before = text[:pos].rstrip()[-1:]
    if msg.startswith("Invalid control character"):
        ch = text[pos]
        named = {"\n": " (a line break)", "\r": " (a carriage return)", "\t": " (a tab)"}.get(ch, "")
        escape = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch, f"\\u{ord(ch):04x}")
        return f"invalid JSON: control character U+{ord(ch):04X}{named} inside a string; write it as {escape}"
    if pos >= len(text.rstrip()) and not msg.startswith("Extra data"):
        return "invalid JSON: the file ends too early: is it truncated?"
    if msg.startswith("Unterminated string"):
        return 'invalid JSON: this string is never closed (a missing ", or the file is truncated)'
    if at.startswith("'"):
        return "invalid JSON: strings and keys use double quotes \", not single quotes '"
    if at in ("//", "/*"):
        return "invalid JSON: comments are not allowed in JSON"
    if before == "," and at[:1] in ("}", "]"):
        return "invalid JSON: a trailing comma before the closing bracket is not allowed"
    if msg.startswith("Extra data"):
        return "invalid JSON: extra text after the end of the document (a stray bracket, or two documents?)"
    if msg.startswith("Expecting property name"):
        return "invalid JSON: expected a key in double quotes"
    if msg.startswith("Expecting ',' delimiter"):
        return "invalid JSON: expected a comma (or a closing bracket) before this"
    if msg.startswith("Expecting ':' delimiter"):
        return "invalid JSON: expected ':' between a key and its value"
    if msg.startswith("Expecting value"):
        return "invalid JSON: expected a value (an object, list, string, number, true, false or null) here"
    return f"invalid JSON: {msg[:1].lower()}{msg[1:]}"


class _ConstantError(ValueError):
    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def _reject_constant(token: str) -> Any:
    raise _ConstantError(token)


def loads_timeline(text: str, name: str = "<string>") -> Timeline:
    """Validate a document's text; raise TimelineLoadError with every problem located."""
    data, repeated = _parse(text, name)
    if not isinstance(data, dict):
        raise _fail(name, f"{_SHAPE}, not {_json_type(data)}")
    version = data.get("schema_version")
    if type(version) is int and version != 1:
        # A newer format: its other differences would only bury the one message that matters.
        msg = f"unsupported schema_version {version}: this program reads version 1"
        raise located_error(name, text, [(("schema_version",), msg, False)])
    problems: list[Problem] = []
    timeline: Timeline | None = None
    try:
        timeline = Timeline.model_validate(data)
    except ValidationError as exc:
        problems.extend(_from_pydantic(exc))
    except RecursionError:
        raise _fail(name, "JSON nested too deeply to be a timeline") from None
    problems.extend(check_references(data))
    if _SURROGATE_ESCAPE.search(text):
        problems.extend(_lone_surrogates(data))
    issues: list[Issue] = []
    if repeated:
        issues.extend(_duplicate_keys(text))
    if problems or issues or timeline is None:
        raise located_error(name, text, problems, issues)
    return timeline


def load_timeline(path: str | Path) -> Timeline:
    """Read, parse and validate ``path``."""
    return loads_timeline(read_text(path), str(path))


def _fail(name: str, message: str) -> TimelineLoadError:
    return TimelineLoadError.whole_file(name, message)


def located_error(name: str, text: str, problems: list[Problem], issues: Iterable[Issue] = ()) -> TimelineLoadError:
    """``issues`` (already located) and ``problems`` located in ``text``: at most MAX_LOCATED in
    all are kept, the rest counted. Shared by the model path and the bulk path."""
    kept = list(issues)
    more = max(0, len(problems) + len(kept) - MAX_LOCATED)
    kept.extend(_locate(text, problems[: max(0, MAX_LOCATED - len(kept))]))
    return TimelineLoadError(name, kept, more=more)


def _locate(text: str, problems: list[Problem]) -> list[Issue]:
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


def _duplicate_keys(text: str) -> list[Issue]:
    issues = []
    for path, at, first in find_duplicate_keys(text)[:MAX_LOCATED]:
        fl, fc = line_col(text, first)
        line, col = line_col(text, at)
        msg = f"key {clip(str(path[-1]))} appears twice in this object (first at line {fl}, column {fc}); keep one"
        issues.append(Issue(format_path(path), msg, line, col))
    return issues


def _lone_surrogates(data: Any) -> list[Problem]:
    """Strings holding half of a UTF-16 pair (``"\\ud800"``): not text, and they cannot be saved."""
    out: list[Problem] = []
    stack: list[tuple[JsonPath, Any]] = [((), data)]
    while stack and len(out) < MAX_LOCATED:
        path, value = stack.pop()
        if isinstance(value, dict):
            for k, v in value.items():
                if _has_surrogate(k):
                    out.append(((*path, k), "this key contains an unpaired \\uD800-\\uDFFF escape", True))
                stack.append(((*path, k), v))
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value))
        elif isinstance(value, str) and _has_surrogate(value):
            out.append((path, "contains an unpaired \\uD800-\\uDFFF escape, which is not a character", False))
    return out


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _from_pydantic(exc: ValidationError) -> Iterable[Problem]:
    """Pydantic errors in a curator's words."""
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        value = err.get("input")
        if kind == "missing":
            yield loc, f"missing required field {loc[-1]!r}", False
        elif kind == "extra_forbidden":
            yield loc, _unknown_key(loc), True
        elif kind == "literal_error" and loc == ("schema_version",):
            yield loc, f"unsupported schema_version {clip(repr(value))}: this program reads version 1", False
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
    shown = clip(key)
    shape = tuple(p for p in loc[:-1] if isinstance(p, str))
    model = _MODEL_AT.get(shape)
    msg = f"unknown key {shown}"
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


def check_references(data: Any) -> list[Problem]:
    """The checks beyond types: unique ids, references that resolve, end not before start.

    Runs on the raw document, so these problems are reported together with type errors.
    """
    if not isinstance(data, dict):
        return []  # reported by the caller
    out: list[Problem] = []

    def items(key: str) -> list[tuple[int, dict[str, Any]]]:
        seq = data.get(key)
        return [(i, x) for i, x in enumerate(seq) if isinstance(x, dict)] if isinstance(seq, list) else []

    ids: dict[str, set[str]] = {}
    # Kinds with an entry that has no usable id: a reference to it cannot be judged, and the
    # entry's own problem is already reported, so skip the cascade of "unknown ..." messages.
    unsure: set[str] = set()
    for key, what in (("actors", "actor"), ("sources", "source"), ("eras", "era"), ("events", "event")):
        seen: dict[str, int] = {}
        seq = data.get(key)
        if (key in data and not isinstance(seq, list)) or (isinstance(seq, list) and len(items(key)) != len(seq)):
            unsure.add(key)
        for i, obj in items(key):
            ident = obj.get("id")
            if not isinstance(ident, str):
                unsure.add(key)
                continue
            if ident in seen:
                msg = f"duplicate {what} id {clip(ident)} (also {key}[{seen[ident]}])"
                out.append(((key, i, "id"), msg, False))
            else:
                seen[ident] = i
        ids[key] = set(seen)

    hinted = 0

    def ref(path: JsonPath, value: Any, key: str, what: str) -> None:
        nonlocal hinted
        if key not in unsure and isinstance(value, str) and value not in ids[key]:
            hint = ""
            if hinted < MAX_HINTED and len(value) <= 200:
                hinted += 1
                close = difflib.get_close_matches(value, sorted(ids[key]), n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
            defined = f"; define it in {key}" if not hint else ""
            out.append((path, f"unknown {what} {clip(value)}{hint}{defined}", False))

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


def _check_order(out: list[Problem], path: JsonPath, obj: dict[str, Any]) -> None:
    start, end = obj.get("start"), obj.get("end")
    if not (isinstance(start, str) and isinstance(end, str)):
        return
    try:
        s, e = parse_date(start), parse_date(end)
    except DateError:
        return  # reported by the model
    if ends_before_start(s, e):
        out.append(((*path, "end"), f"end {end} is before start {start}", False))
