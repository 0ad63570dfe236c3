"""The key of a figure, Qt-free: an event the layout could not label gets a number at its mark
(one chip for a cluster's events: "7–9"), and the key lists what each number stands for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .labels import LabelLayout


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """One line of a figure's key: the number drawn at an unlabelled mark, and what it stands for."""

    number: int
    index: int  # store index
    date_text: str  # the date as the data states it
    title: str  # the full title


def number_text(numbers: list[int]) -> str:
    """ "7", "7, 8" or "7–9" for the numbers on one chip."""
    if len(numbers) <= 2:
        return ", ".join(map(str, numbers))
    return f"{numbers[0]}–{numbers[-1]}"


def key_entries(
    layout: LabelLayout, index: Sequence[int], date_texts: Sequence[str], titles: Sequence[str]
) -> list[KeyEntry]:
    """The numbered competitors as key lines, in number order (``index`` maps competitor -> store)."""
    return [
        KeyEntry(p.number, int(index[p.owner]), date_texts[int(index[p.owner])], titles[int(index[p.owner])])
        for p in layout.numbers
    ]
