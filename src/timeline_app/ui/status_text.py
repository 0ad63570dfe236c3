"""The status bar's wording, as plain functions of numbers and names: one place to read what the
reader is told, and testable without a window."""

from __future__ import annotations

from pathlib import Path


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}{'es' if word.endswith('ch') else 's'}"


def megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f} MB" if size >= 1e6 else f"{size / 1e6:.1f} MB"


def home_short(folder: Path) -> str:
    """``~/data`` rather than ``/home/someone/data``: a recent file's folder, told apart briefly."""
    try:
        return str(Path("~") / folder.relative_to(Path.home()))
    except ValueError:
        return str(folder)


def count_text(shown: int, total: int) -> str:
    """ "12 of 33 events", or "33 events" when the filters hide none."""
    return f"{shown} of {total} events" if shown != total else plural(total, "event")


def match_text(shown: int, hidden: int, query: str, source: str | None) -> str:
    """ "3 matches (1 more hidden by filters)", naming the source when one is picked."""
    if query and source:
        found = plural(shown, "match") if shown else "No matches"
        text = f"{found} for “{query}” among events citing {source}"
    elif source:
        text = (
            f"{plural(shown, 'event')} cite{'s' if shown == 1 else ''} {source}"
            if shown
            else (f"No shown event cites {source}")
        )
    else:
        text = plural(shown, "match") if shown else "No matches"
    if hidden:
        text += f" ({hidden} more hidden by filters)"
    return text


def position_text(position: int, n: int, following: tuple[str, str] | None) -> str:
    """ "12 of 33 · next: Title (date)", or that this is the last event (``following`` is None)."""
    where = f"{position + 1} of {n}"
    if following is not None:
        title, date = following
        return f"{where} · next: {title} ({date})"
    return f"{where} · the last event"


def edge_text(position: int, n: int, *, first: bool) -> str:
    """What ← on the first event or → on the last says, and which key goes on."""
    return f"{'The first' if first else 'The end of the list: the last'} event, {position + 1} of {n}" + (
        " (→ goes on)" if first else " (← goes back, Ctrl+Home to the first)"
    )
