"""The command line: ``timeline-app [FILE]`` opens the window; subcommands work headless.

Exit codes for every subcommand (``cli_report``): 0 success, 1 invalid input or failure, 2 usage
error. Qt is imported only by the commands that draw.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from . import __version__
from .cli_report import EXIT_INVALID, EXIT_OK, print_warnings, report


class _Command(Protocol):
    HELP: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...
    def run(self, args: argparse.Namespace) -> int: ...


# Subcommands that live in their own modules (name -> module exposing HELP, add_arguments, run).
_EXTERNAL_COMMANDS = {
    "export": "timeline_app.export.cli",
    "convert": "timeline_app.interop.cli",
}


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="timeline-app",
        description="Read, filter, search and export sourced timelines. "
        "Without a command, opens FILE (default: the bundled data set) in a window.",
    )
    parser.add_argument("--version", action="version", version=f"timeline-app {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("open", help="open a timeline in the window (the default command)")
    p.add_argument("file", nargs="?", help="a timeline file (default: the bundled data set)")

    p = sub.add_parser("validate", help="check timeline files and report every problem with its location")
    p.add_argument("files", nargs="*", metavar="FILE", help="files to check (default: the bundled data set)")
    p.add_argument("-q", "--quiet", action="store_true", help="print problems only, no summary")

    p = sub.add_parser("schema", help="print the JSON Schema of the data format")
    p.add_argument("-o", "--output", help="write it to this file instead of standard output")

    sub.add_parser(
        "install-desktop", help="add a desktop menu entry and icon that open timelines (under $XDG_DATA_HOME)"
    )
    sub.add_parser("uninstall-desktop", help="remove the desktop menu entry and icon again")

    for name, module_name in _EXTERNAL_COMMANDS.items():
        try:
            module: _Command = importlib.import_module(module_name)  # type: ignore[assignment]
        except ImportError:
            continue
        p = sub.add_parser(name, help=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _build_parser()
    commands = {"open", "validate", "schema", *_DESKTOP, *_EXTERNAL_COMMANDS, "-h", "--help", "--version"}
    if not argv or argv[0] not in commands:
        argv = ["open", *argv]
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: usage errors exit 2, --help/--version exit 0
        return int(exc.code or 0)
    if args.command == "validate":
        return _validate(args.files, quiet=args.quiet)
    if args.command == "schema":
        return _schema(args.output)
    if args.command == "open":
        return _open_window(args.file)
    if args.command in _DESKTOP:
        return _desktop(install=args.command == "install-desktop")
    return int(args._run(args))


_DESKTOP = ("install-desktop", "uninstall-desktop")


def _desktop(*, install: bool) -> int:
    from . import desktop

    try:
        paths = desktop.install() if install else desktop.uninstall()
    except OSError as exc:
        return report("timeline-app", exc, writing=str(desktop.data_home()))
    if install:
        print(f"timeline-app: added the menu entry {paths[0]} and the icon {paths[1]}")
    elif paths:
        print("timeline-app: removed " + " and ".join(map(str, paths)))
    else:
        print(f"timeline-app: no desktop entry to remove (looked in {desktop.entry_path().parent})")
    return EXIT_OK


def _validate(files: list[str], *, quiet: bool) -> int:
    """Every format the window opens; an import's warnings are printed, located, to stderr."""
    from .core.bulk import check_file
    from .core.errors import TimelineLoadError
    from .interop.detect import NATIVE, FormatError, detect_format
    from .interop.open import read_any
    from .resources import bundled_events

    status = EXIT_OK
    for name in files or [str(bundled_events())]:
        try:
            if detect_format(name) == NATIVE:  # ours: the decoder's checks, no document or store built
                timeline, warnings, fmt = check_file(name), [], NATIVE
            else:
                timeline, warnings, fmt = read_any(name)
        except (TimelineLoadError, FormatError, OSError) as exc:
            status = max(status, report("timeline-app validate", exc))
            continue
        print_warnings(name, warnings)
        if not quiet:
            read_as = "" if fmt == "timeline" else f" (imported from {fmt})"
            print(f"{name}: OK{read_as}: {_summary(timeline)}")
    return status


def _summary(timeline: object) -> str:
    from .core.build import Checked
    from .core.dates import civil_from_days, day_to_text, year_label
    from .core.models import Timeline

    def when(day: float) -> str:  # beyond ±9999 a file gives years, not days: say only the year
        year = civil_from_days(int(day // 1))[0]
        return year_label(year) if abs(year) > 9999 else day_to_text(day)

    c = Checked.of(timeline) if isinstance(timeline, Timeline) else timeline
    assert isinstance(c, Checked)
    parts = [f"{c.events} events", f"{c.actors} actors", f"{c.sources} sources", f"{c.eras} eras"]
    if (span := c.span) is not None:
        parts.append(f"{when(span[0])} – {when(span[1] - 1)}")
    return ", ".join(parts)


def schema_text() -> str:
    from .core.models import Timeline

    schema = Timeline.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "timeline-app data file, version 1"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _schema(output: str | None) -> int:
    text = schema_text()
    if output is None:
        sys.stdout.write(text)
        return EXIT_OK
    from .core.atomic import atomic_write_text

    try:
        atomic_write_text(Path(output), text)
    except OSError as exc:
        return report("timeline-app", exc, writing=output)
    return EXIT_OK


def has_display() -> bool:
    """Whether Qt can draw here: a platform that needs no display, or an X11/Wayland one on Linux."""
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal", "vnc")):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _open_window(file: str | None) -> int:
    if not has_display():
        print(
            "timeline-app: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot "
            "open; headless commands work: timeline-app validate FILE, timeline-app export -o OUT.png",
            file=sys.stderr,
        )
        return EXIT_INVALID
    from .platform_check import check, display_problem

    # Before Qt: a missing xcb library or an unreachable X display would make it abort, core dumped.
    missing = check()
    problem = missing.message() if missing is not None else display_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_INVALID
    from .ui.app import run_app

    return run_app(file)
