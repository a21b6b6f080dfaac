"""Files as a county civil-affairs office exports them, made by the tests themselves.

A GBK CSV with a title row, a blank row and Chinese headers; a workbook with
three sheets of different kinds (budgets, a worker roster, communities), a title
row, Chinese values, amounts in every written form, and a formula-injection
attempt in a text cell.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

INJECTION_ID = '=HYPERLINK("http://example.invalid","x")'
HTML_INJECTION_ID = "<img src=x onerror=alert(1)>"

BUDGET_TITLE = "弋阳县2023年政府购买社会工作服务项目经费明细表"
BUDGET_HEADER = ["项目编号", "行政区划代码", "项目名称", "项目经费", "人力成本"]
# id, jurisdiction, name, total funds, labour cost (Yiyang: labour share >= 80%)
BUDGET_ROWS = [
    ["YY-01", "361126", "困境儿童关爱", "1,200,000.00", "960,000.00"],  # 0.8 pass
    ["YY-02", "361126", "长者服务", "¥3,000", "￥2,000"],  # 0.666… fail
    ["YY-03", "361126", "社区营造", "120万元", "100万元"],  # 0.833… pass
    ["YY-04", "361126", "禁毒社工", "12.5万", "9.5万"],  # 0.76 fail
    ["YY-05", "361126", "未填人力成本", "500000", ""],  # insufficient data
    ["YY-06", "361126", "写错的金额", "12,5", "1"],  # rejected: ambiguous amount
    [INJECTION_ID, "361126", "=1+1", "100", "90"],  # injection attempt; 0.9 pass
]


def gbk_budget_csv(path: Path) -> Path:
    """The budget table as GBK CSV: title row, blank row, Chinese header, CRLF lines.

    GBK has no "¥" (U+00A5): Chinese office software writes the full-width "￥".
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([BUDGET_TITLE])
    writer.writerow([])
    writer.writerow(BUDGET_HEADER)
    for row in BUDGET_ROWS:
        writer.writerow([c.replace("¥", "￥") for c in row])
    path.write_bytes(out.getvalue().encode("gbk"))
    return path


WORKER_HEADER = [
    "人员编号",
    "行政区划代码",
    "姓名",
    "证书等级",
    "学历",
    "专业",
    "近五年培训学时",
    "单位类型",
    "直接服务",
]
WORKER_ROWS = [
    ["W-01", "371502", "张三", "助理社会工作师", "高中", "", 20, "城市社区", "是"],  # pass: cert
    ["W-02", "371502", "李四", "无", "大专", "社会工作", 0, "农村社区", "是"],  # pass: edu
    ["W-03", "371502", "王五", "无", "高中", "会计", 30, "事业单位", "否"],  # fail
    ["W-04", "371502", "赵六", "博士后", "本科", "社会学", None, "城市社区", "是"],  # rejected
]
COMMUNITY_HEADER = ["社区编号", "行政区划代码", "社区名称", "城乡类别", "社会工作专业人才数"]
COMMUNITY_ROWS = [
    ["C-01", "330106", "文新社区", "城市", 2],  # pass (>= 2 urban)
    ["C-02", "330106", "三墩村", "农村", 0],  # fail (< 1 rural)
    [HTML_INJECTION_ID, "330106", "注入测试", "城市", 1],  # fail; the id must show as text
]


def county_workbook(path: Path, *, notes_sheet: bool = False) -> Path:
    """Three sheets of three kinds; budgets sheet has a title row and mixed amount cells."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "购买服务项目"
    ws.append([BUDGET_TITLE])
    ws.append([])
    ws.append(BUDGET_HEADER)
    for row in BUDGET_ROWS:
        ws.append(row)
    ws.append(["YY-08", 361126, "数字单元格", 333333.33, 266666.67])  # numbers as Excel stores
    for cell in ws[ws.max_row]:
        cell.data_type = "n" if isinstance(cell.value, int | float) else cell.data_type
    # The injection text must be stored as text in the source workbook too.
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    ws2 = wb.create_sheet("社工花名册")
    ws2.append(WORKER_HEADER)
    for row in WORKER_ROWS:
        ws2.append(row)
    ws3 = wb.create_sheet("社区")
    ws3.append(["杭州市西湖区社区统计"])
    ws3.append(COMMUNITY_HEADER)
    for row in COMMUNITY_ROWS:
        ws3.append(row)
    if notes_sheet:
        notes = wb.create_sheet("说明")
        notes.append(["本表由区民政局导出"])
        notes.append(["金额单位：元"])
    wb.save(path)
    return path
