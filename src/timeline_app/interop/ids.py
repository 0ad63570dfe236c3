"""Ids for imported records: formats without ids (TimelineJS groups, spreadsheet rows) get stable,
readable ones made from their text, unique within their collection."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from anyascii import anyascii

from ..core.rules import is_id as is_valid_id

_NON_SLUG = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 60


def slugify(text: str, fallback: str = "item") -> str:
    """``"Ada Lovelace’s Notes"`` → ``"ada-lovelaces-notes"``: ASCII, lower case, at most 60 chars.

    Other scripts are transliterated (``"北京奥运会"`` → ``"beijingaoyunhui"``, ``"Москва"`` →
    ``"moskva"``) by anyascii, which is deterministic, so ids stay the same on every import; text
    with nothing to transliterate gets ``fallback`` and a short hash of the text, never a bare counter.
    """
    ascii_text = anyascii(unicodedata.normalize("NFC", text)).replace("’", "'")
    slug = _NON_SLUG.sub("-", ascii_text.lower().replace("'", "")).strip("-")
    if not slug and text.strip():
        return f"{fallback}-{hashlib.sha256(text.strip().encode()).hexdigest()[:8]}"
    if len(slug) > MAX_SLUG:
        cut = slug[:MAX_SLUG]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[MAX_SLUG // 2 :] else cut
    return slug or fallback


class IdAllocator:
    """Hands out ids unique within one collection (events, actors, sources or eras)."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def claim(self, wanted: str | None, text: str = "", fallback: str = "item") -> str:
        """``wanted`` if it is a valid, unused id; else a slug of ``text``; suffixed -2, -3 … if taken."""
        base = wanted if wanted and is_valid_id(wanted) else slugify(text, fallback)
        ident, n = base, 2
        while ident in self._used:
            suffix = f"-{n}"
            ident = base[: 200 - len(suffix)] + suffix
            n += 1
        self._used.add(ident)
        return ident
