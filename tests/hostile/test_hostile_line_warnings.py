"""Physical lines that are not records (a quoted line break, blank lines) are a warning,
the same in every format that shows warnings and from both engines, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sw_policy.cli import main
from sw_policy.reports.warning_words import warning_text

HEADER = "kind,id,jurisdiction,total_funds,labour_cost,name\n"
ROW = "budget,P-{},330106,100,{},x\n"

FILES = {
    "spans.csv": HEADER
    + ROW.format(1, 90).replace(",x\n", ',"Alt+Enter\nin a cell"\n')
    + ROW.format(2, 20),
    "blank.csv": HEADER + ROW.format(1, 90) + "\n\r\n" + ROW.format(2, 20),
    "many.csv": HEADER + "".join(ROW.format(i, 20) + "\n" for i in range(1, 7)),
    "blank.jsonl": '{"kind":"budget","id":"J-1","jurisdiction":"330106","total_funds":1}\n'
    '\n   \n{"kind":"budget","id":"J-2","jurisdiction":"330106","total_funds":2}\n',
}
WARNINGS = {
    "spans.csv": "physical lines are not records: row 2 (lines 2-3) spans more than one "
    "line (a quoted cell holds a line break)",
    "blank.csv": "physical lines are not records: blank lines 3, 4 skipped",
    "many.csv": "physical lines are not records: blank lines 3, 5, 7 and 3 more skipped",
    "blank.jsonl": "physical lines are not records: blank lines 2, 3 skipped",
}


def _check(path: Path, engine: str, fmt: str, *extra: str) -> tuple[int, str]:
    args = ["check", str(path), "--as-of", "2024-06-30", "--engine", engine, "--format", fmt]
    result = CliRunner().invoke(main, [*args, *extra])
    assert "internal error" not in result.stderr, result.stderr
    return result.exit_code, result.stdout


@pytest.mark.parametrize("name", sorted(FILES))
def test_warning_in_every_format_from_both_engines(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(FILES[name].encode())
    extra = ("--kind", "budget")  # lets the columnar engine try its direct CSV reader
    code, out = _check(path, "row", "json", *extra)
    assert code in (0, 1, 3)
    assert json.loads(out)["inputs"][0]["warnings"] == [WARNINGS[name]]
    for fmt in ("json", "table", "md", "html"):
        row = _check(path, "row", fmt, *extra)
        assert row == _check(path, "columnar", fmt, *extra), fmt
        said = {WARNINGS[name], warning_text(WARNINGS[name], "zh")}  # as the report's language
        assert any(text in row[1] for text in said), fmt


def test_records_still_all_judged(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_bytes(FILES["many.csv"].encode())
    report = json.loads(_check(path, "columnar", "json", "--kind", "budget")[1])
    assert report["inputs"][0]["records"] == report["inputs"][0]["evaluated"] == 6


def test_no_warning_when_lines_are_records(tmp_path: Path) -> None:
    for name, text in {
        "plain.csv": HEADER + ROW.format(1, 90) + ROW.format(2, 20),
        "plain.jsonl": FILES["blank.jsonl"].replace("\n   \n", ""),
        "crlf.csv": (HEADER + ROW.format(1, 90)).replace("\n", "\r\n"),
    }.items():
        path = tmp_path / name
        path.write_bytes(text.encode())
        for engine in ("row", "columnar"):
            report = json.loads(_check(path, engine, "json", "--kind", "budget")[1])
            assert report["inputs"][0]["warnings"] == [], (name, engine)
