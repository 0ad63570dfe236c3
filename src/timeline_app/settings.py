"""The user's settings: window layout, recent files and per-data-set filters, as JSON on disk.

Settings are a convenience, never a reason not to start: a missing, corrupt or unwritable file
gives the defaults plus one notice for the status bar. A corrupt file is renamed aside (never
overwritten) so a hand edit can be recovered. Qt-free: window state is stored as base64 text.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import appdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .core.atomic import atomic_write_text

__all__ = ["MAX_RECENT", "ActorFilterSetting", "AppSettings", "SettingsFile", "ViewSetting", "config_dir"]

ENV_DIR = "TIMELINE_APP_CONFIG_DIR"
FILE_NAME = "settings.json"
MAX_RECENT = 10


def config_dir() -> Path:
    """Where settings live; tests and portable setups point ``TIMELINE_APP_CONFIG_DIR`` elsewhere."""
    override = os.environ.get(ENV_DIR)
    return Path(override) if override else Path(appdirs.user_config_dir("timeline-app"))


class _Model(BaseModel):
    # Unknown keys are ignored, not errors: a newer version's settings must not count as corrupt.
    model_config = ConfigDict(extra="ignore")


class ActorFilterSetting(_Model):
    hidden: list[str] = Field(default_factory=list, description="Actor ids the reader unchecked.")
    match: str = Field("any", pattern="^(any|all)$", description="'any' or 'all' of the checked actors.")


class ViewSetting(_Model):
    """Where the reader was in one data set: shown again when it is reopened (like the desktop
    "Timeline" program's displayed period)."""

    x_range: list[float] | None = Field(None, description="The time range shown, in days since 1970-01-01.")
    selected: str | None = Field(None, description="The id of the selected event.")
    search: str = Field("", description="The search typed.")
    source: str | None = Field(None, description="The id of the source picked in the sources list.")
    date_from: str = Field("", description="The From date typed.")
    date_to: str = Field("", description="The To date typed.")
    time_scale: str | None = Field(None, description="View > Time Scale: 'compressed' or 'linear'.")


class AppSettings(_Model):
    version: int = Field(1, description="Settings format version.")
    window_geometry: str | None = Field(None, description="QMainWindow.saveGeometry(), base64.")
    window_state: str | None = Field(None, description="QMainWindow.saveState() (docks, toolbars), base64.")
    last_file: str | None = Field(None, description="The data set opened last.")
    recent_files: list[str] = Field(default_factory=list, description="Most recent first, at most 10.")
    actor_filters: dict[str, ActorFilterSetting] = Field(
        default_factory=dict, description="Per data set (absolute path): the actor filter to restore."
    )
    show_legend: bool = Field(True, description="The view's legend of markers, bars and brackets.")
    export_choices: dict[str, Any] = Field(
        default_factory=dict, description="The export dialog's last choices (format, size, scale, folder)."
    )
    theme: str = Field("system", pattern="^(system|light|dark)$", description="View > Theme.")
    views: dict[str, ViewSetting] = Field(
        default_factory=dict, description="Per data set (absolute path): the view to restore when it is reopened."
    )

    def add_recent(self, path: str) -> None:
        self.recent_files = [path, *(p for p in self.recent_files if p != path)][:MAX_RECENT]
        self.last_file = path


@dataclass
class SettingsFile:
    """Loads and saves :class:`AppSettings`, collecting at most one notice per problem kind."""

    path: Path
    settings: AppSettings = field(default_factory=AppSettings)
    notices: list[str] = field(default_factory=list)
    _save_failed: bool = False

    @classmethod
    def load(cls, folder: Path | None = None) -> SettingsFile:
        path = (folder or config_dir()) / FILE_NAME
        out = cls(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return out
        except (OSError, UnicodeDecodeError) as exc:
            out.notices.append(f"Settings could not be read ({_reason(exc)}); using defaults.")
            return out
        try:
            out.settings = AppSettings.model_validate(json.loads(text))
        except (ValueError, ValidationError, RecursionError):
            aside = _move_aside(path)
            where = f"; the old file was kept as {aside.name}" if aside else ""
            out.notices.append(f"Settings file {path} was damaged and has been reset{where}.")
        return out

    def save(self) -> bool:
        """Write atomically; on failure add one notice (not one per attempt) and return False."""
        text = json.dumps(self.settings.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, text)
        except OSError as exc:
            if not self._save_failed:
                self.notices.append(f"Settings cannot be saved to {self.path.parent} ({_reason(exc)}).")
            self._save_failed = True
            return False
        self._save_failed = False
        return True

    def take_notices(self) -> list[str]:
        out, self.notices = self.notices, []
        return out


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _move_aside(path: Path) -> Path | None:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    k = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{k}")
        k += 1
    try:
        path.rename(aside)
    except OSError:
        return None
    return aside
