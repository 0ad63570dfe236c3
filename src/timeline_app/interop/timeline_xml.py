"""The desktop Timeline program's ``.timeline`` files (thetimelineproj, XML) → our timeline.

Parsed with defusedxml: no external entities, no entity expansion bombs, no DTD tricks. Events
become events (``text`` the title, ``description`` the summary), categories actors with their
colours, eras eras with theirs; ``fuzzy`` (or ``fuzzy_start``/``fuzzy_end``) dates are approximate
(``~``); a milestone is a one-day event tagged ``milestone``; a container (``[1]Name``) is an event
tagged ``container`` whose members (``(1)text``) link to it as "part of"; each ``hyperlink`` is a
source. Years are read as written (the program counts astronomically, as we do). An event that
cannot be read is skipped with a warning naming its place.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from ..core.dates import EdtfDate, days_in_month
from ..core.errors import Issue, TimelineLoadError
from ..core.loading import read_bytes
from ..core.models import Actor, Era, Event, Excerpt, Link, Source, Timeline
from .htmltext import HTTP_URL, one_line
from .ids import IdAllocator
from .timelinejs import _host, _url_title

__all__ = ["loads_timeline_xml", "read_timeline_xml"]

_WHEN = re.compile(  # ASCII digits only: int() would read "٢٠٠١" too
    r"^\s*(-?[0-9]{1,5})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2}))?)?\s*$"
)
_CONTAINER = re.compile(r"^\[(\d+)\](.*)$", re.DOTALL)
_MEMBER = re.compile(r"^\((\d+)\)(.*)$", re.DOTALL)
_DEFAULT_ACTOR = "uncategorized"
_DROPPED = ("icon", "alert", "progress", "locked", "default_color", "labels")
_READ = frozenset({"start", "end", "text", "description", "category", "fuzzy", "fuzzy_start", "fuzzy_end",
                   "milestone", "ends_today", "hyperlink", *_DROPPED})  # fmt: skip


def _date(text: str | None) -> tuple[EdtfDate, bool]:
    """``"2021-11-02 13:05:00"`` → the day and whether a time of day was dropped; ValueError if unreadable."""
    m = _WHEN.match(text or "")
    if m is None:
        raise ValueError(f"{(text or '')[:40]!r} is not a date (YYYY-MM-DD HH:MM:SS)")
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    if abs(year) > 9999:
        raise ValueError(f"year {year} is outside -9999…9999")
    if not 1 <= month <= 12 or not 1 <= day <= days_in_month(year, month):
        raise ValueError(f"{text!r}: no such day")
    timed = any(m[k] and int(m[k]) for k in (4, 5, 6))
    return EdtfDate(year, month, day), bool(timed)


def _colour(text: str | None) -> str | None:
    parts = (text or "").split(",")
    if len(parts) != 3 or not all(p.strip().isdigit() and int(p) <= 255 for p in parts):
        return None
    return "#" + "".join(f"{int(p):02x}" for p in parts)


def _text(node: Element | None, tag: str) -> str:
    child = node.find(tag) if node is not None else None
    return (child.text or "").strip() if child is not None else ""


def _true(node: Element, tag: str) -> bool:
    return _text(node, tag).lower() == "true"


class _Reader:
    def __init__(self, text: str) -> None:
        self.offsets = [m.start() for m in re.finditer(r"<event\b", text)]
        self.text = text
        self.notes: Counter[str] = Counter()
        self.skipped: list[Issue] = []
        self.actors: dict[str, Actor] = {}
        self.sources: dict[str, Source] = {}
        self.ids = {k: IdAllocator() for k in ("actor", "source", "event", "era")}

    def where(self, index: int) -> tuple[int, int]:
        if index >= len(self.offsets):
            return 1, 1
        at = self.offsets[index]
        return self.text.count("\n", 0, at) + 1, at - self.text.rfind("\n", 0, at)

    def category(self, node: Element) -> None:
        name = one_line(_text(node, "name"))
        if name and name not in self.actors:
            parent = _text(node, "parent")
            self.actors[name] = Actor(id=self.ids["actor"].claim(None, name, "category"), name=name,
                                      color=_colour(_text(node, "color")),
                                      description=f"A subcategory of {parent}." if parent else None)  # fmt: skip

    def actor(self, name: str, fallback: str) -> str:
        if not name:
            name = ""
            if name not in self.actors:
                self.actors[name] = Actor(id=self.ids["actor"].claim(_DEFAULT_ACTOR), name=fallback,
                                          description="Events with no category.")  # fmt: skip
        elif name not in self.actors:
            self.actors[name] = Actor(id=self.ids["actor"].claim(None, name, "category"), name=name)
        return self.actors[name].id

    def source(self, url: str) -> Source:
        if url not in self.sources:
            title = _url_title(url)
            self.sources[url] = Source(id=self.ids["source"].claim(None, title, "source"), title=title, url=url,
                                       publisher=_host(url))  # fmt: skip
        return self.sources[url]

    def event(self, index: int, node: Element, fallback: str) -> tuple[Event, str | None, str | None] | None:
        """The event, its container number if it is one, and the container it belongs to."""
        try:
            start, timed_start = _date(_text(node, "start"))
            end, timed_end = _date(_text(node, "end") or _text(node, "start"))
        except ValueError as exc:
            line, col = self.where(index)
            self.skipped.append(Issue(f"events/event[{index + 1}]", f"{exc}: the event was skipped", line, col))
            return None
        if timed_start or timed_end:
            self.notes["time of day dropped: our dates stop at the day"] += 1
        raw = _text(node, "text")
        container = member = None
        if (m := _CONTAINER.match(raw)) is not None:
            container, raw = m[1], m[2]
        elif (m := _MEMBER.match(raw)) is not None:
            member, raw = m[1], m[2]
        title = one_line(raw) or "Untitled"
        fuzzy = _true(node, "fuzzy")
        approx_start, approx_end = fuzzy or _true(node, "fuzzy_start"), fuzzy or _true(node, "fuzzy_end")
        tags = []
        if _true(node, "milestone"):
            tags.append("milestone")
        if container is not None:
            tags.append("container")
        if _true(node, "ends_today"):
            self.notes["ends_today dropped: the end is the date saved in the file"] += 1
        for tag in _DROPPED:
            value = _text(node, tag)
            if value and value not in ("0", "False"):
                self.notes[f"{tag} dropped"] += 1
        for child in node:  # elements other programs add (e.g. a plugin's extensions): named, not lost silently
            if isinstance(child.tag, str) and child.tag not in _READ:
                self.notes[f"{child.tag} dropped: not a Timeline event field"] += 1
        excerpts = []
        for url in re.split(r"[\s;]+", _text(node, "hyperlink")):
            if HTTP_URL.match(url):
                excerpts.append(Excerpt(source=self.source(url).id, quote=url, locator="hyperlink"))
            elif url:
                self.notes["hyperlink dropped: not an http(s) address"] += 1
        start_text = EdtfDate(start.year, start.month, start.day, approximate=approx_start).to_edtf()
        end_text = None
        if end.interval()[0] > start.interval()[0]:
            end_text = EdtfDate(end.year, end.month, end.day, approximate=approx_end).to_edtf()
        ident = self.ids["event"].claim(node.get("id"), title, "event")  # the id attribute some writers add
        event = Event(id=ident, title=title, start=start_text, end=end_text,
                      actors=[self.actor(one_line(_text(node, "category")), fallback)], tags=tags,
                      summary=_text(node, "description").replace("\r\n", "\n"), excerpts=excerpts)  # fmt: skip
        return event, container, member

    def era(self, node: Element) -> Era | None:
        name = one_line(_text(node, "name")) or "Era"
        try:
            start, _ = _date(_text(node, "start"))
            end, _ = _date(_text(node, "end"))
        except ValueError as exc:
            self.notes[f"era {name!r} skipped: {exc}"] += 1
            return None
        if end.interval()[1] <= start.interval()[0]:
            self.notes[f"era {name!r} skipped: it ends before it starts"] += 1
            return None
        return Era(id=self.ids["era"].claim(None, name, "era"), title=name, start=start.to_edtf(),
                   end=end.to_edtf(), color=_colour(_text(node, "color")))  # fmt: skip


def _parse(data: bytes, name: str) -> Any:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(data)
    except ParseError as exc:
        line, col = exc.position
        raise TimelineLoadError(name, [Issue("$", f"not well-formed XML: {exc}", line, col + 1)]) from None
    except DefusedXmlException as exc:
        raise TimelineLoadError.whole_file(name, f"refused: the XML uses entities or a DTD ({exc})") from None


def loads_timeline_xml(data: bytes, name: str = "<string>") -> tuple[Timeline, list[str]]:
    """A ``.timeline`` file's bytes → our timeline and warnings; TimelineLoadError when unusable."""
    root = _parse(data, name)
    if root.tag != "timeline":
        raise TimelineLoadError.whole_file(name, f"not a Timeline file: the root element is <{root.tag}>")
    timetype = _text(root, "timetype")
    if timetype and timetype != "gregoriantime":
        raise TimelineLoadError.whole_file(name, f"time type {timetype!r}: only dated (gregoriantime) timelines open")
    reader = _Reader(data.decode("utf-8", errors="replace"))
    title = Path(name).stem or "Timeline"
    for node in root.iter("category"):
        reader.category(node)
    built = [reader.event(i, node, title) for i, node in enumerate(root.iter("event"))]
    found = [b for b in built if b is not None]
    if not found:
        if reader.skipped:
            raise TimelineLoadError(name, reader.skipped)
        raise TimelineLoadError.whole_file(name, "the timeline has no events to show")
    containers = {number: ev.id for ev, number, _ in found if number is not None}
    events = []
    for ev, _, member in found:
        if member is not None and member in containers:
            ev = ev.model_copy(update={"links": [Link(to=containers[member], relation="part of")]})
        elif member is not None:
            reader.notes["member of a container that is not in the file: kept on its own"] += 1
        events.append(ev)
    eras = [e for e in (reader.era(n) for n in root.iter("era")) if e is not None]
    used = {a for ev in events for a in ev.actors}
    actors = [a for a in reader.actors.values() if a.id in used]
    if len(actors) < len(reader.actors):
        reader.notes["categories with no event dropped"] += len(reader.actors) - len(actors)
    timeline = Timeline(schema_version=1, title=title, actors=actors, sources=list(reader.sources.values()),
                        eras=eras, events=events)  # fmt: skip
    warnings = [f"line {i.line}, column {i.col}: {i.path}: {i.message}" for i in reader.skipped]
    warnings += [f"{what} ({n}×)" if n > 1 else what for what, n in reader.notes.items()]
    return timeline, warnings


def read_timeline_xml(path: str | Path) -> tuple[Timeline, list[str]]:
    return loads_timeline_xml(read_bytes(path, "Timeline file"), str(path))
