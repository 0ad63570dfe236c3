"""Image export: the options and texts (Qt-free), then real PNG/SVG/PDF files drawn through the
real TimelineView offscreen, the atomic write, the dialog and Copy Image."""

from __future__ import annotations

import errno
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from timeline_app.core.build import store_from_timeline
from timeline_app.core.filtering import FilterState, compute, lane_mask
from timeline_app.core.loading import load_timeline
from timeline_app.core.store import EventStore
from timeline_app.export.notes import build_notes
from timeline_app.export.options import ExportError, ExportOptions, ImageFormat, format_from_path
from timeline_app.export.texts import filter_caption, legend_entries

US, PK, CN = "#0072B2", "#D55E00", "#E69F00"

TIMELINE = {
    "schema_version": 1,
    "title": "Export fixture <b>bold?</b>",
    "actors": [
        {"id": "us", "name": "United States", "color": US},
        {"id": "pakistan", "name": "Pakistan", "color": PK},
        {"id": "china", "name": "China", "color": CN},
    ],
    "sources": [
        {"id": "s-dawn", "title": "Accord signed", "publisher": "Dawn"},
        {"id": "s-news", "title": "Deal announced", "publisher": "The News"},
        {"id": "s-wire", "title": "Strike report", "publisher": "Wire Service"},
    ],
    "events": [
        {
            "id": "e1",
            "title": "Alpha accord",
            "start": "2001-09-19",
            "actors": ["pakistan"],
            "excerpts": [{"source": "s-dawn", "quote": "An accord was signed."}],
        },
        {
            "id": "e2",
            "title": "Bravo strike",
            "start": "2011-05-02",
            "actors": ["us"],
            "excerpts": [{"source": "s-wire", "quote": "A strike took place."}],
        },
        {
            "id": "e3",
            "title": "Charlie deal",
            "start": "2015-04",
            "actors": ["pakistan", "china"],
            "excerpts": [{"source": "s-news", "quote": "A deal."}, {"source": "s-dawn", "quote": "Also a deal."}],
        },
        {"id": "e4", "title": "Delta programme", "start": "2003", "end": "2009", "actors": ["us"]},
        {"id": "e5", "title": "Echo talks", "start": "2019-07-22", "actors": ["pakistan"]},
    ],
}


def _write_timeline(folder: Path) -> Path:
    data = json.loads(json.dumps(TIMELINE))
    for e in data["events"]:
        e.setdefault("summary", f"Summary of {e['title']}.")
    path = folder / "fixture.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> EventStore:
    return store_from_timeline(load_timeline(_write_timeline(tmp_path)))


def _only(store: EventStore, actor: str) -> np.ndarray:
    hidden = frozenset(a for a in store.actor_ids if a != actor)
    return compute(store, FilterState(hidden_actors=hidden))


# -- Qt-free: formats, options, texts ----------------------------------------------------------------


def test_format_follows_the_extension_in_any_case() -> None:
    assert format_from_path("a/b.PNG") is ImageFormat.PNG
    assert format_from_path("x.svg") is ImageFormat.SVG
    assert format_from_path("x.Pdf") is ImageFormat.PDF
    for bad in ("x.jpg", "x", "x.png.tmp"):
        with pytest.raises(ExportError, match=r"\.png, \.svg or \.pdf"):
            format_from_path(bad)


def test_options_refuse_absurd_sizes_with_a_sentence() -> None:
    with pytest.raises(ExportError, match="too large"):
        ExportOptions.make(width=20000, height=20000, scale=3)
    with pytest.raises(ExportError, match="width"):
        ExportOptions.make(width=10)
    opts = ExportOptions.make(width=1920, height=1080, scale=2)
    assert opts.pixel_size(ImageFormat.PNG) == (3840, 2160)
    assert opts.pixel_size(ImageFormat.SVG) == (1920, 1080)
    assert opts.dpi_of(ImageFormat.PNG) == 192


def test_caption_says_what_is_filtered() -> None:
    caption = filter_caption(
        actor_names=["Pakistan"], total_actors=12, date_from="2001", date_to="2021", shown=18, total=33
    )
    assert caption == "Actors: Pakistan · 2001–2021 · 18 of 33 events"
    assert filter_caption(actor_names=None, total_actors=3, shown=5, total=5) == "All 5 events"
    searched = filter_caption(actor_names=None, total_actors=3, search=" drone ", matches=2, shown=5, total=5)
    assert searched == "Search: “drone” (2 matches) · 5 of 5 events"
    both = filter_caption(actor_names=["A", "B"], total_actors=3, match="all", date_from="2011-05", shown=1, total=5)
    assert both == "Actors (all of): A and B · from May 2011 · 1 of 5 events"


