"""When something goes wrong inside the window, the reader is told and the window stays."""

from __future__ import annotations

import faulthandler
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication

from timeline_app.ui.app import CRASH_FILE, LOG_FILE, FaultLog, log_dir, make_excepthook
from timeline_app.ui.main_window import MainWindow


class _Emitter(QObject):
    fire = Signal()


@pytest.fixture
def fault_log(tmp_path: Path) -> Iterator[FaultLog]:
    faults = FaultLog(tmp_path / "logs")
    yield faults
    faults.close()


def test_log_dir_honours_the_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_APP_LOG_DIR", str(tmp_path / "elsewhere"))
    assert log_dir() == tmp_path / "elsewhere"


def test_fault_log_enables_faulthandler_into_the_folder(fault_log: FaultLog) -> None:
    assert faulthandler.is_enabled()
    assert (fault_log.folder / CRASH_FILE).exists()
    faulthandler.dump_traceback(file=fault_log._crash)  # what a crash would write
    assert fault_log._crash is not None
    fault_log._crash.flush()
    assert "test_fault_log_enables_faulthandler" in (fault_log.folder / CRASH_FILE).read_text(encoding="utf-8")


def test_unwritable_log_folder_is_not_fatal(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    faults = FaultLog(blocker / "logs")
    try:
        assert faults.handler is None
    finally:
        faults.close()


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_is_shown_logged_and_survived(
    window: MainWindow, load: Any, timeline_file: Path, fault_log: FaultLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", make_excepthook(window.messages))
    emitter = _Emitter()

    def broken_slot() -> None:
        raise RuntimeError("slot blew up")

    emitter.fire.connect(broken_slot)
    emitter.fire.emit()  # PySide hands the exception to sys.excepthook and carries on

    errors = window.messages.errors()
    assert len(errors) == 1 and errors[0].title == "Unexpected error: RuntimeError: slot blew up"
    assert any("broken_slot" in line for line in errors[0].lines)
    assert window.problems_dock.isVisible()
    window.problems_dock.copy_all_button.click()
    assert "RuntimeError: slot blew up" in QGuiApplication.clipboard().text()
    assert fault_log.handler is not None
    fault_log.handler.flush()
    logged = (fault_log.folder / LOG_FILE).read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "RuntimeError: slot blew up" in logged
    # Still alive and working.
    load(window, timeline_file)
    assert window.count_label.text() == "6 events"


def test_unwritable_config_folder_gives_a_notice_not_a_crash(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, load: Any, timeline_file: Path
) -> None:
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the config folder's parent should be", encoding="utf-8")
    monkeypatch.setenv("TIMELINE_APP_CONFIG_DIR", str(blocker / "config"))
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    load(win, timeline_file)  # opening adds a recent file and saves the settings
    assert win.count_label.text() == "6 events"
    assert win.messages.errors() == []
    notices = [m.title for m in win.messages.notices()]
    assert any("settings" in text.lower() for text in notices), notices
    win.close()  # saving again on close must not raise either
    win.loader.wait(5000)
