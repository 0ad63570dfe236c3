"""Exit codes and error printing for the three command lines (``timeline-app`` and its ``validate``,
``export`` and ``convert``), in one place, so that a bad file reads the same whichever reads it:
``FILE:LINE:COL: where: what`` lines on stderr and exit 1, never a traceback.

Light on purpose: ``cli.py`` imports it to build its ``--help`` before anything heavy loads.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from typing import TextIO

from .core.errors import TimelineLoadError
from .interop.detect import FormatError

EXIT_OK = 0
EXIT_INVALID = 1  # invalid input, or a file that cannot be read or written
EXIT_USAGE = 2  # usage errors: argparse's own, an unknown format, a malformed option

_LOCATED = re.compile(r"^line (\d+), column (\d+): ")


def format_warning(name: str, warning: str) -> str:
    """An import warning as the CLIs print it: ``FILE:LINE:COL: warning: …`` when it is located in
    the file, else ``FILE: warning: …``."""
    m = _LOCATED.match(warning)
    if m:
        return f"{name}:{m[1]}:{m[2]}: warning: {warning[m.end() :]}"
    return f"{name}: warning: {warning}"


def print_warnings(name: str, warnings: Iterable[str], stream: TextIO | None = None) -> None:
    """What an import could not carry over, one located line each, on stderr."""
    for warning in warnings:
        print(format_warning(name, warning), file=stream or sys.stderr)


def report(prog: str, exc: BaseException, *, writing: str | None = None, stream: TextIO | None = None) -> int:
    """Print ``exc`` as the CLIs do and return the exit code it means.

    A :class:`TimelineLoadError` prints every located problem; a :class:`FormatError` is a usage
    error; an ``OSError`` is one line naming the file: ``writing``, the user's name for the file
    being written (not the temporary file the error may name), or else the file it names.
    Anything else is re-raised: the caller decides what a bug says.
    """
    out = stream or sys.stderr
    if isinstance(exc, TimelineLoadError):
        for line in exc.lines():
            print(line, file=out)
        return EXIT_INVALID
    if isinstance(exc, FormatError):
        print(f"{prog}: {exc}", file=out)
        return EXIT_USAGE
    if isinstance(exc, OSError):
        what = exc.strerror or str(exc) or type(exc).__name__
        if writing is not None:
            print(f"{prog}: cannot write {writing}: {what}", file=out)
        elif exc.filename is not None:
            print(f"{prog}: cannot read {exc.filename}: {what}", file=out)
        else:
            print(f"{prog}: {what}", file=out)
        return EXIT_INVALID
    raise exc
