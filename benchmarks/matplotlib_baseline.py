"""The same picture drawn the way a user would with plain matplotlib: the benchmark's yardstick.

    python benchmarks/matplotlib_baseline.py benchmarks/out/events-2000.json -o mpl.png

One lane per actor; instants as a scatter, spans as ``broken_barh``, and a ``text`` label per
event; saved as a 1920×1080 PNG. Timed from parsed data to the saved file (imports excluded).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def _day(text: str) -> float:
    """Days since 1970 for YYYY, YYYY-MM or YYYY-MM-DD (qualifiers dropped), as a user would hack it."""
    import datetime as dt

    parts = text.rstrip("~?%").split("-")
    y, m, d = int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1
    return float((dt.date(y, m, d) - dt.date(1970, 1, 1)).days)


def draw(path: Path, out: Path) -> float:
    doc: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    t = time.perf_counter()
    actors = [a["id"] for a in doc["actors"]]
    lane = {a: k for k, a in enumerate(actors)}
    fig, ax = plt.subplots(figsize=(19.2, 10.8), dpi=100)
    for a in actors:
        evs = [e for e in doc["events"] if a in e["actors"]]
        instants = [_day(e["start"]) for e in evs if "end" not in e]
        spans = [(_day(e["start"]), max(1.0, _day(e["end"]) - _day(e["start"]))) for e in evs if "end" in e]
        y = lane[a]
        ax.scatter(instants, [y] * len(instants), marker="D", s=12)
        ax.broken_barh(spans, (y - 0.2, 0.4), alpha=0.6)
        for e in evs:
            ax.text(_day(e["start"]), y + 0.25, e["title"][:40], fontsize=6, clip_on=True)
    ax.set_yticks(range(len(actors)), [a["name"] for a in doc["actors"]])
    ax.set_title(doc["title"])
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="matplotlib baseline picture")
    p.add_argument("file", type=Path)
    p.add_argument("-o", "--output", type=Path, default=Path("mpl.png"))
    args = p.parse_args(argv)
    print(f"{draw(args.file, args.output):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
