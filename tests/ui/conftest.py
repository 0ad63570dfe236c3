"""Fixtures for the window tests: settings in a temporary folder, a small timeline on disk."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURE: dict[str, Any] = {
    "schema_version": 1,
    "title": "Fixture timeline",
    "actors": [
        {"id": "us", "name": "United States"},
        {"id": "pk", "name": "Pakistan"},
        {"id": "af", "name": "Afghanistan"},
    ],
    "sources": [
        {
            "id": "dawn",
            "title": "Dawn report",
            "publisher": "Dawn Media Group",
            "published": "2011-05-03",
            "url": "https://www.dawn.com/news/raid",
        },
        {"id": "crs", "title": "CRS report", "author": "K. Alan Kronstadt", "published": "2012-05"},
    ],
    "eras": [{"id": "war", "title": "War in Afghanistan", "start": "2001-10-07", "end": "2021-08-30"}],
    "events": [
        {
            "id": "raid",
            "title": "Abbottabad raid",
            "start": "2011-05-02",
            "actors": ["us", "pk"],
            "summary": "US forces kill Osama bin Laden in Abbottabad.",
            "tags": ["counterterrorism"],
            "excerpts": [
                {"source": "dawn", "quote": "The compound stood near the military academy.", "locator": "para. 3"}
            ],
            "discrepancies": [
                {"field": "start", "claim": "1 May 2011", "correction": "2 May 2011 local time", "sources": ["crs"]}
            ],
        },
        {
            "id": "aid",
            "title": "US aid to Pakistan",
            "start": "2002",
            "end": "2017",
            "actors": ["us", "pk"],
            "summary": "About $33bn in aid and reimbursements.",
            "excerpts": [{"source": "crs", "quote": "Total aid since 2002 is about $33 billion."}],
        },
        {
            "id": "base",
            "title": "Air base at Pêshawar",
            "start": "1959",
            "actors": ["pk"],
            "summary": "U-2 flights leave from Badaber.",
        },
        {
            "id": "img",
            "title": "<img src=x> <b>bold</b> & more",
            "start": "2015-03",
            "actors": ["af"],
            "summary": "<script>alert(1)</script>",
        },
        {
            "id": "suspend",
            "title": "US suspends security assistance",
            "start": "2018-01-04",
            "actors": ["us", "pk"],
            "summary": "Nearly all security assistance is frozen.",
            "excerpts": [{"source": "dawn", "quote": "Washington froze the funds."}],
            "links": [{"to": "raid", "relation": "context"}],
        },
        {
            "id": "withdraw",
            "title": "Last US troops leave Afghanistan",
            "start": "2021-08-30",
            "actors": ["us", "af"],
            "summary": "The withdrawal is complete.",
        },
    ],
}


@pytest.fixture(autouse=True)
def settings_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own settings folder, never the user's."""
    folder = tmp_path / "config"
    monkeypatch.setenv("TIMELINE_APP_CONFIG_DIR", str(folder))
    monkeypatch.setenv("TIMELINE_APP_LOG_DIR", str(tmp_path / "logs"))
    return folder


@pytest.fixture
def timeline_file(tmp_path: Path) -> Path:
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(FIXTURE, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def invalid_file(tmp_path: Path) -> Path:
    """A file whose third line holds a bad date: the loader points at line 3."""
    path = tmp_path / "bad.json"
    path.write_text('{\n  "schema_version": 1,\n  "title": 5,\n  "events": []\n}\n', encoding="utf-8")
    return path


@pytest.fixture
def window(qtbot: Any) -> Iterator[Any]:
    from timeline_app.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)  # the reference size (the offscreen screen is small: first run would maximise)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.loader.wait(5000)


@pytest.fixture
def load(qtbot: Any) -> Callable[..., None]:
    """``load(window, path, ok=True)``: open a file and wait until the window has applied it."""

    def run(win: Any, path: Path, *, ok: bool = True) -> None:
        with qtbot.waitSignal(win.load_finished, timeout=15_000) as blocker:
            win.open_file(path)
        assert blocker.args == [ok]

    return run
