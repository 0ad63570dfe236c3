"""Exporting without a window: a plain light or dark palette and a view that is never shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

import PySide6  # noqa: F401  (before anything that may import pyqtgraph)
from PySide6.QtGui import QColor, QGuiApplication, QPalette

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from ..core.store import EventStore
    from ..ui.timeline_view import TimelineView

# -- headless ---------------------------------------------------------------------------------------


def theme_palette(theme: str) -> QPalette:
    """A plain light or dark palette, so a headless export does not depend on the desktop's
    (``tools/screenshot_app.py --dark`` uses the same one)."""
    dark = theme == "dark"
    window, base, text = (
        (QColor("#2b2b2b"), QColor("#1e1e1e"), QColor("#e8e8e8"))
        if dark
        else (QColor("#efefef"), QColor("#ffffff"), QColor("#1a1a1a"))
    )
    pal = QPalette()
    roles = QPalette.ColorRole
    for role, color in (
        (roles.Window, window),
        (roles.WindowText, text),
        (roles.Base, base),
        (roles.AlternateBase, window),
        (roles.Text, text),
        (roles.Button, window),
        (roles.ButtonText, text),
        (roles.ToolTipBase, base),
        (roles.ToolTipText, text),
        (roles.PlaceholderText, QColor("#8a8a8a")),
        (roles.Highlight, QColor("#3d8ee6" if dark else "#0b63c4")),
        (roles.HighlightedText, QColor("#ffffff")),
        (roles.Link, QColor("#6cb4ff" if dark else "#0b57a8")),
    ):
        pal.setColor(role, color)
    if dark:
        pal.setColor(roles.Mid, QColor("#555555"))  # frame and quote-bar lines (Fusion's default is light)
    return pal


def apply_theme(app: QGuiApplication, theme: str) -> None:
    app.setPalette(theme_palette(theme))


def offscreen_view(
    store: EventStore,
    visible: NDArray[np.bool_] | None,
    highlight: NDArray[np.bool_] | None,
    width: int,
    height: int,
    x_range: tuple[float, float] | None = None,
    lanes: NDArray[np.bool_] | None = None,
    *,
    lane_mode: str | None = None,
    time_scale: str | None = None,
) -> TimelineView:
    """A view that is never shown, set up as the window would be, to render from; a lane mode or
    time scale is applied where the view offers them."""
    from ..ui.timeline_view import TimelineView

    view = TimelineView()
    view.resize(width, height)
    for setter, value in (("set_lane_mode", lane_mode), ("set_time_scale", time_scale)):
        if value is not None and callable(getattr(view, setter, None)):
            getattr(view, setter)(value)
    view.set_store(store)
    view.set_visible(visible)
    view.set_visible_actors(lanes)
    view.set_highlight(highlight)
    if x_range is None:
        view.fit_all()
    else:
        view.set_view_range(*x_range)
    return view
