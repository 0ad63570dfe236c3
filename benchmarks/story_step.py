"""How long one step takes in story mode, side by side with a step (→) in the normal view.

    PYTHONPATH=src python benchmarks/story_step.py --events 1000000 --steps 200 --runs 3

Opens a generated data set (``benchmarks/out/events-N.json``, written if missing) in a real main
window at 1280×800 (offscreen), then times steps: the key's action, the events it queues and a
synchronous repaint of the whole window, i.e. until the new card and the re-zoomed strip are
painted. Reported per mode, medians over runs of each run's median and 95th percentile, plus
entering story mode and the jumps to the last and first event. The target is under 50 ms a step.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import generate  # noqa: E402
from timeline_app.ui.actions import ActionId  # noqa: E402
from timeline_app.ui.main_window import MainWindow  # noqa: E402


def _open(window: MainWindow, path: Path) -> None:
    loop = QEventLoop()
    ok: list[bool] = []
    window.load_finished.connect(lambda good: (ok.append(good), loop.quit()))
    window.open_file(path)
    QTimer.singleShot(600_000, loop.quit)
    loop.exec()
    window.load_finished.disconnect()
    if not ok or not ok[0]:
        raise SystemExit(f"could not open {path}")


def _timed(app: QApplication, window: MainWindow, action: ActionId) -> float:
    t0 = time.perf_counter()
    window.actions_by_id[action].trigger()
    app.processEvents()
    window.repaint()  # paints now: the card and the strip as the reader sees them
    return (time.perf_counter() - t0) * 1000


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def run_once(app: QApplication, window: MainWindow, steps: int) -> dict[str, float]:
    out: dict[str, float] = {}
    assert window.store is not None
    n = len(window.store)
    steps = min(steps, n - 1)
    start = n // 2 if n > 2 * steps + 2 else 0  # from the middle (or the start), → as a reader holds it
    window.select(start, ensure_visible=True)
    app.processEvents()
    normal = [_timed(app, window, ActionId.NEXT_EVENT) for _ in range(steps)]
    out["normal step median ms"], out["normal step p95 ms"] = statistics.median(normal), _p95(normal)
    t0 = time.perf_counter()
    window.actions_by_id[ActionId.STORY_MODE].trigger()
    app.processEvents()
    window.repaint()
    out["enter story ms"] = (time.perf_counter() - t0) * 1000
    window.story.go(start)  # the same events as the normal view stepped through
    app.processEvents()
    story = [_timed(app, window, ActionId.NEXT_EVENT) for _ in range(steps)]
    out["story step median ms"], out["story step p95 ms"] = statistics.median(story), _p95(story)
    out["story End ms"] = _timed(app, window, ActionId.LAST_EVENT)
    out["story Home ms"] = _timed(app, window, ActionId.FIT_ALL)  # Home in story mode: the first event
    window.actions_by_id[ActionId.STORY_MODE].trigger()  # leave
    app.processEvents()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--file", type=Path, help="a data set to open instead of a generated one")
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    os.environ.setdefault("TIMELINE_APP_CONFIG_DIR", str(ROOT / "benchmarks" / "out" / "config"))
    # the reopen cache in a folder of its own, never the user's (a second run opens from it)
    os.environ.setdefault("TIMELINE_APP_CACHE_DIR", str(ROOT / "benchmarks" / "out" / "cache"))
    path = args.file
    if path is None:
        path = ROOT / "benchmarks" / "out" / f"events-{args.events}.json"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            generate.write(args.events, path)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    t0 = time.perf_counter()
    _open(window, path)
    assert window.store is not None
    print(f"{path.name}: {len(window.store):,} events, opened in {time.perf_counter() - t0:.1f} s")
    runs = [run_once(app, window, args.steps) for _ in range(args.runs)]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print(f"medians of {args.runs} runs, {args.steps} steps each (1280x800 window):")
    for k, v in med.items():
        print(f"  {k:<24} {v:8.1f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"file": path.name, "events": len(window.store), **med}, indent=2))
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
