"""Settings: defaults when missing, round trip, corrupt file moved aside, unwritable folder tolerated."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from timeline_app.settings import MAX_RECENT, ActorFilterSetting, AppSettings, SettingsFile, config_dir


def test_env_overrides_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_APP_CONFIG_DIR", str(tmp_path / "cfg"))
    assert config_dir() == tmp_path / "cfg"
    assert SettingsFile.load().path == tmp_path / "cfg" / "settings.json"


def test_missing_file_gives_defaults_without_notice(tmp_path: Path) -> None:
    f = SettingsFile.load(tmp_path / "nowhere")
    assert f.settings == AppSettings()
    assert f.take_notices() == []


def test_round_trip(tmp_path: Path) -> None:
    f = SettingsFile.load(tmp_path)
    f.settings.window_geometry = "AdnQywAD"
    f.settings.add_recent("/data/a.json")
    f.settings.actor_filters["/data/a.json"] = ActorFilterSetting(hidden=["us"], match="all")
    assert f.save()
    g = SettingsFile.load(tmp_path)
    assert g.settings == f.settings
    assert g.settings.last_file == "/data/a.json"


def test_recent_files_most_recent_first_unique_and_capped() -> None:
    s = AppSettings()
    for k in range(MAX_RECENT + 3):
        s.add_recent(f"/f{k}.json")
    s.add_recent("/f5.json")
    assert len(s.recent_files) == MAX_RECENT
    assert s.recent_files[0] == "/f5.json"
    assert s.recent_files.count("/f5.json") == 1


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"recent_files": 7}', "\x00\x01"])
def test_corrupt_file_is_moved_aside(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    f = SettingsFile.load(tmp_path)
    assert f.settings == AppSettings()
    notices = f.take_notices()
    assert len(notices) == 1 and "reset" in notices[0]
    aside = list(tmp_path.glob("settings.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == content
    assert aside[0].name in notices[0]
    assert not path.exists()
    # Saving writes a fresh file and leaves the damaged copy alone.
    assert f.save()
    assert json.loads(path.read_text(encoding="utf-8"))["recent_files"] == []
    assert aside[0].read_text(encoding="utf-8") == content


def test_unknown_keys_from_a_newer_version_are_kept_out_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text('{"last_file": "/x.json", "future_option": true}', encoding="utf-8")
    f = SettingsFile.load(tmp_path)
    assert f.settings.last_file == "/x.json"
    assert f.take_notices() == []


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder_gives_one_notice(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        f = SettingsFile.load(folder)
        assert not f.save()
        assert not f.save()
        notices = f.take_notices()
        assert len(notices) == 1 and "cannot be saved" in notices[0]
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_save_failure_when_folder_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    f = SettingsFile.load(blocker)
    assert f.settings == AppSettings()
    assert len(f.take_notices()) == 1  # cannot be read
    assert not f.save()
    assert len(f.take_notices()) == 1  # cannot be saved
