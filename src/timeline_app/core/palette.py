"""Colours for actors that name none: a colourblind-safe palette (Okabe & Ito, 2008), extended."""

from __future__ import annotations

OKABE_ITO = (
    "#0072b2",  # blue
    "#d55e00",  # vermillion
    "#009e73",  # bluish green
    "#cc79a7",  # reddish purple
    "#e69f00",  # orange
    "#56b4e9",  # sky blue
    "#8c6d1f",  # dark yellow-brown (for F0E442, which is unreadable on white)
    "#666666",  # grey
)
# Beyond eight, Paul Tol's "muted" scheme, also designed for colour-vision deficiency.
TOL_MUTED = ("#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#cc6677", "#882255", "#aa4499")
DEFAULT_PALETTE = OKABE_ITO + TOL_MUTED


def resolve_colors(given: list[str | None]) -> list[str]:
    """Fill in missing colours, skipping palette entries already used explicitly."""
    used = {c.lower() for c in given if c}
    free = [c for c in DEFAULT_PALETTE if c not in used] or list(DEFAULT_PALETTE)
    out, k = [], 0
    for c in given:
        if c:
            out.append(c.lower())
        else:
            out.append(free[k % len(free)])
            k += 1
    return out
