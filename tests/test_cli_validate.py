"""``timeline-app validate`` and ``schema`` as a user runs them: a real process, exit codes, output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from timeline_app.cli import schema_text

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SCHEMA_FILE = ROOT / "resources" / "timeline.schema.json"
EVENTS = ROOT / "events.json"
LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<path>\$\S*): (?P<msg>.+)$")


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "timeline_app", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


def test_valid_file_exits_0_with_a_summary() -> None:
    r = run("validate", DATA / "ok_base.json")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert re.fullmatch(r".*ok_base\.json: OK: 2 events, 2 actors, 1 sources, 1 eras, .+\n", r.stdout)


def test_quiet_prints_nothing_for_a_valid_file() -> None:
    r = run("validate", "-q", DATA / "ok_bce.json")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")


def test_invalid_file_exits_1_with_located_lines_on_stderr() -> None:
    r = run("validate", DATA / "bad_date_feb_30.json")
    assert r.returncode == 1
    assert r.stdout == ""
    (line,) = r.stderr.splitlines()
    m = LOCATED.match(line)
    assert m is not None, line
    assert m["file"].endswith("bad_date_feb_30.json")
    assert (m["line"], m["col"], m["path"]) == ("36", "16", "$.events[0].start")
    assert "February 2018 has 28 days, not 30" in m["msg"]


def test_several_files_are_all_reported() -> None:
    names = ["bad_nan.json", "ok_base.json", "bad_missing_title.json", "bad_link_dangling_target.json", "ok_rtl.json"]
    r = run("validate", *(DATA / n for n in names))
    assert r.returncode == 1
    reported = {Path(LOCATED.match(line)["file"]).name for line in r.stderr.splitlines()}  # type: ignore[index]
    assert reported == {"bad_nan.json", "bad_missing_title.json", "bad_link_dangling_target.json"}
    assert "ok_base.json: OK" in r.stdout and "ok_rtl.json: OK" in r.stdout


def test_every_problem_in_one_file_is_reported_at_once(tmp_path: Path) -> None:
    doc = json.loads((DATA / "ok_base.json").read_text(encoding="utf-8"))
    doc["events"][0]["start"] = "2018-13"
    doc["events"][1]["actors"] = ["nobody"]
    doc["sources"][0]["url"] = "ftp://example.org"
    del doc["eras"][0]["title"]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    r = run("validate", path)
    assert r.returncode == 1
    paths = [LOCATED.match(line)["path"] for line in r.stderr.splitlines()]  # type: ignore[index]
    assert paths == ["$.sources[0].url", "$.eras[0].title", "$.events[0].start", "$.events[1].actors[0]"]


def test_unknown_option_is_a_usage_error() -> None:
    r = run("validate", "--frobnicate", DATA / "ok_base.json")
    assert r.returncode == 2
    assert "usage:" in r.stderr and "Traceback" not in r.stderr


def _all_inputs(tmp_path: Path) -> list[Path]:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    return [*sorted(DATA.glob("*.json")), tmp_path, tmp_path / "missing.json", deep]


def test_no_traceback_for_any_input(tmp_path: Path) -> None:
    inputs = _all_inputs(tmp_path)
    r = run("validate", *inputs)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr + r.stdout
    for line in r.stderr.splitlines():
        if "more problem" not in line:
            assert LOCATED.match(line), line
    reported = {LOCATED.match(line)["file"] for line in r.stderr.splitlines()}  # type: ignore[index]
    bad = {str(p) for p in inputs if not p.name.startswith("ok_")}
    assert reported == bad
    assert r.stdout.count(": OK: ") == len(list(DATA.glob("ok_*.json")))


@pytest.mark.parametrize("name", ["bad_binary.json", "bad_utf16_bom.json", "bad_lone_surrogate.json", "ok_rtl.json"])
def test_no_traceback_one_file_at_a_time(name: str) -> None:
    r = run("validate", DATA / name)
    assert r.returncode == (0 if name.startswith("ok_") else 1)
    assert "Traceback" not in r.stderr + r.stdout


def test_schema_prints_a_json_schema() -> None:
    r = run("schema")
    assert r.returncode == 0, r.stderr
    schema = json.loads(r.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["type"] == "object"
    assert set(schema["required"]) == {"schema_version", "title"}
    assert {"Actor", "Source", "Era", "Event", "Excerpt", "Discrepancy", "Link"} <= set(schema["$defs"])


def test_committed_schema_matches_the_model() -> None:
    # Regenerate with: PYTHONPATH=src python -m timeline_app schema -o resources/timeline.schema.json
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text()


def test_schema_output_file(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    r = run("schema", "-o", out)
    assert r.returncode == 0
    assert out.read_text(encoding="utf-8") == schema_text()


# A small JSON Schema checker: enough of the 2020-12 keywords our schema uses, so the committed
# schema is checked against real files without a jsonschema dependency.
def _check(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str, out: list[str]) -> None:
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        trials = []
        for option in schema["anyOf"]:
            errs: list[str] = []
            _check(value, option, root, path, errs)
            trials.append(errs)
        if all(trials):
            out.append(f"{path}: matches no option: {trials}")
        return
    kinds = {"object": dict, "array": list, "string": str, "null": type(None)}
    kind = schema.get("type")
    if kind == "integer":
        if type(value) is not int:
            out.append(f"{path}: not an integer")
            return
    elif kind is not None and not isinstance(value, kinds[kind]):
        out.append(f"{path}: not {kind}")
        return
    if "const" in schema and value != schema["const"]:
        out.append(f"{path}: not {schema['const']}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append(f"{path}: does not match {schema['pattern']}")
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", len(value)):
            out.append(f"{path}: bad length")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            out.append(f"{path}: too few items")
        for i, item in enumerate(value):
            _check(item, schema.get("items", {}), root, f"{path}[{i}]", out)
    if isinstance(value, dict):
        props = schema.get("properties", {})
        out.extend(f"{path}.{k}: missing" for k in schema.get("required", []) if k not in value)
        for k, v in value.items():
            if k in props:
                _check(v, props[k], root, f"{path}.{k}", out)
            elif schema.get("additionalProperties") is False:
                out.append(f"{path}.{k}: not allowed")


def schema_errors(doc: Any) -> list[str]:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    out: list[str] = []
    _check(doc, schema, schema, "$", out)
    return out


@pytest.mark.skipif(not EVENTS.is_file(), reason="the bundled events.json is not there yet")
def test_bundled_events_validate_against_the_schema() -> None:
    doc = json.loads(EVENTS.read_text(encoding="utf-8"))
    assert schema_errors(doc) == []
    assert doc["events"] and all({"id", "title", "start", "actors", "summary"} <= set(e) for e in doc["events"])


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("ok_*.json")))
def test_valid_corpus_files_satisfy_the_schema(name: str) -> None:
    text = (DATA / name).read_bytes().decode("utf-8-sig")
    assert schema_errors(json.loads(text)) == []


SHAPE_ERRORS = [
    "bad_missing_title.json",
    "bad_date_slashes.json",
    "bad_actor_color.json",
    "bad_source_url_file.json",
    "bad_unknown_key_typo.json",
    "bad_schema_version_true.json",
    "bad_event_no_actors.json",
]


@pytest.mark.parametrize("name", SHAPE_ERRORS)
def test_schema_rejects_what_the_loader_rejects_by_shape(name: str) -> None:
    assert schema_errors(json.loads((DATA / name).read_text(encoding="utf-8"))) != []
