"""One data set, one shape (#15): the bundled 33 events and the same events in a file over 5 MB
read the same in every place a reader looks: the details, the sources panel, the export credits
and File > Export Data, field by field for the same event."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from timeline_app.core.bulk import SMALL_FILE_BYTES
from timeline_app.export.notes import build_notes
from timeline_app.resources import bundled_events
from timeline_app.ui.filter_dock import ID_ROLE
from timeline_app.ui.main_window import MainWindow


def _repeated(source: Path, target: Path) -> Path:
    """The bundled events, copy 0 with their own ids and every further copy with new ones (its
    links pointing into the same copy), until the file is over the old 5 MB split."""
    doc = json.loads(source.read_text(encoding="utf-8"))
    events = doc["events"]
    copies: list[dict[str, Any]] = list(events)
    size, k = len(json.dumps(events, ensure_ascii=False).encode()), 0
    while size * (len(copies) / len(events)) < SMALL_FILE_BYTES * 1.1:
        k += 1
        for ev in events:
            twin = copy.deepcopy(ev)
            twin["id"] = f"{ev['id']}-copy{k}"
            for link in twin.get("links", []):
                link["to"] = f"{link['to']}-copy{k}"
            copies.append(twin)
    target.write_text(json.dumps({**doc, "events": copies}, ensure_ascii=False), encoding="utf-8")
    assert target.stat().st_size > SMALL_FILE_BYTES
    return target


def _reading(window: MainWindow, event_id: str, tmp: Path) -> dict[str, Any]:
    """What a reader gets of ``event_id`` in the window as it is now."""
    store = window.store
    assert store is not None and window.citations is not None
    i = store.index_of(event_id)
    assert i is not None
    window.select(i)
    dock = window.details_dock
    body = dock.texts()
    buttons = [b.text() for b in dock.findChildren(QPushButton)]
    attributions = [w.toolTip() for w in dock.findChildren(QLabel, "excerpt_attribution")]
    panel = window.filter_dock.source_list
    items = [panel.item(k) for k in range(panel.count())]
    listed = {it.data(ID_ROLE): it.text().rsplit(" (", 1)[0] for it in items}
    cited_by = sorted(s for s in window.citations.source_ids if window.citations.mask(s, len(store))[i])
    notes = build_notes(store, None, shown=[i])
    target = tmp / f"export-{len(store)}.json"
    assert window.export_data(target, "timeline")
    exported = {e["id"]: e for e in json.loads(target.read_text(encoding="utf-8"))["events"]}
    return {
        "details": body,
        "buttons": buttons,
        "link buttons": len(dock.link_buttons),
        "related": [b.full_text() for b in dock.related_buttons],
        "attribution tips": attributions,
        "sources panel": listed,
        "cited by": cited_by,
        "credits": [n.text for n in notes.notes],
        "credit numbers": notes.marks(i),
        "disagreements": [d.text for d in notes.disagreements],
        "export data": exported[event_id],
        "record": store.event(i),
    }


@pytest.mark.slow
def test_the_same_event_reads_the_same_at_33_events_and_over_5_mb(
    qtbot: Any, window: MainWindow, load: Any, tmp_path: Path
) -> None:
    try:
        small_file = bundled_events()
    except FileNotFoundError:
        pytest.skip("events.json not present")
    big_file = _repeated(small_file, tmp_path / "repeated.json")
    original = {e["id"]: e for e in json.loads(small_file.read_text(encoding="utf-8"))["events"]}
    # The event with the most to show (sources, disagreements, links), and one with none of those.
    rich = max(original, key=lambda k: len(json.dumps(original[k])))
    plain = min(original, key=lambda k: len(json.dumps(original[k])))
    load(window, small_file)
    small = {k: _reading(window, k, tmp_path) for k in (rich, plain)}
    with qtbot.waitSignal(window.load_finished, timeout=120_000) as blocker:
        window.open_file(big_file)
    assert blocker.args == [True]
    assert window.store is not None and len(window.store) > 30 * len(original)
    big = {k: _reading(window, k, tmp_path) for k in (rich, plain)}
    for k in (rich, plain):
        for field in small[k]:
            assert small[k][field] == big[k][field], f"{k}: {field}"
    # What is compared is the whole of it, not an empty shell.
    r = small[rich]
    assert r["link buttons"] and r["related"] and r["disagreements"] and r["credits"]
    assert any("Sources disagree" in t for t in r["details"]) and r["record"].summary in r["details"]
    assert r["export data"] == original[rich]
    assert all(not s.startswith("source-") for s in r["sources panel"])  # the data's own ids
    assert set(r["cited by"]) == {x["source"] for x in original[rich]["excerpts"]} | {
        s for d in original[rich].get("discrepancies", []) for s in d.get("sources", [])
    }
    assert np.all(window.store.has_discrepancy[[window.store.index_of(rich)]])
