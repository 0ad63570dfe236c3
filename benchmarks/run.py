"""The scale benchmark: load, search, filter, pan/zoom frames, 4K export and memory, from 1k to 1M events.

    PYTHONPATH=src python benchmarks/run.py --sizes 1000,10000,100000,1000000 --runs 3 \
        --json benchmarks/out/results.json

Each measurement runs in its own subprocess (a fresh interpreter: peak RSS is that of the step
alone, and no run warms the next). Data sets are generated once into ``benchmarks/out/``
(git-ignored). Results are medians over ``--runs``; frame times are p50/p95 over >= 20 frames.
Ratios are measured side by side in the same run, so a slow or busy machine shows in both terms.

"Ready" is what a reader waits for before the window can show a data set: the load plus the
search index and the source citations, in one process; "open" is the same done the window's way
(files over 32 MB in a child process, sent back pickled), with the reopen cache on but empty, as
on a first open; "reopen" is opening it again with the cache warm (core/store_cache.py). Every
other measurement runs with the cache off.
Search times are medians of fresh searches (no kept answers) for a word that is nowhere, a common
word, one letter and two words.
Memory held is the window's process's resident size once a data set is open, garbage collected,
minus what it was before (not the peak): per 100k events, what holding a data set costs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
MPL_N = 2000
FRAMES = 24

TARGETS = {
    "frame_1m_out_p95_ms": 33.0,
    "frame_small_visible_p95_ms": 10.0,
    "filter_repaint_ms": 50.0,
    "search_ms": 50.0,
    "export_4k_s": 1.5,
    "load_ratio": 1.5,
    "steady_mb_per_100k": 20.0,
    "mpl_speedup": 10.0,
}
SEARCHES = {"absent": "zeppelin", "common": "kabul", "letter": "q", "two": "pesh kabul"}
SEARCH_REPEATS = 5


def dataset(n: int) -> Path:
    path = OUT / f"events-{n}.json"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        sys.path.insert(0, str(HERE))
        import generate

        generate.write(n, path, seed=1)
    return path


# -- children: one measurement each ------------------------------------------------------------------


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _current_rss_mb() -> float:
    """Resident size now (Linux), not the peak: what the process holds once a load is over."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024.0**2
    except (OSError, ValueError, IndexError):
        return _peak_rss_mb()


def _timed(fn: Callable[..., T], *args: Any) -> tuple[T, float]:
    """``fn(*args)`` and its wall time in seconds."""
    t = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - t


def child_json(path: Path) -> dict[str, Any]:
    from timeline_app.core.bulk import bare_json_load

    dt = _timed(bare_json_load, path)[1]
    return {"json_s": dt, "json_rss_mb": _peak_rss_mb()}


def child_load(path: Path) -> dict[str, Any]:
    """Load, then what else the window needs before it shows anything (ready), memory held, searches."""
    import gc

    from timeline_app.core.bulk import load_store
    from timeline_app.core.search import SearchIndex, SourceCitations

    gc.collect()
    base, now = _peak_rss_mb(), _current_rss_mb()
    store, dt = _timed(load_store, path)
    load_rss = _peak_rss_mb()
    index, index_s = _timed(SearchIndex.from_store, store)
    _, citations_s = _timed(SourceCitations.from_store, store)
    gc.collect()
    out = {
        "load_s": dt,
        "load_rss_mb": load_rss,
        "base_rss_mb": base,
        "store_mb": store.nbytes() / 1e6,
        "index_s": index_s,
        "citations_s": citations_s,
        "ready_s": dt + index_s + citations_s,
        "index_mb": index.nbytes / 1e6,
        "inproc_held_mb": _current_rss_mb() - now,
    }
    for name, query in SEARCHES.items():
        times = []
        for _ in range(SEARCH_REPEATS):
            index.forget()
            times.append(_timed(index.search, query)[1])
        out[f"search_{name}_ms"] = 1000 * statistics.median(times)
    return out


def child_open(path: Path) -> dict[str, Any]:
    """The window's own way to a data set (big files load in a child process and arrive pickled):
    how long until it can show it, and the memory the window's process holds for it then."""
    import gc

    from timeline_app.core import store_cache
    from timeline_app.core.load_process import open_data_set

    with tempfile.TemporaryDirectory() as tmp:
        os.environ[store_cache.ENV_DIR] = tmp  # on, as by default, and empty: a first open
        gc.collect()
        now = _current_rss_mb()
        ready, dt = _timed(open_data_set, path)
        gc.collect()
        held = _current_rss_mb() - now
        if ready.store.content_key is not None:
            _wait_for_entry(Path(tmp))  # not timed: so the next measurement runs alone
    return {"open_s": dt, "steady_mb": held, "open_events": len(ready.store)}


