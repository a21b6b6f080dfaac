"""Inputs as auditors get them: GBK CSV, multi-sheet XLSX, Parquet, Chinese headers and values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from auditor_files import INJECTION_ID, county_workbook, gbk_budget_csv
from sw_policy import InputFileError, read_files
from sw_policy.inputs.tabular import Column

AS_OF = dt.date(2024, 6, 30)


def _by_id(result):
    return {r.record.id: r for r in result.records}


def test_gbk_csv_with_title_row_and_chinese_headers(tmp_path):
    result = read_files([gbk_budget_csv(tmp_path / "经费.csv")])
    records = _by_id(result)
    assert [i.encoding for i in result.inputs] == ["gb18030"]
    assert records["YY-01"].record.total_funds == Decimal("1200000.00")
    assert records["YY-01"].record.labour_cost == Decimal("960000.00")
    assert records["YY-02"].record.total_funds == Decimal("3000")  # ￥3,000
    assert records["YY-03"].record.total_funds == Decimal("1200000")  # 120万元
    assert records["YY-04"].record.labour_cost == Decimal("95000")  # 9.5万
    assert records["YY-05"].record.labour_cost is None  # blank = unknown
    assert records["YY-01"].record.name == "困境儿童关爱"
    # Spreadsheet rows: title (1), blank (2), header (3), data from 4.
    assert records["YY-01"].location.row == 4 and records["YY-01"].location.sheet is None
    [rejected] = result.rejected
    assert (rejected.row, rejected.id, rejected.column) == (9, "YY-06", "项目经费")
    assert rejected.errors[0].startswith("项目经费 (total_funds): '12,5' is ambiguous")
    [summary] = result.inputs
    assert summary.records == summary.evaluated + summary.rejected == len(result.records) + 1


def test_encoding_option_forces_or_refuses(tmp_path):
    path = gbk_budget_csv(tmp_path / "b.csv")
    assert read_files([path], encoding="gbk").inputs[0].encoding == "gbk"
    with pytest.raises(InputFileError, match="not utf-8 text"):
        read_files([path], encoding="utf-8")
    with pytest.raises(InputFileError, match="unknown encoding"):
        read_files([path], encoding="klingon")


def test_utf8_with_and_without_bom_read_alike(tmp_path):
    text = '编号,行政区划代码,项目经费,人力成本\nP-1,330106,"1,000",700\n'
    plain = tmp_path / "a.csv"
    plain.write_text(text, encoding="utf-8")
    bom = tmp_path / "b.csv"
    bom.write_text(text, encoding="utf-8-sig")
    first, second = read_files([plain]), read_files([bom], kind="budget")
    assert first.records[0].record == second.records[0].record
    assert [first.inputs[0].encoding, second.inputs[0].encoding] == ["utf-8", "utf-8-sig"]


def test_undecodable_bytes_are_a_clear_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"id,jurisdiction\n\xff\xff,330106\n")
    with pytest.raises(InputFileError, match="nor GB18030/GBK"):
        read_files([path])


def test_workbook_with_three_kinds_of_sheet(tmp_path):
    result = read_files([county_workbook(tmp_path / "county.xlsx")])
    records = _by_id(result)
    kinds = {(r.location.sheet, r.record.kind) for r in result.records}
    assert kinds == {("购买服务项目", "budget"), ("社工花名册", "worker"), ("社区", "community")}
    # Title + blank rows above the budget header: first data row is sheet row 4.
    assert records["YY-01"].location.row == 4
    assert records["YY-08"].record.total_funds == Decimal("333333.33")  # Excel float, exact
    assert records["W-02"].record.education == "junior_college"  # 大专
    assert records["W-01"].record.certificate == "assistant"  # 助理社会工作师
    assert records["W-03"].record.direct_service is False  # 否
    assert records["W-01"].record.employer_type == "urban_community"  # 城市社区
    assert records["C-02"].record.setting == "rural"  # 农村
    assert records[INJECTION_ID].record.name == "=1+1"  # text kept as text
    rejected = {(r.sheet, r.row): r for r in result.rejected}
    assert set(rejected) == {("购买服务项目", 9), ("社工花名册", 5)}
    assert rejected["社工花名册", 5].column == "证书等级"
    assert (
        rejected["社工花名册", 5]
        .errors[0]
        .startswith("证书等级 (certificate): '博士后' is not one of")
    )
    [summary] = result.inputs
    assert summary.encoding is None
    assert summary.records == len(result.records) + len(result.rejected) == 15


def test_a_sheet_without_records_is_listed_not_lost(tmp_path):
    result = read_files([county_workbook(tmp_path / "c.xlsx", notes_sheet=True)])
    # A notes sheet (说明) is not records: listed as skipped (issue 20), not rejected.
    assert not [r for r in result.rejected if r.sheet == "说明"]
    assert [(s.sheet, s.reason) for s in result.skipped] == [("说明", "note")]
    [summary] = result.inputs
    assert summary.records == summary.evaluated + summary.rejected


def test_header_unit_scales_plain_numbers_and_refuses_a_second_unit(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text(
        "编号,行政区划代码,项目经费（万元）,人力成本(万元)\nP-1,330106,120,96\nP-2,330106,120万,1\n",
        encoding="utf-8",
    )
    result = read_files([path])
    assert result.records[0].record.total_funds == Decimal("1200000")
    [rejected] = result.rejected
    assert "column header already does" in rejected.errors[0]
    assert rejected.column == "项目经费（万元）"


def test_two_columns_for_one_field_is_an_error(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("id,jurisdiction,total_funds,项目经费\nP-1,330106,1,1\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="both give total_funds"):
        read_files([path])


def test_unknown_chinese_value_is_rejected_with_its_column(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("编号,行政区划代码,学历\nW-1,371502,扫盲班\n", encoding="utf-8")
    [rejected] = read_files([path], kind="worker").rejected
    assert rejected.column == "学历" and rejected.errors[0].startswith("学历 (education):")


def test_parquet_input(tmp_path):
    pl = pytest.importorskip("polars")
    path = tmp_path / "b.parquet"
    pl.DataFrame(
        {
            "项目编号": ["P-1", "P-2"],
            "行政区划代码": ["361126", "361126"],
            "项目经费": ["1,000,000.00", None],
            "人力成本": [800000.5, 1.0],
        }
    ).write_parquet(path)
    result = read_files([path])
    first, second = (r.record for r in result.records)
    assert first.total_funds == Decimal("1000000.00") and first.labour_cost == Decimal("800000.5")
    assert second.total_funds is None
    assert [r.location.row for r in result.records] == [1, 2]
    assert result.inputs[0].sha256 and result.inputs[0].records == 2


def test_column_letters():
    assert [Column(i, "", "").letter for i in (0, 25, 26, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "ZZ",
        "AAA",
    ]


def test_records_equal_evaluated_plus_rejected_across_formats(tmp_path, rulebook):
    paths = [
        county_workbook(tmp_path / "c.xlsx", notes_sheet=True),
        gbk_budget_csv(tmp_path / "b.csv"),
    ]
    report = rulebook.check_files(paths, as_of=AS_OF)
    for item in report.inputs:
        assert item.records == item.evaluated + item.rejected
    assert report.summary.records == sum(i.evaluated for i in report.inputs)
    assert len(report.rejected) == sum(i.rejected for i in report.inputs)
    located = [f for f in report.findings if f.location and f.location.sheet == "购买服务项目"]
    assert located and all(f.location.path.endswith("c.xlsx") for f in located)


def test_running_number_and_remarks_columns_are_read_past(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text(
        "序号,编号,行政区划代码,学历,备注\n1,W-1,371502,本科,新入职\n2,W-2,371502,硕士,\n",
        encoding="utf-8",
    )
    result = read_files([path], kind="worker")
    assert [r.record.education for r in result.records] == ["bachelor", "master"]
    assert result.rejected == []


def test_the_alias_tables_in_the_docs_are_complete():
    from conftest import REPO
    from sw_policy.inputs.aliases import FIELD_ALIASES, SHEET_KINDS, VALUE_ALIASES

    doc = (REPO / "docs" / "records-and-reports.md").read_text(encoding="utf-8")
    for field, names in FIELD_ALIASES.items():
        assert f"| `{field}` | {'、'.join(names)} |" in doc, field
    for field, table in VALUE_ALIASES.items():
        for chinese, value in table.items():
            assert f"{chinese} → `{value}`" in doc, (field, chinese)
    for kind, words in SHEET_KINDS.items():
        assert f"| {'、'.join(words)} | `{kind}` |" in doc, kind


def test_two_level_header_with_merged_cells(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "项目"
    ws.append(["2023年购买服务项目"])
    ws.append(["项目编号", "行政区划代码", "经费情况", None])
    ws.append([None, None, "项目经费", "人力成本"])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:D2")
    ws.append(["P-1", "361126", "100万元", "85万元"])
    path = tmp_path / "two-level.xlsx"
    wb.save(path)
    result = read_files([path])
    assert result.rejected == []
    [located] = result.records
    assert located.record.labour_cost == Decimal("850000")
    assert (located.location.sheet, located.location.row) == ("项目", 4)
