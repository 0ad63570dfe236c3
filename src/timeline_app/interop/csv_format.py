"""Spreadsheets as CSV: our own layout both ways, and TimelineJS's Google-Sheets layout on import.

Ours is one row per event, ``id,title,start,end,actors,tags,summary,source,quote,url``, lists
separated by ``;``; an event with several excerpts repeats its id on further rows that carry only
``source``, ``quote`` and ``url``. The TimelineJS layout (``Year, Month, Day, … Headline, Text,
Media …``) is recognised by its header and converted through the TimelineJS mapping.

Reading accepts what spreadsheets write: a UTF-8 BOM, UTF-16 with a BOM (Excel's "Unicode text"),
Windows-1252 when the bytes are not UTF-8 (with a warning), ``;`` or tab as the separator when the
header has no comma, quoted fields with line breaks and doubled quotes. Every bad cell is reported
at once, as ``row N, column 'name'`` with its physical line and column number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..core.atomic import atomic_write_bytes
from ..core.dates import DateError, parse_date
from ..core.errors import Issue, TimelineLoadError, clip
from ..core.loading import read_bytes
from ..core.models import Actor, Event, Excerpt, Source, Timeline
from .csv_records import Record, decode_csv, header_key, read_records
from .htmltext import HTTP_URL
from .ids import IdAllocator, is_valid_id
from .timelinejs import Problem, Slide, Slides, timeline_from_slides

_whole_file = TimelineLoadError.whole_file

COLUMNS = ("id", "title", "start", "end", "actors", "tags", "summary", "source", "quote", "url")
# Written by us after the others, so that ids round-trip; optional on reading.
ID_COLUMNS = ("actor_ids", "source_id")
EVENT_COLUMNS = ("title", "start", "end", "actors", "tags", "summary")
EXCERPT_COLUMNS = ("source", "quote", "url")
LIST_SEPARATOR = ";"
SHEET_COLUMNS = ("Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
                 "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group",
                 "Background")  # fmt: skip
# Where a TimelineJS field lives in the sheet, for locating problems.
_SHEET_FIELD_COLUMN = {
    "start_date": "Year", "start_date.year": "Year", "start_date.month": "Month", "start_date.day": "Day",
    "end_date": "End Year", "end_date.year": "End Year", "end_date.month": "End Month", "end_date.day": "End Day",
    "text.headline": "Headline", "text.text": "Text",
}  # fmt: skip
# Cells a spreadsheet would run as a formula; written with one more leading ' and read back without it.
_FORMULA = re.compile(r"^'*[=+\-@]")
_TEXT_COLUMNS = frozenset({"title", "actors", "tags", "summary", "source", "quote"})


def is_sheet_header(cells: Sequence[str]) -> bool:
    keys = {header_key(c) for c in cells}
    return "year" in keys and "headline" in keys


# ---------------------------------------------------------------------------------------------
# Reading


def needs_mapping(cells: Sequence[str]) -> bool:
    """Whether a header is none we can read by itself (ours, TimelineJS's sheet, or common names
    giving a start and a title or text): only a mapping by hand can read the file."""
    from .csv_mapped import recognise

    found = recognise(cells)
    if {"title", "start", "actors"} <= {header_key(c) for c in cells} or is_sheet_header(cells):
        return False
    return "start" not in found or not {"title", "summary"} & set(found)


def loads_csv(
    data: bytes | str,
    name: str = "<string>",
    title: str | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    day_first: bool | None = None,
) -> tuple[Timeline, list[str]]:
    """A CSV file's content → our timeline and warnings; TimelineLoadError when no row is readable.

    ``columns`` maps our fields to the file's column names (``{"start": "Begun"}``), for a
    spreadsheet of another layout; without it, common column names are recognised.
    """
    from .csv_mapped import read_mapped, recognise

    warnings: list[str] = []
    if isinstance(data, bytes):
        text, warnings = decode_csv(data, name)
    else:
        text = data.removeprefix("\ufeff")
    if not text.strip():
        raise _whole_file(name, "the file is empty; a CSV timeline starts with a header row: " + ",".join(COLUMNS))
    records = read_records(text, name, warnings)
    header, rows = records[0], records[1:]
    fallback = title or Path(name).stem or "Imported timeline"
    keys = {header_key(c) for c in header.cells}
    mapped = recognise(header.cells, columns)
    if columns:
        unknown = [f for f, c in columns.items() if f not in mapped]
        if unknown:
            names = ", ".join(f"{f}={columns[f]!r}" for f in unknown)
            raise _whole_file(name, f"--column {names}: no such column in the header ({', '.join(header.cells)})")
        timeline, more = read_mapped(header, rows, name, fallback, mapped, day_first=day_first)
    elif is_sheet_header(header.cells):
        timeline, more = _read_sheet(header, rows, name, fallback)
    elif {"title", "start", "actors"} <= keys or "start" not in mapped or not {"title", "summary"} & set(mapped):
        timeline, more = _read_ours(header, rows, name, fallback)
    else:
        timeline, more = read_mapped(header, rows, name, fallback, mapped, day_first=day_first)
    return timeline, warnings + more


def read_csv(
    path: str | Path, *, columns: Mapping[str, str] | None = None, day_first: bool | None = None
) -> tuple[Timeline, list[str]]:
    return loads_csv(read_bytes(path, "CSV file"), str(path), columns=columns, day_first=day_first)


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(LIST_SEPARATOR) if p.strip()]


def _unformula(value: str) -> str:
    return value[1:] if value.startswith("'") and _FORMULA.match(value) else value


@dataclass
class _Draft:
    """An event being read: its first row's values, and its excerpts from all its rows."""

    ident: str
    record: Record
    values: dict[str, Any]
    excerpts: list[tuple[str, str]] = field(default_factory=list)  # (source id, quote)