def _wait_for_entry(folder: Path) -> None:
    """A child loader keeps the store after it has answered; wait until it has."""
    deadline = time.monotonic() + 600
    while not any(folder.glob("*.store")) and time.monotonic() < deadline:
        time.sleep(0.05)


def child_reopen(path: Path) -> dict[str, Any]:
    """Opening the same file again, the window's way, with the reopen cache warm (bulk files only)."""
    from timeline_app.core import store_cache
    from timeline_app.core.load_process import open_data_set

    with tempfile.TemporaryDirectory() as tmp:
        os.environ[store_cache.ENV_DIR] = tmp  # the child loader inherits it
        if open_data_set(path).store.content_key is None:
            return {}  # a small file: kept as models, never cached
        _wait_for_entry(Path(tmp))
        ready, dt = _timed(open_data_set, path)
    return {"reopen_s": dt} if ready.store.from_cache else {}


def _percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q * (len(s) - 1))))
    return s[k]


def child_view(path: Path) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import numpy as np
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from timeline_app.core import filtering
    from timeline_app.core.bulk import load_store
    from timeline_app.ui.timeline_view import TimelineView

    app = QApplication.instance() or QApplication([])
    store = load_store(path)
    view = TimelineView()
    view.resize(1920, 1080)
    view.set_store(store)
    view.fit_all()
    view.grab()  # first paint: font caches, etc.
    app.processEvents()
    lo, hi = view.view_range()
    span = hi - lo
    mid_c = float(np.median(store.start)) if len(store) else (lo + hi) / 2

    def show(x0: float, x1: float) -> None:
        view.set_view_range(x0, x1)
        view.grab()

    def refilter(hidden: frozenset[str]) -> None:
        view.set_visible(filtering.compute(store, filtering.FilterState(hidden_actors=hidden)))
        view.grab()

    out: dict[str, Any] = {}
    for level, width in (("out", span), ("mid", span / 30), ("in", 60.0)):
        x0 = mid_c - width / 2
        shifts = [width * 0.01 * (1 if k % 2 else -1) * (k % 5) for k in range(FRAMES)]
        times = [_timed(show, x0 + s, x0 + s + width)[1] for s in shifts]
        out[f"frame_{level}_p50_ms"] = 1000 * statistics.median(times)
        out[f"frame_{level}_p95_ms"] = 1000 * _percentile(times, 0.95)
        out[f"frame_{level}_visible"] = int(np.count_nonzero((store.start <= x0 + width) & (store.end >= x0)))
    # Filter change + repaint: hide one actor, then show all again; each a compute + repaint.
    view.fit_all()
    view.grab()
    hidden = [frozenset({store.actor_ids[k % len(store.actor_ids)]}) if k % 2 == 0 else frozenset() for k in range(10)]
    out["filter_repaint_ms"] = 1000 * statistics.median(_timed(refilter, h)[1] for h in hidden)
    view.set_visible(None)
    # 4K PNG export through the export module (page, legend, credits, PNG encode, atomic write).
    from timeline_app.export.options import ExportOptions
    from timeline_app.export.page_texts import page_texts
    from timeline_app.export.writers import export_image

    def picture(target: Path) -> None:
        """The plain picture at 1920x1080 (no page around it), from a new view: for the matplotlib comparison."""
        fresh = TimelineView()
        fresh.resize(1920, 1080)
        fresh.set_store(store)
        fresh.fit_all()
        image = QImage(1920, 1080, QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        fresh.render_to(painter, QRectF(0, 0, 1920, 1080))
        painter.end()
        image.save(str(target), "PNG")

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "export.png"
        texts = page_texts(store, None)
        _, out["export_4k_s"] = _timed(export_image, view, target, ExportOptions(width=3840, height=2160), texts)
        out["export_4k_mb"] = target.stat().st_size / 1e6
        _, out["picture_1080_s"] = _timed(picture, Path(tmp) / "ours.png")
    out["view_rss_mb"] = _peak_rss_mb()
    return out


def child_mpl(path: Path) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    import matplotlib_baseline

    with tempfile.TemporaryDirectory() as tmp:
        seconds = matplotlib_baseline.draw(path, Path(tmp) / "mpl.png")
    return {"mpl_s": seconds}


CHILDREN = {
    "json": child_json,
    "load": child_load,
    "open": child_open,
    "reopen": child_reopen,
    "view": child_view,
    "mpl": child_mpl,
}


def run_child(kind: str, path: Path, timeout: float) -> dict[str, Any]:
    # The reopen cache is off: every load is measured cold, except in child_reopen.
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), QT_QPA_PLATFORM="offscreen", TIMELINE_APP_CACHE_DIR="")
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} {path.name} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- the parent: sizes x runs, medians, table, targets -------------------------------------------------


