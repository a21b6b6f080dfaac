"""A division's name where its code belongs (上城区 for 330102), as offices write it.

A name exactly one current division bears is read as that division's code, by
every route (CSV and JSON on both engines, XLSX, dicts, frames, `parse_record`);
a name several divisions share, or a retired division's name, is refused as
before: never guessed. (tests/test_cross_format.py draws these names too.)
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from click.testing import CliRunner

import sw_policy
from sw_policy.cli import main
from sw_policy.inputs.divisions import code_of_name

AS_OF = "2024-06-30"
NAMES = {
    "A1": "330102",
    "A2": "浙江省杭州市上城区",
    "A3": "上城区",
    "A4": "杭州市上城区",
    "A5": "杭州市",
    "A6": "朝阳区",  # Beijing and Changchun: ambiguous
    "A7": "下城区",  # merged into 拱墅区 in 2021: retired
    "A8": "上城",  # not a division's name
}
READ = {"A1", "A2", "A3", "A4", "A5"}


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("上城区", "330102"),
        ("杭州市上城区", "330102"),
        ("浙江省杭州市上城区", "330102"),
        (" 淳安县 ", "330127"),
        ("杭州市", "330100"),
        ("浙江省", "330000"),
        ("朝阳区", None),
        ("下城区", None),
        ("上城", None),
        ("", None),
    ],
)
def test_code_of_name(name: str, code: str | None) -> None:
    assert code_of_name(name) == code


def _rows() -> list[dict[str, str | int]]:
    return [
        {"kind": "budget", "id": i, "jurisdiction": j, "total_funds": 100, "labour_cost": 60}
        for i, j in NAMES.items()
    ]


def _json_report(path: Path, engine: str) -> str:
    args = ["check", str(path), "--as-of", AS_OF, "--format", "json", "--engine", engine]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 3, result.output  # rows were refused: incomplete
    return result.stdout


def _outcomes(report: str) -> tuple[set[str], set[str]]:
    data = json.loads(report)
    return {f["record_id"] for f in data["findings"]}, {r["id"] for r in data["rejected"]}


def test_every_file_format_reads_names_alike_on_both_engines(tmp_path: Path) -> None:
    rows = _rows()
    (tmp_path / "b.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    lines = ["项目编号,行政区划,项目经费,人力成本"]
    lines += [f"{r['id']},{r['jurisdiction']},100,60" for r in rows]
    (tmp_path / "b.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in lines:
        sheet.append(line.split(","))
    book.save(tmp_path / "b.xlsx")
    for name in ("b.json", "b.csv", "b.xlsx"):
        row, columnar = (_json_report(tmp_path / name, e) for e in ("row", "columnar"))
        assert row == columnar
        assert _outcomes(row) == (READ, set(NAMES) - READ), name


def test_the_library_reads_names_alike(rulebook: sw_policy.Rulebook) -> None:
    rows = _rows()
    assert {r.id for r in rulebook.check(rows, as_of=AS_OF).rejected} == set(NAMES) - READ
    frame = pl.DataFrame([{k: str(v) for k, v in r.items() if k != "kind"} for r in rows])
    for engine in ("row", "columnar"):
        report = rulebook.check(frame, kind="budget", as_of=AS_OF, engine=engine)
        assert {r.id for r in report.rejected} == set(NAMES) - READ
    columnar = sw_policy.check_columnar(rulebook, frame, kind="budget", as_of=AS_OF)
    assert set(columnar.to_polars()["record_id"]) == READ
    record = sw_policy.parse_record(rows[2])
    assert record.jurisdiction == "330102"


def test_an_ambiguous_name_is_refused_with_the_code_asked_for(
    rulebook: sw_policy.Rulebook,
) -> None:
    [refused] = rulebook.check([_rows()[5]], as_of=AS_OF).rejected
    assert refused.errors == (
        "jurisdiction: '朝阳区' is not a 6-digit GB/T 2260 division code such as 330106",
    )
