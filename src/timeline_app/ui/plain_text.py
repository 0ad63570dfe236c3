"""Data text shown safely: always as plain text, links opened only when they are http(s).

A data file is untrusted input: its text may look like HTML (``<img src=…>``) or a link may use
another scheme (``file:``, ``javascript:``). Every widget that shows data text goes through these
helpers, so no label ever renders it as markup and no other scheme is ever opened.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget

from ..core.rules import is_url

__all__ = ["button_text", "marked_html", "plain_label", "plain_tooltip", "safe_url"]

MARK_LIGHT = ("#ffe08a", "#000000")  # search matches: background, text
MARK_DARK = ("#8a6d00", "#ffffff")


def plain_label(
    text: str, parent: QWidget | None = None, *, wrap: bool = True, object_name: str | None = None
) -> QLabel:
    """A label that shows data text literally (never as HTML), selectable and copyable."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if object_name:
        label.setObjectName(object_name)
    return label


def plain_tooltip(text: str) -> str:
    """Tooltips guess rich text from the content; always make it rich, with the data escaped."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def safe_url(text: str | None) -> QUrl | None:
    """The URL if it is http(s) (the format's URL rule) with a host, else None: other schemes are
    shown, never opened."""
    if not text or not is_url(text):
        return None
    url = QUrl(text, QUrl.ParsingMode.StrictMode)
    if not url.isValid() or not url.host():
        return None
    return url


def marked_html(text: str, spans: list[tuple[int, int]], palette: QPalette) -> str:
    """``text`` escaped, as rich text, with ``spans`` marked: data text never becomes markup."""
    dark = palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5
    bg, fg = MARK_DARK if dark else MARK_LIGHT
    out, at = [], 0
    for a, b in spans:
        out.append(html.escape(text[at:a]))
        out.append(f"<span style='background-color:{bg}; color:{fg}'>{html.escape(text[a:b])}</span>")
        at = b
    out.append(html.escape(text[at:]))
    return "<p style='white-space:pre-wrap'>" + "".join(out) + "</p>"


def button_text(text: str) -> str:
    """Data text for a button: a lone & would become a mnemonic and vanish."""
    return text.replace("&", "&&")
