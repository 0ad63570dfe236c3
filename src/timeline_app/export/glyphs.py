"""No missing glyphs: find the characters of a figure that no installed font can draw.

Qt draws a character the page's font lacks from another installed font that has it (its font
fallback, through fontconfig on Linux); only a character that *no* font has comes out as an empty
box (the font's glyph 0, ".notdef"). So the check lays the text out the way the painter will,
with ``QTextLayout``, and reports the characters whose glyphs came out as glyph 0.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtGui import QFont, QGuiApplication, QTextLayout

__all__ = ["font_hint", "missing_glyphs", "missing_glyphs_message"]

# Characters that draw nothing by design: never "missing".
_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"}


def missing_glyphs(text: str, fonts: Iterable[QFont] = ()) -> list[str]:
    """The distinct characters of ``text`` that no installed font can draw, in order of appearance."""
    fonts = list(fonts) or [QGuiApplication.font()]
    wanted = "".join(dict.fromkeys(c for c in text if unicodedata.category(c) not in _INVISIBLE))
    if not wanted:
        return []
    missing: dict[str, None] = {}
    for font in fonts:
        for ch in _notdef_chars(wanted, font):
            missing.setdefault(ch, None)
    return list(missing)


def _notdef_chars(text: str, font: QFont) -> list[str]:
    # one character per line, so that a glyph maps back to its character whatever the shaping
    sample = "\u2028".join(text)
    layout = QTextLayout(sample, font)
    layout.beginLayout()
    while layout.createLine().isValid():
        pass
    layout.endLayout()
    # Qt counts UTF-16 code units: map each back to its character
    unit_char: list[str] = []
    for ch in sample:
        unit_char += [ch] * (2 if ord(ch) > 0xFFFF else 1)
    flags = QTextLayout.GlyphRunRetrievalFlag
    wanted = flags.RetrieveGlyphIndexes | flags.RetrieveStringIndexes
    out: list[str] = []
    for run in layout.glyphRuns(-1, -1, wanted):
        for glyph, at in zip(run.glyphIndexes(), run.stringIndexes(), strict=False):
            if glyph == 0 and 0 <= at < len(unit_char) and unit_char[at] != "\u2028":
                out.append(unit_char[at])
    return out


def font_hint(chars: Iterable[str]) -> str:
    """Which Debian package would draw these characters (a hint, not a promise)."""
    hints: list[str] = []
    for ch in chars:
        name = unicodedata.name(ch, "")
        cp = ord(ch)
        if any(w in name for w in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO")):
            hint = "fonts-noto-cjk"
        elif cp >= 0x1F000 or "EMOJI" in name:
            hint = "fonts-noto-color-emoji"
        else:
            hint = "fonts-noto-core (or fonts-noto for every script)"
        if hint not in hints:
            hints.append(hint)
    return ", ".join(hints)


def missing_glyphs_message(chars: list[str]) -> str:
    """One sentence for the dialog and stderr: the characters, their code points and a hint."""
    shown = " ".join(f"{c} (U+{ord(c):04X})" for c in chars[:12])
    more = f" and {len(chars) - 12} more" if len(chars) > 12 else ""
    return (
        f"no installed font can draw {len(chars)} character{'s' if len(chars) != 1 else ''} of this figure: "
        f"{shown}{more}; they will show as empty boxes. Install a font that has them, e.g. {font_hint(chars)}"
    )
