"""Each source's standing and each event's corroboration, where the reader sees them: the kind
beside an excerpt's attribution, the status under the event's title, and a filter on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtWidgets import QLabel

from timeline_app.core.corroboration import independent_counts
from timeline_app.core.filtering import Support
from timeline_app.ui.main_window import MainWindow

EVENTS = Path(__file__).resolve().parents[2] / "events.json"


def _select(window: MainWindow, event_id: str) -> list[str]:
    assert window.store is not None
    index = window.store.index_of(event_id)
    assert index is not None
    window.select(index)
    return window.details_dock.texts()


def test_details_show_each_sources_kind_and_the_events_status(window: MainWindow, load: Any) -> None:
    load(window, EVENTS)
    texts = _select(window, "us-approves-imet-resumption-2019")
    (status,) = [w.text() for w in window.details_dock.findChildren(QLabel, "details_corroboration")]
    assert status == "Disputed: sources disagree · 5 independent sources"
    assert texts.index(status) == 2  # under the title and the date
    credits = [w for w in window.details_dock.findChildren(QLabel, "excerpt_attribution")]
    upadhyaya = [w for w in credits if w.text().startswith("— Pakistan: US Approves Military Deal")]
    assert upadhyaya and all(w.text().endswith(" · opinion or analysis") for w in upadhyaya)
    # its standing, a hover away: what its publisher's page says about it
    assert "VT cannot guarantee content validity" in upadhyaya[0].toolTip()
    assert any(w.text().endswith(" · wire copy") for w in credits)  # Reuters via MM News


def test_a_corroborated_event_says_so(window: MainWindow, load: Any) -> None:
    load(window, EVENTS)
    _select(window, "pakistan-nsc-rejects-us-statements-2018")
    (status,) = [w.text() for w in window.details_dock.findChildren(QLabel, "details_corroboration")]
    assert status == "Corroborated: 2 independent sources"
    # two Dawn reports are one publisher: three sources, two independent
    _select(window, "trump-imran-khan-white-house-meeting-2019")
    (status,) = [w.text() for w in window.details_dock.findChildren(QLabel, "details_corroboration")]
    assert status == "Corroborated: 3 sources, 2 independent"


def test_filter_shows_only_corroborated_or_only_single_source_events(window: MainWindow, load: Any) -> None:
    load(window, EVENTS)
    store = window.store
    assert store is not None
    counts = independent_counts(store)
    combo = window.filter_dock.support
    combo.setCurrentIndex(combo.findData(Support.CORROBORATED.value))
    assert window.visible_mask is not None
    assert np.array_equal(window.visible_mask, counts >= 2)
    single = store.index_of("crs-2007-arms-deliveries-1999-2006-claim")
    assert single is not None and not window.visible_mask[single]
    combo.setCurrentIndex(combo.findData(Support.SINGLE.value))
    assert np.array_equal(window.visible_mask, counts <= 1)
    assert window.visible_mask[single] and 0 < int(window.visible_mask.sum()) < len(store)
    # the chip over the timeline says so, and its × undoes it
    assert [(c.key, c.text) for c in window.filter_chips()] == [("support", "single source only")]
    window.remove_filter("support")
    assert combo.currentData() == Support.ANY.value and window.visible_mask is None
    assert window.filter_chips() == []


def test_no_internal_vocabulary_anywhere_in_the_details_panel(window: MainWindow, load: Any) -> None:
    """What the reader sees for every event of the bundled data (issue 13 §3)."""
    import re

    internal = re.compile(r"article[ -]?0\d\d|register d\d|not named in the file|fact sheet", re.IGNORECASE)
    load(window, EVENTS)
    store = window.store
    assert store is not None
    window.select(None)
    seen = list(window.details_dock.texts())  # nothing selected: the data set's description
    for i in range(len(store)):
        window.select(i)
        seen += window.details_dock.texts()
        seen += [w.toolTip() for w in window.details_dock.findChildren(QLabel, "excerpt_attribution")]
    leaks = sorted({m.group(0) for text in seen for m in internal.finditer(text)})
    assert leaks == []
    assert any("Shaheer Ahmed's article" in text for text in seen)
