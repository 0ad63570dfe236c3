"""Frames composed with less fixed cost look exactly as before: the widgets under the plot no
longer clear themselves, and one graphics item paints every layer instead of one item each."""

from __future__ import annotations

import os
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
from test_timeline_view import _MIXED_VIEWS, _mixed, _pixels, _shown_view

from timeline_app.core.store import EraBand, EventStore
from timeline_app.ui import QtCore, QtGui  # PySide6 before pyqtgraph
from timeline_app.ui.layers import Layer
from timeline_app.ui.timeline_view import DRAWS, TimelineView

QColor = QtGui.QColor
Qt = QtCore.Qt
MAGENTA = QColor("magenta").rgb() & 0xFFFFFF


def _with_eras(s: EventStore) -> EventStore:
    s.eras = [
        EraBand("First era with a long title that runs on", 100.0, 180.0, None),
        EraBand("Touching", 180.0, 420.5, "#cc79a7"),
        EraBand("Overlapping the next", 600.25, 1200.0, "#009e73"),
        EraBand("Inside", 800.0, 850.0, None),
    ]
    return s


def _view_pixels(v: TimelineView) -> np.ndarray:
    """The widget rendered over magenta: whatever nothing paints stays magenta."""
    img = QtGui.QImage(v.width(), v.height(), QtGui.QImage.Format.Format_RGB32)
    img.fill(QColor("magenta"))
    v.render(img)
    return _pixels(img)


def _set_widget_fills(v: TimelineView, on: bool) -> None:
    """The widget clearing the view had before: the viewport filling itself, parents under children."""
    viewport = v._plot.viewport()
    viewport.setAutoFillBackground(on)
    for w in (v, v._plot, viewport):
        w.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, not on)


