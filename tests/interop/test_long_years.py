"""Years beyond ±9999 (EDTF's long-year form, ``Y-13797999999``) from our own JSON, end to end:
the schema and model accept them, every writer that can hold them keeps them, and the figure
draws them on an axis that reads in billions of years (the compressed scale's shortcut once
tried to allocate one bin per 1.5 years: 139 GiB for 13.8 billion years)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from timeline_app.core.loading import load_timeline
from timeline_app.interop.open import read_any

DEEP = {
    "schema_version": 1, "title": "Deep time", "actors": [{"id": "u", "name": "Universe"}],
    "sources": [{"id": "s", "title": "Age of the universe", "url": "https://example.org/age"}],
    "eras": [{"id": "stelliferous", "title": "Stars shine", "start": "Y-13600000000", "end": "2000"}],
    "events": [
        {"id": "big-bang", "title": "Big Bang", "start": "Y-13797999999", "actors": ["u"], "summary": "",
         "excerpts": [{"source": "s", "quote": "about 13.8 billion years old"}]},
        {"id": "sun", "title": "The Sun forms", "start": "Y-4599999999", "end": "Y-4500000000", "actors": ["u"],
         "summary": ""},
        {"id": "rome", "title": "Rome founded", "start": "-0752", "actors": ["u"], "summary": ""},
        {"id": "red-giant", "title": "The Sun becomes a red giant", "start": "Y5000000000", "actors": ["u"],
         "summary": ""},
    ],
}  # fmt: skip
STARTS = ["Y-13797999999", "Y-4599999999", "-0752", "Y5000000000"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "timeline_app", *args], capture_output=True, text=True, timeout=300)


def _deep(tmp_path: Path) -> Path:
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(DEEP), encoding="utf-8")
    return path


def test_our_json_with_long_years_validates_and_loads(tmp_path: Path) -> None:
    path = _deep(tmp_path)
    timeline = load_timeline(path)
    assert [e.start for e in timeline.events] == STARTS
    assert timeline.events[0].start_date.year == -13_797_999_999  # astronomical: 13,798,000,000 BCE
    assert timeline.events[1].end_date is not None and timeline.events[1].end_date.year == -4_500_000_000
    done = _cli("validate", str(path))
    assert done.returncode == 0, done.stderr
    assert "4 events" in done.stdout and "13,798,000,000 BCE" in done.stdout
    assert "1 Jan 13,798,000,000 BCE" not in done.stdout  # a year, not a day the file never gave


def test_long_years_survive_our_json_and_csv(tmp_path: Path) -> None:
    path = _deep(tmp_path)
    for suffix in ("json", "csv"):
        out = tmp_path / f"again.{suffix}"
        done = _cli("convert", str(path), str(out), "-q")
        assert done.returncode == 0, done.stderr
        timeline, _, _ = read_any(out)
        assert [e.start for e in timeline.events] == STARTS, suffix


def test_the_figure_draws_long_years_on_an_axis_of_billions(tmp_path: Path) -> None:
    path = _deep(tmp_path)
    out = tmp_path / "deep.svg"
    done = _cli("export", str(path), "-o", str(out))
    assert done.returncode == 0, done.stderr
    svg = out.read_text(encoding="utf-8")
    for title in ("Big Bang", "The Sun forms", "Rome", "red giant"):
        assert title in svg, title
    assert "00,000,000 BCE" in svg  # ticks in hundreds of millions of years or more, BCE
    for scale in ("compressed", "linear"):
        done = _cli("export", str(path), "-o", str(tmp_path / f"deep-{scale}.png"), "--time-scale", scale)
        assert done.returncode == 0, (scale, done.stderr)
