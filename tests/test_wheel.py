"""The built wheel carries the bundled data and resources, and finds them outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("timeline_app-*.whl")
    return path


def test_wheel_contains_data_and_schema(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "timeline_app/_data/events.json" in names
    assert "timeline_app/_data/resources/timeline.schema.json" in names
    assert "timeline_app/cli.py" in names


def test_installed_wheel_validates_bundled_data_outside_checkout(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import timeline_app, timeline_app.resources as r; print(timeline_app.__file__); print(r.bundled_events())",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert where[0].startswith(str(target)), "imported the source checkout, not the wheel"
    assert where[1] == str(target / "timeline_app" / "_data" / "events.json")
    result = subprocess.run(
        [sys.executable, "-m", "timeline_app", "validate"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "events" in result.stdout and "OK" in result.stdout
