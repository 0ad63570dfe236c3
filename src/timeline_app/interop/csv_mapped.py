"""Other people's spreadsheets: a CSV whose header is neither ours nor TimelineJS's
(``start,end,label,group``, ``date,title,description``) is read by recognising common column
names, or by a mapping the user gives (``convert --column start=Begun``).

Dates are read as spreadsheets write them: ISO (``2014-04-20``, a time of day is dropped), a
year, ``March 1990``, ``1 March 1990``, ``March 1, 1990``, ``509 BC``, and ``20/04/2014`` when
the day cannot be mistaken for the month (else the row is reported: say which comes first with
``day_first``). A row that cannot be read is skipped with a located warning.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.dates import EdtfDate, days_in_month, parse_date
from ..core.errors import Issue, TimelineLoadError, clip
from ..core.models import Actor, Event, Excerpt, Source, Timeline
from .csv_records import Record, header_key
from .htmltext import HTTP_URL, one_line
from .ids import IdAllocator, is_valid_id
from .timelinejs import MONTHS, _host, _url_title
from .years import from_historical

__all__ = ["FIELDS", "SYNONYMS", "Preview", "preview", "read_mapped", "recognise"]

# Our field → the column names people use for it, most specific first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id", "uid", "key", "identifier", "event id"),
    "title": ("title", "label", "name", "event", "headline", "event name", "subject", "content", "what"),
    "start": ("start", "start date", "start_date", "startdate", "begin", "begins", "from", "date", "when",
              "start time", "year"),
    "end": ("end", "end date", "end_date", "enddate", "finish", "to", "until", "end time", "end year"),
    "actors": ("actors", "actor", "group", "groups", "category", "categories", "lane", "track", "who", "people",
               "person", "team", "party"),
    "tags": ("tags", "tag", "keywords", "labels", "type"),
    "summary": ("summary", "description", "text", "details", "notes", "note", "body", "comment", "comments"),
    "quote": ("quote", "excerpt", "quotation"),
    "source": ("source", "credit", "reference", "citation", "publisher", "media credit"),
    "url": ("url", "link", "href", "source url", "website", "web", "media"),
}  # fmt: skip
FIELDS = tuple(SYNONYMS)
_ISO = re.compile(
    r"^(-?[0-9]{1,4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?"  # ASCII digits only: int() would read "٢٠٠١" too
    r"(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?\s*(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?$"
)
_SLASHED = re.compile(r"^([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4})$")
_WORDS = re.compile(
    r"^(?:([0-9]{1,2})\s+)?([A-Za-z]+)\.?,?\s+(?:([0-9]{1,2}),?\s+)?([0-9]{1,4})(?:\s*(BCE?|CE|AD|B\.C\.|A\.D\.))?$"
)
_ERA_YEAR = re.compile(r"^([0-9]{1,4})\s*(BCE?|CE|AD|B\.C\.|A\.D\.)$", re.IGNORECASE)


def recognise(cells: Sequence[str], given: Mapping[str, str] | None = None) -> dict[str, int]:
    """Our field → column index, from the user's mapping first, then from common names."""
    keys = [header_key(c) for c in cells]
    out: dict[str, int] = {}
    for fld, column in (given or {}).items():
        if header_key(column) in keys:
            out[fld] = keys.index(header_key(column))
    taken = set(out.values())
    for fld, names in SYNONYMS.items():
        if fld in out:
            continue
        for name in names:
            if name in keys and keys.index(name) not in taken:
                out[fld] = keys.index(name)
                taken.add(out[fld])
                break
    return out


@dataclass(frozen=True)
class Preview:
    """What a column-mapping dialog shows: the header, the first rows, and the columns recognised."""

    header: list[str]
    rows: list[list[str]]
    recognised: dict[str, str]  # our field → the file's column name