class _OurReader:
    def __init__(self, header: Record, name: str) -> None:
        self.name = name
        self.issues: list[Issue] = []
        self.warnings: list[str] = []
        self.col: dict[str, int] = {}
        self.actors: dict[str, Actor] = {}  # by id
        self.sources: dict[str, Source] = {}  # by id
        self.actor_ids = IdAllocator()
        self.source_ids = IdAllocator()
        self.event_ids = IdAllocator()
        self.drafts: dict[str, _Draft] = {}
        self.failed: set[str] = set()  # ids whose first row was bad: their other rows add nothing
        self.skipped_rows: set[int] = set()
        self.effects: dict[str, str] = {}  # issue path -> what was done, when not the row's default
        self.width = len(header.cells)
        self._read_header(header)

    def issue(self, rec: Record, column: str, message: str) -> None:
        index = self.col.get(column, 0)
        self.issues.append(Issue(f"row {rec.row}, column '{column}'", message, rec.line_of(index), index + 1))

    def _read_header(self, header: Record) -> None:
        for i, cell in enumerate(header.cells):
            key = header_key(cell)
            if key in self.col:
                self.issues.append(Issue(f"row 1, column '{key}'", f"column {key!r} appears twice", header.line, i + 1))
            elif key in COLUMNS or key in ID_COLUMNS:
                self.col[key] = i
            elif key:
                self.warnings.append(f"column {clip(cell.strip())} is not one of ours ({', '.join(COLUMNS)}): ignored")
        missing = [c for c in ("title", "start", "actors") if c not in self.col]
        if missing:
            msg = (
                f"the header row lacks {', '.join(repr(c) for c in missing)}: a timeline CSV has the columns "
                f"{','.join(COLUMNS)} (or TimelineJS's Year,Month,Day,…,Headline,Text,…)"
            )
            self.issues.append(Issue("row 1", msg, header.line, 1))

    def cell(self, rec: Record, column: str) -> str:
        index = self.col.get(column)
        if index is None or index >= len(rec.cells):
            return ""
        value = rec.cells[index].strip()
        return _unformula(value) if column in _TEXT_COLUMNS else value

    def read(self, rows: Sequence[Record]) -> None:
        if self.issues:
            return  # without a usable header every cell would be misread
        explicit = {self.cell(r, "id") for r in rows if is_valid_id(self.cell(r, "id"))}
        for ident in explicit:
            self.event_ids.claim(ident)
        previous: _Draft | None = None
        width = self.width
        for rec in rows:
            if rec.blank:
                continue
            extra = [i for i, c in enumerate(rec.cells) if i >= width and c.strip()]
            if extra:
                path = f"row {rec.row}, column {extra[0] + 1}"
                self.issues.append(Issue(path,
                                         f"this row has {len(rec.cells)} cells but the header has {width} columns "
                                         "(an unquoted comma inside a cell?)",
                                         rec.line_of(extra[0]), extra[0] + 1))  # fmt: skip
                self.effects[path] = "the cells from here on were ignored"
            previous = self._row(rec, previous)

    def _row(self, rec: Record, previous: _Draft | None) -> _Draft | None:
        ident = self.cell(rec, "id")
        values = {c: self.cell(rec, c) for c in EVENT_COLUMNS}
        has_event = any(values.values())
        if ident and not is_valid_id(ident):
            self.issue(rec, "id", f"{clip(ident)} is not a valid id: use letters, digits and _ . : - (no spaces)")
            return previous
        if ident in self.failed:
            return None
        if not ident and not has_event:
            if previous is None:
                self.issue(rec, "id", "this row has neither an id nor an event: it cannot add an excerpt to nothing")
                return None
            draft = previous  # an excerpt row under the event above
        elif ident in self.drafts:
            draft = self.drafts[ident]
            self._same_event(rec, draft, values)
        else:
            if not ident:
                ident = self.event_ids.claim(None, values["title"], "event")
            draft = _Draft(ident, rec, values)
            if self._event_ok(rec, values):
                self.drafts[ident] = draft
            else:
                self.failed.add(ident)
                self.skipped_rows.add(rec.row)
                self._excerpt(rec, draft)  # its cells are checked too: every problem at once
                return None
        if draft is not None:
            self._excerpt(rec, draft)
        return draft

    def _same_event(self, rec: Record, draft: _Draft, values: dict[str, str]) -> None:
        for column, value in values.items():
            first = draft.values[column]
            same = _split(value) == _split(first) if column in ("actors", "tags") else value == first
            if value and not same:
                self.issue(rec, column, f"{clip(value)} differs from row {draft.record.row} ({clip(first)}) for "
                           f"event {draft.ident!r}: a repeated id adds an excerpt; leave the event columns empty "
                           "or repeat them unchanged")  # fmt: skip

    def _event_ok(self, rec: Record, values: dict[str, str]) -> bool:
        before = len(self.issues)
        if not values["title"]:
            self.issue(rec, "title", "an event needs a title")
        start = end = None
        for column in ("start", "end"):
            value = values[column]
            if not value:
                continue
            try:
                parsed = parse_date(value)
            except DateError as exc:
                self.issue(rec, column, str(exc))
                continue
            if column == "start":
                start = parsed
            else:
                end = parsed
        if not values["start"]:
            self.issue(rec, "start", "an event needs a start date (YYYY, YYYY-MM or YYYY-MM-DD)")
        if start is not None and end is not None and end.interval()[1] <= start.interval()[0]:
            self.issue(rec, "end", f"end {values['end']} is before start {values['start']}")
        if not _split(values["actors"]):
            self.issue(rec, "actors", f"an event needs at least one actor (several: separate with {LIST_SEPARATOR!r})")
        return len(self.issues) == before

    def _excerpt(self, rec: Record, draft: _Draft) -> None:
        source_name, quote, url = (self.cell(rec, c) for c in EXCERPT_COLUMNS)
        if url and not HTTP_URL.match(url):
            self.issue(rec, "url", f"{clip(url)} is not an http(s) address: only http:// and https:// are allowed")
            url = ""
        if not source_name:
            if quote:
                self.issue(rec, "source", "a quote needs its source: a source id or title")
            elif url:
                self.issue(rec, "source", "an address (url) belongs to a source: name the source in this column")
            return
        source = self._source(source_name, self.cell(rec, "source_id"))
        if url:
            if source.url is None:
                source = source.model_copy(update={"url": url})
                self.sources[source.id] = source
            elif source.url != url:
                self.issue(rec, "url", f"source {source.title!r} already has the address {clip(source.url)}; "
                           "one source has one address (make a second source for this one)")  # fmt: skip
        if quote:
            draft.excerpts.append((source.id, quote))
        else:
            self.warnings.append(f"row {rec.row}: source {source.title!r} without a quote: "
                                 "the source is kept, no excerpt made")  # fmt: skip

    def _source(self, token: str, given: str = "") -> Source:
        if given and given in self.sources:
            return self.sources[given]
        # By title only: a made-up id ("a-b" for "a b") must not capture a source titled "a-b".
        for s in self.sources.values():
            if s.title == token and not given:
                return s
        wanted = given if is_valid_id(given) else token if is_valid_id(token) else None
        source = Source(id=self.source_ids.claim(wanted, token, "source"), title=token)
        self.sources[source.id] = source
        return source

    def _actor(self, token: str, given: str = "") -> str:
        if given and given in self.actors:
            return given
        for a in self.actors.values():
            if a.name == token and not given:
                return a.id
        wanted = given if is_valid_id(given) else token if is_valid_id(token) else None
        actor = Actor(id=self.actor_ids.claim(wanted, token, "actor"), name=token)
        self.actors[actor.id] = actor
        return actor.id

    def timeline(self, title: str) -> Timeline:
        events = []
        for draft in self.drafts.values():
            v = draft.values
            names, given = _split(v["actors"]), _split(self.cell(draft.record, "actor_ids"))
            pairs = zip(names, given if len(given) == len(names) else [""] * len(names), strict=True)
            events.append(Event(
                id=draft.ident, title=v["title"], start=v["start"], end=v["end"] or None,
                actors=list(dict.fromkeys(self._actor(a, i) for a, i in pairs)),
                tags=_split(v["tags"]), summary=v["summary"],
                excerpts=[Excerpt(source=s, quote=q) for s, q in draft.excerpts],
            ))  # fmt: skip
        return Timeline(
            schema_version=1,
            title=title,
            actors=list(self.actors.values()),
            sources=list(self.sources.values()),
            events=events,
        )


