"""TimelineJS documents as slides: every shape TimelineJS has used, reshaped to TimelineJS3's.

The TimelineJS3 shape (``events[]``, ``eras[]``, a ``title`` slide), a bare list of slides, the
early-TimelineJS3 wrapper ``{"timeline": {"slides": [...]}}`` whose ``"type": "overview"`` slide
is the title, and the TimelineJS2 wrapper ``{"timeline": {"headline", "text", "date": [...],
"era": [...]}}``. The spreadsheet layout makes slides too (see csv_format), so every source of
slides maps to our model one way (timelinejs.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.jsonpos import JsonPath
from .detect import TIMELINEJS, classify_json

_TIME_PARTS = ("hour", "minute", "second", "millisecond")

# A problem that stops the import: (slide origin, field such as "start_date.year", message).
Problem = tuple[Any, str, str]


@dataclass(frozen=True)
class Slide:
    """A TimelineJS3-shaped slide and its origin: a JSON path, or a spreadsheet row (see csv_format)."""

    data: Any
    origin: Any
    label: str  # "events[3]", "row 7": names the slide in warnings


@dataclass
class Slides:
    """Everything a TimelineJS source holds, already in the TimelineJS3 shape."""

    title: Slide | None = None
    events: list[Slide] = field(default_factory=list)
    eras: list[Slide] = field(default_factory=list)
    # Problems found while reshaping (e.g. "events" is not a list).
    problems: list[Problem] = field(default_factory=list)


def looks_like_timelinejs(data: Any) -> bool:
    """True for a TimelineJS document (never for ours, which has ``schema_version``)."""
    return classify_json(data) == TIMELINEJS


def slides_from_json(data: Any) -> Slides:
    """The slides of a parsed TimelineJS JSON document; origins are JSON paths."""
    out = Slides()
    if isinstance(data, list):  # a bare list of slides, as some tools save them
        out.events = [Slide(e, (i,), f"[{i}]") for i, e in enumerate(data)]
        return out
    if not isinstance(data, dict):
        out.problems.append(((), "", "a TimelineJS file is a JSON object with an 'events' list"))
        return out
    wrapper = data.get("timeline")
    if isinstance(wrapper, dict) and isinstance(wrapper.get("events"), list):
        return _nested(slides_from_json(wrapper), "timeline")
    if isinstance(wrapper, dict) and isinstance(wrapper.get("date"), list):
        return _slides_from_v2(wrapper)
    if isinstance(wrapper, dict) and isinstance(wrapper.get("slides"), list):
        for i, slide in enumerate(wrapper["slides"]):
            path: JsonPath = ("timeline", "slides", i)
            s = Slide(slide, path, f"timeline.slides[{i}]")
            if isinstance(slide, dict) and slide.get("type") in ("overview", "title") and out.title is None:
                out.title = s
            else:
                out.events.append(s)
        return out
    events = data.get("events")
    if not isinstance(events, list):
        out.problems.append((("events",) if "events" in data else (), "", "expected an 'events' list"))
        events = []
    out.events = [Slide(e, ("events", i), f"events[{i}]") for i, e in enumerate(events)]
    if isinstance(data.get("title"), dict):
        out.title = Slide(data["title"], ("title",), "title")
    eras = data.get("eras")
    if isinstance(eras, list):
        out.eras = [Slide(e, ("eras", i), f"eras[{i}]") for i, e in enumerate(eras)]
    elif eras is not None:
        out.problems.append((("eras",), "", "expected a list of eras"))
    return out


def _nested(inner: Slides, key: str) -> Slides:
    """Slides found inside ``{key: {...}}``: their paths and labels gain the key."""

    def move(s: Slide) -> Slide:
        return Slide(s.data, (key, *s.origin), f"{key}.{s.label}")

    return Slides(
        title=move(inner.title) if inner.title else None,
        events=[move(s) for s in inner.events],
        eras=[move(s) for s in inner.eras],
        problems=[((key, *o), f, m) for o, f, m in inner.problems],
    )


# TimelineJS2 keeps dates as "YYYY,MM,DD[,hh,mm,ss]" strings and the media under "asset".
_V2_FIELDS = {"start_date": "startDate", "end_date": "endDate", "text.headline": "headline", "text.text": "text",
              "group": "tag", "media": "asset", "unique_id": "uniqueid"}  # fmt: skip


_V2_KEYS = frozenset({"startDate", "endDate", "headline", "text", "tag", "asset", "uniqueid", "unique_id", "type"})


def _v2_date(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    parts = [p.strip() for p in value.split(",")]
    keys = ("year", "month", "day", *_TIME_PARTS)
    return {k: p for k, p in zip(keys, parts, strict=False)}  # TimelineJS2 may give fewer parts


def _v2_slide(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    asset = item.get("asset") if isinstance(item.get("asset"), dict) else {}
    return {
        "start_date": _v2_date(item.get("startDate")),
        "end_date": _v2_date(item.get("endDate")),
        "text": {"headline": item.get("headline"), "text": item.get("text")},
        "media": {"url": asset.get("media"), "credit": asset.get("credit"), "caption": asset.get("caption")},
        "group": item.get("tag"),
        "unique_id": item.get("uniqueid") or item.get("unique_id"),
        "_extra": [k for k in item if k not in _V2_KEYS],
    }


def _slides_from_v2(wrapper: dict[str, Any]) -> Slides:
    out = Slides()
    base: JsonPath = ("timeline",)
    out.title = Slide(
        {
            "text": {"headline": wrapper.get("headline"), "text": wrapper.get("text")},
            "media": _v2_slide({"asset": wrapper.get("asset")})["media"],
        },
        base,
        "timeline",
    )
    for i, item in enumerate(wrapper["date"]):
        out.events.append(Slide(_v2_slide(item), (*base, "date", i, "<v2>"), f"timeline.date[{i}]"))
    eras = wrapper.get("era")
    if isinstance(eras, list):
        for i, item in enumerate(eras):
            out.eras.append(Slide(_v2_slide(item), (*base, "era", i, "<v2>"), f"timeline.era[{i}]"))
    return out


def json_field_path(origin: JsonPath, fld: str) -> JsonPath:
    """The JSON path of a slide's field, e.g. ``("events", 3, "start_date", "year")``."""
    if origin and origin[-1] == "<v2>":
        base = origin[:-1]
        top = next((v for k, v in _V2_FIELDS.items() if fld == k or fld.startswith(k + ".")), None)
        return (*base, top) if top else base
    return (*origin, *[p for p in fld.split(".") if p]) if fld else origin
