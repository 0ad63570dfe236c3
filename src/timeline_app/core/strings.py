"""Compact string columns: one UTF-8 blob plus offsets.

A million titles as Python ``str`` objects cost ~50 bytes of header each and scatter over the
heap; a table keeps just the encoded text and 4 bytes of offset per entry (8 past 2 GiB of text),
and decodes an entry only when someone reads it (a label drawn, a tooltip, a details panel).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, pairwise
from typing import overload

import numpy as np
from numpy.typing import NDArray

__all__ = ["OptionalStrings", "RaggedStrings", "SparseRows", "StringTable"]


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


_CHUNK = 1 << 24


def _compact(positions: NDArray[np.integer], limit: int) -> NDArray[np.signedinteger]:
    """int32 while every position fits (signed: differences never wrap), else int64."""
    return positions.astype(np.int32 if limit < 2**31 else np.int64, copy=False)


def _nul_positions(blob: bytes) -> NDArray[np.int64]:
    """Byte positions of every NUL in ``blob``, scanned in chunks so the mask stays small."""
    buf = np.frombuffer(blob, dtype=np.uint8)
    parts = [np.flatnonzero(buf[at : at + _CHUNK] == 0) + at for at in range(0, len(buf), _CHUNK)]
    return np.concatenate(parts).astype(np.int64, copy=False) if parts else np.zeros(0, dtype=np.int64)


class StringTable(Sequence[str]):
    """An immutable sequence of strings stored as ``blob[offsets[i]:offsets[i+1]]``."""

    __slots__ = ("_blob", "_offsets")

    def __init__(self, blob: bytes, offsets: NDArray[np.integer]) -> None:
        offsets = np.asarray(offsets, dtype=np.int64)
        if offsets.ndim != 1 or len(offsets) == 0 or offsets[0] != 0 or offsets[-1] != len(blob):
            raise ValueError("offsets must start at 0 and end at len(blob)")
        if len(offsets) > 1 and bool(np.any(np.diff(offsets) < 0)):
            raise ValueError("offsets must not decrease")
        self._blob = blob
        self._offsets = _compact(offsets, len(blob))

    @classmethod
    def from_strings(cls, strings: Iterable[str]) -> StringTable:
        items = strings if isinstance(strings, (list, tuple)) else list(strings)
        n = len(items)
        if n == 0:
            return cls(b"", np.zeros(1, dtype=np.int64))
        joined = "\x00".join(items)
        if joined.count("\x00") == n - 1:
            # No entry holds a NUL: encode everything at once and find the entries' ends as the
            # separators' byte positions (no per-entry encode, even for non-ASCII text).
            sep_blob = joined.encode("utf-8", "surrogatepass")
            del joined
            ends = _nul_positions(sep_blob)
            offsets = np.empty(n + 1, dtype=np.int64)
            offsets[0] = 0
            offsets[1:n] = ends - np.arange(n - 1, dtype=np.int64)  # minus the separators before
            blob = sep_blob.replace(b"\x00", b"")
            offsets[n] = len(blob)
            return cls(blob, offsets)
        del joined
        joined = "".join(items)
        blob = joined.encode("utf-8", "surrogatepass")
        lengths = np.fromiter(map(len, items), dtype=np.int64, count=n)  # characters
        if len(blob) != len(joined):
            # Some entries are not ASCII: only those need their encoded length (C-level maps).
            wide = np.flatnonzero(~np.fromiter(map(str.isascii, items), dtype=bool, count=n))
            picked = [items[int(i)] for i in wide]
            lengths[wide] = np.fromiter(map(len, map(_encode, picked)), dtype=np.int64, count=len(picked))
        del joined
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return cls(blob, offsets)

    # -- Sequence ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n = len(self)
        i = int(index)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("string table index out of range")
        return self._blob[self._offsets[i] : self._offsets[i + 1]].decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        blob, off = self._blob, self._offsets.tolist()
        for a, b in pairwise(off):
            yield blob[a:b].decode("utf-8", "surrogatepass")

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and self._find(value) is not None

    def index(self, value: str, start: int = 0, stop: int | None = None) -> int:
        """Position of ``value``; a byte search over the blob, not a Python loop over entries."""
        found = self._find(value, start, len(self) if stop is None else stop)
        if found is None:
            raise ValueError(f"{value!r} is not in the table")
        return found

    def _find(self, value: str, start: int = 0, stop: int | None = None) -> int | None:
        n = len(self)
        stop = n if stop is None else min(stop, n)
        start = max(start + n if start < 0 else start, 0)
        if start >= stop:
            return None
        needle = value.encode("utf-8")
        off = self._offsets
        lo, hi = int(off[start]), int(off[stop])
        at = self._blob.find(needle, lo, hi) if needle else lo
        while at != -1:
            # A hit counts only if it is exactly one entry: it starts and ends on boundaries.
            i = int(np.searchsorted(off, at, side="left"))
            while i < stop and off[i] == at:
                if off[i + 1] - off[i] == len(needle):
                    return i
                i += 1
            if not needle:
                return None
            at = self._blob.find(needle, at + 1, hi)
        return None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StringTable):
            return self._blob == other._blob and np.array_equal(self._offsets, other._offsets)
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"StringTable({len(self)} strings, {len(self._blob)} bytes)"

    # -- bulk access ------------------------------------------------------------------------

    @property
    def blob(self) -> bytes:
        return self._blob

    @property
    def offsets(self) -> NDArray[np.signedinteger]:
        """Entry ``i`` is ``blob[offsets[i]:offsets[i+1]]``; int32 (int64 past 2 GiB)."""
        return self._offsets

    def take(self, indices: Sequence[int] | NDArray[np.integer]) -> StringTable:
        """A new table with the entries at ``indices``, in that order."""
        blob, off = self._blob, self._offsets.tolist()
        idx = np.asarray(indices, dtype=np.int64).tolist()
        parts = [blob[off[i] : off[i + 1]] for i in idx]
        lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
        offsets = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return StringTable(b"".join(parts), offsets)

    @property
    def nbytes(self) -> int:
        return len(self._blob) + self._offsets.nbytes


class RaggedStrings:
    """Rows of zero or more strings each (e.g. the excerpt quotes of every event), flat in one table."""

    __slots__ = ("ptr", "table")

    def __init__(self, table: StringTable, ptr: NDArray[np.integer]) -> None:
        ptr = np.asarray(ptr, dtype=np.int64)
        if len(ptr) == 0 or ptr[0] != 0 or ptr[-1] != len(table):
            raise ValueError("ptr must start at 0 and end at the number of strings")
        self.table = table
        self.ptr = _compact(ptr, len(table))  # row i: table[ptr[i]:ptr[i+1]]

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[str]]) -> RaggedStrings:
        counts = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
        ptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(counts, out=ptr[1:])
        return cls(StringTable.from_strings(list(chain.from_iterable(rows))), ptr)

    @classmethod
    def from_flat(cls, strings: list[str], counts: Iterable[int], rows: int) -> RaggedStrings:
        """``strings`` holds the rows one after another; ``counts`` says how many each row has."""
        ptr = np.zeros(rows + 1, dtype=np.int64)
        np.cumsum(np.fromiter(counts, dtype=np.int64, count=rows), out=ptr[1:])
        return cls(StringTable.from_strings(strings), ptr)

    def __len__(self) -> int:
        return len(self.ptr) - 1

    def row(self, i: int) -> list[str]:
        return self.table[int(self.ptr[i]) : int(self.ptr[i + 1])]

    def __getitem__(self, i: int) -> list[str]:
        if not -len(self) <= i < len(self):
            raise IndexError("row index out of range")
        return self.row(i % len(self))

    @property
    def nbytes(self) -> int:
        return self.table.nbytes + self.ptr.nbytes


class OptionalStrings:
    """A string or nothing per row (e.g. each excerpt's locator): the given ones in a table."""

    __slots__ = ("_rank", "given", "table")

    def __init__(self, table: StringTable, given: NDArray[np.bool_]) -> None:
        given = np.asarray(given, dtype=bool)
        if int(np.count_nonzero(given)) != len(table):
            raise ValueError("one table entry per given row")
        self.table = table
        self.given = given
        self._rank: NDArray[np.int64] | None = None  # row -> position in table, built on first read

    def __len__(self) -> int:
        return len(self.given)

    def get(self, i: int) -> str | None:
        if not self.given[i]:
            return None
        if self._rank is None:
            self._rank = np.cumsum(self.given, dtype=np.int64) - 1
        return self.table[int(self._rank[i])]

    @property
    def nbytes(self) -> int:
        return self.table.nbytes + self.given.nbytes


class SparseRows:
    """Text for a few rows of many (e.g. the encoded discrepancies and links of the events that
    have them), found by a binary search over the rows that have one."""

    __slots__ = ("rows", "table")

    def __init__(self, rows: NDArray[np.integer], table: StringTable) -> None:
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) != len(table) or (len(rows) > 1 and bool(np.any(np.diff(rows) <= 0))):
            raise ValueError("one table entry per row, rows increasing")
        self.rows = rows
        self.table = table

    def get(self, i: int) -> str | None:
        k = int(np.searchsorted(self.rows, i))
        return self.table[k] if k < len(self.rows) and self.rows[k] == i else None

    def __iter__(self) -> Iterator[tuple[int, str]]:
        return zip(self.rows.tolist(), self.table, strict=True)

    @property
    def nbytes(self) -> int:
        return self.table.nbytes + self.rows.nbytes
