"""Reports as an auditor files them (issue 15): CSV that loads, several outputs in one run,
a terminal table that fits, and figures as a person reads them."""

from __future__ import annotations

import datetime as dt
import json
import re

import polars as pl
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from auditor_files import county_workbook, gbk_budget_csv
from conftest import FIXTURES
from sw_policy import RunOptions, render_report
from sw_policy.cli import main
from sw_policy.reports.figures import figure, percent
from sw_policy.reports.rows import neutralise
from sw_policy.reports.text import display_width, wrap, wrap_at_dots, wrapped_table

AS_OF = dt.date(2024, 6, 30)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    return [county_workbook(folder / "county.xlsx"), gbk_budget_csv(folder / "经费.csv")]


@pytest.fixture(scope="module")
def report(rulebook, inputs):
    return rulebook.check_files(inputs, as_of=AS_OF, options=RunOptions())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_loads_in_pandas_and_polars_with_defaults(report, tmp_path, lang):
    pd = pytest.importorskip("pandas")
    path = tmp_path / "report.csv"
    path.write_text(render_report(report, "csv", lang), encoding="utf-8")
    rows = len(report.findings) + len(report.rejected)
    frame = pd.read_csv(path)
    assert len(frame) == rows
    assert frame.columns[0] == ("文件" if lang == "zh" else "File")  # BOM not in the name
    polars_frame = pl.read_csv(path)
    assert polars_frame.height == rows and polars_frame.columns == list(frame.columns)
    record = "记录" if lang == "zh" else "Record"
    rule = "条款编号" if lang == "zh" else "Rule"
    findings = frame[frame[rule].notna()]
    assert len(findings) == len(report.findings)
    assert list(findings[record]) == [neutralise(f.record_id) for f in report.findings]


def test_several_outputs_in_one_run_each_deterministic(inputs, tmp_path):
    runner = CliRunner()
    outs = [tmp_path / n for n in ("r.xlsx", "r.html", "r.csv", "r.json", "r.md")]
    args = ["check", *map(str, inputs), "--as-of", "2024-06-30"]
    first = runner.invoke(main, [*args, *(x for o in outs for x in ("-o", str(o)))])
    assert first.exit_code == 1, first.output
    assert first.output == ""
    one = {o.name: o.read_bytes() for o in outs}
    assert one["r.xlsx"].startswith(b"PK") and b"<!DOCTYPE html>" in one["r.html"]
    data = json.loads(one["r.json"])
    assert data["options"]["format"] == "json"
    stamp = json.loads((tmp_path / "r.stamp.json").read_text(encoding="utf-8"))
    assert stamp["options"]["format"] == "csv" and "findings" not in stamp
    runner.invoke(main, [*args, *(x for o in outs for x in ("-o", str(o)))])
    assert {o.name: o.read_bytes() for o in outs} == one
    # The JSON file is the same as --format json gives on its own.
    alone = runner.invoke(main, [*args, "--format", "json"]).output.encode()
    assert alone == one["r.json"]


def test_several_outputs_refusals(inputs, tmp_path):
    runner = CliRunner()
    args = ["check", *map(str, inputs), "--as-of", "2024-06-30"]
    bad = runner.invoke(main, [*args, "-o", str(tmp_path / "a.pdf"), "-o", str(tmp_path / "b.md")])
    assert bad.exit_code == 2 and "suffix" in bad.output
    both = runner.invoke(
        main, [*args, "--format", "md", "-o", str(tmp_path / "a.md"), "-o", str(tmp_path / "b.md")]
    )
    assert both.exit_code == 2 and "--format" in both.output