def test_legend_and_notes_follow_the_shown_events(store: EventStore) -> None:
    pakistan = _only(store, "pakistan")
    assert [name for name, _ in legend_entries(store, pakistan)] == ["Pakistan", "China"]
    assert [name for name, _ in legend_entries(store, None)] == ["United States", "Pakistan", "China"]
    # Numbered in reading order: the 2001 accord cites Dawn, the 2015 deal The News (and Dawn
    # again, which keeps its number); the US-only wire report is not in a Pakistan-only figure.
    notes = build_notes(store, pakistan)
    assert [n.text for n in notes.notes] == ["“Accord signed.” Dawn, n.d.", "“Deal announced.” The News, n.d."]
    charlie = store.ids.index("e3")
    assert notes.marks(charlie) == "[1, 2]" and notes.marks(store.ids.index("e5")) == ""


# -- Qt: real files through the real view --------------------------------------------------------------

qt = pytest.importorskip("PySide6")


def _export(qtbot, store: EventStore, path: Path, visible=None, caption: str = "", lanes=None, **opts):  # type: ignore[no-untyped-def]
    from timeline_app.export.headless import offscreen_view
    from timeline_app.export.page_texts import page_texts
    from timeline_app.export.writers import export_image

    options = ExportOptions.make(**opts)
    view = offscreen_view(store, visible, None, options.width, options.height, lanes=lanes)
    qtbot.addWidget(view)
    return export_image(view, path, options, page_texts(store, visible, caption=caption, lanes=lanes))


def _load_image(path: Path):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull()
    return image.convertToFormat(QImage.Format.Format_RGB32)


def _pixels(image) -> np.ndarray:  # type: ignore[no-untyped-def]
    """An (h, w, 3) uint8 RGB array of an RGB32 image."""
    w, h = image.width(), image.height()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return raw.reshape(h, image.bytesPerLine() // 4, 4)[:, :w, 2::-1].copy()


def _near(px: np.ndarray, hex_color: str, tol: int = 40) -> np.ndarray:
    """Pixels of an actor's colour as drawn on the light background (the theme may deepen a pale hue)."""
    from timeline_app.ui.theme import Theme

    c = Theme.from_palette().fill(hex_color)
    rgb = np.array([c.red(), c.green(), c.blue()], dtype=np.int32)
    return np.abs(px.astype(np.int32) - rgb).max(axis=2) <= tol


def test_png_has_the_asked_size_and_dpi_and_draws_events(qtbot, store: EventStore, tmp_path: Path) -> None:
    out = tmp_path / "all.png"
    result = _export(qtbot, store, out, width=1280, height=720, scale=2, fixed_size=True)
    assert result.format is ImageFormat.PNG and (result.width, result.height) == (2560, 1440)
    image = _load_image(out)
    assert (image.width(), image.height()) == (2560, 1440)
    assert round(image.dotsPerMeterX() * 0.0254) == 192
    px = _pixels(image)
    background = px[5, 5]
    body = px[int(0.18 * px.shape[0]) : int(0.9 * px.shape[0])]  # below the legend, above the footer
    assert (np.abs(body.astype(int) - background).max(axis=2) > 30).mean() > 0.002  # something is drawn
    for colour in (US, PK, CN):
        assert _near(body, colour, 30).sum() > 50, colour  # each actor's events in its colour


def test_pakistan_only_png_has_no_us_colour(qtbot, store: EventStore, tmp_path: Path) -> None:
    out = tmp_path / "pk.png"
    pakistan = _only(store, "pakistan")
    _export(qtbot, store, out, visible=pakistan, caption="Actors: Pakistan", width=1600, height=900)
    px = _pixels(_load_image(out))
    assert _near(px, PK, 30).sum() > 100
    assert _near(px, US, 30).sum() == 0  # not in the lanes, not in the legend
    assert _near(px, CN, 30).sum() > 20  # China shares a shown event


def test_svg_is_xml_with_text_as_text(qtbot, store: EventStore, tmp_path: Path) -> None:
    out = tmp_path / "t.svg"
    _export(qtbot, store, out, caption="All 5 events", width=1920, height=1080, notes=False)
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg") and (root.get("width"), root.get("height")) == ("1920px", "1080px")
    texts = " ".join("".join(t.itertext()) for t in root.iter() if t.tag.endswith("text"))
    assert "Export fixture <b>bold?</b>" in texts  # the title, literally
    assert "All 5 events" in texts
    for name in ("United States", "Pakistan", "China"):
        assert name in texts
    for title in ("Alpha accord", "Bravo strike", "Charlie deal", "Echo talks"):
        assert title in texts


def test_pdf_is_one_page_with_embedded_fonts(qtbot, store: EventStore, tmp_path: Path) -> None:
    out = tmp_path / "t.pdf"
    result = _export(qtbot, store, out, width=1123, height=794, page="A4", notes=False)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) == 1
    assert b"/FontFile" in data
    assert (result.width, result.height) in ((1122, 793), (1123, 794))  # A4 landscape at 96 dpi


