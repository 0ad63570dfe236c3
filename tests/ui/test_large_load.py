"""Opening a large file never freezes the window: the load runs off the GUI thread."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from timeline_app.ui.main_window import MainWindow


def _write_events(n: int, path: Path) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    try:
        from generate import write  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    return write(n, path, seed=3)


@pytest.mark.slow
def test_event_loop_keeps_turning_while_a_large_file_loads(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtCore import QTimer

    path = _write_events(150_000, tmp_path / "big.json")  # ~65 MB: the columnar path
    ticks: list[int] = []
    progress: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(1))
    window.loader.progress.connect(progress.append)
    timer.start()
    with qtbot.waitSignal(window.load_finished, timeout=120_000) as blocker:
        window.open_file(path)
        assert window.store is None or len(window.store) != 150_000  # open_file returned before the load ended
    timer.stop()
    assert blocker.args == [True]
    assert window.store is not None and len(window.store) == 150_000
    # The GUI thread kept serving its timer through the load (a blocked loop would tick ~once).
    assert len(ticks) >= 10, f"the event loop turned only {len(ticks)} times during the load"
    assert progress and progress == sorted(progress) and progress[-1] <= 1.0
