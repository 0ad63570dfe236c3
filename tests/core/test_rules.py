"""Each rule once: the JSON Schema, the document models and the fast decoder accept and refuse the
same values, on one table of cases (core/rules.py holds the rules they share)."""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from timeline_app.cli import schema_text
from timeline_app.core import bulk, rules
from timeline_app.core.bulk import load_store
from timeline_app.core.errors import TimelineLoadError
from timeline_app.core.loading import loads_timeline

# -- the table ----------------------------------------------------------------------------------
# rule -> (value, valid). The two drifts of issue #15 are here: "us\n" as an id (Python's ``$``
# matched before a final newline) and Arabic-Indic digits as a date (``\d`` matched them).
CASES: dict[str, list[tuple[Any, bool]]] = {
    "id": [
        ("us", True), ("a", True), ("A1_b.c:d-e", True), ("0", True), ("x" * 200, True),
        ("us\n", False), ("us\r\n", False), ("\nus", False), ("", False), ("-us", False), ("_us", False),
        ("u s", False), (" us", False), ("us ", False), ("us/uk", False), ("x" * 201, False), ("ü", False),
        ("٢", False), ("us\x00", False), ("us\u2028", False),
    ],
    "text": [
        ("a", True), (" a ", True), ("ü", True), ("\ufeff", True), ("a\n", True), ("٢", True),
        ("", False), (" ", False), ("\t\n\r", False), ("\x1c\x1f", False), ("\xa0", False), ("\u3000", False),
        ("\u2028\u2029", False), ("\x85", False),
    ],
    "color": [
        ("#0072b2", True), ("#ABCDEF", True),
        ("#0072b2\n", False), ("red", False), ("#fff", False), ("#0072b2 ", False), ("0072b2", False),
        ("#0072b", False), ("#gggggg", False), ("#٠٠٠٠٠٠", False),
    ],
    "url": [
        ("http://x", True), ("https://example.org/a?b=c#d", True), ("HTTPS://EXAMPLE.ORG", True),
        ("http://x\n", False), ("ftp://example.org", False), ("javascript:alert(1)", False),
        ("file:///etc/passwd", False), ("http://", False), ("http:// x", False), ("https://a b", False),
        (" http://x", False), ("https:relative", False), ("http://x\u3000", False),
    ],
    "date": [
        ("2001", True), ("2001-05", True), ("2001-05-02", True), ("2001~", True), ("2001-05?", True),
        ("2000-02-29%", True), ("-0044-03-15", True), ("0000", True), ("-0000", True), ("Y-13800000000", True),
        ("Y170000002", True), ("Y10000", True),
        ("٢٠٠١", False), ("٢٠٠١-٠٥-٠٢", False), ("२००१", False), ("2001\n", False), (" 2001", False),
        ("2001-5", False), ("01", False), ("20010", False), ("Y1234", False), ("Y-0100000", False),
        ("Y1000000000000", False), ("2001-05-02T10:00", False), ("2001/05/02", False), ("2001~?", False),
        ("Y10000~", False), ("Y10000-01", False), ("", False),
        ("2001-13", False), ("2001-00", False), ("2001-02-30", False), ("1900-02-29", False), ("2001-04-31", False),
    ],
    # (start, end)
    "order": [
        (("2001", "2001"), True), (("2001-05", "2001"), True), (("2001", "2001-01-01"), True),
        (("Y-13800000000", "-0044"), True), (("2001-05-02", "2001-05-02"), True),
        (("2002", "2001"), False), (("2001-05-02", "2001-05-01"), False), (("-0044", "Y-13800000000"), False),
        (("2001-06", "2001-05-31"), False),
    ],
    # what to break: a reference that does not resolve, or an id written twice
    "reference": [
        ("none", True),
        ("event actor", False), ("excerpt source", False), ("discrepancy source", False), ("link target", False),
        ("duplicate event id", False), ("duplicate actor id", False),
    ],
}  # fmt: skip

