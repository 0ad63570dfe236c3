"""The fast decoder: the same store and the same error report as the models' reading of a file, at any size."""

from __future__ import annotations

import copy
import gc
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec
import numpy as np
import pytest

from timeline_app.core.bulk import LoadCancelled, load_store, store_from_timeline
from timeline_app.core.errors import MAX_REPORTED, TimelineLoadError
from timeline_app.core.loading import MAX_LOCATED, load_timeline
from timeline_app.core.models import Timeline
from timeline_app.core.store import EventStore
from timeline_app.core.strings import StringTable

BULK = {"small_limit": 0}  # the reopen cache's threshold too: every file the same way


def by_models(path: Path) -> EventStore:
    """The oracle: the file read by the pydantic models (as interop and the schema do), then built."""
    return store_from_timeline(load_timeline(path))


def write_doc(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def both_errors(path: Path) -> tuple[TimelineLoadError, TimelineLoadError]:
    with pytest.raises(TimelineLoadError) as small:
        load_timeline(path)
    with pytest.raises(TimelineLoadError) as bulk:
        load_store(path, **BULK)
    return small.value, bulk.value


def text_at(path: Path, line: int, col: int) -> str:
    return path.read_text(encoding="utf-8").splitlines()[line - 1][col - 1 :]


# -- the same store both ways --------------------------------------------------------------------


def test_bulk_and_model_paths_agree_on_every_column(tmp_path: Path, gen: ModuleType) -> None:
    path = gen.write(1000, tmp_path / "g1k.json", seed=7)
    small = by_models(path)
    bulk = load_store(path, **BULK)
    assert [small.event(i) for i in range(len(small))] == [bulk.event(i) for i in range(len(bulk))]
    assert small.sources == bulk.sources and small.head == bulk.head
    assert isinstance(bulk.titles, StringTable)
    for name in ("start", "end", "kind", "qualified", "has_discrepancy", "member_ptr", "member_actor"):
        assert np.array_equal(getattr(small, name), getattr(bulk, name)), name
    for name in ("ids", "titles", "date_texts", "search_texts", "actor_ids", "actor_names", "actor_colors", "eras"):
        assert list(getattr(small, name)) == list(getattr(bulk, name)), name
    assert all(np.array_equal(a, b) for a, b in zip(small.lane_events, bulk.lane_events, strict=True))
    assert small.title == bulk.title and len(small) == len(bulk) == 1000
    for i in (0, 1, 499, 999):
        assert small.excerpt_texts(i) == bulk.excerpt_texts(i)
        assert small.search_texts is not None and bulk.search_texts is not None
        assert small.search_texts[i] == bulk.search_texts[i]
        assert bulk.index_of(bulk.ids[i]) == small.index_of(small.ids[i]) == i
    assert bulk.index_of("no-such-event") is None
    assert small.span() == bulk.span()


def test_the_bundled_data_loads_the_same_both_ways() -> None:
    from timeline_app.resources import bundled_events

    try:
        path = bundled_events()
    except FileNotFoundError:
        pytest.skip("events.json not present")
    small, bulk = by_models(path), load_store(path, **BULK)
    assert list(small.titles) == list(bulk.titles)
    assert list(small.date_texts) == list(bulk.date_texts)
    assert np.array_equal(small.start, bulk.start) and np.array_equal(small.end, bulk.end)
    assert small.search_texts is not None and bulk.search_texts is not None
    assert list(small.search_texts) == list(bulk.search_texts)


# -- scale: 100k events ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory, gen: ModuleType) -> tuple[Path, EventStore, int]:
    path = gen.write(100_000, tmp_path_factory.mktemp("scale") / "g100k.json", seed=11)
    gc.collect()
    before = len(gc.get_objects())
    store = load_store(path)  # 40+ MB: the fast path without being told
    gc.collect()
    return path, store, len(gc.get_objects()) - before


@pytest.mark.slow
def test_100k_file_takes_the_fast_path_and_keeps_no_per_event_objects(big: tuple[Path, EventStore, int]) -> None:
    path, store, new_objects = big
    assert path.stat().st_size > 5 * 1024**2
    assert len(store) == 100_000
    assert store.event(0).summary and isinstance(store.titles, StringTable)  # the whole record, from columns
    # No dict/list/model per event survives the load (a per-event object would add ~100k).
    assert new_objects < 5_000
    # Beyond the text itself (UTF-8, once), the columns, offsets and lanes stay small.
    text = sum(t.nbytes - t.offsets.nbytes for t in (store.ids, store.titles))  # type: ignore[attr-defined]
    assert store.search_texts is not None and store.excerpt_quotes is not None
    text += store.excerpt_quotes.table.nbytes - store.excerpt_quotes.table.offsets.nbytes
    text += store.search_texts.nbytes  # type: ignore[attr-defined]  # summaries and tags
    overhead = store.nbytes() - text
    assert overhead < 15 * 1024**2, f"{overhead / 1e6:.1f} MB of structure per 100k events"
    assert store.nbytes() < 45 * 1024**2  # the whole store; the file is ~43 MB of JSON


@pytest.mark.slow
def test_window_never_culls_a_visible_event(big: tuple[Path, EventStore, int]) -> None:
    _, store, _ = big
    assert store.max_duration > 2000  # long spans are present
    rng = np.random.default_rng(3)
    lo, hi = store.span() or (0.0, 1.0)
    for _ in range(200):
        width = float(10 ** rng.uniform(0, np.log10(hi - lo)))
        x0 = float(rng.uniform(lo - width, hi))
        x1 = x0 + width
        i0, i1 = store.window(x0, x1)
        visible = np.flatnonzero((store.start <= x1) & (store.end >= x0))
        assert visible.size == 0 or (visible.min() >= i0 and visible.max() < i1)


# -- errors ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def doc2k(gen: ModuleType) -> dict[str, Any]:
    return gen.generate(2000, seed=5)


def test_semantic_errors_in_a_big_file_are_located_like_the_model_path(tmp_path: Path, doc2k: dict[str, Any]) -> None:
    doc = copy.deepcopy(doc2k)
    doc["events"][1990]["start"] = "2011-02-30"  # near the end
    doc["events"][1500]["actors"] = ["usa", "mars"]
    doc["events"][1700]["id"] = doc["events"][10]["id"]
    path = write_doc(tmp_path / "bad.json", doc)
    small, bulk = both_errors(path)
    assert bulk.lines() == small.lines()
    by_path = {i.path: i for i in bulk.issues}
    assert set(by_path) == {"$.events[1990].start", "$.events[1500].actors[1]", "$.events[1700].id"}
    date = by_path["$.events[1990].start"]
    assert "February 2011 has 28 days, not 30" in date.message
    assert text_at(path, date.line or 0, date.col or 0).startswith('"2011-02-30"')
    actor = by_path["$.events[1500].actors[1]"]
    assert actor.message.startswith("unknown actor 'mars'")
    assert text_at(path, actor.line or 0, actor.col or 0).startswith('"mars"')
    dup = by_path["$.events[1700].id"]
    assert f"duplicate event id {doc['events'][10]['id']!r} (also events[10])" in dup.message
    assert text_at(path, dup.line or 0, dup.col or 0).startswith(json.dumps(doc["events"][10]["id"]))
    assert all(line.startswith(f"{path}:") for line in bulk.lines())


def test_every_date_spelling_reads_the_same_both_ways(tmp_path: Path, doc2k: dict[str, Any]) -> None:
    # The bulk path parses plain dates with numpy and the rest with parse_date: both must agree
    # with the models on BCE years, year 0 written two ways, qualifiers, leap days and precisions.
    doc = copy.deepcopy(doc2k)
    spellings = [
        ("-0044-03-15", None),
        ("2001-05-02~", "2001-06?"),
        ("2000-02-29%", None),
        ("1999?", "2003~"),
        ("0000", None),
        ("-0000-01-01", "0000-01-01"),
        ("1600-02", "1600-02"),
        ("2001-05-02", "2001-05-02"),
    ]
    for ev, (start, end) in zip(doc["events"], spellings, strict=False):
        ev["start"] = start
        ev.pop("end", None)
        if end is not None:
            ev["end"] = end
    path = write_doc(tmp_path / "dates.json", doc)
    small, bulk = by_models(path), load_store(path, **BULK)
    for name in ("start", "end", "kind", "qualified"):
        assert np.array_equal(getattr(small, name), getattr(bulk, name)), name
    assert list(small.date_texts) == list(bulk.date_texts) and list(small.ids) == list(bulk.ids)
    texts = set(bulk.date_texts)
    assert {
        "15 March 45 BCE",
        "c. 2 May 2001 – June 2001?",
        "c. 29 February 2000?",
        "1 BCE",
        "1 January 1 BCE",
        "February 1600",
    } <= texts


def test_bad_ids_and_blank_texts_in_events_are_worded_by_the_models(tmp_path: Path, doc2k: dict[str, Any]) -> None:
    # Per-event ids and texts are checked in bulk, after pydantic-core: the report must still be the
    # small path's, word for word.
    doc = copy.deepcopy(doc2k)
    doc["events"][3]["id"] = "ev 3"
    doc["events"][4]["title"] = " \t\x1c"  # str.strip whitespace, as the model's check sees it
    doc["events"][5]["actors"] = ["usa", "not an id"]
    doc["events"][6]["excerpts"][0]["source"] = "bad/source"
    doc["events"][7]["excerpts"][0]["quote"] = "  "
    doc["events"][8]["id"] = "x" * 201
    doc["events"][9]["id"] = "ev\x00ok"  # two valid ids if split at the NUL: still one bad id
    path = write_doc(tmp_path / "ids.json", doc)
    small, bulk = both_errors(path)
    assert bulk.lines() == small.lines()
    paths = {i.path for i in bulk.issues}
    assert {
        "$.events[3].id",
        "$.events[4].title",
        "$.events[5].actors[1]",
        "$.events[6].excerpts[0].source",
        "$.events[7].excerpts[0].quote",
        "$.events[8].id",
        "$.events[9].id",
    } <= paths


def test_type_errors_and_reference_errors_are_reported_together(tmp_path: Path, doc2k: dict[str, Any]) -> None:
    doc = copy.deepcopy(doc2k)
    doc["events"][5]["title"] = 5
    doc["events"][6]["id"] = "has space"
    doc["events"][7]["colour"] = "red"
    doc["events"][8]["excerpts"][0]["source"] = "nowhere"
    doc["events"][9]["start"] = "1999-13"
    doc["actors"][0]["color"] = "blue"
    doc["sources"][0]["url"] = "ftp://example.org"
    path = write_doc(tmp_path / "types.json", doc)
    small, bulk = both_errors(path)
    assert bulk.lines() == small.lines()
    text = "\n".join(bulk.lines())
    for expected in (
        "expected a string, got a number",
        "'has space' is not a valid id",
        "unknown key 'colour'",
        "unknown source 'nowhere'",
        "month 13 does not exist",
        "is not a colour",
        "is not an http(s) address",
    ):
        assert expected in text


def test_many_problems_are_capped_with_a_count(tmp_path: Path, doc2k: dict[str, Any]) -> None:
    doc = copy.deepcopy(doc2k)
    for ev in doc["events"][:300]:
        ev["actors"] = ["nobody"]
    path = write_doc(tmp_path / "many.json", doc)
    small, bulk = both_errors(path)
    lines = bulk.lines()
    assert lines == small.lines()
    assert len(lines) == MAX_REPORTED + 1
    assert lines[-1] == f"{path}: … and 100 more problems not shown"


def test_a_flood_of_problems_is_located_in_part_and_counted(tmp_path: Path, doc2k: dict[str, Any]) -> None:
    doc = copy.deepcopy(doc2k)
    bad = 0
    for ev in doc["events"]:
        ev["start"] = "2001-02-29"
        bad += 1
        if "end" in ev:
            ev["end"] = "2001-04-31"
            bad += 1
    assert bad > MAX_LOCATED
    path = write_doc(tmp_path / "flood.json", doc)
    small, bulk = both_errors(path)
    lines = bulk.lines()
    assert lines == small.lines()
    assert len(lines) == MAX_REPORTED + 1
    assert lines[0].startswith(f"{path}:") and "$.events[0].start" in lines[0]
    assert lines[-1] == f"{path}: … and {bad - MAX_REPORTED} more problems not shown"
    assert bulk.total == bad and f"{bad - 1} more problems" in str(bulk)


def test_syntax_and_encoding_errors_read_as_on_the_model_path(tmp_path: Path, doc2k: dict[str, Any]) -> None:
    text = json.dumps(doc2k, indent=1, ensure_ascii=False)
    broken = tmp_path / "broken.json"
    broken.write_text(text[: len(text) // 2] + "}", encoding="utf-8")
    small, bulk = both_errors(broken)
    assert bulk.lines() == small.lines() and "invalid JSON" in bulk.lines()[0]
    latin = tmp_path / "latin1.json"
    latin.write_bytes(text.replace("Zürich", "Z\u00fcrich").encode("latin-1", "replace"))
    small, bulk = both_errors(latin)
    assert bulk.lines() == small.lines()
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert len(load_store(bom, **BULK)) == 2000
    with pytest.raises(TimelineLoadError) as missing:
        load_store(tmp_path / "nope.json", **BULK)
    assert "no such file" in missing.value.lines()[0]


@pytest.mark.parametrize(
    ("where", "old", "twice"),
    [
        ("event", '"summary": ', '"summary": "first", "summary": '),
        ("excerpt", '"quote": ', '"quote": "first", "quote": '),
        ("actor", '"name": ', '"name": "first", "name": '),
        ("top level", '"title": ', '"title": "first", "title": '),
    ],
)
def test_a_key_written_twice_is_refused_as_on_the_model_path(
    tmp_path: Path, doc2k: dict[str, Any], where: str, old: str, twice: str
) -> None:
    """JSON decoders keep the last value silently; the models refuse the file, and so must a big one."""
    text = json.dumps(doc2k, indent=1, ensure_ascii=False)
    at = {
        "event": text.rindex(old),
        "excerpt": text.rindex(old),
        "actor": text.index(old),
        "top level": text.index(old),
    }[where]
    path = tmp_path / "twice.json"
    path.write_text(text[:at] + twice + text[at + len(old) :], encoding="utf-8")
    small, bulk = both_errors(path)
    assert bulk.lines() == small.lines() and "appears twice" in bulk.lines()[0], where


def test_text_the_fast_decoder_cannot_vouch_for_still_opens(tmp_path: Path, doc2k: dict[str, Any]) -> None:
    """An escaped colon (``\\u003a``) defeats the repeated-key count: the models read the file instead."""
    doc = copy.deepcopy(doc2k)
    doc["events"][7]["summary"] = "Ratio 3:2 agreed"
    path = tmp_path / "escaped.json"
    path.write_text(json.dumps(doc, indent=1).replace("3:2", "3\\u003a2"), encoding="utf-8")
    assert "\\u003a" in path.read_text(encoding="utf-8")
    small, bulk = by_models(path), load_store(path, **BULK)
    assert list(bulk.titles) == list(small.titles) and len(bulk) == 2000
    assert bulk.search_texts is not None and any("Ratio 3:2 agreed" in t for t in bulk.search_texts)


def test_progress_rises_to_one_and_cancel_stops_the_load(tmp_path: Path, doc2k: dict[str, Any]) -> None:
    path = write_doc(tmp_path / "ok.json", doc2k)
    seen: list[float] = []
    store = load_store(path, progress=seen.append, **BULK)
    assert len(store) == 2000
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen) and len(seen) >= 5
    calls: list[float] = []
    with pytest.raises(LoadCancelled):
        load_store(path, progress=calls.append, cancelled=lambda: len(calls) >= 3, **BULK)
    assert calls[-1] < 1.0
    with pytest.raises(LoadCancelled):
        load_store(path, cancelled=lambda: True)  # the small path honours it too


def test_model_path_store_is_unchanged_for_small_files(tmp_path: Path, doc2k: dict[str, Any]) -> None:
    path = write_doc(tmp_path / "small.json", doc2k)
    store = load_store(path)
    timeline = load_timeline(path)
    assert Timeline.model_validate(store.document()) == timeline  # the document, rebuilt from the columns
    ev = store.event(0)
    assert store.excerpt_texts(0)[0][1] == ev.excerpts[0].quote


# -- the whole corpus, both ways ---------------------------------------------------------------------

CORPUS = Path(__file__).resolve().parent.parent / "data"


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.json")))
def test_every_corpus_file_reads_the_same_on_both_paths(name: str) -> None:
    """Whatever decoder the columnar path uses, a file is accepted or refused, and worded, as by the models."""
    path = CORPUS / name
    try:
        small = by_models(path)
    except TimelineLoadError as err:
        with pytest.raises(TimelineLoadError) as bulk_err:
            load_store(path, **BULK)
        assert bulk_err.value.lines() == err.lines()
        return
    bulk = load_store(path, **BULK)
    for col in ("start", "end", "kind", "qualified", "has_discrepancy", "member_ptr", "member_actor"):
        assert np.array_equal(getattr(small, col), getattr(bulk, col)), col
    for col in ("ids", "titles", "date_texts", "search_texts", "actor_ids", "actor_names", "eras"):
        assert list(getattr(small, col)) == list(getattr(bulk, col)), col
    assert [small.excerpt_texts(i) for i in range(len(small))] == [bulk.excerpt_texts(i) for i in range(len(bulk))]
    assert [small.event(i) for i in range(len(small))] == [bulk.event(i) for i in range(len(bulk))]
    assert small.document() == bulk.document()


def test_a_file_in_time_order_gives_the_same_store_as_a_shuffled_one(tmp_path: Path, doc2k: dict[str, Any]) -> None:
    shuffled = load_store(write_doc(tmp_path / "shuffled.json", doc2k), **BULK)
    by_id = {e["id"]: e for e in doc2k["events"]}
    in_order = {**doc2k, "events": [by_id[i] for i in shuffled.ids]}
    assert in_order["events"] != doc2k["events"]  # the generator's order is not time order
    store = load_store(write_doc(tmp_path / "ordered.json", in_order), **BULK)
    for name in (
        "start",
        "end",
        "kind",
        "qualified",
        "has_discrepancy",
        "member_ptr",
        "member_actor",
        "excerpt_sources",
    ):
        assert np.array_equal(getattr(store, name), getattr(shuffled, name)), name
    for name in ("ids", "titles", "date_texts", "search_texts"):
        assert list(getattr(store, name)) == list(getattr(shuffled, name)), name
    assert [store.excerpt_texts(i) for i in range(len(store))] == [shuffled.excerpt_texts(i) for i in range(len(store))]


# -- keys written twice: what is counted follows the decoder's field definitions ---------------------


def _every_field_written(doc: dict[str, Any]) -> dict[str, Any]:
    """Every optional field of every nested object written, with colons in every string."""
    doc = copy.deepcopy(doc)
    first = doc["events"][0]["id"]
    for ev in doc["events"]:
        ev["title"] += " (a: b)"
        ev.setdefault("end", ev["start"])
        ev["tags"] = ["x:y"]
        ev["summary"] += " 1:2"
        for x in ev["excerpts"]:
            x["locator"] = "p. 3:4"
        src = ev["excerpts"][0]["source"]
        ev["discrepancies"] = [{"field": "start", "claim": "c:1", "correction": "e:2", "sources": [src]}]
        ev["links"] = [{"to": first, "relation": "r:1"}]
    return doc


def test_every_field_of_every_object_written_stays_on_the_fast_path(
    tmp_path: Path, doc2k: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field the repeated-key count forgot would send every file using it to the models (slow)."""
    from timeline_app.core import bulk

    def refuse(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("the fast decoder handed a valid file to the models")

    doc = _every_field_written(doc2k)
    path = write_doc(tmp_path / "all.json", doc)
    monkeypatch.setattr(bulk, "_model_path", refuse)
    store = load_store(path, **BULK)
    monkeypatch.undo()
    assert len(store) == 2000 and store.event(5).links and store.event(5).discrepancies
    assert Timeline.model_validate(store.document()) == load_timeline(path)
    # and a key written twice in any of those objects is still refused, in the models' words
    text = path.read_text(encoding="utf-8")
    for old in ('"locator": ', '"relation": ', '"correction": ', '"tags": '):
        at = text.rindex(old)
        twice = tmp_path / "twice.json"
        value = '["t"], ' if old == '"tags": ' else '"first", '
        twice.write_text(text[: at + len(old)] + value + old + text[at + len(old) :], encoding="utf-8")
        small, fast = both_errors(twice)
        assert fast.lines() == small.lines() and "appears twice" in fast.lines()[0], old


def test_a_new_field_is_counted_without_being_listed(doc2k: dict[str, Any]) -> None:
    """The count reads the struct's fields: a struct with one more field counts its keys and colons."""
    from timeline_app.core.bulk import _MEvent
    from timeline_app.core.repeated_keys import keys_and_colons

    class WithNote(_MEvent, forbid_unknown_fields=True, gc=False, kw_only=True, omit_defaults=True):
        note: str | msgspec.UnsetType = msgspec.UNSET

    events = _every_field_written(doc2k)["events"][:50]
    for k, ev in enumerate(events):
        if k % 2:
            ev["note"] = "written: here"
    data = json.dumps(events).encode()
    decoded = msgspec.json.decode(data, type=list[WithNote])
    assert keys_and_colons(WithNote, decoded) == data.count(b":")
    assert keys_and_colons(_MEvent, msgspec.json.decode(data, type=list[WithNote])) != data.count(b":")
