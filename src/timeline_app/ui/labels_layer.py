"""The label layer: what competes for a label in a frame (``layout_labels``, placed by
``core.labels``), and its drawing (``draw_labels``): full titles on one or two lines with a stripe of
the event's actor colours, leaders, numbers for the events left unlabelled, and the selection's or
hover's highlight drawn on top, in place, so that neither moves another label.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from ..core.label_forms import wrap_two
from ..core.label_key import key_entries
from ..core.labels import place
from ..core.layout import label_priority
from .frame import INSTANT, Frame, Label, LabelSet, NumberMark
from .glyphs import _pixel_ratio
from .view_state import ViewState

LABEL_CANDIDATES = 400  # at most this many events compete for labels in a frame
MAX_LABELS = 300

NUMBER_LIMIT = 400  # up to this many events in view, each gets a label or a number (the key lists it)
CHIP_COST = 40  # a title callout covers a number chip only if the next free place is this many spots away
STRIPE = 3.0  # width of the actor stripe at a label's left, and the gap after it (x scale)


def _stripe(f: Frame) -> float:
    return 2 * STRIPE * f.scale


def number_font(f: Frame) -> QFont:
    font = QFont(f.small)
    font.setBold(True)
    return font


def layout_labels(st: ViewState, f: Frame) -> LabelSet:
    """Competitors and their marks for ``core.labels.place``. Every event in view competes while
    they are few enough to be numbered; in a crowd, the highest-priority few hundred (labels only)."""
    s = st.store
    empty = LabelSet([], [], [])
    if s is None:
        return empty
    c = st.copies(f)
    if len(c.idx) == 0:
        return empty
    glyph, sc = f.glyph, f.scale
    inst = c.kind == INSTANT
    gx0 = np.where(inst, c.cx - glyph / 2, c.x0)
    gx1 = np.where(inst, c.cx + glyph / 2, np.maximum(c.x1, gx0 + 2))
    left, right = f.plot.left(), f.plot.right()
    drawn = np.flatnonzero(c.drawn)
    # obstacles: every drawn mark, its discrepancy badge and its cluster count
    top, bottom = c.cy - glyph / 2, c.cy + glyph / 2
    lo, hi = left - 50, right + 50
    rects = [np.column_stack([np.clip(gx0, lo, hi), top, np.clip(gx1, lo, hi), bottom])[drawn]]
    d = drawn[s.has_discrepancy[c.idx[drawn]]]
    r = 5.5 * sc
    rects.append(
        np.column_stack([gx1[d] - 0.4 * r - 1, top[d] - r - 1, gx1[d] + 1.6 * r + 1, top[d] + r + 1])
    )  # the disc
    heads = drawn[c.count[drawn] > 1]
    if len(heads):
        fm = QFontMetricsF(number_font(f))
        w = np.array([fm.horizontalAdvance(f"+{k - 1}") for k in c.count[heads].tolist()]) + 6 * sc
        h = fm.height()
        rects.append(np.column_stack([gx1[heads], c.cy[heads] - h / 2, gx1[heads] + w, c.cy[heads] + h / 2]))
    obstacles = np.concatenate(rects)
    # who competes: every event whose mark is in view (a span's label sticks to its visible part)
    in_view = np.where(inst, (c.cx >= left) & (c.cx <= right), (c.x1 > left) & (c.x0 < right))
    comp = np.flatnonzero(in_view)
    if len(comp) == 0:
        return empty
    ev = c.idx[comp]
    match = st.highlight[ev] if st.highlight is not None else None
    prio = label_priority(s.end[ev] - s.start[ev], s.has_discrepancy[ev], match)
    numbering = len(comp) <= NUMBER_LIMIT
    if not numbering:
        # a span that began off-screen would have its label pushed to the left edge: in a crowd
        # such labels yield to events that start in view
        late = np.flatnonzero(s.start[ev] >= f.x0)
        comp, ev, prio = comp[late], ev[late], prio[late]
        match = match[late] if match is not None else None
        keep = np.sort(np.argsort(-prio, kind="stable")[:LABEL_CANDIDATES])
        comp, ev, prio = comp[keep], ev[keep], prio[keep]
        match = match[keep] if match is not None else None
    order = np.argsort(ev, kind="stable")  # time order: numbers run with the dates
    comp, ev, prio = comp[order], ev[order], prio[order]
    match = match[order] if match is not None else None
    hd = c.head[comp]  # a cluster member labels its cluster's mark
    mark = np.column_stack([np.maximum(gx0[hd], left), top[hd], np.minimum(gx1[hd], right), bottom[hd]])
    stripe = _stripe(f)
    widths = st.title_widths(ev, f.font) + stripe
    measure = st.measure(f.font)
    ev_l = ev.tolist()
    titles = [st.title(i) for i in ev_l]
    wraps = []
    size = f.font.pixelSize()
    for i, t in zip(ev_l, titles, strict=True):
        key = (i, size)
        if key not in st._wraps:
            st._wraps[key] = wrap_two(t, measure)
        w2 = st._wraps[key]
        wraps.append(None if w2 is None else (w2[0], w2[1] + stripe))
    nfont = number_font(f)
    layout = place(
        titles, mark, c.lane[hd], c.row[hd], prio, f.geometry, f.nrows, obstacles, measure,
        QFontMetricsF(f.font).height(), number_measure=st.measure(nfont), number_height=QFontMetricsF(nfont).height(),
        numbering=numbering, x_min=left + 2 * sc, x_max=right - 2 * sc, gap=8 * sc, pad=4 * sc,
        max_labels=MAX_LABELS if not numbering else NUMBER_LIMIT, two_line=wraps, widths=widths.tolist(),
        suffixes=[st.label_suffix(i) for i in ev_l] if st.label_suffix is not None else None,
    )  # fmt: skip
    dimmed = [bool(match is not None and not match[k]) for k in range(len(ev_l))]
    labels = [
        Label(
            ev_l[q.owner],
            QRectF(q.x, q.y, q.width, q.height),
            q.lines,
            dimmed[q.owner],
            st.actors(ev_l[q.owner]),
            q.leader,
        )
        for q in layout.labels
    ]
    numbers = [
        NumberMark(
            ev_l[q.owner],
            QRectF(q.x, q.y, q.width, q.height),
            q.number,
            dimmed[q.owner],
            st.actors(ev_l[q.owner]),
            q.text or str(q.number),
        )
        for q in layout.numbers
    ]
    return LabelSet(labels, numbers, key_entries(layout, ev_l, s.date_texts, s.titles))


def draw_labels(p: QPainter, f: Frame, st: ViewState) -> None:
    th = st.theme
    ls = st.labels(f)
    labels = ls.labels
    st.stats["labels"] = len(labels)
    st.stats["numbers"] = len(ls.numbers)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    dim = QColor(th.muted)
    sc = f.scale
    leaders = [lab for lab in labels if lab.leader is not None]
    if leaders:
        c = QColor(th.muted)
        c.setAlphaF(0.7)
        p.setPen(QPen(c, max(1.0, sc)))
        p.drawLines([QLineF(*lab.leader) for lab in leaders if lab.leader])
    for lab in labels:  # the selection's highlight, under its text, in place
        if lab.index in (st.selected, st.hovered):
            bg = QColor(th.highlight if lab.index == st.selected else th.muted)
            bg.setAlphaF(0.22 if lab.index == st.selected else 0.14)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(bg)
            p.drawRoundedRect(lab.rect.adjusted(-2 * sc, 0, 3 * sc, 0), 3, 3)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    for lab in labels:
        _stripe_of(p, st, QRectF(lab.rect.left(), lab.rect.top() + 2 * sc, STRIPE * sc, lab.rect.height() - 4 * sc),
                   lab.actors)  # fmt: skip
    line_h = QFontMetricsF(f.font).height()
    stripe = _stripe(f)
    items = []
    for lab in labels:
        for k, line in enumerate(lab.lines):
            rect = QRectF(lab.rect.left() + stripe, lab.rect.top() + k * line_h, lab.rect.width() - stripe, line_h)
            items.append((rect, line, dim if lab.dimmed else th.text))
    dpr = _pixel_ratio(p)
    if dpr is not None:
        items = st.atlas.draw(p, items, f.font, dpr)  # what did not fit is drawn below
    for rect, text, color in items:
        p.setPen(color)
        st.draw_text(p, rect.topLeft(), text, f.font)
    _draw_numbers(p, f, st, ls.numbers)
    labelled = {lab.index for lab in labels}
    for special in (st.hovered, st.selected):
        if special is not None and special not in labelled:
            _callout(p, f, st, special)


def _stripe_of(p: QPainter, st: ViewState, rect: QRectF, actors: tuple[int, ...]) -> None:
    """The event's actors as a vertical stripe of their colours, the leading actor on top."""
    if not actors:
        return
    h = rect.height() / len(actors)
    for k, a in enumerate(actors):
        p.fillRect(QRectF(rect.left(), rect.top() + k * h, rect.width(), h), st.actor_fill(a))


