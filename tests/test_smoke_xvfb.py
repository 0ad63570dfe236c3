"""Smoke tests in a real window on an X server (Xvfb), as a user would start the app.

CI installs xvfb (.ci/run); on a developer machine without it these tests are skipped with the
reason shown.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
XVFB = shutil.which("xvfb-run")
pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(XVFB is None and not os.environ.get("CI"), reason="xvfb-run is not installed"),
]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["TIMELINE_APP_CONFIG_DIR"] = str(tmp_path / "config")
    env["QT_QPA_PLATFORM"] = "xcb"
    return env


def _xvfb(*args: str) -> list[str]:
    assert XVFB is not None, "CI must install xvfb (see .ci/run)"
    return [XVFB, "-a", "-s", "-screen 0 1920x1080x24", *args]


def test_app_starts_in_a_real_window_and_stays_up(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        _xvfb(sys.executable, "-m", "timeline_app"),
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        time.sleep(8)
        assert proc.poll() is None, f"the app exited early: {proc.communicate()[1].decode(errors='replace')}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert b"Traceback" not in err, err.decode(errors="replace")


def test_screenshot_of_the_real_window(tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QImage

    out = tmp_path / "window.png"
    result = subprocess.run(
        _xvfb(sys.executable, str(ROOT / "tools" / "screenshot_app.py"), "--size", "1280x800", "-o", str(out)),
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    # The US lane's blue and Pakistan's vermillion from events.json are on screen.
    found = {image.pixelColor(x, y).name() for x in range(0, 1280, 2) for y in range(0, 800, 2)}
    assert "#0072b2" in found and "#d55e00" in found, "actor colours not drawn in the window"
    assert len(found) > 50
    assert QColor("#0072b2").isValid()
