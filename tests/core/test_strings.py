"""The compact string table: what goes in comes out, for any text, by index, slice and iteration."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline_app.core.strings import RaggedStrings, StringTable

SAMPLES = ["Peshawar", "Pêshawar", "", "Islāmābād — 2 May 2011", "😀 emoji", "中文标题", "a\nb\x00c", "ascii"]


def test_round_trip_unicode_by_index_slice_and_iteration() -> None:
    table = StringTable.from_strings(SAMPLES)
    assert len(table) == len(SAMPLES)
    assert [table[i] for i in range(len(SAMPLES))] == SAMPLES
    assert list(table) == SAMPLES
    assert table[-1] == "ascii"
    assert table[1:4] == SAMPLES[1:4]
    assert table[::-2] == SAMPLES[::-2]
    assert table == SAMPLES
    # One blob of UTF-8, not one object per string.
    assert table.blob == "".join(SAMPLES).encode("utf-8")
    assert table.nbytes == len(table.blob) + 4 * (len(SAMPLES) + 1)  # int32 offsets


def test_ascii_only_and_empty_tables() -> None:
    assert list(StringTable.from_strings(["abc", "de"])) == ["abc", "de"]
    empty = StringTable.from_strings([])
    assert len(empty) == 0 and list(empty) == [] and "x" not in empty


def test_out_of_range_index_raises() -> None:
    table = StringTable.from_strings(["a"])
    with pytest.raises(IndexError):
        table[1]
    with pytest.raises(IndexError):
        table[-2]


def test_index_finds_whole_entries_only() -> None:
    table = StringTable.from_strings(["ev1", "ev10", "ev100", "Pêshawar", "ev1"])
    assert table.index("ev10") == 1
    assert table.index("ev100") == 2
    assert table.index("ev1") == 0  # the first of two
    assert table.index("Pêshawar") == 3
    assert "ev" not in table  # a prefix of entries is not an entry
    assert "v10" not in table
    with pytest.raises(ValueError):
        table.index("ev1000")


def test_take_reorders() -> None:
    table = StringTable.from_strings(SAMPLES)
    order = np.array([3, 0, 5, 5])
    assert list(table.take(order)) == [SAMPLES[3], SAMPLES[0], SAMPLES[5], SAMPLES[5]]


def test_bad_offsets_are_refused() -> None:
    with pytest.raises(ValueError):
        StringTable(b"abc", np.array([0, 2], dtype=np.int64))
    with pytest.raises(ValueError):
        StringTable(b"abc", np.array([0, 2, 1, 3], dtype=np.int64))


def test_ragged_rows() -> None:
    rows = [["a", "b"], [], ["Pêshawar"]]
    ragged = RaggedStrings.from_rows(rows)
    assert [ragged[i] for i in range(3)] == rows
    assert ragged[-1] == ["Pêshawar"]
    flat = RaggedStrings.from_flat(["a", "b", "Pêshawar"], [2, 0, 1], 3)
    assert [flat.row(i) for i in range(3)] == rows


@given(st.lists(st.text(), max_size=30))
def test_any_text_round_trips(strings: list[str]) -> None:
    table = StringTable.from_strings(strings)
    assert list(table) == strings
    assert [table[i] for i in range(len(strings))] == strings


def test_offsets_take_four_bytes_each_until_the_text_passes_2_gib() -> None:
    from timeline_app.core.strings import _compact

    table = StringTable.from_strings(["Raid", "", "Pêshawar"])
    assert table.offsets.dtype == np.int32 and table.offsets.tolist() == [0, 4, 4, 13]
    rows = RaggedStrings.from_rows([["a", "b"], [], ["c"]])
    assert rows.ptr.dtype == np.int32 and rows.row(0) == ["a", "b"] and rows.row(2) == ["c"]
    big = np.array([0, 2**31 + 5], dtype=np.int64)
    assert _compact(big, 2**31 + 5).dtype == np.int64 and _compact(big, 2**31 + 5)[-1] == 2**31 + 5
