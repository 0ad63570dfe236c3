"""vis-timeline items and groups: dates as text or milliseconds, groups as actors, background items
as eras, an unreadable item skipped with its JSON path."""

from __future__ import annotations

import json
from pathlib import Path

from timeline_app.interop.open import read_any
from timeline_app.interop.vis_timeline import loads_vis

DATA = {
    "groups": [{"id": 1, "content": "Team <b>A</b>"}, {"id": "b", "content": "Team B"}],
    "items": [
        {"id": 1, "content": "Kick-off", "start": "2014-04-20", "group": 1, "title": "The first<br>meeting"},
        {
            "id": 2,
            "content": "Build",
            "start": "2014-04-14T10:00:00",
            "end": "2014-04-19",
            "group": "b",
            "type": "range",
            "className": "red",
        },
        {"id": 3, "content": "Launch", "start": 1398556800000},
        {"id": 4, "content": "Bad", "start": "next week"},
        {"id": 5, "content": "Spring", "start": "2014-03-20", "end": "2014-06-21", "type": "background"},
    ],
}


def test_items_and_groups_import(tmp_path: Path) -> None:
    timeline, warnings = loads_vis(json.dumps(DATA, indent=1), "plan.json")
    kick, build, launch = sorted(timeline.events, key=lambda e: e.id)
    assert (kick.id, kick.title, kick.start, kick.summary) == ("1", "Kick-off", "2014-04-20", "The first\nmeeting")
    assert timeline.actor_by_id[kick.actors[0]].name == "Team A"
    assert (build.start, build.end, build.tags) == ("2014-04-14", "2014-04-19", ["range"])
    assert launch.start == "2014-04-27"  # 1398556800000 ms after 1970
    [era] = timeline.eras
    assert (era.title, era.start, era.end) == ("Spring", "2014-03-20", "2014-06-21")
    assert any("$.items[3].start" in w and "'next week' is not a date" in w for w in warnings)
    assert "className dropped (display only)" in warnings
    path = tmp_path / "items.json"
    path.write_text(json.dumps(DATA["items"]))
    assert read_any(path)[2] == "vis"


def test_a_repeated_key_is_warned() -> None:
    text = '[{"id": "a", "content": "First", "content": "Second", "start": "2014-04-20"}]'
    timeline, warnings = loads_vis(text, "dup.json")
    assert timeline.events[0].title == "Second"
    assert any("'content' appears twice" in w and w.startswith("line 1, column ") for w in warnings)
