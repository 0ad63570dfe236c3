"""Find where a JSON value sits in its text, for error messages that point at line and column.

Only run after an error, and only along the paths asked for: subtrees off those paths are
skipped with the C decoder (``raw_decode``), so locating a few errors in a large file stays fast.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

JsonPath = tuple[str | int, ...]

_WS = re.compile(r"[ \t\n\r]*")
_decoder = json.JSONDecoder()
_STRING = r'"(?:[^"\\]|\\.)*"'


class _Duplicate(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    d = dict(pairs)
    if len(d) != len(pairs):
        raise _Duplicate
    return d


_dup_decoder = json.JSONDecoder(object_pairs_hook=_no_duplicates)


def locate(text: str, paths: Iterable[JsonPath]) -> tuple[dict[JsonPath, int], dict[JsonPath, int]]:
    """Offsets of the values at ``paths`` (and of their object keys), by path.

    Returns ``(values, keys)``: ``values[p]`` is where the value at ``p`` starts, ``keys[p]`` where
    its key starts when its parent is an object. Paths that do not exist are simply absent.
    """
    wanted: set[JsonPath] = set()
    for p in paths:
        for k in range(len(p) + 1):
            wanted.add(tuple(p[:k]))
    values: dict[JsonPath, int] = {}
    keys: dict[JsonPath, int] = {}
    try:
        _walk(text, wanted, values, keys)
    except (ValueError, IndexError, RecursionError):
        pass  # text that does not parse: keep what was found
    return values, keys


def _ws(text: str, i: int) -> int:
    return _WS.match(text, i).end()  # type: ignore[union-attr]


def _walk(text: str, wanted: set[JsonPath], values: dict[JsonPath, int], keys: dict[JsonPath, int]) -> None:
    # An explicit stack, not recursion: documents may be nested deeper than Python's stack.
    i = _ws(text, 0)
    values[()] = i
    if text[i] not in "[{":
        return
    stack: list[tuple[JsonPath, list[int], bool]] = [((), [0], text[i] == "{")]
    i += 1
    while stack:
        parent, counter, is_obj = stack[-1]
        i = _ws(text, i)
        c = text[i]
        if c in "}]":
            stack.pop()
            i += 1
            continue
        if c == ",":
            i = _ws(text, i + 1)
        path: JsonPath
        if is_obj:
            key_at = i
            key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
            i = _ws(text, _ws(text, i) + 1)  # past ':'
            path = (*parent, key)
            keys[path] = key_at
        else:
            path = (*parent, counter[0])
            counter[0] += 1
        if path not in wanted:
            _, i = _decoder.raw_decode(text, i)
            continue
        values[path] = i
        if text[i] in "[{":
            stack.append((path, [0], text[i] == "{"))
            i += 1
        else:
            _, i = _decoder.raw_decode(text, i)


def find_duplicate_keys(text: str) -> list[tuple[JsonPath, int, int]]:
    """Keys that appear twice in one object: ``(path, offset of the repeat, offset of the first)``.

    Only subtrees that hold a duplicate are walked in Python; the rest are skipped by the C decoder,
    so finding one repeated key in a large file costs a few parses, not a slow walk. ``text`` must
    be valid JSON.
    """
    found: list[tuple[JsonPath, int, int]] = []

    def has_duplicate(i: int) -> tuple[bool, int]:
        try:
            _, end = _dup_decoder.raw_decode(text, i)
        except _Duplicate:
            return True, -1
        return False, end

    i = _ws(text, 0)
    if text[i] not in "[{" or not has_duplicate(i)[0]:
        return found
    stack: list[tuple[JsonPath, list[int], dict[str, int] | None]] = [((), [0], {} if text[i] == "{" else None)]
    i += 1
    while stack:
        parent, counter, seen = stack[-1]
        i = _ws(text, i)
        c = text[i]
        if c in "}]":
            stack.pop()
            i += 1
            continue
        if c == ",":
            i = _ws(text, i + 1)
        path: JsonPath
        if seen is not None:
            key_at = i
            key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
            i = _ws(text, _ws(text, i) + 1)  # past ':'
            path = (*parent, key)
            if key in seen:
                found.append((path, key_at, seen[key]))
            else:
                seen[key] = key_at
        else:
            path = (*parent, counter[0])
            counter[0] += 1
        if text[i] in "[{":
            dup, end = has_duplicate(i)
            if dup:
                stack.append((path, [0], {} if text[i] == "{" else None))
                i += 1
                continue
            i = end
        else:
            _, i = _decoder.raw_decode(text, i)
    return found


def find_outside_strings(text: str, pattern: str) -> int | None:
    """Offset of the first match of ``pattern`` that is not inside a JSON string, or None."""
    for m in re.finditer(f"{_STRING}|(?P<hit>{pattern})", text):
        if m.group("hit") is not None:
            return m.start()
    return None


def depth_exceeded_at(text: str, limit: int) -> int | None:
    """Offset of the first bracket that opens level ``limit + 1``, or None."""
    depth = 0
    for m in re.finditer(f"{_STRING}|[\\[\\]{{}}]", text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > limit:
                return m.start()
        elif c in "]}":
            depth -= 1
    return None


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``offset``."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def format_path(path: Iterable[str | int]) -> str:
    """``("events", 3, "start")`` → ``$.events[3].start``."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]{0,59}", part):
            out += f".{part}"
        else:
            # A key is data: clip it (a million-char key) and escape it (control characters).
            shown = part if len(part) <= 60 else part[:60] + "…"
            quoted = json.dumps(shown, ensure_ascii=False).encode("utf-8", "backslashreplace").decode("utf-8")
            out += f"[{quoted}]"
    return out
