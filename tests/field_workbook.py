"""The county office workbook of issue 20, built as the office exports it."""

from __future__ import annotations

from pathlib import Path

ID_NUMBERS = ("330127198803151234", "33012719900101002X", "330127199512120318")
PHONES = ("13905711234", "13812345678", "13600001111")


def county_workbook(path: Path) -> Path:
    """Merged title row, 填报单位 line, 单位：万元, numbers as text, 合计 and 注： rows;
    a second sheet of workers with 姓名/性别/身份证号/学历/所学专业/职业资格证书/近五年培训学时."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "购买服务项目"
    sheet.append(["淳安县2023年政府购买社会工作服务项目经费明细表"])
    sheet.merge_cells("A1:G1")
    sheet.append(["填报单位：淳安县民政局", None, None, None, None, "单位：万元"])
    sheet.append(
        [
            "序号",
            "项目名称",
            "项目编号",
            "行政区划代码",
            "项目经费（万元）",
            "其中：人力成本（万元）",
            "备注",
        ]
    )
    projects = [
        ("1", "困境儿童关爱服务", "CA-2023-01", "330127", "30", "18", None),  # 60 %
        ("2", "社区养老服务", "CA-2023-02", "330127", "25.5", "20.4", "续签"),  # 80 %
        ("3", "禁毒社会工作", "CA-2023-03", "330127", 12, 8.4, None),  # exactly 70 %
        ("4", "社区矫正服务", "CA-2023-04", "330127", "10", "7.5", None),  # 75 %
    ]
    for row in projects:
        sheet.append(list(row))
    sheet.append([None, "合计", None, None, "77.5", "54.3", None])
    sheet.append(["注：1.人力成本指项目人员薪酬及社保支出。2.本表数据截至2023年12月31日。"])
    sheet.merge_cells(f"A{sheet.max_row}:G{sheet.max_row}")

    workers = book.create_sheet("社工人员名单")
    workers.append(["淳安县社会工作者花名册"])
    workers.append(
        [
            "姓名",
            "性别",
            "身份证号",
            "学历",
            "所学专业",
            "职业资格证书",
            "近五年培训学时",
            "联系电话",
        ]
    )
    people = [
        ("王丽", "女", ID_NUMBERS[0], "本科", "社会工作", "社会工作师", "40", PHONES[0]),
        ("李强", "男", ID_NUMBERS[1], "大专", "会计", "无", "130", PHONES[1]),
        ("陈静", "女", ID_NUMBERS[2], "高中", "—", "—", "60", PHONES[2]),
    ]
    for person in people:
        workers.append(list(person))
    book.save(path)
    return path