def measure(sizes: list[int], runs: int, timeout: float, with_view: bool) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for n in sizes:
        path = dataset(n)
        samples: dict[str, list[float]] = {}
        for r in range(runs):
            kinds = ["json", "load", "open", "reopen"] + (["view"] if with_view else [])
            for kind in kinds:
                for key, value in run_child(kind, path, timeout).items():
                    if isinstance(value, (int, float)) and not isinstance(value, bool):
                        samples.setdefault(key, []).append(float(value))
            print(f"  n={n} run {r + 1}/{runs} done", file=sys.stderr, flush=True)
        row = {k: statistics.median(v) for k, v in samples.items()}
        row["file_mb"] = path.stat().st_size / 1e6
        row["load_ratio"] = row["load_s"] / row["json_s"]
        row["steady_mb_per_100k"] = row["steady_mb"] * 100_000 / n
        row["search_worst_ms"] = max(row[f"search_{name}_ms"] for name in SEARCHES)
        results[str(n)] = row
    return results


def measure_mpl(runs: int, timeout: float) -> dict[str, float]:
    path = dataset(MPL_N)
    mpl = statistics.median(run_child("mpl", path, timeout)["mpl_s"] for _ in range(runs))
    ours = statistics.median(run_child("view", path, timeout)["picture_1080_s"] for _ in range(runs))
    return {"n": MPL_N, "mpl_s": mpl, "ours_s": ours, "speedup": mpl / ours}


def verdicts(results: dict[str, Any], mpl: dict[str, float] | None) -> list[tuple[str, str, str]]:
    """(target, measured, PASS/MISS) per target in TARGETS; "n/a" and "—" when it was not measured."""
    out: list[tuple[str, str, str]] = []

    def add(key: str, name: str, value: float | None, shown: str, *, at_least: bool = False) -> None:
        if value is None:
            out.append((name, "n/a", "—"))
            return
        target = TARGETS[key]
        ok = value >= target if at_least else value <= target
        out.append((name, shown.format(value), "PASS" if ok else "MISS"))

    big = max(results, key=int) if results else None
    row = results[big] if big else {}
    t = {k: f"{v:g}" for k, v in TARGETS.items()}
    add(
        "frame_1m_out_p95_ms",
        f"1M zoomed-out frame p95 ≤ {t['frame_1m_out_p95_ms']} ms",
        results.get("1000000", {}).get("frame_out_p95_ms"),
        "{:.1f} ms",
    )
    small = [
        (r[f"frame_{lvl}_p95_ms"], n, lvl)
        for n, r in results.items()
        for lvl in ("out", "mid", "in")
        if f"frame_{lvl}_p95_ms" in r and r[f"frame_{lvl}_visible"] <= 10_000
    ]
    worst = max(small) if small else None
    add(
        "frame_small_visible_p95_ms",
        f"any frame with ≤ 10k visible ≤ {t['frame_small_visible_p95_ms']} ms (worst p95)",
        worst[0] if worst else None,
        f"{{:.1f}} ms (n={worst[1]}, {worst[2]})" if worst else "",
    )
    add(
        "filter_repaint_ms",
        f"filter change + repaint ≤ {t['filter_repaint_ms']} ms (n={big})",
        row.get("filter_repaint_ms"),
        "{:.1f} ms",
    )
    add(
        "search_ms",
        f"search recompute ≤ {t['search_ms']} ms (n={big}, worst of: {', '.join(SEARCHES.values())})",
        row.get("search_worst_ms"),
        "{:.0f} ms",
    )
    add("export_4k_s", f"4K PNG export ≤ {t['export_4k_s']} s (n={big})", row.get("export_4k_s"), "{:.2f} s")
    add("load_ratio", f"validated load ≤ {t['load_ratio']}× json.loads (n={big})", row.get("load_ratio"), "{:.2f}×")
    add(
        "steady_mb_per_100k",
        f"memory held ≤ {t['steady_mb_per_100k']} MB per 100k events (n={big})",
        row.get("steady_mb_per_100k"),
        "{:.1f} MB",
    )
    add(
        "mpl_speedup",
        f"{MPL_N} events: ≥ {t['mpl_speedup']}× faster than matplotlib",
        mpl["speedup"] if mpl else None,
        "{:.1f}×",
        at_least=True,
    )
    return out


