"""Frame timing and profiling for the timeline view, the way ``run.py``'s ``child_view`` measures.

    PYTHONPATH=src .venv/bin/python benchmarks/frames_profile.py --sizes 1000,10000 --repeat 3
    PYTHONPATH=src .venv/bin/python benchmarks/frames_profile.py --sizes 10000 --profile mid
    PYTHONPATH=src .venv/bin/python benchmarks/frames_profile.py --empty     # the floor: grab() of an empty view
    PYTHONPATH=src .venv/bin/python benchmarks/frames_profile.py --against /tmp/before/src --rounds 4 --cpu

Each frame = ``set_view_range`` + ``view.grab()`` at 1920x1080, offscreen; a 24-frame pan at each
zoom level (out = fit all, mid = 1/30 of the span, in = 60 days), repeated ``--repeat`` times in
one process; p50 and p95 over all frames of a level. ``--against SRC`` times another source tree
(e.g. a ``git worktree`` of HEAD) in the same process, fresh views of both in turns, the same
frames interleaved: on a shared, noisy machine the only comparison that holds. ``--drag`` adds a
level that pans steadily in one direction by a few pixels a frame, as a mouse drag does (no frame
repeats, so no frame cache hits, unlike the benchmark's back-and-forth pan); ``--mouse`` adds the
mouse move of a real drag (the hover hit test). ``--cpu`` times the main thread's CPU instead of
the wall (steadier on a busy machine, but misses Qt's worker threads for large fills). Point
``PYTHONPATH`` at another source tree to measure an older version in another process.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FRAMES = 24


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def levels(view: Any, store: Any) -> list[tuple[str, float, list[float]]]:
    """(name, window width, left edges) per zoom level, as child_view pans."""
    import numpy as np

    lo, hi = view.view_range()
    span = hi - lo
    mid_c = float(np.median(store.start)) if len(store) else (lo + hi) / 2
    out = []
    for level, width in (("out", span), ("mid", span / 30), ("in", 60.0)):
        x0 = mid_c - width / 2
        shifts = [width * 0.01 * (1 if k % 2 else -1) * (k % 5) for k in range(FRAMES)]
        out.append((level, width, [x0 + s for s in shifts]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", choices=("out", "mid", "in", "drag"), help="cProfile this level instead")
    ap.add_argument("--drag", action="store_true", help="also time a steady drag (mid zoom, 3 px a frame)")
    ap.add_argument(
        "--mouse",
        action="store_true",
        help="in the drag, move the mouse too (the scene's sigMouseMoved: the hover hit test a drag makes)",
    )
    ap.add_argument("--empty", action="store_true", help="time grab() of a view with no data")
    ap.add_argument("--json", action="store_true", help="one JSON line per size")
    ap.add_argument("--cpu", action="store_true", help="time the main thread's CPU, not the wall (a busy machine)")
    ap.add_argument("--against", type=Path, metavar="SRC", help="compare with the timeline_app under SRC, interleaved")
    ap.add_argument("--rounds", type=int, default=4, help="with --against: fresh views of each, in turns")
    args = ap.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from timeline_app.core.bulk import load_store
    from timeline_app.ui.timeline_view import TimelineView

    app = QApplication.instance() or QApplication([])
    clock = time.thread_time if args.cpu else time.perf_counter
    if args.against:
        return _compare(args, clock)
    if args.empty:
        from PySide6.QtWidgets import QWidget

        for name, widget in (("empty view", TimelineView()), ("plain QWidget", QWidget())):
            widget.resize(1920, 1080)
            widget.grab()  # first paint: font caches, etc.
            times = []
            for _ in range(60):
                t = time.perf_counter()
                widget.grab()
                times.append(time.perf_counter() - t)
            p50, p95 = 1000 * statistics.median(times), 1000 * _pct(times, 0.95)
            print(f"{name} grab(): p50 {p50:.2f} ms, p95 {p95:.2f} ms")
        return 0
    for n in [int(s) for s in args.sizes.split(",") if s]:
        store = load_store(HERE / "out" / f"events-{n}.json")
        view = TimelineView()
        view.resize(1920, 1080)
        view.set_store(store)
        view.fit_all()
        view.grab()
        app.processEvents()
        plan = levels(view, store)
        if args.drag or args.profile == "drag":
            _, width, _ = plan[1]
            x0 = plan[1][2][0]
            step = width * 3 / 1800  # ~3 px a frame
            plan.append(("drag", width, [x0 + k * step for k in range(FRAMES * 2)]))

        scene = view._plot.scene()
        from PySide6.QtCore import QPointF

        def show(x0: float, width: float, view: Any = view, scene: Any = scene, mouse: bool = False) -> None:
            view.set_view_range(x0, x0 + width)
            if mouse:  # what a drag's mouse move does before the repaint: which event is under it?
                scene.sigMouseMoved.emit(QPointF(900.0, 300.0))
            view.grab()

        row: dict[str, Any] = {"n": n}
        for name, width, lefts in plan:
            if args.profile and name != args.profile:
                continue
            if args.profile:
                prof = cProfile.Profile()
                prof.enable()
                for _ in range(args.repeat):
                    for x0 in lefts:
                        show(x0, width)
                prof.disable()
                pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
                pstats.Stats(prof).sort_stats("tottime").print_stats(30)
                continue
            times = []
            for _ in range(args.repeat):
                for x0 in lefts:
                    t = clock()
                    show(x0, width, mouse=args.mouse and name == "drag")
                    times.append(clock() - t)
            row[name] = (1000 * statistics.median(times), 1000 * _pct(times, 0.95))
        if args.profile:
            continue
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            cells = "  ".join(f"{k} {v[0]:6.1f}/{v[1]:6.1f}" for k, v in row.items() if k != "n")
            print(f"n={n:>8,}  {cells}  (p50/p95 ms)", flush=True)
    return 0


def _other_tree(src: Path) -> tuple[Any, Any]:
    """``TimelineView`` and ``load_store`` of the package ``src/timeline_app``, imported under
    another name (its modules import each other relatively) so both versions run in one process."""
    import importlib
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="frames-against-"))
    shutil.copytree(src / "timeline_app", root / "timeline_against", ignore=shutil.ignore_patterns("__pycache__"))
    sys.path.insert(0, str(root))
    view = importlib.import_module("timeline_against.ui.timeline_view")
    bulk = importlib.import_module("timeline_against.core.bulk")
    return view.TimelineView, bulk.load_store


def _compare(args: argparse.Namespace, clock: Any) -> int:
    """Per size and level, p50/p95 of this tree and of ``--against``'s: each round builds a fresh view
    of each (first the one, then the other, alternating) and shows it the same frames."""
    from PySide6.QtWidgets import QApplication

    from timeline_app.core.bulk import load_store
    from timeline_app.ui.timeline_view import TimelineView

    app = QApplication.instance()
    other_view, other_load = _other_tree(args.against.resolve())
    sides = {"this": (TimelineView, load_store), "against": (other_view, other_load)}
    for n in [int(s) for s in args.sizes.split(",") if s]:
        path = HERE / "out" / f"events-{n}.json"
        stores = {name: load(path) for name, (_, load) in sides.items()}
        times: dict[tuple[str, str], list[float]] = {}
        for r in range(args.rounds):
            for name in ("this", "against") if r % 2 == 0 else ("against", "this"):
                view = sides[name][0]()
                view.resize(1920, 1080)
                view.set_store(stores[name])
                view.fit_all()
                view.grab()
                app.processEvents()
                plan = levels(view, stores[name])
                _, width, lefts = plan[1]
                plan.append(("drag", width, [lefts[0] + k * width * 3 / 1800 for k in range(FRAMES)]))
                for level, width, lefts in plan:
                    for x0 in lefts:
                        t = clock()
                        view.set_view_range(x0, x0 + width)
                        view.grab()
                        times.setdefault((level, name), []).append(clock() - t)
                view.deleteLater()
                app.processEvents()
        for level in ("out", "mid", "in", "drag"):
            cells = "   ".join(
                f"{name} {1000 * statistics.median(times[(level, name)]):6.1f}/"
                f"{1000 * _pct(times[(level, name)], 0.95):6.1f}"
                for name in ("against", "this")
            )
            print(f"n={n:>8,}  {level:5s} {cells}  (p50/p95 ms)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
