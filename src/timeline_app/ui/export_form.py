"""The export dialog's choices: file, range, page, resolution and what goes on the page, turned into
the command line's ``ExportOptions`` (``export.presets.options_for``: one set, one set of
defaults) and into a plain dict the window keeps in its settings.

Until the reader picks a page, the page follows the file's format (A4 for a PDF, the slide
otherwise), as on the command line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from ..export.options import FORMAT_FILTER, ExportError, ExportOptions, ImageFormat, format_from_path
from ..export.presets import ALIASES, CUSTOM, PRESET_BY_KEY, PRESETS, PRINT_DPIS, default_preset, options_for

SCALES = (1.0, 2.0, 3.0)


class ExportForm(QWidget):
    """The option widgets and what they mean; ``changed`` fires on any change."""

    changed = Signal()

    def __init__(self, parent: QWidget | None, data_title: str) -> None:
        super().__init__(parent)
        self._data_title = data_title
        self._preset_touched = False
        self._following = False  # the page follows the format's default (set by the form itself)

        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("export_path")
        self.path_edit.setPlaceholderText("timeline.png, .svg or .pdf")
        self.path_edit.setMinimumWidth(340)
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
        self.dpi_combo = QComboBox(self)
        for d in PRINT_DPIS:
            self.dpi_combo.addItem(f"{d} dpi", d)
        self.dpi_combo.setCurrentIndex(self.dpi_combo.findData(300))
        self.pixels_label = QLabel(self)
        self.pixels_label.setObjectName("export_pixels")
        res_row = QHBoxLayout()
        res_row.addWidget(self.scale_combo)
        res_row.addWidget(self.dpi_combo)
        res_row.addWidget(self.pixels_label, 1)

        self.pages_spin = QSpinBox(self)
        self.pages_spin.setRange(1, 20)
        self.pages_spin.setSuffix(" page(s) wide")

        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText(" ".join(data_title.split()))

        self.legend_check = QCheckBox("Legend", self)
        self.caption_check = QCheckBox("Filter caption", self)
        self.notes_check = QCheckBox("Source notes", self)
        for box in (self.legend_check, self.caption_check, self.notes_check):
            box.setChecked(True)
        self.exact_check = QCheckBox("Exact size (notes beside it as NAME-sources.txt)", self)
        self.font_spin = QDoubleSpinBox(self)
        self.font_spin.setRange(0.5, 3.0)
        self.font_spin.setSingleStep(0.1)
        self.font_spin.setValue(1.0)
        self.font_spin.setSuffix("× text")
        parts_row = QHBoxLayout()
        for w in (self.legend_check, self.caption_check, self.notes_check, self.font_spin):
            parts_row.addWidget(w)
        parts_row.addStretch(1)

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("File:", path_row)
        form.addRow("", self.format_label)
        form.addRow("Show:", scope_row)
        form.addRow("Page:", size_row)
        form.addRow("Resolution:", res_row)
        form.addRow("PDF across:", self.pages_spin)
        form.addRow("Title:", self.title_edit)
        form.addRow("Include:", parts_row)
        form.addRow("", self.exact_check)

    def connect_changes(self) -> None:
        """Start reporting changes (after the remembered choices are in)."""
        self.path_edit.textChanged.connect(self.update_state)
        self.size_combo.currentIndexChanged.connect(self._preset_picked)
        self.size_combo.currentIndexChanged.connect(self._preset_chosen)
        for signal in (
            self.path_edit.textChanged,
            self.size_combo.currentIndexChanged,
            self.width_spin.valueChanged,
            self.height_spin.valueChanged,
            self.scale_combo.currentIndexChanged,
            self.dpi_combo.currentIndexChanged,
            self.pages_spin.valueChanged,
            self.title_edit.textChanged,
            self.legend_check.toggled,
            self.caption_check.toggled,
            self.notes_check.toggled,
            self.exact_check.toggled,
            self.font_spin.valueChanged,
            self.current_radio.toggled,
        ):
            signal.connect(self.changed)
        self.update_state()

    # -- choices in and out ------------------------------------------------------------------------

    def choices(self) -> dict[str, Any]:
        """What to remember for next time (plain JSON types)."""
        path = self.path_edit.text().strip()
        return {
            "folder": str(Path(path).expanduser().parent) if path else "",
            "suffix": Path(path).suffix.lower() if path else ".png",
            "preset": self.size_combo.currentData() if self._preset_touched else None,
            "width": self.width_spin.value(),
            "height": self.height_spin.value(),
            "scale": self.scale_combo.currentData(),
            "dpi": self.dpi_combo.currentData(),
            "scope": "all" if self.whole_radio.isChecked() else "view",
            "legend": self.legend_check.isChecked(),
            "caption": self.caption_check.isChecked(),
            "notes": self.notes_check.isChecked(),
            "exact": self.exact_check.isChecked(),
            "font_scale": self.font_spin.value(),
        }

    def set_choices(self, choices: Mapping[str, Any]) -> None:
        """Restore remembered choices; anything missing or odd falls back to the defaults."""
        suffix = choices.get("suffix")
        suffix = suffix if suffix in (".png", ".svg", ".pdf") else ".png"
        folder = choices.get("folder")
        folder_path = Path(folder) if isinstance(folder, str) and folder and Path(folder).is_dir() else Path.home()
        key = choices.get("preset")
        key = ALIASES.get(key, key) if isinstance(key, str) else None
        self._preset_touched = key in (*PRESET_BY_KEY, CUSTOM)
        if not self._preset_touched:
            key = default_preset(format_from_path(f"x{suffix}"))
        self.size_combo.setCurrentIndex(max(0, self.size_combo.findData(key)))
        for spin, name in ((self.width_spin, "width"), (self.height_spin, "height")):
            value = choices.get(name)
            if isinstance(value, int) and spin.minimum() <= value <= spin.maximum():
                spin.setValue(value)
        self._preset_chosen()
        scale = choices.get("scale")
        self.scale_combo.setCurrentIndex(max(0, self.scale_combo.findData(scale if scale in SCALES else 1.0)))
        dpi = choices.get("dpi")
        self.dpi_combo.setCurrentIndex(max(0, self.dpi_combo.findData(dpi if dpi in PRINT_DPIS else 300)))
        (self.whole_radio if choices.get("scope") == "all" else self.current_radio).setChecked(True)
        for box, name in (
            (self.legend_check, "legend"),
            (self.caption_check, "caption"),
            (self.notes_check, "notes"),
            (self.exact_check, "exact"),
        ):
            value = choices.get(name)
            if isinstance(value, bool):
                box.setChecked(value)
        font = choices.get("font_scale")
        if isinstance(font, (int, float)) and 0.5 <= font <= 3.0:
            self.font_spin.setValue(float(font))
        self.path_edit.setText(str(folder_path / f"{_slug(self._data_title)}{suffix}"))

    # -- options -----------------------------------------------------------------------------------

    def options(self) -> ExportOptions:
        key = self.size_combo.currentData()
        fmt = self.format()
        custom = key == CUSTOM
        return options_for(
            fmt,
            size=key,
            width=self.width_spin.value() if custom else None,
            height=self.height_spin.value() if custom else None,
            scale=self.scale_combo.currentData() if fmt is ImageFormat.PNG else 1.0,
            dpi=self.dpi_combo.currentData() if fmt is ImageFormat.PNG and _is_paper(key) else None,
            title=self.title_edit.text().strip() or None,
            scope="all" if self.whole_radio.isChecked() else "view",
            legend=self.legend_check.isChecked(),
            caption=self.caption_check.isChecked(),
            notes=self.notes_check.isChecked(),
            fixed_size=self.exact_check.isChecked(),
            font_scale=round(self.font_spin.value(), 2),
            pages_wide=self.pages_spin.value() if fmt is ImageFormat.PDF else 1,
        )

    def format(self) -> ImageFormat | None:
        """The format the file's name asks for, None for a name without a known extension."""
        try:
            return format_from_path(self.path_edit.text().strip())
        except ExportError:
            return None

    def path(self) -> str:
        return self.path_edit.text().strip()

    # -- keeping the widgets consistent ------------------------------------------------------------

    def update_state(self) -> None:
        fmt = self.format()
        self.format_label.setText(fmt.label if fmt else "Name the file .png, .svg or .pdf")
        if not self._preset_touched:  # the format's default page, as on the command line
            index = self.size_combo.findData(default_preset(fmt))
            if index != self.size_combo.currentIndex():
                self._following = True
                try:
                    self.size_combo.setCurrentIndex(index)
                finally:
                    self._following = False
        paper = _is_paper(self.size_combo.currentData())
        self.scale_combo.setVisible(not paper)
        self.dpi_combo.setVisible(paper)
        self.scale_combo.setEnabled(fmt is ImageFormat.PNG)
        self.dpi_combo.setEnabled(fmt is ImageFormat.PNG)
        self.pages_spin.setEnabled(fmt is ImageFormat.PDF)
        self.exact_check.setEnabled(fmt is not ImageFormat.PDF)
        try:
            w, h = self.options().pixel_size(fmt or ImageFormat.PNG)
            self.pixels_label.setText(f"{w} × {h} px" if fmt is ImageFormat.PNG else "vector")
        except ExportError as exc:
            self.pixels_label.setText(str(exc))

    def _preset_picked(self) -> None:
        if not self._following:  # the user (or a caller) chose it: it no longer follows the format
            self._preset_touched = True

    def _preset_chosen(self) -> None:
        chosen = PRESET_BY_KEY.get(self.size_combo.currentData())
        custom = chosen is None
        self.width_spin.setEnabled(custom)
        self.height_spin.setEnabled(custom)
        if chosen is not None:
            self.width_spin.setValue(chosen.width)
            self.height_spin.setValue(chosen.height)
        self.update_state()

    def _browse(self) -> None:  # pragma: no cover - a native, blocking file chooser
        start = self.path_edit.text().strip() or str(Path.home())
        chosen, _ = QFileDialog.getSaveFileName(self, "Export Image", start, FORMAT_FILTER)
        if chosen:
            if not Path(chosen).suffix:
                chosen += ".png"
            self.path_edit.setText(chosen)


def _is_paper(key: object) -> bool:
    chosen = PRESET_BY_KEY.get(key) if isinstance(key, str) else None
    return chosen is not None and chosen.is_paper


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
