"""One way in: the window, ``validate``, ``export`` and ``convert`` detect and open every format alike."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from timeline_app.interop.detect import classify_json, detect_format
from timeline_app.interop.open import open_store, read_any
from timeline_app.ui.worker import Loaded, load_data_set

from .conftest import REPO

SHEET = (
    "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,"
    "Media Caption,Media Thumbnail,Type,Group,Background\r\n"
    ",,,,,,,,,Sheet title,About it,,,,,title,,\r\n"
    "1969,7,20,,,,,,,Moon landing,Apollo 11,https://example.org/a,NASA,One small step,,,Space,\r\n"
    "1957,10,4,,,,,,,Sputnik,First satellite,,,,,,Space,\r\n"
)


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(REPO / "src"), "PYTHONIOENCODING": "utf-8", "QT_QPA_PLATFORM": "offscreen",
           "PATH": "/usr/bin:/bin"}  # fmt: skip
    return subprocess.run([sys.executable, "-m", "timeline_app", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=180, check=False)  # fmt: skip


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        ({"schema_version": 1, "title": "t", "events": []}, "timeline"),
        ({"title": "t", "events": []}, "timeline"),  # ours, missing a key: our loader says which
        ({"events": [{"start_date": {"year": 1}}]}, "timelinejs"),
        ({"timeline": {"headline": "h", "date": []}}, "timelinejs"),
        ({"timeline": {"slides": []}}, "timelinejs"),
        ([{"start_date": {"year": 1}, "text": {"headline": "h"}}], "timelinejs"),  # a bare list of slides
        ([{"id": 1, "content": "c", "start": "2014-04-20"}], "vis"),
        ({"items": [{"id": 1, "content": "c", "start": "2014-04-20"}], "groups": []}, "vis"),
        ([1, 2], "timeline"),
    ],
)
def test_json_documents_are_told_apart_by_content(data: object, fmt: str) -> None:
    assert classify_json(data) == fmt


def test_detector_goes_by_extension_then_content(tmp_path: Path) -> None:
    for name, body, fmt in (
        ("a.csv", "id,title\n", "csv"),
        ("a.ics", "BEGIN:VCALENDAR\r\n", "ics"),
        ("a.timeline", "<?xml version='1.0'?><timeline/>", "timeline-xml"),
        ("cal", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "ics"),
        ("sheet", "Year,Headline\n2001,x\n", "csv"),
        ("a.json", '{"schema_version": 1}', "timeline"),
        ("b.json", "not json at all", "timeline"),  # our loader locates the syntax error
    ):
        (tmp_path / name).write_text(body)
        assert detect_format(tmp_path / name) == fmt, name


def test_timelinejs2_file_opens_in_the_window(samples: Path) -> None:
    result = load_data_set(str(samples / "marktwain.json"))
    assert isinstance(result, Loaded), result
    assert result.store.title == "Mark Twain JSON"
    assert len(result.store) == 14
    assert any("map location dropped" in w for w in result.warnings)


def test_window_validate_export_and_convert_read_the_same(samples: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    for path in (sheet, samples / "eras.json", samples / "marktwain.json"):
        timeline, warnings, fmt = read_any(path)
        store, store_warnings, store_fmt = open_store(path)
        window = load_data_set(str(path))
        assert isinstance(window, Loaded)
        assert (fmt, warnings) == (store_fmt, list(store_warnings))
        assert list(window.warnings) == warnings
        assert sorted(window.store.titles) == sorted(store.titles) == sorted(e.title for e in timeline.events)


def test_validate_accepts_timelinejs_and_csv_with_their_warnings(samples: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    r = run("validate", sheet, samples / "marktwain.json")
    assert r.returncode == 0, r.stderr
    assert f"{sheet}: OK (imported from csv): 2 events, 1 actors" in r.stdout
    assert "marktwain.json: OK (imported from timelinejs): 14 events" in r.stdout
    assert f"{samples / 'marktwain.json'}: warning: map location dropped" in r.stderr


def test_export_draws_timelinejs_and_csv(samples: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    for src in (sheet, samples / "eras.json"):
        out = tmp_path / f"{src.stem}.png"
        r = run("export", src, "-o", out, "--width", "800", "--height", "500")
        assert r.returncode == 0, r.stderr
        assert out.read_bytes().startswith(b"\x89PNG")


def test_a_bad_import_is_located_for_validate(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"events": [{"start_date": {"year": "soon"}, "text": {"headline": "H"}}]}))
    r = run("validate", bad)
    assert r.returncode == 1
    assert f"{bad}:1:" in r.stderr and "soon" in r.stderr


def test_every_new_format_opens_in_the_window(tmp_path: Path) -> None:
    from timeline_app.interop.detect import OPENABLE_SUFFIXES

    from .test_ical_import import CALENDAR
    from .test_timeline_xml import FILE
    from .test_vis_timeline import DATA

    for name, body in (("c.ics", CALENDAR), ("t.timeline", FILE), ("v.json", json.dumps(DATA))):
        path = tmp_path / name
        path.write_text(body, encoding="utf-8", newline="")
        assert path.suffix in OPENABLE_SUFFIXES  # File > Open lists it and a drop takes it
        result = load_data_set(str(path))
        assert isinstance(result, Loaded), result
        assert len(result.store) > 0 and result.warnings
