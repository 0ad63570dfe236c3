"""``timeline-app export`` as a user runs it: a separate process, no display, exit codes and messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "timeline_app", "export", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_importing_the_command_does_not_import_qt() -> None:
    code = (
        "import sys, timeline_app.export.cli as m; assert m.HELP; "
        "print(any(k.startswith('PySide6') for k in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(SRC)},
                         capture_output=True, text=True, check=True)  # fmt: skip
    assert out.stdout.strip() == "False"


def test_bundled_data_to_png_without_a_display(tmp_path: Path) -> None:
    out = tmp_path / "whole.png"
    proc = _run("-o", str(out), "--width", "1280", "--height", "720", "--scale", "2", "--exact-size", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert str(out) in proc.stdout and "KB" in proc.stdout
    assert _png_size(out) == (2560, 1440)
    # the exact size leaves no room for the notes: they are beside the image, and the output says so
    side = tmp_path / "whole-sources.txt"
    assert str(side) in proc.stdout
    assert "Sources\n1. " in side.read_text(encoding="utf-8")


def test_filtered_export_to_svg_names_the_filter(tmp_path: Path) -> None:
    out = tmp_path / "pk.svg"
    proc = _run("-o", str(out), "--actor", "PAKISTAN", "--from", "2001", "--to", "2021", "--title", "Pakistan only",
                cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert "Pakistan only" in text
    assert "Actors: Pakistan · 2001–2021 · " in text


def test_unknown_extension_is_a_usage_error(tmp_path: Path) -> None:
    proc = _run("-o", str(tmp_path / "x.jpg"), cwd=tmp_path)
    assert proc.returncode == 2
    assert ".png, .svg or .pdf" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.jpg").exists()


def test_unknown_actor_lists_the_valid_ones(tmp_path: Path) -> None:
    proc = _run("-o", str(tmp_path / "x.png"), "--actor", "Atlantis", cwd=tmp_path)
    assert proc.returncode == 2
    assert "'Atlantis'" in proc.stderr and "pakistan (Pakistan)" in proc.stderr and "us (United States)" in proc.stderr


def test_a_filter_that_leaves_nothing_exits_1(tmp_path: Path) -> None:
    proc = _run("-o", str(tmp_path / "x.png"), "--from", "1500", "--to", "1600", cwd=tmp_path)
    assert proc.returncode == 1
    assert "no events match" in proc.stderr
    assert not (tmp_path / "x.png").exists()


def test_bad_dates_and_sizes_are_usage_errors(tmp_path: Path) -> None:
    proc = _run("-o", str(tmp_path / "x.png"), "--from", "2011-13", cwd=tmp_path)
    assert proc.returncode == 2 and "month 13" in proc.stderr
    proc = _run("-o", str(tmp_path / "x.png"), "--width", "50000", cwd=tmp_path)
    assert proc.returncode == 2 and "width" in proc.stderr


def test_invalid_file_shows_located_messages(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"schema_version": 1, "title": "t", "events": [{"id": "e", "title": "x",
                   "start": "2011-02-30", "actors": ["nobody"], "summary": "s"}]}, indent=2))  # fmt: skip
    proc = _run(str(bad), "-o", str(tmp_path / "x.png"), cwd=tmp_path)
    assert proc.returncode == 1
    assert f"{bad}:" in proc.stderr and "February" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("target", ["missing/x.pdf", "."])
def test_unwritable_target_exits_1_with_a_reason(tmp_path: Path, target: str) -> None:
    name = tmp_path / target if target != "." else tmp_path / "dir.pdf"
    if target == ".":
        name.mkdir()
    proc = _run("-o", str(name), "--size", "letter", cwd=tmp_path)
    assert proc.returncode == 1
    assert "cannot write" in proc.stderr and "Traceback" not in proc.stderr
