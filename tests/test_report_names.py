"""Names beside ids and codes in every human report (issue 15): 项目名称 / 姓名 beside the
record's id, the GB/T 2260 name beside its division code; the JSON report unchanged."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from field_workbook import ID_NUMBERS, PHONES, county_workbook
from sw_policy.cli import main
from sw_policy.inputs.divisions import display_name

AS_OF = "2024-06-30"
HUMAN = ("csv", "html", "md", "table", "xlsx")


def _report(args: list[str], out: Path) -> str:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(main, [*args, "-o", str(out)])
    assert result.exit_code in {0, 1, 3}, result.output
    if out.suffix == ".xlsx":
        with zipfile.ZipFile(out) as book:
            return b"".join(book.read(n) for n in sorted(book.namelist())).decode("utf-8")
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return county_workbook(tmp_path_factory.mktemp("names") / "淳安县2023.xlsx")


def test_display_name_of_each_level() -> None:
    assert display_name("330106") == "杭州市西湖区"  # a county, with its city
    assert display_name("330100") == "浙江省杭州市"  # a city, with its province
    assert display_name("330000") == "浙江省"
    assert display_name("110101") == "北京市东城区"  # no city row between
    assert display_name("999999") is None


@pytest.mark.parametrize("engine", ["row", "columnar"])
@pytest.mark.parametrize("fmt", HUMAN)
def test_names_and_divisions_in_every_human_format_and_no_personal_number(
    workbook: Path, tmp_path: Path, fmt: str, engine: str
) -> None:
    args = ["check", str(workbook), "--as-of", AS_OF, "--format", fmt, "--engine", engine]
    # No worker rule covers 淳安县: the workers' findings are all not_applicable.
    text = _report([*args, "--include-not-applicable"], tmp_path / f"r.{fmt}")
    for name in ("困境儿童关爱服务", "社区矫正服务", "王丽", "李强", "陈静"):
        assert name in text, name
    assert "杭州市淳安县" in text  # 330127, the code the title gives the roster
    for secret in (*ID_NUMBERS, *PHONES):
        assert secret not in text


def test_json_report_keeps_the_contract_shape(workbook: Path, tmp_path: Path) -> None:
    """Names are not added to the JSON findings: the contract fixes their keys."""
    for engine in ("row", "columnar"):
        args = ["check", str(workbook), "--as-of", AS_OF, "--format", "json", "--engine", engine]
        data = json.loads(_report(args, tmp_path / f"r-{engine}.json"))
        keys = {key for f in data["findings"] for key in f}
        assert "record_name" not in keys and "jurisdiction" not in keys
        assert "王丽" not in json.dumps(data["findings"], ensure_ascii=False)


def _names_csv(path: Path) -> Path:
    rows = [
        "id,name,jurisdiction,total_funds,labour_cost",
        "P-1,  西湖区助老项目  ,330106,1000000,700000",  # spaces around: stripped alike
        'P-2,"恶意\x1b[2J名称",330106,1000000,800000',  # a control character: escaped
        "P-3,,339999,1000000,600000",  # no name; a code the table lacks: shown as given
        "P-4,=HYPERLINK(1),330100,1000000,600000",  # formula-like: neutralised in CSV
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", HUMAN)
def test_both_engines_write_the_same_names(tmp_path: Path, fmt: str) -> None:
    source = _names_csv(tmp_path / "names.csv")
    out = {}
    for engine in ("row", "columnar"):
        folder = tmp_path / engine
        folder.mkdir()
        args = ["check", str(source), "--as-of", AS_OF, "--format", fmt, "--engine", engine]
        out[engine] = _report(args, folder / f"r.{fmt}")
    assert out["row"] == out["columnar"]
    text = out["row"]
    assert "西湖区助老项目" in text and "西湖区助老项目  " not in text
    assert "330106 杭州市西湖区" in text and "330100 浙江省杭州市" in text
    assert "339999" in text


def test_terminal_and_markdown_escape_control_characters_in_names(tmp_path: Path) -> None:
    source = _names_csv(tmp_path / "names.csv")
    for fmt in ("table", "md"):
        text = _report(["check", str(source), "--as-of", AS_OF, "--format", fmt], tmp_path / "r")
        assert "\x1b" not in text and "x1b" in text and "名称" in text


def test_csv_report_neutralises_a_formula_name(tmp_path: Path) -> None:
    source = _names_csv(tmp_path / "names.csv")
    text = _report(["check", str(source), "--as-of", AS_OF, "--format", "csv"], tmp_path / "r.csv")
    assert "'=HYPERLINK(1)" in text and ",=HYPERLINK" not in text
