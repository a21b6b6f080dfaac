"""An office extends the intake vocabulary from its own rules folder (issue 20):
`<rules>/intake/vocabulary.yaml` layered over the bundled one, read as strictly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sw_policy.cli import main
from sw_policy.inputs.aliases import canonical_field, using_vocabulary
from sw_policy.inputs.vocabulary import (
    OfficeVocabulary,
    bundled_vocabulary,
    layered,
    rules_vocabulary,
)
from sw_policy.rulebook.loader import bundled_rules_dir

AS_OF = "2024-06-30"
OFFICE = """\
# 西湖区民政局: headers our software writes
fields:
  labour_cost: ["社工人力支出"]
values:
  education: {"全日制本科": "bachelor"}
personal: ["家庭住址"]
"""


def _rules(tmp_path: Path, vocabulary: str) -> Path:
    folder = tmp_path / "office-rules"
    shutil.copytree(bundled_rules_dir(), folder)
    (folder / "intake" / "vocabulary.yaml").write_text(vocabulary, encoding="utf-8")
    return folder


def _workbook(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "项目"
    sheet.append(
        ["项目名称", "项目编号", "行政区划代码", "项目经费（万元）", "社工人力支出（万元）"]
    )
    sheet.append(["助老服务", "XH-01", "330106", "30", "18"])  # 60 %
    sheet.append(["青少年服务", "XH-02", "330106", "10", "8"])  # 80 %
    book.save(path)
    return path


def _check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args, "--as-of", AS_OF])
    return result.exit_code, result.output


def test_layered_adds_names_and_keeps_the_bundled_ones() -> None:
    office = OfficeVocabulary(fields={"labour_cost": ("社工人力支出",)})
    merged = layered(bundled_vocabulary(), office)
    assert "人力成本" in merged.fields["labour_cost"]
    assert merged.fields["labour_cost"][-1] == "社工人力支出"
    assert canonical_field("社工人力支出") is None
    with using_vocabulary(merged):
        assert canonical_field("社工人力支出") == "labour_cost"
        assert canonical_field("人力成本") == "labour_cost"
    assert canonical_field("社工人力支出") is None  # only inside the block


def test_bundled_directory_has_no_office_layer() -> None:
    assert rules_vocabulary(bundled_rules_dir()) is None


@pytest.mark.parametrize("engine", ["row", "columnar"])
def test_office_header_is_read_with_its_rules_folder(tmp_path: Path, engine: str) -> None:
    book = _workbook(tmp_path / "西湖区.xlsx")
    rules = _rules(tmp_path, OFFICE)
    status, bundled_out = _check(str(book), "--format", "json", "--engine", engine)
    bundled = json.loads(bundled_out)
    assert "社工人力支出（万元）" in bundled["inputs"][0]["unused_columns"]
    assert status == 0 and bundled["summary"]["by_outcome"].get("fail", 0) == 0

    status, out = _check(str(book), "--rules", str(rules), "--format", "json", "--engine", engine)
    report = json.loads(out)
    assert report["inputs"][0]["unused_columns"] == []
    outcomes = {f["record_id"]: f["outcome"] for f in report["findings"]}
    assert outcomes == {"XH-01": "pass", "XH-02": "fail"}
    seen = {f["record_id"]: f["observed"] for f in report["findings"]}
    assert seen["XH-01"]["labour_cost"] == "180000"


def test_both_engines_agree_with_an_office_vocabulary(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "西湖区.xlsx")
    rules = _rules(tmp_path, OFFICE)
    row = _check(str(book), "--rules", str(rules), "--format", "json", "--engine", "row")
    columnar = _check(str(book), "--rules", str(rules), "--format", "json", "--engine", "columnar")
    assert row == columnar


def test_a_bad_office_vocabulary_is_refused_with_its_line_and_linted(tmp_path: Path) -> None:
    rules = _rules(tmp_path, 'fields:\n  labour_cost: ["社工人力支出"]\n  wages: ["工资"]\n')
    book = _workbook(tmp_path / "西湖区.xlsx")
    status, out = _check(str(book), "--rules", str(rules))
    assert status == 2
    assert "vocabulary.yaml:3" in out and "'wages' is not a record field" in out
    result = CliRunner().invoke(main, ["lint", str(rules)])
    assert result.exit_code != 0
    assert "vocabulary.yaml:3" in result.output and "vocabulary" in result.output


def test_an_unknown_section_is_refused(tmp_path: Path) -> None:
    rules = _rules(tmp_path, 'colours: ["红"]\n')
    status, out = _check(str(_workbook(tmp_path / "x.xlsx")), "--rules", str(rules))
    assert status == 2 and "vocabulary.yaml" in out


# Headers of a county roster as offices write them (a 弋阳县 花名册 read in the field):
# before these names were in the bundled vocabulary, 证书是否登记 was an unused column, so
# every certificate holder took the default (not registered) and failed registration.
@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("证书是否登记", "certificate_registered"),
        ("所在单位类型", "employer_type"),
        ("是否直接提供服务", "direct_service"),
        ("参保情况", "social_insurance"),
        ("公积金缴存情况", "housing_fund"),
        ("职业津贴发放情况", "occupational_allowance"),
        ("是否参与购买服务项目", "in_purchased_project"),
    ],
)
def test_roster_headers_offices_write_are_mapped(header: str, field: str) -> None:
    assert canonical_field(header) == field