def _draw_numbers(p: QPainter, f: Frame, st: ViewState, numbers: list[NumberMark]) -> None:
    if not numbers:
        return
    chips = {(n.rect.x(), n.rect.y()): n for n in numbers}  # a cluster's events share one chip
    numbers = list(chips.values())
    th = st.theme
    font = number_font(f)
    sc = f.scale
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for num in numbers:
        r = num.rect
        p.setPen(QPen(th.muted, max(1.0, 0.8 * sc)))
        p.setBrush(th.background)
        p.drawRoundedRect(r.adjusted(0, 0.5, 0, -0.5), 3 * sc, 3 * sc)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        _stripe_of(p, st, QRectF(r.left() + 1, r.top() + 2 * sc, 2 * sc, r.height() - 4 * sc), num.actors)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(th.muted if num.dimmed else th.text)
        st.draw_text(p, QPointF(r.left() + 3.5 * sc, r.top()), num.text, font)


def callout_box(f: Frame, st: ViewState, index: int) -> tuple[QRectF, tuple[str, ...]] | None:
    """Where the title callout of event ``index`` (selected or hovered, unlabelled) goes, and its
    lines: by its mark, on the side that covers no other event's label (then the fewest number
    chips, then the nearest): it is drawn on top, so it must not hide a neighbour's name. Found
    once a frame per event (it depends on neither the selection nor the hover), not on every paint."""
    if index not in f._callouts:
        f._callouts[index] = _find_callout(f, st, index)
    placed = f._callouts[index]
    return (QRectF(placed[0]), placed[1]) if placed is not None else None