def preview(path: str | Path, limit: int = 8) -> Preview:
    """The start of a spreadsheet, read as every CSV is (encodings, separators, broken quotes)."""
    from ..core.loading import read_bytes
    from .csv_records import decode_csv, read_records

    name = str(path)
    text, _ = decode_csv(read_bytes(path, "CSV file"), name)
    records = read_records(text, name, []) if text.strip() else []
    if not records:
        raise TimelineLoadError.whole_file(name, "the file is empty: a spreadsheet starts with a header row")
    header = [c.strip() for c in records[0].cells]
    found = recognise(header)
    rows = [r.cells for r in records[1:] if not r.blank][:limit]
    return Preview(header, rows, {f: header[i] for f, i in found.items()})


def _day(year: int, month: int | None, day: int | None) -> EdtfDate:
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month {month} does not exist")
    if day is not None and (month is None or not 1 <= day <= days_in_month(year, month)):
        raise ValueError(f"day {day} does not exist in {year}-{month}")
    return EdtfDate(year, month, day)


def loose_date(text: str, *, day_first: bool | None = None) -> tuple[EdtfDate, bool]:
    """A date as spreadsheets write it → ours, and whether a time of day was dropped."""
    value = text.strip()
    try:
        return parse_date(value), False  # ours, with qualifiers
    except ValueError:
        pass
    if (m := _ISO.match(value)) is not None:
        return _day(int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None), "T" in value or ":" in value
    if (m := _ERA_YEAR.match(value)) is not None:
        year = int(m[1])
        return EdtfDate(from_historical(-year) if m[2].upper().startswith("B") else year), False
    if (m := _SLASHED.match(value)) is not None:
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        if day_first is None and a <= 12 and b <= 12 and a != b:
            raise ValueError(
                f"{clip(value)} is ambiguous (day/month or month/day?): write it as YYYY-MM-DD, "
                "or say --day-first or --month-first"
            )
        first_is_day = day_first if day_first is not None else a > 12
        return _day(year, b if first_is_day else a, a if first_is_day else b), False
    if (m := _WORDS.match(value)) is not None and m[2].lower().rstrip(".") in MONTHS:
        month = MONTHS[m[2].lower().rstrip(".")]
        day = int(m[1] or m[3]) if (m[1] or m[3]) else None
        year = int(m[4])
        if m[5] and m[5].upper().startswith("B"):
            year = from_historical(-year)
        return _day(year, month, day), False
    raise ValueError(f"{clip(value)} is not a date we can read (YYYY-MM-DD, YYYY, 'March 1990', '509 BC')")


