"""The Qt layer. PySide6 is imported before anything imports pyqtgraph, which would otherwise
pick another binding (PyQt6) when one is installed."""

from __future__ import annotations

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import PySide6  # noqa: F401  (must precede every pyqtgraph import)
from PySide6 import QtCore, QtGui, QtWidgets  # noqa: F401
