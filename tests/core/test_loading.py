"""The loader's contract: one exception type, every problem at once, located, readable messages."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from timeline_app.core.errors import Issue, TimelineLoadError
from timeline_app.core.loading import MAX_LOCATED, load_timeline, loads_timeline, read_text

DATA = Path(__file__).resolve().parent.parent / "data"


def base() -> dict[str, Any]:
    return json.loads((DATA / "ok_base.json").read_text(encoding="utf-8"))


def error(text: str) -> TimelineLoadError:
    with pytest.raises(TimelineLoadError) as info:
        loads_timeline(text, "t.json")
    return info.value


def test_all_problems_are_reported_in_file_order() -> None:
    doc = base()
    doc["events"][1]["start"] = "2011-02-30"
    doc["actors"][0]["color"] = "red"
    doc["events"][0]["links"][0]["to"] = "nowhere"
    err = error(json.dumps(doc, indent=2))
    assert [i.path for i in err.issues] == ["$.actors[0].color", "$.events[0].links[0].to", "$.events[1].start"]
    assert [i.line for i in err.issues] == sorted(i.line or 0 for i in err.issues)
    assert "(and 2 more problems)" in str(err)


def test_lines_are_formatted_for_editors() -> None:
    err = TimelineLoadError("f.json", [Issue("$.title", "must not be empty", 3, 12)])
    assert err.lines() == ["f.json:3:12: $.title: must not be empty"]
    assert str(err) == "f.json:3:12: $.title: must not be empty"


def test_report_is_capped_with_a_count() -> None:
    issues = [Issue(f"$.events[{i}]", "bad", i + 1, 1) for i in range(250)]
    lines = TimelineLoadError("f.json", issues).lines(limit=200)
    assert len(lines) == 201
    assert lines[-1] == "f.json: … and 50 more problems not shown"


def test_a_million_bad_events_are_counted_not_all_located() -> None:
    doc = base()
    doc["events"] = [{"id": f"e{i}", "title": "t", "start": "2011", "actors": ["us"]} for i in range(MAX_LOCATED + 500)]
    err = error(json.dumps(doc))
    assert err.total == MAX_LOCATED + 500
    assert len(err.issues) == MAX_LOCATED
    assert all("missing required field 'summary'" in i.message for i in err.issues)


def test_duplicate_key_nested_deep_is_found_with_both_places() -> None:
    text = json.dumps(base(), indent=2).replace('"locator": "p. 1"', '"locator": "p. 1",\n          "quote": "Other"')
    err = error(text)
    (issue,) = err.issues
    assert issue.path == "$.events[0].excerpts[0].quote"
    lines = text.split("\n")
    assert lines[issue.line - 1][issue.col - 1 :].startswith('"quote": "Other"')
    assert "first at line" in issue.message


def test_same_key_in_different_objects_is_fine() -> None:
    assert len(loads_timeline(json.dumps(base())).events) == 2  # "id" and "title" repeat across objects


def test_dangling_reference_suggests_the_near_id() -> None:
    doc = base()
    doc["events"][0]["excerpts"][0]["source"] = "s_1"
    (issue,) = error(json.dumps(doc)).issues
    assert issue.message == "unknown source 's_1' (did you mean 's1'?)"


def test_entry_without_id_does_not_cascade_into_unknown_references() -> None:
    doc = base()
    del doc["actors"][0]["id"]
    (issue,) = error(json.dumps(doc)).issues
    assert issue.path == "$.actors[0].id"


def test_newer_schema_version_is_reported_alone() -> None:
    doc = base()
    doc["schema_version"] = 2
    doc["events"][0]["new_field"] = 1
    (issue,) = error(json.dumps(doc)).issues
    assert "unsupported schema_version 2" in issue.message


def test_infinity_is_located() -> None:
    text = '{"schema_version": 1, "title": "Infinity", "description": Infinity}'
    (issue,) = error(text).issues
    assert text[issue.col - 1 :].startswith("Infinity}")


def test_overlong_integer_is_located() -> None:
    text = '{"schema_version": 1, "title": "t", "description": ' + "9" * 5000 + "}"
    (issue,) = error(text).issues
    assert issue.col == text.index("999") + 1
    assert "thousands of digits" in issue.message


def test_read_text_accepts_bom_and_refuses_utf32(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_bytes(b"\xef\xbb\xbf{}")
    assert read_text(p) == "{}"
    p.write_bytes("{}".encode("utf-32"))
    with pytest.raises(TimelineLoadError, match="UTF-32"):
        read_text(p)


def test_unreadable_file_is_a_clean_error(tmp_path: Path) -> None:
    p = tmp_path / "locked.json"
    p.write_text("{}", encoding="utf-8")
    p.chmod(0)
    try:
        if os.access(p, os.R_OK):
            pytest.skip("running as a user who can read anything (root)")
        with pytest.raises(TimelineLoadError, match="permission denied"):
            load_timeline(p)
    finally:
        p.chmod(0o644)


def test_error_path_quotes_odd_keys() -> None:
    doc = base()
    doc["events"][0]["odd key"] = 1
    doc["events"][0]["k" * 100] = 1
    paths = {i.path for i in error(json.dumps(doc)).issues}
    assert '$.events[0]["odd key"]' in paths
    assert f'$.events[0]["{"k" * 60}…"]' in paths
