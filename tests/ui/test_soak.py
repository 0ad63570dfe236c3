"""Thousands of random reader interactions: nothing raises, nothing crashes, memory stays flat.

Each step is one thing a reader does (zoom, pan, toggle an actor, type a search, step through
events, fit all, reload); events are processed every few steps so the view really repaints.
The random seed is fixed, so a failure replays exactly.
"""

from __future__ import annotations

import gc
import os
import random
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from timeline_app.resources import bundled_events
from timeline_app.ui.main_window import MainWindow

SEED = 20260522
PROCESS_EVERY = 16  # a repaint turn costs ~60 ms here (dock rebuild + view + docks painting)
WORDS = ["aid", "raid", "nuclear", "treaty", "drone", "", "pak", "zz-no-match", "é", "<b>"]


def _rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _actions(window: MainWindow, rng: random.Random, reload_weight: int) -> list[tuple[int, Callable[[], Any]]]:
    def pan() -> None:
        x0, x1 = window.view.view_range()
        shift = (x1 - x0) * rng.uniform(-0.8, 0.8)
        window.view.set_view_range(x0 + shift, x1 + shift)

    def toggle_actor() -> None:
        store = window.store
        if store is not None and len(store.actor_ids):
            ident = rng.choice(list(store.actor_ids))
            window.filter_dock.set_actor_checked(ident, ident in window.filter_state.hidden_actors)

    def search() -> None:
        window.filter_dock.search.setText(rng.choice(WORDS))

    def pick_source() -> None:
        citations = window.citations
        ids = list(citations.source_ids) if citations is not None else []
        window.filter_dock.select_source(rng.choice([*ids, None]) if ids else None)

    def click_event() -> None:
        store = window.store
        if store is not None and len(store):
            window.view.event_clicked.emit(rng.randrange(-1, len(store)))

    return [
        (8, window.zoom_in),
        (8, window.zoom_out),
        (14, pan),
        (6, toggle_actor),
        (6, search),
        (2, pick_source),
        (10, window.select_next),
        (10, window.select_previous),
        (4, click_event),
        (2, lambda: window.step_match(rng.choice((1, -1)))),
        (2, window.fit_all),
        (reload_weight, window.reload),
    ]


def _soak(window: MainWindow, steps: int, warmup: int, reload_weight: int) -> tuple[int, int]:
    """Run ``steps`` interactions; return RSS after the warm-up and at the end."""
    rng = random.Random(SEED)
    actions = _actions(window, rng, reload_weight)
    funcs = [f for _w, f in actions]
    weights = [w for w, _f in actions]
    app = QApplication.instance()
    assert app is not None
    start = 0
    for step in range(steps):
        rng.choices(funcs, weights)[0]()
        if step % PROCESS_EVERY == 0:
            app.processEvents()
        if step + 1 == warmup:
            window.loader.wait(30_000)
            app.processEvents()
            gc.collect()
            start = _rss_bytes()
    window.loader.wait(30_000)
    app.processEvents()
    gc.collect()
    return start, _rss_bytes()


def _check(window: MainWindow, start: int, end: int) -> None:
    assert window.messages.errors() == []
    assert window.store is not None and window.isVisible()
    assert end < start * 1.10, f"RSS grew from {start / 2**20:.1f} MiB to {end / 2**20:.1f} MiB"


def test_soak_bundled_data(window: MainWindow, load: Any) -> None:
    load(window, bundled_events())
    start, end = _soak(window, steps=10_000, warmup=1_000, reload_weight=1)
    _check(window, start, end)


@pytest.mark.slow
def test_soak_100k_events(window: MainWindow, load: Any, tmp_path: Path, gen: ModuleType) -> None:
    path = gen.write(100_000, tmp_path / "events-100000.json", seed=1)
    load(window, path)
    # Reloading 100k events is a multi-second background job: rare here, it is covered above.
    start, end = _soak(window, steps=2_000, warmup=400, reload_weight=0)
    _check(window, start, end)
