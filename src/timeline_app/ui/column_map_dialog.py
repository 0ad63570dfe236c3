"""File > Import Spreadsheet…: map a spreadsheet's columns to ours by hand before it opens.

The columns recognised by name are chosen already (interop.csv_mapped.recognise); the reader
changes any, says which way round ``04/05/2014`` is meant, and sees the first rows of the file
while choosing. The choice goes to the same reader as ``timeline-app convert --column``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..interop.csv_mapped import FIELDS, Preview
from ..interop.open import CsvOptions

NONE = "(not in this file)"
# What each field means, in the reader's words (the form's labels).
LABELS = {
    "id": "Id",
    "title": "Title",
    "start": "Start date",
    "end": "End date",
    "actors": "Actor or group",
    "tags": "Tags",
    "summary": "Description",
    "quote": "Quote",
    "source": "Source or credit",
    "url": "Link",
}
DATE_ORDERS = (("Skip a row whose date is ambiguous, like 04/05/2014", None), ("Day first (04/05 = 4 May)", True),
               ("Month first (04/05 = 5 April)", False))  # fmt: skip


class ColumnMapDialog(QDialog):
    """Emits ``chosen`` with the mapping when the reader presses Open."""

    chosen = Signal(object)  # CsvOptions

    def __init__(self, name: str, preview: Preview, parent: QWidget | None = None, why: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import {name}")
        self.setObjectName("column_map_dialog")
        self._preview = preview
        intro = QLabel(
            (f"{why} " if why else "") + "Choose which column holds each part of an event. Columns recognised "
            "by their name are chosen already; a title and a start date are needed."
        )
        intro.setObjectName("column_map_intro")
        intro.setWordWrap(True)
        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for fld in FIELDS:
            combo = QComboBox(self)
            combo.addItem(NONE)
            combo.addItems(preview.header)
            column = preview.recognised.get(fld)
            if column is not None:
                combo.setCurrentText(column)
            combo.currentIndexChanged.connect(self._check)
            self.combos[fld] = combo
            form.addRow(LABELS[fld], combo)
        self.order = QComboBox(self)
        for text, value in DATE_ORDERS:
            self.order.addItem(text, value)
        form.addRow("Dates", self.order)
        self.table = QTableWidget(len(preview.rows), len(preview.header), self)
        self.table.setHorizontalHeaderLabels(preview.header)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(preview.rows):
            for c, value in enumerate(row[: len(preview.header)]):
                self.table.setItem(r, c, QTableWidgetItem(value.replace("\n", " ")))  # plain text, never HTML
        self.table.resizeColumnsToContents()
        self.problem = QLabel(self)
        self.problem.setObjectName("column_map_problem")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addLayout(form, 0)
        top.addWidget(self.table, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(980, 520)
        self._check()

    def options(self) -> CsvOptions:
        columns = {f: c.currentText() for f, c in self.combos.items() if c.currentIndex() > 0}
        return CsvOptions(columns, self.order.currentData())

    def _check(self) -> None:
        columns = self.options().columns
        missing = [LABELS[f].lower() for f in ("title", "start") if f not in columns]
        used = list(columns.values())
        twice = sorted({c for c in used if used.count(c) > 1})
        if missing:
            text = f"Choose the column with the {' and the '.join(missing)}."
        elif twice:
            text = f"The column {twice[0]!r} is chosen twice."
        else:
            text = ""
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        button = self.buttons.button(QDialogButtonBox.StandardButton.Open)
        button.setEnabled(not text)

    def _accept(self) -> None:
        self.chosen.emit(self.options())
        self.accept()


def make_dialog(name: str, preview: Preview, parent: QWidget | None = None, why: str = "") -> ColumnMapDialog:
    dialog = ColumnMapDialog(name, preview, parent, why)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    return dialog
