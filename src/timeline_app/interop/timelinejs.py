"""TimelineJS (Knight Lab) JSON, both ways.

Import reads the TimelineJS3 shape (``events[]`` with ``start_date``, ``text``, ``media``, ``group``;
``eras[]``; a ``title`` slide), the early-TimelineJS3 wrapper ``{"timeline": {"slides": [...]}}``
whose ``"type": "overview"`` slide is the title, and the TimelineJS2 wrapper
``{"timeline": {"headline", "text", "date": [...], "era": [...]}}``. The spreadsheet layout goes
through the same code (see csv_format), so every source of slides maps to our model one way.

TimelineJS years are JavaScript ``Date`` years: astronomical, like ours (0 is 1 BCE), so they map
unchanged; we only pad them to four digits ("602" → "0602").
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pydantic import ValidationError

from ..core.atomic import atomic_write_text
from ..core.dates import EdtfDate, days_in_month
from ..core.errors import clip
from ..core.jsonpos import JsonPath
from ..core.loading import located_error, parse_json, read_text
from ..core.models import Actor, Era, Event, Excerpt, Source, Timeline
from .htmltext import HTTP_URL, escape_inline, first_link, html_to_text, text_to_html
from .ids import IdAllocator

DEFAULT_ACTOR_ID = "general"
MAX_YEAR = 9999
_INT = re.compile(r"^[+-]?\d+$")
_TIME_PARTS = ("hour", "minute", "second", "millisecond")
_CITE = re.compile(r"<cite\b[^>]*>(.*?)</cite\s*>", re.IGNORECASE | re.DOTALL)
TITLE_LIMIT = 80
_FILE_EXT = re.compile(r"\.[A-Za-z0-9]{2,4}$")
_ARTICLE = re.compile(r"^[A-Za-z][\w().,'-]*[_-][\w().,'-]*[A-Za-z)]$")


# ---------------------------------------------------------------------------------------------
# Slides: one TimelineJS3-shaped dict each, with where it came from (for error messages).

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
    if not isinstance(data, dict) or "schema_version" in data:
        return False
    wrapper = data.get("timeline")
    if isinstance(wrapper, dict) and any(isinstance(wrapper.get(k), list) for k in ("date", "slides")):
        return True
    events = data.get("events")
    if not isinstance(events, list):
        return False
    if isinstance(data.get("title"), dict) or isinstance(data.get("eras"), list):
        return True
    return any(isinstance(e, dict) and ("start_date" in e or "text" in e) for e in events)


def slides_from_json(data: Any) -> Slides:
    """The slides of a parsed TimelineJS JSON document; origins are JSON paths."""
    out = Slides()
    if not isinstance(data, dict):
        out.problems.append(((), "", "a TimelineJS file is a JSON object with an 'events' list"))
        return out
    wrapper = data.get("timeline")
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


# TimelineJS2 keeps dates as "YYYY,MM,DD[,hh,mm,ss]" strings and the media under "asset".
_V2_FIELDS = {"start_date": "startDate", "end_date": "endDate", "text.headline": "headline", "text.text": "text",
              "group": "tag", "media": "asset", "unique_id": "uniqueid"}  # fmt: skip


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


# ---------------------------------------------------------------------------------------------
# Slides → Timeline


class _Notes:
    """Warnings counted by kind, so 500 events with a time of day make one line, not 500."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.examples: dict[str, str] = {}

    def count(self, what: str, example: str) -> None:
        self.counts[what] += 1
        self.examples.setdefault(what, example)

    def result(self) -> list[str]:
        return [f"{what} ({f'{n}×, first at' if n > 1 else 'at'} {self.examples[what]})"
                for what, n in self.counts.items()]  # fmt: skip


