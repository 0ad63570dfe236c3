"""TimelineJS (Knight Lab) slides → our timeline: tolerant where TimelineJS is, and loud about it.

A slide that cannot be read (no year, a month that is no month) is skipped with a located warning
and the rest imports; a file is refused only when no slide is a readable event. Every field that
is dropped or changed is named in a warning with a count. Each media credit, ``media.link`` and
every link in a credit stays with its event as a source (the host as publisher); sources are one
per credit name. TimelineJS years are historical (−509 is 509 BCE); ours are astronomical
(years.py). The shapes of TimelineJS documents are in timelinejs_slides.py; export in
timelinejs_write.py.
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

from ..core.dates import MAX_LONG_YEAR, EdtfDate, days_in_month
from ..core.errors import clip
from ..core.jsonpos import find_duplicate_keys, format_path, line_col
from ..core.loading import located_error, parse_json, read_text
from ..core.models import Actor, Era, Event, Excerpt, Source, Timeline
from .htmltext import HTTP_URL, all_links, anchors, html_to_text, one_line
from .ids import IdAllocator
from .timelinejs_slides import (
    _TIME_PARTS,
    Problem,
    Slide,
    Slides,
    json_field_path,
    looks_like_timelinejs,
    slides_from_json,
)
from .timelinejs_write import dumps_timelinejs, to_timelinejs, write_timelinejs
from .years import from_historical

__all__ = [
    "Problem",
    "Slide",
    "Slides",
    "dumps_timelinejs",
    "loads_timelinejs",
    "looks_like_timelinejs",
    "read_timelinejs",
    "slide_date",
    "timeline_from_slides",
    "to_timelinejs",
    "write_timelinejs",
]

DEFAULT_ACTOR_ID = "general"
MAX_YEAR = 9999
_INT = re.compile(r"^[+-]?[0-9]+$")
_CITE = re.compile(r"<cite\b[^>]*>(.*?)</cite\s*>", re.IGNORECASE | re.DOTALL)
TITLE_LIMIT = 80
_FILE_EXT = re.compile(r"\.[A-Za-z0-9]{2,4}$")
_ARTICLE = re.compile(r"^[A-Za-z][\w().,'-]*[_-][\w().,'-]*[A-Za-z)]$")
_MONTH_WORDS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")  # fmt: skip
MONTHS = {w: i + 1 for i, w in enumerate(_MONTH_WORDS)} | {w[:3]: i + 1 for i, w in enumerate(_MONTH_WORDS)}
MONTHS["sept"] = 9
SKIPPED = "the slide was skipped"
# What a slide may hold; anything else is named in a warning (the time parts are checked per date).
_SLIDE_KEYS = frozenset({"start_date", "end_date", "text", "media", "group", "display_date", "background",
                         "location", "unique_id", "uniqueid", "autolink", "type", "_extra"})  # fmt: skip


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


def _part(value: Any, key: str = "") -> int | str | None:
    """A date part as an int, None when empty, or an error message. Months may be English names."""
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
    if key == "month" and isinstance(value, str) and value.strip().lower().rstrip(".") in MONTHS:
        return MONTHS[value.strip().lower().rstrip(".")]
    return f"{clip(str(value))} is not a {'month' if key == 'month' else 'number'}"


def slide_date(obj: Any, name: str, problems: list[tuple[str, str]], notes: _Notes, label: str) -> EdtfDate | None:
    """A TimelineJS date object → our date by precision (year 602 → "0602", −509 → "-0508");
    None if empty or invalid."""
    if obj is None or obj == "":
        return None
    if not isinstance(obj, dict):
        problems.append((name, f"expected a date object with a year, got {clip(json.dumps(obj))}"))
        return None
    parts: dict[str, int | None] = {}
    ok = True
    for key in ("year", "month", "day"):
        got = _part(obj.get(key), key)
        if isinstance(got, str):
            problems.append((f"{name}.{key}", got))
            ok = False
        else:
            parts[key] = got
    if any(_part(obj.get(k)) is not None for k in _TIME_PARTS) or str(obj.get("time") or "").strip():
        notes.count("time of day dropped: our dates stop at the day", label)
    if str(obj.get("display_date") or "").strip():
        notes.count(f"{name}.display_date dropped: dates are shown from their value", label)
    if not ok:
        return None
    year, month, day = parts["year"], parts["month"], parts["day"]
    if year is None:
        if month is not None or day is not None:
            problems.append((f"{name}.year", "a date with a month or day needs a year"))
        return None
    if year == 0:
        notes.count("year 0 (TimelineJS counts no year 0) read as 1 BCE", label)
    if abs(from_historical(year)) >= MAX_LONG_YEAR:
        problems.append((f"{name}.year", f"year {year} is beyond ±{MAX_LONG_YEAR:,}, which this program cannot show"))
        return None
    year = from_historical(year)
    if abs(year) > MAX_YEAR and (month is not None or day is not None):
        notes.count("month and day of a year beyond ±9999 dropped: such years have year precision", label)
        month = day = None
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


def _host(url: str) -> str:
    return (urlsplit(url).hostname or url).removeprefix("www.")


def _url_title(url: str) -> str:
    """A readable name for a page known only by its address: "Roman-Persian Wars (en.wikipedia.org)"
    for an article-like path, else the host ("youtube.com")."""
    parts = urlsplit(url)
    host = _host(url)
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
    sources: dict[str, Source] = field(default_factory=dict)  # by title: one source per credit name
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
        return one_line(html_to_text(text.get("headline"))), html_to_text(text.get("text"))

    def title(self, slide: Slide | None) -> tuple[str, str]:
        if slide is None or not isinstance(slide.data, dict):
            return self.fallback_title, ""
        headline, body = self._text(slide)
        media = slide.data.get("media")
        if isinstance(media, dict):
            for key, value in media.items():
                if str(value or "").strip():
                    self.notes.count(f"title media.{key} dropped: the title slide has no event to keep it", slide.label)
        background = slide.data.get("background")
        if isinstance(background, dict) and any(str(v or "").strip() for v in background.values()):
            self.notes.count("title background dropped", slide.label)
        return headline or self.fallback_title, body

    def actor(self, group: Any, timeline_title: str) -> str:
        # As TimelineJS shows a group: its markup stripped to text, and that text shown as HTML.
        name = one_line(html_to_text(html_to_text(group))) if isinstance(group, str) else ""
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

    def source(self, title: str, url: str | None) -> tuple[Source, str | None]:
        """The source named ``title`` (made on first use, the URL's host as publisher), and the
        URL when it differs from the source's own (kept as the excerpt's locator)."""
        source = self.sources.get(title)
        if source is None:
            source = Source(id=self.source_ids.claim(None, title, "source"), title=title, url=url,
                            publisher=_host(url) if url else None)  # fmt: skip
            self.sources[title] = source
            return source, None
        if url and source.url is None:
            source = source.model_copy(update={"url": url, "publisher": source.publisher or _host(url)})
            self.sources[title] = source
            return source, None
        return source, url if url and url != source.url else None

    def media(self, slide: Slide, summary: str) -> tuple[list[Excerpt], str]:
        media = slide.data.get("media")
        if not isinstance(media, dict):
            return [], summary
        raw_url = media.get("url") if isinstance(media.get("url"), str) else ""
        url = raw_url.strip()
        raw_credit = media.get("credit")
        credit = one_line(html_to_text(raw_credit))
        quote = html_to_text(media.get("caption"))
        locator = None
        links = all_links(raw_credit)
        if HTTP_URL.match(credit):  # a credit that is a bare address
            links = [credit, *links]
            credit = ""
        link = url if HTTP_URL.match(url) else (links[0] if links else None)
        if url.lower().startswith("<blockquote"):
            # An embedded quotation: the quote is the blockquote, its <cite> says who; a caption
            # beside it says where (our export writes the excerpt's locator there).
            cite = _CITE.search(url)
            locator = one_line(quote) or None
            quote = html_to_text(_CITE.sub("", url))
            credit = credit or (one_line(html_to_text(cite.group(1))) if cite else "")
        elif url and not HTTP_URL.match(url):
            self.notes.count("media.url dropped: not an http(s) address", slide.label)
        for key in ("thumbnail", "thumb"):
            if str(media.get(key) or "").strip():
                self.notes.count(f"media.{key} dropped", slide.label)
        for key in ("alt", "title"):
            if str(media.get(key) or "").strip():
                self.notes.count(f"media.{key} dropped", slide.label)
        extra = [x for x in [*links, media.get("link")] if isinstance(x, str) and HTTP_URL.match(x.strip())]
        extra = [x.strip() for x in dict.fromkeys(extra) if x.strip() != link]
        named = dict(anchors(raw_credit))
        title = credit or (_url_title(link) if link else "")
        if len(named) > 1 and link in named and named[link]:
            title = named[link]  # several links in one credit: each source by its own link's text
        excerpts: list[Excerpt] = []
        if title:
            source, other = self.source(title, link)
            if other is not None:
                locator = f"{locator}, {other}" if locator else other
            if not quote:  # the source stays with its event: the credit (or address) is what it says
                self.notes.count("media without a caption: its credit or address is the excerpt's text", slide.label)
                locator = locator or "media"
            excerpts.append(Excerpt(source=source.id, quote=quote or credit or link or title, locator=locator))
        elif quote:
            self.notes.count("media caption without a credit or address: kept in the summary", slide.label)
            summary = f"{summary}\n\n{quote}" if summary else quote
        for address in extra:  # media.link and further links in the credit: sources of their own
            source, other = self.source(named.get(address) or _url_title(address), address)
            where = "media.link" if address == media.get("link") else "a link in the media credit"
            where = f"{where}: {other}" if other else where  # a source met before keeps its own URL
            excerpts.append(Excerpt(source=source.id, quote=quote or credit or address, locator=where))
        return excerpts, summary

    def _dates(self, slide: Slide, what: str) -> tuple[EdtfDate | None, EdtfDate | None, list[tuple[str, str]]] | None:
        """A slide's start and end and the problems in them; None (reported) when it is not an object."""
        if not isinstance(slide.data, dict):
            self.problems.append((slide.origin, "", f"expected an object ({what}): {SKIPPED}"))
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
        if found and start is not None and all(f.startswith("end_date") for f, _ in found):
            for f, m in found:  # a bad end: the event keeps its start
                self.problems.append((slide.origin, f, f"{m}: the end was dropped"))
            found = []
            end = None
        self.problems.extend((slide.origin, f, f"{m}: {SKIPPED}") for f, m in found)
        if found or start is None:
            return None
        if end is not None and _ends_before(start, end):
            self.notes.count("end_date before start_date: the end was dropped", slide.label)
            end = None
        headline, summary = self._text(slide)
        title = headline or (_short_title(summary) if summary else "Untitled")
        excerpts, summary = self.media(slide, summary)
        for key in slide.data.get("_extra") or ():  # TimelineJS 2 fields with no TimelineJS 3 meaning
            self.notes.count(f"{key!r} dropped: not a TimelineJS field", slide.label)
        if str(slide.data.get("display_date") or "").strip():
            self.notes.count("display_date dropped: dates are shown from their value", slide.label)
        for key, what in (("background", "background"), ("location", "map location")):
            value = slide.data.get(key)
            if isinstance(value, dict) and any(v not in (None, "") for v in value.values()):
                self.notes.count(f"{what} dropped", slide.label)
        for key in slide.data:
            if key not in _SLIDE_KEYS:
                self.notes.count(f"{key!r} dropped: not a TimelineJS slide field", slide.label)
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
        if not found and start is not None and end is not None and _ends_before(start, end):
            found.append(("end_date", f"the era ends ({end}) before it starts ({start})"))
        self.problems.extend((slide.origin, f, f"{m}: the era was skipped") for f, m in found)
        if found or start is None or end is None:
            return None
        headline, _ = self._text(slide)
        title = headline or f"Era {index + 1}"
        return Era(id=self.era_ids.claim(None, title, "era"), title=title, start=start.to_edtf(), end=end.to_edtf())


