"""Shared fixtures: the real TimelineJS samples (skipped when absent) and a Timeline strategy."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import strategies as st

from timeline_app.core.dates import EdtfDate
from timeline_app.core.models import Actor, Era, Event, Excerpt, Source, Timeline

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "interop-samples"
TIMELINEJS_SAMPLES = SAMPLES / "timelinejs"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def samples() -> Path:
    if not TIMELINEJS_SAMPLES.is_dir():
        pytest.skip(f"needs ../shared: the interop samples are not at {SAMPLES}")
    return TIMELINEJS_SAMPLES


@pytest.fixture
def bundled() -> Path:
    path = REPO / "events.json"
    if not path.is_file():
        pytest.skip("events.json (the bundled data) is not there yet")
    return path


# Words never contain whitespace, so text made of them survives HTML's whitespace collapsing; the
# alphabet has the characters each format must escape (<>&" for HTML, ;,\ for iCalendar, = for
# spreadsheet formulas, quotes for CSV) and some non-ASCII.
_WORD = st.text(alphabet=st.sampled_from(list("abcxyzAÉüж<>&\"';,=-\\")), min_size=1, max_size=6)
LINE = st.lists(_WORD, min_size=1, max_size=4).map(" ".join)
PARAGRAPH = st.lists(LINE, min_size=1, max_size=2).map("\n".join)
BODY = st.one_of(st.just(""), st.lists(PARAGRAPH, min_size=1, max_size=2).map("\n\n".join))


@st.composite
def dates(draw: st.DrawFn, min_year: int = -500) -> tuple[str, tuple[int, int | None, int | None]]:
    year = draw(st.integers(min_year, 2100))
    month = draw(st.one_of(st.none(), st.integers(1, 12)))
    day = draw(st.one_of(st.none(), st.integers(1, 28))) if month else None
    return EdtfDate(year, month, day).to_edtf(), (year, month, day)


@st.composite
def timelines(draw: st.DrawFn, qualifiers: bool = True, min_year: int = -500) -> Timeline:
    actor_names = draw(st.lists(LINE, min_size=1, max_size=3, unique=True))
    actors = [Actor(id=f"a{i}", name=n, color=draw(st.sampled_from([None, "#112233"]))) for i, n in
              enumerate(actor_names)]  # fmt: skip
    source_titles = draw(st.lists(LINE, min_size=0, max_size=3, unique=True))
    sources = [Source(id=f"s{i}", title=t, url=draw(st.sampled_from([None, f"https://example.org/{i}?q=a,b"])))
               for i, t in enumerate(source_titles)]  # fmt: skip
    events = []
    for i in range(draw(st.integers(0, 4))):
        start, (year, _, _) = draw(dates(min_year))
        end = None
        if draw(st.booleans()):
            end, _ = draw(dates(min_year).filter(lambda d, y=year: d[1][0] > y))
        if qualifiers and draw(st.booleans()):
            start += draw(st.sampled_from("~?%"))
        excerpts = [Excerpt(source=s.id, quote=draw(LINE)) for s in draw(st.lists(st.sampled_from(sources),
                    max_size=2))] if sources else []  # fmt: skip
        events.append(Event(
            id=f"e{i}", title=draw(LINE), start=start, end=end,
            actors=draw(st.lists(st.sampled_from([a.id for a in actors]), min_size=1, max_size=2, unique=True)),
            tags=draw(st.lists(_WORD.filter(lambda w: ";" not in w), max_size=2, unique=True)),
            summary=draw(BODY), excerpts=excerpts,
        ))  # fmt: skip
    n_eras = draw(st.integers(0, 2))
    eras = [Era(id=f"era{i}", title=draw(LINE), start="1900", end=f"19{10 + i}") for i in range(n_eras)]
    return Timeline(schema_version=1, title=draw(LINE), description=draw(BODY), actors=actors, sources=sources,
                    eras=eras, events=events)  # fmt: skip
