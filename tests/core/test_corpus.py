"""Every corpus file gives the right located message; every tricky valid file loads.

A user fixing a file trusts FILE:LINE:COL: so beyond the JSON path and message, each case checks
that the text at LINE:COL is the offending value (its opening quote, bracket or key).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from timeline_app.core.errors import TimelineLoadError
from timeline_app.core.loading import load_timeline, loads_timeline, read_text

DATA = Path(__file__).resolve().parent.parent / "data"

# file -> (JSON path of the first issue, substring of its message, text found at its LINE:COL or None)
BAD: dict[str, tuple[str, str, str | None]] = {
    "bad_empty.json": ("$", "the file is empty", None),
    "bad_whitespace.json": ("$", "the file is empty", None),
    "bad_not_json.json": ("$", "invalid JSON: expected a value", "This is"),
    "bad_truncated.json": ("$", "ends too early: is it truncated", None),
    "bad_unterminated_string.json": ("$", "string is never closed", '"The raid'),
    "bad_top_level_list.json": ("$", "not a list", "["),
    "bad_top_level_string.json": ("$", "not a string", '"a timeline"'),
    "bad_trailing_comma.json": ("$", "trailing comma", "}"),
    "bad_single_quotes.json": ("$", "double quotes", "'Corpus base'"),
    "bad_comment.json": ("$", "comments are not allowed", "// the title"),
    "bad_missing_comma.json": ("$", "expected a comma", '"description"'),
    "bad_extra_data.json": ("$", "extra text after the end", "}"),
    "bad_nan.json": ("$", "NaN is not a JSON value", "NaN"),
    "bad_duplicate_key.json": ("$.title", "'title' appears twice in this object (first at line 3", '"title": "Again"'),
    "bad_lone_surrogate.json": ("$.events[0].title", "unpaired", '"Raid \\ud800"'),
    "bad_latin1.json": ("$", "not UTF-8 text (byte 0xe9", None),
    "bad_utf16_bom.json": ("$", "UTF-16; save it as UTF-8", None),
    "bad_utf16_no_bom.json": ("$", "NUL bytes", None),
    "bad_binary.json": ("$", "binary", None),
    "bad_missing_schema_version.json": ("$.schema_version", "missing required field 'schema_version'", "{"),
    "bad_missing_title.json": ("$.title", "missing required field 'title'", "{"),
    "bad_schema_version_2.json": ("$.schema_version", "unsupported schema_version 2: this program", "2"),
    "bad_schema_version_string.json": ("$.schema_version", 'must be the number 1, not "1"', '"1"'),
    "bad_schema_version_true.json": ("$.schema_version", "must be the number 1, not true", "true"),
    "bad_title_empty.json": ("$.title", "must not be empty", '"   "'),
    "bad_title_number.json": ("$.title", "expected a string, got a number", "42"),
    "bad_events_object.json": ("$.events", "expected a list, got an object", "{}"),
    "bad_actors_null.json": ("$.actors", "expected a list, got null", "null"),
    "bad_unknown_key_typo.json": ("$.evnets", "unknown key 'evnets' (did you mean 'events'?)", '"evnets"'),
    "bad_actor_missing_id.json": ("$.actors[0].id", "missing required field 'id'", "{"),
    "bad_actor_missing_name.json": ("$.actors[1].name", "missing required field 'name'", "{"),
    "bad_actor_duplicate_id.json": ("$.actors[2].id", "duplicate actor id 'us' (also actors[0])", '"us"'),
    "bad_actor_color.json": ("$.actors[0].color", "'blue' is not a colour", '"blue"'),
    "bad_actor_id_space.json": ("$.actors[2].id", "'u s' is not a valid id", '"u s"'),
    "bad_actor_not_object.json": ("$.actors[0]", "expected an object, got a string", '"us"'),
    "bad_source_missing_id.json": ("$.sources[0].id", "missing required field 'id'", "{"),
    "bad_source_missing_title.json": ("$.sources[0].title", "missing required field 'title'", "{"),
    "bad_source_duplicate_id.json": ("$.sources[1].id", "duplicate source id 's1'", '"s1"'),
    "bad_source_url_file.json": ("$.sources[0].url", "only http:// and https://", '"file:///etc/passwd"'),
    "bad_source_url_javascript.json": ("$.sources[0].url", "only http:// and https://", '"javascript:'),
    "bad_source_published_feb_29.json": ("$.sources[0].published", "February 2011 has 28 days, not 29", '"2011-02-29"'),
    "bad_era_missing_id.json": ("$.eras[0].id", "missing required field 'id'", "{"),
    "bad_era_missing_title.json": ("$.eras[0].title", "missing required field 'title'", "{"),
    "bad_era_missing_start.json": ("$.eras[0].start", "missing required field 'start'", "{"),
    "bad_era_missing_end.json": ("$.eras[0].end", "missing required field 'end'", "{"),
    "bad_era_end_before_start.json": ("$.eras[0].end", "end 1999 is before start 2001-10", '"1999"'),
    "bad_era_duplicate_id.json": ("$.eras[1].id", "duplicate era id 'war'", '"war"'),
    "bad_era_color.json": ("$.eras[0].color", "'#12345' is not a colour", '"#12345"'),
    "bad_event_missing_id.json": ("$.events[0].id", "missing required field 'id'", "{"),
    "bad_event_missing_title.json": ("$.events[0].title", "missing required field 'title'", "{"),
    "bad_event_missing_start.json": ("$.events[0].start", "missing required field 'start'", "{"),
    "bad_event_missing_actors.json": ("$.events[0].actors", "missing required field 'actors'", "{"),
    "bad_event_missing_summary.json": ("$.events[0].summary", "missing required field 'summary'", "{"),
    "bad_event_duplicate_id.json": ("$.events[2].id", "duplicate event id 'e1' (also events[0])", '"e1"'),
    "bad_event_no_actors.json": ("$.events[1].actors", "at least one actor", "[]"),
    "bad_event_unknown_actor.json": ("$.events[1].actors[0]", "unknown actor 'pak' (did you mean 'pk'?)", '"pak"'),
    "bad_event_end_before_start.json": ("$.events[1].end", "end 2011-11-25 is before start 2011-11-26", '"2011-11-25"'),
    "bad_event_title_list.json": ("$.events[0].title", "expected a string, got a list", "["),
    "bad_event_unknown_key_typo.json": ("$.events[0].titel", "(did you mean 'title'?)", '"titel"'),
    "bad_event_tag_number.json": ("$.events[0].tags[0]", "expected a string, got a number", "1"),
    "bad_event_not_object.json": ("$.events[2]", "expected an object, got null", "null"),
    "bad_date_feb_30.json": ("$.events[0].start", "February 2018 has 28 days, not 30", '"2018-02-30"'),
    "bad_date_feb_29_1900.json": ("$.events[0].start", "February 1900 has 28 days, not 29", '"1900-02-29"'),
    "bad_date_month_13.json": ("$.events[0].start", "month 13 does not exist", '"2018-13"'),
    "bad_date_day_00.json": ("$.events[0].start", "May 2018 has 31 days, not 0", '"2018-05-00"'),
    "bad_date_five_digit_year.json": ("$.events[0].start", "years have 4 digits", '"99999"'),
    "bad_date_slashes.json": ("$.events[0].start", "is not a date: use YYYY, YYYY-MM or YYYY-MM-DD", '"05/02/2011"'),
    "bad_date_number.json": ("$.events[0].start", "expected a string, got a number", "2011"),
    "bad_date_spaces.json": ("$.events[0].start", "spaces around the date", '" 2011-05-02"'),
    "bad_excerpt_missing_source.json": ("$.events[0].excerpts[0].source", "missing required field 'source'", "{"),
    "bad_excerpt_missing_quote.json": ("$.events[0].excerpts[0].quote", "missing required field 'quote'", "{"),
    "bad_excerpt_dangling_source.json": ("$.events[0].excerpts[0].source", "unknown source 's9'", '"s9"'),
    "bad_discrepancy_missing_claim.json": ("$.events[0].discrepancies[0].claim", "missing required field", "{"),
    "bad_discrepancy_missing_correction.json": ("$.events[0].discrepancies[0].correction", "missing required", "{"),
    "bad_discrepancy_dangling_source.json": ("$.events[0].discrepancies[0].sources[0]", "unknown source 's2'", '"s2"'),
    "bad_link_missing_to.json": ("$.events[0].links[0].to", "missing required field 'to'", "{"),
    "bad_link_missing_relation.json": ("$.events[0].links[0].relation", "missing required field 'relation'", "{"),
    "bad_link_dangling_target.json": ("$.events[0].links[0].to", "unknown event 'e9'", '"e9"'),
}

OK = sorted(p.name for p in DATA.glob("ok_*.json"))


def test_the_table_covers_the_whole_corpus() -> None:
    on_disk = {p.name for p in DATA.glob("bad_*.json")}
    assert on_disk == set(BAD)
    assert len(BAD) >= 40
    assert len(OK) >= 12


def _error(path: Path) -> TimelineLoadError:
    with pytest.raises(TimelineLoadError) as info:
        load_timeline(path)
    return info.value


def _text_error(text: str, name: str = "<string>") -> TimelineLoadError:
    with pytest.raises(TimelineLoadError) as info:
        loads_timeline(text, name)
    return info.value


def _text_at(text: str, line: int, col: int) -> str:
    return text.split("\n")[line - 1][col - 1 :]


def _base() -> str:
    """The text of ok_base.json, the valid file the generated cases start from."""
    return (DATA / "ok_base.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_is_reported_at_the_defect(name: str) -> None:
    json_path, message, at = BAD[name]
    err = _error(DATA / name)
    issue = err.issues[0]
    # One defect per file: exactly one problem, not a cascade.
    assert len(err.issues) == 1, err.lines()
    assert issue.path == json_path
    assert message in issue.message
    assert issue.line is not None and issue.line >= 1
    assert issue.col is not None and issue.col >= 1
    assert err.lines()[0].startswith(f"{DATA / name}:{issue.line}:{issue.col}: {json_path}: ")
    if at is not None:
        assert _text_at(read_text(DATA / name), issue.line, issue.col).startswith(at)


@pytest.mark.parametrize("name", ["bad_latin1.json", "bad_binary.json", "bad_utf16_no_bom.json"])
def test_encoding_errors_point_at_the_offending_byte(name: str) -> None:
    data = (DATA / name).read_bytes()
    issue = _error(DATA / name).issues[0]
    lines = data.split(b"\n")
    before = lines[issue.line - 1]
    # Columns count characters; the line up to the column is valid text, then the bad byte.
    prefix = before.decode("utf-8", "replace")[: issue.col - 1].encode("utf-8")
    bad = before[len(prefix) : len(prefix) + 1]
    assert bad in (b"\x00", b"\xe9") or bad[0] >= 0x80


@pytest.mark.parametrize("name", OK)
def test_tricky_valid_file_loads(name: str) -> None:
    timeline = load_timeline(DATA / name)
    assert timeline.title.strip()


def test_tricky_text_is_kept_verbatim() -> None:
    html = load_timeline(DATA / "ok_html_text.json")
    assert html.events[0].title == '<img src="file:///etc/passwd"><script>alert(1)</script>'
    rtl = load_timeline(DATA / "ok_rtl.json")
    assert rtl.events[0].title == "ایبٹ آباد میں کارروائی"
    assert load_timeline(DATA / "ok_emoji_escaped.json").events[0].title == "Raid 🚁"
    assert len(load_timeline(DATA / "ok_long_title.json").events[0].title) >= 5000
    assert load_timeline(DATA / "ok_bom.json") == load_timeline(DATA / "ok_base.json")
    assert load_timeline(DATA / "ok_crlf.json") == load_timeline(DATA / "ok_base.json")


def test_bce_and_qualified_dates_keep_their_meaning() -> None:
    bce = {e.id: e for e in load_timeline(DATA / "ok_bce.json").events}
    # Astronomical years, as ISO 8601 and EDTF: 0000 is 1 BCE, so -0043 is 44 BCE.
    assert bce["ides"].date_text() == "15 March 44 BCE"
    assert bce["iso"].date_text() == "15 March 45 BCE"
    assert bce["y0"].date_text() == "1 BCE"
    s, e = bce["rome"].interval()
    assert s < bce["ides"].interval()[0] < e
    q = {e.id: e for e in load_timeline(DATA / "ok_qualified.json").events}
    assert q["a"].date_text() == "c. 2001"
    assert q["b"].date_text() == "December 1971?"
    assert q["a"].start_date.approximate and not q["a"].start_date.uncertain
    assert q["c"].start_date.approximate and q["c"].start_date.uncertain


def test_crlf_positions_are_still_right() -> None:
    text = _base().replace('"2011-05-02"', '"2011-02-30"')
    issue = _text_error(text.replace("\n", "\r\n"), "crlf.json").issues[0]
    assert issue.path == "$.events[0].start"
    assert _text_at(text, issue.line, issue.col).startswith('"2011-02-30"')


# --- generated at run time: not committed -------------------------------------------------------


def test_a_directory(tmp_path: Path) -> None:
    err = _error(tmp_path)
    assert "is a directory" in err.issues[0].message
    assert (err.issues[0].line, err.issues[0].col) == (1, 1)


def test_a_missing_path(tmp_path: Path) -> None:
    err = _error(tmp_path / "nope.json")
    assert err.issues[0].message == "no such file"


def test_json_nested_100000_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"schema_version": 1, "title": "deep", "description": ' + "[" * 100_000 + "]" * 100_000 + "}")
    issue = _error(path).issues[0]
    assert "nested too deeply" in issue.message
    assert issue.line == 1 and issue.col > 50  # at the bracket that goes too deep, not at 1:1
    assert read_text(path)[issue.col - 1] == "["


def test_deep_nesting_that_parses_is_still_a_clean_error() -> None:
    text = '{"schema_version": 1, "title": "deep", "description": ' + "[" * 200 + "]" * 200 + "}"
    issue = _text_error(text).issues[0]
    assert issue.path == "$.description"
    assert "expected a string, got a list" in issue.message


def test_a_million_character_string_keeps_messages_short(tmp_path: Path) -> None:
    doc = json.loads(_base())
    huge = "x" * 1_000_000
    doc["events"][0]["start"] = huge
    doc["events"][1]["actors"] = [huge]
    doc[huge] = 1
    doc["schema_version"] = huge
    path = tmp_path / "million.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    err = _error(path)
    assert {i.path.split("[")[0] for i in err.issues} >= {"$.events", "$.schema_version", "$"}
    assert len(err.issues) == 5  # start, schema_version, the key, the actor id's form and its reference
    for line in err.lines():
        assert len(line) < 400, line[:500]
    # A huge title is valid and loads in full: clipping is for messages only.
    ok = json.loads(_base())
    ok["events"][0]["title"] = huge
    path.write_text(json.dumps(ok), encoding="utf-8")
    assert load_timeline(path).events[0].title == huge


@pytest.mark.parametrize(("char", "escape"), [("\t", "\\t"), ("\n", "\\n"), ("\x07", "\\u0007"), ("\x1b", "\\u001b")])
def test_raw_control_characters_in_strings(tmp_path: Path, char: str, escape: str) -> None:
    text = _base().replace('"A raid."', f'"A{char}raid."')
    path = tmp_path / "control.json"
    path.write_text(text, encoding="utf-8")
    issue = _error(path).issues[0]
    assert f"control character U+{ord(char):04X}" in issue.message
    assert f"write it as {escape}" in issue.message
    line = read_text(path).split("\n")[issue.line - 1]
    assert line[issue.col - 1 :].startswith(char) or (char == "\n" and issue.col == len(line) + 1)


def test_escaped_control_characters_are_fine() -> None:
    text = _base().replace('"A raid."', '"A\\u0007\\t raid."')
    assert loads_timeline(text).events[0].summary == "A\x07\t raid."


def _write_huge_invalid(path: Path, target_bytes: int, tail: str) -> None:
    """A valid header, a run of copies of one event, then ``tail`` (a bad event, or a cut)."""
    event = json.dumps(
        {"id": "e{}", "title": "A repeated event", "start": "2011-05-02", "actors": ["a"], "summary": "s" * 1900}
    ).replace('"e{}"', '"e%d"')
    head = '{"schema_version": 1, "title": "big", "actors": [{"id": "a", "name": "A"}], "events": [\n'
    per_chunk = 1000
    with path.open("w", encoding="utf-8") as fh:
        fh.write(head)
        i = 0
        while fh.tell() < target_bytes:
            fh.write("".join(event % (i + k) + ",\n" for k in range(per_chunk)))
            i += per_chunk
        fh.write(tail)


@pytest.mark.slow
def test_a_200_mb_file_with_one_bad_date_near_the_end(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    bad = '{"id": "last", "title": "Bad", "start": "2018-02-30", "actors": ["a"], "summary": ""}]}\n'
    _write_huge_invalid(path, 200 * 1024**2, bad)
    assert path.stat().st_size >= 200 * 1024**2
    err = _error(path)
    assert len(err.issues) == 1
    issue = err.issues[0]
    assert issue.path.startswith("$.events[") and issue.path.endswith("].start")
    assert "February 2018 has 28 days, not 30" in issue.message
    with path.open(encoding="utf-8") as fh:
        for _ in range(issue.line - 1):
            fh.readline()
        assert fh.readline()[issue.col - 1 :].startswith('"2018-02-30"')


@pytest.mark.slow
def test_a_200_mb_file_cut_off(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    _write_huge_invalid(path, 200 * 1024**2, '{"id": "last", "title": "Cut off in the mid')
    issue = _error(path).issues[0]
    assert issue.path == "$"
    assert "never closed" in issue.message
    with path.open(encoding="utf-8") as fh:
        n = sum(1 for _ in fh)
    assert issue.line == n
