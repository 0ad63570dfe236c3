"""Search latency at scale, many queries on one loaded store (load once, time each query from scratch).

    PYTHONPATH=src .venv/bin/python benchmarks/search_scale.py benchmarks/out/events-1000000.json \
        [--baseline /path/to/old/search.py] [--runs 5] [--cache /dev/shm/store.pkl]

``--baseline`` loads another copy of ``core/search.py`` (e.g. from ``git show HEAD:...``) and times it
side by side in the same process, and checks both give the same answers.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import pickle
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

QUERIES = {
    "absent": "zeppelin",
    "common": "kabul",
    "letter": "q",
    "two": "pesh kabul",
    "2-letter": "ra",
    "half": "on",
    "non-ascii": "zürich",
    "accent-folded": "islamabad",
    "three": "kabul talks aid",
    "digit": "1",
    "vowel": "e",
    "long": "counterterrorism",
    "punct": "n.",
}


def _load(path: Path, cache: Path | None) -> Any:
    if cache is not None and cache.exists():
        with cache.open("rb") as fh:
            return pickle.load(fh)
    from timeline_app.core.bulk import load_store

    store = load_store(path)
    if cache is not None:
        with cache.open("wb") as fh:
            pickle.dump(store, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return store


def _module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("timeline_app.core._search_baseline", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def _time(index: Any, query: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        index.forget()
        t = time.perf_counter()
        index.search(query)
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("data", type=Path)
    p.add_argument("--baseline", type=Path)
    p.add_argument("--cache", type=Path)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--queries", nargs="*")
    args = p.parse_args()
    from timeline_app.core import search

    store = _load(args.data, args.cache)
    n = len(store)
    impls = {"new": search}
    if args.baseline:
        impls = {"old": _module(args.baseline), **impls}
    indexes = {}
    for name, mod in impls.items():
        gc.collect()
        t = time.perf_counter()
        indexes[name] = mod.SearchIndex.from_store(store)
        dt = time.perf_counter() - t
        print(f"{name}: build {dt:.2f} s, index {indexes[name].nbytes / 1e6 * 1e5 / max(n, 1):.2f} MB per 100k")
    queries = {q: q for q in args.queries} if args.queries else QUERIES
    print(f"{'query':>14} {'text':>18} {'hits':>8} " + " ".join(f"{k + ' ms':>9}" for k in indexes))
    for label, query in queries.items():
        answers = {k: ix.search(query) for k, ix in indexes.items()}
        first = next(iter(answers.values()))
        same = all((a == first).all() for a in answers.values())
        ms = {k: _time(ix, query, args.runs) for k, ix in indexes.items()}
        print(
            f"{label:>14} {query!r:>18} {int(first.sum()):>8} "
            + " ".join(f"{v:>9.1f}" for v in ms.values())
            + ("" if same else "  DIFFERENT ANSWERS"),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
