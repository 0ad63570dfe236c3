"""One citation style for the figure's notes, without Qt: author, title, publisher, date, kind
and address, in that order, each a sentence; what a source lacks is left out, except the date
("n.d."), so a reader can see that it is missing rather than forgotten."""

from __future__ import annotations

from collections.abc import Sequence

from ..core.dates import DateError, parse_date
from ..core.records import SourceRecord

__all__ = ["citation", "plain", "sentence"]


def citation(sources: Sequence[SourceRecord]) -> str:
    """``Author. “Title.” Publisher, 25 May 2021. Kind. https://….`` — what is missing is left out,
    except the date, which says "n.d." when a source gives none. Merged sources list each address
    (with its date when their dates differ)."""
    first = sources[0]
    parts: list[str] = []
    if first.author and first.author.strip():
        parts.append(sentence(plain(first.author)))
    parts.append(f"“{sentence(plain(first.title))}”")
    dates = list(dict.fromkeys(_date(s.published) for s in sources))
    same_date = len(dates) == 1
    where = plain(first.publisher or "")
    when = dates[0] if same_date else ""
    tail = ", ".join(x for x in (where, when) if x)
    if tail:
        parts.append(sentence(tail))
    kinds = list(dict.fromkeys(_kind_label(s.kind) for s in sources if s.kind and s.kind.strip()))
    if kinds:
        parts.append(sentence("; ".join(k[:1].upper() + k[1:] for k in kinds)))
    if same_date:
        urls = list(dict.fromkeys(s.url for s in sources if s.url))
    else:
        urls = list(dict.fromkeys(f"{s.url} ({_date(s.published)})" if s.url else _date(s.published) for s in sources))
    if urls:  # closed with a full stop, as Chicago does (and no line of the notes ends in a URL's "-")
        parts.append("; ".join(urls) + ".")
    return " ".join(parts)


def _kind_label(kind: str) -> str:
    """The data format's words for a source kind ("official" is an "official statement or document")."""
    try:
        from ..core.models import SOURCE_KIND_LABELS
    except ImportError:  # a format without kinds
        return plain(kind)
    return SOURCE_KIND_LABELS.get(kind, plain(kind))


def plain(text: str) -> str:
    """The text on one line, its runs of white space one space."""
    return " ".join(text.split())


def sentence(text: str) -> str:
    """End with a full stop unless the text already ends a sentence (also inside quotes or brackets)."""
    core = text.rstrip("\"”’')]")
    return text if core.endswith((".", "?", "!", "…")) or not core else text + "."


def _date(published: str | None) -> str:
    if not published:
        return "n.d."
    try:
        return parse_date(published).format()
    except DateError:
        return plain(published)
