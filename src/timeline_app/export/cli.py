"""``timeline-app export``: write the timeline as PNG, SVG or PDF without a window.

Everything that can be refused is checked before Qt starts (format, size, dates, actors, the
filter result), so mistakes are reported fast and the same way whether or not a display exists.
Importing this module does not import Qt: ``cli.py`` loads it to build its ``--help``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..cli_report import EXIT_INVALID, EXIT_OK, EXIT_USAGE, print_warnings, report
from .options import ExportError, ExportOptions, ImageFormat, check_target, format_from_path
from .presets import ALIASES, CUSTOM, PRESETS, options_for
from .texts import filter_caption

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from ..core.store import EventStore

PROG = "timeline-app export"

HELP = "write the timeline as an image (PNG, SVG or PDF), filtered like the window; no display needed"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Draw the timeline as the window does, with a title naming its span, a legend of the actors "
        "shown, a caption of the filter and every cited source as a numbered note, and write it to OUT "
        "(a PDF continues on further pages; an image grows a notes panel below the figure). The format "
        "follows OUT's extension: .png, .svg or .pdf. The dialog (File > Export Image…) offers the same "
        "options with the same defaults."
    )
    parser.add_argument("file", nargs="?", metavar="FILE", help="a timeline file (default: the bundled data set)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="the image to write (.png, .svg, .pdf)")
    parser.add_argument(
        "--actor",
        action="append",
        default=[],
        metavar="ID_OR_NAME",
        help="show only events of this actor (repeatable; id or name, any case)",
    )
    match = parser.add_mutually_exclusive_group()
    match.add_argument(
        "--all-actors", dest="match", action="store_const", const="all",
        help="with several --actor: events involving every one of them",
    )  # fmt: skip
    match.add_argument(
        "--any-actor", dest="match", action="store_const", const="any",
        help="with several --actor: events involving any of them (the default)",
    )  # fmt: skip
    parser.set_defaults(match="any")
    parser.add_argument(
        "--from", dest="date_from", metavar="DATE", help="first date shown: YYYY, YYYY-MM or YYYY-MM-DD"
    )
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="last date shown: YYYY, YYYY-MM or YYYY-MM-DD")
    parser.add_argument("--search", metavar="TEXT", help="highlight the events matching TEXT, dim the rest")
    parser.add_argument(
        "--size",
        type=str.lower,
        choices=[p.key for p in PRESETS] + list(ALIASES) + [CUSTOM],
        metavar="PRESET",
        help="a page preset: " + ", ".join(f"{p.key} ({p.label})" for p in PRESETS)
        + "; default: a4-landscape for .pdf, slide otherwise; --width/--height make a custom size",
    )  # fmt: skip
    parser.add_argument("--width", type=int, metavar="PX", help="width in pixels at 96 dpi")
    parser.add_argument("--height", type=int, metavar="PX", help="height in pixels at 96 dpi")
    parser.add_argument("--scale", type=float, default=1.0, metavar="F", help="PNG only: pixels per pixel, e.g. 2")
    parser.add_argument(
        "--dpi", type=int, metavar="N", help="PNG of a paper preset: its resolution (a4-landscape at 300 = 3508 × 2480)"
    )
    parser.add_argument(
        "--title", metavar="TEXT", help="the title above the drawing (default: the data set's, with the span shown)"
    )
    parser.add_argument("--theme", choices=("light", "dark"), default="light", help="colours (default: light)")
    parser.add_argument("--font-scale", type=float, default=1.0, metavar="F", help="text size, e.g. 1.25 (default: 1)")
    parser.add_argument("--no-legend", dest="legend", action="store_false", help="leave out the legend of actors")
    parser.add_argument("--no-caption", dest="caption", action="store_false", help="leave out the filter caption")
    parser.add_argument("--no-notes", dest="notes", action="store_false", help="leave out the numbered source notes")
    parser.add_argument(
        "--exact-size", dest="fixed_size", action="store_true",
        help="PNG/SVG: keep exactly the size asked for; the source notes go beside it as OUT-sources.txt",
    )  # fmt: skip
    modes, scales = view_choices()
    if modes:
        parser.add_argument(
            "--lanes", dest="lane_mode", choices=[m for m, _ in modes], help="lane mode: "
            + "; ".join(f"{m} ({label})" for m, label in modes) + " (default: the window's default)",
        )  # fmt: skip
    if scales:
        parser.add_argument(
            "--time-scale", dest="time_scale", choices=list(scales), help="time scale: "
            + "; ".join(f"{s} ({label})" for s, label in scales.items()) + " (default: the window's default)",
        )  # fmt: skip
    parser.add_argument(
        "--pages-wide",
        type=int,
        default=1,
        metavar="N",
        help="PDF: print the timeline across N pages, the axis on each",
    )


def view_choices() -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    """The lane modes and time scales the view offers (Qt-free lists), or none where it has none."""
    try:
        from ..core.lane_modes import LANE_MODES
    except ImportError:
        LANE_MODES = ()
    try:
        from ..core.scale import SCALE_LABELS
    except ImportError:
        SCALE_LABELS = {}
    return tuple(LANE_MODES), dict(SCALE_LABELS)


def _fail(message: str, code: int) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return code


def build_options(args: argparse.Namespace, fmt: ImageFormat) -> ExportOptions:
    """The same ``options_for`` as the dialog: one set of options, one set of defaults."""
    return options_for(
        fmt,
        size=args.size,
        width=args.width,
        height=args.height,
        scale=args.scale,
        dpi=args.dpi,
        theme=args.theme,
        title=args.title,
        scope="all",
        legend=args.legend,
        caption=args.caption,
        notes=args.notes,
        font_scale=args.font_scale,
        fixed_size=args.fixed_size,
        pages_wide=args.pages_wide,
        lane_mode=getattr(args, "lane_mode", None),
        time_scale=getattr(args, "time_scale", None),
    )


def resolve_actors(store: EventStore, wanted: list[str]) -> list[int]:
    """Actor indices for ids or names, matched without regard to case or accents."""
    from ..core.search import fold

    by_key: dict[str, int] = {}
    for k, (ident, name) in enumerate(zip(store.actor_ids, store.actor_names, strict=True)):
        by_key.setdefault(fold(ident), k)
        by_key.setdefault(fold(name), k)
    out: list[int] = []
    unknown: list[str] = []
    for text in wanted:
        k = store.actor_ids.index(text) if text in store.actor_ids else by_key.get(fold(text.strip()))
        if k is None:
            unknown.append(text)
        elif k not in out:
            out.append(k)
    if unknown:
        pairs = zip(store.actor_ids, store.actor_names, strict=True)
        choices = ", ".join(f"{i} ({n})" if i != n else i for i, n in pairs)
        names = ", ".join(repr(u) for u in unknown)
        raise ExportError(f"unknown actor {names}; the actors in {store.title!r} are: {choices or 'none'}")
    return out


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except KeyboardInterrupt:
        return _fail("interrupted", EXIT_INVALID)
    except Exception as exc:  # the user gets a sentence, not a traceback
        if os.environ.get("TIMELINE_APP_DEBUG"):
            raise
        return _fail(f"export failed: {type(exc).__name__}: {exc}", EXIT_INVALID)


def _run(args: argparse.Namespace) -> int:
    from ..core.errors import TimelineLoadError
    from ..core.filtering import DateBoundError, FilterState, Match, compute, lane_mask, parse_bound
    from ..interop.detect import FormatError
    from ..interop.open import open_store

    try:
        fmt = format_from_path(args.output)
        options = build_options(args, fmt)
    except ExportError as exc:
        return _fail(str(exc), EXIT_USAGE)
    try:
        check_target(Path(args.output))
    except ExportError as exc:
        return _fail(str(exc), EXIT_INVALID)
    try:
        date_from = parse_bound(args.date_from or "", end=False)
        date_to = parse_bound(args.date_to or "", end=True)
    except DateBoundError as exc:
        return _fail(f"--from/--to: {exc}", EXIT_USAGE)
    if date_from is not None and date_to is not None and date_from >= date_to:
        return _fail(f"--from {args.date_from} is after --to {args.date_to}", EXIT_USAGE)

    if args.file is None:
        from ..resources import bundled_events

        try:
            file = str(bundled_events())
        except FileNotFoundError as exc:
            return report(PROG, exc)
    else:
        file = args.file
    try:
        store, warnings, _fmt = open_store(file)
    except (TimelineLoadError, FormatError, OSError) as exc:
        return report(PROG, exc)
    print_warnings(file, warnings)
    if len(store) == 0:
        return _fail(f"{file}: the timeline has no events to draw", EXIT_INVALID)

    try:
        actors = resolve_actors(store, args.actor)
    except ExportError as exc:
        return _fail(str(exc), EXIT_USAGE)
    hidden = frozenset(i for k, i in enumerate(store.actor_ids) if actors and k not in actors)
    state = FilterState(hidden_actors=hidden, match=Match(args.match), date_from=date_from, date_to=date_to)
    visible = compute(store, state)
    shown = int(visible.sum())
    highlight, matches = _search(store, args.search, visible)
    caption = filter_caption(
        actor_names=[store.actor_names[k] for k in actors] if actors else None,
        total_actors=len(store.actor_ids),
        match=args.match,
        date_from=args.date_from,
        date_to=args.date_to,
        search=args.search,
        matches=matches,
        shown=shown,
        total=len(store),
    )
    if shown == 0:
        return _fail(f"no events match the filters ({caption}): nothing to draw, no file written", EXIT_INVALID)
    if matches == 0:
        return _fail(f"no shown event matches the search {args.search!r}: no file written", EXIT_INVALID)

    x_range = _date_window(store, visible, date_from, date_to)
    lanes = lane_mask(store, state)
    return _draw(store, visible, highlight, x_range, options, caption, Path(args.output), lanes, file)


def _search(
    store: EventStore, text: str | None, visible: NDArray[np.bool_]
) -> tuple[NDArray[np.bool_] | None, int | None]:
    if not text or not text.strip():
        return None, None
    from ..core.search import SearchIndex

    hits = SearchIndex.from_store(store).search(text)
    if hits is None:
        return None, None
    return hits, int((hits & visible).sum())


def _date_window(
    store: EventStore, visible: NDArray[np.bool_], date_from: float | None, date_to: float | None
) -> tuple[float, float] | None:
    """The time range to draw: the --from/--to window, its open side closed by the shown events."""
    if date_from is None and date_to is None:
        return None
    lo = date_from if date_from is not None else float(store.start[visible].min())
    hi = date_to if date_to is not None else float(store.end[visible].max())
    pad = (hi - lo) * 0.02
    return lo - pad, hi + pad


def _draw(
    store: EventStore,
    visible: NDArray[np.bool_],
    highlight: NDArray[np.bool_] | None,
    x_range: tuple[float, float] | None,
    options: ExportOptions,
    caption: str,
    out: Path,
    lanes: NDArray[np.bool_] | None = None,
    data_path: str | None = None,
) -> int:
    ensure_platform()
    import PySide6  # noqa: F401  (before pyqtgraph)
    from PySide6.QtWidgets import QApplication

    from .headless import apply_theme, offscreen_view
    from .metadata import file_sha256
    from .page_texts import page_texts
    from .writers import export_image

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "timeline-app"])
    assert isinstance(app, QApplication)
    if options.theme is not None:
        apply_theme(app, options.theme)
    view = offscreen_view(
        store,
        visible,
        highlight,
        options.width,
        options.height,
        x_range,
        lanes,
        lane_mode=options.lane_mode,
        time_scale=options.time_scale,
    )
    try:
        texts = page_texts(
            store,
            visible,
            caption=caption,
            title=options.title,
            lanes=lanes,
            x_range=view.view_range(),
            data_sha256=store.content_key or file_sha256(data_path),
            data_file=Path(data_path).name if data_path else None,
        )
        result = export_image(view, out, options, texts)
    except ExportError as exc:
        return _fail(str(exc), EXIT_INVALID)
    finally:
        view.deleteLater()
    if "missing_glyphs" in result.extra:
        print(f"{PROG}: warning: {result.extra['missing_glyphs']}", file=sys.stderr)
    print(f"wrote {result.describe()}")
    return EXIT_OK


def ensure_platform() -> None:
    """Draw offscreen when there is no display, before the QApplication exists (a platform the
    user named is kept)."""
    from ..cli import has_display

    if not os.environ.get("QT_QPA_PLATFORM") and not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
