"""Opening a large file never freezes the window: the load runs off the GUI thread, with a
progress bar and a Cancel button in the status bar."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from timeline_app.ui.actions import ActionId
from timeline_app.ui.main_window import EXPORT_DATA_TOO_LARGE, MainWindow


def _write_events(n: int, path: Path) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    try:
        from generate import write  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    return write(n, path, seed=3)


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_events(150_000, tmp_path_factory.mktemp("big") / "big.json")  # ~65 MB: the columnar path


@pytest.mark.slow
def test_event_loop_keeps_turning_while_a_large_file_loads(qtbot: Any, window: MainWindow, big_file: Path) -> None:
    from PySide6.QtCore import QTimer

    path = big_file
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
    assert not window.load_progress.isVisible()  # the bar goes once the data set is shown
    # The columns carry no models: Export Data is greyed out and says why.
    export = window.actions_by_id[ActionId.EXPORT_DATA]
    assert not export.isEnabled() and export.toolTip() == EXPORT_DATA_TOO_LARGE


@pytest.mark.slow
def test_progress_bar_advances_and_cancel_keeps_the_data_set_shown(
    qtbot: Any, window: MainWindow, load: Any, timeline_file: Path, big_file: Path
) -> None:
    load(window, timeline_file)
    assert not window.load_progress.isVisible()  # a small file opens without flashing a bar
    finished: list[bool] = []
    window.load_finished.connect(finished.append)
    window.open_file(big_file)
    bar = window.load_progress.bar
    # Visible, and moved on from zero: the worker's stages reach the bar.
    qtbot.waitUntil(lambda: window.load_progress.isVisible() and bar.value() > 0, timeout=60_000)
    assert window.statusBar().isAncestorOf(window.load_progress)
    assert "big.json" in window.load_progress.bar.toolTip()
    assert window.statusBar().currentMessage() == "Opening big.json…"
    assert finished == []  # still loading: the cancel below is a real one

    qtbot.mouseClick(window.load_progress.cancel_button, Qt.MouseButton.LeftButton)
    assert not window.load_progress.isVisible()
    assert finished == [False]
    assert "cancelled" in window.statusBar().currentMessage() and "fixture.json" in window.statusBar().currentMessage()
    # Let the worker stop at its next stage; its result, if any, is dropped.
    assert window.loader.wait(120_000)
    QCoreApplication.processEvents()
    assert finished == [False]
    assert window.store is not None and len(window.store) == 6
    assert window.windowTitle() == "Fixture timeline — Timeline"
    assert window.path == str(timeline_file)
    assert window.messages.errors() == []
    # The window is ready for the next file.
    load(window, timeline_file)
    assert not window.load_progress.isVisible()