def _states(v: TimelineView, s: EventStore) -> Iterator[tuple[float, float, str]]:
    """Each view in three states: plain, a search with a selection and a hover, and a message."""
    for x0, x1 in (*_MIXED_VIEWS, (95.3, 431.7)):
        v.set_view_range(x0, x1)
        shown = np.flatnonzero((s.start <= x1) & (s.end >= x0))
        for state in ("plain", "search", "message"):
            v.set_highlight(np.isin(np.arange(len(s)), shown[::3]) if state == "search" else None)
            v.set_selected(int(shown[len(shown) // 2]) if state == "search" else None)
            v._state.hovered = int(shown[len(shown) // 3]) if state == "search" else None
            v.set_message("Nothing matches" if state == "message" else None)
            yield (x0, x1, state)


@pytest.mark.parametrize("store", ["none", "mixed"])
def test_every_pixel_is_painted_as_with_the_widgets_clearing_it(qtbot, store: str) -> None:  # type: ignore[no-untyped-def]
    s = _with_eras(_mixed()) if store == "mixed" else None
    v = _shown_view(qtbot, s, 1437, 811)  # type: ignore[arg-type]
    for x0, x1 in (*_MIXED_VIEWS, (-3000.0, 9000.0)):
        v.set_view_range(x0, x1)
        fast = _view_pixels(v)
        assert not (fast == MAGENTA).any()
        _set_widget_fills(v, True)
        cleared = _view_pixels(v)
        _set_widget_fills(v, False)
        assert np.array_equal(fast, cleared), (x0, x1, int((fast != cleared).sum()))


def test_one_item_paints_the_layers_as_one_item_per_layer_did(qtbot) -> None:  # type: ignore[no-untyped-def]
    s = _with_eras(_mixed())
    v = _shown_view(qtbot, s, 1437, 811)
    one = v._layers[0]
    assert one.draws == DRAWS
    zs = (-10, *range(len(DRAWS) - 1))  # the background under everything, then the layers in order
    separate = [Layer(v._state, (draw,), z) for draw, z in zip(DRAWS, zs, strict=True)]
    for layer in separate:
        layer.setParentItem(v._vb)
        layer.hide()
    checked = 0
    for where in _states(v, s):
        fast = _view_pixels(v)
        one.hide()
        for layer in separate:
            layer.show()
        reference = _view_pixels(v)
        one.show()
        for layer in separate:
            layer.hide()
        assert len(np.unique(fast)) > 20
        assert np.array_equal(fast, reference), (where, int((fast != reference).sum()))
        checked += 1
    assert checked == 12


def reference_draw_axis(p: QtGui.QPainter, rect: QtCore.QRectF, f, st) -> None:  # type: ignore[no-untyped-def]
    """``draw_axis`` as it was: a ``QLineF`` per tick, the font set per label."""
    QPen, QLineF, QPointF = QtGui.QPen, QtCore.QLineF, QtCore.QPointF
    th = st.theme
    p.fillRect(rect, th.background)
    p.setPen(QPen(th.separator, 1))
    p.drawLine(QLineF(f.plot.left(), rect.top() + 0.5, f.plot.right(), rect.top() + 0.5))
    tick = 6 * f.scale
    p.setPen(QPen(th.muted, 1))
    p.drawLines([QLineF(f.px(v), rect.top(), f.px(v), rect.top() + tick * 0.5) for v in f.ticks.minor])
    p.drawLines([QLineF(f.px(t.value), rect.top(), f.px(t.value), rect.top() + tick) for t in f.ticks.major])
    p.setPen(th.text)
    for t in f.ticks.major:
        if t.label:
            w = st.text_width(t.label, f.small)
            st.draw_text(p, QPointF(f.px(t.value) - w / 2, rect.top() + tick + 2 * f.scale), t.label, f.small)


@pytest.mark.parametrize("device", ["image", "vector"])
def test_axis_drawn_from_arrays_matches_drawing_tick_by_tick(qtbot, device: str) -> None:  # type: ignore[no-untyped-def]
    from timeline_app.ui.axis_layer import draw_axis

    v = _shown_view(qtbot, _mixed(), 1437, 811)

    def axis(draw) -> np.ndarray:  # type: ignore[no-untyped-def]
        f = v._view_frame()
        assert f is not None
        rect = QtCore.QRectF(f.plot.left(), f.plot.bottom(), f.plot.width(), 30.0)
        img = QtGui.QImage(v.width(), v.height(), QtGui.QImage.Format.Format_RGB32)
        img.fill(QColor("magenta"))
        if device == "vector":  # the path SVG and PDF exports take
            pic = QtGui.QPicture()
            p = QtGui.QPainter(pic)
            draw(p, rect, f, v._state)
            p.end()
            p = QtGui.QPainter(img)
            pic.play(p)
        else:
            p = QtGui.QPainter(img)
            draw(p, rect, f, v._state)
        p.end()
        return _pixels(img)

    for x0, x1 in (*_MIXED_VIEWS, (95.3, 431.7), (-3000.0, 9000.0), (1000.25, 1001.5)):
        v.set_view_range(x0, x1)
        fast, reference = axis(draw_axis), axis(reference_draw_axis)
        assert (fast != MAGENTA).sum() > 1000  # the strip, ticks and labels
        assert np.array_equal(fast, reference), (x0, x1, int((fast != reference).sum()))


def test_badge_spots_drop_neighbours_as_isin_did() -> None:
    from timeline_app.ui.marks_layer import MAX_BADGES, _badge_spots

    def reference(parts, cell):  # type: ignore[no-untyped-def]
        idx, x, y = (np.concatenate([q[k] for q in parts]) for k in range(3))
        _, first = np.unique(idx, return_index=True)
        first.sort()
        x, y = x[first], y[first]
        key = np.round(y).astype(np.int64) * 1_000_003 + np.floor(x / cell).astype(np.int64)
        _, one = np.unique(key, return_index=True)
        one.sort()
        x, y, key = x[one], y[one], key[one]
        lone = ~np.isin(key - 1, key)
        return x[lone][:MAX_BADGES], y[lone][:MAX_BADGES]

    rng = np.random.default_rng(5)
    for n in (1, 2, 7, 60, 900):
        parts = [(rng.integers(0, n, n), rng.uniform(0, 300, n), rng.choice([10.0, 30.0, 50.0], n)) for _ in range(2)]
        fast, slow = _badge_spots(parts, 10.0), reference(parts, 10.0)
        assert all(np.array_equal(a, b) for a, b in zip(fast, slow, strict=True)), n
        assert n < 60 or 0 < len(fast[0]) < n  # some dropped as neighbours, some kept
