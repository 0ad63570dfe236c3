"""The bundled data set, events.json: it loads, its references resolve, article excerpts are
verbatim, and the dates a reviewer would check are the ones the sources support."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from timeline_app.core.dates import Precision, parse_date
from timeline_app.core.models import Timeline

DATA_FILE = Path(__file__).resolve().parents[2] / "events.json"
SOURCES_DIR = Path(__file__).resolve().parents[3] / "shared" / "sources"

# Source id -> the article file it quotes (in SOURCES_DIR).
ARTICLE_FILES = {
    "article-000": "000_3d7f2a44e8050542.txt",
    "article-004": "004_52db1545e6e83afc.txt",
}
# Where each article's body is in its file (see ../shared/sources/README.md): its section headings,
# the page furniture that is not the article, and where the body ends.
ARTICLE_LAYOUT: dict[str, dict] = {
    "000_3d7f2a44e8050542.txt": {
        "first_section": "opening",
        "sections": {
            "Resumption of Military Aid",
            "The US Request to Allocate Budget for Pakistan",
            "Reviving Relations",
            "Strategic Motives for the Revival in Relations",
            "Conclusion",
        },
        "skip": set(),
        "end_before": ("Also See:",),  # then the author's name and bio, and the site's "Recent" list
    },
    "004_52db1545e6e83afc.txt": {
        "first_section": "opening",
        "sections": {"Defense training as a Policy Instrument"},
        # the byline, the bio line and the RT cross-link
        "skip": {"Shishir Upadhyaya", "is a former Indian Naval Intelligence Officer, PhD."},
        "skip_prefix": ("ALSO ON RT.COM",),
        "end_before": ("Due to the nature of independent content",),  # VT's disclaimer
    },
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


def _require_sources() -> None:
    """Without the source articles the verbatim rule cannot be checked: under CI (which provides
    ../shared) that is a failure, on a developer machine a skip that says why."""
    missing = [SOURCES_DIR / name for name in ARTICLE_FILES.values() if not (SOURCES_DIR / name).is_file()]
    if missing:
        # "needs ../shared" makes this a failure under CI (tests/conftest.py)
        pytest.skip(f"needs ../shared: source articles not available: {', '.join(map(str, missing))}")


@dataclass(frozen=True)
class Article:
    """An article's body as paragraphs, each with the section it sits in; everything a quote may
    come from. The page furniture around it (author bio, "Recent" list, cross-links, the
    publisher's disclaimer) is not the article."""

    paragraphs: tuple[tuple[str, str], ...]  # (section, paragraph text, white space normalised)
    headline: str

    @property
    def body(self) -> str:
        return " ".join(text for _, text in self.paragraphs)


def _article(name: str) -> Article:
    raw = (SOURCES_DIR / name).read_text(encoding="utf-8")
    layout = ARTICLE_LAYOUT[name]
    blocks = [_normalise(b) for b in re.split(r"\n\s*\n", raw) if b.strip()]
    headline, section, paragraphs = blocks[0], layout["first_section"], []
    for block in blocks:
        if any(block.startswith(stop) for stop in layout["end_before"]):
            break
        if block in layout["skip"] or block == headline or block.startswith(layout.get("skip_prefix", ("\0",))):
            continue
        if block in layout["sections"]:
            section = block
            continue
        paragraphs.append((section, block))
    return Article(tuple(paragraphs), headline)


@pytest.fixture(scope="module")
def article_bodies() -> dict[str, Article]:
    _require_sources()
    return {source_id: _article(name) for source_id, name in ARTICLE_FILES.items()}


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
            if source.kind == "encyclopedia":  # undated by nature: its note must say so
                assert source.published or "no publication date" in (source.note or ""), source.id
                continue
            assert source.published, f"{source.id} has no published date"


# --- verbatim rule -------------------------------------------------------------------------


_SECTION_LOCATOR = re.compile(r'section "([^"]+)"')


def _excerpt_problem(article: Article, quote: str, locator: str | None) -> str | None:
    """Why ``quote`` is not a verbatim excerpt of ``article``'s body, or None if it is one."""
    text = _normalise(quote)
    if locator is not None and locator.startswith("headline"):
        return None if text == article.headline else f"is not the headline {article.headline!r}"
    if len(text) < 20:
        return "is shorter than 20 characters (only a headline may be)"
    hits = [(section, para, para.find(text)) for section, para in article.paragraphs if text in para]
    if not hits:
        if text in article.body:
            return "crosses a paragraph break"
        return "is not in the article's body (bio, lists, cross-links and disclaimers are not the article)"
    section, para, at = hits[0]
    end = at + len(text)
    if (at > 0 and para[at - 1].isalnum()) or (end < len(para) and para[end].isalnum()):
        return "does not start and end on word boundaries"
    named = _SECTION_LOCATOR.search(locator or "")
    if named and all(named.group(1) != s for s, _, _ in hits):
        return f"is in section {section!r}, but the locator names {named.group(1)!r}"
    return None


def test_article_excerpts_are_verbatim(timeline: Timeline, article_bodies: dict[str, Article]) -> None:
    """The verbatim rule: each excerpt of an article is found in the body of the article its source
    names, on word boundaries, within one paragraph, at least 20 characters unless it is the
    headline, and a ``section "…"`` locator names the section it is in."""
    checked, problems = 0, []
    for event in timeline.events:
        for excerpt in event.excerpts:
            if excerpt.source not in ARTICLE_FILES:
                continue
            problem = _excerpt_problem(article_bodies[excerpt.source], excerpt.quote, excerpt.locator)
            if problem:
                problems.append(f"{event.id}: excerpt of {excerpt.source} {problem}: {excerpt.quote!r}")
            checked += 1
    assert not problems, "\n".join(problems)
    assert checked >= 25


@pytest.mark.parametrize(
    ("source_id", "quote", "locator", "problem"),
    [
        # in the other article
        ("article-000", "Barely a year after the Trump administration suspended military training", None, "body"),
        # 000's author bio and its "Recent" list; 004's RT cross-link, bio line and VT disclaimer
        ("article-000", "a research scholar passionate about analyzing diplomatic relations", None, "body"),
        ("article-000", "When Insurgents Rule: The Taliban’s Crisis of Governance", None, "body"),
        ("article-004", "Pakistan seeks closer ties with Russia, and has a real chance of success", None, "body"),
        ("article-004", "is a former Indian Naval Intelligence Officer", None, "body"),
        ("article-004", "VT cannot guarantee content validity", None, "body"),
        ("article-000", "he resumption of the US military training program", None, "word boundaries"),
        ("article-000", "Reviving Relations", None, "20 characters"),
        ("article-000", "with Russia. The agreement allowed", None, None),
        ("article-000", "to Pakistan regarding its fleet of F-16 aircraft. These moves underscored", None, "paragraph"),
        ("article-000", "The relations of the two countries faced heavy strains", 'section "Conclusion"', "Reviving"),
        ("article-000", "The relations of the two countries faced heavy strains", 'section "Reviving Relations"', None),
        ("article-004", "Pakistan: US Approves Military Deal to Offset New Russian Influence", "headline", None),
    ],
)
def test_verbatim_rule_catches(
    article_bodies: dict[str, Article], source_id: str, quote: str, locator: str | None, problem: str | None
) -> None:
    found = _excerpt_problem(article_bodies[source_id], quote, locator)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found, found


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


# --- reader-facing text (issue 13 §3): no internal vocabulary --------------------------------

# The data's working vocabulary, which a reader must never see: article numbers, the fact sheet's
# discrepancy register, file-handling remarks.
INTERNAL = re.compile(r"article[ -]?0\d\d|register d\d*|not named in the file|fact sheet|\.txt\b", re.IGNORECASE)


def _reader_texts(timeline: Timeline) -> list[tuple[str, str]]:
    texts = [("title", timeline.title), ("description", timeline.description)]
    texts += [(f"actor {a.id}", t) for a in timeline.actors for t in (a.name, a.description or "")]
    texts += [(f"era {e.id}", e.title) for e in timeline.eras]
    for s in timeline.sources:
        texts += [(f"source {s.id}", t or "") for t in (s.title, s.author, s.publisher, s.note, s.origin)]
    for e in timeline.events:
        texts += [(f"{e.id} title", e.title), (f"{e.id} summary", e.summary)]
        texts += [(f"{e.id} tag", t) for t in e.tags]
        texts += [(f"{e.id} locator", x.locator or "") for x in e.excerpts]
        texts += [(f"{e.id} relation", link.relation) for link in e.links]
        for d in e.discrepancies:
            texts += [(f"{e.id} discrepancy", d.claim), (f"{e.id} discrepancy", d.correction)]
    return texts


def test_no_internal_vocabulary_in_reader_text(timeline: Timeline) -> None:
    leaks = [f"{where}: {INTERNAL.search(text).group(0)!r} in {text[:90]!r}" for where, text in _reader_texts(timeline)
             if INTERNAL.search(text)]  # fmt: skip
    assert not leaks, "\n".join(leaks)


def test_internal_vocabulary_check_catches_the_old_wording() -> None:
    for text in ("Article 000 says", "as article 004 puts it", "(Register D8.)", "(not named in the file)"):
        assert INTERNAL.search(text), text
    assert not INTERNAL.search("Shaheer Ahmed's article says")


# --- each source's standing (issue 17 §5) ----------------------------------------------------


def test_every_source_has_a_kind(timeline: Timeline) -> None:
    assert [s.id for s in timeline.sources if s.kind is None] == []
    by_id = timeline.source_by_id
    for s in timeline.sources:
        if s.kind in ("wire", "reprint") and s.origin in by_id:
            assert by_id[s.origin].id != s.id


def test_article_standing_recorded(timeline: Timeline) -> None:
    ahmed, upadhyaya = timeline.source_by_id["article-000"], timeline.source_by_id["article-004"]
    assert ahmed.kind == "opinion" and "analysis" in ahmed.note and "name" in ahmed.note
    assert upadhyaya.kind == "opinion" and upadhyaya.origin == "RT"
    # what its own page says, verbatim
    assert "VT cannot guarantee content validity" in upadhyaya.note
    assert "Some content may be satirical in nature." in upadhyaya.note
    assert '"RT/Moscow"' in upadhyaya.note


# --- the corrections of issue 17 §4, each checked against ../shared/sources/FACT_SHEET.md ------


def test_nsc_event_rests_on_the_fact_sheets_source(timeline: Timeline) -> None:
    event = _event(timeline, "pakistan-nsc-rejects-us-statements-2018")
    cited = {x.source for x in event.excerpts}
    assert "ukasianmagazine-2018-01-nsc" in cited
    source = timeline.source_by_id["ukasianmagazine-2018-01-nsc"]
    assert source.url and source.url.startswith("https://ukasianmagazine.com/trumps-first-tweet-of-2018")
    assert any(x.quote == "on Tuesday" for x in event.excerpts)
    assert event.start == "2018-01-02"


def test_crs_claim_titled_for_what_the_article_says(timeline: Timeline) -> None:
    title = _event(timeline, "crs-2007-arms-deliveries-1999-2006-claim").title
    assert "US arms" not in title and "arms deliveries" in title and "Pakistan received" in title
    assert "unverified" in title


@pytest.mark.parametrize(
    ("event_id", "dropped"),
    [
        ("pensacola-nas-shooting-2019", "act of terrorism"),
        ("us-taliban-doha-agreement-2020", "joint declaration"),
        ("us-withdrawal-from-afghanistan-completed-2021", "15 August"),
        ("alice-wells-imet-authorization-tweet-2020", "Qamar Javed"),
        ("abbottabad-bin-laden-raid-2011", "SEALs"),
        ("abbottabad-bin-laden-raid-2011", "CIA"),
        ("abbottabad-bin-laden-raid-2011", "Neptune Spear"),
        ("abbottabad-bin-laden-raid-2011", "launched from Afghanistan"),
    ],
)
def test_unsourced_summary_clauses_dropped(timeline: Timeline, event_id: str, dropped: str) -> None:
    event = _event(timeline, event_id)
    assert dropped not in event.summary and dropped not in event.title


@pytest.mark.parametrize(
    ("event_id", "clause", "source_id"),
    [
        ("trump-imran-khan-white-house-meeting-2019", "21–23 July", "dawn-2019-07-10-white-house-confirms"),
        ("yusuf-sullivan-geneva-meeting-2021", "beyond", "thenews-2021-05-ties-beyond-afghan"),
        ("biden-announces-afghanistan-withdrawal-2021", "1 May deadline", "simplewiki-doha-agreement-2020"),
    ],
)
def test_summary_clauses_cite_their_source(timeline: Timeline, event_id: str, clause: str, source_id: str) -> None:
    event = _event(timeline, event_id)
    assert clause in event.summary
    assert source_id in {x.source for x in event.excerpts}


def test_excerpts_that_predate_their_event_say_so(timeline: Timeline) -> None:
    unfold = "The situation will soon unfold shortly after the scheduled US withdrawal from Afghanistan."
    for event_id in ("biden-announces-afghanistan-withdrawal-2021", "us-withdrawal-from-afghanistan-completed-2021"):
        (x,) = [x for x in _event(timeline, event_id).excerpts if x.quote == unfold]
        assert x.locator and "does not report" in x.locator
    interview = _event(timeline, "imran-khan-absolutely-not-bases-2021")
    bases = [x for x in interview.excerpts if x.source == "article-000"]
    assert bases and all(x.locator and "may predate this interview" in x.locator for x in bases)


def test_pompeo_call_timing_disagreement_recorded(timeline: Timeline) -> None:
    event = _event(timeline, "alice-wells-imet-authorization-tweet-2020")
    (d,) = [d for d in event.discrepancies if "a day after" in d.claim]
    assert "same day" in d.correction and d.sources == ["nie-2020-01-04-imet"]
    assert "Qamar" not in event.summary and "Bajwa" in event.summary


def test_d17_and_d19_name_the_field_they_are_about(timeline: Timeline) -> None:
    imet = _event(timeline, "us-imet-suspension-66-slots-2018")
    (d17,) = [d for d in imet.discrepancies if "signaled" in d.claim]
    assert d17.field == "summary"  # the article's "In 2018" agrees with the stored date: the cause is disputed
    resumption = _event(timeline, "us-approves-imet-resumption-2019")
    (d19,) = [d for d in resumption.discrepancies if "Military Deal" in d.claim]
    assert d19.field == "summary"  # the event's own title is not disputed; what was approved, and why, is


def test_truncated_headlines_marked(timeline: Timeline) -> None:
    for event_id, quote in (
        ("trump-imran-khan-davos-meeting-2020", "Kashmir, Afghanistan in focus as PM Imran, Trump meet"),
        ("us-review-foreign-military-student-vetting-2019", "DOD suspends operational training for all Saudi students"),
    ):
        (x,) = [x for x in _event(timeline, event_id).excerpts if x.quote == quote]
        assert x.locator and "headline" in x.locator and "rest was not recorded" in x.locator


def test_gdp_title_keeps_provisional(timeline: Timeline) -> None:
    assert "provisional" in _event(timeline, "pakistan-provisional-gdp-3-94-fy2021").title.lower()


def test_security_assistance_era_does_not_end_at_its_last_confirmation(timeline: Timeline) -> None:
    (era,) = [e for e in timeline.eras if e.id == "era-security-assistance-suspension"]
    assert era.end != "2020-01-03" and era.end_date.interval()[0] > parse_date("2020-01-03").interval()[0]
    assert "no lifting found" in era.title


def test_salala_actors_are_states_not_the_theatre(timeline: Timeline) -> None:
    assert "afghanistan" not in _event(timeline, "salala-attack-gloc-closure-2011").actors


def test_fatf_co_sponsors(timeline: Timeline) -> None:
    actors = _event(timeline, "fatf-grey-list-pakistan-2018").actors
    assert {"us", "uk", "france", "germany", "fatf", "pakistan"} <= set(actors)


def test_al_qaeda_described_in_the_past_tense_for_bin_laden(timeline: Timeline) -> None:
    description = timeline.actor_by_id["al-qaeda"].description or ""
    assert "led by Osama bin Laden" not in description and "led until" in description
