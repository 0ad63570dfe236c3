"""File > Export Image… and Edit > Copy Image.

The dialog never blocks (``open()``, not ``exec()``) and never shows errors itself beyond a line
of its own: a failed export is emitted as ``failed(message)`` for the window's message path, and
the dialog stays open so the reader can pick another name. Its choices go out as a plain dict
(``choices_changed``) for the window to keep in its settings, and come back in the same way.

Its options are the command line's (``export.presets.options_for``: one set, one set of defaults),
and its preview is drawn by the writers' own plan, a moment after the last change (debounced, in
a timer: never while painting), so it shows exactly what "Export" will write.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.store import EventStore
from ..export.glyphs import missing_glyphs, missing_glyphs_message
from ..export.metadata import file_sha256
from ..export.options import FORMAT_FILTER, ExportError, ExportOptions, ImageFormat, format_from_path
from ..export.page_texts import PageTexts, figure_rows, page_texts
from ..export.presets import ALIASES, CUSTOM, PRESET_BY_KEY, PRESETS, PRINT_DPIS, default_preset, options_for
from ..export.preview import render_preview
from ..export.writers import ExportResult, export_image, render_view_image
from .timeline_view import TimelineView

SCALES = (1.0, 2.0, 3.0)
PREVIEW_DELAY_MS = 250
PREVIEW_WIDTH = 640
Caption = str | Callable[[], str]
Mask = NDArray[np.bool_] | None
Masks = Callable[[], tuple[Mask, Mask]]  # (events shown, actor lanes shown), as given to the view


class ExportDialog(QDialog):
    """Choose a file, the range, the page and what goes on it, with a live preview; export on "Export"."""

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
        data_path: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Image")
        self.setObjectName("export_dialog")
        self._view = view
        self._store = store
        self._caption = state_caption
        self._masks = masks
        self._data_path = data_path
        self._sha: str | None = None
        self._preset_touched = False
        self._following = False  # the page follows the format's default (set by the dialog itself)
        self._preview_page = 0
        self.last_result: ExportResult | None = None

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
        self.title_edit.setPlaceholderText(" ".join(store.title.split()))

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

        self.error_label = _message_label(self, "export_error", "#c62828")
        self.glyph_label = _message_label(self, "export_glyphs", "#a15c00")

        form = QFormLayout()
        form.addRow("File:", path_row)
        form.addRow("", self.format_label)
        form.addRow("Show:", scope_row)
        form.addRow("Page:", size_row)
        form.addRow("Resolution:", res_row)
        form.addRow("PDF across:", self.pages_spin)
        form.addRow("Title:", self.title_edit)
        form.addRow("Include:", parts_row)
        form.addRow("", self.exact_check)

        self.preview_label = QLabel(self)
        self.preview_label.setObjectName("export_preview")
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.preview_scroll = QScrollArea(self)
        self.preview_scroll.setWidget(self.preview_label)
        self.preview_scroll.setWidgetResizable(True)
        self.preview_scroll.setMinimumSize(PREVIEW_WIDTH + 24, 600)
        self.preview_info = QLabel(self)
        self.preview_info.setObjectName("export_preview_info")
        self.prev_page = QPushButton("◀", self)
        self.next_page = QPushButton("▶", self)
        for b in (self.prev_page, self.next_page):
            b.setFixedWidth(36)
        self.prev_page.clicked.connect(lambda: self._turn(-1))
        self.next_page.clicked.connect(lambda: self._turn(1))
        info_row = QHBoxLayout()
        info_row.addWidget(self.prev_page)
        info_row.addWidget(self.preview_info, 1)
        info_row.addWidget(self.next_page)
        preview_box = QVBoxLayout()
        preview_box.addWidget(self.preview_scroll, 1)
        preview_box.addLayout(info_row)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("export_button")
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.export_now)
        self.buttons.rejected.connect(self.reject)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.glyph_label)
        left.addWidget(self.error_label)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 0)
        columns.addLayout(preview_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)

        self.set_choices(choices or {})
        self.path_edit.textChanged.connect(self._update_state)
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
            signal.connect(self.schedule_preview)
        self._update_state()
        self.schedule_preview()

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
        self.path_edit.setText(str(folder_path / f"{_slug(self._store.title)}{suffix}"))

    # -- exporting ---------------------------------------------------------------------------------

    def options(self) -> ExportOptions:
        key = self.size_combo.currentData()
        fmt = self._format()
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

    def page_texts(self, options: ExportOptions) -> PageTexts:
        """The words of the page for the view as it will be drawn (call inside ``_scope``)."""
        visible, lanes = self._masks() if self._masks is not None else (None, None)
        if self._sha is None and self._data_path:
            self._sha = self._store.content_key or file_sha256(self._data_path)
        return page_texts(
            self._store,
            visible,
            caption=self._caption_text(),
            title=options.title,
            lanes=lanes,
            x_range=self._view.view_range(),
            data_sha256=self._sha or self._store.content_key,
            data_file=Path(self._data_path).name if self._data_path else None,
        )

    def export_now(self) -> ExportResult | None:
        """Export with the current choices; on success close, on failure say why and stay open."""
        path = Path(self.path_edit.text().strip()).expanduser()
        try:
            if not self.path_edit.text().strip():
                raise ExportError("choose a file name ending in .png, .svg or .pdf")
            options = self.options()
            with _scope(self._view, options.scope):
                texts = self.page_texts(options)
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

    # -- preview -----------------------------------------------------------------------------------

    def schedule_preview(self) -> None:
        """Redraw the preview a moment after the last change (typing a title does not redraw per key)."""
        self._preview_timer.start()

    def update_preview(self) -> None:
        self._preview_timer.stop()
        fmt = self._format() or ImageFormat.PNG
        try:
            options = self.options()
            with _scope(self._view, options.scope):
                texts = self.page_texts(options)
                preview = render_preview(
                    self._view, texts, options, fmt, page=self._preview_page, max_width=PREVIEW_WIDTH, max_height=20000
                )
                titles = [str(self._store.titles[i]) for i in figure_rows(self._store, None, self._view.view_range())]
        except ExportError as exc:
            self.preview_label.setPixmap(QPixmap())
            self.preview_info.setText(str(exc))
            return
        self._preview_page = preview.page
        self.preview_label.setPixmap(QPixmap.fromImage(preview.image))
        pages = f"page {preview.page + 1} of {preview.pages} · " if preview.pages > 1 else ""
        side = " · notes in NAME-sources.txt" if preview.sidecar else ""
        self.preview_info.setText(f"{pages}{preview.width} × {preview.height} {fmt.value.upper()}{side}")
        self.prev_page.setEnabled(preview.page > 0)
        self.next_page.setEnabled(preview.page < preview.pages - 1)
        missing = missing_glyphs(texts.all_text() + "\n" + "\n".join(titles))
        self.glyph_label.setText(missing_glyphs_message(missing) if missing else "")
        self.glyph_label.setVisible(bool(missing))

    def _turn(self, step: int) -> None:
        self._preview_page = max(0, self._preview_page + step)
        self.update_preview()

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
        if hasattr(self, "pixels_label"):
            self._update_state()

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


def _is_paper(key: object) -> bool:
    chosen = PRESET_BY_KEY.get(key) if isinstance(key, str) else None
    return chosen is not None and chosen.is_paper


def _message_label(parent: QWidget, name: str, color: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setMaximumWidth(520)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet(f"color: {color};")
    label.hide()
    return label


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
