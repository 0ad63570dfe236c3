"""The status-bar progress bar with a Cancel button shown while a file loads.

It appears only when a load is still running after a moment (``SHOW_AFTER_MS``), so opening a
small file does not flash a bar; it hides as soon as the load is applied, fails or is cancelled.
The file's name is in the status message beside it ("Opening big.json…") and the bar's tooltip.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QSizePolicy, QWidget

SHOW_AFTER_MS = 250
_STEPS = 1000


class LoadProgress(QWidget):
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("load_progress")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)  # bar and button side by side
        self.bar = QProgressBar(self)
        self.bar.setObjectName("load_progress_bar")
        self.bar.setRange(0, _STEPS)
        self.bar.setFixedWidth(160)
        self.bar.setMaximumHeight(16)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("load_cancel")
        self.cancel_button.setToolTip("Stop loading; the data set shown now stays")
        self.cancel_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.cancel_button.clicked.connect(self.cancel_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(SHOW_AFTER_MS)
        self._show_timer.timeout.connect(self.show)
        self.hide()

    @property
    def running(self) -> bool:
        return self._show_timer.isActive() or self.isVisible()

    def start(self, name: str) -> None:
        self.bar.setToolTip(f"<p>Opening {html.escape(name)}</p>")  # a file name is data, not markup
        self.bar.setValue(0)
        if not self.isVisible():
            self._show_timer.start()

    def set_fraction(self, fraction: float) -> None:
        self.bar.setValue(round(min(max(fraction, 0.0), 1.0) * _STEPS))

    def fraction(self) -> float:
        return self.bar.value() / _STEPS

    def finish(self) -> None:
        self._show_timer.stop()
        self.hide()