def table(results: dict[str, Any]) -> str:
    cols = [
        ("N", "{}"),
        ("file MB", "{:.1f}"),
        ("json s", "{:.3f}"),
        ("load s", "{:.3f}"),
        ("ratio", "{:.2f}"),
        ("ready s", "{:.3f}"),
        ("open s", "{:.3f}"),
        ("reopen s", "{:.3f}"),
        ("store MB", "{:.1f}"),
        ("index MB", "{:.1f}"),
        ("held MB/100k", "{:.1f}"),
        ("load RSS MB", "{:.0f}"),
        ("search ms " + "/".join(SEARCHES), None),
        ("out p50/p95 ms", None),
        ("mid p50/p95 ms", None),
        ("in p50/p95 ms", None),
        ("filter ms", "{:.1f}"),
        ("4K PNG s", "{:.2f}"),
        ("view RSS MB", "{:.0f}"),
    ]
    keys = [
        None,
        "file_mb",
        "json_s",
        "load_s",
        "load_ratio",
        "ready_s",
        "open_s",
        "reopen_s",
        "store_mb",
        "index_mb",
        "steady_mb_per_100k",
        "load_rss_mb",
        "search",
        "out",
        "mid",
        "in",
        "filter_repaint_ms",
        "export_4k_s",
        "view_rss_mb",
    ]
    lines = ["| " + " | ".join(c for c, _ in cols) + " |", "|" + "---|" * len(cols)]
    for n, row in results.items():
        cells = []
        for (_, fmt), key in zip(cols, keys, strict=True):
            if key is None:
                cells.append(f"{int(n):,}")
            elif key == "search":
                ms = [row.get(f"search_{name}_ms") for name in SEARCHES]
                cells.append(" / ".join("–" if v is None else f"{v:.0f}" for v in ms))
            elif key in ("out", "mid", "in"):
                p50, p95 = row.get(f"frame_{key}_p50_ms"), row.get(f"frame_{key}_p95_ms")
                vis = row.get(f"frame_{key}_visible")
                cells.append(f"{p50:.1f} / {p95:.1f} ({int(vis):,} vis.)" if p50 is not None else "–")
            else:
                v = row.get(key)
                cells.append(fmt.format(v) if v is not None and fmt else "–")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info = {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        import numpy
        import pydantic
        import pyqtgraph
        import PySide6  # first: pyqtgraph binds to the Qt already imported

        info.update(
            qt=PySide6.__version__, pyqtgraph=pyqtgraph.__version__, numpy=numpy.__version__, pydantic=pydantic.VERSION
        )
    except ImportError:
        pass
    return info


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Timeline scale benchmark")
    p.add_argument("--sizes", default="1000,10000,100000,1000000", help="comma-separated event counts")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--json", type=Path, help="write the results here")
    p.add_argument("--timeout", type=float, default=1800.0, help="seconds per child process")
    p.add_argument("--no-view", action="store_true", help="loading only (no Qt)")
    p.add_argument("--no-mpl", action="store_true", help="skip the matplotlib comparison")
    p.add_argument("--child", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        kind, file = args.child
        print(json.dumps(CHILDREN[kind](Path(file))))
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    started = time.time()
    results = measure(sizes, args.runs, args.timeout, with_view=not args.no_view)
    mpl = None if args.no_mpl or args.no_view else measure_mpl(args.runs, args.timeout)
    checked = verdicts(results, mpl)
    report = {
        "machine": machine(),
        "command": " ".join(["python", "benchmarks/run.py", *(argv or sys.argv[1:])]),
        "runs": args.runs,
        "results": results,
        "matplotlib": mpl,
        "targets": [list(v) for v in checked],
        "seconds": round(time.time() - started),
    }
    print(table(results))
    if mpl:
        print(
            f"\n{MPL_N} events, 1920×1080 PNG: matplotlib {mpl['mpl_s']:.2f} s, ours {mpl['ours_s']:.3f} s "
            f"→ {mpl['speedup']:.1f}× faster"
        )
    print("\n| target | measured | verdict |\n|---|---|---|")
    for name, shown, verdict in checked:
        print(f"| {name} | {shown} | {verdict} |")
    if args.json:
        sys.path.insert(0, str(ROOT / "src"))
        from timeline_app.core.atomic import atomic_write_text

        args.json.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(args.json, json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
