"""Issue 15's speed targets, side by side in one run (medians; each measurement a fresh process).

    PYTHONPATH=src python benchmarks/one_model.py --runs 3 [--old /tmp/old/src] [--json FILE]

* validate: whole-process ``timeline-app validate`` of the 1M-event file against
  ``python -c 'import json; json.load(open(F))'`` on the same file: wall time and peak RSS (the
  child's own ``ru_maxrss``, from ``wait4``), taking turns. Targets: <= 1.5x time, <= 1.0x memory.
* window: a running window (offscreen, 1280x800) opens a 10k-event file; the time from
  ``open_file`` until the view has painted its first frame of it (``repaint()`` once the window
  says the load finished). Target: <= 0.15 s.
* open 1-5 MB: the window's way to a data set (``core.load_process.open_data_set``: load, search
  index, source citations), in this tree and in ``--old`` (another source tree, e.g. main before
  issue 15), taking turns. Target: >= 4x faster than the old tree.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from run import dataset  # the generated data sets run.py measures, shared under benchmarks/out/

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
SMALL_SIZES = (2_400, 4_800, 8_000, 11_500)  # ~1, 2, 3.5 and 5 MB of generated JSON
OLD_REV = "ea81e01"  # main before issue 15: two shapes by file size, validate on the models


def old_tree(rev: str) -> Path | None:
    """``rev``'s src/ (``git archive``), once, under benchmarks/out/; None without git or history."""
    target = OUT / f"src-{rev}"
    if (target / "src" / "timeline_app").is_dir():
        return target / "src"
    target.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True)
    if archive.returncode != 0:
        print(f"one_model: no {rev} to compare with ({archive.stderr.decode().strip()})", file=sys.stderr)
        return None
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target / "src"


def _env(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src), "QT_QPA_PLATFORM": "offscreen", "TIMELINE_APP_CACHE_DIR": ""}


def whole_process(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) and exit code of one child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - t, usage.ru_maxrss / 1024.0, proc.returncode


def measure_validate(path: Path, runs: int, src: Path) -> dict[str, float]:
    env = _env(src)
    ours, json_load = [], []
    for _ in range(runs):
        json_load.append(whole_process([sys.executable, "-c", f"import json; json.load(open({str(path)!r}))"], env))
        t, rss, code = whole_process([sys.executable, "-m", "timeline_app", "validate", "-q", str(path)], env)
        assert code == 0, f"validate failed on {path}"
        ours.append((t, rss, code))
    out = {
        "validate_s": statistics.median(r[0] for r in ours),
        "validate_rss_mb": statistics.median(r[1] for r in ours),
        "json_s": statistics.median(r[0] for r in json_load),
        "json_rss_mb": statistics.median(r[1] for r in json_load),
    }
    out["time_ratio"] = out["validate_s"] / out["json_s"]
    out["rss_ratio"] = out["validate_rss_mb"] / out["json_rss_mb"]
    return out


# -- children ------------------------------------------------------------------------------------------


def child_window(path: str) -> dict[str, float]:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from timeline_app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    for _ in range(20):
        app.processEvents()
    done: list[float] = []
    loop = QEventLoop()  # the event loop as a window runs it: asleep between events
    window.load_finished.connect(lambda _ok: (done.append(time.perf_counter()), loop.quit()))
    t = time.perf_counter()
    window.open_file(path)
    if not done:
        loop.exec()
    window.view.repaint()  # the first frame of the new data set, painted now
    painted = time.perf_counter()
    assert window.store is not None and len(window.store) > 0
    return {"loaded_s": done[0] - t, "first_frame_s": painted - t}


def child_open(path: str) -> dict[str, float]:
    from timeline_app.core.load_process import open_data_set

    t, cpu = time.perf_counter(), time.process_time()
    prepared = open_data_set(path)
    dt, dcpu = time.perf_counter() - t, time.process_time() - cpu
    assert len(prepared.store) > 0
    return {"open_s": dt, "open_cpu_s": dcpu}


