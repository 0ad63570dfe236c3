"""CSV bytes → records with their positions: the encodings, separators and broken quotes that
spreadsheets write, read once for every CSV layout (ours, TimelineJS's sheet, mapped columns)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..core.errors import Issue, TimelineLoadError

_whole_file = TimelineLoadError.whole_file
csv.field_size_limit(16 * 1024 * 1024)

__all__ = ["Record", "decode_csv", "header_key", "read_records"]


@dataclass(frozen=True)
class Record:
    """One CSV record: its spreadsheet row number (header = 1), first physical line, and cells."""

    row: int
    line: int
    cells: list[str]

    def line_of(self, index: int) -> int:
        """The physical line where cell ``index`` starts (earlier cells may hold line breaks)."""
        return self.line + sum(c.count("\n") for c in self.cells[:index])

    @property
    def blank(self) -> bool:
        return not any(c.strip() for c in self.cells)


def decode_csv(data: bytes, name: str) -> tuple[str, list[str]]:
    """Bytes to text as spreadsheets save them; a warning when falling back to Windows-1252."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise _whole_file(name, "the file is UTF-32; save it as CSV UTF-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            message = "the file starts like UTF-16 but is not valid UTF-16; save it as CSV UTF-8"
            raise _whole_file(name, message) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise TimelineLoadError(
            name,
            [Issue("$", "the file contains NUL bytes: it is not a CSV text file", data.count(b"\n", 0, nul) + 1, 1)],
        )
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        line = data.count(b"\n", 0, utf8_error.start) + 1
        msg = f"not UTF-8 text (byte 0x{data[utf8_error.start]:02x}); save the file as CSV UTF-8"
        raise TimelineLoadError(name, [Issue("$", msg, line, 1)]) from None
    line = data.count(b"\n", 0, utf8_error.start) + 1
    return text, [f"the file is not UTF-8 (first at line {line}): read it as Windows-1252, as Excel saves "
                  "'CSV (Comma delimited)'; check accented letters, or save it as 'CSV UTF-8'"]  # fmt: skip


def read_records(text: str, name: str, warnings: list[str] | None = None) -> list[Record]:
    """All records, including blank ones (so row numbers match the spreadsheet's).

    A broken quote is recovered the way a spreadsheet would read it: text after a closing quote
    joins the cell (``"abc"def`` → ``abcdef``), and a quote that never closes is read as text on
    its own line, so it does not swallow the rest of the file; each recovery is a located warning.
    """
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        delimiter = "\t" if "\t" in first_line else ";" if ";" in first_line else ","
    lines = io.StringIO(text, newline="").readlines()
    records: list[Record] = []
    at = 0  # index into lines of the next record's first line
    while at < len(lines):
        reader = csv.reader(io.StringIO("".join(lines[at:]), newline=""), delimiter=delimiter, strict=True)
        consumed = 0
        try:
            for cells in reader:
                records.append(Record(len(records) + 1, at + consumed + 1, cells))
                consumed = reader.line_num
            break
        except csv.Error as exc:
            at += consumed
            why = str(exc)
        cells, used, how = _recover(lines[at:], delimiter, unclosed="end of data" in why or "EOF" in why)
        row = len(records) + 1
        if warnings is not None:
            warnings.append(f"line {at + 1}, column 1: row {row}, {name}: malformed CSV ({why}): {how}")
        records.append(Record(row, at + 1, cells))
        at += used
    return records


def _recover(rest: list[str], delimiter: str, *, unclosed: bool) -> tuple[list[str], int, str]:
    """One record read leniently from ``rest``: its cells, the lines it used, and what was done."""
    if not unclosed:
        lenient = csv.reader(io.StringIO("".join(rest), newline=""), delimiter=delimiter, strict=False)
        cells = next(lenient, [])
        return (
            cells,
            max(lenient.line_num, 1),
            "text after a closing quote was joined to its cell, as a spreadsheet reads it",
        )
    # The quote never closes: it would swallow every line after it. Read its line alone, quotes as text.
    line = rest[0].rstrip("\r\n")
    alone = next(csv.reader([line], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])
    return alone, 1, 'a quote (") opens a cell and never closes: this line was read with its quotes as text'


def header_key(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").split()).lower()
