"""A unit in a merged group heading is carried down to its sub-columns (issue 20)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from sw_policy.inputs.headers import group_header
from sw_policy.inputs.readers import read_files


def _workbook(path: Path, *, group: str, subs: tuple[str, str]) -> Path:
    """As an office makes it: merged title, 单位 line absent, a two-row header whose money
    heading is merged over two sub-headers, the other headings merged down both rows."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "项目"
    sheet.append(["西湖区2023年政府购买社会工作服务项目表"])
    sheet.merge_cells("A1:F1")
    sheet.append(["项目名称", "项目编号", "行政区划代码", group, None, "备注"])
    sheet.append([None, None, None, *subs, None])
    for column in "ABCF":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells("D2:E2")
    sheet.append(["助老服务", "XH-01", "330106", "30", "18", None])  # 60 %
    sheet.append(["青少年服务", "XH-02", "330106", 12.5, 10, "续签"])  # 80 %
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("group", "subs"),
    [
        ("项目经费（万元）", ("合计", "其中：人力成本")),
        ("项目经费(万元)", ("小计", "其中:人力成本")),
        ("经费情况【万元】", ("项目经费", "人力成本")),
    ],
)
def test_group_unit_reaches_the_sub_columns(tmp_path: Path, group: str, subs) -> None:
    read = read_files([_workbook(tmp_path / "项目.xlsx", group=group, subs=subs)])
    assert read.rejected == []
    records = {r.record.id: r.record for r in read.records}
    assert records["XH-01"].total_funds == Decimal("300000")
    assert records["XH-01"].labour_cost == Decimal("180000")
    assert records["XH-02"].total_funds == Decimal("125000")
    assert records["XH-02"].labour_cost == Decimal("100000")
    assert records["XH-01"].name == "助老服务"


def test_group_header_rules() -> None:
    upper = ["项目编号", "项目经费（万元）", None, "备注"]
    assert group_header(upper, [None, "合计", "其中：人力成本", None]) == [
        "项目编号",
        "项目经费（万元）",
        "其中：人力成本（万元）",
        "备注",
    ]
    # A sub-header with its own unit keeps it.
    assert group_header(upper, [None, "合计", "人力成本（元）", None]) == [
        "项目编号",
        "项目经费（万元）",
        "人力成本（元）",
        "备注",
    ]
    # A lower row that is data, not sub-headers.
    assert group_header(upper, ["XH-01", "30", "18", None]) is None
    # 合计 under a heading that names no field is not a field.
    assert group_header(["项目编号", "经费情况（万元）", None], [None, "合计", "人力成本"]) is None