@dataclass
class _Mapped:
    name: str
    columns: dict[str, int]
    day_first: bool | None

    def __post_init__(self) -> None:
        self.notes: Counter[str] = Counter()
        self.skipped: list[Issue] = []
        self.actors: dict[str, Actor] = {}
        self.sources: dict[str, Source] = {}
        self.ids = {k: IdAllocator() for k in ("actor", "source", "event")}

    def cell(self, rec: Record, fld: str) -> str:
        i = self.columns.get(fld)
        return rec.cells[i].strip() if i is not None and i < len(rec.cells) else ""

    def skip(self, rec: Record, fld: str, why: str) -> None:
        i = self.columns.get(fld, 0)
        self.skipped.append(
            Issue(f"row {rec.row}, column {fld!r}", f"{why}: the row was skipped", rec.line_of(i), i + 1)
        )

    def actor(self, name: str, fallback: str) -> str:
        if name not in self.actors:
            if name:
                self.actors[name] = Actor(id=self.ids["actor"].claim(None, name, "actor"), name=name)
            else:
                self.actors[name] = Actor(id=self.ids["actor"].claim("general"), name=fallback,
                                          description="Rows with no group.")  # fmt: skip
        return self.actors[name].id

    def source(self, title: str, url: str | None) -> Source:
        key = title or url or ""
        if key not in self.sources:
            shown = title or _url_title(url or "")
            self.sources[key] = Source(id=self.ids["source"].claim(None, shown, "source"), title=shown, url=url,
                                       publisher=_host(url) if url else None)  # fmt: skip
        return self.sources[key]

    def row(self, rec: Record, fallback: str) -> Event | None:
        title = one_line(self.cell(rec, "title"))
        raw_start = self.cell(rec, "start")
        if not raw_start:
            self.skip(rec, "start", "no start date")
            return None
        try:
            start, timed = loose_date(raw_start, day_first=self.day_first)
        except ValueError as exc:
            self.skip(rec, "start", str(exc))
            return None
        end = None
        if raw_end := self.cell(rec, "end"):
            try:
                end, timed_end = loose_date(raw_end, day_first=self.day_first)
                timed = timed or timed_end
            except ValueError as exc:
                self.skipped.append(Issue(f"row {rec.row}, column 'end'", f"{exc}: the end was dropped",
                                          rec.line_of(self.columns["end"]), self.columns["end"] + 1))  # fmt: skip
        if end is not None and end.interval()[1] <= start.interval()[0]:
            self.notes["an end before its start: the end was dropped"] += 1
            end = None
        if timed:
            self.notes["time of day dropped: our dates stop at the day"] += 1
        summary = self.cell(rec, "summary")
        if not title:
            title = (summary.split("\n", 1)[0][:80] or "Untitled").strip()
        names = [one_line(n) for n in re.split(r"[;|]", self.cell(rec, "actors")) if n.strip()]
        url = self.cell(rec, "url")
        if url and not HTTP_URL.match(url):
            self.notes["url dropped: not an http(s) address"] += 1
            url = ""
        source_name, quote = one_line(self.cell(rec, "source")), self.cell(rec, "quote")
        excerpts = []
        if source_name or url:
            source = self.source(source_name, url or None)
            excerpts.append(Excerpt(source=source.id, quote=quote or source_name or url,
                                    locator=None if quote else "the spreadsheet's source column"))  # fmt: skip
        elif quote:
            self.notes["quote without a source or url: kept in the summary"] += 1
            summary = f"{summary}\n\n{quote}" if summary else quote
        wanted = self.cell(rec, "id")
        ident = self.ids["event"].claim(wanted if is_valid_id(wanted) else None, title, "event")
        return Event(id=ident, title=title, start=start.to_edtf(), end=end.to_edtf() if end else None,
                     actors=list(dict.fromkeys(self.actor(n, fallback) for n in names)) or [self.actor("", fallback)],
                     tags=[t.strip() for t in re.split(r"[;|]", self.cell(rec, "tags")) if t.strip()],
                     summary=summary, excerpts=excerpts)  # fmt: skip


def read_mapped(
    header: Record,
    rows: Sequence[Record],
    name: str,
    title: str,
    columns: dict[str, int],
    *,
    day_first: bool | None = None,
) -> tuple[Timeline, list[str]]:
    """Rows of a spreadsheet whose columns were recognised (or mapped) → our timeline and warnings."""
    reader = _Mapped(name, columns, day_first)
    used = set(columns.values())
    warnings = [f"column {clip(c.strip())} was not recognised: ignored (map it with --column FIELD={c.strip()})"
                for i, c in enumerate(header.cells) if c.strip() and i not in used]  # fmt: skip
    named = ", ".join(f"{f}={header.cells[i].strip()!r}" for f, i in sorted(columns.items(), key=lambda x: x[1]))
    warnings.insert(0, f"not our spreadsheet layout nor TimelineJS's: columns read as {named}")
    events = [e for e in (reader.row(r, title) for r in rows if not r.blank) if e is not None]
    if not events:
        raise TimelineLoadError(name, reader.skipped or [Issue("row 1", "no row is a readable event", 1, 1)])
    timeline = Timeline(schema_version=1, title=title, actors=list(reader.actors.values()),
                        sources=list(reader.sources.values()), events=events)  # fmt: skip
    located = sorted(reader.skipped, key=lambda i: (i.line or 0, i.col or 0))
    warnings += [f"line {i.line}, column {i.col}: {i.path}: {i.message}" for i in located]
    warnings += [f"{what} ({n}×)" if n > 1 else what for what, n in reader.notes.items()]
    return timeline, warnings
