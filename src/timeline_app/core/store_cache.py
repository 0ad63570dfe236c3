"""Reopening a big file: its validated columns, kept in the user's cache folder, keyed by content.

Validating a million events takes ~15 s, and readers reopen the same data set day after day. A
file whose bytes hash the same as last time is the same data set, already validated, so its
columns are read back instead (about a second at a million events). The key is the SHA-256 of
the file's bytes (~0.3 s per 400 MB): a renamed copy hits, any edit misses, mtimes do not matter.

An entry is a JSON header, then raw numpy arrays and UTF-8 blobs at the offsets it gives (an
``.npz`` read back 3× slower: zip members are copied twice). It is never code, only data we check
as we read it. Anything odd (another format, a truncated file, lengths that do not agree) is a
miss, and the entry is removed.
Writes are atomic; the folder keeps the most recently used entries up to a byte budget. The cache
is a convenience: it never makes a load fail. ``TIMELINE_APP_CACHE_DIR`` moves it, and an empty
value turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import appdirs
import numpy as np
from numpy.typing import NDArray

from .. import __version__
from .atomic import atomic_path
from .date_columns import DateTexts
from .records import SourceRecord
from .search_texts import SearchTexts
from .store import EraBand, EventStore
from .strings import OptionalStrings, RaggedStrings, SparseRows, StringTable

__all__ = ["ENV_DIR", "FORMAT", "cache_dir", "clear", "content_key", "read", "read_file", "usage", "write"]

ENV_DIR = "TIMELINE_APP_CACHE_DIR"
# Bump when EventStore's layout or what validation accepts changes: older entries miss.
# 2: the whole read model (summaries, locators, discrepancies, links, the source table).
FORMAT = 2
_SUFFIX = ".store"
_MAGIC = b"TLSTORE\x00"
_ALIGN = 64
_BUDGET = 2 * 1024**3  # bytes the folder may hold: a few million-event sets
_META = "meta"


def cache_dir() -> Path | None:
    """Where entries live, or None when turned off (``TIMELINE_APP_CACHE_DIR=""``)."""
    override = os.environ.get(ENV_DIR)
    if override is not None:
        return Path(override) if override else None
    return Path(appdirs.user_cache_dir("timeline-app")) / "stores"


def content_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_READ = 1 << 23


def read_file(path: str | Path) -> EventStore | None:
    """The kept store for the file at ``path`` as it is now, or None: hashes the file in chunks
    (reads and hashing release the GIL, so a window's thread can do this) without decoding it."""
    if cache_dir() is None:
        return None
    try:
        before = os.stat(path)
        digest = hashlib.sha256()
        buf = bytearray(_READ)
        view = memoryview(buf)
        with open(path, "rb") as fh:
            while n := fh.readinto(buf):
                digest.update(view[:n])
        after = os.stat(path)
    except OSError:
        return None
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
        return None  # written to while read: let a real load see what it holds
    return read(digest.hexdigest())


def _entry(key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"{key}{_SUFFIX}"


# -- write ------------------------------------------------------------------------------------------


def _table(out: dict[str, NDArray[Any]], name: str, table: StringTable) -> None:
    out[f"{name}.blob"] = np.frombuffer(table.blob, dtype=np.uint8)
    out[f"{name}.offsets"] = table.offsets


def _ragged(out: dict[str, NDArray[Any]], name: str, rows: RaggedStrings) -> None:
    _table(out, name, rows.table)
    out[f"{name}.ptr"] = rows.ptr


def _arrays(store: EventStore) -> dict[str, NDArray[Any]] | None:
    """The store as named arrays, or None for a store this cache does not keep (one not built by
    core/build.py, e.g. made by hand in a test)."""
    texts, dates = store.search_texts, store.date_texts
    if not (
        isinstance(store.ids, StringTable)
        and isinstance(store.titles, StringTable)
        and isinstance(texts, SearchTexts)
        and isinstance(dates, DateTexts)
        and store.excerpt_quotes is not None
        and store.excerpt_sources is not None
        and store.excerpt_locators is not None
        and store.nested is not None
    ):
        return None
    out: dict[str, NDArray[Any]] = {
        "start": store.start,
        "end": store.end,
        "kind": store.kind,
        "qualified": store.qualified,
        "has_discrepancy": store.has_discrepancy,
        "member_ptr": store.member_ptr,
        "member_actor": store.member_actor,
        "excerpt_sources": store.excerpt_sources,
        "date_start": dates.codes()[0],
        "date_end": dates.codes()[1],
        "date_end_raw": dates.codes()[2],
        "locators.given": store.excerpt_locators.given,
        "nested.rows": store.nested.rows,
    }
    if store.file_order is not None:
        out["file_order"] = store.file_order
    _table(out, "ids", store.ids)
    _table(out, "titles", store.titles)
    _table(out, "summaries", texts.summaries)
    _ragged(out, "tags", texts.tags)
    _ragged(out, "quotes", store.excerpt_quotes)
    _table(out, "locators", store.excerpt_locators.table)
    _table(out, "nested", store.nested.table)
    meta = {
        "format": FORMAT,
        "title": store.title,
        "actor_ids": store.actor_ids,
        "actor_names": store.actor_names,
        "actor_colors": store.actor_colors,
        "eras": [[e.title, e.start, e.end, e.color] for e in store.eras],
        "sources": [s.to_json() for s in store.sources],
        "source_names": texts.source_names,
        "date_texts": dates.texts(),
        "date_raw": dates.raw(),
        "head": store.head,
    }
    out[_META] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    return out


def write(key: str, store: EventStore) -> Path | None:
    """Keep ``store`` under ``key``; the entry's path, or None if it was not written (never raises
    for a full disk or an unwritable folder: the load it follows has already succeeded)."""
    target = _entry(key)
    arrays = _arrays(store)
    if target is None or arrays is None:
        return None
    if target.is_file():  # the same key is the same bytes: already kept (it was just read back)
        return target
    sections, at = [], 0
    for name, arr in arrays.items():
        sections.append([name, arr.dtype.str, list(arr.shape), at, arr.nbytes])
        at += -(-arr.nbytes // _ALIGN) * _ALIGN
    header = json.dumps({"format": FORMAT, "version": __version__, "sections": sections}).encode("utf-8")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp, open(tmp, "wb") as fh:
            fh.write(_MAGIC + len(header).to_bytes(8, "little") + header)
            base = fh.tell()
            for (_, _, _, offset, _), arr in zip(sections, arrays.values(), strict=True):
                fh.seek(base + offset)
                fh.write(np.ascontiguousarray(arr).data)
            fh.truncate(base + at)
    except OSError:
        return None
    _trim(target.parent, keep=target)
    return target


def _trim(folder: Path, keep: Path) -> None:
    """Drop the least recently used entries until the folder fits the budget."""
    entries = []
    for path in folder.glob(f"*{_SUFFIX}"):
        with contextlib.suppress(OSError):
            st = path.stat()
            entries.append((st.st_mtime, st.st_size, path))
    for tmp in folder.glob(f".*{_SUFFIX}.*.tmp"):  # a writer killed mid-way (atomic_path cleans up otherwise)
        with contextlib.suppress(OSError):
            if tmp.stat().st_mtime < time.time() - 3600:
                tmp.unlink()
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= _BUDGET:
            break
        if path == keep:
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            total -= size


def usage() -> int:
    """Bytes the kept entries take (0 when there are none or the cache is off)."""
    folder = cache_dir()
    if folder is None:
        return 0
    total = 0
    for path in folder.glob(f"*{_SUFFIX}"):
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    return total


def clear() -> int:
    """Delete every kept entry (the files open from scratch next time); the bytes freed."""
    folder = cache_dir()
    if folder is None:
        return 0
    freed = 0
    for path in [*folder.glob(f"*{_SUFFIX}"), *folder.glob(f".*{_SUFFIX}.*.tmp")]:
        with contextlib.suppress(OSError):
            size = path.stat().st_size
            path.unlink()
            freed += size
    return freed


# -- read -------------------------------------------------------------------------------------------


class _Stale(Exception):
    """The entry is not one this version can use."""


def read(key: str) -> EventStore | None:
    """The store kept under ``key``, or None (no entry, turned off, or an entry we cannot trust)."""
    path = _entry(key)
    if path is None or not path.is_file():
        return None
    try:
        store = _store(_read_sections(path))
    except (OSError, ValueError, KeyError, TypeError, IndexError, EOFError, _Stale):
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: trimmed last
    store.content_key, store.from_cache = key, True
    return store


def _read_sections(path: Path) -> dict[str, Any]:
    """Named arrays (writable) and blobs (``bytes``, as string tables hold them) from an entry."""
    out: dict[str, Any] = {}
    with open(path, "rb") as fh:
        if fh.read(len(_MAGIC)) != _MAGIC:
            raise _Stale
        size = int.from_bytes(fh.read(8), "little")
        if not 0 < size < 1 << 24:
            raise _Stale
        head = json.loads(fh.read(size).decode("utf-8"))
        if not isinstance(head, dict) or head.get("format") != FORMAT or head.get("version") != __version__:
            raise _Stale  # written by another version, whose checks may differ
        base = fh.tell()
        room = os.fstat(fh.fileno()).st_size - base
        for name, dtype, shape, offset, nbytes in head["sections"]:
            offset, nbytes = int(offset), int(nbytes)
            if min(offset, nbytes) < 0 or offset + nbytes > room:
                raise _Stale  # never allocate what the file does not hold
            fh.seek(base + offset)
            if name.endswith(".blob"):
                blob = fh.read(nbytes)
                if len(blob) != nbytes:
                    raise _Stale
                out[name] = blob
                continue
            buf = bytearray(nbytes)
            if fh.readinto(buf) != nbytes:
                raise _Stale
            out[name] = np.frombuffer(buf, dtype=np.dtype(dtype)).reshape(shape)
    return out


def _blob_table(a: dict[str, NDArray[Any]], name: str) -> StringTable:
    blob = a[f"{name}.blob"]
    if not isinstance(blob, bytes):
        raise _Stale
    return StringTable(blob, a[f"{name}.offsets"])


def _rows(a: dict[str, NDArray[Any]], name: str, n: int) -> RaggedStrings:
    ptr = a[f"{name}.ptr"]
    if len(ptr) != n + 1:
        raise _Stale
    return RaggedStrings(_blob_table(a, name), ptr)


def _column(a: dict[str, NDArray[Any]], name: str, dtype: type, n: int) -> NDArray[Any]:
    col = a[name]
    if col.dtype != dtype or col.shape != (n,):
        raise _Stale
    return col


def _store(a: dict[str, NDArray[Any]]) -> EventStore:
    meta = json.loads(a[_META].tobytes().decode("utf-8"))
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise _Stale
    ids = _blob_table(a, "ids")
    n = len(ids)
    titles = _blob_table(a, "titles")
    summaries = _blob_table(a, "summaries")
    if len(titles) != n or len(summaries) != n:
        raise _Stale
    tags = _rows(a, "tags", n)
    quotes = _rows(a, "quotes", n)
    quote_sources = _column(a, "excerpt_sources", np.int32, len(quotes.table))
    actor_ids = list(meta["actor_ids"])
    sources = [SourceRecord.from_json(s) for s in meta["sources"]]
    source_names, date_texts, date_raw = list(meta["source_names"]), list(meta["date_texts"]), list(meta["date_raw"])
    head = meta["head"]
    if not isinstance(head, dict) or len(date_raw) != len(date_texts):
        raise _Stale
    member_ptr = _column(a, "member_ptr", np.int64, n + 1)
    member_actor = _column(a, "member_actor", np.int32, int(member_ptr[-1]) if n else len(a["member_actor"]))
    date_start = _column(a, "date_start", np.int32, n)
    date_end = _column(a, "date_end", np.int32, n)
    date_end_raw = _column(a, "date_end_raw", np.int32, n)
    locators = OptionalStrings(_blob_table(a, "locators"), _column(a, "locators.given", np.bool_, len(quotes.table)))
    nested = SparseRows(a["nested.rows"], _blob_table(a, "nested"))
    file_order = _column(a, "file_order", np.int64, n) if "file_order" in a else None
    if len(nested.rows) and (int(nested.rows[0]) < 0 or int(nested.rows[-1]) >= n):
        raise _Stale
    if file_order is not None and not np.array_equal(np.sort(file_order), np.arange(n)):
        raise _Stale  # Codes index small lists: out of range would fail later, in a paint; here it is a miss.
    for codes, size in (
        (member_actor, len(actor_ids)),
        (quote_sources, len(source_names)),
        (date_start, len(date_texts)),
        (date_end, len(date_texts)),
        (date_end_raw, len(date_texts)),
    ):
        if len(codes) and (int(codes.max()) >= size or int(codes.min()) < (0 if codes is date_start else -1)):
            raise _Stale
    actor_names, actor_colors = list(meta["actor_names"]), list(meta["actor_colors"])
    if len(sources) != len(source_names) or not len(actor_ids) == len(actor_names) == len(actor_colors):
        raise _Stale
    return EventStore(
        title=str(meta["title"]),
        start=_column(a, "start", np.float64, n),
        end=_column(a, "end", np.float64, n),
        kind=_column(a, "kind", np.int8, n),
        qualified=_column(a, "qualified", np.bool_, n),
        has_discrepancy=_column(a, "has_discrepancy", np.bool_, n),
        ids=ids,
        titles=titles,
        date_texts=DateTexts(date_texts, date_start, date_end, date_raw, date_end_raw),
        actor_ids=actor_ids,
        actor_names=actor_names,
        actor_colors=actor_colors,
        member_ptr=member_ptr,
        member_actor=member_actor,
        eras=[EraBand(str(t), float(s), float(e), c) for t, s, e, c in meta["eras"]],
        search_texts=SearchTexts(titles, summaries, tags, quotes, quote_sources, source_names),
        excerpt_quotes=quotes,
        excerpt_sources=quote_sources,
        excerpt_locators=locators,
        nested=nested,
        sources=sources,
        head=head,
        file_order=file_order,
    )
