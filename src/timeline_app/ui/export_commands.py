"""The export commands: Export Image (the dialog of ``export_dialog.py``), Copy Image, and Export
Data (the whole data set in another format, ``data_export.py``), with their messages.

A mixin of :class:`~timeline_app.ui.main_window.MainWindow`: these are its slots in the actions
table. What a format cannot carry is listed as warnings in the Problems dock, keyed by target.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt

from .actions import ACTIONS, ActionId
from .data_export import DataExportDialog, ExportFailed, export_store, format_label
from .status_text import plural

EXPORT_DATA_NEEDS_FILE = "Open a data set to export it"


class ExportCommandsMixin:
    """Exporting the view as an image and the data set as data."""

    def export_image(self) -> None:
        if self.store is None:
            self.messages.notice("Open a data set before exporting.")
            return
        from .export_dialog import ExportDialog

        dialog = ExportDialog(
            self,
            self.view,
            self.store,
            self._filter_caption,
            masks=lambda: (self.visible_mask, self.lane_mask),
            choices=self.settings_file.settings.export_choices,
            data_path=self.path,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.choices_changed.connect(self._export_choices_changed)
        dialog.failed.connect(lambda message: self.messages.error("Export failed", [message]))
        dialog.exported.connect(lambda result: self.messages.notice(f"Exported {getattr(result, 'path', '')}"))
        self._export_dialog = dialog
        dialog.open()

    def _update_export_data(self) -> None:
        """Export Data needs an open data set: greyed out, with the reason, when there is none."""
        action = self.actions_by_id[ActionId.EXPORT_DATA]
        spec_tip = next(spec.tip for spec in ACTIONS if spec.id is ActionId.EXPORT_DATA)
        reason = EXPORT_DATA_NEEDS_FILE if self.store is None else None
        action.setEnabled(reason is None)
        action.setToolTip(reason or spec_tip)
        action.setStatusTip(reason or spec_tip)

    def export_data_dialog(self) -> None:
        """A non-blocking save dialog (``open()``); the choice goes to :meth:`export_data`."""
        if self.store is None:
            self.messages.notice(EXPORT_DATA_NEEDS_FILE)
            return
        start = Path(self.path) if self.path else Path.home() / "timeline.json"
        dialog = DataExportDialog(self, start, self._data_filter)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filterSelected.connect(lambda f: setattr(self, "_data_filter", f))
        dialog.chosen.connect(self.export_data)
        self._data_dialog = dialog
        dialog.open()

    def export_data(self, path: str | Path, fmt: str) -> bool:
        """Write the whole open data set (filters do not apply) to ``path`` in ``fmt``.

        Warnings for what the format cannot carry go to the Problems dock under this target's
        key, replacing those of an earlier export to the same file.
        """
        store = self.store
        if store is None:
            self.messages.notice(EXPORT_DATA_NEEDS_FILE)
            return False
        target = Path(path)
        key = f"export:{target}"
        try:
            warnings = export_store(store, target, fmt)
        except ExportFailed as exc:
            self.messages.error(f"Export failed: {target.name} was not written", [str(exc)], key=key)
            return False
        done = f"Exported {plural(len(store), 'event')} to {target.name} as {format_label(fmt)}"
        if warnings:
            self.messages.warning(f"{done}, which cannot carry everything", warnings, key=key)
        else:
            self.messages.resolve(key)
            self.messages.notice(done)
        return True

    def copy_image(self) -> None:
        from .export_dialog import copy_image_to_clipboard

        copy_image_to_clipboard(self.view)
        self.messages.notice("The current view was copied to the clipboard.")

    def _export_choices_changed(self, choices: dict[str, Any]) -> None:
        self.settings_file.settings.export_choices = dict(choices)
        self._save_settings()

    def _filter_caption(self) -> str:
        from ..export.texts import filter_caption

        store = self.store
        if store is None:
            return ""
        state = self.filter_state
        names = [n for i, n in zip(store.actor_ids, store.actor_names, strict=True) if i not in state.hidden_actors]
        date_from, date_to = self.filter_dock.date_texts()
        query = self.filter_dock.search.text().strip() or None
        matches = int(np.count_nonzero(self._visible_matches())) if self.highlight_mask is not None else None
        return filter_caption(
            actor_names=names,
            total_actors=len(store.actor_ids),
            match=state.match.value,
            date_from=date_from,
            date_to=date_to,
            search=query,
            matches=matches,
            shown=self.visible_count(),
            total=len(store),
        )
