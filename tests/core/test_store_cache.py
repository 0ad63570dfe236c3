"""Reopening a big file reads its validated columns back from the cache; anything odd is a real load."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from timeline_app.core import bulk, load_process, store_cache
from timeline_app.core.bulk import load_store
from timeline_app.core.errors import TimelineLoadError
from timeline_app.core.load_process import open_data_set, prepare_isolated
from timeline_app.core.store import EventStore

BULK = {"small_limit": 0}  # the columnar path (the cache keeps only model-free stores)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(store_cache.ENV_DIR, str(folder))
    return folder


@pytest.fixture(scope="module")
def doc(gen: ModuleType) -> dict:
    return gen.generate(3000, seed=21)


def write(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.store"))


def assert_same(a: EventStore, b: EventStore) -> None:
    for col in (
        "start",
        "end",
        "kind",
        "qualified",
        "has_discrepancy",
        "member_ptr",
        "member_actor",
        "excerpt_sources",
    ):
        x, y = getattr(a, col), getattr(b, col)
        assert x.dtype == y.dtype and np.array_equal(x, y), col
    for col in (
        "ids",
        "titles",
        "date_texts",
        "search_texts",
        "actor_ids",
        "actor_names",
        "actor_colors",
        "eras",
        "source_titles",
    ):
        assert list(getattr(a, col)) == list(getattr(b, col)), col
    assert all(np.array_equal(p, q) for p, q in zip(a.lane_events, b.lane_events, strict=True))
    assert a.title == b.title and a.max_duration == b.max_duration
    assert [a.excerpt_texts(i) for i in range(0, len(a), 97)] == [b.excerpt_texts(i) for i in range(0, len(b), 97)]
    # the whole read model: every record, the source table and the document (format 2)
    assert [a.event(i) for i in range(len(a))] == [b.event(i) for i in range(len(b))]
    assert a.sources == b.sources and a.document() == b.document()


def refuse_to_decode(monkeypatch: pytest.MonkeyPatch) -> None:
    def no(_data: bytes) -> None:
        raise AssertionError("decoded: the cache was not used")

    monkeypatch.setattr(bulk, "_decode", no)


def test_a_reopened_file_reads_back_the_same_store_without_decoding(
    tmp_path: Path, cache: Path, doc: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "a.json", doc)
    first = load_store(path, **BULK)
    assert len(entries(cache)) == 1
    refuse_to_decode(monkeypatch)
    again = load_store(path, **BULK)
    assert_same(first, again)
    assert again.content_key == first.content_key is not None
    assert again.from_cache and not first.from_cache
    # A copy under another name is the same bytes: it hits too.
    copy = tmp_path / "copy.json"
    copy.write_bytes(path.read_bytes())
    assert_same(first, load_store(copy, **BULK))


def test_an_edited_file_is_loaded_and_checked_again(tmp_path: Path, cache: Path, doc: dict) -> None:
    path = write(tmp_path / "a.json", doc)
    load_store(path, **BULK)
    edited = json.loads(json.dumps(doc))
    edited["events"][0]["title"] = "Edited title"
    write(path, edited)
    store = load_store(path, **BULK)
    assert "Edited title" in list(store.titles) and len(entries(cache)) == 2
    edited["events"][1]["start"] = "2001-02-30"  # now invalid: the cache must not hide it
    write(path, edited)
    with pytest.raises(TimelineLoadError, match="2001-02-30"):
        load_store(path, **BULK)
    assert len(entries(cache)) == 2  # an invalid file is never kept


@pytest.mark.parametrize(
    "damage", ["truncate", "garbage", "other_version", "object_dtype", "codes_out_of_range", "huge_section"]
)
def test_a_damaged_entry_is_a_miss_and_is_replaced(tmp_path: Path, cache: Path, doc: dict, damage: str) -> None:
    path = write(tmp_path / "a.json", doc)
    first = load_store(path, **BULK)
    [entry] = entries(cache)
    raw = entry.read_bytes()
    magic = raw[:8]
    size = int.from_bytes(raw[8:16], "little")
    head = json.loads(raw[16 : 16 + size])
    body = raw[16 + size :]
    if damage == "truncate":
        entry.write_bytes(raw[: len(raw) // 2])
    elif damage == "garbage":
        entry.write_bytes(b"\x00" * 1000)
    else:
        if damage == "other_version":
            head["version"] = "0.0.0-other"
        elif damage == "huge_section":  # never allocate what the file does not hold
            head["sections"] = [
                [n, d, s, o, 1 << 50 if n == "titles.blob" else b] for n, d, s, o, b in head["sections"]
            ]
        elif damage == "object_dtype":  # never turn bytes into Python objects
            head["sections"] = [[n, "|O" if n == "start" else d, s, o, b] for n, d, s, o, b in head["sections"]]
        else:
            at = next(o for n, _, _, o, _ in head["sections"] if n == "member_actor")
            body = body[:at] + (99).to_bytes(4, "little") + body[at + 4 :]
        new = json.dumps(head).encode()
        entry.write_bytes(magic + len(new).to_bytes(8, "little") + new + body)
    again = load_store(path, **BULK)  # a real load
    assert_same(first, again)
    assert entries(cache) == [entry] and entry.read_bytes() == raw  # and the entry written afresh


def test_turned_off_or_unwritable_the_load_still_succeeds(
    tmp_path: Path, doc: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "a.json", doc)
    monkeypatch.setenv(store_cache.ENV_DIR, "")
    assert store_cache.cache_dir() is None
    assert len(load_store(path, **BULK)) == 3000
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv(store_cache.ENV_DIR, str(blocker / "cache"))
    assert len(load_store(path, **BULK)) == 3000
    assert blocker.read_text() == "x"


def test_small_files_keep_their_models_and_are_not_cached(tmp_path: Path, cache: Path, doc: dict) -> None:
    path = write(tmp_path / "a.json", doc)
    store = load_store(path)  # under the bulk threshold: the model path
    assert store.event(0) is not None and not cache.exists()


def test_the_folder_keeps_the_most_recently_used_entries_within_its_budget(
    tmp_path: Path, cache: Path, gen: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [write(tmp_path / f"d{k}.json", gen.generate(400, seed=k)) for k in range(3)]
    keys = [load_store(p, **BULK).content_key for p in paths[:2]]
    kept = {k: cache / f"{k}.store" for k in keys}
    old = time.time() - 100
    for entry in kept.values():
        os.utime(entry, (old, old))
    load_store(paths[0], **BULK)  # a hit: d0 is now the most recently used
    monkeypatch.setattr(store_cache, "_BUDGET", int(2.5 * kept[keys[0]].stat().st_size))
    key2 = load_store(paths[2], **BULK).content_key  # a third entry: over budget, the least recently used goes
    assert entries(cache) == sorted([kept[keys[0]], cache / f"{key2}.store"])


def test_the_child_loader_keeps_the_store_for_the_next_open(
    tmp_path: Path, cache: Path, gen: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = gen.write(20_000, tmp_path / "g20k.json", seed=5)
    first = prepare_isolated(path)
    deadline = time.monotonic() + 60
    while not entries(cache) and time.monotonic() < deadline:  # written after the answer
        time.sleep(0.05)
    assert len(entries(cache)) == 1
    refuse_to_decode(monkeypatch)
    again = load_store(path, small_limit=0)  # in this process: proves the child's entry is whole
    assert_same(first.store, again)


def test_the_window_reopens_a_kept_file_in_its_own_process_and_a_new_one_in_a_child(
    tmp_path: Path, cache: Path, gen: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load_process, "ISOLATE_BYTES", 0)  # every file counts as big
    path = gen.write(15_000, tmp_path / "g15k.json", seed=8)  # over 5 MB: a bulk store, the kind kept
    cold = open_data_set(path)
    assert cold.loaded_by != os.getpid() and not cold.store.from_cache
    deadline = time.monotonic() + 60
    while not entries(cache) and time.monotonic() < deadline:
        time.sleep(0.05)
    refuse_to_decode(monkeypatch)
    warm = open_data_set(path)
    assert warm.loaded_by == os.getpid() and warm.store.from_cache
    assert_same(cold.store, warm.store)
    assert np.array_equal(cold.search.search("kabul"), warm.search.search("kabul"))


def test_without_a_child_process_the_window_loads_in_its_own(
    tmp_path: Path, gen: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load_process, "ISOLATE_BYTES", 0)

    def cannot_start(*_args: object, **_kw: object) -> None:
        raise OSError("no interpreter")

    monkeypatch.setattr(load_process, "prepare_isolated", cannot_start)
    ready = open_data_set(gen.write(500, tmp_path / "g.json", seed=2))
    assert ready.loaded_by == os.getpid() and len(ready.store) == 500
