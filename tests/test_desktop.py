"""``timeline-app install-desktop`` / ``uninstall-desktop``: a freedesktop entry and icon under
$XDG_DATA_HOME that start this installation and open the files it reads."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from timeline_app.cli import main


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def test_install_writes_an_entry_that_opens_timelines(data_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["install-desktop"]) == 0
    entry = data_home / "applications" / "timeline-app.desktop"
    icon = data_home / "icons" / "hicolor" / "scalable" / "apps" / "timeline-app.svg"
    assert f"added the menu entry {entry}" in capsys.readouterr().out
    assert icon.read_text(encoding="utf-8").lstrip().startswith("<?xml") and "<svg" in icon.read_text()
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(entry, encoding="utf-8")
    desktop = parser["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Icon"] == "timeline-app"
    assert set(desktop["MimeType"].strip(";").split(";")) >= {"application/json", "text/calendar"}
    exec_args = shlex.split(desktop["Exec"])
    assert exec_args[-1] == "%f"
    # The entry starts this very installation: run its command (without the %f) headless.
    result = subprocess.run([*exec_args[:-1], "validate"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and ": OK: " in result.stdout, result.stderr
    validator = shutil.which("desktop-file-validate")
    if validator:
        check = subprocess.run([validator, str(entry)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr


def test_uninstall_removes_both_and_says_so(data_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["install-desktop"]) == 0
    assert main(["uninstall-desktop"]) == 0
    out = capsys.readouterr().out
    assert "removed" in out and not (data_home / "applications" / "timeline-app.desktop").exists()
    assert not (data_home / "icons" / "hicolor" / "scalable" / "apps" / "timeline-app.svg").exists()
    assert main(["uninstall-desktop"]) == 0
    assert "no desktop entry to remove" in capsys.readouterr().out


def test_install_reinstalls_over_itself(data_home: Path) -> None:
    assert main(["install-desktop"]) == 0
    assert main(["install-desktop"]) == 0
    assert len(list((data_home / "applications").glob("*.desktop"))) == 1


def test_unwritable_place_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    assert main(["install-desktop"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("timeline-app: cannot write ") and err.count("\n") == 1


def test_exec_quotes_paths_with_spaces(monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline_app import desktop

    monkeypatch.setattr(sys, "executable", "/opt/my apps/python3")
    line = next(x for x in desktop.entry_text().splitlines() if x.startswith("Exec="))
    assert line == 'Exec="/opt/my apps/python3" -m timeline_app %f'
