"""The core and interop layers and the export package's Qt-free half stay Qt-free: the CLI,
converters and tests run without a display."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The modules of ``timeline_app.export`` that draw with Qt; every other module there must import without it.
EXPORT_QT = (
    "device", "fonts", "glyphs", "header", "headless", "notes_layout", "page", "pdf", "plan", "png", "preview", "svg",
    "writers",
)  # fmt: skip

SCRIPT = (
    f"EXPORT_QT = {EXPORT_QT!r}\n"
    + """
import importlib, pkgutil, sys
import timeline_app.core, timeline_app.core.loading, timeline_app.core.store, timeline_app.cli
names = ["timeline_app.core.loading", "timeline_app.core.store", "timeline_app.cli"]
import timeline_app.export
for info in pkgutil.walk_packages(timeline_app.export.__path__, "timeline_app.export."):
    if info.name.rpartition(".")[2] not in EXPORT_QT:
        importlib.import_module(info.name)
        names.append(info.name)
for pkg_name in ("timeline_app.core", "timeline_app.interop"):
    try:
        pkg = importlib.import_module(pkg_name)
    except ImportError:
        continue
    for info in pkgutil.walk_packages(pkg.__path__, pkg_name + "."):
        importlib.import_module(info.name)
        names.append(info.name)
bad = sorted(m for m in ("PySide6", "pyqtgraph", "shiboken6") if m in sys.modules)
print(len(names), ",".join(bad))
print(*names)
"""
)


def test_core_interop_and_cli_import_no_qt() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    r = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert r.returncode == 0, r.stderr
    first, _, modules = r.stdout.partition("\n")
    count, _, bad = first.strip().partition(" ")
    assert int(count) >= 8  # the core's modules were really found and imported
    for name in ("options", "presets", "texts", "page_texts", "notes", "citation", "layout", "key", "metadata", "cli"):
        assert f"timeline_app.export.{name}" in modules.split()
    assert bad == "", f"Qt imported by the Qt-free layers: {bad}"
