"""The three command lines report a bad file the same way: located lines on stderr, one exit code
per kind of failure (cli_report.py), never a traceback."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pytest

from timeline_app.cli import main
from timeline_app.cli_report import EXIT_INVALID, EXIT_OK, EXIT_USAGE

DATA = Path(__file__).resolve().parent / "data"
LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<what>.+)$")
BAD_CSV = "id,title,start,actors\ne1,One,2001,us\ne2,Two,2001-13,us\n"


def commands(path: Path, tmp_path: Path) -> dict[str, list[str]]:
    """Each CLI reading ``path`` (export and convert with somewhere to write)."""
    return {
        "validate": ["validate", str(path)],
        "export": ["export", str(path), "-o", str(tmp_path / "out.png")],
        "convert": ["convert", str(path), str(tmp_path / "out.json")],
    }


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.mark.parametrize("name", ["bad_date_feb_30.json", "bad_event_unknown_actor.json", "bad_trailing_comma.json"])
def test_a_bad_file_of_ours_reads_the_same_in_every_cli(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = DATA / name
    reports = {}
    for cli, argv in commands(path, tmp_path).items():
        code, out, err = run(argv, capsys)
        assert code == EXIT_INVALID, cli
        assert out == "", cli
        lines = err.splitlines()
        assert lines and all(LOCATED.match(line) and line.startswith(f"{path}:") for line in lines), (cli, err)
        reports[cli] = err
    assert reports["validate"] == reports["export"] == reports["convert"]
    assert not list(tmp_path.iterdir())  # nothing written


def test_a_bad_spreadsheet_is_located_in_every_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text(BAD_CSV.replace("e1,One,2001", "e1,One,someday"), encoding="utf-8")
    reports = set()
    for argv in commands(path, tmp_path).values():
        code, out, err = run(argv, capsys)
        assert code == EXIT_INVALID and out == ""
        assert f"{path}:2:3: " in err and "someday" in err and f"{path}:3:3: " in err, err
        reports.add(err)
    assert len(reports) == 1


def test_import_warnings_are_located_in_every_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    for cli, argv in commands(path, tmp_path).items():
        if cli == "export":
            argv = [*argv, "--width", "640", "--height", "400"]
        code, _out, err = run(argv, capsys)
        assert code == EXIT_OK, (cli, err)
        assert f"{path}:3:3: warning: " in err and "2001-13" in err and "the row was skipped" in err, (cli, err)


def test_a_missing_file_and_a_folder_are_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    folder = tmp_path / "folder.json"
    folder.mkdir()
    for path, what in ((tmp_path / "missing.csv", "no such file"), (folder, "is a directory")):
        for cli, argv in commands(path, out_dir).items():
            code, out, err = run(argv, capsys)
            assert (code, out) == (EXIT_INVALID, ""), cli
            (line,) = err.splitlines()
            assert line.startswith(f"{path}:1:1: ") and what in line, (cli, line)


@pytest.mark.parametrize(
    ("cli", "reader"),
    [("validate", "timeline_app.core.bulk.check_file"), ("export", "timeline_app.interop.open.open_store")],
)
def test_an_unexpected_read_error_is_one_clean_line(
    cli: str, reader: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = DATA / "ok_base.json"

    def failing(name: object, *_args: object, **_kw: object) -> None:
        raise OSError(errno.EIO, "Input/output error", str(name))

    monkeypatch.setattr(reader, failing)
    code, out, err = run(commands(path, tmp_path)[cli], capsys)
    assert (code, out) == (EXIT_INVALID, "")
    assert err == f"timeline-app {cli}: cannot read {path}: Input/output error\n"


def test_an_unwritable_output_is_one_clean_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no-such-folder" / "out.json"
    code, _out, err = run(["schema", "-o", str(target)], capsys)
    assert (code, err) == (EXIT_INVALID, f"timeline-app: cannot write {target}: No such file or directory\n")
    code, _out, err = run(["convert", str(DATA / "ok_base.json"), str(target)], capsys)
    assert (code, err) == (EXIT_INVALID, f"timeline-app convert: cannot write {target}: No such file or directory\n")


def test_format_errors_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = DATA / "ok_base.json"
    code, _out, err = run(["convert", str(good), str(tmp_path / "out.xyz")], capsys)
    assert code == EXIT_USAGE and err.startswith("timeline-app convert: cannot tell the output format")
    code, _out, err = run(["convert", str(good), str(tmp_path / "o.json"), "--from", "csv", "--column", "x"], capsys)
    assert code == EXIT_USAGE and err.startswith("timeline-app convert: --column 'x'")
    code, _out, err = run(["export", str(good), "-o", str(tmp_path / "out.gif")], capsys)
    assert code == EXIT_USAGE and err.startswith("timeline-app export: ")


def test_the_ok_summary_goes_to_stdout_and_nothing_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["validate", str(DATA / "ok_base.json")], capsys)
    assert (code, err) == (EXIT_OK, "")
    assert out.startswith(f"{DATA / 'ok_base.json'}: OK: 2 events")
