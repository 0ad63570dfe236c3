"""What makes a published figure traceable to its data, without Qt: the data set's title, the
filter, the app's version and the SHA-256 of the data file. The writers put it in PNG text
chunks, SVG ``<metadata>`` and the PDF's document information."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .. import __version__

__all__ = ["Metadata", "file_sha256"]


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str  # the figure's title as drawn
    data_title: str  # the data set's own title
    filter: str  # the filter caption ("All 33 events" when none)
    data_sha256: str | None = None
    data_file: str | None = None  # the file's name (not its folder: that is the user's business)
    software: str = f"timeline-app {__version__}"

    def pairs(self) -> list[tuple[str, str]]:
        """(key, value) in a fixed order; keys are PNG text keywords (Latin-1, no colon)."""
        out = [
            ("Title", self.title),
            ("Data set", self.data_title),
            ("Filter", self.filter),
            ("Software", self.software),
        ]
        if self.data_file:
            out.append(("Data file", self.data_file))
        if self.data_sha256:
            out.append(("Data SHA-256", self.data_sha256))
        return out

    def summary(self) -> str:
        """One line for places that hold a single string (PDF Subject, SVG description)."""
        return "; ".join(f"{k}: {v}" for k, v in self.pairs() if k != "Title")


def file_sha256(path: str | os.PathLike[str] | None) -> str | None:
    """The SHA-256 of a file's bytes, read in chunks; None when there is no readable file."""
    if path is None:
        return None
    digest = hashlib.sha256()
    try:
        with Path(path).open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()