# Values a JSON Schema cannot judge (it sees one string at a time, and no calendar): it accepts
# them, the models and the decoder refuse them. Every other case must get the same answer.
SCHEMA_BLIND = {
    ("date", "2001-13"), ("date", "2001-00"), ("date", "2001-02-30"), ("date", "1900-02-29"), ("date", "2001-04-31"),
    *(("order", v) for v, ok in CASES["order"] if not ok),
    *(("reference", v) for v, ok in CASES["reference"] if not ok),
}  # fmt: skip


def _base() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "title": "Rules",
        "actors": [{"id": "a", "name": "A", "color": "#0072b2"}],
        "sources": [{"id": "s", "title": "S", "url": "https://example.org", "published": "2001"}],
        "eras": [{"id": "era", "title": "Era", "start": "2000", "end": "2001", "color": "#e69f00"}],
        "events": [
            {
                "id": "e1",
                "title": "One",
                "start": "2001",
                "actors": ["a"],
                "summary": "first",
                "excerpts": [{"source": "s", "quote": "q"}],
                "discrepancies": [{"claim": "c", "correction": "d", "sources": ["s"]}],
                "links": [{"to": "e2", "relation": "r"}],
            },
            {"id": "e2", "title": "Two", "start": "2002", "actors": ["a"], "summary": "second"},
        ],
    }


Slot = Callable[[dict[str, Any], Any], None]


def _set_actor_id(d: dict[str, Any], v: str) -> None:
    d["actors"][0]["id"] = v
    for ev in d["events"]:
        ev["actors"] = [v]


def _set_source_id(d: dict[str, Any], v: str) -> None:
    d["sources"][0]["id"] = v
    d["events"][0]["excerpts"][0]["source"] = v
    d["events"][0]["discrepancies"][0]["sources"] = [v]


def _set_event_id(d: dict[str, Any], v: str) -> None:
    d["events"][1]["id"] = v
    d["events"][0]["links"][0]["to"] = v


def _field(*path: str | int) -> Slot:
    def put(d: dict[str, Any], v: Any) -> None:
        obj: Any = d
        for key in path[:-1]:
            obj = obj[key]
        obj[path[-1]] = v

    return put


def _event_end(d: dict[str, Any], v: str) -> None:
    d["events"][0]["start"] = "Y-999999999999"  # before any date, so only the end's own rule counts
    d["events"][0]["end"] = v


def _era_start(d: dict[str, Any], v: str) -> None:
    d["eras"][0]["start"] = v
    d["eras"][0]["end"] = "Y99999999999"


def _order(where: str) -> Slot:
    def put(d: dict[str, Any], v: tuple[str, str]) -> None:
        obj = d["events"][0] if where == "event" else d["eras"][0]
        obj["start"], obj["end"] = v

    return put


def _break(d: dict[str, Any], what: str) -> None:
    ev = d["events"][0]
    if what == "event actor":
        ev["actors"] = ["nobody"]
    elif what == "excerpt source":
        ev["excerpts"][0]["source"] = "nowhere"
    elif what == "discrepancy source":
        ev["discrepancies"][0]["sources"] = ["nowhere"]
    elif what == "link target":
        ev["links"][0]["to"] = "nowhere"
    elif what == "duplicate event id":
        d["events"][1]["id"] = "e1"
        ev["links"] = []
    elif what == "duplicate actor id":
        d["actors"].append({"id": "a", "name": "Again"})


