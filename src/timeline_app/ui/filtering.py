"""Filters, search and the source picked, as the window applies them: which events show, which
are highlighted, the counts and matches in the status bar and the chips over the timeline.

A mixin of :class:`~timeline_app.ui.main_window.MainWindow`: the Filters dock emits what the
reader chose, these methods compute the masks (``core.filtering``, ``core.search``) and hand them
to the view, the dock and the chips.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..core.filtering import FilterState, Match, Support, compute, lane_mask
from ..core.reading_order import ReadingOrder
from .filter_chips import Chip, actor_chip_text, date_chip_text
from .status_text import count_text, match_text

NO_MATCH = "No events match the filters"
MAX_RESULTS = 200  # matches listed under the search box (Enter steps through all of them)
Mask = NDArray[np.bool_]


class FilteringMixin:
    """The masks (shown, lanes, search, source, highlight) and everything that shows them."""

    def _filters_changed(self, state: FilterState) -> None:
        self.filter_state = state
        self.view_memory.remember_filter()
        self._apply_filters()

    def _apply_filters(self) -> None:
        store = self.store
        if store is None:
            return
        mask = compute(store, self.filter_state)
        self.visible_mask = None if mask.all() else mask
        self.lane_mask = lane_mask(store, self.filter_state)
        self.view.set_date_bounds(self.filter_state.date_from, self.filter_state.date_to)
        self.view.set_visible(self.visible_mask)
        self.view.set_visible_actors(self.lane_mask)
        self.view.follow_filters()
        self._update_chips()
        self.view.set_message(NO_MATCH if len(store) and not mask.any() else None)
        self.order = ReadingOrder(len(store), self.visible_mask)
        selected = self.view.selected()
        if self.story.active:
            self.story.refresh_order()
        elif selected is not None and not self._is_visible(selected):
            self.clear_selection()
        self._update_counts()
        self._update_match_status()  # the highlight itself depends on search and source only

    def _search_changed(self, text: str) -> None:
        self.search_mask = self.search_index.search(text) if self.search_index is not None else None
        self.details_dock.set_query(text if self.search_mask is not None else "")
        self._apply_highlight()

    def _source_changed(self, source_id: str | None) -> None:
        if self.store is None or self.citations is None or source_id is None:
            self.source_mask = None
        else:
            self.source_mask = self.citations.mask(source_id, len(self.store))
        self._apply_highlight()

    def _apply_highlight(self) -> None:
        masks = [m for m in (self.search_mask, self.source_mask) if m is not None]
        if not masks or self.store is None:
            self.highlight_mask = None
        else:
            self.highlight_mask = np.logical_and.reduce(masks) if len(masks) > 1 else masks[0]
        self.view.set_highlight(self.highlight_mask)
        self._update_match_status()
        self._update_chips()

    def _update_match_status(self) -> None:
        """ "3 matches (1 more hidden by filters)" in the dock and the status bar, naming the
        source when one is picked; the matches listed under the search box."""
        text = ""
        rows: list[tuple[int, str, str]] = []
        more = 0
        if self.highlight_mask is not None and self.store is not None:
            visible = self._visible_matches()
            shown = int(np.count_nonzero(visible))
            hidden = int(np.count_nonzero(self.highlight_mask)) - shown
            query = self.filter_dock.search.text().strip() if self.search_mask is not None else ""
            source = self._source_title() if self.source_mask is not None else None
            text = match_text(shown, hidden, query, source)
            if query:
                first = np.flatnonzero(visible)
                more = max(0, len(first) - MAX_RESULTS)
                rows = [(int(i), self.store.date_texts[i], self.store.titles[i]) for i in first[:MAX_RESULTS]]
        self.filter_dock.set_search_status(text)
        self.filter_dock.set_results(rows, more)
        self.match_label.setText(text)

    def _source_title(self) -> str | None:
        source_id = self.filter_dock.selected_source()
        if source_id is None or self.store is None:
            return None
        source = self.store.source_by_id.get(source_id)
        return f"“{' '.join((source.title if source is not None else source_id).split())}”"

    def _visible_matches(self) -> Mask:
        assert self.highlight_mask is not None
        return self.highlight_mask if self.visible_mask is None else self.highlight_mask & self.visible_mask

    def step_match(self, step: int) -> None:
        """Enter / Shift+Enter in the search box: select the next / previous match, wrapping."""
        if self.highlight_mask is None:
            return
        matches = np.flatnonzero(self._visible_matches())
        if not len(matches):
            return
        current = self.view.selected()
        if current is None:
            target = matches[0] if step > 0 else matches[-1]
        elif step > 0:
            k = int(np.searchsorted(matches, current, side="right"))
            target = matches[k % len(matches)]
        else:
            k = int(np.searchsorted(matches, current, side="left")) - 1
            target = matches[k % len(matches)]
        self.select(int(target), ensure_visible=True)

    def _update_counts(self) -> None:
        store = self.store
        if store is None:
            self.count_label.setText("No data set open")
            return
        total, shown = len(store), self.visible_count()
        self.count_label.setText(count_text(shown, total))

    def visible_count(self) -> int:
        if self.store is None:
            return 0
        return len(self.store) if self.visible_mask is None else int(np.count_nonzero(self.visible_mask))

    # -- filter chips --------------------------------------------------------------------------

    def filter_chips(self) -> list[Chip]:
        """The active filter as chips: actors, date range, sources' support, search, picked source."""
        store = self.store
        if store is None:
            return []
        state, dock = self.filter_state, self.filter_dock
        chips: list[Chip] = []
        names = dict(zip(store.actor_ids, store.actor_names, strict=True))
        checked = [names[i] for i in store.actor_ids if i not in state.hidden_actors]
        hidden = [names[i] for i in store.actor_ids if i in state.hidden_actors]
        all_of = state.match is Match.ALL
        text = actor_chip_text(checked, hidden, all_of)
        if text is not None:
            how = "every one of" if all_of else "any of"
            chips.append(Chip("actors", text, f"Events with {how}: {', '.join(checked) or 'no actor'}. × shows all"))
        dates = date_chip_text(*dock.date_texts())
        if dates is not None:
            chips.append(Chip("dates", dates, "× clears the date range"))
        query = dock.search.text().strip()
        if query:
            chips.append(Chip("search", f"“{query if len(query) <= 40 else query[:39] + '…'}”", "× clears the search"))
        if state.support is not Support.ANY:
            corroborated = state.support is Support.CORROBORATED
            text = "2+ independent sources" if corroborated else "single source only"
            chips.append(Chip("support", text, "× shows events with any number of sources"))
        source = dock.selected_source()
        if source is not None and self.citations is not None and source in self.citations.source_ids:
            title = self.citations.titles[self.citations.source_ids.index(source)]
            short = title if len(title) <= 40 else title[:39].rstrip() + "…"
            chips.append(Chip("source", f"cites: {short}", f"Events citing {title}. × clears"))
        return chips

    def _update_chips(self) -> None:
        self.chips.set_chips(self.filter_chips())

    def remove_filter(self, key: str) -> None:
        """A chip's ×: clear that part of the filter, in the dock too (which applies it)."""
        dock = self.filter_dock
        if key == "actors":
            dock.show_all_actors()
        elif key == "dates":
            dock.clear_dates()
        elif key == "search":
            dock.search.clear()
            dock.flush_search()
        elif key == "source":
            dock.select_source(None)
        elif key == "support":
            dock.support.setCurrentIndex(dock.support.findData(Support.ANY.value))
