"""Screenshot the timeline view alone, for checking its look (run under xvfb-run for a real window).

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python tools/screenshot_view.py out.png \
        --size 1280x800 [--range 2018-01-01 2020-12-31] [--actor pk] [--select EVENT_ID] [--dark]
        [--render 3840x2160]   # draw through render_to into an image of that size instead of grab()
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

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
    args = ap.parse_args(argv)

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["screenshot"])
    if args.dark:
        app.setPalette(_dark_palette())
    from timeline_app.core.loading import load_timeline
    from timeline_app.core.store import EventStore
    from timeline_app.resources import bundled_events
    from timeline_app.ui.timeline_view import TimelineView

    store = EventStore.from_timeline(load_timeline(args.data or bundled_events()))
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
        ok = img.save(str(args.output))
    else:
        ok = view.grab().save(str(args.output))
    print(f"{args.output}: labels {len(view.visible_label_indices())}, stats {view.frame_stats()}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
