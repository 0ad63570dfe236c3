"""``timeline-app convert IN OUT``: the command-line face of :mod:`timeline_app.interop.convert`."""

from __future__ import annotations

import argparse

from ..cli_report import EXIT_OK, print_warnings, report
from ..core.errors import TimelineLoadError
from .convert import INPUT_FORMATS, OUTPUT_FORMATS, FormatError, convert
from .csv_mapped import FIELDS
from .open import CsvOptions

HELP = "convert between timeline formats: ours (.json), TimelineJS (.json), CSV, iCalendar (.ics, export only)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Convert a timeline between formats. The input format is detected from the extension and, for .json, "
        "the content; the output format from the extension (.json = ours, .csv, .ics). Warnings say what the "
        "target format cannot hold."
    )
    parser.add_argument("input", metavar="IN", help="the file to read")
    parser.add_argument("output", metavar="OUT", help="the file to write (replaced atomically)")
    parser.add_argument("--from", dest="from_fmt", choices=INPUT_FORMATS, help="the input format (default: detected)")
    parser.add_argument(
        "--to",
        dest="to_fmt",
        choices=OUTPUT_FORMATS,
        help="the output format (default: from OUT's extension; .json means ours)",
    )
    parser.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="FIELD=NAME",
        help="for a spreadsheet of another layout: read our FIELD from its column NAME (repeatable; fields: "
        f"{', '.join(FIELDS)}); without it, common column names are recognised",
    )
    order = parser.add_mutually_exclusive_group()
    order.add_argument("--day-first", dest="day_first", action="store_const", const=True,
                       help="spreadsheet dates like 04/05/2014 are day/month/year")  # fmt: skip
    order.add_argument("--month-first", dest="day_first", action="store_const", const=False,
                       help="spreadsheet dates like 04/05/2014 are month/day/year")  # fmt: skip
    parser.add_argument("-q", "--quiet", action="store_true", help="do not print warnings")


def _columns(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        fld, sep, name = pair.partition("=")
        if not sep or fld.strip() not in FIELDS or not name.strip():
            raise FormatError(f"--column {pair!r}: write FIELD=NAME, FIELD one of {', '.join(FIELDS)}")
        out[fld.strip()] = name.strip()
    return out


def run(args: argparse.Namespace) -> int:
    try:
        csv = CsvOptions(_columns(args.column), args.day_first)
        warnings = convert(args.input, args.output, args.from_fmt, args.to_fmt, csv)
    except (FormatError, TimelineLoadError, OSError) as exc:
        return report("timeline-app convert", exc, writing=args.output)
    if not args.quiet:
        print_warnings(args.input, warnings)
    return EXIT_OK