def _ends_before(start: EdtfDate, end: EdtfDate) -> bool:
    """The same test as the loader's: the end's whole period is over before the start's begins."""
    return end.interval()[1] <= start.interval()[0]


def timeline_from_slides(slides: Slides, fallback_title: str) -> tuple[Timeline | None, list[str], list[Problem]]:
    """Our timeline from TimelineJS slides, the warnings, and the problems met (each slide with
    one was skipped). The timeline is None when no slide is a readable event and there were
    problems: then nothing in the file could be used, and the problems are its errors."""
    b = _Builder(fallback_title=fallback_title or "Untitled timeline")
    b.problems.extend(slides.problems)
    title, description = b.title(slides.title)
    events = [e for e in (b.event(s, title) for s in slides.events) if e is not None]
    eras = [e for e in (b.era(s, i) for i, s in enumerate(slides.eras)) if e is not None]
    if b.problems and not events:
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
    return timeline, b.notes.result(), b.problems


# ---------------------------------------------------------------------------------------------
# Files


def duplicate_key_warnings(text: str) -> list[str]:
    """A key repeated in one JSON object, located: the value kept is the last, as browsers do."""
    out = []
    for path, at, first in find_duplicate_keys(text)[:200]:
        line, col = line_col(text, at)
        fl, fc = line_col(text, first)
        out.append(f"line {line}, column {col}: {format_path(path)}: key {clip(str(path[-1]))} appears twice in "
                   f"one object (first at line {fl}, column {fc}): the last value was used")  # fmt: skip
    return out


def loads_timelinejs(text: str, name: str = "<string>", data: Any = None) -> tuple[Timeline, list[str]]:
    """A TimelineJS JSON document's text → our timeline and warnings (skipped slides located);
    TimelineLoadError when no slide is a readable event."""
    if data is None:
        data = parse_json(text, name)
    timeline, warnings, problems = timeline_from_slides(slides_from_json(data), Path(name).stem)
    located = located_error(name, text, [(json_field_path(o, f), m, False) for o, f, m in problems])
    if timeline is None:
        raise located
    skipped = [f"line {i.line}, column {i.col}: {i.path}: {i.message}" for i in located.issues]
    return timeline, [*duplicate_key_warnings(text), *skipped, *warnings]


def read_timelinejs(path: str | Path) -> tuple[Timeline, list[str]]:
    return loads_timelinejs(read_text(path), str(path))