def _find_callout(f: Frame, st: ViewState, index: int) -> tuple[QRectF, tuple[str, ...]] | None:
    s = st.store
    c = st.copies(f)
    at = np.flatnonzero(c.idx == index)
    if s is None or len(at) == 0:
        return None
    j = int(c.head[at[0]])
    sc = f.scale
    title = st.title(index)
    fm = QFontMetricsF(f.font)
    lines: tuple[str, ...] = (title,)
    w = fm.horizontalAdvance(title)
    if w > f.plot.width() * 0.45:
        two = wrap_two(title, fm.horizontalAdvance)
        if two is not None:
            lines, w = two
    pad = 4 * sc
    box_w, box_h = w + _stripe(f) + 2 * pad, fm.height() * len(lines) + 2 * pad
    half = f.glyph / 2
    if c.kind[j] == INSTANT:
        m0, m1 = float(c.cx[j] - half), float(c.cx[j] + half)
    else:
        m0, m1 = max(float(c.x0[j]), f.plot.left()), min(float(c.x1[j]), f.plot.right())
    cy = float(c.cy[j])
    below, above = cy + half + 2 * sc, cy - half - 2 * sc - box_h
    lo_x, hi_x = f.plot.left() + 2 * sc, f.plot.right() - 2 * sc - box_w
    lo_y, hi_y = f.plot.top() + f.header, f.plot.bottom() - f.footer - box_h
    step = fm.height()
    # by the mark first (under it, over it, beside it), then ever further along and across
    spots = [(m0, below), (m1 - box_w, below), (m0, above), (m1 - box_w, above),
             (m1 + 2 * sc, cy - box_h / 2), (m0 - 2 * sc - box_w, cy - box_h / 2)]  # fmt: skip
    for k in range(1, 10):
        for dx in (0.0, -0.5, 0.5, -1.0, 1.0, -1.5, 1.5):
            for x in (m0, m1 - box_w):
                spots += [(x + dx * box_w, below + k * step), (x + dx * box_w, above - k * step)]
    ls = st.labels(f)
    names = [lab.rect for lab in ls.labels if lab.index != index]
    chips = [n.rect for n in ls.numbers if n.index != index]

    def cover(box: QRectF, rects: list[QRectF]) -> float:
        return sum(max(0.0, (r := box.intersected(q)).width() * r.height()) for q in rects if box.intersects(q))

    # no label covered, then nearest, a number chip covered costing as much as CHIP_COST spots further
    best: tuple[float, float, QRectF] | None = None
    for order, (x, y) in enumerate(spots):
        box = QRectF(min(max(x, lo_x), hi_x), min(max(y, lo_y), hi_y), box_w, box_h)
        key = (cover(box, names), order + CHIP_COST * sum(box.intersects(q) for q in chips))
        if best is None or key < best[:2]:
            best = (*key, box)
        if key == (0.0, order):
            break
    assert best is not None
    return best[2], lines


def _mark_centre(f: Frame, st: ViewState, index: int) -> QPointF | None:
    c = st.copies(f)
    at = np.flatnonzero(c.idx == index)
    if len(at) == 0:
        return None
    j = int(c.head[at[0]])
    x = float(c.cx[j]) if c.kind[j] == INSTANT else max(float(c.x0[j]), f.plot.left()) + 4 * f.scale
    return QPointF(x, float(c.cy[j]))


def _callout(p: QPainter, f: Frame, st: ViewState, index: int) -> None:
    """The full title of a selected or hovered event that has no label, in a box by its mark, on top."""
    placed = callout_box(f, st, index)
    if placed is None:
        return
    box, lines = placed
    sc = f.scale
    th = st.theme
    fm = QFontMetricsF(f.font)
    stripe = _stripe(f)
    pad = 4 * sc
    x, y = box.left(), box.top()
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    pen = QPen(th.highlight if index == st.selected else th.muted, max(1.0, sc))
    p.setPen(pen)
    mark = _mark_centre(f, st, index)
    if mark is not None and not box.adjusted(-f.glyph, -f.glyph, f.glyph, f.glyph).contains(mark):
        # away from its mark (none of the places by it was free): a leader ties it to the mark
        end = QPointF(min(max(mark.x(), box.left()), box.right()), min(max(mark.y(), box.top()), box.bottom()))
        p.drawLine(QLineF(mark, end))
    p.setBrush(th.background)
    p.drawRoundedRect(box, 3 * sc, 3 * sc)
    _stripe_of(p, st, QRectF(x + pad, y + pad, STRIPE * sc, box.height() - 2 * pad), st.actors(index))
    p.setPen(th.text)
    for k, line in enumerate(lines):
        st.draw_text(p, QPointF(x + pad + stripe, y + pad + k * fm.height()), line, f.font)
