"""Other people's spreadsheets: common column names recognised, a mapping given by hand (convert
--column), dates as spreadsheets write them, unreadable rows skipped with their place."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline_app.cli import main
from timeline_app.core.errors import TimelineLoadError
from timeline_app.core.loading import load_timeline
from timeline_app.interop.csv_format import loads_csv
from timeline_app.interop.csv_mapped import loose_date

OTHER = (
    "start,end,label,group,description,link\n"
    "2014-04-20,,Kick-off,Team A,First meeting,https://example.org/k\n"
    "14/04/2014,19/04/2014,Build,Team B,,\n"
    "March 1990,,Named month,Team A,,\n"
    "509 BC,,Republic,,,\n"
    "04/05/2014,,Ambiguous,Team A,,\n"
)


def test_common_column_names_are_recognised() -> None:
    timeline, warnings = loads_csv(OTHER, "plan.csv")
    kick, build, named, republic = timeline.events
    assert (kick.title, kick.start, kick.summary) == ("Kick-off", "2014-04-20", "First meeting")
    assert timeline.actor_by_id[kick.actors[0]].name == "Team A"
    assert timeline.source_by_id[kick.excerpts[0].source].url == "https://example.org/k"
    assert (build.start, build.end) == ("2014-04-14", "2014-04-19")  # 14 cannot be a month
    assert named.start == "1990-03" and republic.start == "-0508"  # 509 BC is EDTF -0508
    assert warnings[0].startswith("not our spreadsheet layout nor TimelineJS's: columns read as start='start'")
    assert any(w.startswith("line 6, column 1: row 6, column 'start': '04/05/2014' is ambiguous") for w in warnings)


def test_date_title_description_header() -> None:
    timeline, _ = loads_csv("date,title,description\n1969-07-20,Moon landing,Apollo 11\n", "d.csv")
    [ev] = timeline.events
    assert (ev.title, ev.start, ev.summary) == ("Moon landing", "1969-07-20", "Apollo 11")


@pytest.mark.parametrize(
    ("text", "day_first", "edtf"),
    [("2014-04-20T10:00:00Z", None, "2014-04-20"), ("1 March 1990", None, "1990-03-01"),
     ("March 1, 1990", None, "1990-03-01"), ("Sept. 2001", None, "2001-09"), ("44 BCE", None, "-0043"),
     ("04/05/2014", True, "2014-05-04"), ("04/05/2014", False, "2014-04-05"), ("2001~", None, "2001~")],
)  # fmt: skip
def test_spreadsheet_dates(text: str, day_first: bool | None, edtf: str) -> None:
    assert loose_date(text, day_first=day_first)[0].to_edtf() == edtf


def test_convert_takes_a_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "m.csv"
    src.write_text("Begun,What,Who\n04/05/2014,Meeting,Ann;Bo\n", encoding="utf-8")
    out = tmp_path / "m.json"
    args = ["convert", str(src), str(out), "--column", "start=Begun", "--column", "title=What"]
    assert main([*args, "--column", "actors=Who", "--day-first"]) == 0
    [ev] = load_timeline(out).events
    assert (ev.title, ev.start, ev.actors) == ("Meeting", "2014-05-04", ["ann", "bo"])
    assert main([*args[:3], "--column", "start=Nope"]) == 1
    assert "no such column" in capsys.readouterr().err
    assert main([*args[:3], "--column", "when=Begun"]) == 2  # not one of our fields


def test_nothing_readable_is_refused() -> None:
    with pytest.raises(TimelineLoadError, match="not a date we can read"):
        loads_csv("date,title\nsoon,A\n", "x.csv")
