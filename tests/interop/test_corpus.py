"""The interop corpus: real timeline files written by others (tests/data/interop-corpus/ and the shared
TimelineJS samples), each imported through the one way in, with its counts, dates (BCE included) and
credits checked, and the share of the corpus's events that import (issue 16 asks for ≥ 95 %)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from defusedxml import ElementTree

from timeline_app.core.models import Timeline
from timeline_app.interop.htmltext import html_to_text, one_line
from timeline_app.interop.open import read_any

from .conftest import REPO, TIMELINEJS_SAMPLES

CORPUS = REPO / "tests" / "data" / "interop-corpus"

# file: (format, events in the file, events imported, first starts); each sha256 is in the README
EXPECTED: dict[str, tuple[str, int, int, list[str]]] = {
    "ical-america-new-york.ics": ("ics", 1, 1, ["2014-08-29"]),
    "ical-categories-with-commas.ics": ("ics", 1, 1, ["2014-02-04"]),
    "ical-events-and-todos.ics": ("ics", 2, 2, ["2025-01-15", "2025-01-16"]),
    "ical-event-with-rrule.ics": ("ics", 1, 10, ["2025-01-01", "2025-01-02"]),
    "ical-holidays-example.ics": ("ics", 3, 3, ["2022-01-01", "2022-01-07", "2022-03-08"]),
    "ical-recurrence-id.ics": ("ics", 1, 1, ["2025-04-28"]),
    # Years of -13.8 billion: EDTF long years (TimelineJS -13798000000 is Y-13797999999).
    "timelinejs-cosmological.json": ("timelinejs", 6, 6, ["Y-13797999999", "Y-13797929999", "Y-13797622999"]),
    "timelinejs-groups-test-2.json": ("timelinejs", 8, 8, ["1851", "1857", "1899"]),
    "timelinejs-milliseconds.json": ("timelinejs", 5, 5, ["2015-01-01"]),
    "timelinejs-wedding.json": ("timelinejs", 13, 13, ["2014-06-18"]),
    # TimelineJS years are historical: -5410 is 5410 BCE, EDTF -5409.
    "timelinejs-years.json": ("timelinejs", 5, 5, ["-5409", "-2519", "-2009", "-1449", "-0257"]),
    "timelinejs2-amazon-extra-html.json": ("timelinejs", 5, 5, ["2004", "2008"]),
    "timelinejs-seventh-century.json": ("timelinejs", 21, 21, ["0602", "0604", "0618-06-18"]),
    "timelinejs2-whitney-houston.json": ("timelinejs", 18, 18, ["1963-08-09", "1978", "1978"]),
    "timelinejs2-sugden-utc-firefox.json": ("timelinejs", 14, 14, ["1869-09-10", "1896-09-10"]),
    # The desktop Timeline program's years are astronomical, read as written; fuzzy is approximate.
    "timeline-xml-rome.timeline": ("timeline-xml", 29, 29, ["-0753-04-21~", "-0753-01-01~", "-0509-01-01"]),
    "timeline-xml-obsidian-sample.timeline": ("timeline-xml", 4, 4, ["-0454-03-30", "-0539-01-01", "0033-04-03"]),
    "vis-basic.json": ("vis", 6, 6, ["2014-04-20", "2014-04-14", "2014-04-18", "2014-04-16"]),
}  # fmt: skip
SHARED: dict[str, tuple[str, int, int, list[str]]] = {
    "eras.json": ("timelinejs", 20, 20, ["0602", "0604", "0622-08-09"]),
    "group_sample.json": ("timelinejs", 7, 7, ["2016-11-13"]),
    "marktwain.json": ("timelinejs", 14, 14, ["2000-01", "1920-01-05"]),
    "women_in_computing.csv": ("csv", 10, 10, ["1815-12-10", "1948-03-14", "1943-07"]),
    "women_in_computing.json": ("timelinejs", 10, 10, ["1815-12-10", "1948-03-14", "1943-07"]),
}


def _files() -> list[tuple[Path, str, int, int, list[str]]]:
    out = [(CORPUS / name, *spec) for name, spec in EXPECTED.items()]
    out += [(TIMELINEJS_SAMPLES / name, *spec) for name, spec in SHARED.items()]
    return out


def _slides(path: Path) -> list[tuple[int, dict[str, object]]]:
    """The raw slides of a TimelineJS JSON file with their index, in file order (title slides left out)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    wrapper = data.get("timeline") if isinstance(data, dict) else None
    if isinstance(wrapper, dict) and isinstance(wrapper.get("date"), list):
        return [(i, {"media": d.get("asset") or {}}) for i, d in enumerate(wrapper["date"])]
    if isinstance(wrapper, dict):
        return [(i, s) for i, s in enumerate(wrapper.get("slides", [])) if s.get("type") != "overview"]
    return list(enumerate(data["events"]))


