"""``timeline-app install-desktop`` / ``uninstall-desktop``: a freedesktop menu entry and icon.

People who install with pipx (no checkout, no ``make run``) start the program like any desktop
application, and file managers offer it for the files it opens: our JSON, TimelineJS JSON,
iCalendar and CSV. Everything goes under ``$XDG_DATA_HOME`` (``~/.local/share``): no root needed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .core.atomic import atomic_write_text
from .resources import resource

APP_ID = "timeline-app"
# JSON covers this program's format and TimelineJS files; both are sniffed when opened.
MIME_TYPES = ("application/json", "text/calendar", "text/csv")


def data_home() -> Path:
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def entry_path() -> Path:
    return data_home() / "applications" / f"{APP_ID}.desktop"


def icon_path() -> Path:
    return data_home() / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def _quote(arg: str) -> str:
    """An Exec argument per the Desktop Entry spec: quoted when it holds a reserved character."""
    if not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
        return arg
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    return f'"{escaped}"'


def command() -> list[str]:
    """How the menu starts this installation: its own interpreter, so a pipx venv is found."""
    return [sys.executable, "-m", "timeline_app"]


def entry_text() -> str:
    exec_line = " ".join(_quote(a).replace("%", "%%") for a in command())
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.5",
            "Name=Timeline",
            "GenericName=Timeline viewer",
            "Comment=Read, filter and search timelines of sourced events",
            f"Exec={exec_line} %f",
            f"TryExec={_quote(sys.executable)}",
            f"Icon={APP_ID}",
            "Terminal=false",
            "Categories=Office;Education;",
            f"MimeType={';'.join(MIME_TYPES)};",
            "Keywords=timeline;history;events;sources;TimelineJS;",
            "StartupNotify=true",
            "",
        ]
    )


def _refresh_caches() -> None:
    """Let menus and file managers see the change now (best effort: the tools may be absent)."""
    for tool, target in (
        ("update-desktop-database", entry_path().parent),
        ("gtk-update-icon-cache", data_home() / "icons" / "hicolor"),
    ):
        exe = shutil.which(tool)
        if exe and target.is_dir():
            subprocess.run([exe, "-q", str(target)], capture_output=True, check=False, timeout=60)


def install() -> list[Path]:
    """Write the entry and the icon; returns what was written."""
    entry, icon = entry_path(), icon_path()
    entry.parent.mkdir(parents=True, exist_ok=True)
    icon.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(icon, resource(f"{APP_ID}.svg").read_text(encoding="utf-8"))
    atomic_write_text(entry, entry_text())
    _refresh_caches()
    return [entry, icon]


def uninstall() -> list[Path]:
    """Remove the entry and the icon; returns what was removed (nothing, if they were not there)."""
    removed = []
    for path in (entry_path(), icon_path()):
        if path.is_file():
            path.unlink()
            removed.append(path)
    _refresh_caches()
    return removed
