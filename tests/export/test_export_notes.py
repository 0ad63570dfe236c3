"""The export's Qt-free half: numbered source notes, text layout, truthful titles, presets, metadata."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from timeline_app.core.build import store_from_timeline
from timeline_app.core.dates import days_from_civil
from timeline_app.core.filtering import FilterState, compute, parse_bound
from timeline_app.core.loading import load_timeline
from timeline_app.core.store import EventStore
from timeline_app.export.layout import Para, balanced_columns, flow_pages, lay_out, wrap
from timeline_app.export.metadata import Metadata, file_sha256
from timeline_app.export.notes import build_notes, note_marks
from timeline_app.export.options import ExportError, ImageFormat
from timeline_app.export.presets import PRESETS, default_preset, options_for, preset
from timeline_app.export.texts import span_text, truthful_title

ROOT = Path(__file__).resolve().parents[2]


def _store(tmp_path: Path, data: dict) -> EventStore:  # type: ignore[type-arg]
    path = tmp_path / "t.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return store_from_timeline(load_timeline(path))


def _event(i: int, start: str, sources: list[str], **extra: object) -> dict:  # type: ignore[type-arg]
    return {
        "id": f"e{i}",
        "title": f"Event {i}",
        "start": start,
        "actors": ["a"],
        "summary": "s",
        "excerpts": [{"source": s, "quote": f"quote {i} {s}"} for s in sources],
        **extra,
    }


@pytest.fixture
def repeated(tmp_path: Path) -> EventStore:
    """A file like an imported TimelineJS one: many sources called "YouTube", each its own video."""
    sources = [{"id": f"yt{k}", "title": "YouTube", "url": f"https://www.youtube.com/watch?v=v{k}"} for k in range(5)]
    sources += [
        {
            "id": "paper",
            "title": "A long report",
            "author": "Ann Author",
            "publisher": "The Paper",
            "published": "2019-03-04",
            "url": "https://example.org/report",
            "kind": "official",
        },
        {"id": "other", "title": "Other", "publisher": "Wire"},
    ]
    events = [_event(k, f"201{k}", [f"yt{k}"]) for k in range(5)]
    events.append(
        _event(
            5,
            "2019-03-04",
            ["paper", "yt0"],
            discrepancies=[
                {
                    "field": "start",
                    "claim": "Wire says 5 March.",
                    "correction": "The paper says 4 March.",
                    "sources": ["other", "paper"],
                }
            ],
        )
    )
    return _store(
        tmp_path,
        {
            "schema_version": 1,
            "title": "Videos",
            "actors": [{"id": "a", "name": "A"}],
            "sources": sources,
            "events": events,
        },
    )


def test_sources_repeated_under_one_name_are_one_note_listing_every_address(repeated: EventStore) -> None:
    notes = build_notes(repeated, None)
    youtube = [n for n in notes.notes if n.text.startswith("“YouTube.”")]
    assert len(youtube) == 1  # not "YouTube; YouTube; …"
    assert youtube[0].urls == tuple(f"https://www.youtube.com/watch?v=v{k}" for k in range(5))
    for k in range(5):
        assert f"https://www.youtube.com/watch?v=v{k}" in youtube[0].text
    # every event that cites a video carries that one note's number
    assert all(notes.marks(i) == "[1]" for i in range(5))


def test_one_citation_style_with_every_part_and_nothing_cut(repeated: EventStore) -> None:
    notes = build_notes(repeated, None)
    texts = {n.number: n.text for n in notes.notes}
    assert (
        texts[2]
        == "Ann Author. “A long report.” The Paper, 4 March 2019. Official statement or document. https://example.org/report."
    )
    assert texts[3] == "“Other.” Wire, n.d."  # named only by the disagreement: still a note
    assert not any("…" in t for t in texts.values())
    event5 = repeated.ids.index("e5")
    assert notes.marks(event5) == "[1–3]"


def test_disagreements_are_explained_with_the_notes_of_their_sources(repeated: EventStore) -> None:
    notes = build_notes(repeated, None)
    (d,) = notes.disagreements
    assert d.text == (
        "4 March 2019, Event 5: sources disagree on the date. Wire says 5 March. The paper says 4 March. [2, 3]"
    )
    text = notes.plain_text(title="Videos")
    assert text.startswith("Videos\n\nSources\n1. “YouTube.”")
    assert "Where sources disagree (marked ! in the figure)\n! 4 March 2019, Event 5" in text


def test_notes_follow_the_figure_not_the_data_set(repeated: EventStore) -> None:
    only_2012 = build_notes(repeated, None, shown=[repeated.ids.index("e2")])
    assert [n.text for n in only_2012.notes] == ["“YouTube.” n.d. https://www.youtube.com/watch?v=v2."]
    assert only_2012.disagreements == []


def test_note_marks_compress_runs() -> None:
    assert note_marks([3, 1, 2, 7, 9, 10]) == "[1–3, 7, 9, 10]"
    assert note_marks([]) == ""


def test_bundled_data_every_cited_source_is_a_note() -> None:
    timeline = load_timeline(ROOT / "events.json")
    store = store_from_timeline(timeline)
    notes = build_notes(store, None)
    cited = {x.source for e in timeline.events for x in e.excerpts}
    cited |= {s for e in timeline.events for d in e.discrepancies for s in d.sources}
    noted = {s.id for n in notes.notes for s in n.sources}
    assert noted == cited
    by_id = timeline.source_by_id
    for n in notes.notes:
        for s in n.sources:
            assert " ".join(by_id[s.id].title.split()) in n.text
            if by_id[s.id].url:
                assert str(by_id[s.id].url) in n.text
    assert len(notes.disagreements) == sum(len(e.discrepancies) for e in timeline.events)
    assert set(notes.by_event) == {i for i in range(len(store)) if store.event(i).excerpts}


# -- text layout ------------------------------------------------------------------------------------------


def _mono(text: str) -> float:
    return 10.0 * len(text)


def test_wrap_keeps_every_character_and_breaks_long_urls_after_a_slash() -> None:
    url = "https://www.example.com/a-very-long/path/that-does-not-fit/anywhere"
    lines = wrap(f"See {url} now", _mono, 200)
    assert all(_mono(line) <= 200 for line in lines)
    assert "".join(lines).replace(" ", "") == f"See{url}now"
    assert lines[2] == "com/a-very-long/"  # after a "/" where one is near the end
    assert not any(line.endswith("-") for line in lines)


def test_flow_continues_on_further_pages_and_balances_a_panel() -> None:
    paras = [Para("Sources", style="heading", keep_with_next=True)] + [
        Para("word " * 30, lead=f"{k}.") for k in range(1, 21)
    ]
    lines = lay_out(paras, lambda s: _mono, 300, lambda s: 30.0, lambda s: 12.0)
    pages = flow_pages(lines, capacity=240, per_page=2, gap=2)
    flat = [line for page in pages for column in page for line in column]
    assert [line.text for line in flat] == [line.text for p in lines for line in p]  # nothing lost, in order
    assert len(pages) > 1 and all(len(page) <= 2 for page in pages)
    assert all(sum(line.height for line in column) <= 240 + 12 for page in pages for column in page)
    assert pages[0][0][0].text == "Sources" and pages[0][0][1].lead == "1."
    height, columns = balanced_columns(lines, 3, 2)
    assert len(columns) == 3 and height < sum(line.height + 2 for p in lines for line in p) / 2


def test_a_paragraph_is_not_split_over_a_page_turn() -> None:
    paras = [Para("Sources", style="heading", keep_with_next=True)] + [
        Para("word " * (10 + 7 * (k % 4)), lead=f"{k}.") for k in range(1, 31)
    ]
    lines = lay_out(paras, lambda s: _mono, 300, lambda s: 30.0, lambda s: 12.0)
    pages = flow_pages(lines, capacity=200, per_page=2, gap=2)
    flat = [line for page in pages for column in page for line in column]
    assert [line.text for line in flat] == [line.text for p in lines for line in p]  # nothing lost, in order
    assert len(pages) > 2
    for page in pages[1:]:
        assert page[0][0].first  # each page opens with a paragraph's first line
    assert any(not column[0].first for page in pages for column in page[1:])  # columns may still split one
    assert all(sum(line.height for line in column) <= 200 + 12 for page in pages for column in page)


# -- a title that tells the truth --------------------------------------------------------------------------


def test_a_filtered_figure_is_titled_with_its_real_span() -> None:
    whole = "US–Pakistan military relations, 2001–2021"
    assert truthful_title(whole, "2018–2020", "1999–2021") == "US–Pakistan military relations, 2018–2020"
    assert truthful_title(whole, "1999–2021", "1999–2021") == whole  # the whole data set: its own title
    assert truthful_title("Wars (1939-1945)", "1941–1943", "1939–1945") == "Wars (1941–1943)"
    assert truthful_title("A timeline", "May 2011", "2001–2021") == "A timeline, May 2011"
    d = days_from_civil
    assert span_text(d(2019, 3, 4), d(2019, 6, 1)) == "March–June 2019"
    assert span_text(d(2018, 1, 4), d(2020, 12, 31)) == "2018–2020"


def test_bundled_data_filtered_to_2018_2020_names_that_span() -> None:
    from timeline_app.export.texts import figure_span

    store = store_from_timeline(load_timeline(ROOT / "events.json"))
    state = FilterState(date_from=parse_bound("2018", end=False), date_to=parse_bound("2020", end=True))
    rows = np.flatnonzero(compute(store, state))
    span = figure_span(store, rows)
    assert span is not None
    assert truthful_title(store.title, span_text(*span), "1999–2021").endswith(", 2018–2020")


# -- presets and metadata ---------------------------------------------------------------------------------------


def test_each_preset_has_its_pixel_size_and_print_png_follows_the_dpi() -> None:
    sizes = {p.key: options_for(ImageFormat.PNG, size=p.key).pixel_size(ImageFormat.PNG) for p in PRESETS}
    assert sizes == {
        "slide": (1920, 1080),
        "4k": (3840, 2160),
        "social": (1200, 675),
        "a4-landscape": (1123, 794),
        "a4-portrait": (794, 1123),
        "letter-landscape": (1056, 816),
        "letter-portrait": (816, 1056),
    }
    assert options_for(ImageFormat.PNG, size="a4-landscape", dpi=300).pixel_size(ImageFormat.PNG) == (3508, 2480)
    assert options_for(ImageFormat.PNG, size="letter-portrait", dpi=300).pixel_size(ImageFormat.PNG) == (2550, 3300)
    assert options_for(ImageFormat.PNG, size="custom", width=1000, height=500, scale=2).pixel_size(ImageFormat.PNG) == (
        2000,
        1000,
    )
    assert preset("1080p").key == "slide" and preset("A4").key == "a4-landscape"  # earlier names
    with pytest.raises(ExportError, match="unknown size"):
        preset("a3")


def test_dialog_and_command_line_share_the_defaults() -> None:
    assert default_preset(ImageFormat.PDF) == "a4-landscape"
    assert default_preset(ImageFormat.PNG) == default_preset(ImageFormat.SVG) == default_preset(None) == "slide"
    pdf = options_for(ImageFormat.PDF)
    assert (pdf.page, pdf.orientation, pdf.width, pdf.height) == ("A4", "landscape", 1123, 794)
    assert options_for(ImageFormat.PNG).page is None


def test_metadata_pairs_and_file_hash(tmp_path: Path) -> None:
    data = tmp_path / "d.json"
    data.write_bytes(b"{}")
    sha = file_sha256(data)
    assert sha == hashlib.sha256(b"{}").hexdigest()
    assert file_sha256(tmp_path / "missing") is None
    meta = Metadata("T, 2018–2020", "T", "2018–2020 · 16 of 33 events", sha, "d.json")
    keys = dict(meta.pairs())
    assert keys["Data SHA-256"] == sha and keys["Filter"].startswith("2018–2020")
    assert keys["Software"].startswith("timeline-app ")


# -- the numbered key --------------------------------------------------------------------------------------------


def test_the_key_narrows_the_drawing_until_the_numbered_events_stop_changing(repeated: EventStore) -> None:
    from dataclasses import dataclass

    from timeline_app.export.key import place_key

    @dataclass(frozen=True)
    class Entry:
        number: int
        index: int
        date_text: str
        title: str

    calls: list[float] = []

    def numbered(rect: tuple[float, float, float, float]) -> list[Entry]:
        calls.append(rect[2])
        n = 2 if rect[2] >= 1800 else 4  # a narrower drawing numbers more events
        return [Entry(k + 1, k, f"201{k}", f"Event {k}") for k in range(n)]

    notes = build_notes(repeated, None)
    key = place_key(
        (0, 0, 1900, 800), numbered, notes,
        measure=lambda s: _mono, height=lambda s: 12.0, indent=30, k=1.0, beside=True, paragraph_gap=2,
    )  # fmt: skip
    assert key is not None
    assert [e.number for e in key.entries] == [1, 2, 3, 4] and key.rounds == 2  # a fixed point
    assert key.view[2] < 1900 and key.origin[0] > key.view[2]  # beside the drawing, which is narrower
    texts = [line.text for column in key.columns for line in column if line.first]
    assert texts[0] == "Key" and texts[1].startswith("2010 — Event 0 [1]")  # each entry with its notes
    below = place_key(
        (0, 0, 800, 1000), numbered, notes,
        measure=lambda s: _mono, height=lambda s: 12.0, indent=30, k=1.0, beside=False, paragraph_gap=2,
    )  # fmt: skip
    assert below is not None and below.origin[1] > below.view[3] and below.view[2] == 800
    tight = place_key(
        (0, 0, 1900, 26), numbered, notes,
        measure=lambda s: _mono, height=lambda s: 12.0, indent=30, k=1.0, beside=True, paragraph_gap=2,
    )  # fmt: skip
    assert tight is not None and tight.overflow and tight.overflow[0].text == "Key (continued)"
    kept = [line.lead for column in tight.columns for line in column if line.lead]
    assert kept + [p.lead for p in tight.overflow[1:]] == ["1.", "2.", "3.", "4."]  # none lost


def test_notes_are_built_by_arrays_from_the_columns() -> None:
    """A store made of columns alone: its sources are noted in first-cited order, repeated names
    merged, each event's numbers found, and its disagreements explained from the kept records
    (or counted, past MAX_EXPLAINED)."""
    import json

    from timeline_app.core.records import SourceRecord
    from timeline_app.core.strings import RaggedStrings, SparseRows, StringTable
    from timeline_app.export import notes as notes_module

    n = 6
    start = np.arange(n, dtype=np.float64) * 100 + 12000
    quotes = RaggedStrings.from_rows([["q"], ["q", "q"], [], ["q"], ["q"], ["q"]])
    disputed = [
        json.dumps({"discrepancies": [{"field": "start", "claim": f"C{i}.", "correction": "E.", "sources": ["s1"]}]})
        for i in (1, 4)
    ]
    store = EventStore(
        title="Columns",
        start=start,
        end=start + 1,
        kind=np.zeros(n, np.int8),
        qualified=np.zeros(n, bool),
        has_discrepancy=np.array([0, 1, 0, 0, 1, 0], bool),
        ids=[f"e{i}" for i in range(n)],
        titles=[f"Event {i}" for i in range(n)],
        date_texts=["" for _ in range(n)],
        actor_ids=["a"],
        actor_names=["A"],
        actor_colors=["#0072B2"],
        member_ptr=np.arange(n + 1, dtype=np.int64),
        member_actor=np.zeros(n, np.int32),
        excerpt_quotes=quotes,
        excerpt_sources=np.array([2, 0, 2, 1, 3, 2], np.int32),
        nested=SparseRows(np.array([1, 4]), StringTable.from_strings(disputed)),
        sources=[SourceRecord(f"s{k}", t) for k, t in enumerate(["YouTube", "Report", "Paper", "YouTube"])],
    )
    notes = build_notes(store, None)
    assert [x.text for x in notes.notes] == ["“Paper.” n.d.", "“YouTube.” n.d.", "“Report.” n.d."]
    assert notes.marks(1) == "[1–3]" and notes.marks(3) == "[3]" and notes.marks(4) == "[2, 3]"
    assert [x.events for x in notes.notes] == [(0, 1, 5), (1, 4), (1, 3, 4)]
    assert [d.text for d in notes.disagreements] == [
        ", Event 1: sources disagree on the date. C1. E. [3]",
        ", Event 4: sources disagree on the date. C4. E. [3]",
    ]
    saved = notes_module.MAX_EXPLAINED
    notes_module.MAX_EXPLAINED = 1
    try:
        (d,) = build_notes(store, None).disagreements
    finally:
        notes_module.MAX_EXPLAINED = saved
    assert d.text.startswith("2 events in this figure are marked !")
    part = build_notes(store, None, shown=[3, 4])
    assert [x.text for x in part.notes] == ["“Report.” n.d.", "“YouTube.” n.d."] and part.marks(0) == ""