def run_child(kind: str, path: Path, src: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as cache:
        env = {**_env(src), "TIMELINE_APP_CACHE_DIR": cache, "TIMELINE_APP_CONFIG_DIR": cache}
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(path)],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} {path} ({src}) failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure_window(path: Path, runs: int, src: Path) -> dict[str, float]:
    rows = [run_child("window", path, src) for _ in range(runs)]
    return {k: statistics.median(r[k] for r in rows) for k in rows[0]}


def measure_open(sizes: tuple[int, ...], runs: int, src: Path, old: Path | None) -> list[dict[str, Any]]:
    out = []
    for n in sizes:
        path = dataset(n)
        new_t, old_t = [], []
        for _ in range(runs):
            new_t.append(run_child("open", path, src))
            if old is not None:
                old_t.append(run_child("open", path, old))
        row: dict[str, Any] = {"n": n, "mb": path.stat().st_size / 1e6}
        for key in ("open_s", "open_cpu_s"):
            row[key] = statistics.median(r[key] for r in new_t)
            if old_t:
                row[f"old_{key}"] = statistics.median(r[key] for r in old_t)
        if old_t:
            row["speedup"] = row["old_open_s"] / row["open_s"]
            row["cpu_speedup"] = row["old_open_cpu_s"] / row["open_cpu_s"]
        out.append(row)
    return out


def report(results: dict[str, Any]) -> str:
    lines = []
    v = results.get("validate")
    if v:
        lines.append(
            f"validate 1M: {v['validate_s']:.2f} s, {v['validate_rss_mb']:.0f} MB vs json.load {v['json_s']:.2f} s, "
            f"{v['json_rss_mb']:.0f} MB -> time {v['time_ratio']:.2f}x (target <= 1.5x), "
            f"memory {v['rss_ratio']:.2f}x (target <= 1.0x)"
        )
    w = results.get("window")
    if w:
        old = f"; old tree {w['old_first_frame_s']:.3f} s" if "old_first_frame_s" in w else ""
        lines.append(
            f"window, 10k events: first frame {w['first_frame_s']:.3f} s after open_file "
            f"(load finished at {w['loaded_s']:.3f} s; target <= 0.15 s){old}"
        )
    if results.get("open"):
        lines.append("| events | MB | open s old / new | faster | CPU s old / new | faster (CPU) |")
        lines.append("|---|---|---|---|---|---|")
        for r in results["open"]:
            if "speedup" in r:
                lines.append(
                    f"| {r['n']:,} | {r['mb']:.1f} | {r['old_open_s']:.3f} / {r['open_s']:.3f} | {r['speedup']:.1f}x "
                    f"| {r['old_open_cpu_s']:.3f} / {r['open_cpu_s']:.3f} | {r['cpu_speedup']:.1f}x |"
                )
            else:
                new = f"– / {r['open_s']:.3f} | – | – / {r['open_cpu_s']:.3f} | –"
                lines.append(f"| {r['n']:,} | {r['mb']:.1f} | {new} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Issue 15's speed targets")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--old", type=Path, help="another source tree (its src/) to compare opening with")
    p.add_argument(
        "--old-rev",
        default=OLD_REV,
        help="without --old: this git revision's src/, extracted into benchmarks/out/ ('' for none)",
    )
    p.add_argument("--validate-n", type=int, default=1_000_000)
    p.add_argument("--skip", default="", help="comma-separated parts to skip: validate,window,open")
    p.add_argument("--json", type=Path)
    p.add_argument("--child", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        kind, path = args.child
        print(json.dumps({"window": child_window, "open": child_open}[kind](path)))
        return 0
    src = ROOT / "src"
    if args.old is None and args.old_rev:
        args.old = old_tree(args.old_rev)
    skip = set(filter(None, args.skip.split(",")))
    results: dict[str, Any] = {}
    if "validate" not in skip:
        results["validate"] = measure_validate(dataset(args.validate_n), args.runs, src)
    if "window" not in skip:
        results["window"] = measure_window(dataset(10_000), args.runs, src)
        if args.old is not None:
            old = measure_window(dataset(10_000), args.runs, args.old)
            results["window"].update({f"old_{k}": v for k, v in old.items()})
    if "open" not in skip:
        results["open"] = measure_open(SMALL_SIZES, args.runs, src, args.old)
    print(report(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
