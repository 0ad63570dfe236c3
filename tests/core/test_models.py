"""The data model: what a valid file means, and what it refuses even when built from Python."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from timeline_app.core.models import Actor, Event, Source, Timeline

DATA = Path(__file__).resolve().parent.parent / "data"


def base() -> dict[str, Any]:
    return json.loads((DATA / "ok_base.json").read_text(encoding="utf-8"))


def test_base_document_maps_to_models() -> None:
    t = Timeline.model_validate(base())
    assert t.schema_version == 1
    assert [a.id for a in t.actors] == ["us", "pk"]
    assert t.actor_by_id["us"].color == "#0072b2"
    assert t.source_by_id["s1"].url == "https://example.org/report"
    raid = t.event_by_id["e1"]
    assert raid.excerpts[0].quote == "The raid took place."
    assert raid.discrepancies[0].sources == ["s1"]
    assert raid.links[0].to == "e2"
    assert not raid.is_span and t.event_by_id["e2"].is_span


def test_event_interval_and_text_follow_precision() -> None:
    e = Event(id="x", title="t", start="2002", end="2017", actors=["a"], summary="")
    assert e.date_text() == "2002 – 2017"
    s, end = e.interval()
    assert end - s == 16 * 365 + 4  # 2002-01-01 up to 2018-01-01, with leap years 2004..2016
    one = Event(id="y", title="t", start="2018-08", actors=["a"], summary="")
    assert one.interval()[1] - one.interval()[0] == 31


def test_span_covers_events_and_eras() -> None:
    t = Timeline.model_validate(base())
    span = t.span()
    assert span is not None
    assert span[0] == t.eras[0].interval()[0]  # the era (Oct 2001) starts before every event
    assert Timeline(schema_version=1, title="empty").span() is None


@pytest.mark.parametrize("version", [True, 1.0, "1", 2, None])
def test_schema_version_must_be_the_integer_1(version: Any) -> None:
    doc = base()
    doc["schema_version"] = version
    with pytest.raises(ValidationError):
        Timeline.model_validate(doc)


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Actor, {"id": "a b", "name": "A"}),
        (Actor, {"id": "a", "name": ""}),
        (Actor, {"id": "a", "name": "A", "color": "red"}),
        (Actor, {"id": "a", "name": "A", "extra": 1}),
        (Actor, {"id": "a" * 201, "name": "A"}),
        (Source, {"id": "s", "title": "T", "url": "javascript:alert(1)"}),
        (Source, {"id": "s", "title": "T", "url": "file:///etc/passwd"}),
        (Source, {"id": "s", "title": "T", "published": "2011-02-29"}),
        (Event, {"id": "e", "title": "t", "start": "2011", "actors": [], "summary": ""}),
        (Event, {"id": "e", "title": "t", "start": "2011/05", "actors": ["a"], "summary": ""}),
        (Event, {"id": "e", "title": "t", "start": "2011", "actors": ["a"]}),
    ],
)
def test_models_refuse_bad_fields(model: type[Any], fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        model.model_validate(fields)


def test_models_are_immutable() -> None:
    a = Actor(id="a", name="A")
    with pytest.raises(ValidationError):
        a.name = "B"  # type: ignore[misc]


def test_http_and_https_urls_are_accepted_in_any_case() -> None:
    assert Source(id="s", title="T", url="HTTPS://example.org/x").url == "HTTPS://example.org/x"
    assert Source(id="s", title="T", url="http://example.org").url == "http://example.org"