_SKIPPED = re.compile(r"\$\.(?:timeline\.)?(?:events|slides|date)\[(\d+)\].*the slide was skipped")


_HREF = re.compile(r"""<a\s[^>]*href=["']?(https?://[^"'\s>]+)""", re.IGNORECASE)


def _credits_kept(path: Path, timeline: Timeline, warnings: list[str]) -> None:
    """Every credit of an imported slide is a source of its event (slides that were skipped, each
    with its located warning, left out)."""
    skipped = {int(m[1]) for w in warnings if (m := _SKIPPED.search(w))}
    kept = [slide for i, slide in _slides(path) if i not in skipped]
    assert len(kept) == len(timeline.events)
    for slide, event in zip(kept, timeline.events, strict=True):
        media = slide.get("media") if isinstance(slide.get("media"), dict) else None
        credit = one_line(html_to_text(media.get("credit"))) if media else ""
        sources = [timeline.source_by_id[x.source] for x in event.excerpts]
        links = _HREF.findall(str(media.get("credit") or "")) if media else []
        for href in links:  # every link in a credit is a source of this event (by URL, or kept as locator)
            kept = [s.url for s in sources] + [x.locator or "" for x in event.excerpts]
            assert any(href == k or k.endswith(f": {href}") for k in kept), (path.name, event.title, href)
        if credit and not links:
            assert any(credit in (s.title, s.url) for s in sources), (path.name, event.title, credit)


def _hyperlinks_kept(path: Path, timeline: Timeline) -> None:
    """Every event of a .timeline file is imported, by its id, with its category as its actor (and
    that category's colour) and each of its hyperlinks as a source."""
    root = ElementTree.fromstring(path.read_bytes())
    colours = {c.findtext("name"): c.findtext("color") for c in root.iter("category")}
    events = {e.id: e for e in timeline.events}
    for node in root.iter("event"):
        event = events[node.get("id")]
        assert event.title == node.findtext("text")
        actor = timeline.actor_by_id[event.actors[0]]
        assert actor.name == node.findtext("category")
        assert actor.color == "#{:02x}{:02x}{:02x}".format(*map(int, colours[actor.name].split(",")))
        urls = [timeline.source_by_id[x.source].url for x in event.excerpts]
        assert urls == [u for u in [node.findtext("hyperlink")] if u], event.id
    assert [e.title for e in timeline.eras] == [e.findtext("name") for e in root.iter("era")]


@pytest.mark.parametrize(
    ("path", "fmt", "in_file", "imported", "starts"), _files(), ids=lambda v: getattr(v, "name", None)
)
def test_each_corpus_file_imports(path: Path, fmt: str, in_file: int, imported: int, starts: list[str]) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is not here (the shared samples sit beside the checkout)")
    timeline, warnings, got_fmt = read_any(path)
    assert got_fmt == fmt
    assert len(timeline.events) == imported
    assert [e.start for e in timeline.events[: len(starts)]] == starts
    for warning in warnings:  # every warning is a sentence, located where it can be
        assert warning and "Traceback" not in warning
    if fmt == "timelinejs" and path.suffix == ".json":
        _credits_kept(path, timeline, warnings)
    if fmt == "timeline-xml":
        _hyperlinks_kept(path, timeline)
    if path.parent == CORPUS:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == _readme_sha256()[path.name]  # kept byte for byte


def test_at_least_95_percent_of_the_corpus_events_import() -> None:
    total = kept = files = 0
    for path, _fmt, in_file, _imported, _starts in _files():
        if not path.is_file():
            continue
        timeline, _, _ = read_any(path)
        files += 1
        total += in_file
        kept += min(in_file, len(timeline.events))  # a recurring event expands to more; it counts once
    assert files >= 20
    assert kept / total >= 0.95, f"{kept} of {total} events imported"


def _readme_sha256() -> dict[str, str]:
    rows = (CORPUS / "README.md").read_text(encoding="utf-8").splitlines()
    return {m[1]: m[2] for line in rows if (m := re.match(r"^\| `([^`]+)` \|.*\| ([0-9a-f]{64}) \|$", line))}


def test_the_readme_names_every_file_with_its_origin_and_sha256() -> None:
    shas = _readme_sha256()
    rows = (CORPUS / "README.md").read_text(encoding="utf-8").splitlines()
    files = {p.name for p in CORPUS.iterdir() if p.name != "README.md"}
    assert files == set(EXPECTED) == set(shas)
    for name in files:
        row = next(line for line in rows if line.startswith(f"| `{name}`"))
        assert re.search(r"@ [0-9a-f]{40} \|", row), name
        assert re.search(r"\| (MPL-2\.0|BSD-2-Clause|MIT|Apache-2\.0 OR MIT) \|", row), name
