"""File > Export Image… and Edit > Copy Image.

The dialog never blocks (``open()``, not ``exec()``) and never shows errors itself beyond a line
of its own: a failed export is emitted as ``failed(message)`` for the window's message path, and
the dialog stays open so the reader can pick another name. Its choices go out as a plain dict
(``choices_changed``) for the window to keep in its settings, and come back in the same way.

Its options are the command line's (``ui.export_form``), and its preview (``ui.export_preview``)
is drawn by the writers' own plan, a moment after the last change (debounced, in a timer: never
while painting), so it shows exactly what "Export" will write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage, QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..core.store import EventStore
from ..export.glyphs import missing_glyphs, missing_glyphs_message
from ..export.metadata import file_sha256
from ..export.options import ExportError, ExportOptions, ImageFormat
from ..export.page_texts import PageTexts, figure_rows, page_texts
from ..export.preview import render_preview
from ..export.writers import ExportResult, export_image, render_view_image
from .export_form import ExportForm
from .export_preview import ExportPreview
from .timeline_view import TimelineView

PREVIEW_DELAY_MS = 250
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
        self._preview_page = 0
        self._fitted: QSize | None = None  # the size the dialog last gave itself (the reader's, once it differs)
        self.last_result: ExportResult | None = None

        self.form = ExportForm(self, store.title)
        # the widgets callers drive (the window's tests, tools/screenshot_app.py)
        self.path_edit = self.form.path_edit
        self.size_combo = self.form.size_combo
        self.width_spin = self.form.width_spin
        self.height_spin = self.form.height_spin
        self.scale_combo = self.form.scale_combo
        self.whole_radio = self.form.whole_radio
        self.error_label = _message_label(self, "export_error", "#c62828")
        self.glyph_label = _message_label(self, "export_glyphs", "#a15c00")

        self.preview = ExportPreview(self)
        self.preview_label = self.preview.label
        self.preview_info = self.preview.info
        self.prev_page = self.preview.prev_page
        self.next_page = self.preview.next_page
        self.preview.turned.connect(self._turn)
        self.preview.resized.connect(self.schedule_preview)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("export_button")
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.export_now)
        self.buttons.rejected.connect(self.reject)
        left = QVBoxLayout()
        left.addWidget(self.form)
        left.addWidget(self.glyph_label)
        left.addWidget(self.error_label)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 0)
        columns.addWidget(self.preview, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)

        self.form.set_choices(choices or {})
        self.form.changed.connect(self._changed)
        self.form.connect_changes()
        self._changed()

    # -- choices in and out ------------------------------------------------------------------------

    def choices(self) -> dict[str, Any]:
        """What to remember for next time (plain JSON types)."""
        return self.form.choices()

    def set_choices(self, choices: Mapping[str, Any]) -> None:
        """Restore remembered choices; anything missing or odd falls back to the defaults."""
        self.form.set_choices(choices)

    # -- exporting ---------------------------------------------------------------------------------

    def options(self) -> ExportOptions:
        return self.form.options()

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
        path = Path(self.form.path()).expanduser()
        try:
            if not self.form.path():
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
        fmt = self.form.format() or ImageFormat.PNG
        try:
            options = self.options()
            self._fit_to_page(options)
            room = self.preview.room()
            with _scope(self._view, options.scope):
                texts = self.page_texts(options)
                preview = render_preview(
                    self._view,
                    texts,
                    options,
                    fmt,
                    page=self._preview_page,
                    max_width=room.width(),
                    max_height=room.height(),
                )
                titles = [str(self._store.titles[i]) for i in figure_rows(self._store, None, self._view.view_range())]
        except ExportError as exc:
            self.preview.show_message(str(exc))
            return
        self._preview_page = preview.page
        self.preview.show_preview(preview, fmt.value.upper())
        missing = missing_glyphs(texts.all_text() + "\n" + "\n".join(titles))
        self.glyph_label.setText(missing_glyphs_message(missing) if missing else "")
        self.glyph_label.setVisible(bool(missing))

    def _fit_to_page(self, options: ExportOptions) -> None:
        """A page of another shape: the pane takes its shape, and the dialog its new size unless
        the reader has sized it."""
        reshaped = self.preview.set_aspect(options.width, options.height)
        if reshaped and self.isVisible() and self.size() == self._fitted:
            self.layout().activate()  # the pane's new size hint reaches the dialog's layout now
            self.adjustSize()
            self._fitted = self.size()

    def _turn(self, step: int) -> None:
        self._preview_page = max(0, self._preview_page + step)
        self.update_preview()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fitted is None:
            self._fitted = self.size()

    # -- widgets -----------------------------------------------------------------------------------

    def _changed(self) -> None:
        self.export_button.setEnabled(self.form.format() is not None)
        self.schedule_preview()

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()


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
