"""Issue 20: a county workbook goes through; the verdict never hides what was not read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from field_workbook import ID_NUMBERS, PHONES, county_workbook
from sw_policy.cli import main
from sw_policy.inputs.readers import read_files

AS_OF = "2024-06-30"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return county_workbook(tmp_path / "淳安县2023.xlsx")


def test_every_project_and_worker_is_evaluated(workbook: Path) -> None:
    read = read_files([workbook])
    assert read.rejected == []
    budgets = {r.record.id: r.record for r in read.records if r.record.kind == "budget"}
    workers = [r.record for r in read.records if r.record.kind == "worker"]
    assert sorted(budgets) == ["CA-2023-01", "CA-2023-02", "CA-2023-03", "CA-2023-04"]
    assert len(workers) == 3
    # 万元 columns scaled exactly; numbers stored as text and as numbers alike.
    assert budgets["CA-2023-02"].total_funds == 255000
    assert budgets["CA-2023-03"].labour_cost == 84000
    # Workers: stable ids from file, sheet and row; the county from the title line.
    assert [w.id for w in workers] == [
        "淳安县2023:社工人员名单:3",
        "淳安县2023:社工人员名单:4",
        "淳安县2023:社工人员名单:5",
    ]
    assert {w.jurisdiction for w in workers} == {"330127"}
    assert [w.certificate for w in workers] == ["intermediate", "none", "none"]
    assert [w.education for w in workers] == ["bachelor", "junior_college", "secondary"]
    assert [w.training_hours_5y for w in workers] == [40, 130, 60]
    [summary] = read.inputs
    assert (summary.records, summary.evaluated, summary.rejected, summary.skipped) == (7, 7, 0, 2)
    assert summary.unused_columns == ("性别", "身份证号", "联系电话")
    assert [(s.sheet, s.row, s.reason, s.text) for s in read.skipped] == [
        ("购买服务项目", 8, "total", "合计"),
        ("购买服务项目", 9, "note", "注"),
    ]


def test_outcomes_of_the_workbook(workbook: Path) -> None:
    code, out = run("check", str(workbook), "--as-of", AS_OF, "--format", "json")
    report = json.loads(out)
    share = {
        f["record_id"]: f["outcome"]
        for f in report["findings"]
        if f["rule_id"] == "zhejiang-2019.labour-cost-share"
    }
    # 60 %, 80 %, exactly 70 % (不超过: passes), 75 %.
    assert share == {
        "CA-2023-01": "pass",
        "CA-2023-02": "fail",
        "CA-2023-03": "pass",
        "CA-2023-04": "fail",
    }
    assert report["summary"]["records"] == 7
    assert [s["row"] for s in report["skipped"]] == [8, 9]
    # The Zhejiang text is a draft for comment; issue 14 decides whether it binds.
    assert code in (0, 1)


def test_worker_outcomes_with_a_jurisdiction_named(workbook: Path) -> None:
    """Given 东昌府区 (Liaocheng), the professional-qualification definition applies."""
    code, out = run(
        "check", str(workbook), "--as-of", AS_OF, "--format", "json", "--jurisdiction", "东昌府区"
    )
    report = json.loads(out)
    outcomes = {
        f["record_id"]: f["outcome"]
        for f in report["findings"]
        if f["rule_id"] == "liaocheng-2020.professional-qualification"
    }
    assert outcomes == {
        "淳安县2023:社工人员名单:3": "pass",  # 社会工作师
        "淳安县2023:社工人员名单:4": "pass",  # ≥ 120 hours
        "淳安县2023:社工人员名单:5": "fail",  # 高中, no certificate, 60 hours
    }
    assert report["options"]["jurisdiction"] == "371502"
    assert code == 1


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "html", "md", "table", "xlsx"])
def test_no_personal_number_in_any_format(workbook: Path, tmp_path: Path, fmt: str) -> None:
    out_file = tmp_path / f"report.{fmt}"
    run("check", str(workbook), "--as-of", AS_OF, "--format", fmt, "-o", str(out_file))
    data = out_file.read_bytes()
    if fmt == "xlsx":
        import zipfile

        with zipfile.ZipFile(out_file) as book:
            data = b"".join(book.read(n) for n in book.namelist())
    for secret in (*ID_NUMBERS, *PHONES):
        assert secret.encode() not in data


def test_every_row_rejected_exits_3_and_says_so_first(tmp_path: Path) -> None:
    path = tmp_path / "budgets.csv"
    path.write_text(
        "项目编号,行政区划代码,项目经费\nP-1,330127,abc\nP-2,330127,-5\n", encoding="utf-8"
    )
    code, out = run("check", str(path), "--as-of", AS_OF, "--lang", "en")
    assert code == 3
    lines = out.splitlines()
    assert lines[2] == "incomplete: 2 rows could not be read"
    assert "Result: incomplete: 2 rows could not be read (exit status 3)." in lines
    code, md = run("check", str(path), "--as-of", AS_OF, "--format", "md")
    assert code == 3
    assert md.splitlines()[2] == "**检查不完整：2 行未能读取（退出状态 3）。**"
    code, html = run("check", str(path), "--as-of", AS_OF, "--format", "html")
    assert html.index("检查不完整：2 行未能读取") < html.index('id="summary"')


def test_nothing_read_exits_3(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("项目编号,行政区划代码,项目经费\n", encoding="utf-8")
    code, out = run("check", str(path), "--as-of", AS_OF, "--lang", "en")
    assert code == 3
    assert "incomplete: no record was read" in out


@pytest.mark.parametrize("engine", ["row", "columnar"])
def test_a_csv_without_its_header_row_is_an_error_not_rows_lost(
    tmp_path: Path, engine: str
) -> None:
    """The first data row is not taken for a header: a file no header of which names a
    field is refused in one line, naming no cell (a roster's cells are a person's data)."""
    path = tmp_path / "roster.csv"
    path.write_text("W1,330127,330127199001011234,13912345678\nW2,330127,,\n")
    args = ["check", str(path), "--as-of", AS_OF, "--kind", "worker", "--engine", engine]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"sw-policy: error: {path}: no header row naming known columns in its first rows "
        "(first non-blank row 1); a table needs one, such as id,jurisdiction,total_funds\n"
    )


def test_a_binding_failure_exits_1_whatever_else(tmp_path: Path) -> None:
    path = tmp_path / "budgets.csv"
    path.write_text(
        "项目编号,行政区划代码,项目经费,人力成本\nP-1,361126,100,50\nP-2,361126,abc,1\n",
        encoding="utf-8",
    )
    code, out = run("check", str(path), "--as-of", AS_OF, "--lang", "en")
    assert code == 1  # yiyang-2022 (in force): 50 % < 80 %, and a row was rejected
    assert "incomplete: 1 row could not be read" in out


def test_complete_run_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "budgets.csv"
    path.write_text(
        "项目编号,行政区划代码,项目经费,人力成本\nP-1,361126,100,80\n", encoding="utf-8"
    )
    assert run("check", str(path), "--as-of", AS_OF)[0] == 0


def test_strict_columns_restores_refusal(tmp_path: Path) -> None:
    path = tmp_path / "budgets.csv"
    path.write_text(
        "项目编号,行政区划代码,项目经费,人力成本,负责人,联系电话\nP-1,361126,100,80,张三,13905711234\n",
        encoding="utf-8",
    )
    [record] = read_files([path]).records
    assert record.record.id == "P-1"
    read = read_files([path], strict_columns=True)
    assert read.records == []
    [rejected] = read.rejected
    assert rejected.errors == ("负责人: unknown field",)
    assert "13905711234" not in repr(read)


def test_total_row_that_disagrees_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "budgets.csv"
    path.write_text(
        "序号,项目编号,行政区划代码,项目经费（万元）,人力成本（万元）\n"
        "1,P-1,361126,10,8\n2,P-2,361126,20,17\n合计,,,31,25\n",
        encoding="utf-8",
    )
    read = read_files([path])
    assert len(read.records) == 2
    [summary] = read.inputs
    assert summary.warnings == (
        "row 4: 合计 项目经费（万元） is 310000 but the rows above sum to 300000",
    )


def test_near_miss_column_is_a_warning_and_unused_columns_are_in_every_report(
    tmp_path: Path,
) -> None:
    path = tmp_path / "budgets.csv"
    path.write_text(
        "项目编号,行政区划代码,项目经费,人力成本,人力成本占比,性别\nP-1,361126,100,80,80%,女\n",
        encoding="utf-8",
    )
    [summary] = read_files([path]).inputs
    assert summary.unused_columns == ("人力成本占比", "性别")
    assert summary.warnings == (
        "column '人力成本占比' is not used; did you mean labour_cost? "
        "(add the name to rules/intake/vocabulary.yaml to use it)",
    )
    for fmt in ("table", "md", "html"):
        code, out = run("check", str(path), "--as-of", AS_OF, "--format", fmt, "--lang", "zh")
        assert code == 0
        assert "未使用的列：人力成本占比, 性别" in out, fmt
    out_file = tmp_path / "r.xlsx"
    run("check", str(path), "--as-of", AS_OF, "--format", "xlsx", "-o", str(out_file))
    from openpyxl import load_workbook

    reading = load_workbook(out_file)["读取情况"]
    assert any("未使用的列：人力成本占比, 性别" in str(c.value) for c in reading["A"])


def test_jurisdiction_option_warns_of_a_retired_code(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("姓名,学历\n甲,本科\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", str(path), "--as-of", AS_OF, "--kind", "worker", "--jurisdiction", "330103"]
    )
    assert "retired after 2021" in result.stderr
    assert result.exit_code == 0