def _part(value: Any) -> int | str | None:
    """A date part as an int, None when empty, or an error message."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return f"expected a number, got {json.dumps(value)}"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else f"{value} is not a whole number"
    if isinstance(value, str) and _INT.match(value.strip()):
        return int(value.strip())
    return f"{clip(str(value))} is not a number"


def slide_date(obj: Any, name: str, problems: list[tuple[str, str]], notes: _Notes, label: str) -> EdtfDate | None:
    """A TimelineJS date object → our date by precision (year 602 → "0602"); None if empty or invalid."""
    if obj is None or obj == "":
        return None
    if not isinstance(obj, dict):
        problems.append((name, f"expected a date object with a year, got {clip(json.dumps(obj))}"))
        return None
    parts: dict[str, int | None] = {}
    ok = True
    for key in ("year", "month", "day"):
        got = _part(obj.get(key))
        if isinstance(got, str):
            problems.append((f"{name}.{key}", got))
            ok = False
        else:
            parts[key] = got
    if any(_part(obj.get(k)) is not None for k in _TIME_PARTS) or str(obj.get("time") or "").strip():
        notes.count("time of day dropped: our dates stop at the day", label)
    if str(obj.get("display_date") or "").strip():
        notes.count("display_date dropped: dates are shown from their value", label)
    if not ok:
        return None
    year, month, day = parts["year"], parts["month"], parts["day"]
    if year is None:
        if month is not None or day is not None:
            problems.append((f"{name}.year", "a date with a month or day needs a year"))
        return None
    if abs(year) > MAX_YEAR:
        problems.append((f"{name}.year", f"year {year} is outside -9999…9999, which this program can show"))
        return None
    if month is not None and not 1 <= month <= 12:
        problems.append((f"{name}.month", f"month {month} does not exist (1-12)"))
        return None
    if day is not None and month is None:
        notes.count("a day without a month: the day was dropped", label)
        day = None
    if day is not None and month is not None and not 1 <= day <= days_in_month(year, month):
        problems.append((f"{name}.day", f"day {day} does not exist in {year:04d}-{month:02d}"))
        return None
    return EdtfDate(year, month, day)


def _short_title(summary: str) -> str:
    line = summary.split("\n", 1)[0].strip()
    if len(line) <= TITLE_LIMIT:
        return line
    cut = line[:TITLE_LIMIT].rsplit(" ", 1)[0]
    return (cut or line[:TITLE_LIMIT]).rstrip(" ,;:.") + "…"


def _url_title(url: str) -> str:
    """A readable name for a page known only by its address: "Roman-Persian Wars (en.wikipedia.org)"
    for an article-like path, else the host ("youtube.com")."""
    parts = urlsplit(url)
    host = (parts.hostname or url).removeprefix("www.")
    last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    if _ARTICLE.match(last) and not parts.query and not _FILE_EXT.search(last):
        return f"{last.replace('_', ' ')} ({host})"
    return host


@dataclass
class _Builder:
    fallback_title: str
    notes: _Notes = field(default_factory=_Notes)
    problems: list[Problem] = field(default_factory=list)
    actors: dict[str, Actor] = field(default_factory=dict)  # by group text
    sources: dict[tuple[str, str | None], Source] = field(default_factory=dict)
    actor_ids: IdAllocator = field(default_factory=IdAllocator)
    source_ids: IdAllocator = field(default_factory=IdAllocator)
    event_ids: IdAllocator = field(default_factory=IdAllocator)
    era_ids: IdAllocator = field(default_factory=IdAllocator)

    def _text(self, slide: Slide) -> tuple[str, str]:
        text = slide.data.get("text")
        if isinstance(text, str):  # some files put the body straight in "text"
            return "", html_to_text(text)
        if not isinstance(text, dict):
            return "", ""
        return html_to_text(text.get("headline")), html_to_text(text.get("text"))

    def title(self, slide: Slide | None) -> tuple[str, str]:
        if slide is None or not isinstance(slide.data, dict):
            return self.fallback_title, ""
        headline, body = self._text(slide)
        media = slide.data.get("media")
        if isinstance(media, dict) and any(str(v or "").strip() for v in media.values()):
            self.notes.count("title media dropped", slide.label)
        return headline or self.fallback_title, body

    def actor(self, group: Any, timeline_title: str) -> str:
        name = html_to_text(group) if isinstance(group, str) else ""
        if name in self.actors:
            return self.actors[name].id
        if name:
            actor = Actor(id=self.actor_ids.claim(None, name, "group"), name=name)
        else:
            actor = Actor(
                id=self.actor_ids.claim(DEFAULT_ACTOR_ID),
                name=timeline_title,
                description="Events that had no TimelineJS group.",
            )
        self.actors[name] = actor
        return actor.id

    def media(self, slide: Slide, summary: str) -> tuple[list[Excerpt], str]:
        media = slide.data.get("media")
        if not isinstance(media, dict):
            return [], summary
        raw_url = media.get("url") if isinstance(media.get("url"), str) else ""
        url = raw_url.strip()
        credit = html_to_text(media.get("credit"))
        quote = html_to_text(media.get("caption"))
        link = url if HTTP_URL.match(url) else first_link(media.get("credit"))
        if url.lower().startswith("<blockquote"):
            # An embedded quotation: the quote is the blockquote, its <cite> says who.
            cite = _CITE.search(url)
            said = html_to_text(_CITE.sub("", url))
            if quote:
                self.notes.count("media caption dropped beside a blockquote", slide.label)
            quote = said
            credit = credit or (html_to_text(cite.group(1)) if cite else "")
        elif url and not HTTP_URL.match(url):
            self.notes.count("media url dropped: not an http(s) address", slide.label)
        for key in ("thumbnail", "thumb"):
            if str(media.get(key) or "").strip():
                self.notes.count("media thumbnail dropped", slide.label)
        title = credit or (_url_title(link) if link else "")
        if not title:
            if quote:
                self.notes.count("media caption without a credit or address: kept in the summary", slide.label)
                summary = f"{summary}\n\n{quote}" if summary else quote
            return [], summary
        key = (title, link)
        source = self.sources.get(key)
        if source is None:
            source = Source(id=self.source_ids.claim(None, title, "source"), title=title, url=link)
            self.sources[key] = source
        return ([Excerpt(source=source.id, quote=quote)] if quote else []), summary

    def _dates(self, slide: Slide, what: str) -> tuple[EdtfDate | None, EdtfDate | None, list[tuple[str, str]]] | None:
        """A slide's start and end and the problems in them; None (reported) when it is not an object."""
        if not isinstance(slide.data, dict):
            self.problems.append((slide.origin, "", f"expected an object ({what})"))
            return None
        found: list[tuple[str, str]] = []
        start = slide_date(slide.data.get("start_date"), "start_date", found, self.notes, slide.label)
        end = slide_date(slide.data.get("end_date"), "end_date", found, self.notes, slide.label)
        return start, end, found

    def event(self, slide: Slide, timeline_title: str) -> Event | None:
        dates = self._dates(slide, "a slide")
        if dates is None:
            return None
        start, end, found = dates
        if start is None and not found:
            found.append(("start_date", "an event needs a start_date with at least a year"))
        self.problems.extend((slide.origin, f, m) for f, m in found)
        if found or start is None:
            return None
        if end is not None and _ends_before(start, end):
            self.notes.count("end_date before start_date: the end was dropped", slide.label)
            end = None
        headline, summary = self._text(slide)
        title = headline or (_short_title(summary) if summary else "Untitled")
        excerpts, summary = self.media(slide, summary)
        for key, what in (("background", "background"), ("location", "map location")):
            value = slide.data.get(key)
            if isinstance(value, dict) and any(v not in (None, "") for v in value.values()):
                self.notes.count(f"{what} dropped", slide.label)
        unique = slide.data.get("unique_id") or slide.data.get("uniqueid")
        unique = unique.strip() if isinstance(unique, str) else None
        ident = self.event_ids.claim(unique, title, "event")
        if unique and ident != unique:
            self.notes.count("unique_id invalid or repeated: a new id was made", slide.label)
        return Event(
            id=ident,
            title=title,
            start=start.to_edtf(),
            end=end.to_edtf() if end is not None else None,
            actors=[self.actor(slide.data.get("group"), timeline_title)],
            summary=summary,
            excerpts=excerpts,
        )

    def era(self, slide: Slide, index: int) -> Era | None:
        dates = self._dates(slide, "an era")
        if dates is None:
            return None
        start, end, found = dates
        for name, value in (("start_date", start), ("end_date", end)):
            if value is None and not any(f.startswith(name) for f, _ in found):
                found.append((name, f"an era needs a {name} with at least a year"))
        self.problems.extend((slide.origin, f, m) for f, m in found)
        if found or start is None or end is None:
            return None
        if _ends_before(start, end):
            self.problems.append((slide.origin, "end_date", f"the era ends ({end}) before it starts ({start})"))
            return None
        headline, _ = self._text(slide)
        title = headline or f"Era {index + 1}"
        return Era(id=self.era_ids.claim(None, title, "era"), title=title, start=start.to_edtf(), end=end.to_edtf())


