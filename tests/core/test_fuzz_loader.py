"""Hostile input never escapes as anything but TimelineLoadError, and every issue is located."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline_app.core.errors import TimelineLoadError
from timeline_app.core.loading import decode, loads_timeline
from timeline_app.core.models import Timeline

BASE = json.loads((Path(__file__).resolve().parent.parent / "data" / "ok_base.json").read_text(encoding="utf-8"))
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(["", " ", "2018-02-30", "us", "e1", "#zzzzzz", "file:///etc/passwd", "\x00", "\ud800"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_paths(v, (*path, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, (*path, i)))
    return out


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for p in path[:-1]:
        doc = doc[p]
    return doc


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    doc = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(doc, path)
        action = draw(st.sampled_from(["delete", "replace", "add_key", "swap_dates", "duplicate"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(junk)
        elif action == "add_key" and isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(junk)
        elif action == "swap_dates" and isinstance(parent, dict) and "start" in parent:
            parent["start"], parent["end"] = parent.get("end", "1999"), parent["start"]
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
    text = json.dumps(doc, indent=draw(st.sampled_from([None, 2])), ensure_ascii=draw(st.booleans()))
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(text)))
        text = text[:cut]
    if draw(st.integers(0, 9)) == 0:  # a raw duplicate key, which json.dumps cannot produce
        text = text.replace('"title": ', '"title": "dup", "title": ', 1)
    return text


def _check_outcome(text: str) -> None:
    try:
        result = loads_timeline(text, "fuzz.json")
    except TimelineLoadError as exc:
        assert exc.issues, "an error must say what is wrong"
        n_lines = text.count("\n") + 1
        for issue in exc.issues:
            assert issue.line is not None and 1 <= issue.line <= n_lines, issue
            assert issue.col is not None and issue.col >= 1, issue
            assert issue.path.startswith("$")
        for line in exc.lines():
            assert line.startswith("fuzz.json")
            line.encode("utf-8")  # printable: no lone surrogates leak into messages
        return
    assert isinstance(result, Timeline)


@SETTINGS
@given(mutated_text())
def test_mutated_documents_load_or_fail_cleanly(text: str) -> None:
    _check_outcome(text)


@SETTINGS
@given(st.binary(max_size=600))
def test_random_bytes_fail_cleanly(data: bytes) -> None:
    try:
        text = decode(data, "fuzz.json")
    except TimelineLoadError as exc:
        assert all(i.line is not None and i.line >= 1 and i.col is not None and i.col >= 1 for i in exc.issues)
        return
    _check_outcome(text)


@SETTINGS
@given(st.text(max_size=300))
def test_random_text_fails_cleanly(text: str) -> None:
    _check_outcome(text)


@SETTINGS
@given(junk)
def test_any_json_value_fails_cleanly(value: Any) -> None:
    _check_outcome(json.dumps(value))
