"""``timeline-app convert``: detection, exit codes, atomic writes, and our own format's exact round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from timeline_app.cli import main
from timeline_app.core.loading import load_timeline, loads_timeline
from timeline_app.core.models import Timeline
from timeline_app.interop.native import dumps_native

from .conftest import timelines


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timelines())
def test_our_format_round_trips_exactly(timeline: Timeline) -> None:
    assert loads_timeline(dumps_native(timeline), "rt.json") == timeline


def test_bundled_data_round_trips_through_every_format(
    bundled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = load_timeline(bundled)
    ours = tmp_path / "ours.json"
    assert main(["convert", str(bundled), str(ours)]) == 0
    assert load_timeline(ours) == original
    text = ours.read_text(encoding="utf-8")
    assert text.startswith('{\n  "$schema"') and "–" in text  # 2-space indent, not ASCII-escaped
    for name, to in (("tljs.json", "timelinejs"), ("sheet.csv", None)):
        out = tmp_path / name
        assert main(["convert", str(bundled), str(out), *(["--to", to] if to else [])]) == 0
        back = tmp_path / f"back-{name}.json"
        assert main(["convert", str(out), str(back)]) == 0
        again = load_timeline(back)
        assert [e.id for e in again.events] == [e.id for e in original.events]
        assert [e.title for e in again.events] == [e.title for e in original.events]
    assert main(["convert", str(bundled), str(tmp_path / "cal.ics")]) == 0
    assert (tmp_path / "cal.ics").read_bytes().count(b"BEGIN:VEVENT") == len(original.events)
    err = capsys.readouterr().err
    assert "warning: TimelineJS cannot hold discrepancies" in err


def test_timelinejs_is_detected_by_content(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text(json.dumps({"events": [{"start_date": {"year": 1999}, "text": {"headline": "H"}}]}))
    out = tmp_path / "out.json"
    assert main(["convert", str(src), str(out)]) == 0
    assert json.loads(out.read_text())["events"][0]["title"] == "H"


def test_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,title,start,actors\ne1,T,2001-13,us\ne2,,2001,us\n")
    out = tmp_path / "out.json"
    out.write_text("keep me")
    assert main(["convert", str(bad), str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:2:3: row 2, column 'start'" in err and f"{bad}:3:2: row 3, column 'title'" in err
    assert out.read_text() == "keep me"  # nothing written on bad input
    assert main(["convert", str(tmp_path / "missing.json"), str(out)]) == 1
    assert "no such file" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_text("id,title,start,actors\ne1,T,2001,us\n")
    assert main(["convert", str(good), str(tmp_path / "no-such-dir" / "x.json")]) == 1
    assert "cannot write" in capsys.readouterr().err
    assert main(["convert", str(good), str(tmp_path / "out.xyz")]) == 2  # cannot tell the output format
    assert main(["convert", str(good), str(out), "--to", "pdf"]) == 2  # argparse choices
    assert main(["convert", str(good)]) == 2
    assert main(["convert", str(good), str(tmp_path / "out.ics"), "-q"]) == 0
    assert capsys.readouterr().err.count("warning") == 0
    # iCalendar reads too (issue 16; it was export only): our own calendar comes back.
    back = tmp_path / "back.json"
    assert main(["convert", str(tmp_path / "out.ics"), str(back), "-q"]) == 0
    assert load_timeline(back).events[0].title == "T"
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary files left behind


def test_interop_never_imports_qt() -> None:
    import subprocess
    import sys

    code = ("import sys, timeline_app.interop.cli, timeline_app.interop.convert; "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
