"""Find where a JSON value sits in its text, for error messages that point at line and column.

Only run after an error, and only along the paths asked for: subtrees off those paths are
skipped with the C decoder (``raw_decode``), so locating a few errors in a large file stays fast.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator

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
    wanted: set[JsonPath] = {()}
    for p in paths:
        for k in range(1, len(p) + 1):
            wanted.add(tuple(p[:k]))
    values: dict[JsonPath, int] = {}
    keys: dict[JsonPath, int] = {}

    def skip(path: JsonPath, i: int) -> int | None:
        return None if path in wanted else _decoder.raw_decode(text, i)[1]

    try:
        for path, _, key_at, at in _scan(text, skip):
            if key_at is not None:
                keys[path] = key_at
            if path in wanted:
                values[path] = at
    except (ValueError, IndexError, RecursionError):
        pass  # text that does not parse: keep what was found
    return values, keys


def find_duplicate_keys(text: str) -> list[tuple[JsonPath, int, int]]:
    """Keys that appear twice in one object: ``(path, offset of the repeat, offset of the first)``.

    Only subtrees that hold a duplicate are walked in Python; the rest are skipped by the C decoder,
    so finding one repeated key in a large file costs a few parses, not a slow walk. ``text`` must
    be valid JSON.
    """
    found: list[tuple[JsonPath, int, int]] = []
    seen: dict[int, dict[str | int, int]] = {}  # per object entered (by offset): key -> first offset

    def skip(_path: JsonPath, i: int) -> int | None:
        try:
            return _dup_decoder.raw_decode(text, i)[1]
        except _Duplicate:
            return None  # a repeat somewhere inside: enter it

    for path, parent_at, key_at, _ in _scan(text, skip):
        if key_at is not None:
            first = seen.setdefault(parent_at, {}).setdefault(path[-1], key_at)
            if first != key_at:
                found.append((path, key_at, first))
    return found


def _ws(text: str, i: int) -> int:
    return _WS.match(text, i).end()  # type: ignore[union-attr]


def _scan(text: str, skip: Callable[[JsonPath, int], int | None]) -> Iterator[tuple[JsonPath, int, int | None, int]]:
    """``(path, parent offset, key offset or None, value offset)`` of the root (parent -1) and of
    every member of the containers entered, in document order.

    At each container ``skip(path, offset)`` decides: None enters it; an offset (its end, found by
    the C decoder) passes over it. Scalars are always passed over by the C decoder. An explicit
    stack, not recursion: documents may be nested deeper than Python's stack.
    """
    stack: list[tuple[JsonPath, int, list[int]]] = []  # (path, offset, next index) of containers entered
    path: JsonPath = ()
    parent_at = -1
    key_at: int | None = None
    i = _ws(text, 0)
    while True:
        yield path, parent_at, key_at, i
        end = skip(path, i) if text[i] in "[{" else _decoder.raw_decode(text, i)[1]
        if end is None:
            stack.append((path, i, [0]))
            i += 1
        else:
            i = end
        while stack:  # close the containers that end here
            i = _ws(text, i)
            if text[i] not in "}]":
                break
            stack.pop()
            i += 1
        if not stack:
            return
        parent, parent_at, counter = stack[-1]
        if text[i] == ",":
            i = _ws(text, i + 1)
        if text[parent_at] == "{":
            key_at = i
            key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
            i = _ws(text, _ws(text, i) + 1)  # past ':'
            path = (*parent, key)
        else:
            key_at = None
            path = (*parent, counter[0])
            counter[0] += 1


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
