"""Publication-grade exports of the bundled data, as a user makes them: every cited source in full,
a truthful title, page presets, several pages, metadata in every format, and no missing glyphs."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from timeline_app.core.build import store_from_timeline
from timeline_app.core.loading import load_timeline
from timeline_app.core.store import EventStore
from timeline_app.export.notes import build_notes
from timeline_app.export.presets import options_for

pytest.importorskip("PySide6")

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
EVENTS = ROOT / "events.json"
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "timeline_app", "export", str(EVENTS), *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


@pytest.fixture(scope="module")
def bundled() -> EventStore:
    return store_from_timeline(load_timeline(EVENTS))


def _svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()
    return "\n".join("".join(t.itertext()) for t in root.iter() if t.tag.endswith("text"))


def _pdf_text(path: Path, *pages: int) -> str:
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(["pdftotext", *span, str(path), "-"], capture_output=True, text=True, check=True).stdout


def _pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


# -- sources in full ------------------------------------------------------------------------------------------


@needs_poppler
def test_a4_pdf_holds_every_cited_source_in_full(tmp_path: Path, bundled: EventStore) -> None:
    out = tmp_path / "whole.pdf"
    proc = _cli("-o", str(out), cwd=tmp_path)  # a PDF is A4 landscape by default
    assert proc.returncode == 0, proc.stderr
    info = _pdf_info(out)
    assert info["Page size"].endswith("(A4)") and int(info["Pages"]) >= 3  # the figure, then "Sources"
    text = _flat(_pdf_text(out))
    notes = build_notes(bundled, None)
    timeline = load_timeline(EVENTS)
    assert len(notes.notes) == len(
        {x.source for e in timeline.events for x in e.excerpts}
        | {s for e in timeline.events for d in e.discrepancies for s in d.sources}
    )
    for note in notes.notes:
        for source in note.sources:
            assert _flat(source.title) in text, source.title
            if source.url:
                assert _flat(source.url) in text, source.url
    # nothing in the notes is cut: the only "…" are the data's own (titles a source gave cut)
    in_data = sum(n.text.count("…") for n in notes.notes) + sum(d.text.count("…") for d in notes.disagreements)
    assert _pdf_text(out, 2, int(info["Pages"])).count("…") == in_data
    assert "sourcesdisagreeonthedate" in text


def test_1080p_png_lists_every_cited_source_in_its_notes_panel(qtbot, tmp_path: Path, bundled: EventStore) -> None:
    from PySide6.QtGui import QImage

    from timeline_app.export.fonts import Fonts
    from timeline_app.export.headless import offscreen_view
    from timeline_app.export.notes_layout import notes_panel
    from timeline_app.export.page_texts import page_texts
    from timeline_app.export.writers import export_image

    options = options_for(None, size="slide")
    view = offscreen_view(bundled, None, None, options.width, options.height)
    qtbot.addWidget(view)
    texts = page_texts(bundled, None, x_range=view.view_range())
    height, layout = notes_panel(1920, texts.notes, Fonts.for_page(1920, 1080, options))
    assert layout is not None
    laid = {lead: _flat(text) for lead, text in layout.paragraphs()}  # the layout's own note list
    for note in texts.notes.notes:
        assert laid[f"{note.number}."] == _flat(note.text)
    result = export_image(view, tmp_path / "slide.png", options, texts)
    image = QImage(str(result.path))
    assert (image.width(), image.height()) == (1920, 1080 + round(height))  # grown by the panel
    svg = export_image(view, tmp_path / "slide.svg", options, texts)
    svg_text = _flat(_svg_text(svg.path))
    for note in texts.notes.notes:
        assert _flat(note.text) in svg_text


def test_an_exact_size_image_writes_its_notes_beside_it(tmp_path: Path, bundled: EventStore) -> None:
    out = tmp_path / "card.png"
    proc = _cli("-o", str(out), "--size", "social", "--exact-size", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    side = tmp_path / "card-sources.txt"
    assert f"in {side}" in proc.stdout
    text = side.read_text(encoding="utf-8")
    assert (
        text.count("\n82. ") == 1
        and "https://www.dawn.com/news/1625604/no-us-military-or-air-base-in-pakistan-fo" in text
    )


# -- the title -------------------------------------------------------------------------------------------------


def test_a_filtered_export_is_titled_with_its_span_and_says_its_filter(tmp_path: Path) -> None:
    out = tmp_path / "f.svg"
    proc = _cli("-o", str(out), "--from", "2018", "--to", "2020", "--search", "IMET", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    root = ET.parse(out).getroot()
    title = next(t for t in root.iter() if t.tag.endswith("title")).text
    assert title == "US–Pakistan military relations, 2018–2020"
    text = _svg_text(out)
    assert "US–Pakistan military relations, 2018–2020" in text and "2001–2021" not in text.splitlines()[0]
    assert "2018–2020 · Search: “IMET”" in text


# -- presets and pages ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "extra", "pixels"),
    [
        ("slide", (), (1920, 1080)),
        ("4k", (), (3840, 2160)),
        ("social", (), (1200, 675)),
        ("a4-portrait", (), (794, 1123)),
        ("a4-landscape", ("--dpi", "300"), (3508, 2480)),
    ],
)
def test_each_preset_writes_its_pixel_size(
    tmp_path: Path, size: str, extra: tuple[str, ...], pixels: tuple[int, int]
) -> None:
    out = tmp_path / f"{size}.png"
    proc = _cli("-o", str(out), "--size", size, "--exact-size", *extra, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == pixels


@needs_poppler
def test_a_long_timeline_across_several_pages_repeats_the_axis(tmp_path: Path) -> None:
    out = tmp_path / "wide.pdf"
    proc = _cli("-o", str(out), "--pages-wide", "3", "--no-notes", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert _pdf_info(out)["Pages"] == "3"
    years = []
    for page in (1, 2, 3):
        text = _pdf_text(out, page)
        assert f"page {page} of 3" in text
        # axis ticks: "2019" or "Jan 2019", on lines of their own
        shown = sorted(int(y) for y in re.findall(r"(?m)^(?:[A-Z][a-z]{2} )?((?:19|20)\d\d)$", text))
        assert shown, f"page {page} has no axis"
        years.append(shown)
    assert years[0][-1] <= years[1][0] and years[1][-1] <= years[2][0]  # consecutive stretches
    with_notes = tmp_path / "wide-notes.pdf"
    assert _cli("-o", str(with_notes), "--pages-wide", "3", cwd=tmp_path).returncode == 0
    assert int(_pdf_info(with_notes)["Pages"]) > 3


# -- metadata -------------------------------------------------------------------------------------------------------


@needs_poppler
def test_every_format_carries_title_filter_version_and_data_hash(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    from timeline_app import __version__

    sha = hashlib.sha256(EVENTS.read_bytes()).hexdigest()
    args = ("--actor", "pakistan", "--from", "2018")
    for name in ("m.png", "m.svg", "m.pdf"):
        proc = _cli("-o", str(tmp_path / name), *args, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    png = QImage(str(tmp_path / "m.png"))
    assert png.text("Data SHA-256") == sha
    assert png.text("Data set") == "US–Pakistan military relations, 2001–2021"
    assert png.text("Filter").startswith("Actors: Pakistan · from 2018")
    assert png.text("Software") == f"timeline-app {__version__}"
    svg = (tmp_path / "m.svg").read_text(encoding="utf-8")
    meta = ET.parse(tmp_path / "m.svg").getroot().find("{http://www.w3.org/2000/svg}metadata")
    assert meta is not None
    dc = {el.tag.rpartition("}")[2]: el.text for el in meta.iter()}
    assert dc["source"] == f"urn:sha256:{sha}" and dc["creator"] == f"timeline-app {__version__}"
    assert dc["description"].startswith("Actors: Pakistan · from 2018") and "events.json" in svg
    info = _pdf_info(tmp_path / "m.pdf")
    assert info["Title"].startswith("US–Pakistan military relations, 20")
    assert info["Creator"] == f"timeline-app {__version__}"
    assert info["Keywords"] == f"sha256:{sha}"
    assert "Filter: Actors: Pakistan · from 2018" in info["Subject"]
    assert "Data set: US–Pakistan military relations, 2001–2021" in info["Subject"]


# -- no missing glyphs ---------------------------------------------------------------------------------------------

SCRIPTS = "中华人民共和国 العربية 😀🌍"


def _glyph_image(text: str, font):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QImage, QPainter

    image = QImage(96, 64, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(0xFF000000)
    painter.drawText(QPointF(8, 48), text)
    painter.end()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes()).reshape(64, 96, 4)
    return raw.copy()


def test_chinese_arabic_and_emoji_titles_draw_no_missing_glyph_box(qtbot, tmp_path: Path) -> None:
    from timeline_app.export.fonts import Fonts
    from timeline_app.export.glyphs import missing_glyphs
    from timeline_app.export.headless import offscreen_view
    from timeline_app.export.page_texts import page_texts
    from timeline_app.export.writers import export_image

    font = Fonts.at(1.0).title
    box = _glyph_image("\U0010fffd", font)  # a character no font has: the missing-glyph box
    assert (box < 128).any(), "the missing-glyph box draws something to compare with"
    for ch in SCRIPTS.replace(" ", ""):
        drawn = _glyph_image(ch, font)
        assert (drawn < 200).any(), f"{ch!r} draws nothing"
        assert not np.array_equal(drawn, box), f"{ch!r} (U+{ord(ch):04X}) is drawn as a missing-glyph box"
    assert missing_glyphs(SCRIPTS, [font]) == []
    assert missing_glyphs("a\U0010fffdb", [font]) == ["\U0010fffd"]

    store = store_from_timeline(load_timeline(EVENTS))
    view = offscreen_view(store, None, None, 1200, 675)
    qtbot.addWidget(view)
    options = options_for(None, size="social", fixed_size=True, title=SCRIPTS)
    result = export_image(view, tmp_path / "scripts.png", options, page_texts(store, None, title=SCRIPTS))
    assert "missing_glyphs" not in result.extra
    bad = options_for(None, size="social", fixed_size=True, title="Tofu \U0010fffd")
    result = export_image(view, tmp_path / "tofu.png", bad, page_texts(store, None, title="Tofu \U0010fffd"))
    assert "U+10FFFD" in result.extra["missing_glyphs"] and "install" in result.extra["missing_glyphs"].lower()


def test_the_command_line_warns_on_stderr_about_characters_no_font_has(tmp_path: Path) -> None:
    proc = _cli("-o", str(tmp_path / "t.png"), "--title", "Tofu \U0010fffd", "--exact-size", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "warning: no installed font can draw 1 character" in proc.stderr and "U+10FFFD" in proc.stderr


# -- the dialog's preview -----------------------------------------------------------------------------------------


def _open_dialog(qtbot, store: EventStore):  # type: ignore[no-untyped-def]
    """File > Export Image… over a 1000 × 600 view of ``store``, opened."""
    from timeline_app.ui.export_dialog import ExportDialog
    from timeline_app.ui.timeline_view import TimelineView

    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.set_store(store)
    dialog = ExportDialog(None, view, store, "All 33 events", data_path=str(EVENTS))
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def test_the_dialog_previews_what_it_will_write(qtbot, tmp_path: Path, bundled: EventStore) -> None:
    dialog = _open_dialog(qtbot, bundled)
    dialog.path_edit.setText(str(tmp_path / "p.png"))
    dialog.update_preview()
    assert dialog.size_combo.currentData() == "slide"
    first = dialog.preview_label.pixmap().toImage()
    assert first.width() > 100 and first.height() > first.width() * 1080 / 1920  # figure and notes panel
    assert dialog.preview_info.text().startswith("1920 × ")
    dialog.path_edit.setText(str(tmp_path / "p.pdf"))  # a PDF gets A4, as on the command line
    assert dialog.size_combo.currentData() == "a4-landscape"
    with qtbot.waitSignal(dialog._preview_timer.timeout, timeout=3000):
        pass  # debounced: redrawn once the typing stopped
    assert dialog.preview_info.text().startswith("page 1 of ")
    pages = int(dialog.preview_info.text().split(" of ")[1].split(" ")[0])
    assert pages >= 3
    dialog.next_page.click()
    assert dialog.preview_info.text().startswith("page 2 of ")
    with qtbot.waitSignal(dialog.exported):
        dialog.export_button.click()
    assert int(_pdf_info(tmp_path / "p.pdf")["Pages"]) == pages if shutil.which("pdfinfo") else True


@needs_poppler
def test_notes_pages_after_the_first_say_what_they_continue(tmp_path: Path) -> None:
    out = tmp_path / "whole.pdf"
    proc = _cli("-o", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    pages = int(_pdf_info(out)["Pages"])
    tops = []
    for page in range(2, pages + 1):
        lines = [line.strip() for line in _pdf_text(out, page).splitlines() if line.strip()]
        tops.append(lines[0])
    assert tops[0] in ("Key (continued)", "Sources")  # the first notes page opens its own section
    later = tops[1:]
    assert len(later) >= 2  # the bundled notes run over several pages
    for top in later:  # each goes on with the section the page before ended in, and says so
        assert top.endswith("(continued)") or top in ("Sources", "Where sources disagree (marked ! in the figure)"), top
    assert "Sources (continued)" in later


def test_the_preview_fills_its_pane_at_the_pages_shape_and_follows_a_resize(qtbot, bundled: EventStore) -> None:
    dialog = _open_dialog(qtbot, bundled)
    qtbot.waitExposed(dialog)

    def shown() -> tuple[int, int, int, int]:
        dialog.update_preview()
        image = dialog.preview_label.pixmap().toImage()
        viewport = dialog.preview.scroll.viewport().size()
        return image.width(), image.height(), viewport.width(), viewport.height()

    for name, ratio in (("landscape.pdf", 1123 / 794), ("portrait.pdf", 794 / 1123)):
        dialog.path_edit.setText(f"/tmp/{name}")
        if name == "portrait.pdf":
            dialog.size_combo.setCurrentIndex(dialog.size_combo.findData("a4-portrait"))
        w, h, vw, vh = shown()
        assert abs(w / h - ratio) < 0.02, (name, w, h)  # the page's shape
        assert w <= vw and h <= vh  # the whole page is in view
        assert w >= vw - 40 or h >= vh - 40, (name, w, h, vw, vh)  # as large as the pane allows
        qtbot.wait(20)  # the dialog's layout takes in the pane's new shape
        dialog.resize(dialog.sizeHint())  # the size the dialog asks for (the test screen is smaller)
        w, h, vw, vh = shown()
        # the pane asks for the page's shape: the page fills it, no empty half below or beside it
        assert w >= 0.8 * vw and h >= 0.8 * vh, (name, w, h, vw, vh)

    dialog.path_edit.setText("/tmp/slide.png")  # a figure with a notes panel below it
    dialog.size_combo.setCurrentIndex(dialog.size_combo.findData("slide"))
    w, h, vw, vh = shown()
    assert w >= vw - 40 and h > vh  # the figure fills the width, the notes panel scrolls below it
    before = w
    dialog.resize(dialog.width() + 200, dialog.height() + 120)
    with qtbot.waitSignal(dialog._preview_timer.timeout, timeout=3000):
        pass  # redrawn once the resizing stopped
    assert dialog.preview_label.pixmap().toImage().width() > before + 100


def test_without_notes_no_key_entry_or_label_points_to_a_note(tmp_path: Path) -> None:
    """Note numbers must point to something in the figure: with --no-notes there is nothing to point to."""
    marks = re.compile(r"\[\d+(?:[–,\s]+\d+)*\]")
    with_notes, without = tmp_path / "with.svg", tmp_path / "without.svg"
    for out, extra in ((with_notes, ()), (without, ("--no-notes",))):
        proc = _cli("-o", str(out), "--exact-size", *extra, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    shown = _svg_text(with_notes)
    assert "Key" in shown and len(marks.findall(shown)) > 10  # the same figure with notes carries numbers
    text = _svg_text(without)
    assert "Key" in text  # the key is still there, naming the events the view numbers
    assert marks.findall(text) == []
    assert "Sources" not in text


def _font_px(svg: Path, text: str) -> float:
    for t in ET.parse(svg).getroot().iter():
        if t.tag.endswith("text") and "".join(t.itertext()).strip() == text:
            return float(t.attrib["font-size"])
    raise AssertionError(f"{text!r} not drawn in {svg.name}")


def test_a_4k_figure_draws_its_labels_at_the_pages_scale_like_its_key(tmp_path: Path) -> None:
    """A 4K page is the slide at twice the size: its labels grow as much as its own text, so the
    lanes' labels fill them as at 1920 × 1080 (at 1.5 they left the lanes' lower parts empty)."""
    sizes = {}
    for name in ("slide", "4k"):
        out = tmp_path / f"{name}.svg"
        proc = _cli("-o", str(out), "--size", name, "--exact-size", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        sizes[name] = (_font_px(out, "US raid in Abbottabad"), _font_px(out, "Key"))
    (label_hd, key_hd), (label_4k, key_4k) = sizes["slide"], sizes["4k"]
    assert key_4k / key_hd == pytest.approx(2.0, abs=0.1)
    assert label_4k / label_hd == pytest.approx(key_4k / key_hd, abs=0.1)


def _bold_sizes(svg: Path, text: str) -> list[float]:
    """Font sizes of the bold text elements reading ``text`` (the drawing's lane names are bold;
    the page's legend is not)."""
    root = ET.parse(svg).getroot()
    parent = {c: p for p in root.iter() for c in p}
    sizes = []
    for e in root.iter():
        if not (e.tag.endswith("text") and "".join(e.itertext()).strip() == text):
            continue
        attrs: dict[str, str] = {}
        n: ET.Element | None = e
        while n is not None:
            for k in ("font-size", "font-weight"):
                if k in n.attrib and k not in attrs:
                    attrs[k] = n.attrib[k]
            n = parent.get(n)
        if attrs.get("font-weight") == "700":
            sizes.append(float(attrs["font-size"]))
    return sizes


def test_the_text_size_option_enlarges_the_drawing_as_well_as_the_page(tmp_path: Path) -> None:
    # The reader who asks for larger text gets larger lane names and labels, not only a larger title.
    for scale in ("1", "1.5"):
        done = _cli("-o", str(tmp_path / f"x{scale}.svg"), "--font-scale", scale, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    [normal] = _bold_sizes(tmp_path / "x1.svg", "Taliban")
    [large] = _bold_sizes(tmp_path / "x1.5.svg", "Taliban")
    assert large / normal == pytest.approx(1.5, abs=0.1)
