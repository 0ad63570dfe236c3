"""One way in: every reader of a user's file (the window, ``validate``, ``export``, ``convert``)
opens it here, so a file that opens in one opens in all, with the same warnings.

Our own format goes to the core loader (the fast columnar path for big files); every other format
is detected by :mod:`.detect`, imported to a :class:`Timeline` and reported with its warnings:
what the other format could not say in ours, each naming where (``line L, column C: …``, which
the CLIs print as ``FILE:L:C: warning: …``, see cli_report.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..core.bulk import load_store, store_from_timeline
from ..core.load_process import Prepared, index_store, open_data_set
from ..core.loading import load_timeline
from ..core.models import Timeline
from ..core.store import EventStore
from .detect import CSV, INPUT_FORMATS, NATIVE, FormatError, detect_format

__all__ = ["CsvOptions", "Opened", "open_prepared", "open_store", "read_any"]


Progress = Callable[[float], None]
Cancelled = Callable[[], bool]


def _readers() -> dict[str, Callable[[str | Path], tuple[Timeline, list[str]]]]:
    from .csv_format import read_csv
    from .ical_import import read_ics
    from .timeline_xml import read_timeline_xml
    from .timelinejs import read_timelinejs
    from .vis_timeline import read_vis

    return {"timelinejs": read_timelinejs, "csv": read_csv, "ics": read_ics, "timeline-xml": read_timeline_xml,
            "vis": read_vis}  # fmt: skip


def import_foreign(path: str | Path, fmt: str, csv: CsvOptions | None = None) -> tuple[Timeline, list[str]]:
    """A file in another format as our timeline, and the warnings of the import."""
    readers = _readers()
    if fmt not in readers:
        raise FormatError(f"{path}: {fmt} files cannot be read; read from: {', '.join(INPUT_FORMATS)}")
    if fmt == CSV:
        from .csv_format import read_csv

        options = csv or CsvOptions()
        return read_csv(path, columns=options.columns or None, day_first=options.day_first)
    if csv is not None and csv.given:
        raise FormatError(f"{path}: column mapping and --day-first apply to CSV input only, not {fmt}")
    return readers[fmt](path)


@dataclass(frozen=True)
class CsvOptions:
    """How to read a spreadsheet of another layout: our field → its column name, and date order."""

    columns: Mapping[str, str] = field(default_factory=dict)
    day_first: bool | None = None

    @property
    def given(self) -> bool:
        return bool(self.columns) or self.day_first is not None


def read_any(
    path: str | Path, fmt: str | None = None, csv: CsvOptions | None = None
) -> tuple[Timeline, list[str], str]:
    """The document form (for ``convert`` and ``validate``): the timeline, warnings and format used."""
    fmt = detect_format(path, fmt)
    if fmt == NATIVE:
        if csv is not None and csv.given:
            raise FormatError(f"{path}: column mapping and --day-first apply to CSV input only")
        return load_timeline(path), [], NATIVE
    timeline, warnings = import_foreign(path, fmt, csv)
    return timeline, warnings, fmt


@dataclass(frozen=True)
class Opened:
    """A data set ready to show: the store (plus search and citations for the window) and the
    import's warnings (empty for our own format)."""

    prepared: Prepared
    warnings: tuple[str, ...]
    format: str

    @property
    def store(self) -> EventStore:
        return self.prepared.store


def open_store(
    path: str | Path, progress: Progress | None = None, cancelled: Cancelled | None = None
) -> tuple[EventStore, tuple[str, ...], str]:
    """The read model (for ``export``): the store, the import's warnings and the format."""
    fmt = detect_format(path)
    if fmt == NATIVE:
        return load_store(path, progress=progress, cancelled=cancelled), (), NATIVE
    timeline, warnings = import_foreign(path, fmt)
    return store_from_timeline(timeline), tuple(warnings), fmt


def open_prepared(
    path: str | Path,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    csv: CsvOptions | None = None,
) -> Opened:
    """The window's way in: big files of ours load in a child process; others are imported here
    (a spreadsheet with the column mapping chosen in the window, if any)."""
    fmt = CSV if csv is not None and csv.given else detect_format(path)
    if fmt == NATIVE:
        return Opened(open_data_set(path, progress, cancelled), (), NATIVE)
    timeline, warnings = import_foreign(path, fmt, csv)
    return Opened(index_store(store_from_timeline(timeline)), tuple(warnings), fmt)
