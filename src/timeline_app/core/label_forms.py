"""The forms a label can take, Qt-free: its title on one line, or wrapped to two at the space that
keeps the wider line narrowest, with any suffix (an export's note numbers) kept after the last
word. Widths come from the caller's ``measure``, so the view and an export agree."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

Measure = Callable[[str], float]


def wrap_two(text: str, measure: Measure) -> tuple[tuple[str, str], float] | None:
    """``text`` on two lines split at the space that makes the wider line narrowest; None for one word."""
    words = " ".join(text.split()).split(" ")
    if len(words) < 2:
        return None
    # the split nearest the middle by characters, and its neighbours: widths follow characters closely
    lengths = np.cumsum([len(w) + 1 for w in words])
    mid = (lengths[-1] - 1) / 2
    k = int(np.argmin(np.abs(lengths[:-1] - 1 - mid))) + 1
    best: tuple[tuple[str, str], float] | None = None
    for cut in sorted({max(1, min(len(words) - 1, k + d)) for d in (-1, 0, 1)}):
        a, b = " ".join(words[:cut]), " ".join(words[cut:])
        w = max(measure(a), measure(b))
        if best is None or w < best[1]:
            best = ((a, b), w)
    return best


def add_suffixes(
    one_line: list[str],
    widths: list[float],
    wraps: list[tuple[tuple[str, str], float] | None],
    suffixes: Sequence[str],
    measure: Measure,
) -> None:
    """Each title's one- and two-line forms with its suffix after the last word, their widths grown
    by what the suffix adds (whatever else the given widths include, e.g. a colour stripe)."""
    for o, suffix in enumerate(suffixes):
        if not suffix:
            continue
        title = one_line[o]
        one_line[o] = f"{title} {suffix}"
        widths[o] += measure(one_line[o]) - measure(title)
        two = wraps[o]
        if two is not None:
            (a, b), w = two
            ma, mb = measure(a), measure(b)
            b2 = f"{b} {suffix}"
            wraps[o] = ((a, b2), w - max(ma, mb) + max(ma, measure(b2)))
