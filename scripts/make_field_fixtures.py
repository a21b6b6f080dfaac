"""Write fixtures/field/: exports shaped as offices make them (run from the repository root).

Each file has an `<name>.expected.yaml` beside it (written by hand, not here) that
tests/test_field_fixtures.py checks. Workbooks are saved with fixed document dates so
re-running this script gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from field_workbook import county_workbook  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "fixtures" / "field"
WHEN = dt.datetime(2024, 1, 1)


def _save(book: Workbook, name: str) -> None:
    book.properties.created = WHEN
    book.properties.modified = WHEN
    book.save(OUT / name)


def unit_line() -> None:
    """A 金额单位：万元 line above headers that name no unit; numbers as numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = "项目"
    sheet.append(["弋阳县2023年度社会工作服务项目汇总表"])
    sheet.append(["填报单位：弋阳县民政局", None, None, "金额单位：万元"])
    sheet.append(["序号", "项目名称", "项目编号", "区划代码", "项目资金", "人员经费", "负责人"])
    sheet.append([1, "困境儿童", "YY-01", "361126", 20, 17, "张三"])
    sheet.append([2, "养老服务", "YY-02", "361126", 15.5, 12.4, "李四"])
    sheet.append([3, "社区治理", "YY-03", "361126", 10, 7, "王五"])
    sheet.append([None, "合计", None, None, 45.5, 36.4, None])
    sheet.append(["填表说明：人员经费含社保。"])
    _save(book, "unit_line.xlsx")


def two_row_header() -> None:
    """A merged group heading (经费情况) over 项目经费/其中：人力成本; 项目编号 spans both rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = "购买服务项目"
    sheet.append(["项目编号", "行政区划代码", "经费情况", None, "备注"])
    sheet.append([None, None, "项目经费（元）", "其中：人力成本（元）", None])
    sheet.merge_cells("C1:D1")
    sheet.append(["LC-01", "330127", "200000", "150000", None])
    sheet.append(["LC-02", "330127", "100000", "80000", "跨年项目"])
    _save(book, "two_row_header.xlsx")


def sheet_order() -> None:
    """Workers first, projects second, a 填表说明 sheet last; sheets named for their kind."""
    book = Workbook()
    workers = book.active
    workers.title = "社工花名册"
    workers.append(
        ["编号", "行政区划代码", "姓名", "学历", "所学专业", "证书等级", "近五年培训学时"]
    )
    workers.append(["W-01", "371502", "赵一", "研究生", "社会工作", "无", "0"])
    workers.append(["W-02", "371502", "钱二", "专科", "护理", "助理社会工作师", "10"])
    workers.append(["W-03", "371502", "孙三", "中专", "护理", "无", "20"])
    projects = book.create_sheet("项目经费")
    projects.append(["项目编号", "行政区划代码", "项目经费", "人力成本"])
    projects.append(["SO-01", "361126", "1,000,000.00", "¥800,000"])
    notes = book.create_sheet("填表说明")
    notes.append(["1. 本表由各县（市、区）民政局填报。"])
    notes.append(["2. 金额单位为元。"])
    _save(book, "sheet_order.xlsx")


def line_breaks() -> None:
    """Headers with line breaks and 【万元】, full-width forms, a repeated header and 小计 rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = "项目"
    header = [
        "项目\n编号",
        "行政区划\n代码",
        "项目经费\n【万元】",
        "人力成本\n【万元】",
        "联系电话",
    ]
    sheet.append(header)
    sheet.append(["ZJ－01", "330127", "１０", "６", "13905711234"])
    sheet.append(["ZJ－02", "330127", "20", "15", "13812345678"])
    sheet.append(["小计", None, "30", "21", None])
    sheet.append(header)
    sheet.append(["ZJ－03", "330106", "8", "6", None])
    sheet.append(["小计", None, "8", "6", None])
    sheet.append(["总计", None, "38", "28", None])
    _save(book, "line_breaks.xlsx")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = county_workbook(OUT / "county_workbook.xlsx")
    del path
    unit_line()
    two_row_header()
    sheet_order()
    line_breaks()


if __name__ == "__main__":
    main()