def _read_ours(header: Record, rows: Sequence[Record], name: str, title: str) -> tuple[Timeline, list[str]]:
    reader = _OurReader(header, name)
    reader.read(rows)
    if reader.issues and not reader.drafts:
        raise TimelineLoadError(name, reader.issues)  # nothing readable: the file is refused
    try:
        timeline = reader.timeline(title)
    except ValidationError as exc:  # a gap in the checks above: still a message, not a traceback
        raise _whole_file(name, f"cannot be converted: {exc.errors()[0]['msg']}") from None
    skipped = []
    for issue in reader.issues:
        row = int(issue.path.split(",")[0].split()[1])
        if row in reader.skipped_rows:
            effect = "the row was skipped"
        else:
            effect = reader.effects.get(issue.path, "the value was ignored")
        skipped.append(Issue(issue.path, f"{issue.message}: {effect}", issue.line, issue.col))
    return timeline, [*located_warnings(skipped), *reader.warnings]


@dataclass(frozen=True)
class _SheetOrigin:
    record: Record
    columns: dict[str, int]  # header key → index


def _read_sheet(header: Record, rows: Sequence[Record], name: str, title: str) -> tuple[Timeline, list[str]]:
    columns = {header_key(c): i for i, c in reversed(list(enumerate(header.cells)))}
    known = {c.lower() for c in SHEET_COLUMNS}
    warnings = [f"column {clip(c.strip())} is not a TimelineJS column: ignored"
                for c in header.cells if c.strip() and header_key(c) not in known]  # fmt: skip
    slides = Slides()
    for rec in rows:
        if rec.blank:
            continue

        def get(column: str, rec: Record = rec) -> str:
            i = columns.get(column.lower())
            return rec.cells[i] if i is not None and i < len(rec.cells) else ""

        data = {
            "start_date": {"year": get("Year"), "month": get("Month"), "day": get("Day"), "time": get("Time"),
                           "display_date": get("Display Date")},
            "end_date": {"year": get("End Year"), "month": get("End Month"), "day": get("End Day"),
                         "time": get("End Time")},
            "text": {"headline": get("Headline"), "text": get("Text")},
            "media": {"url": get("Media"), "credit": get("Media Credit"), "caption": get("Media Caption"),
                      "thumbnail": get("Media Thumbnail")},
            "group": get("Group"),
            "background": {"url": get("Background")},
        }  # fmt: skip
        slide = Slide(data, _SheetOrigin(rec, columns), f"row {rec.row}")
        kind = get("Type").strip().lower()
        if kind == "title":
            if slides.title is None:
                slides.title = slide
            else:
                warnings.append(f"row {rec.row}: a second Type=title row: read as an event")
                slides.events.append(slide)
        elif kind == "era":
            slides.eras.append(slide)
        else:
            if kind:
                shown = clip(get("Type").strip())
                warnings.append(f"row {rec.row}: Type {shown} is not title or era: read as an event")
            slides.events.append(slide)
    timeline, more, problems = timeline_from_slides(slides, title)
    if timeline is None:
        raise TimelineLoadError(name, _locate_sheet(problems))
    return timeline, [*located_warnings(_locate_sheet(problems)), *warnings, *more]


