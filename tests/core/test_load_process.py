"""Big files load in a child process: same store, same errors, Cancel kills it, a dead child is reported."""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from timeline_app.core.bulk import LoadCancelled
from timeline_app.core.errors import Issue, TimelineLoadError
from timeline_app.core.load_process import LoaderDied, prepare, prepare_isolated

CORPUS = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def file20k(tmp_path_factory: pytest.TempPathFactory, gen: ModuleType) -> Path:
    return gen.write(20_000, tmp_path_factory.mktemp("iso") / "g20k.json", seed=13)  # ~9 MB: the columnar path


def test_the_child_builds_the_same_store_and_index_as_this_process(file20k: Path) -> None:
    seen: list[float] = []
    child = prepare_isolated(file20k, seen.append)
    here = prepare(file20k)
    assert child.loaded_by not in (0, os.getpid()) and here.loaded_by == os.getpid()
    for col in ("start", "end", "kind", "qualified", "has_discrepancy", "member_ptr", "member_actor"):
        assert np.array_equal(getattr(child.store, col), getattr(here.store, col)), col
    assert list(child.store.titles) == list(here.store.titles) and len(child.store) == 20_000
    assert child.store.excerpt_texts(123) == here.store.excerpt_texts(123)
    for query in ("e", "border", "zzqx", "a b"):
        a, b = child.search.search(query), here.search.search(query)
        assert (a is None and b is None) or (a is not None and b is not None and np.array_equal(a, b)), query
    assert child.citations.counts() == here.citations.counts()
    assert seen and seen == sorted(seen) and seen[-1] == 1.0


@pytest.mark.parametrize("name", ["bad_date_feb_30.json", "bad_duplicate_key.json", "bad_latin1.json"])
def test_errors_cross_over_with_every_line(name: str) -> None:
    with pytest.raises(TimelineLoadError) as here:
        prepare(CORPUS / name)
    with pytest.raises(TimelineLoadError) as child:
        prepare_isolated(CORPUS / name)
    assert child.value.lines() == here.value.lines() and child.value.total == here.value.total


def test_a_load_error_survives_pickling_whole() -> None:
    err = TimelineLoadError("f.json", [Issue("$.a", "bad", 3, 4), Issue("$.b", "worse", 1, 2)], more=7)
    back = pickle.loads(pickle.dumps(err))
    assert back.lines() == err.lines() and back.total == 9 and str(back) == str(err)


def test_cancel_stops_the_child_at_once(file20k: Path) -> None:
    asked: list[float] = []
    with pytest.raises(LoadCancelled):
        prepare_isolated(file20k, asked.append, cancelled=lambda: bool(asked))
    assert asked and asked[-1] < 1.0  # stopped before the store came back


def test_a_child_that_dies_is_reported_not_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file20k: Path
) -> None:
    dying = tmp_path / "dying-python"
    dying.write_text("#!/bin/sh\necho 'MemoryError: simulated' >&2\nexit 3\n", encoding="utf-8")
    dying.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(dying))
    with pytest.raises(LoaderDied, match=r"exit code 3.*MemoryError: simulated"):
        prepare_isolated(file20k)


def test_the_hand_over_folder_is_removed_whatever_happens(
    file20k: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import timeline_app.core.load_process as lp

    monkeypatch.setattr(lp, "_HANDOFF_DIR", str(tmp_path))
    prepare_isolated(file20k)
    with pytest.raises(TimelineLoadError):
        prepare_isolated(CORPUS / "bad_date_feb_30.json")
    asked: list[float] = []
    with pytest.raises(LoadCancelled):
        prepare_isolated(file20k, asked.append, cancelled=lambda: bool(asked))
    assert list(tmp_path.iterdir()) == []  # no result files left behind