def _ends_before(start: EdtfDate, end: EdtfDate) -> bool:
    """The same test as the loader's: the end's whole period is over before the start's begins."""
    return end.interval()[1] <= start.interval()[0]


def timeline_from_slides(slides: Slides, fallback_title: str) -> tuple[Timeline | None, list[str], list[Problem]]:
    """Our timeline from TimelineJS slides, the warnings, and the problems that stop it (if any)."""
    b = _Builder(fallback_title=fallback_title or "Untitled timeline")
    b.problems.extend(slides.problems)
    title, description = b.title(slides.title)
    events = [e for e in (b.event(s, title) for s in slides.events) if e is not None]
    eras = [e for e in (b.era(s, i) for i, s in enumerate(slides.eras)) if e is not None]
    if b.problems:
        return None, b.notes.result(), b.problems
    try:
        timeline = Timeline(
            schema_version=1,
            title=title,
            description=description,
            actors=list(b.actors.values()),
            sources=list(b.sources.values()),
            eras=eras,
            events=events,
        )
    except ValidationError as exc:  # a gap in the mapping above; reported, not a traceback
        return None, b.notes.result(), [((), "", f"cannot be converted: {exc.errors()[0]['msg']}")]
    return timeline, b.notes.result(), []


# ---------------------------------------------------------------------------------------------
# Files


