"""Screenshot the timeline view alone, for checking its look (run under xvfb-run for a real window).

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python tools/screenshot_view.py out.png \
        --size 1280x800 [--range 2018-01-01 2020-12-31] [--actor pk] [--select EVENT_ID] [--dark]
        [--render 3840x2160]   # draw through render_to into an image of that size instead of grab()
        [--synthetic 1000000 [--zoom out|mid|in]]   # a generated store instead of the bundled data
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from timeline_app.core.build import store_from_timeline
from timeline_app.ui import QtCore, QtGui, QtWidgets


def _dark_palette() -> QtGui.QPalette:
    pal = QtGui.QPalette()
    R = QtGui.QPalette.ColorRole
    for role, color in (
        (R.Window, "#202124"), (R.WindowText, "#e8eaed"), (R.Base, "#17181a"), (R.AlternateBase, "#26272b"),
        (R.Text, "#e8eaed"), (R.Button, "#2b2c30"), (R.ButtonText, "#e8eaed"), (R.Highlight, "#8ab4f8"),
        (R.HighlightedText, "#000000"), (R.ToolTipBase, "#2b2c30"), (R.ToolTipText, "#e8eaed"),
    ):  # fmt: skip
        pal.setColor(role, QtGui.QColor(color))
    return pal


class _Names(Sequence[str]):
    """Titles made on demand: a million Python strings would dominate the build time."""

    def __init__(self, n: int, stem: str) -> None:
        self._n, self._stem = n, stem

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._n))]
        if not -self._n <= i < self._n:
            raise IndexError(i)
        return f"{self._stem} {i % self._n}"


def _synthetic(n: int, seed: int = 1) -> Any:
    """A store built straight from numpy columns: 8 actors, 1-3 per event, 30% spans, 1960-2025."""
    from timeline_app.core.store import EraBand, EventStore

    rng = np.random.default_rng(seed)
    start = np.sort(rng.uniform(-3653.0, 20089.0, n).round())
    kind = rng.choice([0, 1, 2], n, p=[0.5, 0.2, 0.3]).astype(np.int8)
    dur = np.where(kind == 0, 1.0, np.where(kind == 1, 30.0, rng.exponential(200, n).round() + 2))
    dur[rng.random(n) < 0.001] = 8000.0
    na = rng.choice([1, 2, 3], n, p=[0.6, 0.3, 0.1])
    ptr = np.zeros(n + 1, np.int64)
    ptr[1:] = np.cumsum(na)
    weights = np.array([30, 30, 12, 10, 8, 4, 3, 3], float)
    first = rng.choice(8, n, p=weights / weights.sum())
    members = np.empty(int(ptr[-1]), np.int32)
    for k in range(3):
        m = na > k
        members[ptr[:-1][m] + k] = (first[m] + k) % 8
    names = ["United States", "Pakistan", "Afghanistan", "India", "China", "United Nations", "IMF", "Civil society"]
    return EventStore(
        title=f"synthetic {n}", start=start, end=start + dur, kind=kind, qualified=rng.random(n) < 0.04,
        has_discrepancy=rng.random(n) < 0.05, ids=_Names(n, "e"), titles=_Names(n, "Synthetic event number"),
        date_texts=_Names(n, "day"), actor_ids=[f"a{k}" for k in range(8)], actor_names=names,
        actor_colors=["#0072b2", "#009e73", "#d55e00", "#cc79a7", "#e69f00", "#56b4e9", "#8c6d31", "#7f7f7f"],
        member_ptr=ptr, member_actor=members,
        eras=[EraBand("Cold War", -3653.0, 7670.0, None), EraBand("War on terror", 11600.0, 18870.0, "#e0e8f0")],
    )  # fmt: skip


def _day(text: str) -> float:
    from timeline_app.core.dates import parse_date

    return parse_date(text).interval()[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("output", type=Path)
    ap.add_argument("--data", type=Path, help="timeline file (default: the bundled events.json)")
    ap.add_argument("--size", default="1280x800")
    ap.add_argument("--range", nargs=2, metavar=("FROM", "TO"), help="dates YYYY[-MM[-DD]]")
    ap.add_argument("--actor", help="show only events of this actor id")
    ap.add_argument("--select", help="select this event id")
    ap.add_argument("--hover", help="hover this event id")
    ap.add_argument("--search", help="highlight events whose title contains this text")
    ap.add_argument("--dark", action="store_true")
    ap.add_argument("--render", help="WxH: export through render_to instead of grabbing the widget")
    ap.add_argument("--synthetic", type=int, metavar="N", help="show N generated events instead")
    ap.add_argument("--zoom", choices=("out", "mid", "in"), default="out", help="with --synthetic")
    args = ap.parse_args(argv)

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["screenshot"])
    if args.dark:
        app.setPalette(_dark_palette())
    from timeline_app.core.loading import load_timeline
    from timeline_app.resources import bundled_events
    from timeline_app.ui.timeline_view import TimelineView

    if args.synthetic:
        store = _synthetic(args.synthetic)
    else:
        store = store_from_timeline(load_timeline(args.data or bundled_events()))
    w, h = (int(v) for v in args.size.lower().split("x"))
    view = TimelineView()
    view.resize(w, h)
    view.show()
    view.set_store(store)
    if args.actor:
        a = store.actor_ids.index(args.actor)
        mask = np.zeros(len(store), bool)
        for i in range(len(store)):
            mask[i] = a in store.actors_of(i)
        view.set_visible(mask)
    if args.search:
        needle = args.search.lower()
        view.set_highlight(np.array([needle in t.lower() for t in store.titles], bool))
    if args.range:
        view.set_view_range(_day(args.range[0]), _day(args.range[1]))
    elif args.synthetic and args.zoom != "out":
        x0, x1 = view.view_range()
        c = _day("1990-06-01")
        # "in": 40 days up to 100k events, narrower beyond, so markers (not strips) show
        half = (x1 - x0) / 32 if args.zoom == "mid" else 20.0 * min(1.0, 100_000 / args.synthetic)
        view.set_view_range(c - half, c + half)
    for _ in range(5):
        app.processEvents()
    if args.select:
        i = store.index_of(args.select)
        if i is None:
            print(f"no event {args.select!r}", file=sys.stderr)
            return 1
        view.set_selected(i)
        view.ensure_visible(i)
    if args.hover:
        i = store.index_of(args.hover)
        if i is not None:
            view._set_hovered(i)  # what a mouse move over it does
    for _ in range(5):
        app.processEvents()
    if args.render:
        rw, rh = (int(v) for v in args.render.lower().split("x"))
        img = QtGui.QImage(rw, rh, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        p = QtGui.QPainter(img)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        view.render_to(p, QtCore.QRectF(0, 0, rw, rh))
        p.end()
        opaque = img.convertToFormat(QtGui.QImage.Format.Format_RGB32)  # no alpha: a smaller PNG
        ok = opaque.save(str(args.output), None, 0)  # quality 0: the strongest PNG compression
    else:
        ok = view.grab().save(str(args.output), None, 0)
    print(f"{args.output}: labels {len(view.visible_label_indices())}, stats {view.frame_stats()}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
