"""Safe output: control characters escaped on the terminal and in workbooks, the
report never overwrites an input, and a report file appears whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sw_policy.cli import main
from sw_policy.cli._safety import write_atomically
from sw_policy.reports.safe_text import escape_controls, escape_for_xml

HOSTILE_ID = "\x1b]0;pwned\x07\x1b[2J\rResult: no mandatory provision failed.\u202e"
AS_OF = ["--as-of", "2024-06-30"]


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "in.csv"
    quoted = HOSTILE_ID.replace('"', '""')
    path.write_text(
        "kind,id,jurisdiction,total_funds,labour_cost\n"
        f'budget,"{quoted}",330106,100,90\n'
        f'budget,"{quoted}\nx",33x106,100,90\n',
        encoding="utf-8",
    )
    return path


def test_escape_controls_shows_each_character_as_its_escape() -> None:
    assert escape_controls("a\x1b[2Jb\r\n\t\x85\u202e") == "a\\x1b[2Jb\\x0d\\x0a\\x09\\x85\\u202e"
    assert escape_controls("社工 P-1 (ok)") == "社工 P-1 (ok)"
    assert escape_for_xml("a\x00\x1b\tb\n") == "a\\x00\\x1b\tb\n"


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_terminal_reports_escape_control_characters(tmp_path: Path, fmt: str) -> None:
    result = CliRunner().invoke(main, ["check", str(_csv(tmp_path)), *AS_OF, "--format", fmt])
    # 3: the only failure is the Zhejiang draft's (not binding), and row 2 is rejected.
    assert result.exit_code == 3, result.stderr
    out = result.stdout
    for raw in ("\x1b", "\x07", "\r", "\u202e"):
        assert raw not in out
    shown = "\\x1b]0;pwned\\x07\\x1b[2J\\x0dResult"
    if fmt == "md":  # Markdown then escapes the backslashes and brackets in turn
        shown = "x1b\\]0;pwned\\\\x07"
    assert shown in out
    forged = [line for line in out.splitlines() if line.startswith("Result: no mandatory")]
    assert forged == []


def test_xlsx_report_holds_control_characters_escaped(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "report.xlsx"
    result = CliRunner().invoke(
        main, ["check", str(_csv(tmp_path)), *AS_OF, "--format", "xlsx", "-o", str(target)]
    )
    assert result.exit_code == 3, result.stderr  # a draft failure and a rejected row
    book = load_workbook(target, read_only=True)
    texts = [
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
    ]
    book.close()
    assert any("\\x1b]0;pwned\\x07" in t for t in texts)


@pytest.mark.parametrize("spelling", ["same", "dotted", "link"])
def test_output_that_is_an_input_is_refused_before_writing(tmp_path: Path, spelling: str) -> None:
    source = _csv(tmp_path)
    before = source.read_bytes()
    target = {"same": source, "dotted": tmp_path / "." / "in.csv", "link": tmp_path / "ln.csv"}[
        spelling
    ]
    if spelling == "link":
        target.symlink_to(source)
    result = CliRunner().invoke(main, ["check", str(source), *AS_OF, "-o", str(target)])
    assert result.exit_code == 2
    assert "--output is one of the input files" in result.stderr
    assert source.read_bytes() == before


def test_report_is_renamed_into_place_whole(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomically(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ("rows=0", "above 0"),
        ("nope=3", "NAME one of"),
        ("rows", "NAME=VALUE"),
        ("rows=x", "above 0"),
    ],
)
def test_bad_limit_option_is_a_usage_error(tmp_path: Path, limit: str, message: str) -> None:
    result = CliRunner().invoke(main, ["check", str(_csv(tmp_path)), "--limit", limit])
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize("encoding", ["rot13", "base64", "zlib"])
def test_codec_that_is_no_text_encoding_is_refused(tmp_path: Path, encoding: str) -> None:
    result = CliRunner().invoke(main, ["check", str(_csv(tmp_path)), "--encoding", encoding])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "not a text encoding" in result.stderr


def test_closed_standard_output_is_one_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    command = [sys.executable, "-m", "sw_policy", "check", str(_csv(tmp_path)), *AS_OF]
    done = subprocess.run(
        command, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1), check=False
    )
    err = done.stderr.decode()
    assert done.returncode == 2 and err.count("\n") == 1
    assert "standard output is closed" in err


def test_diff_takes_limits_and_never_overwrites_an_input(tmp_path: Path) -> None:
    source = _csv(tmp_path)
    before = source.read_bytes()
    result = CliRunner().invoke(main, ["diff", str(source), *AS_OF, "-o", str(source)])
    assert result.exit_code == 2 and "--output is one of the input files" in result.stderr
    assert source.read_bytes() == before
    result = CliRunner().invoke(main, ["diff", str(source), *AS_OF, "--limit", "rows=1"])
    assert result.exit_code == 2 and "rows=1" in result.stderr
