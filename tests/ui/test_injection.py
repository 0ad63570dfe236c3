"""Text from a data file is data: markup in it is shown literally and never acted on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel

from timeline_app.ui.details_dock import safe_url
from timeline_app.ui.main_window import MainWindow

IMG = '<img src="file:///etc/passwd">'
LINK = '<a href="file:///etc/passwd">x</a>'
BOLD = "<b>bold</b>"
PAYLOAD = f"{IMG} {LINK} {BOLD}"


def _hostile(title: str = "Hostile " + PAYLOAD, url: str = "https://example.org/a") -> dict[str, Any]:
    return {
        "schema_version": 1,
        "title": title,
        "actors": [{"id": "a", "name": "Actor " + PAYLOAD}, {"id": "b", "name": BOLD}],
        "sources": [
            {"id": "s1", "title": "Source " + PAYLOAD, "publisher": LINK, "url": url},
            {"id": "s2", "title": "Plain http", "url": "http://example.org/b?q=1"},
            {"id": "s3", "title": "No link " + IMG},
        ],
        "events": [
            {
                "id": "e1",
                "title": "Event " + PAYLOAD,
                "start": "2001-09-11",
                "actors": ["a", "b"],
                "summary": "Summary " + PAYLOAD,
                "tags": [BOLD],
                "excerpts": [
                    {"source": "s1", "quote": "Quote " + PAYLOAD, "locator": IMG},
                    {"source": "s2", "quote": LINK},
                    {"source": "s3", "quote": BOLD},
                ],
                "discrepancies": [
                    {"field": "start", "claim": "Claim " + PAYLOAD, "correction": BOLD, "sources": ["s1"]}
                ],
            },
            {
                "id": "e2",
                "title": BOLD,
                "start": "2002",
                "actors": ["b"],
                "summary": IMG,
                "excerpts": [{"source": "s2", "quote": "second"}],
                "links": [{"to": "e1", "relation": LINK}],
            },
        ],
    }


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def _as_reader_sees(rich: str) -> str:
    doc = QTextDocument()
    doc.setHtml(rich)
    return doc.toPlainText()


@pytest.fixture
def hostile_file(tmp_path: Path) -> Path:
    return _write(tmp_path / "hostile.json", _hostile())


def _labels(window: MainWindow) -> list[QLabel]:
    window.details_dock.flush()
    body = window.details_dock._scroll.widget()
    assert body is not None
    return [w for w in body.findChildren(QLabel) if w.text()]


def test_details_show_markup_literally(window: MainWindow, load: Any, hostile_file: Path) -> None:
    load(window, hostile_file)
    assert window.store is not None
    window.view.event_clicked.emit(window.store.index_of("e1"))
    labels = _labels(window)
    assert labels and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    by_name = {label.objectName(): label.text() for label in labels}
    assert by_name["details_title"] == "Event " + PAYLOAD
    assert by_name["details_summary"] == "Summary " + PAYLOAD
    texts = [label.text() for label in labels]
    assert "“Quote " + PAYLOAD + "”" in texts
    assert "Actor " + PAYLOAD in texts and BOLD in texts  # actor chips
    joined = "\n".join(texts)
    for raw in ("Source " + PAYLOAD, "Claim " + PAYLOAD, LINK, IMG):
        assert raw in joined
    assert not any(label.openExternalLinks() for label in labels)


def test_related_buttons_and_window_title_are_literal(window: MainWindow, load: Any, hostile_file: Path) -> None:
    load(window, hostile_file)
    assert window.store is not None
    assert window.windowTitle() == f"Hostile {PAYLOAD} — Timeline"
    window.select(window.store.index_of("e2"))
    assert [b.full_text() for b in window.details_dock.related_buttons] == [f"{LINK}: Event {PAYLOAD}"]


def test_tooltips_read_literally(window: MainWindow, load: Any, hostile_file: Path) -> None:
    load(window, hostile_file)
    assert window.store is not None
    tip = window.view.tooltip_text(window.store.index_of("e1"))
    seen = _as_reader_sees(tip)
    assert "Event " + PAYLOAD in seen and "Actor " + PAYLOAD in seen
    assert "<img" not in tip and "<a " not in tip  # escaped: nothing for Qt to fetch or follow
    sources = window.filter_dock.source_list
    tips = [_as_reader_sees(sources.item(k).toolTip()) for k in range(sources.count())]
    assert "Source " + PAYLOAD in tips


def test_status_bar_and_problems_dock_are_literal(window: MainWindow, load: Any, tmp_path: Path) -> None:
    name = "<b>x.json"
    good = _write(tmp_path / name, _hostile())
    load(window, good)
    assert window.statusBar().currentMessage() == f"Opened {name}"
    bad_data = _hostile()
    bad_data["events"][0]["start"] = BOLD  # not a date: the message quotes it
    bad = _write(tmp_path / "bad.json", bad_data)
    load(window, bad, ok=False)
    lines = window.problems_dock.lines()
    located = [line for line in lines if line.startswith(f"{bad}:") and "$.events[0].start" in line]
    assert located and BOLD in located[0]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://example.org/x"])
def test_non_http_source_url_cannot_load(window: MainWindow, load: Any, tmp_path: Path, url: str) -> None:
    path = _write(tmp_path / "scheme.json", _hostile(url=url))
    load(window, path, ok=False)
    error = window.messages.errors()[-1]
    located = [line for line in error.lines if "$.sources[0].url" in line]
    assert located and located[0].startswith(f"{path}:") and "not an http(s) address" in located[0]
    assert window.store is None


def test_only_http_urls_reach_open_url(
    window: MainWindow, load: Any, hostile_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QDesktopServices

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window.details_dock.open_url = QDesktopServices.openUrl
    load(window, hostile_file)
    assert window.store is not None
    clicks = 0
    for index in range(len(window.store)):
        window.select(index)
        for button in window.details_dock.link_buttons:
            button.click()
            clicks += 1
    assert clicks == len(opened) >= 2
    assert {u.scheme() for u in opened} <= {"http", "https"}
    assert all(u.host() == "example.org" for u in opened)


@pytest.mark.parametrize(
    "text",
    ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,<b>x</b>", "http://", "https:relative", "  ", None],
)
def test_safe_url_refuses_anything_but_http_with_a_host(text: str | None) -> None:
    assert safe_url(text) is None
