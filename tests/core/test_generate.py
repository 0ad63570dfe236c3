"""Synthetic data: deterministic, valid for our loader, shaped like the issue asks."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from types import ModuleType

from timeline_app.core.loading import loads_timeline


def test_same_seed_same_document_other_seed_differs(gen: ModuleType) -> None:
    assert gen.generate(300, seed=4) == gen.generate(300, seed=4)
    assert gen.generate(300, seed=4) != gen.generate(300, seed=5)


def test_file_written_equals_generate_and_is_valid(tmp_path: Path, gen: ModuleType) -> None:
    path = gen.write(1000, tmp_path / "g.json", seed=2)
    text = path.read_text(encoding="utf-8")
    assert json.loads(text) == gen.generate(1000, seed=2)
    timeline = loads_timeline(text, str(path))  # every semantic check of the real loader
    assert len(timeline.events) == 1000


def test_shape_matches_the_issue(gen: ModuleType) -> None:
    doc = gen.generate(4000, seed=1)
    events = doc["events"]
    n = len(events)
    assert 6 <= len(doc["actors"]) <= 10
    assert len(doc["eras"]) >= 3
    assert Counter(len(e["actors"]) for e in events).keys() <= {1, 2, 3}
    spans = sum("end" in e for e in events) / n
    assert 0.25 < spans < 0.35
    coarse = sum(len(e["start"].rstrip("~?%")) < 10 for e in events) / n
    assert 0.15 < coarse < 0.25
    qualified = sum(e["start"][-1] in "~?%" for e in events) / n
    assert 0.01 < qualified < 0.08
    assert all(20 <= len(e["title"]) <= 90 for e in events)
    assert all(1 <= len(e["excerpts"]) <= 2 for e in events)
    years = sorted(int(e["start"][:4]) for e in events)
    assert years[-1] - years[0] >= 30  # several decades
    assert any(not e["title"].isascii() for e in events)  # some accented words


def test_cli_writes_the_file(tmp_path: Path, gen: ModuleType) -> None:
    out = tmp_path / "cli.json"
    assert gen.main(["50", "-o", str(out), "--seed", "3"]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == gen.generate(50, seed=3)
