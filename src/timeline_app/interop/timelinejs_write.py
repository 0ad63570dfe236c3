"""Our timeline as a TimelineJS3 document that TimelineJS can show.

Each event's first excerpt becomes the slide's media as a ``<blockquote>`` (TimelineJS renders a
media "url" that is a blockquote as the quotation itself), credited to its source with a link to
it: a media block with an empty url, as written before, is dropped by TimelineJS and the evidence
with it. Years go out in TimelineJS's historical numbering (see years.py).
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from ..core.atomic import atomic_write_text
from ..core.dates import EdtfDate
from ..core.models import Excerpt, Source, Timeline
from .htmltext import HTTP_URL, escape_inline, text_to_html
from .years import to_historical

__all__ = ["dumps_timelinejs", "to_timelinejs", "write_timelinejs"]


def _date_obj(date: EdtfDate) -> dict[str, Any]:
    obj: dict[str, Any] = {"year": to_historical(date.year)}
    if date.month is not None:
        obj["month"] = date.month
        if date.day is not None:
            obj["day"] = date.day
    if date.qualified:
        obj["display_date"] = date.format()
    return obj


# TimelineJS's "human" scale uses JavaScript dates, which stop about 271,800 years from 1970.
HUMAN_SCALE_YEARS = 270_000


def _cosmological(timeline: Timeline) -> bool:
    """Whether TimelineJS needs its cosmological scale (years as plain numbers) for these dates."""
    dates = [d for e in timeline.events for d in (e.start_date, e.end_date) if d is not None]
    dates += [d for e in timeline.eras for d in (e.start_date, e.end_date)]
    return any(abs(d.year) > HUMAN_SCALE_YEARS for d in dates)


# TimelineJS picks a media's kind by matching its url against a list of patterns and takes the first
# that matches (src/js/media/MediaType.js); "blockquote" comes late, and some earlier patterns match
# anywhere in the text: a quote naming "report.pdf", "documentcloud.org/x", "imgur.com/x", a Google
# Maps address, "spotify", "iframe" or "a png?" became a PDF, DocumentCloud, … embed and the quote
# was lost (seen rendering it). One character of each such spot is written as a character reference,
# which reads the same once rendered (and when we read the file back) but no longer matches.
_MEDIA_TRIGGERS = re.compile(
    r"\.(?=pdf)|(?<=documentcloud\.org)/|(?i:(?<=imgur.com)/)|/(?=maps/)|s(?=potify)|i(?=frame)"
    r"|(?i:(?<=jpg|png|gif|svg)|(?<=jpeg|webp))\?"
)


def _quote_html(quote: str) -> str:
    """A quote as the url of blockquote media: escaped, ``<br>`` per line, no other media kind's trigger."""
    lines = (_MEDIA_TRIGGERS.sub(lambda m: f"&#{ord(m[0])};", html.escape(line)) for line in quote.split("\n"))
    return "<blockquote>" + "<br>".join(lines) + "</blockquote>"


def _group_html(name: str) -> str:
    """A group name escaped twice: TimelineJS strips a group's markup to text (decoding it once) and
    then shows that text as HTML, so "Rome & <Senate>" escaped once showed as "Rome &"."""
    return html.escape(escape_inline(name))


def _media(ex: Excerpt, source: Source | None) -> dict[str, str]:
    """The excerpt as TimelineJS shows a quotation: blockquote media, credited (and linked) to its source."""
    credit = escape_inline(source.title) if source else ""
    if source is not None and source.url and HTTP_URL.match(source.url):
        credit = f'<a href="{html.escape(source.url, quote=True)}">{credit}</a>'
    media = {"url": _quote_html(ex.quote), "credit": credit}
    if ex.locator:
        media["caption"] = escape_inline(ex.locator)
    return media


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
        slide["group"] = _group_html(actor.name if actor else ev.actors[0])
        if ev.excerpts:
            ex = ev.excerpts[0]
            slide["media"] = _media(ex, timeline.source_by_id.get(ex.source))
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
        **({"scale": "cosmological"} if _cosmological(timeline) else {}),
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
        lost["source details (author, publisher, published, kind, origin, note)"] += bool(
            s.author or s.publisher or s.published or s.kind or s.origin or s.note
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
