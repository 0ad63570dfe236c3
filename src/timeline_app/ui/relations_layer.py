"""The selected event's links to other events, drawn as arrows labelled with their relation.

The data links events ("followed by", "revises deadline of"); the details panel lists them as
buttons, and here they are seen: an arc from the selected event's mark to each linked event's
mark, arching above the marks, with the relation written at its top. A linked event that is
shown but off screen gets a short arrow to the edge it lies beyond, naming the event. Mark
positions come from the frame's own copies (the geometry the events layer draws), so the arrows
follow the marks whatever the lane layout.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from ..core.store import Kind
from .background_layer import era_titles
from .frame import Frame
from .labels_layer import callout_box
from .view_state import ViewState

MAX_ARROWS = 12  # an event with more links draws its first twelve
INSTANT = int(Kind.INSTANT)


@dataclass
class Arrow:
    relation: str
    target: int  # store index of the linked event
    start: QPointF  # at the selected event's mark
    end: QPointF  # at the linked event's mark, or at the plot's edge when it is off screen
    control: QPointF  # the quadratic curve's control point
    label: QRectF  # where the relation is written
    text: str
    off_screen: bool = False


def mark_points(f: Frame, st: ViewState, index: int) -> list[QPointF]:
    """Where event ``index`` is drawn in frame ``f`` (one point per copy; none if not drawn)."""
    c = st.copies(f)
    hit = np.flatnonzero(c.idx == index)
    left, right = f.plot.left(), f.plot.right()
    out = []
    for k in hit:
        bar_start = min(max(float(c.x0[k]) + f.glyph / 2, left + 2), right - 2)  # a bar or bracket: kept on screen
        x = float(c.cx[k]) if int(c.kind[k]) == INSTANT else bar_start
        out.append(QPointF(x, float(c.cy[k])))
    return out


def _closest(a: list[QPointF], b: list[QPointF]) -> tuple[QPointF, QPointF]:
    """The pair of copies, one of each event, nearest in height (the same lane when they share one)."""
    return min(((p, q) for p in a for q in b), key=lambda pq: (abs(pq[0].y() - pq[1].y()), abs(pq[0].x() - pq[1].x())))


def relation_arrows(f: Frame, st: ViewState) -> list[Arrow]:
    """The arrows for the selected event's links to shown events, in the data's order: placed once
    a frame per selected event (a hover repaints the frame, it moves no arrow), not on every paint."""
    if st.selected is None:
        return []
    if st.selected not in f._arrows:
        f._arrows[st.selected] = _place_arrows(f, st, st.selected)
    return [replace(a) for a in f._arrows[st.selected]]  # copies: a caller may move them


def _place_arrows(f: Frame, st: ViewState, selected: int) -> list[Arrow]:
    s = st.store
    if s is None:
        return []
    event = s.event(selected)
    if not event.links:
        return []
    sources = mark_points(f, st, selected)
    if not sources:
        return []
    fm = QFontMetricsF(f.small)
    pad = 4 * f.scale
    arrows: list[Arrow] = []
    taken: list[QRectF] = []  # the tags placed so far
    keep_clear, quiet = _text_in_the_way(f, st, selected)
    for k, link in enumerate(event.links[:MAX_ARROWS]):
        target = s.index_of(link.to)
        if target is None or target == selected or (st.visible is not None and not st.visible[target]):
            continue
        targets = mark_points(f, st, target)
        text = " ".join(link.relation.split())
        if targets:
            a, b = _closest(sources, targets)
            off = False
        else:  # shown, but outside the view: point to the edge it lies beyond
            a = sources[0]
            later = float(s.start[target]) > float(s.start[selected])
            edge = f.plot.right() - pad if later else f.plot.left() + pad
            b = QPointF(edge, a.y())
            text = f"{text}: {s.titles[target]}"
            text = fm.elidedText(text, Qt.TextElideMode.ElideRight, max(60.0, f.plot.width() * 0.3))
            off = True
        rise = min(max(abs(b.x() - a.x()) * 0.3, 28 * f.scale), 110 * f.scale) + 14 * f.scale * (k % 3)
        top = max(min(a.y(), b.y()) - rise, f.plot.top() + fm.height() + 2 * pad)
        control = QPointF((a.x() + b.x()) / 2, 2 * top - (a.y() + b.y()) / 2)  # the curve's apex at ``top``
        mid = QPointF(0.25 * a.x() + 0.5 * control.x() + 0.25 * b.x(), 0.25 * a.y() + 0.5 * control.y() + 0.25 * b.y())
        w, h = fm.horizontalAdvance(text) + 2 * pad, fm.height() + pad
        label = _tag_place(f, QRectF(mid.x() - w / 2, mid.y() - h - pad / 2, w, h), keep_clear, taken, quiet)
        taken.append(label)
        arrows.append(Arrow(link.relation, target, a, b, control, label, text, off))
    return arrows


def _text_in_the_way(f: Frame, st: ViewState, selected: int) -> tuple[list[QRectF], list[QRectF]]:
    """What a relation's tag must not cover (the selected event's own label or title callout,
    which the reader is looking at), and what it should rather not (other labels, number chips,
    era titles): the tag is drawn over them all."""
    keep = [lab.rect for lab in st.labels(f).labels if lab.index == selected]
    placed = callout_box(f, st, selected)
    if placed is not None and not keep:
        keep.append(placed[0])
    ls = st.labels(f)
    quiet = [lab.rect for lab in ls.labels if lab.index != selected] + [n.rect for n in ls.numbers]
    quiet += [r for t in era_titles(f, st) for r in t.rects]
    return keep, quiet


def _tag_place(f: Frame, ideal: QRectF, keep: list[QRectF], taken: list[QRectF], quiet: list[QRectF]) -> QRectF:
    """``ideal`` (the tag at the curve's top) kept in the plot, moved up, down or along by whole
    tag heights to the nearest place that covers neither ``keep`` nor another tag, and, where one is
    near, none of ``quiet``."""
    w, h = ideal.width(), ideal.height()
    lo_x, hi_x = f.plot.left() + 2, f.plot.right() - w - 2
    lo_y, hi_y = f.plot.top() + 2, f.plot.bottom() - f.footer - h - 2
    best: tuple[tuple[int, float], QRectF] | None = None
    for dy in range(-8, 9):
        for dx in (0.0, -0.5, 0.5, -1.0, 1.0):
            r = QRectF(ideal)
            r.moveLeft(min(max(ideal.left() + dx * w, lo_x), hi_x))
            r.moveTop(min(max(ideal.top() + dy * (h + 2), lo_y), hi_y))
            if any(r.intersects(q) for q in keep + taken):
                continue
            key = (sum(r.intersects(q) for q in quiet), abs(dy) + abs(dx))
            if best is None or key < best[0]:
                best = (key, r)
    if best is None:  # nowhere clear: above everything, as before
        r = QRectF(ideal)
        r.moveLeft(min(max(r.left(), lo_x), hi_x))
        r.moveTop(max(r.top(), lo_y))
        return r
    return best[1]


def draw_relations(p: QPainter, f: Frame, st: ViewState) -> None:
    """Draw :func:`relation_arrows` over the events, under the legend."""
    arrows = relation_arrows(f, st)
    if not arrows:
        return
    th = st.theme
    ink = QColor(th.highlight)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    width = 1.6 * f.scale
    head = 7 * f.scale
    for arrow in arrows:
        path = QPainterPath(arrow.start)
        path.quadTo(arrow.control, arrow.end)
        pen = QPen(ink, width, Qt.PenStyle.DashLine if arrow.off_screen else Qt.PenStyle.SolidLine)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        # the head points along the curve's last tangent
        tangent = QLineF(arrow.control, arrow.end)
        if tangent.length() > 0:
            unit = tangent.unitVector()
            dx, dy = unit.dx(), unit.dy()
            tip = arrow.end - QPointF(dx, dy) * (f.glyph * 0.45)
            left = tip - QPointF(dx, dy) * head + QPointF(-dy, dx) * head * 0.5
            right = tip - QPointF(dx, dy) * head - QPointF(-dy, dx) * head * 0.5
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(ink)
            p.drawPolygon(QPolygonF([tip, left, right]))
        box = QColor(th.background)
        box.setAlphaF(0.92)
        p.setPen(QPen(ink, max(1.0, f.scale)))
        p.setBrush(box)
        p.drawRoundedRect(arrow.label, 3 * f.scale, 3 * f.scale)
        p.setFont(f.small)
        p.setPen(th.text)
        p.drawText(arrow.label, Qt.AlignmentFlag.AlignCenter, arrow.text)
