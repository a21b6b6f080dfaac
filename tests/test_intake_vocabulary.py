"""Headers, marker rows, divisions and the vocabulary file (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sw_policy.errors import PolicyError, RuleFileError
from sw_policy.inputs.divisions import (
    code_warning,
    division,
    division_in_text,
    resolve_jurisdiction,
)
from sw_policy.inputs.headers import read_header, unit_line_scale
from sw_policy.inputs.office_values import office_mapping
from sw_policy.inputs.vocabulary import load_vocabulary


@pytest.mark.parametrize(
    ("header", "field", "scale"),
    [
        ("其中：人力成本（万元）", "labour_cost", 10_000),
        ("其中:人力成本(万元)", "labour_cost", 10_000),
        ("含：人力成本【元】", "labour_cost", 1),
        ("项目经费\n(万元)", "total_funds", 10_000),
        ("项目资金[亿元]", "total_funds", 100_000_000),
        ("近五年培训学时[小时]", "training_hours_5y", 1),
        ("职业资格证书", "certificate", 1),
        ("ｔｏｔａｌ＿ｆｕｎｄｓ", "total_funds", 1),
        ("*项目名称", "name", 1),
        ("行政区划\n代码", "jurisdiction", 1),
    ],
)
def test_headers_as_offices_write_them(header: str, field: str, scale: int) -> None:
    reading = read_header(header)
    assert (reading.field, reading.scale) == (field, scale)


def test_unused_personal_and_near_miss_headers() -> None:
    assert read_header("性别").field is None and not read_header("性别").near
    assert read_header("身份证号").personal and read_header("联系电话").personal
    assert read_header("人力成本占比").near == "labour_cost"
    assert read_header("序号").ignored and read_header("备注").ignored


def test_unit_line() -> None:
    assert unit_line_scale(["填报单位：淳安县民政局", "单位：万元"]) == 10_000
    assert unit_line_scale(["金额单位:元"]) == 1
    assert unit_line_scale(["填报单位：淳安县民政局"]) is None


def test_divisions_by_name_code_and_title() -> None:
    assert resolve_jurisdiction("淳安县") == "330127"
    assert resolve_jurisdiction("杭州市淳安县") == "330127"
    assert resolve_jurisdiction(" 330127 ") == "330127"
    with pytest.raises(PolicyError, match="several divisions"):
        resolve_jurisdiction("朝阳区")
    with pytest.raises(PolicyError, match="no division"):
        resolve_jurisdiction("不存在县")
    item = division("330127")
    assert item is not None and item.full_name == "浙江省杭州市淳安县"
    assert division_in_text("浙江省淳安县2023年项目表") == item
    assert division_in_text("朝阳区社工名单") is None  # two 朝阳区
    assert division_in_text("吉林省长春市朝阳区社工名单").code == "220104"  # type: ignore[union-attr]
    assert code_warning("330127") is None
    assert "retired after 2021" in str(code_warning("330103"))
    assert "not in the GB/T 2260 table" in str(code_warning("339999"))


def test_the_table_covers_the_sources_and_zhejiang() -> None:
    for code in ("210000", "330000", "371500", "371502", "361100", "361126", "330100", "330127"):
        assert division(code) is not None, code
    zhejiang_cities = ["3301", "3302", "3303", "3304", "3305", "3306", "3307", "3308", "3309"]
    assert all(division(c + "00") for c in [*zhejiang_cities, "3310", "3311"])


def test_office_values_in_mappings() -> None:
    data = office_mapping(
        {"学历": "本科", "证书": "助理社会工作师", "direct_service": "×", "项目经费": "12.5万元"}
    )
    assert data == {
        "education": "bachelor",
        "certificate": "assistant",
        "direct_service": "false",
        "total_funds": "125000.0",
    }
    assert office_mapping({"身份证号": "330127198803151234", "id": "W"}) == {"id": "W"}


def test_vocabulary_is_read_strictly(tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.yaml"
    path.write_text(
        "fields:\n  total_fund: [经费]\nvalues: {}\nsheet_kinds: {}\n", encoding="utf-8"
    )
    with pytest.raises(RuleFileError, match="'total_fund' is not a record field"):
        load_vocabulary(path)
    path.write_text("fields: {}\nvalues: {}\nsheet_kinds: {}\ncolours: []\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="colours"):
        load_vocabulary(path)
