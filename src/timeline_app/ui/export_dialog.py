"""File > Export Image… and Edit > Copy Image.

The dialog never blocks (``open()``, not ``exec()``) and never shows errors itself beyond a line
of its own: a failed export is emitted as ``failed(message)`` for the window's message path, and
the dialog stays open so the reader can pick another name. Its choices go out as a plain dict
(``choices_changed``) for the window to keep in its settings, and come back in the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.store import EventStore
from ..export.options import FORMAT_FILTER, ExportError, ExportOptions, ImageFormat, format_from_path
from ..export.page import page_texts
from ..export.presets import CUSTOM, PRESET_BY_KEY, PRESETS
from ..export.writers import ExportResult, export_image, render_view_image
from .timeline_view import TimelineView

SCALES = (1.0, 2.0, 3.0)
Caption = str | Callable[[], str]
Mask = NDArray[np.bool_] | None
Masks = Callable[[], tuple[Mask, Mask]]  # (events shown, actor lanes shown), as given to the view


class ExportDialog(QDialog):
    """Choose a file, the range, the size and the PNG scale; export on "Export"."""

    exported = Signal(object)  # ExportResult
    failed = Signal(str)  # a message for the user
    choices_changed = Signal(dict)  # to persist: see choices()

    def __init__(
        self,
        parent: QWidget | None,
        view: TimelineView,
        store: EventStore,
        state_caption: Caption = "",
        *,
        masks: Masks | None = None,
        choices: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Image")
        self.setObjectName("export_dialog")
        self._view = view
        self._store = store
        self._caption = state_caption
        self._masks = masks
        self.last_result: ExportResult | None = None

        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("export_path")
        self.path_edit.setPlaceholderText("timeline.png, .svg or .pdf")
        self.path_edit.setMinimumWidth(380)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.format_label = QLabel(self)
        self.format_label.setTextFormat(Qt.TextFormat.PlainText)

        self.current_radio = QRadioButton("Current view", self)
        self.whole_radio = QRadioButton("Whole timeline", self)
        self.current_radio.setChecked(True)
        scope = QButtonGroup(self)
        scope.addButton(self.current_radio)
        scope.addButton(self.whole_radio)
        scope_row = QHBoxLayout()
        scope_row.addWidget(self.current_radio)
        scope_row.addWidget(self.whole_radio)
        scope_row.addStretch(1)

        self.size_combo = QComboBox(self)
        for p in PRESETS:
            self.size_combo.addItem(p.label, p.key)
        self.size_combo.addItem("Custom size", CUSTOM)
        self.width_spin = _spin(self, 400, 20000, 1920)
        self.height_spin = _spin(self, 300, 20000, 1080)
        size_row = QHBoxLayout()
        size_row.addWidget(self.size_combo, 1)
        size_row.addWidget(self.width_spin)
        size_row.addWidget(QLabel("×", self))
        size_row.addWidget(self.height_spin)

        self.scale_combo = QComboBox(self)
        for s in SCALES:
            self.scale_combo.addItem(f"{s:g}×", s)

        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText(" ".join(store.title.split()))

        self.error_label = QLabel(self)
        self.error_label.setObjectName("export_error")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.hide()

        form = QFormLayout()
        form.addRow("File:", path_row)
        form.addRow("", self.format_label)
        form.addRow("Show:", scope_row)
        form.addRow("Size:", size_row)
        form.addRow("PNG scale:", self.scale_combo)
        form.addRow("Title:", self.title_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("export_button")
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.export_now)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.set_choices(choices or {})
        self.path_edit.textChanged.connect(self._update_state)
        self.size_combo.currentIndexChanged.connect(self._preset_chosen)
        self._update_state()

    # -- choices in and out ------------------------------------------------------------------------

    def choices(self) -> dict[str, Any]:
        """What to remember for next time (plain JSON types)."""
        path = self.path_edit.text().strip()
        return {
            "folder": str(Path(path).expanduser().parent) if path else "",
            "suffix": Path(path).suffix.lower() if path else ".png",
            "preset": self.size_combo.currentData(),
            "width": self.width_spin.value(),
            "height": self.height_spin.value(),
            "scale": self.scale_combo.currentData(),
            "scope": "all" if self.whole_radio.isChecked() else "view",
        }

    def set_choices(self, choices: Mapping[str, Any]) -> None:
        """Restore remembered choices; anything missing or odd falls back to the defaults."""
        key = choices.get("preset")
        index = self.size_combo.findData(key if key in (*PRESET_BY_KEY, CUSTOM) else "1080p")
        self.size_combo.setCurrentIndex(max(0, index))
        for spin, name in ((self.width_spin, "width"), (self.height_spin, "height")):
            value = choices.get(name)
            if isinstance(value, int) and spin.minimum() <= value <= spin.maximum():
                spin.setValue(value)
        self._preset_chosen()
        scale = choices.get("scale")
        self.scale_combo.setCurrentIndex(max(0, self.scale_combo.findData(scale if scale in SCALES else 1.0)))
        (self.whole_radio if choices.get("scope") == "all" else self.current_radio).setChecked(True)
        suffix = choices.get("suffix")
        suffix = suffix if suffix in (".png", ".svg", ".pdf") else ".png"
        folder = choices.get("folder")
        folder_path = Path(folder) if isinstance(folder, str) and folder and Path(folder).is_dir() else Path.home()
        self.path_edit.setText(str(folder_path / f"{_slug(self._store.title)}{suffix}"))

    # -- exporting ---------------------------------------------------------------------------------

    def options(self) -> ExportOptions:
        key = self.size_combo.currentData()
        fmt = self._format()
        chosen = PRESET_BY_KEY.get(key)
        return ExportOptions.make(
            width=self.width_spin.value(),
            height=self.height_spin.value(),
            scale=self.scale_combo.currentData() if fmt is ImageFormat.PNG else 1.0,
            title=self.title_edit.text().strip() or None,
            scope="all" if self.whole_radio.isChecked() else "view",
            page=chosen.page if chosen is not None and fmt is ImageFormat.PDF else None,
        )

    def export_now(self) -> ExportResult | None:
        """Export with the current choices; on success close, on failure say why and stay open."""
        path = Path(self.path_edit.text().strip()).expanduser()
        try:
            if not self.path_edit.text().strip():
                raise ExportError("choose a file name ending in .png, .svg or .pdf")
            options = self.options()
            visible, lanes = self._masks() if self._masks is not None else (None, None)
            texts = page_texts(self._store, visible, caption=self._caption_text(), title=options.title, lanes=lanes)
            with _scope(self._view, options.scope):
                result = export_image(self._view, path, options, texts)
        except ExportError as exc:
            self._show_error(str(exc))
            self.failed.emit(str(exc))
            return None
        self.last_result = result
        self.error_label.hide()
        self.choices_changed.emit(self.choices())
        self.exported.emit(result)
        self.accept()
        return result

    def _caption_text(self) -> str:
        return self._caption() if callable(self._caption) else self._caption

    # -- widgets -----------------------------------------------------------------------------------

    def _format(self) -> ImageFormat | None:
        try:
            return format_from_path(self.path_edit.text().strip())
        except ExportError:
            return None

    def _update_state(self) -> None:
        fmt = self._format()
        self.format_label.setText(fmt.label if fmt else "Name the file .png, .svg or .pdf")
        self.export_button.setEnabled(fmt is not None)
        self.scale_combo.setEnabled(fmt is ImageFormat.PNG)

    def _preset_chosen(self) -> None:
        chosen = PRESET_BY_KEY.get(self.size_combo.currentData())
        custom = chosen is None
        self.width_spin.setEnabled(custom)
        self.height_spin.setEnabled(custom)
        if chosen is not None:
            self.width_spin.setValue(chosen.width)
            self.height_spin.setValue(chosen.height)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _browse(self) -> None:  # pragma: no cover - a native, blocking file chooser
        start = self.path_edit.text().strip() or str(Path.home())
        chosen, _ = QFileDialog.getSaveFileName(self, "Export Image", start, FORMAT_FILTER)
        if chosen:
            if not Path(chosen).suffix:
                chosen += ".png"
            self.path_edit.setText(chosen)


@contextmanager
def _scope(view: TimelineView, scope: str) -> Iterator[None]:
    """For "whole timeline", fit all for the drawing, then put the reader's range back unnoticed."""
    if scope != "all":
        yield
        return
    old = view.view_range()
    was_blocked = view.blockSignals(True)
    try:
        view.fit_all()
        yield
    finally:
        view.set_view_range(*old)
        view.blockSignals(was_blocked)


def copy_image_to_clipboard(view: TimelineView) -> QImage:
    """Edit > Copy Image: the view as it is on screen, at the screen's pixel density."""
    ratio = max(1.0, view.devicePixelRatioF())
    image = render_view_image(view, max(1, view.width()), max(1, view.height()), ratio)
    QGuiApplication.clipboard().setImage(image)
    return image


def _spin(parent: QWidget, lo: int, hi: int, value: int) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(lo, hi)
    spin.setValue(value)
    spin.setSuffix(" px")
    spin.setAccelerated(True)
    return spin


def _slug(title: str) -> str:
    slug = re.sub(r"[^\w]+", "-", title.casefold(), flags=re.UNICODE).strip("-")
    return slug[:60].rstrip("-") or "timeline"
