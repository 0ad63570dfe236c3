"""The reader's controls for narrowing the timeline: search, actors, date range, sources.

The dock only collects what was asked (a :class:`FilterState`, a query, a source); the window
computes masks with the Qt-free core and tells the view. Date entries accept the data's own
forms (YYYY, YYYY-MM, YYYY-MM-DD); an invalid one is marked and not applied.

A search over a large data set takes a noticeable moment (a tenth of a second or more at a
million events), so there the query is passed on once typing pauses, not per keystroke; and
when the dock is given the search index, it runs the search on a pool thread first and passes
the query on only once the answer is ready (the index keeps it, so the window gets it at once).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..core.filtering import DateBoundError, FilterState, Match, Support, parse_bound
from ..core.search import SearchIndex, SourceCitations
from ..core.store import EventStore
from .plain_text import plain_tooltip

ID_ROLE = Qt.ItemDataRole.UserRole
INVALID_STYLE = "QLineEdit { border: 2px solid #d62728; }"


def _check(checked: bool) -> Qt.CheckState:
    return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked


def _item_with_id(widget: QListWidget, ident: str) -> QListWidgetItem | None:
    for k in range(widget.count()):
        item = widget.item(k)
        if item.data(ID_ROLE) == ident:
            return item
    return None


def _swatch(color: str, size: int = 12) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(QColor(color))
    return QIcon(pix)


class _Search(QRunnable):
    """``index.search(query)`` on a pool thread (numpy lets go of the GIL); reports back queued."""

    def __init__(self, dock: FilterDock, index: SearchIndex, query: str) -> None:
        super().__init__()
        self._dock, self._index, self._query = dock, index, query

    def run(self) -> None:
        try:
            self._index.search(self._query)  # kept by the index for the window's own call
        finally:
            try:
                self._dock._searched.emit(self._index, self._query)
            except RuntimeError:  # the dock went away meanwhile
                pass


class _SearchKeys(QObject):
    """Enter / Shift+Enter in the search box step through matches instead of doing nothing."""

    def __init__(self, dock: FilterDock) -> None:
        super().__init__(dock)
        self._dock = dock

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self._dock.search.text()
        ):
            event.accept()  # Esc clears the box here, before the window's Esc (clear selection) runs
            return True
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                back = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self._dock.flush_search()  # step through the answer to what is typed now
                self._dock.search_step.emit(-1 if back else 1)
                return True
            if event.key() == Qt.Key.Key_Escape and self._dock.search.text():
                self._dock.search.clear()
                return True
        return False


class FilterDock(QDockWidget):
    filters_changed = Signal(object)  # FilterState
    search_changed = Signal(str)
    search_step = Signal(int)  # +1 next match, -1 previous
    result_picked = Signal(int)  # store index of a match clicked in the results list
    source_changed = Signal(object)  # source id or None
    _searched = Signal(object, str)  # (index, query) from a pool thread: its answer is ready

    LARGE = 200_000  # events from which a query waits for a pause in typing
    PAUSE_MS = 250

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Filters", parent)
        self.setObjectName("filter_dock")
        self._store: EventStore | None = None
        self._index: SearchIndex | None = None
        self._bounds: list[float | None] = [None, None]
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(self.PAUSE_MS)
        self._pause.timeout.connect(self.flush_search)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._running: str | None = None  # the query a pool thread is searching for
        self._searched.connect(self._search_done)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)

        # Search.
        self.search = QLineEdit(body)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search events and sources…")
        self.search.setToolTip(
            "Titles, summaries, excerpts, tags and source names; accents and case are ignored. "
            "Enter: next match, Shift+Enter: previous"
        )
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_edited)
        self.search.installEventFilter(_SearchKeys(self))
        self.search_status = QLabel(body)
        self.search_status.setObjectName("search_status")
        self.search_status.setTextFormat(Qt.TextFormat.PlainText)
        self.search_status.setWordWrap(True)
        self.results = QListWidget(body)
        self.results.setObjectName("search_results")
        self.results.setToolTip("The matches in date order: click one to go to it")
        self.results.setMaximumHeight(150)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.itemActivated.connect(self._result_activated)
        self.results.itemClicked.connect(self._result_activated)
        self.results.hide()
        search_box = QGroupBox("Search", body)
        sl = QVBoxLayout(search_box)
        sl.addWidget(self.search)
        sl.addWidget(self.search_status)
        sl.addWidget(self.results)
        layout.addWidget(search_box)

        # Actors.
        actors_box = QGroupBox("Actors", body)
        al = QVBoxLayout(actors_box)
        self.actor_list = QListWidget(actors_box)
        self.actor_list.setObjectName("actor_list")
        self.actor_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.actor_list.itemChanged.connect(self._emit_filters)
        al.addWidget(self.actor_list)
        row = QHBoxLayout()
        self.all_button = QPushButton("All", actors_box)
        self.all_button.clicked.connect(lambda: self._check_all(True))
        self.none_button = QPushButton("None", actors_box)
        self.none_button.clicked.connect(lambda: self._check_all(False))
        self.match = QComboBox(actors_box)
        self.match.setObjectName("actor_match")
        self.match.addItem("Events with any checked actor", Match.ANY.value)
        self.match.addItem("Events with all checked actors", Match.ALL.value)
        self.match.setToolTip("Show events with any of the checked actors, or only events with all of them")
        self.match.currentIndexChanged.connect(self._emit_filters)
        row.addWidget(self.all_button)
        row.addWidget(self.none_button)
        row.addStretch(1)
        al.addLayout(row)
        al.addWidget(self.match)
        layout.addWidget(actors_box)

        # Date range.
        dates_box = QGroupBox("Dates", body)
        form = QFormLayout(dates_box)
        self.date_from = QLineEdit(dates_box)
        self.date_from.setObjectName("date_from")
        self.date_to = QLineEdit(dates_box)
        self.date_to.setObjectName("date_to")
        for edit, hint in ((self.date_from, "e.g. 2001"), (self.date_to, "e.g. 2011-05")):
            edit.setPlaceholderText(hint)
            edit.setClearButtonEnabled(True)
            edit.textChanged.connect(self._dates_edited)
            edit.editingFinished.connect(self._dates_finished)
        form.addRow("From", self.date_from)
        form.addRow("To", self.date_to)
        layout.addWidget(dates_box)

        # Sources.
        sources_box = QGroupBox("Sources", body)
        srl = QVBoxLayout(sources_box)
        self.support = QComboBox(sources_box)
        self.support.setObjectName("support")
        self.support.addItem("Any number of sources", Support.ANY.value)
        self.support.addItem("2+ independent sources", Support.CORROBORATED.value)
        self.support.addItem("Single source only", Support.SINGLE.value)
        # never wider than the dock: the longest item must not push the panel sideways
        self.support.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.support.setMinimumContentsLength(12)
        self.support.setToolTip(
            "Show only events that two or more independent sources support, or only those resting on one "
            "(a reprint or a second copy of one wire story is not independent). Events whose sources "
            "disagree are counted like the others: the ! badge marks them"
        )
        self.support.currentIndexChanged.connect(self._emit_filters)
        srl.addWidget(self.support)
        self.source_list = QListWidget(sources_box)
        self.source_list.setObjectName("source_list")
        self.source_list.setWordWrap(True)
        self.source_list.setToolTip("Select a source to highlight the events that cite it")
        self.source_list.itemSelectionChanged.connect(self._source_selected)
        self.clear_source_button = QPushButton("Clear", sources_box)
        self.clear_source_button.clicked.connect(self.source_list.clearSelection)
        srl.addWidget(self.source_list)
        srl.addWidget(self.clear_source_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(sources_box, 1)
        # Scrolls rather than forcing the window taller on small screens.
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        self.setWidget(scroll)

    # -- data ---------------------------------------------------------------------------------

    def set_store(
        self,
        store: EventStore | None,
        state: FilterState | None = None,
        citations: SourceCitations | None = None,
        search: SearchIndex | None = None,
    ) -> None:
        """Fill the lists for a new data set, restoring ``state``, without emitting signals.

        With ``search`` (the data set's index), a large data set's queries are answered on a pool
        thread before they are passed on.
        """
        self._store = store
        self._index = search
        self._pause.stop()
        self._running = None
        state = state or FilterState()
        blockers = [
            self.actor_list,
            self.match,
            self.date_from,
            self.date_to,
            self.source_list,
            self.search,
            self.support,
        ]
        for w in blockers:
            w.blockSignals(True)
        try:
            self.actor_list.clear()
            self.source_list.clear()
            self.search.clear()
            self.search_status.clear()
            if store is not None:
                counts = store.actor_counts()
                for k, (ident, name) in enumerate(zip(store.actor_ids, store.actor_names, strict=True)):
                    item = QListWidgetItem(_swatch(store.actor_colors[k]), f"{name} ({int(counts[k])})")
                    item.setData(ID_ROLE, ident)
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(_check(ident not in state.hidden_actors))
                    self.actor_list.addItem(item)
            if citations is not None:
                cited = citations.counts()
                order = sorted(range(len(cited)), key=lambda k: (-cited[k], citations.titles[k].casefold()))
                for k in order:
                    item = QListWidgetItem(f"{citations.titles[k]} ({cited[k]})")
                    item.setData(ID_ROLE, citations.source_ids[k])
                    item.setToolTip(plain_tooltip(citations.titles[k]))
                    self.source_list.addItem(item)
            self._fit_actor_list()
            self.match.setCurrentIndex(1 if state.match is Match.ALL else 0)
            self.support.setCurrentIndex(max(0, self.support.findData(state.support.value)))
            self._bounds = [state.date_from, state.date_to]
            for edit in (self.date_from, self.date_to):
                edit.clear()
                self._mark(edit, None)
        finally:
            for w in blockers:
                w.blockSignals(False)

    def _fit_actor_list(self) -> None:
        """As tall as its rows (up to 14, then it scrolls): the sources list gets the rest."""
        rows = max(3, min(14, self.actor_list.count()))
        row_height = self.actor_list.sizeHintForRow(0) if self.actor_list.count() else self.fontMetrics().height() + 4
        self.actor_list.setFixedHeight(rows * row_height + 2 * self.actor_list.frameWidth() + 4)

    def state(self) -> FilterState:
        hidden = frozenset(
            str(self.actor_list.item(k).data(ID_ROLE))
            for k in range(self.actor_list.count())
            if self.actor_list.item(k).checkState() != Qt.CheckState.Checked
        )
        support = Support(self.support.currentData())
        return FilterState(hidden, Match(self.match.currentData()), self._bounds[0], self._bounds[1], support)

    def actor_item(self, actor_id: str) -> QListWidgetItem | None:
        return _item_with_id(self.actor_list, actor_id)

    def set_actor_checked(self, actor_id: str, checked: bool) -> None:
        item = self.actor_item(actor_id)
        if item is not None:
            item.setCheckState(_check(checked))

    def select_source(self, source_id: str | None) -> None:
        if source_id is None:
            self.source_list.clearSelection()
            return
        item = _item_with_id(self.source_list, source_id)
        if item is not None:
            self.source_list.setCurrentItem(item)
            item.setSelected(True)

    def selected_source(self) -> str | None:
        items = self.source_list.selectedItems()
        return str(items[0].data(ID_ROLE)) if items else None

    def date_texts(self) -> tuple[str | None, str | None]:
        """The From / To entries as typed, where valid (for captions such as "2001–2021")."""
        _values, errors = self._parse()
        texts = [e.text().strip() or None for e in (self.date_from, self.date_to)]
        return (texts[0] if errors[0] is None else None, texts[1] if errors[1] is None else None)

    def set_search_status(self, text: str) -> None:
        self.search_status.setText(text)

    def set_results(self, rows: list[tuple[int, str, str]], more: int = 0) -> None:
        """List the matches ``(store index, date, title)`` under the search box; ``more`` not listed."""
        self.results.clear()
        for index, date, title in rows:
            item = QListWidgetItem(f"{date} · {title}")
            item.setData(ID_ROLE, index)
            item.setToolTip(plain_tooltip(f"{title}\n{date}"))
            self.results.addItem(item)
        if more:
            rest = QListWidgetItem(f"… and {more:,} more (Enter steps through them all)")
            rest.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(rest)
        self.results.setVisible(bool(rows))

    def _result_activated(self, item: QListWidgetItem) -> None:
        index = item.data(ID_ROLE)
        if isinstance(index, int):
            self.result_picked.emit(index)

    def search_pending(self) -> bool:
        """A query is typed but not passed on yet (waiting for a pause, or being searched)."""
        return self._pause.isActive() or self._running is not None

    def flush_search(self) -> None:
        """Pass the query on now (or start searching for it), without waiting any longer."""
        self._pause.stop()
        text = self.search.text()
        if self._index is None or not text.strip() or not self._large():
            self._running = None
            self.search_changed.emit(text)
        elif self._running is None:
            self._running = text
            self.search_status.setText("Searching…")
            self._pool.start(_Search(self, self._index, text))
        # else: a search is under way; when it ends, the text typed by then is searched

    def _large(self) -> bool:
        return self._store is not None and len(self._store) >= self.LARGE

    # -- slots --------------------------------------------------------------------------------

    def _emit_filters(self, *_args: object) -> None:
        self.filters_changed.emit(self.state())

    def _search_edited(self, text: str) -> None:
        if self._large() and text.strip():
            self._pause.start()  # restarts: the query goes once typing pauses
        else:
            self.flush_search()

    def _search_done(self, index: SearchIndex, query: str) -> None:
        if index is not self._index or self._running is None:
            return  # a data set opened meanwhile: its own query is asked afresh
        self._running = None
        if self.search.text() == query:
            self.search_changed.emit(query)  # the index has the answer: the window gets it at once
        elif not self._pause.isActive():
            self.flush_search()  # typed on while it ran, and paused: search what is there now

    def _check_all(self, checked: bool) -> None:
        """All / None. "All" means every event back, in either mode: with "all checked actors"
        it would mean events with every actor at once (none, usually), so it also resets the
        mode to "any" (shown in the box)."""
        self.actor_list.blockSignals(True)
        self.match.blockSignals(True)
        try:
            for k in range(self.actor_list.count()):
                self.actor_list.item(k).setCheckState(_check(checked))
            if checked:
                self.match.setCurrentIndex(0)
        finally:
            self.actor_list.blockSignals(False)
            self.match.blockSignals(False)
        self._emit_filters()

    def show_all_actors(self) -> None:
        """Every actor checked, any-of: the actor filter removed (the chip's ×)."""
        self._check_all(True)

    def clear_dates(self) -> None:
        """Empty From and To (the date chip's ×): applied at once."""
        for edit in (self.date_from, self.date_to):
            edit.clear()
        self._dates_finished()

    def _source_selected(self) -> None:
        self.source_changed.emit(self.selected_source())

    def _parse(self) -> tuple[list[float | None], list[str | None]]:
        values: list[float | None] = [None, None]
        errors: list[str | None] = [None, None]
        for k, edit in enumerate((self.date_from, self.date_to)):
            try:
                values[k] = parse_bound(edit.text(), end=k == 1)
            except DateBoundError as exc:
                errors[k] = str(exc)
        if values[0] is not None and values[1] is not None and values[1] <= values[0] and errors[1] is None:
            errors[1] = "“To” is before “From”."
        return values, errors

    def _dates_edited(self) -> None:
        """Apply at once. An invalid entry counts as no bound ("not applied"); it is marked only
        when editing finishes, so the field does not flash red while a date is being typed."""
        values, errors = self._parse()
        bounds = [v if e is None else None for v, e in zip(values, errors, strict=True)]
        for edit, error in zip((self.date_from, self.date_to), errors, strict=True):
            if error is None:
                self._mark(edit, None)
        if bounds != self._bounds:
            self._bounds = bounds
            self._emit_filters()

    def _dates_finished(self) -> None:
        _values, errors = self._parse()
        for k, edit in enumerate((self.date_from, self.date_to)):
            self._mark(edit, errors[k])

    def _mark(self, edit: QLineEdit, error: str | None) -> None:
        edit.setStyleSheet(INVALID_STYLE if error else "")
        edit.setToolTip(
            plain_tooltip(f"Not applied: {error}")
            if error
            else "A date: YYYY, YYYY-MM or YYYY-MM-DD (BCE years start with -)"
        )
        edit.setProperty("error", error or "")

    def error_text(self, edit: QLineEdit) -> str | None:
        """The reason an entry is marked invalid, or None (for tests and accessibility)."""
        return str(edit.property("error") or "") or None
