"""A row of chips over the timeline that states the active filter, each with × to remove it.

The filter lives in the side dock; the chips say it where the reader looks ("Pakistan and
Russia · 2018–2020 · “IMET”"), and removing one clears that part in the dock too (the window
does it: the chips only report which was removed). Hidden when no filter is active.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

__all__ = ["Chip", "FilterChips", "actor_chip_text", "date_chip_text"]

MAX_NAMED_ACTORS = 3
CHIP_STYLE = "QToolButton { border: 1px solid palette(mid); border-radius: 9px; padding: 1px 8px; }"


@dataclass(frozen=True)
class Chip:
    key: str  # "actors" | "dates" | "search" | "source": what × clears
    text: str
    tip: str = ""


def actor_chip_text(checked: Sequence[str], hidden: Sequence[str], all_of: bool) -> str | None:
    """What the actor filter shows, in words; None when it shows every actor's events."""
    if not hidden and not all_of:
        return None
    if not checked:
        return "No actors"
    joiner = " and " if all_of else " or "
    if len(checked) <= MAX_NAMED_ACTORS:
        return joiner.join(checked)
    if not all_of and len(hidden) <= 2:
        return f"All actors but {' and '.join(hidden)}"
    return f"{'All' if all_of else 'Any'} of {len(checked)} actors"


def date_chip_text(date_from: str | None, date_to: str | None) -> str | None:
    """ "2018–2020", "from 2018", "until 2020" from the entries as typed; None without a range."""
    if date_from and date_to:
        return f"{date_from}–{date_to}"
    if date_from:
        return f"from {date_from}"
    if date_to:
        return f"until {date_to}"
    return None


class FilterChips(QWidget):
    """The chip row; ``removed`` says which chip's × was clicked."""

    removed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filter_chips")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(6, 3, 6, 3)
        self._layout.setSpacing(6)
        self._lead = QLabel("Showing:", self)
        self._lead.setObjectName("chips_lead")
        self._layout.addWidget(self._lead)
        self._layout.addStretch(1)
        self._chips: list[tuple[Chip, QToolButton]] = []
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setVisible(False)

    def set_chips(self, chips: Sequence[Chip]) -> None:
        """Show ``chips``, reusing the buttons already made (a filter change per keystroke would
        otherwise pile up buttons waiting for their deferred deletion)."""
        buttons = [button for _chip, button in self._chips]
        while len(buttons) < len(chips):
            button = QToolButton(self)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setAutoRaise(False)
            button.setStyleSheet(
                "QToolButton { border: 1px solid palette(mid); border-radius: 9px; padding: 1px 8px; }"
            )
            button.clicked.connect(self._clicked)
            self._layout.insertWidget(1 + len(buttons), button)
            buttons.append(button)
        for button in buttons[len(chips) :]:
            self._layout.removeWidget(button)
            button.deleteLater()
        self._chips = []
        for chip, button in zip(chips, buttons, strict=False):
            button.setObjectName(f"chip_{chip.key}")
            button.setProperty("chip_key", chip.key)
            button.setText(f"{chip.text}  ×")
            button.setToolTip(chip.tip or f"Remove this filter: {chip.text}")
            button.setAccessibleName(f"Remove filter {chip.text}")
            self._chips.append((chip, button))
        self.setVisible(bool(chips))

    def _clicked(self) -> None:
        key = self.sender().property("chip_key") if self.sender() is not None else None
        if isinstance(key, str):
            self.removed.emit(key)

    def chips(self) -> list[Chip]:
        return [c for c, _ in self._chips]

    def button(self, key: str) -> QToolButton | None:
        return next((b for c, b in self._chips if c.key == key), None)