def located_warnings(issues: Sequence[Issue]) -> list[str]:
    """Problems that skipped a row (the rest imported), as warnings that say where."""
    ordered = sorted(issues, key=lambda i: (i.line or 0, i.col or 0))
    return [f"line {i.line or 1}, column {i.col or 1}: {i.path}: {i.message}" for i in ordered]


def _locate_sheet(problems: Sequence[Problem]) -> list[Issue]:
    issues = []
    for origin, fld, message in problems:
        if not isinstance(origin, _SheetOrigin):
            issues.append(Issue("$", message, 1, 1))
            continue
        column = _SHEET_FIELD_COLUMN.get(fld, "Year")
        index = origin.columns.get(column.lower(), 0)
        issues.append(Issue(f"row {origin.record.row}, column '{column}'", message,
                            origin.record.line_of(index), index + 1))  # fmt: skip
    return issues


# ---------------------------------------------------------------------------------------------
# Writing


def _formula_safe(value: str) -> str:
    return "'" + value if _FORMULA.match(value) else value


def to_csv(timeline: Timeline) -> tuple[str, list[str]]:
    """Our CSV layout (UTF-8 with BOM, CRLF records, so Excel opens it as UTF-8) and what it drops."""
    lost: list[str] = []
    actor_cell = _name_or_id({a.id: a.name for a in timeline.actors}, forbid=LIST_SEPARATOR)
    source_cell = _name_or_id({s.id: s.title for s in timeline.sources}, forbid="")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow((*COLUMNS, *ID_COLUMNS))
    for ev in timeline.events:
        rows = [(ex.source, ex.quote) for ex in ev.excerpts] or [(None, "")]
        for i, (source_id, quote) in enumerate(rows):
            source = timeline.source_by_id.get(source_id) if source_id else None
            excerpt = [source_cell.get(source_id, source_id) if source_id else "", quote, source.url or ""
                       if source else ""]  # fmt: skip
            ids = [LIST_SEPARATOR.join(ev.actors) if i == 0 else "", source_id or ""]
            if i == 0:
                first = [ev.title, ev.start, ev.end or "", LIST_SEPARATOR.join(actor_cell.get(a, a) for a in ev.actors),
                         LIST_SEPARATOR.join(ev.tags), ev.summary]  # fmt: skip
            else:
                first = [""] * len(EVENT_COLUMNS)
            row = [ev.id, *first, *excerpt]
            cells = [_formula_safe(v) if c in _TEXT_COLUMNS else v for c, v in zip(COLUMNS, row, strict=True)]
            writer.writerow([*cells, *ids])
    n_tags = sum(any(LIST_SEPARATOR in t or t != t.strip() for t in ev.tags) for ev in timeline.events)
    counts = {
        "the title and description (a re-import takes the title from the file name)": bool(
            timeline.title or timeline.description),
        "eras": len(timeline.eras),
        "discrepancies": sum(bool(e.discrepancies) for e in timeline.events),
        "links between events": sum(bool(e.links) for e in timeline.events),
        "excerpt locators": sum(x.locator is not None for e in timeline.events for x in e.excerpts),
        "actor colours and descriptions": sum(bool(a.color or a.description) for a in timeline.actors),
        "source details (author, publisher, published, kind, origin, note)": sum(
            bool(s.author or s.publisher or s.published or s.kind or s.origin or s.note) for s in timeline.sources),
        f"tags containing {LIST_SEPARATOR!r} or edge spaces (they split or trim on re-import)": n_tags,
    }  # fmt: skip
    for what, n in counts.items():
        if n:
            lost.append(f"CSV cannot hold {what}: dropped" + (f" on {n} items" if n > 1 else ""))
    return "\ufeff" + out.getvalue(), lost


def _name_or_id(names: dict[str, str], forbid: str) -> dict[str, str]:
    """Write a record by its name when that reads back to the same record, else by its id."""
    seen: dict[str, int] = {}
    for name in names.values():
        seen[name] = seen.get(name, 0) + 1
    ids = set(names)
    out = {}
    for ident, name in names.items():
        clean = name == name.strip() and (not forbid or forbid not in name)
        # A name that is another record's id would read back as that record.
        usable = clean and seen[name] == 1 and (name not in ids or name == ident)
        out[ident] = name if usable else ident
    return out


def write_csv(timeline: Timeline, path: str | Path) -> list[str]:
    text, warnings = to_csv(timeline)
    atomic_write_bytes(Path(path), text.encode("utf-8"))
    return warnings
