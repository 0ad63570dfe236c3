"""The data format, version 1, as pydantic models: the single definition behind the loader,
the JSON Schema (``timeline-app schema``) and the docs."""

from __future__ import annotations

import json
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from . import rules
from .dates import EdtfDate, check_date, format_range, parse_date

SCHEMA_VERSION = 1

# Each constrained string has its own check (core/rules.py) so that a curator reads a sentence, not
# a regex; the JSON Schema (for editors) carries the rule's pattern.


def _check_version(value: Any) -> Any:
    # Python's True == 1 and 1.0 == 1: without this, "schema_version": true would pass.
    if type(value) is not int:
        shown = json.dumps(value) if isinstance(value, (bool, float, str)) or value is None else type(value).__name__
        raise ValueError(f"schema_version must be the number 1, not {shown if len(shown) <= 60 else shown[:60] + '…'}")
    return value


Id = Annotated[
    str,
    AfterValidator(rules.check_id),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": rules.searchable(rules.ID_PATTERN),
            "maxLength": rules.ID_MAX_LENGTH,
            "description": "A stable identifier: letters, digits and _ . : - (no spaces).",
        }
    ),
]
DateStr = Annotated[
    str,
    AfterValidator(check_date),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": rules.searchable(rules.DATE_PATTERN),
            "description": rules.DATE_DESCRIPTION,
            "examples": ["2001", "2018-08", "2011-05-02", "2001~", "-0044-03-15", "Y-13800000000"],
        }
    ),
]
Text = Annotated[
    str,
    AfterValidator(rules.check_text),
    WithJsonSchema({"type": "string", "minLength": 1, "pattern": rules.TEXT_PATTERN, "description": "Not blank."}),
]
Color = Annotated[
    str,
    AfterValidator(rules.check_color),
    WithJsonSchema(
        {"type": "string", "pattern": rules.searchable(rules.COLOR_PATTERN), "description": "A colour as #rrggbb."}
    ),
]
HttpUrl = Annotated[
    str,
    AfterValidator(rules.check_url),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": rules.searchable(rules.URL_PATTERN),
            "format": "uri",
            "description": "An http or https address; other schemes are refused.",
        }
    ),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Actor(_Model):
    """A party to events; each actor gets a lane in the view."""

    id: Id
    name: Text
    color: Color | None = None
    description: str | None = None


# What a source is, which says how much weight it carries: a reprint or a wire copy is not an
# independent witness of what it copies (core/corroboration.py).
SourceKind = Literal["news", "wire", "reprint", "official", "opinion", "encyclopedia", "social"]
SOURCE_KIND_LABELS: dict[str, str] = {
    "news": "news report",
    "wire": "wire copy",
    "reprint": "reprint",
    "official": "official statement or document",
    "opinion": "opinion or analysis",
    "encyclopedia": "encyclopedia or mirror",
    "social": "social media post",
}


class Source(_Model):
    """Where excerpts come from, and what standing it has."""

    id: Id
    title: Text
    author: str | None = None
    publisher: str | None = None
    url: HttpUrl | None = None
    published: DateStr | None = None
    kind: SourceKind | None = Field(
        None,
        description="What the source is: news (a news report), wire (wire-agency copy), reprint (of another "
        "source), official (an official statement or document), opinion (opinion or analysis), encyclopedia "
        "(an encyclopedia or a mirror of one), social (a social media post).",
    )
    origin: str | None = Field(
        None,
        description="What a wire copy or reprint copies: the id of another source, or the name of the agency or "
        "publisher (e.g. Reuters). Sources with the same origin count as one independent source.",
    )
    note: str | None = Field(None, description="Its standing: what a reader should know about this source.")


class Era(_Model):
    """A background period drawn as a band (e.g. the war in Afghanistan)."""

    id: Id
    title: Text
    start: DateStr
    end: DateStr
    color: Color | None = None

    @cached_property
    def start_date(self) -> EdtfDate:
        return parse_date(self.start)

    @cached_property
    def end_date(self) -> EdtfDate:
        return parse_date(self.end)

    def interval(self) -> tuple[float, float]:
        return self.start_date.interval()[0], self.end_date.interval()[1]


class Excerpt(_Model):
    """A verbatim quotation from a source: the evidence behind an event."""

    source: Id = Field(description="The id of an entry in `sources`.")
    quote: Text = Field(description="Copied exactly from the source, typos included.")
    locator: str | None = Field(None, description="Where in the source: page, paragraph, section.")


class Discrepancy(_Model):
    """Where a source is wrong or sources disagree: recorded, never silently fixed."""

    field: str | None = Field(None, description="The event field concerned (start, title, actors, ...).")
    claim: Text = Field(description="What the source claims.")
    correction: Text = Field(description="What the evidence shows.")
    sources: list[Id] = Field(default_factory=list, description="Ids of the sources that say so.")


class Link(_Model):
    to: Id = Field(description="The id of another event.")
    relation: Text = Field(description="How it relates, e.g. 'ends', 'responds to', 'context'.")


class Event(_Model):
    id: Id
    title: Text
    start: DateStr
    end: DateStr | None = None
    actors: list[Id] = Field(min_length=1, description="Ids of entries in `actors`.")
    tags: list[str] = Field(default_factory=list)
    summary: str = Field(description="A neutral summary of what happened.")
    excerpts: list[Excerpt] = Field(default_factory=list)
    discrepancies: list[Discrepancy] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)

    @cached_property
    def start_date(self) -> EdtfDate:
        return parse_date(self.start)

    @cached_property
    def end_date(self) -> EdtfDate | None:
        return parse_date(self.end) if self.end is not None else None

    @property
    def is_span(self) -> bool:
        return self.end is not None

    def interval(self) -> tuple[float, float]:
        """Days covered: from the start of ``start`` to the end of ``end`` (or of ``start``)."""
        s0, s1 = self.start_date.interval()
        end = self.end_date
        return (s0, end.interval()[1]) if end is not None else (s0, s1)

    def date_text(self, *, short: bool = False) -> str:
        return format_range(self.start_date, self.end_date, short=short)


class Timeline(_Model):
    """A whole data set."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_ref: str | None = Field(None, alias="$schema", description="The JSON Schema this file follows.")
    schema_version: Annotated[Literal[1], BeforeValidator(_check_version)] = Field(
        description="The format version; this program reads 1."
    )
    title: Text
    description: str = ""
    actors: list[Actor] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    eras: list[Era] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)

    @cached_property
    def actor_by_id(self) -> dict[str, Actor]:
        return {a.id: a for a in self.actors}

    @cached_property
    def source_by_id(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}

    @cached_property
    def event_by_id(self) -> dict[str, Event]:
        return {e.id: e for e in self.events}

    def span(self) -> tuple[float, float] | None:
        """Days covered by all events and eras, or None for an empty timeline."""
        intervals = [e.interval() for e in self.events] + [e.interval() for e in self.eras]
        if not intervals:
            return None
        return min(i[0] for i in intervals), max(i[1] for i in intervals)
