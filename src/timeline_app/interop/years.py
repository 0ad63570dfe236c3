"""Year numbering: TimelineJS counts years as historians do (−509 is 509 BCE, there is no year 0);
EDTF and our files count astronomically (0 is 1 BCE, −0509 is 510 BCE). Every crossing between
the two goes through here, in both directions."""

from __future__ import annotations


def from_historical(year: int) -> int:
    """A TimelineJS year → ours: −509 (509 BCE) → −508; positive years are the same. Year 0, which
    historians do not have, is read as 1 BCE (our 0)."""
    return year + 1 if year < 0 else year


def to_historical(year: int) -> int:
    """Our year → TimelineJS's: 0 (1 BCE) → −1, −508 → −509 (509 BCE)."""
    return year - 1 if year <= 0 else year