def test_unwritable_targets_fail_cleanly(qtbot, store: EventStore, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        _export(qtbot, store, tmp_path / "missing" / "x.png", width=400, height=300)
    (tmp_path / "adir.png").mkdir()
    with pytest.raises(ExportError, match="folder"):
        _export(qtbot, store, tmp_path / "adir.png", width=400, height=300)
    (tmp_path / "afile").write_text("x")
    with pytest.raises(ExportError, match="not a folder"):
        _export(qtbot, store, tmp_path / "afile" / "x.svg", width=400, height=300)
    assert not (tmp_path / "missing").exists()


def test_failed_write_keeps_the_old_file_and_leaves_no_partial(
    qtbot, store: EventStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "keep.png"
    out.write_bytes(b"previous export")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)  # fails after the bytes went to the temporary file
    with pytest.raises(ExportError, match="No space left"):
        _export(qtbot, store, out, width=400, height=300)
    assert out.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixture.json", "keep.png"]


def test_failed_drawing_keeps_the_old_file(
    qtbot, store: EventStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from timeline_app.ui.timeline_view import TimelineView

    out = tmp_path / "keep.pdf"
    out.write_bytes(b"%PDF old")

    def broken(self, painter, target):  # type: ignore[no-untyped-def]
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(TimelineView, "render_to", broken)
    with pytest.raises(RuntimeError):
        _export(qtbot, store, out, width=400, height=300)
    assert out.read_bytes() == b"%PDF old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixture.json", "keep.pdf"]


# -- the dialog and Copy Image --------------------------------------------------------------------------


def _live_view(qtbot, store: EventStore):  # type: ignore[no-untyped-def]
    from timeline_app.ui.timeline_view import TimelineView

    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.set_store(store)
    return view


def test_dialog_exports_and_remembers_choices(qtbot, store: EventStore, tmp_path: Path) -> None:
    from timeline_app.ui.export_dialog import ExportDialog

    view = _live_view(qtbot, store)
    dialog = ExportDialog(None, view, store, lambda: "All 5 events")
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.path_edit.setText(str(tmp_path / "dlg.svg"))
    assert not dialog.scale_combo.isEnabled()  # scale is for PNG only
    dialog.size_combo.setCurrentIndex(dialog.size_combo.findData("custom"))
    dialog.width_spin.setValue(1000)
    dialog.height_spin.setValue(600)
    dialog.whole_radio.setChecked(True)
    before = view.view_range()
    with qtbot.waitSignal(dialog.exported) as sig:
        dialog.export_button.click()
    assert sig.args[0].path == tmp_path / "dlg.svg"
    assert (tmp_path / "dlg.svg").read_text(encoding="utf-8").count("All 5 events") >= 1
    assert view.view_range() == pytest.approx(before)  # "whole timeline" did not move the reader's view
    assert not dialog.isVisible()

    remembered = dialog.choices()
    assert remembered["suffix"] == ".svg" and remembered["scope"] == "all"
    assert (remembered["width"], remembered["height"]) == (1000, 600)
    again = ExportDialog(None, view, store, "", choices=remembered)
    qtbot.addWidget(again)
    assert again.path_edit.text().endswith(".svg") and again.whole_radio.isChecked()
    assert (again.width_spin.value(), again.height_spin.value()) == (1000, 600)
    odd = ExportDialog(None, view, store, "", choices={"preset": 7, "scale": "x", "folder": 3})
    qtbot.addWidget(odd)
    assert odd.size_combo.currentData() == "slide" and odd.scale_combo.currentData() == 1.0


def test_dialog_reports_a_failure_and_stays_open(qtbot, store: EventStore, tmp_path: Path) -> None:
    from timeline_app.ui.export_dialog import ExportDialog

    view = _live_view(qtbot, store)
    dialog = ExportDialog(None, view, store, "")
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.path_edit.setText(str(tmp_path / "nope" / "x.png"))
    with qtbot.waitSignal(dialog.failed) as sig:
        dialog.export_button.click()
    assert "does not exist" in sig.args[0]
    assert dialog.isVisible() and "does not exist" in dialog.error_label.text()
    dialog.path_edit.setText(str(tmp_path / "x.jpg"))
    assert not dialog.export_button.isEnabled()


def test_copy_image_puts_the_view_on_the_clipboard(qtbot, store: EventStore) -> None:
    from PySide6.QtGui import QGuiApplication

    from timeline_app.ui.export_dialog import copy_image_to_clipboard

    view = _live_view(qtbot, store)
    image = copy_image_to_clipboard(view)
    pasted = QGuiApplication.clipboard().image()
    assert not pasted.isNull()
    assert (pasted.width(), pasted.height()) == (image.width(), image.height())
    assert image.width() >= 900 and image.height() >= 500


def _synthetic(n: int, seed: int = 7) -> EventStore:
    """``n`` instants over 20 years in 4 lanes, built as columns (as a bulk load would be)."""
    rng = np.random.default_rng(seed)
    start = np.sort(rng.uniform(11000, 18300, n)).round()
    actors = rng.integers(0, 4, n).astype(np.int32)
    return EventStore(
        title=f"{n} synthetic events",
        start=start,
        end=start + 1,
        kind=np.zeros(n, np.int8),
        qualified=np.zeros(n, bool),
        has_discrepancy=np.zeros(n, bool),
        ids=[f"e{i}" for i in range(n)],
        titles=[f"Event {i}" for i in range(n)],
        date_texts=["" for _ in range(n)],
        actor_ids=["a", "b", "c", "d"],
        actor_names=["A", "B", "C", "D"],
        actor_colors=[US, PK, CN, "#009e73"],
        member_ptr=np.arange(n + 1, dtype=np.int64),
        member_actor=actors,
    )


def test_svg_size_is_bounded_by_what_is_visible_not_by_the_event_count(qtbot, tmp_path: Path) -> None:
    sizes = {}
    for n in (2_000, 60_000):
        out = tmp_path / f"n{n}.svg"
        _export(qtbot, _synthetic(n), out, width=1920, height=1080)
        ET.parse(out)  # still well-formed
        sizes[n] = out.stat().st_size
    assert sizes[60_000] < 2_000_000
    assert sizes[60_000] < 3 * sizes[2_000]  # 30× the events, not 30× the bytes


def test_pakistan_only_export_of_the_bundled_data_draws_no_mark_in_us_colour(qtbot, tmp_path: Path) -> None:
    """In lanes by every actor, filtered to Pakistan, no mark is drawn in the US colour: the US
    shows only in the thin actor stripes of the shared events' labels (each mark names all its
    actors since every event is drawn once). Replaces "no US colour at all", which pinned the old
    copies of each event in every lane."""
    from timeline_app.export.headless import offscreen_view
    from timeline_app.export.page_texts import page_texts
    from timeline_app.export.writers import export_image
    from timeline_app.resources import bundled_events

    store = store_from_timeline(load_timeline(bundled_events()))
    out = tmp_path / "pk.png"
    hidden = frozenset(a for a in store.actor_ids if a != "pakistan")
    lanes = lane_mask(store, FilterState(hidden_actors=hidden))
    visible = _only(store, "pakistan")
    options = ExportOptions.make(width=1920, height=1080)
    view = offscreen_view(store, visible, None, 1920, 1080, lanes=lanes)
    qtbot.addWidget(view)
    view.set_lane_mode("actor")
    export_image(view, out, options, page_texts(store, visible, lanes=lanes))
    px = _pixels(_load_image(out))
    pk, us = _near(px, "#D55E00", 30).sum(), _near(px, "#0072B2", 30).sum()
    assert pk > 200
    assert us < 0.15 * pk, (us, pk)
    c = view._state.copies(view._render_frame(view.rect())[0])
    assert store.actor_ids.index("us") not in c.color.tolist()


def test_svg_margins_stay_clear_of_bars_cut_by_the_view(qtbot, store: EventStore, tmp_path: Path) -> None:
    """SVG Tiny cannot clip, so a span running past the view's edges must not show in the margins."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    from timeline_app.export.headless import offscreen_view
    from timeline_app.export.page_texts import page_texts
    from timeline_app.export.writers import export_image

    options = ExportOptions.make(width=1000, height=600, notes=False)
    view = offscreen_view(store, None, None, 1000, 600, x_range=(12784.0, 13514.0))  # inside the 2003–2009 bar
    qtbot.addWidget(view)
    out = tmp_path / "cut.svg"
    export_image(view, out, options, page_texts(store, None))
    image = QImage(1000, 600, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFF)
    painter = QPainter(image)
    QSvgRenderer(str(out)).render(painter, QRectF(0, 0, 1000, 600))
    painter.end()
    px = _pixels(image)
    assert _near(px, US, 30).sum() > 500  # the bar is drawn across the view
    assert _near(px[:, 985:], US, 30).sum() == 0  # but not into the right margin
    assert _near(px[:, :8], US, 30).sum() == 0  # nor the left one
