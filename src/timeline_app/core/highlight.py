"""Where a search's words occur in a text, as the search matches them (case and accents ignored).

The details panel marks these spans so a reader sees why an event matched. Positions are in
the original text, so the text itself is never altered: the UI escapes it and wraps the spans.
"""

from __future__ import annotations

import unicodedata

__all__ = ["match_spans", "query_words"]


def _fold_char(c: str) -> str:
    return "".join(x for x in unicodedata.normalize("NFKD", c).casefold() if not unicodedata.combining(x))


def query_words(query: str) -> list[str]:
    """The folded words of ``query`` (control characters count as spaces), longest first."""
    cleaned = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in query)
    words = {"".join(_fold_char(c) for c in w) for w in cleaned.split()}
    return sorted((w for w in words if w), key=len, reverse=True)


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Sorted, merged ``[start, end)`` spans of ``text`` where a word of ``query`` occurs."""
    words = query_words(query)
    if not words or not text:
        return []
    folded: list[str] = []
    owner: list[int] = []  # folded character -> position in text
    for k, c in enumerate(text):
        f = c.lower() if c.isascii() else _fold_char(c)
        folded.append(f)
        owner.extend([k] * len(f))
    flat = "".join(folded)
    spans: list[tuple[int, int]] = []
    for w in words:
        at = flat.find(w)
        while at >= 0:
            spans.append((owner[at], owner[at + len(w) - 1] + 1))
            at = flat.find(w, at + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged
