"""Every event identifiable: each full title appears in a figure as a label or as a key entry.

Checked on the exported SVG's text (the reader's test: a title counts when it stands in one text
item, or split in two consecutive pieces as a two-line label or key entry wraps it), on the PDF's
text, and on the layout's own output (labels and key of the very frame ``render_to`` draws), for
the bundled data and for a 300-event generated set."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from timeline_app.core.build import store_from_timeline
from timeline_app.core.loading import load_timeline
from timeline_app.core.store import EventStore
from timeline_app.export.options import ExportOptions


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _named(title: str, items: list[str]) -> bool:
    t = _norm(title)
    words = t.split(" ")
    blob = " ".join(items)
    return t in blob or any(
        any(" ".join(words[:i]) in x for x in items) and any(" ".join(words[i:]) in x for x in items)
        for i in range(1, len(words))
    )


def _svg_texts(path: Path) -> list[str]:
    return [_norm("".join(e.itertext())) for e in ET.parse(path).getroot().iter() if e.tag.endswith("text")]


def _export(qtbot, store: EventStore, path: Path, width: int, height: int):  # type: ignore[no-untyped-def]
    from timeline_app.export.headless import offscreen_view
    from timeline_app.export.page_texts import page_texts
    from timeline_app.export.writers import export_image

    view = offscreen_view(store, None, None, width, height)
    qtbot.addWidget(view)
    export_image(view, path, ExportOptions.make(width=width, height=height), page_texts(store, None))
    return view


@pytest.fixture(scope="module")
def bundled() -> EventStore:
    from timeline_app.resources import bundled_events

    return store_from_timeline(load_timeline(bundled_events()))


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160), (1123, 794), (1280, 800)])
def test_every_bundled_event_is_named_in_the_svg_text(qtbot, tmp_path: Path, bundled: EventStore, size) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "figure.svg"
    _export(qtbot, bundled, out, *size)
    items = _svg_texts(out)
    missing = [t for t in bundled.titles if not _named(t, items)]
    assert not missing, missing
    cut = [x for x in items if x.endswith("…") and any(_norm(t).startswith(x[:-1]) for t in bundled.titles)]
    assert not cut, cut  # no title is shortened


def test_every_bundled_event_is_named_in_the_a4_pdf(qtbot, tmp_path: Path, bundled: EventStore) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed; .ci/run installs it")
    out = tmp_path / "figure.pdf"
    _export(qtbot, bundled, out, 1123, 794)  # A4 landscape at 96 dpi
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    # pdftotext keeps lines, and a two-line label's halves may share a line with other labels: the
    # title's words appear, in order, within its label or key entry
    text = unicodedata.normalize("NFKC", text)  # the PDF's ligatures ("ﬁ") as letters
    joined = " ".join(_norm(line) for line in text.splitlines() if line.strip())
    missing = [t for t in bundled.titles if not all(w in joined for w in _norm(t).split(" "))]
    assert not missing, missing


def _identified(view, width: int, height: int) -> tuple[set[int], list[int], list[str]]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QRectF

    target = QRectF(0, 0, width, height)
    f = view._render_frame(target)[0]
    ls = view._state.labels(f)
    key = view.label_key(target)
    assert [k.number for k in key] == list(range(1, len(key) + 1))
    return {lab.index for lab in ls.labels}, [k.index for k in key], [lab.text for lab in ls.labels]


@pytest.mark.parametrize("mode", ["primary", "actor", "stream"])
@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160), (1123, 794)])
def test_the_layout_labels_or_numbers_every_bundled_event(qtbot, bundled: EventStore, mode: str, size) -> None:  # type: ignore[no-untyped-def]
    from timeline_app.export.headless import offscreen_view

    view = offscreen_view(bundled, None, None, *size)
    qtbot.addWidget(view)
    view.set_lane_mode(mode)
    labelled, numbered, texts = _identified(view, *size)
    assert labelled.isdisjoint(numbered)
    assert sorted(labelled | set(numbered)) == list(range(len(bundled)))
    assert set(texts) <= {_norm(t) for t in bundled.titles}  # full titles, never cut
    assert len(labelled) >= (5 if mode == "actor" else 10)  # twelve lanes share the height in "actor"


def test_the_layout_labels_or_numbers_every_event_of_a_generated_set(qtbot, gen, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from timeline_app.export.headless import offscreen_view

    path = gen.write(300, tmp_path / "g300.json")
    store = store_from_timeline(load_timeline(path))
    for mode in ("primary", "stream"):
        view = offscreen_view(store, None, None, 1920, 1080)
        qtbot.addWidget(view)
        view.set_lane_mode(mode)
        labelled, numbered, texts = _identified(view, 1920, 1080)
        assert sorted(labelled | set(numbered)) == list(range(len(store))), mode
        assert set(texts) <= {_norm(t) for t in store.titles}
    # the SVG names every labelled event in full, and the key entries it has room for
    out = tmp_path / "g.svg"
    view = _export(qtbot, store, out, 1920, 1080)
    items = _svg_texts(out)
    named = np.array([_named(t, items) for t in store.titles])
    assert named.sum() >= 100


@pytest.mark.parametrize("size", [(1920, 1080), (1123, 794)])
def test_each_label_carries_its_note_numbers_in_the_svg(qtbot, tmp_path: Path, bundled: EventStore, size) -> None:  # type: ignore[no-untyped-def]
    """An exported label ends with its event's note numbers ("[3, 7]"), the very notes the figure
    lists, measured with the label (nothing overlaps), as the key's entries do."""
    from PySide6.QtCore import QRectF

    from timeline_app.export.page import lay_out_figure, note_marks
    from timeline_app.export.page_texts import page_texts

    out = tmp_path / "figure.svg"
    view = _export(qtbot, bundled, out, *size)
    options = ExportOptions.make(width=size[0], height=size[1])
    texts = page_texts(bundled, None)
    notes = texts.notes
    target = lay_out_figure(QRectF(0, 0, *size), view, texts, options).view_rect
    with note_marks(view, texts, options):
        labels = view._state.labels(view._render_frame(target)[0]).labels
    assert view.label_suffix() is None  # the view is left as it was
    assert len(labels) >= (10 if size[0] >= 1920 else 6)  # wider labels: a few more events are numbered
    items = _svg_texts(out)
    listed = {n.number for n in notes.notes}
    for lab in labels:
        marks = notes.marks(lab.index)
        assert marks and lab.lines[-1].endswith(f" {marks}")  # after the title, on its last line
        numbers = _mark_numbers(marks)
        assert numbers == set(notes.numbers(lab.index)) and numbers <= listed
        assert _norm(lab.text) == f"{_norm(bundled.titles[lab.index])} {marks}"  # the full title, then them
        for line in lab.lines:
            assert _norm(line) in items  # drawn as laid out: one text item a line
    rects = [(lab.x, lab.y, lab.x + lab.width, lab.y + lab.height) for lab in labels_geometry(labels)]
    for i, a in enumerate(rects):  # the wider labels still overlap nothing
        assert not any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3] for b in rects[i + 1 :])


def labels_geometry(labels):  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    return [SimpleNamespace(x=r.x(), y=r.y(), width=r.width(), height=r.height()) for r in (lab.rect for lab in labels)]


def _mark_numbers(marks: str) -> set[int]:
    """ "[1, 3–5]" -> {1, 3, 4, 5}."""
    out: set[int] = set()
    for part in marks.strip("[]").split(", "):
        a, _, b = part.partition("–")
        out |= set(range(int(a), int(b or a) + 1))
    return out
