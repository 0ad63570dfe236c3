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
        elif re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", part):
            out += f".{part}"
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out
