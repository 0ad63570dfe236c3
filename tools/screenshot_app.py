"""Save a screenshot of the real main window, for looking at the layout (run under xvfb-run).

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python tools/screenshot_app.py \
        --size 1280x800 --select us-suspends-security-assistance-2018 -o docs/screenshots/app-1280.png

Settings go to a temporary folder, so the user's own are never touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", help="timeline file (default: the bundled data set)")
    parser.add_argument("-o", "--output", required=True, help="PNG to write")
    parser.add_argument("--size", default="1280x800", help="window size WxH")
    parser.add_argument("--select", help="id of the event to select")
    parser.add_argument("--only", action="append", default=[], help="actor id to keep (others unchecked)")
    parser.add_argument("--search", help="text for the search box")
    parser.add_argument("--source", help="source id to select in the sources list")
    parser.add_argument("--support", choices=["any", "corroborated", "single"], help="the sources filter")
    parser.add_argument("--dark", action="store_true", help="use a dark Fusion palette")
    parser.add_argument("--story", type=int, help="story mode at this step (0: the title card, 1: the first event)")
    parser.add_argument("--invalid", help="then open this invalid file, to show the Problems dock")
    parser.add_argument("--scale", help="time scale: compressed or linear (default: the app's)")
    parser.add_argument("--from", dest="date_from", help="the Filters dock's From entry")
    parser.add_argument("--to", dest="date_to", help="the Filters dock's To entry")
    parser.add_argument("--all-of", action="store_true", help="with --only: events with all those actors")
    parser.add_argument("--view", nargs=2, metavar=("FROM", "TO"), help="zoom the view to these years")
    parser.add_argument("--settle", type=int, default=400, help="ms to let the window settle before the shot")
    parser.add_argument(
        "--export-dialog",
        metavar="NAME",
        help="shoot File > Export Image… (its preview included) for file NAME.png/.svg/.pdf",
    )
    parser.add_argument("--preset", help="with --export-dialog: the page preset to pick (e.g. a4-portrait)")
    args = parser.parse_args()
    os.environ.setdefault("TIMELINE_APP_CONFIG_DIR", tempfile.mkdtemp(prefix="timeline-shot-"))

    from PySide6.QtCore import QEventLoop, QTimer

    from timeline_app.export.headless import apply_theme
    from timeline_app.resources import bundled_events
    from timeline_app.ui.app import create_application
    from timeline_app.ui.main_window import MainWindow

    app = create_application()
    if args.dark:
        app.setStyle("Fusion")
        apply_theme(app, "dark")  # the palette of ``timeline-app export --theme dark``
    w, h = (int(v) for v in args.size.lower().split("x"))
    window = MainWindow()
    window.resize(w, h)
    window.show()

    def wait_load(path: str | Path) -> bool:
        loop = QEventLoop()
        result: list[bool] = []
        window.load_finished.connect(lambda ok: (result.append(ok), loop.quit()))
        window.open_file(path)
        QTimer.singleShot(60_000, loop.quit)
        loop.exec()
        window.load_finished.disconnect()
        return bool(result and result[0])

    if not wait_load(args.file or bundled_events()):
        print("could not open the file", file=sys.stderr)
    assert window.store is not None
    if args.only:
        for ident in window.store.actor_ids:
            window.filter_dock.set_actor_checked(ident, ident in args.only)
    if args.all_of:
        window.filter_dock.match.setCurrentIndex(1)
    if args.scale:
        window.view.set_time_scale(args.scale)
        window.view.fit_all()
    if args.date_from:
        window.filter_dock.date_from.setText(args.date_from)
    if args.date_to:
        window.filter_dock.date_to.setText(args.date_to)
    if args.view:
        from timeline_app.core.dates import days_from_civil

        window.view.set_view_range(*(float(days_from_civil(int(y), 1, 1)) for y in args.view))
    if args.search:
        window.filter_dock.search.setText(args.search)
    if args.source:
        window.filter_dock.select_source(args.source)
    if args.support:
        window.filter_dock.support.setCurrentIndex(window.filter_dock.support.findData(args.support))
    if args.select:
        index = window.store.index_of(args.select)
        if index is None:
            print(f"no event {args.select!r}", file=sys.stderr)
            return 1
        window.select(index, ensure_visible=True)
    if args.invalid:
        wait_load(args.invalid)
    if args.story is not None:
        window.set_story_mode(True)
        window.story.go(args.story - 1)
    loop = QEventLoop()
    QTimer.singleShot(args.settle, loop.quit)
    loop.exec()
    shot = window
    if args.export_dialog:
        window.export_image()
        dialog = window._export_dialog
        assert dialog is not None
        dialog.path_edit.setText(str(Path(tempfile.gettempdir()) / args.export_dialog))
        if args.preset:
            dialog.size_combo.setCurrentIndex(dialog.size_combo.findData(args.preset))
        dialog.update_preview()
        loop = QEventLoop()
        QTimer.singleShot(args.settle, loop.quit)
        loop.exec()
        shot = dialog
    image = shot.grab()
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    if not image.save(args.output):
        print(f"cannot write {args.output}", file=sys.stderr)
        return 1
    print(f"{args.output}: {image.width()}x{image.height()}, {Path(args.output).stat().st_size // 1024} KB")
    stats = window.view.frame_stats()
    # the window's own layout: events labelled, events numbered, and how many of those the key names
    print(f"labels {stats.get('labels', 0)}, numbers {stats.get('numbers', 0)}, key {window_key_count(window)}")
    window.close()
    return 0


def window_key_count(window: object) -> int:
    """Entries in the window's key panel (0 where the window has none)."""
    key = getattr(window, "key_panel", None)
    return len(key.entries()) if key is not None and key.isVisible() else 0


if __name__ == "__main__":
    sys.exit(main())
