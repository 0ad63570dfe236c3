"""How long the window's event loop stalls while a big file loads: in a thread vs in a child process,
and when it is reopened from the reopen cache (read in the window's process).

    PYTHONPATH=src python benchmarks/responsiveness.py benchmarks/out/events-1000000.json --runs 3

A 5 ms QTimer ticks on the GUI thread while a worker thread runs ``prepare`` (load + index in this
process, holding the interpreter lock for long C calls) or ``prepare_isolated`` (the same work in a
child process; the thread only reads a pipe). Reported per mode, medians over runs: wall time, the
longest gap between ticks (what a user sees as a frozen window), and the share of gaps over 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from PySide6.QtCore import QCoreApplication, QTimer

from timeline_app.core import store_cache
from timeline_app.core.load_process import open_data_set, prepare, prepare_isolated

MODES = {"thread": prepare, "child process": prepare_isolated, "reopen (cache)": open_data_set}


def measure(path: str, mode: str) -> dict[str, float]:
    app = QCoreApplication.instance() or QCoreApplication([])
    ticks: list[float] = []
    done = threading.Event()
    result: list[Any] = []

    def work() -> None:
        try:
            result.append(MODES[mode](path))
        finally:
            done.set()

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    t0 = time.perf_counter()
    ticks.append(t0)
    worker = threading.Thread(target=work)
    worker.start()
    while not done.is_set():
        app.processEvents()
        time.sleep(0.001)
    wall = time.perf_counter() - t0
    worker.join()
    timer.stop()
    gaps = [b - a for a, b in pairwise(ticks)]
    assert result, "the load failed"
    return {
        "wall_s": wall,
        "max_stall_ms": max(gaps) * 1000 if gaps else wall * 1000,
        "stalled_share": sum(g for g in gaps if g > 0.05) / wall,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    out: dict[str, dict[str, float]] = {}
    runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in MODES}
    with tempfile.TemporaryDirectory() as cache:
        os.environ[store_cache.ENV_DIR] = ""  # thread and child: cold loads
        for _ in range(args.runs):  # alternate, so a busy spell hits every mode
            for mode in runs:
                if mode == "reopen (cache)":
                    os.environ[store_cache.ENV_DIR] = cache
                    if not store_cache.read_file(args.file):
                        prepare(args.file)  # keeps it
                runs[mode].append(measure(args.file, mode))
                os.environ[store_cache.ENV_DIR] = ""
    print(f"{Path(args.file).name}: medians of {args.runs} runs")
    print(f"{'mode':<15} {'wall s':>8} {'max stall ms':>13} {'time stalled':>13}")
    for mode, rows in runs.items():
        med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
        out[mode] = med
        print(f"{mode:<15} {med['wall_s']:>8.2f} {med['max_stall_ms']:>13.0f} {med['stalled_share']:>12.0%}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
