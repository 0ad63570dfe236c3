"""The bundled data set, events.json: it loads, its references resolve, article excerpts are
verbatim, and the dates a reviewer would check are the ones the sources support."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from timeline_app.core.dates import Precision
from timeline_app.core.models import Timeline

DATA_FILE = Path(__file__).resolve().parents[2] / "events.json"
SOURCES_DIR = Path(__file__).resolve().parents[3] / "shared" / "sources"

# Source id -> the article file it quotes (in SOURCES_DIR).
ARTICLE_FILES = {
    "article-000": "000_3d7f2a44e8050542.txt",
    "article-004": "004_52db1545e6e83afc.txt",
}

REQUIRED_ACTORS = {"us", "pakistan", "russia", "china", "afghanistan", "taliban", "saudi-arabia"}

_WS = re.compile(r"\s+")


def _normalise(text: str) -> str:
    return _WS.sub(" ", text).strip()


@pytest.fixture(scope="module")
def raw() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def timeline(raw: dict) -> Timeline:
    return Timeline.model_validate(raw)


@pytest.fixture(scope="module")
def articles() -> dict[str, str]:
    if not SOURCES_DIR.is_dir():
        pytest.skip(f"source articles not available: {SOURCES_DIR} does not exist (CI provides it)")
    texts = {}
    for source_id, name in ARTICLE_FILES.items():
        path = SOURCES_DIR / name
        if not path.is_file():
            pytest.skip(f"source article {path} is missing")
        texts[source_id] = _normalise(path.read_text(encoding="utf-8"))
    return texts


def _event(timeline: Timeline, event_id: str):
    assert event_id in timeline.event_by_id, f"missing event {event_id}"
    return timeline.event_by_id[event_id]


# --- shape and integrity -------------------------------------------------------------------


def test_file_format(raw: dict) -> None:
    assert next(iter(raw)) == "$schema"
    assert raw["$schema"] == "resources/timeline.schema.json"
    assert raw["schema_version"] == 1
    text = DATA_FILE.read_text(encoding="utf-8")
    assert text.endswith("\n")
    assert "\\u" not in text, "write UTF-8 characters, not \\u escapes"


def test_size_and_actors(timeline: Timeline) -> None:
    assert len(timeline.events) >= 25
    assert set(timeline.actor_by_id) >= REQUIRED_ACTORS


def test_ids_unique(timeline: Timeline) -> None:
    for kind, items in (
        ("actor", timeline.actors),
        ("source", timeline.sources),
        ("era", timeline.eras),
        ("event", timeline.events),
    ):
        ids = [item.id for item in items]
        duplicates = {i for i in ids if ids.count(i) > 1}
        assert not duplicates, f"duplicate {kind} ids: {sorted(duplicates)}"


def test_references_resolve(timeline: Timeline) -> None:
    for event in timeline.events:
        assert event.actors, event.id
        for actor in event.actors:
            assert actor in timeline.actor_by_id, f"{event.id}: unknown actor {actor}"
        for excerpt in event.excerpts:
            assert excerpt.source in timeline.source_by_id, f"{event.id}: unknown source {excerpt.source}"
        for discrepancy in event.discrepancies:
            for source in discrepancy.sources:
                assert source in timeline.source_by_id, f"{event.id}: discrepancy cites unknown source {source}"
        for link in event.links:
            assert link.to in timeline.event_by_id, f"{event.id}: link to unknown event {link.to}"
            assert link.to != event.id, f"{event.id}: links to itself"


def test_every_event_has_evidence(timeline: Timeline) -> None:
    for event in timeline.events:
        assert event.excerpts, f"{event.id} has no excerpt"
        assert event.summary.strip(), f"{event.id} has no summary"


def test_spans_do_not_end_before_they_start(timeline: Timeline) -> None:
    for item in [*timeline.events, *timeline.eras]:
        end = item.end_date
        if end is not None:
            assert end.interval()[1] >= item.start_date.interval()[1], f"{item.id} ends before it starts"


def test_article_sources_described(timeline: Timeline) -> None:
    for source_id in ARTICLE_FILES:
        source = timeline.source_by_id[source_id]
        assert source.author and source.published and source.note


def test_other_excerpt_sources_are_citable(timeline: Timeline) -> None:
    for event in timeline.events:
        for excerpt in event.excerpts:
            if excerpt.source in ARTICLE_FILES:
                continue
            source = timeline.source_by_id[excerpt.source]
            assert source.url and re.match(r"^https?://", source.url), f"{source.id} has no http(s) url"
            assert source.published, f"{source.id} has no published date"


# --- verbatim rule -------------------------------------------------------------------------


def test_article_excerpts_are_verbatim(timeline: Timeline, articles: dict[str, str]) -> None:
    checked = 0
    for event in timeline.events:
        for excerpt in event.excerpts:
            if excerpt.source not in ARTICLE_FILES:
                continue
            assert _normalise(excerpt.quote) in articles[excerpt.source], (
                f"{event.id}: excerpt is not verbatim in {ARTICLE_FILES[excerpt.source]}: {excerpt.quote!r}"
            )
            checked += 1
    assert checked >= 25


# --- facts a reviewer checks ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_id", "start"),
    [
        ("abbottabad-bin-laden-raid-2011", "2011-05-02"),
        ("us-suspends-security-assistance-2018", "2018-01-04"),
        ("us-imet-suspension-66-slots-2018", "2018-08"),
        ("us-approves-imet-resumption-2019", "2019-12-19"),
        ("us-taliban-doha-agreement-2020", "2020-02-29"),
        ("us-withdrawal-from-afghanistan-completed-2021", "2021-08-30"),
        ("pakistan-aloc-gloc-framework-2001", "2001"),
    ],
)
def test_key_dates(timeline: Timeline, event_id: str, start: str) -> None:
    assert _event(timeline, event_id).start == start


def test_key_precisions(timeline: Timeline) -> None:
    assert _event(timeline, "pakistan-aloc-gloc-framework-2001").start_date.precision is Precision.YEAR
    assert _event(timeline, "us-imet-suspension-66-slots-2018").start_date.precision is Precision.MONTH
    assert _event(timeline, "abbottabad-bin-laden-raid-2011").start_date.precision is Precision.DAY


def test_may_2018_claim_recorded_as_discrepancy(timeline: Timeline) -> None:
    event = _event(timeline, "us-suspends-security-assistance-2018")
    claims = [d for d in event.discrepancies if "May 2018" in d.claim]
    assert claims, "the article's May 2018 date must be recorded as a discrepancy"
    assert all(d.sources for d in claims)


def test_imet_suspension_reversed_by_resumption(timeline: Timeline) -> None:
    suspension = _event(timeline, "us-imet-suspension-66-slots-2018")
    assert suspension.end == "2019-12-19"
    assert any(link.to == "us-approves-imet-resumption-2019" for link in suspension.links)


def test_unverified_claims_are_tagged(timeline: Timeline) -> None:
    for event_id in ("crs-2007-arms-deliveries-1999-2006-claim", "assistance-1999-2002-tenth-largest-claim"):
        event = _event(timeline, event_id)
        assert "unverified" in event.tags
        assert "unverified" in event.title.lower()
