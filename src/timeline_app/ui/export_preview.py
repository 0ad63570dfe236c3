"""The export dialog's preview pane: a page of the output, drawn by the writers' own plan
(``export.preview``), as large as the pane allows at the page's aspect ratio.

The figure (the page without the notes panel an image grows below it) fits the pane; the notes
panel, when there is one, continues below and scrolls. The pane asks for a size of the page's
shape, so the dialog opens around it, and it redraws to fill itself when it is resized.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..export.preview import Preview

PREFERRED_WIDTH = 680  # the pane's width for a landscape page, before the reader resizes the dialog
MIN_HEIGHT, MAX_HEIGHT = 340, 620  # the pane's height range, whatever the page's shape
RESIZE_DELAY_MS = 120


class ExportPreview(QWidget):
    """The preview image in a scroll area, the page it shows and buttons to turn pages."""

    turned = Signal(int)  # -1 or +1: the reader asked for the page before or after
    resized = Signal()  # the room for the preview changed (debounced): draw it again to fill it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._aspect = 16 / 9  # the page's width / height
        self.label = QLabel(self)
        self.label.setObjectName("export_preview")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll = QScrollArea(self)
        self.scroll.setWidget(self.label)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.StyledPanel)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setMinimumSize(320, 200)
        self.scroll.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.info = QLabel(self)
        self.info.setObjectName("export_preview_info")
        self.prev_page = QPushButton("◀", self)
        self.next_page = QPushButton("▶", self)
        for b in (self.prev_page, self.next_page):
            b.setFixedWidth(36)
        self.prev_page.clicked.connect(lambda: self.turned.emit(-1))
        self.next_page.clicked.connect(lambda: self.turned.emit(1))
        info_row = QHBoxLayout()
        info_row.addWidget(self.prev_page)
        info_row.addWidget(self.info, 1)
        info_row.addWidget(self.next_page)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.scroll, 1)
        box.addLayout(info_row)
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(RESIZE_DELAY_MS)
        self._resize_timer.timeout.connect(self.resized)

    def set_aspect(self, width: float, height: float) -> bool:
        """The shape of the page to show; True when it changed (the pane then asks for a new size)."""
        aspect = width / height if width > 0 and height > 0 else 16 / 9
        if abs(aspect - self._aspect) < 1e-6:
            return False
        self._aspect = aspect
        self.updateGeometry()
        return True

    def room(self) -> QSize:
        """The room the figure may fill, in device pixels: the viewport, less a scroll bar's width
        (the notes panel below a figure scrolls) and a small border."""
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        view = self.scroll.viewport().size()
        ratio = self.devicePixelRatioF()
        return QSize(max(1, round((view.width() - bar - 8) * ratio)), max(1, round((view.height() - 8) * ratio)))

    def show_preview(self, preview: Preview, kind: str) -> None:
        """Show ``preview``; ``kind`` names the output ("PNG"), for the line below it."""
        image = preview.image
        image.setDevicePixelRatio(self.devicePixelRatioF())
        self.label.setPixmap(QPixmap.fromImage(image))
        pages = f"page {preview.page + 1} of {preview.pages} · " if preview.pages > 1 else ""
        side = " · notes in NAME-sources.txt" if preview.sidecar else ""
        self.info.setText(f"{pages}{preview.width} × {preview.height} {kind}{side}")
        self.prev_page.setEnabled(preview.page > 0)
        self.next_page.setEnabled(preview.page < preview.pages - 1)

    def show_message(self, message: str) -> None:
        """No preview, and why (an option the export would refuse)."""
        self.label.setPixmap(QPixmap())
        self.info.setText(message)

    def sizeHint(self) -> QSize:
        """A pane of the page's shape: landscape pages at the preferred width, tall ones narrower."""
        height = min(MAX_HEIGHT, max(MIN_HEIGHT, round(PREFERRED_WIDTH / self._aspect)))
        width = min(PREFERRED_WIDTH, round(height * self._aspect))
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        row = max(self.info.sizeHint().height(), self.next_page.sizeHint().height()) + 6
        return QSize(width + bar + 12, height + 12 + row)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._resize_timer.start()
