"""vis-timeline data (a list of items, or ``{"items": [...], "groups": [...]}``) → our timeline.

An item's ``content`` (HTML) is the title, its ``title`` (the tooltip) the summary, ``start`` and
``end`` the dates (ISO text or milliseconds since 1970; the time of day is dropped), its group an
actor named by the group's ``content``. ``type: "background"`` items are eras. An item that
cannot be read is skipped with a warning naming its JSON path.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..core.dates import EdtfDate, days_in_month
from ..core.jsonpos import JsonPath
from ..core.loading import located_error, parse_json, read_text
from ..core.models import Actor, Era, Event, Timeline
from .htmltext import html_to_text, one_line
from .ids import IdAllocator
from .timelinejs import duplicate_key_warnings

__all__ = ["loads_vis", "read_vis"]

_ISO = re.compile(
    r"^\s*([+-]?[0-9]{4,6})(?:-([0-9]{2})(?:-([0-9]{2}))?)?"  # year, month, day
    r"(?:[T ]([0-9]{2}):([0-9]{2})(?::[0-9]{2}(?:\.[0-9]+)?)?)?\s*(Z|[+-][0-9]{2}:?[0-9]{2})?\s*$"  # time, zone
)
_DEFAULT_ACTOR = "items"
_STYLE_KEYS = ("className", "style", "editable", "selectable", "align", "subgroup", "limitSize")


def _when(value: Any) -> tuple[EdtfDate, bool]:
    """A vis date → our date (precision as given) and whether a time of day was dropped."""
    if isinstance(value, bool):
        raise ValueError("expected a date, got a boolean")
    if isinstance(value, int | float):
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=value)
        return EdtfDate(moment.year, moment.month, moment.day), bool(moment.hour or moment.minute or moment.second)
    if not isinstance(value, str):
        raise ValueError(f"expected a date, got {type(value).__name__}")
    m = _ISO.match(value)
    if m is None:
        raise ValueError(f"{value[:40]!r} is not a date (YYYY-MM-DD, ISO 8601 or milliseconds)")
    year = int(m[1])
    month, day = (int(m[2]) if m[2] else None), (int(m[3]) if m[3] else None)
    if abs(year) > 9999:
        raise ValueError(f"year {year} is outside -9999…9999")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{value!r}: month {month} does not exist")
    if day is not None and month is not None and not 1 <= day <= days_in_month(year, month):
        raise ValueError(f"{value!r}: no such day")
    timed = bool(m[4] and (int(m[4]) or int(m[5])))
    return EdtfDate(year, month, day), timed


def loads_vis(text: str, name: str = "<string>", data: Any = None) -> tuple[Timeline, list[str]]:
    """vis-timeline JSON → our timeline and warnings; TimelineLoadError when no item is readable."""
    if data is None:
        data = parse_json(text, name)
    base: JsonPath = ()
    groups_data: Any = []
    items = data
    if isinstance(data, dict):
        items, groups_data, base = data.get("items"), data.get("groups") or [], ("items",)
    notes: Counter[str] = Counter()
    problems: list[tuple[JsonPath, str, bool]] = []
    actor_ids, event_ids, era_ids = IdAllocator(), IdAllocator(), IdAllocator()
    actors: dict[str, Actor] = {}
    group_names: dict[str, str] = {}
    for g in groups_data if isinstance(groups_data, list) else []:
        if isinstance(g, dict) and g.get("id") is not None:
            group_names[str(g["id"])] = one_line(html_to_text(str(g.get("content") or g.get("id"))))
    title = Path(name).stem or "vis-timeline"

    def actor(group: Any) -> str:
        key = "" if group is None else str(group)
        if key not in actors:
            label = group_names.get(key) or key
            if key:
                actors[key] = Actor(id=actor_ids.claim(None, label, "group"), name=label)
            else:
                actors[key] = Actor(id=actor_ids.claim(_DEFAULT_ACTOR), name=title, description="Items with no group.")
        return actors[key].id

    events: list[Event] = []
    eras: list[Era] = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        path: JsonPath = (*base, i)
        if not isinstance(item, dict):
            problems.append((path, "expected an item object: the item was skipped", False))
            continue
        try:
            start, timed = _when(item.get("start"))
        except ValueError as exc:
            problems.append(((*path, "start"), f"{exc}: the item was skipped", False))
            continue
        end = None
        if item.get("end") not in (None, ""):
            try:
                end, timed_end = _when(item["end"])
                timed = timed or timed_end
            except ValueError as exc:
                problems.append(((*path, "end"), f"{exc}: the end was dropped", False))
        if timed:
            notes["time of day dropped: our dates stop at the day"] += 1
        if end is not None and end.interval()[1] <= start.interval()[0]:
            notes["an end before its start: the end was dropped"] += 1
            end = None
        heading = one_line(html_to_text(item.get("content"))) or "Untitled"
        for key in _STYLE_KEYS:
            if key in item:
                notes[f"{key} dropped (display only)"] += 1
        if item.get("type") == "background":
            if end is None:
                problems.append(((*path, "end"), "a background item (an era) needs an end: it was skipped", False))
                continue
            eras.append(Era(id=era_ids.claim(None, heading, "era"), title=heading, start=start.to_edtf(),
                            end=end.to_edtf()))  # fmt: skip
            continue
        raw_id = item.get("id")
        wanted = str(raw_id) if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else None
        ident = event_ids.claim(wanted, heading, "event")
        if wanted is not None and ident != wanted:
            notes["item id not usable as an id (e.g. a bare number) or repeated: made from the content"] += 1
        events.append(Event(id=ident, title=heading, start=start.to_edtf(),
                            end=end.to_edtf() if end is not None and end != start else None,
                            actors=[actor(item.get("group"))], summary=html_to_text(item.get("title")),
                            tags=[str(item["type"])] if item.get("type") in ("point", "range") else []))  # fmt: skip
    if not isinstance(items, list):
        problems.append((base, "expected a list of vis-timeline items", False))
    located = located_error(name, text, problems)
    if not events:
        raise located
    timeline = Timeline(schema_version=1, title=title, actors=list(actors.values()), eras=eras, events=events)
    warnings = duplicate_key_warnings(text)
    warnings += [f"line {i.line}, column {i.col}: {i.path}: {i.message}" for i in located.issues]
    warnings += [f"{what} ({n}×)" if n > 1 else what for what, n in notes.items()]
    return timeline, warnings


def read_vis(path: str | Path) -> tuple[Timeline, list[str]]:
    return loads_vis(read_text(path), str(path))
