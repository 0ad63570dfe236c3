"""Opening a TimelineJS file or a spreadsheet in the window imports it (File > Open, drop, command line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline_app.ui.worker import Loaded, LoadFailed, load_data_set

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "interop-samples" / "timelinejs"


def test_spreadsheet_csv_opens_as_a_timeline(tmp_path: Path) -> None:
    csv = tmp_path / "events.csv"
    csv.write_text(
        "id,title,start,end,actors,tags,summary,source,quote,url\r\n"
        'a,"Talks, round one",2019-07-22,,United States;Pakistan,,"Met in ""Washington""",Dawn,"a quote",'
        "https://example.org/a\r\n"
        "b,Agreement,2020-02,,United States,,Signed,Dawn,another,\r\n",
        encoding="utf-8-sig",
    )
    result = load_data_set(str(csv))
    assert isinstance(result, Loaded), result
    assert result.store.titles == ["Talks, round one", "Agreement"]
    assert result.store.date_texts[1] == "February 2020"
    assert sorted(result.store.actor_names) == ["Pakistan", "United States"]


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs ../shared: shared/interop-samples is not beside the checkout")
def test_timelinejs_sample_opens_with_its_groups_as_actors() -> None:
    result = load_data_set(str(SAMPLES / "group_sample.json"))
    assert isinstance(result, Loaded), result
    assert len(result.store.actor_ids) == 4
    assert all("<p>" not in (result.store.event(i).summary) for i in range(len(result.store)))  # type: ignore[union-attr]


def test_broken_spreadsheet_reports_located_rows(tmp_path: Path) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text("id,title,start,end,actors,tags,summary,source,quote,url\nx,T,2018-02-30,,US,,s,,,\n")
    result = load_data_set(str(csv))
    assert isinstance(result, LoadFailed)
    assert any("bad.csv:" in line and "2018-02-30" in line for line in result.lines), result.lines