@pytest.mark.parametrize("columns", [60, 80, 120, 300, 400])
def test_table_fits_the_terminal_and_wraps_instead_of_cutting(inputs, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    result = CliRunner().invoke(main, ["check", *map(str, inputs), "--as-of", "2024-06-30"])
    blocks = result.output.split("\n\n")[1:]
    # The table follows the header and, for an incomplete check, the line that says so.
    table = next(b for b in blocks if not b.startswith(("incomplete", "检查不完整"))).splitlines()
    assert all(display_width(line) <= columns for line in table), columns
    assert "…" not in "\n".join(table)  # nothing cut
    if columns >= 400:  # wide enough (names beside ids): one line per finding, plus the header
        report = check_paths_for(inputs)
        assert len(table) == 1 + len(report.findings)


def check_paths_for(inputs):
    from sw_policy import load_rulebook

    return load_rulebook().check_files(inputs, as_of=AS_OF, options=RunOptions())


def test_wrap_counts_wide_characters_and_never_loses_text():
    text = "人力成本占项目经费比例 76.34%；人力成本 26.72 万元；项目经费 35.00 万元"
    for width in (6, 11, 20, 40):
        lines = wrap(text, width)
        assert all(display_width(line) <= width for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_summary_and_quiet_views(inputs):
    runner = CliRunner()
    args = ["check", *map(str, inputs), "--as-of", "2024-06-30"]
    quiet = runner.invoke(main, [*args, "--quiet"])
    assert quiet.exit_code == 1
    assert quiet.output == "结论：至少一项强制性条款未通过（退出状态 1）。\n"
    summary = runner.invoke(main, [*args, "--summary"])
    assert summary.exit_code == 1
    assert "yiyang-2022.labour-cost-share" in summary.output and "YY-02" not in summary.output
    assert summary.output.rstrip().endswith("结论：至少一项强制性条款未通过（退出状态 1）。")


def test_language_and_unit_follow_the_input(tmp_path, monkeypatch):
    """Chinese headers in 万元: a Chinese report in 万元; the JSON stays exact, in 元."""
    monkeypatch.setenv("COLUMNS", "300")
    path = tmp_path / "县经费.csv"
    path.write_text(
        "项目编号,行政区划代码,项目经费（万元）,人力成本（万元）\nP-01,330106,35,26.72\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    table = runner.invoke(main, ["check", str(path), "--as-of", "2024-06-30"]).output
    assert "人力成本占项目经费比例 76.34%" in table and "人力成本 26.72 万元" in table
    assert "项目经费 35.00 万元" in table and "≤ 70.00%" in table
    yuan = runner.invoke(main, ["check", str(path), "--as-of", "2024-06-30", "--unit", "元"])
    assert "人力成本 267,200.00 元" in yuan.output
    data = json.loads(runner.invoke(main, ["check", str(path), "--format", "json"]).output)
    assert data["findings"][0]["observed"]["labour_cost_share"] == "0.7634285714"
    plain = runner.invoke(main, ["check", str(FIXTURES / "budgets.csv"), "--as-of", "2024-06-30"])
    assert "Summary:" in plain.output and "yuan" in plain.output


@pytest.mark.parametrize(
    ("name", "value", "lang", "unit", "shown"),
    [
        ("labour_cost_share", "0.7634285714", "zh", "元", "76.34%"),
        ("labour_cost_share", "0.70", "en", "元", "70.00%"),
        ("labour_cost_share", "0.69995", "zh", "元", "70.00%"),  # half up
        ("labour_cost_share", "0.69994999", "zh", "元", "69.99%"),
        ("labour_cost", "225000.0", "zh", "万元", "22.50 万元"),
        ("labour_cost", "300000", "zh", "元", "300,000.00 元"),
        ("total_funds", "350000", "en", "元", "350,000.00 yuan"),
        ("training_hours_5y", "119.50", "zh", "元", "119.5 小时"),
        ("certificate", "assistant", "zh", "元", "助理社会工作师"),
        ("community_fund", True, "en", "元", "yes"),
        ("labour_cost", None, "zh", "元", "未知"),
        ("sw_posts", 14, "zh", "元", "14"),
    ],
)
def test_figures(name, value, lang, unit, shown):
    assert figure(name, value, lang, unit) == shown


@pytest.mark.parametrize(
    ("value", "bound", "shown"),
    [
        ("0.70000001", "0.70", "70.000001%"),  # a fail never reads as the bound itself
        ("0.6999999970", "0.70", "69.9999997%"),
        ("0.70", "0.70", "70.00%"),
        ("0.7634285714", "0.70", "76.34%"),
        ("0.7999", "0.80", "79.99%"),
    ],
)
def test_percent_keeps_the_side_of_the_bound_visible(value, bound, shown):
    from decimal import Decimal

    assert percent(Decimal(value), Decimal(bound)) == shown


def test_html_shows_percentages_with_the_exact_value_on_hover(report):
    page = render_report(report, "html", "zh")
    assert 'title="人力成本占项目经费比例=0.6666666667' in page
    assert "人力成本占项目经费比例 66.67%" in page
    assert percent(__import__("decimal").Decimal("0.9120")) == "91.20%"


@given(
    text=st.text(alphabet=st.sampled_from(list("ab 12,.;-人力成本；、（）%")), max_size=80),
    width=st.integers(min_value=2, max_value=40),
)
def test_wrap_property(text, width):
    """Any text at any width: no line too wide, no character lost (spaces at breaks aside)."""
    lines = wrap(text, width)
    assert all(display_width(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@given(
    parts=st.lists(st.text(alphabet="abz-019", min_size=1, max_size=12), min_size=1, max_size=4),
    width=st.integers(min_value=2, max_value=40),
)
def test_rule_ids_break_only_after_a_dot(parts, width):
    """A rule id wraps into whole parts: joined back it is the id, every line but the last
    ends at a dot, and only a part wider than the column stands wider than it."""
    rule_id = ".".join(parts)
    lines = wrap_at_dots(rule_id, width)
    assert "".join(lines) == rule_id
    assert all(line.endswith(".") for line in lines[:-1])
    assert all(display_width(line) <= width or "." not in line[:-1] for line in lines)


@pytest.mark.parametrize("columns", [60, 80, 100])
def test_the_table_keeps_each_part_of_a_rule_id_whole(columns):
    ids = ["zhejiang-2019.labour-cost-share", "liaocheng-2020.professional-qualification"]
    name, observed = "西湖区社区社会工作服务项目 · 330106", "人力成本占项目经费比例 76.34%"
    rows = [["B-1", name, rule, "fail", observed] for rule in ids]
    table = wrapped_table(["id", "name", "rule", "outcome", "observed"], rows, columns,
                          fixed=(0, 3), identifiers=(2,))  # fmt: skip
    words = [w for line in table.splitlines()[1:] for w in line.split()]
    pieces = [w for w in words if re.fullmatch(r"[a-z][a-z0-9-]*[.]?", w) and w != "fail"]
    parts = [p for rule in ids for p in (rule.replace(".", ".|").split("|"))]
    assert pieces == parts, columns