# rule -> where its values are written (each slot reaches another part of each reader: the fast
# decoder checks event ids in bulk, link targets in msgspec, actor and source ids with pydantic)
SLOTS: dict[str, dict[str, Slot]] = {
    "id": {"actor": _set_actor_id, "source": _set_source_id, "event": _set_event_id, "era": _field("eras", 0, "id")},
    "text": {
        "title": _field("title"),
        "actor name": _field("actors", 0, "name"),
        "source title": _field("sources", 0, "title"),
        "era title": _field("eras", 0, "title"),
        "event title": _field("events", 0, "title"),
        "quote": _field("events", 0, "excerpts", 0, "quote"),
        "claim": _field("events", 0, "discrepancies", 0, "claim"),
        "relation": _field("events", 0, "links", 0, "relation"),
    },
    "color": {"actor": _field("actors", 0, "color"), "era": _field("eras", 0, "color")},
    "url": {"source": _field("sources", 0, "url")},
    "date": {
        "event start": _field("events", 0, "start"),
        "event end": _event_end,
        "era start": _era_start,
        "published": _field("sources", 0, "published"),
    },
    "order": {"event": _order("event"), "era": _order("era")},
    "reference": {"document": _break},
}

PARAMS = [
    pytest.param(rule, slot, value, ok, id=f"{rule}-{slot}-{json.dumps(value, ensure_ascii=True)}-{ok}")
    for rule, cases in CASES.items()
    for slot in SLOTS[rule]
    for value, ok in cases
]


@pytest.fixture(scope="module")
def schema_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(schema_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_the_table_is_as_valid_as_its_base() -> None:
    # Without this, a base document that is itself refused would make every "invalid" case pass.
    text = json.dumps(_base())
    assert len(loads_timeline(text).events) == 2


@pytest.mark.parametrize(("rule", "slot", "value", "ok"), PARAMS)
def test_schema_models_and_fast_decoder_give_the_same_answer(
    rule: str,
    slot: str,
    value: Any,
    ok: bool,
    tmp_path: Path,
    schema_validator: jsonschema.protocols.Validator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doc = copy.deepcopy(_base())
    SLOTS[rule][slot](doc, value)
    text = json.dumps(doc, ensure_ascii=False, indent=1)

    schema_ok = schema_validator.is_valid(doc)
    assert schema_ok == (ok or (rule, value) in SCHEMA_BLIND), "JSON Schema"

    try:
        loads_timeline(text)
        models_ok = True
    except TimelineLoadError:
        models_ok = False
    assert models_ok == ok, "models"

    # The big-file path, forced for a small file. A document the fast decoder refuses goes on to the
    # models; count those hand-overs, so that a valid value must be vouched for by the decoder itself.
    handed_over: list[str] = []
    to_models = bulk._model_path

    def model_path(name: str, stage: Callable[[float], None]) -> Any:
        handed_over.append(name)
        return to_models(name, stage)

    monkeypatch.setattr(bulk, "_model_path", model_path)
    path = tmp_path / "case.json"
    path.write_text(text, encoding="utf-8")
    try:
        store = load_store(path, small_limit=0)
        fast_ok = True
    except TimelineLoadError:
        fast_ok = False
    assert fast_ok == ok, "fast decoder"
    if ok:
        assert not handed_over, "the fast decoder refused a valid value (the models accepted it)"
        assert len(store) == 2


def test_blanks_are_exactly_what_str_strip_removes() -> None:
    """The text rule's class of blanks, spelt out for three regex dialects, is Python's whitespace:
    the fast decoder's ``str.strip`` pass and the patterns agree on every code point."""
    spaces = {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()}
    import re

    blank = re.compile(f"[{rules.BLANKS}]")
    assert {c for c in map(chr, range(sys.maxunicode + 1)) if blank.fullmatch(c)} == spaces
    assert all(not rules.is_text(c) for c in spaces)


def test_the_batch_checks_answer_as_the_single_ones() -> None:
    ids = [v for v, _ in CASES["id"]]
    for v in ids:
        assert rules.all_ids([v]) == rules.is_id(v), repr(v)
        assert rules.all_ids(["ok", v, "fine"]) == rules.is_id(v), repr(v)
    texts = [v for v, _ in CASES["text"]]
    for v in texts:
        assert rules.all_text([v]) == rules.is_text(v), repr(v)
