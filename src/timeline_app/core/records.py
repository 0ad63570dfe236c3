"""What a reader sees of one event or one source, read from the store the same way at every size.

The details panel, the story card, the sources panel, the export notes and File > Export Data all
read these records (``EventStore.event(i)``, ``EventStore.sources``), never the pydantic models:
the models are the document form (schema, error wording, interop), the store is the read model.
The records carry the document's field names, so a document can be rebuilt from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["DiscrepancyRecord", "EventRecord", "ExcerptRecord", "LinkRecord", "SourceRecord"]


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One row of the data set's source table, with the data's own id."""

    id: str
    title: str
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None  # EDTF, as in the data
    kind: str | None = None  # news, wire, reprint, official, … (optional in the data)
    origin: str | None = None  # what a wire copy or reprint copies: a source id or a name
    note: str | None = None  # its standing, in the curator's words

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> SourceRecord:
        return cls(**{k: obj.get(k) for k in _SOURCE_FIELDS})  # type: ignore[arg-type]

    def to_json(self) -> dict[str, Any]:
        """The document's source object (keys that are None left out)."""
        return {k: v for k in _SOURCE_FIELDS if (v := getattr(self, k)) is not None}


_SOURCE_FIELDS = tuple(SourceRecord.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class ExcerptRecord:
    source: str  # the source's id
    quote: str
    locator: str | None = None


@dataclass(frozen=True, slots=True)
class DiscrepancyRecord:
    claim: str
    correction: str
    field: str | None = None
    sources: tuple[str, ...] = ()  # source ids


@dataclass(frozen=True, slots=True)
class LinkRecord:
    to: str  # another event's id
    relation: str


@dataclass(frozen=True, slots=True)
class EventRecord:
    """Everything the data says about one event, as its details show it."""

    id: str
    title: str
    start: str  # EDTF, as in the data
    end: str | None
    date_text: str  # as a reader says it
    actors: tuple[str, ...]  # actor ids
    tags: tuple[str, ...]
    summary: str
    excerpts: tuple[ExcerptRecord, ...]
    discrepancies: tuple[DiscrepancyRecord, ...]
    links: tuple[LinkRecord, ...]

    def to_json(self) -> dict[str, Any]:
        """The document's event object (empty lists and absent ends left out)."""
        out: dict[str, Any] = {"id": self.id, "title": self.title, "start": self.start}
        if self.end is not None:
            out["end"] = self.end
        out["actors"] = list(self.actors)
        if self.tags:
            out["tags"] = list(self.tags)
        out["summary"] = self.summary
        if self.excerpts:
            out["excerpts"] = [
                {"source": x.source, "quote": x.quote, **({"locator": x.locator} if x.locator is not None else {})}
                for x in self.excerpts
            ]
        if self.discrepancies:
            out["discrepancies"] = [
                {
                    **({"field": d.field} if d.field is not None else {}),
                    "claim": d.claim,
                    "correction": d.correction,
                    **({"sources": list(d.sources)} if d.sources else {}),
                }
                for d in self.discrepancies
            ]
        if self.links:
            out["links"] = [{"to": k.to, "relation": k.relation} for k in self.links]
        return out
