"""Every QAction of the main window in one table, and the menus declared as data.

One place to read (and test) what each command is called, its shortcut and what it runs; the
window only provides the slots named here. Standard keys come from ``QKeySequence.StandardKey``
so each platform gets its own conventions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from ..core.lane_modes import LANE_MODES

SK = QKeySequence.StandardKey
CLEAR_CACHE_TEXT = "Clear Reopen C&ache"


class ActionId(str, Enum):
    OPEN = "open"
    IMPORT_SPREADSHEET = "import_spreadsheet"
    RELOAD = "reload"
    QUIT = "quit"
    CLEAR_RECENT = "clear_recent"
    CLEAR_CACHE = "clear_cache"
    EXPORT_IMAGE = "export_image"
    EXPORT_DATA = "export_data"
    COPY_IMAGE = "copy_image"
    ZOOM_IN = "zoom_in"
    ZOOM_OUT = "zoom_out"
    FIT_ALL = "fit_all"
    SCALE_COMPRESSED = "scale_compressed"
    SCALE_LINEAR = "scale_linear"
    SHOW_OVERVIEW = "show_overview"
    PREVIOUS_EVENT = "previous_event"
    NEXT_EVENT = "next_event"
    CLEAR_SELECTION = "clear_selection"
    FIND = "find"
    SHOW_FILTERS = "show_filters"
    SHOW_DETAILS = "show_details"
    SHOW_PROBLEMS = "show_problems"
    SHOW_LEGEND = "show_legend"
    STORY_MODE = "story_mode"
    FULL_SCREEN = "full_screen"
    THEME_SYSTEM = "theme_system"
    THEME_LIGHT = "theme_light"
    THEME_DARK = "theme_dark"
    FIRST_EVENT = "first_event"
    LAST_EVENT = "last_event"
    GO_TO_DATE = "go_to_date"
    PAN_LEFT = "pan_left"
    PAN_RIGHT = "pan_right"
    HELP = "help"
    ABOUT_DATA = "about_data"
    ABOUT = "about"
    LANES_PRIMARY = "lanes_primary"
    LANES_ACTOR = "lanes_actor"
    LANES_STREAM = "lanes_stream"


@dataclass(frozen=True)
class ActionSpec:
    id: ActionId
    text: str
    shortcuts: tuple[SK | str, ...] = ()
    slot: str | None = None  # a window method, called with no arguments (or `checked` if checkable)
    dock: str | None = None  # a window attribute holding a QDockWidget: the action toggles it
    tip: str = ""
    checkable: bool = False
    group: str | None = None  # checkable actions of one group exclude each other (e.g. the themes)
    value: str | None = None  # the slot is called with this (one choice of a group, e.g. a lane mode)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(ActionId.OPEN, "&Open…", (SK.Open,), "open_dialog", tip="Open a timeline file"),
    ActionSpec(
        ActionId.IMPORT_SPREADSHEET,
        "&Import Spreadsheet…",
        (),
        "import_spreadsheet_dialog",
        tip="Open a spreadsheet, choosing which column holds what",
    ),
    ActionSpec(ActionId.RELOAD, "&Reload", (SK.Refresh, "F5"), "reload", tip="Read the open file again"),
    ActionSpec(ActionId.QUIT, "&Quit", (SK.Quit, "Ctrl+Q"), "close"),
    ActionSpec(ActionId.CLEAR_RECENT, "&Clear Recent Files", (), "clear_recent"),
    ActionSpec(
        ActionId.CLEAR_CACHE,
        CLEAR_CACHE_TEXT,
        (),
        "clear_reopen_cache",
        tip="Delete the kept copies of large files' columns: they open from scratch next time",
    ),
    ActionSpec(
        ActionId.EXPORT_IMAGE, "&Export Image…", ("Ctrl+E",), "export_image", tip="Save the timeline as PNG, SVG or PDF"
    ),
    ActionSpec(
        ActionId.EXPORT_DATA,
        "Export &Data…",
        ("Ctrl+Shift+S",),
        "export_data_dialog",
        tip="Save the data set as Timeline JSON, TimelineJS, CSV or iCalendar",
    ),
    ActionSpec(
        ActionId.COPY_IMAGE,
        "Copy &Image",
        ("Ctrl+Shift+C",),
        "copy_image",
        tip="Copy the current view to the clipboard",
    ),
    ActionSpec(ActionId.ZOOM_IN, "Zoom &In", ("Ctrl+=", SK.ZoomIn), "zoom_in"),
    ActionSpec(ActionId.ZOOM_OUT, "Zoom &Out", ("Ctrl+-", SK.ZoomOut), "zoom_out"),
    ActionSpec(ActionId.FIT_ALL, "&Fit All", ("Ctrl+0", "Home"), "fit_all", tip="Show every event the filters leave"),
    ActionSpec(
        ActionId.SCALE_COMPRESSED,
        "&Compressed Time Scale",
        (),
        "set_compressed_scale",
        checkable=True,
        tip="Squeeze long stretches with no events into marked axis breaks, giving the busy years room",
    ),
    ActionSpec(
        ActionId.SCALE_LINEAR,
        "Li&near Time Scale",
        (),
        "set_linear_scale",
        checkable=True,
        tip="Every year the same width",
    ),
    ActionSpec(
        ActionId.SHOW_OVERVIEW,
        "O&verview Strip",
        (),
        "set_overview_visible",
        checkable=True,
        tip="The whole data set under the timeline, with the current view as a box to drag",
    ),
    ActionSpec(ActionId.PREVIOUS_EVENT, "&Previous Event", ("Left",), "select_previous"),
    ActionSpec(ActionId.NEXT_EVENT, "&Next Event", ("Right",), "select_next"),
    ActionSpec(ActionId.CLEAR_SELECTION, "&Clear Selection", ("Esc",), "clear_selection"),
    ActionSpec(ActionId.FIND, "&Search…", (SK.Find,), "focus_search", tip="Search titles, summaries and sources"),
    ActionSpec(ActionId.SHOW_FILTERS, "&Filters", ("Ctrl+1",), dock="filter_dock"),
    ActionSpec(ActionId.SHOW_DETAILS, "&Details", ("Ctrl+2",), dock="details_dock"),
    ActionSpec(ActionId.SHOW_PROBLEMS, "&Problems", ("Ctrl+3",), dock="problems_dock"),
    ActionSpec(
        ActionId.SHOW_LEGEND,
        "&Legend",
        ("Ctrl+L",),
        "set_legend_visible",
        checkable=True,
        tip="Explain markers, bars, brackets and flags",
    ),
    ActionSpec(
        ActionId.STORY_MODE,
        "&Story Mode",
        ("Ctrl+Return",),
        "set_story_mode",
        checkable=True,
        tip="Read the shown events one at a time, in large type, above the timeline",
    ),
    ActionSpec(ActionId.FULL_SCREEN, "F&ull Screen", (SK.FullScreen, "F11"), "set_full_screen", checkable=True),
    ActionSpec(ActionId.THEME_SYSTEM, "&System", (), "theme_system", checkable=True, group="theme"),
    ActionSpec(ActionId.THEME_LIGHT, "&Light", (), "theme_light", checkable=True, group="theme"),
    ActionSpec(ActionId.THEME_DARK, "&Dark", (), "theme_dark", checkable=True, group="theme"),
    ActionSpec(ActionId.FIRST_EVENT, "&First Event", ("Ctrl+Home",), "select_first"),
    ActionSpec(ActionId.LAST_EVENT, "&Last Event", ("Ctrl+End", "End"), "select_last"),
    ActionSpec(
        ActionId.GO_TO_DATE, "Go to &Date…", ("Ctrl+G",), "go_to_date_dialog", tip="Select the first event on a date"
    ),
    ActionSpec(ActionId.PAN_LEFT, "Pan &Earlier", ("Shift+Left",), "pan_earlier"),
    ActionSpec(ActionId.PAN_RIGHT, "Pan La&ter", ("Shift+Right",), "pan_later"),
    ActionSpec(ActionId.HELP, "Timeline &Help", (SK.HelpContents, "F1"), "show_help", tip="Keys, mouse and marks"),
    ActionSpec(ActionId.ABOUT_DATA, "About This &Data Set", (), "about_data_set"),
    ActionSpec(ActionId.ABOUT, "&About Timeline", (), "about"),
    *(
        ActionSpec(
            ActionId(f"lanes_{mode}"), name, (), "set_lane_mode", tip=tip, checkable=True, group="lanes", value=mode
        )
        for (mode, name), tip in zip(
            LANE_MODES,
            (
                "One lane per actor leading an event; each event once, with all its actors' colours",
                "One lane per actor; a shared event drawn once, with a dot in each of its other actors' lanes",
                "All events in one lane, each in its leading actor's colour",
            ),
            strict=True,
        )
    ),
)

SEPARATOR = "-"


@dataclass(frozen=True)
class Submenu:
    """A submenu the window fills itself (e.g. recent files); ``attr`` names the window attribute."""

    title: str
    attr: str


@dataclass(frozen=True)
class ActionMenu:
    """A submenu of actions from the table, declared here like a menu."""

    title: str
    items: tuple[ActionId | str, ...]


MenuItem = ActionId | Submenu | ActionMenu | str
MENUS: tuple[tuple[str, tuple[MenuItem, ...]], ...] = (
    (
        "&File",
        (
            ActionId.OPEN,
            ActionId.IMPORT_SPREADSHEET,
            Submenu("Open &Recent", "recent_menu"),
            SEPARATOR,
            ActionId.RELOAD,
            ActionId.EXPORT_IMAGE,
            ActionId.EXPORT_DATA,
            SEPARATOR,
            ActionId.QUIT,
        ),
    ),
    ("&Edit", (ActionId.COPY_IMAGE, SEPARATOR, ActionId.FIND)),
    (
        "&View",
        (
            ActionId.STORY_MODE,
            SEPARATOR,
            ActionId.ZOOM_IN,
            ActionId.ZOOM_OUT,
            ActionId.FIT_ALL,
            ActionId.PAN_LEFT,
            ActionId.PAN_RIGHT,
            SEPARATOR,
            ActionId.SCALE_COMPRESSED,
            ActionId.SCALE_LINEAR,
            SEPARATOR,
            ActionId.SHOW_FILTERS,
            ActionId.SHOW_DETAILS,
            ActionId.SHOW_PROBLEMS,
            ActionId.SHOW_LEGEND,
            ActionId.SHOW_OVERVIEW,
            SEPARATOR,
            ActionMenu("La&nes", (ActionId.LANES_PRIMARY, ActionId.LANES_ACTOR, ActionId.LANES_STREAM)),
            ActionMenu("&Theme", (ActionId.THEME_SYSTEM, ActionId.THEME_LIGHT, ActionId.THEME_DARK)),
            ActionId.FULL_SCREEN,
        ),
    ),
    (
        "&Go",
        (
            ActionId.PREVIOUS_EVENT,
            ActionId.NEXT_EVENT,
            SEPARATOR,
            ActionId.FIRST_EVENT,
            ActionId.LAST_EVENT,
            ActionId.GO_TO_DATE,
            SEPARATOR,
            ActionId.CLEAR_SELECTION,
        ),
    ),
    (
        "&Help",
        (
            ActionId.HELP,
            ActionId.ABOUT_DATA,
            SEPARATOR,
            ActionMenu("&Troubleshooting", (ActionId.CLEAR_CACHE,)),
            SEPARATOR,
            ActionId.ABOUT,
        ),
    ),
)


def _sequences(spec: ActionSpec) -> list[QKeySequence]:
    out: list[QKeySequence] = []
    for key in spec.shortcuts:
        seqs = QKeySequence.keyBindings(key) if isinstance(key, SK) else [QKeySequence(key)]
        out.extend(s for s in seqs if not s.isEmpty() and s not in out)
    return out


def create_actions(window: QMainWindow, specs: Sequence[ActionSpec] = ACTIONS) -> dict[ActionId, QAction]:
    """Build (or, for docks, adopt) each action, connect it to its slot and add it to the window,
    so shortcuts work even with the menu bar hidden."""
    actions: dict[ActionId, QAction] = {}
    groups: dict[str, QActionGroup] = {}
    for spec in specs:
        if spec.dock is not None:
            dock: QDockWidget = getattr(window, spec.dock)
            action = dock.toggleViewAction()
            action.setText(spec.text)
        else:
            action = QAction(spec.text, window)
            action.setCheckable(spec.checkable)
            if spec.slot is not None:
                slot = getattr(window, spec.slot)
                if spec.value is not None:
                    action.triggered.connect(lambda _checked=False, s=slot, v=spec.value: s(v))
                elif spec.checkable:
                    action.toggled.connect(slot)
                else:
                    action.triggered.connect(lambda _checked=False, s=slot: s())
        action.setObjectName(f"action_{spec.id.value}")
        action.setShortcuts(_sequences(spec))
        if spec.group is not None:
            group = groups.get(spec.group)
            if group is None:
                group = groups[spec.group] = QActionGroup(window)
                group.setExclusive(True)
            group.addAction(action)
        if spec.tip:
            action.setStatusTip(spec.tip)
            action.setToolTip(spec.tip)
        window.addAction(action)
        actions[spec.id] = action
    return actions


# keys of special keyboards (QKeySequence.StandardKey gives them too): not worth a reader's line
_DEVICE_KEYS = frozenset({"Open", "Refresh", "Find", "Zoom In", "Zoom Out", "Help", "Cancel", "Back", "Forward"})


def shortcut_rows(actions: dict[ActionId, QAction]) -> list[tuple[str, str]]:
    """(command, keys) for every action with a shortcut, in table order: the Help page's list."""
    rows = []
    for spec in ACTIONS:
        action = actions.get(spec.id)
        if action is None or not action.shortcuts():
            continue
        texts = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
        keys = " or ".join(t for t in texts if t and t not in _DEVICE_KEYS)
        rows.append((spec.text.replace("&", "").replace("…", ""), keys))
    return rows


def build_menus(window: QMainWindow, actions: dict[ActionId, QAction]) -> dict[str, QMenu]:
    """Create the menu bar from :data:`MENUS`; submenus are stored on the window under ``attr``."""
    menus: dict[str, QMenu] = {}
    bar = window.menuBar()
    for title, items in MENUS:
        menu = bar.addMenu(title)
        menu.setToolTipsVisible(True)  # e.g. why Export Data is greyed out
        for item in items:
            if item == SEPARATOR:
                menu.addSeparator()
            elif isinstance(item, Submenu):
                setattr(window, item.attr, menu.addMenu(item.title))
            elif isinstance(item, ActionMenu):
                sub = menu.addMenu(item.title)
                sub.setToolTipsVisible(True)
                for sub_item in item.items:
                    if sub_item == SEPARATOR:
                        sub.addSeparator()
                    else:
                        sub.addAction(actions[ActionId(sub_item)])
                menus[item.title.replace("&", "")] = sub
            elif isinstance(item, ActionId):
                menu.addAction(actions[item])
        menus[title.replace("&", "")] = menu
    return menus
