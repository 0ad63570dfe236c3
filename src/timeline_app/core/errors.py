"""The loader's one error type: every problem in a file, located, at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_REPORTED = 200
CLIP = 60


def clip(value: str, limit: int = CLIP) -> str:
    """``repr`` of a value cut to ``limit`` characters, so a hostile million-char string keeps messages readable."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem: where (JSON path, line, column; 1-based) and what, in a curator's words."""

    path: str
    message: str
    line: int | None = None
    col: int | None = None

    def format(self, file: str) -> str:
        where = f"{file}:{self.line or 1}:{self.col or 1}"
        return f"{where}: {self.path}: {self.message}"


class TimelineLoadError(Exception):
    """A file could not be read or is not a valid timeline. Holds every issue found.

    ``more`` counts problems that were found but not kept (a file with a million bad events is
    reported by its first few thousand problems and a count).
    """

    def __init__(self, file: str, issues: Sequence[Issue], *, more: int = 0) -> None:
        self.file = file
        self.issues = sorted(issues, key=lambda i: (i.line or 0, i.col or 0))
        self.more = more
        super().__init__(self.summary())

    def __reduce__(self) -> tuple[object, tuple[str, list[Issue], int]]:
        """Picklable (the child loader sends errors to the window's process)."""
        return _rebuild, (self.file, self.issues, self.more)

    @property
    def total(self) -> int:
        return len(self.issues) + self.more

    @classmethod
    def whole_file(cls, file: str, message: str) -> TimelineLoadError:
        """A problem with the file as a whole (unreadable, empty, wrong encoding): located at 1:1."""
        return cls(file, [Issue("$", message, 1, 1)])

    def summary(self) -> str:
        n = self.total
        first = self.issues[0].format(self.file) if self.issues else f"{self.file}: invalid"
        return first if n <= 1 else f"{first} (and {n - 1} more problem{'s' if n > 2 else ''})"

    def lines(self, limit: int = MAX_REPORTED) -> list[str]:
        """The report as ``FILE:LINE:COL: path: message`` lines, capped with a count of the rest."""
        out = [i.format(self.file) for i in self.issues[:limit]]
        rest = self.total - min(limit, len(self.issues))
        if rest > 0:
            out.append(f"{self.file}: … and {rest} more problem{'s' if rest > 1 else ''} not shown")
        return out


def _rebuild(file: str, issues: list[Issue], more: int) -> TimelineLoadError:
    return TimelineLoadError(file, issues, more=more)