def loads_timelinejs(text: str, name: str = "<string>", data: Any = None) -> tuple[Timeline, list[str]]:
    """A TimelineJS JSON document's text → our timeline and warnings; TimelineLoadError if unusable."""
    if data is None:
        data = parse_json(text, name)
    timeline, warnings, problems = timeline_from_slides(slides_from_json(data), Path(name).stem)
    if problems or timeline is None:
        raise located_error(name, text, [(json_field_path(origin, fld), msg, False) for origin, fld, msg in problems])
    return timeline, warnings


def read_timelinejs(path: str | Path) -> tuple[Timeline, list[str]]:
    return loads_timelinejs(read_text(path), str(path))


# ---------------------------------------------------------------------------------------------
# Timeline → TimelineJS


def _date_obj(date: EdtfDate) -> dict[str, Any]:
    obj: dict[str, Any] = {"year": date.year}
    if date.month is not None:
        obj["month"] = date.month
        if date.day is not None:
            obj["day"] = date.day
    if date.qualified:
        obj["display_date"] = date.format()
    return obj


def to_timelinejs(timeline: Timeline) -> tuple[dict[str, Any], list[str]]:
    """Our timeline as a TimelineJS3 document, and the list of what it could not carry."""
    lost: Counter[str] = Counter()
    events = []
    for ev in timeline.events:
        slide: dict[str, Any] = {"unique_id": ev.id, "start_date": _date_obj(ev.start_date)}
        if ev.end_date is not None:
            slide["end_date"] = _date_obj(ev.end_date)
        slide["text"] = {"headline": escape_inline(ev.title), "text": text_to_html(ev.summary)}
        actor = timeline.actor_by_id.get(ev.actors[0])
        slide["group"] = escape_inline(actor.name if actor else ev.actors[0])  # shown as HTML, like text
        if ev.excerpts:
            ex = ev.excerpts[0]
            source = timeline.source_by_id.get(ex.source)
            slide["media"] = {
                "url": (source.url or "") if source else "",
                "caption": escape_inline(ex.quote),
                "credit": escape_inline(source.title) if source else "",
            }
            lost["excerpt locators"] += ex.locator is not None
        lost["actors beyond the first (TimelineJS has one group per slide)"] += len(ev.actors) > 1
        lost["excerpts beyond the first (TimelineJS has one media per slide)"] += len(ev.excerpts) > 1
        lost["discrepancies"] += bool(ev.discrepancies)
        lost["links between events"] += bool(ev.links)
        lost["tags"] += bool(ev.tags)
        lost["approximate/uncertain qualifiers (kept only as display_date text)"] += ev.start_date.qualified or bool(
            ev.end_date and ev.end_date.qualified
        )
        events.append(slide)
    doc: dict[str, Any] = {
        "title": {"text": {"headline": escape_inline(timeline.title), "text": text_to_html(timeline.description)}},
        "events": events,
    }
    if timeline.eras:
        doc["eras"] = [
            {
                "start_date": _date_obj(e.start_date),
                "end_date": _date_obj(e.end_date),
                "text": {"headline": escape_inline(e.title)},
            }
            for e in timeline.eras
        ]
    for e in timeline.eras:
        lost["era colours"] += e.color is not None
    for a in timeline.actors:
        lost["actor ids, colours and descriptions (groups are names)"] += bool(a.color or a.description)
    for s in timeline.sources:
        lost["source details (author, publisher, published, note)"] += bool(
            s.author or s.publisher or s.published or s.note
        )
    return doc, [f"TimelineJS cannot hold {what}: dropped on {n} item{'s' if n > 1 else ''}"
                 for what, n in lost.items() if n]  # fmt: skip


def dumps_timelinejs(timeline: Timeline) -> tuple[str, list[str]]:
    doc, warnings = to_timelinejs(timeline)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n", warnings


def write_timelinejs(timeline: Timeline, path: str | Path) -> list[str]:
    text, warnings = dumps_timelinejs(timeline)
    atomic_write_text(Path(path), text)
    return warnings
