"""TimelineJS text is HTML; ours is plain text. Convert both ways without ever rendering markup.

HTML → text: tags are dropped (their text kept), entities unescaped, whitespace collapsed as a
browser would, and paragraph structure kept: block elements and blank lines become a blank line,
``<br>`` a line break. Text → HTML is the inverse for text we wrote: escaped, one ``<p>`` per
paragraph, ``<br>`` per line break, so a round trip returns the same text.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from ..core import rules

_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
_SKIP = frozenset({"script", "style", "template"})
_LINE_BREAK = "\x00"  # marks <br>: survives whitespace collapsing (NULs are removed from the data)
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n\s*")
_SPACES = re.compile(r"\s+")
# The addresses our model accepts (core/rules.py): links elsewhere (javascript:, file:) are dropped.
# ``searchable``: ``HTTP_URL.match`` holds for the whole value only, as ``rules.is_url``.
HTTP_URL = re.compile(rules.searchable(rules.URL_PATTERN))


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.buffer: list[str] = []
        self.skipping = 0
        self.hrefs: list[str] = []
        self.anchors: list[tuple[str, list[str]]] = []  # (href, the text inside the <a>)
        self._in_anchor: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag == "br":
            self.buffer.append(_LINE_BREAK)
        elif tag in _BLOCK:
            self.flush()
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if HTTP_URL.match(href.strip()):
                self.hrefs.append(href.strip())
                self._in_anchor = []
                self.anchors.append((href.strip(), self._in_anchor))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_anchor = None
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.buffer.append(data.replace(_LINE_BREAK, ""))
            if self._in_anchor is not None:
                self._in_anchor.append(data)

    def flush(self) -> None:
        raw = "".join(self.buffer)
        self.buffer = []
        for chunk in _PARAGRAPH.split(raw):
            lines = [_SPACES.sub(" ", line).strip() for line in chunk.split(_LINE_BREAK)]
            while lines and not lines[0]:
                lines.pop(0)
            while lines and not lines[-1]:
                lines.pop()
            if lines:
                self.paragraphs.append("\n".join(lines))


def _extract(markup: str) -> _Extractor:
    parser = _Extractor()
    parser.feed(markup)
    parser.close()
    parser.flush()
    return parser


def html_to_text(markup: object) -> str:
    """Plain text of an HTML fragment (or of plain text): paragraphs separated by a blank line."""
    if not isinstance(markup, str) or not markup:
        return ""
    return "\n\n".join(_extract(markup).paragraphs)


def first_link(markup: object) -> str | None:
    """The first http(s) ``href`` in an HTML fragment, e.g. the page a media credit links to."""
    if not isinstance(markup, str) or "<" not in markup:
        return None
    hrefs = _extract(markup).hrefs
    return hrefs[0] if hrefs else None


def all_links(markup: object) -> list[str]:
    """Every http(s) ``href`` in an HTML fragment, in order, each once."""
    if not isinstance(markup, str) or "<" not in markup:
        return []
    return list(dict.fromkeys(_extract(markup).hrefs))


def anchors(markup: object) -> list[tuple[str, str]]:
    """``(href, text)`` of every http(s) link in an HTML fragment, in order: a credit's sources."""
    if not isinstance(markup, str) or "<" not in markup:
        return []
    return [(href, _SPACES.sub(" ", "".join(text)).strip()) for href, text in _extract(markup).anchors]


def one_line(text: str) -> str:
    """Text for a name (title, group, credit): line breaks, e.g. from ``<br>``, become spaces."""
    return _SPACES.sub(" ", text).strip()


def text_to_html(text: str) -> str:
    """Our plain text as safe HTML: escaped, ``<p>`` per paragraph, ``<br>`` per line break."""
    paragraphs = [p for p in _PARAGRAPH.split(text.replace("\r\n", "\n").replace("\r", "\n").strip()) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line.strip()) for line in p.strip().split("\n")) + "</p>" for p in paragraphs
    )


def escape_inline(text: str) -> str:
    """A one-line field (headline, caption, credit) as HTML."""
    return html.escape(_SPACES.sub(" ", text).strip())
