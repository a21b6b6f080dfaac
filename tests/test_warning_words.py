"""Input warnings said in Chinese in a Chinese report (reports/warning_words.py).

Every warning the readers make, made here from real files (and from every file in
fixtures/field), has a Chinese wording; the JSON report keeps the English text as
made, and an English report shows it unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sw_policy.cli import main
from sw_policy.reports.defaults_note import warning_text as defaults_text
from sw_policy.reports.warning_words import warning_text

AS_OF = "2024-06-30"
FIELD = Path(__file__).resolve().parents[1] / "fixtures" / "field"
ENGLISH = ("row ", "column ", "sheet ", " the ", "taken from", "skipped", "retired", "line ")


def _check(path: Path, *extra: str) -> str:
    args = ["check", str(path), "--as-of", AS_OF, *(extra or ("--lang", "zh"))]
    return CliRunner().invoke(main, args).stdout


def _warnings(path: Path) -> list[str]:
    report = json.loads(_check(path, "--format", "json"))
    return [w for item in report["inputs"] for w in item["warnings"]]


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Files that make every kind of warning the readers write."""
    folder = tmp_path_factory.mktemp("warnings")
    csv = folder / "warn.csv"
    csv.write_text(
        "行政区划代码,项目编号,项目经费,人力成本,人员经费占比,名称\n"
        '330106,A1,100,60,0.6,"西湖\n项目"\n\n330103,A2,100,70,0.7,x\n'
        "339999,A3,100,80,0.8,y\n合计,,300,200,,\n",
        encoding="utf-8",
    )
    many = folder / "codes.csv"
    rows = [f"B{n},3399{n:02d},100,60" for n in range(12)]
    many.write_text("id,jurisdiction,total_funds,labour_cost\n" + "\n".join(rows) + "\n")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "经费明细"
    sheet.append(["淳安县2024年度项目经费表"])
    sheet.append(["项目编号", "项目经费", "人力成本", "人员经费占比"])
    sheet.append(["C1", 100, 60, 0.6])
    sheet.append(["小计", 100, 50, None])
    xlsx = folder / "title.xlsx"
    book.save(xlsx)
    return [csv, many, xlsx]


def test_every_warning_made_has_a_chinese_wording(messy: list[Path]) -> None:
    made = {w for path in [*messy, *sorted(FIELD.glob("*.*[!l]"))] for w in _warnings(path)}
    kinds = {w.split(":")[0].split(" ")[0] for w in made}
    assert {"column", "row", "physical", "division", "jurisdiction", "sheet"} <= kinds
    for warning in sorted(made):
        said = warning_text(warning, "zh")
        assert said != warning, warning
        assert not any(word in said for word in ENGLISH), said
        assert warning_text(warning, "en") == defaults_text(warning, "en")


def test_the_chinese_report_says_them_in_chinese(messy: list[Path]) -> None:
    table = _check(messy[0])
    assert "warn.csv：列“人员经费占比”未使用；是否指人力成本（labour_cost）？" in table
    assert "warn.csv：第 7 行：合计行的人力成本为 200，但上方各行之和为 210" in table
    assert (
        "warn.csv：物理行与记录不一一对应：第 2 行（文件第 2–3 行）跨越多行"
        "（带引号的单元格内有换行）；已跳过空行 4" in table
    )
    assert "warn.csv：以下行政区划代码不在 GB/T 2260 代码表中：339999" in table
    assert "warn.csv：行政区划代码 330103（下城区）有效期至 2021 年，已撤销；现为 330105" in table
    codes = _check(messy[1])
    listed = "、".join(f"3399{n:02d}" for n in range(10))
    assert f"以下行政区划代码不在 GB/T 2260 代码表中：{listed} 等（另有 2 个）" in codes
    title = _check(messy[2])
    taken = "工作表 经费明细：未填行政区划代码的行，按表格标题取 330127（浙江省杭州市淳安县）"
    assert taken in title
    assert "工作表 经费明细：第 4 行：小计行的人力成本为 50，但上方各行之和为 60" in title


def test_json_and_english_reports_keep_the_text_as_made(messy: list[Path]) -> None:
    assert "row 7: 合计 人力成本 is 200 but the rows above sum to 210" in _warnings(messy[0])
    english = _check(messy[0], "--lang", "en")
    assert "warn.csv: row 7: 合计 人力成本 is 200 but the rows above sum to 210" in english


@pytest.mark.parametrize(
    "warning",
    [
        "something new a reader says",
        "physical lines are not records: a part no pattern knows",
        "column 'x' is not used; did you mean nothing",
    ],
)
def test_an_unknown_warning_is_shown_as_made(warning: str) -> None:
    assert warning_text(warning, "zh") == warning
