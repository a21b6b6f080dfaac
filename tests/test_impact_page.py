"""`diff --format html` and `md`: the impact page and memo; `--set 75%`; `-` for stdin."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, param
from sw_policy import load_rulebook
from sw_policy.cli import main
from sw_policy.rulebook.overrides import OverrideError, parse_override, parse_overrides

CAP = "zhejiang-2019.labour-cost-share.max_share"
BASE = param("zhejiang-2019.labour-cost-share", "max_share")
RAISED = BASE + Decimal("0.05")
BUDGETS = str(FIXTURES / "budgets.csv")


def _diff(*extra: str, stdin: bytes | None = None):
    args = ["diff", BUDGETS, "--as-of", "2024-06-30", "--set", f"{CAP}={RAISED}", *extra]
    return CliRunner().invoke(main, args, input=stdin)


def test_html_page_is_self_contained_and_shows_each_moved_rule():
    result = _diff("--format", "html")
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # Nothing fetched, nothing run.
    assert not re.search(r"<script|<link|src=\"http|url\(|@import", page)
    assert "zhejiang-2019.labour-cost-share" in page
    assert "fail → pass" in page
    assert "<svg" in page  # the chart
    base = param("zhejiang-2019.labour-cost-share", "max_share")
    assert f'<td>parameter max_share</td><td class="old">{base}</td>' in page
    assert f'<td class="new">{RAISED}</td>' in page
    assert "不超过项目经费的70%" in page  # the quote
    json_moves = json.loads(_diff("--format", "json").stdout)
    for rule in json_moves["rules"]:
        for move in rule["moves"]:
            for record in move["records"]:
                assert record in page
    assert _diff("--format", "html").stdout == page  # byte-deterministic


def test_html_escapes_what_it_shows(tmp_path):
    hostile = tmp_path / "b.csv"
    hostile.write_text(
        "kind,id,jurisdiction,total_funds,labour_cost\n"
        f'budget,"<img src=x onerror=alert(1)>",330106,100.00,{BASE * 100 + 2}\n',
        encoding="utf-8",
    )
    args = ["diff", str(hostile), "--as-of", "2024-06-30", "--set", f"{CAP}={RAISED}"]
    page = CliRunner().invoke(main, [*args, "--format", "html"]).stdout
    assert "<img" not in page and "&lt;img" in page


def test_no_move_says_so_in_html():
    page = (
        CliRunner()
        .invoke(main, ["diff", BUDGETS, "--as-of", "2024-06-30", "--format", "html"])
        .stdout
    )
    assert "No finding moved." in page


def test_md_memo_has_the_table_then_the_run_and_the_changed_figures():
    memo = _diff("--format", "md").stdout
    assert memo.startswith("| rule | change | records | ids |\n")
    assert "Judged at 2024-06-30: before `bundled`, after `bundled --set " in memo
    base = param("zhejiang-2019.labour-cost-share", "max_share")
    assert (
        f"| `zhejiang-2019.labour-cost-share` | parameter max_share | {base} | {RAISED} |" in memo
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [("75%", Decimal("0.75")), ("0.75", Decimal("0.75")), ("70.5 %", Decimal("0.705"))],
)
def test_set_reads_a_percentage_as_the_ratio(text, value):
    assert parse_override(f"{CAP}={text}") == (CAP, value)


def test_percent_and_ratio_give_the_same_rulebook():
    base = load_rulebook()
    by_percent = base.with_parameters(parse_overrides([f"{CAP}=75%"]))
    by_ratio = base.with_parameters(parse_overrides([f"{CAP}=0.75"]))
    assert by_percent.sha256 == by_ratio.sha256


def test_a_percentage_for_a_count_is_refused_plainly():
    key = "yiyang-2022.target.supervisors.supervisors_floor"  # a number of people
    with pytest.raises(OverrideError, match="whole number"):
        load_rulebook().with_parameters(parse_overrides([f"{key}=7.5%"]))


def test_a_wrong_kind_of_value_is_shown_as_written():
    with pytest.raises(OverrideError, match=rf"expects a value like {BASE}, got 'abc'"):
        load_rulebook().with_parameters(parse_overrides([f"{CAP}=abc"]))


def test_dash_reads_records_from_standard_input():
    data = (FIXTURES / "budgets.csv").read_bytes()
    from_file = _diff("--format", "json")
    from_stdin = CliRunner().invoke(
        main,
        ["diff", "-", "--as-of", "2024-06-30", "--set", f"{CAP}={RAISED}", "--format", "json"],
        input=data,
    )
    assert from_stdin.exit_code == 0, from_stdin.output
    assert json.loads(from_stdin.stdout)["rules"] == json.loads(from_file.stdout)["rules"]


def test_dash_reads_a_rule_test_file_from_standard_input():
    case = (
        "cases:\n"
        "  - name: exactly at the cap passes\n"
        "    as_of: 2024-06-30\n"
        "    records:\n"
        '      - {kind: budget, id: B-1, jurisdiction: "330106", total_funds: 100.00,'
        f" labour_cost: {param('zhejiang-2019.labour-cost-share', 'max_share') * 100}}}\n"
        "    expect:\n"
        "      zhejiang-2019.labour-cost-share: pass\n"
    )
    result = CliRunner().invoke(main, ["test", "-"], input=case)
    assert result.exit_code == 0, result.output
    assert "1 case(s), 1 passed, 0 failed" in result.stdout
