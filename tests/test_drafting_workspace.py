"""A drafter's first hour: the rulebook in use is named, `init`, lint's hints, CI outputs."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import RULES_DIR, bundled_case_count, param, sources_dir
from sw_policy.cli import _common, main
from sw_policy.drafting.lint import lint_rules_dir
from sw_policy.rulebook.location import choose_rules_dir, rules_digest, unused_local_rules


def raise_cap(rules: Path) -> None:
    """The guide's one-line edit: the Zhejiang cap 0.70 → 0.75 (or whatever it is, + 0.05)."""
    path = rules / "zhejiang-2019-draft.yaml"
    text = path.read_text(encoding="utf-8")
    cap = param("zhejiang-2019.labour-cost-share", "max_share")
    before = f"max_share: {{value: {cap}"
    assert before in text
    path.write_text(text.replace(before, f"max_share: {{value: {cap + Decimal('0.05')}"), "utf-8")


@pytest.fixture
def at_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_common, "stderr_is_terminal", lambda: True)


# ------------------------------------------------------------- which rulebook


def test_choice_order_rules_env_workspace_bundled(tmp_path):
    (tmp_path / "ws" / "deep").mkdir(parents=True)
    (tmp_path / "ws" / "sw-policy.toml").write_text('[sw-policy]\nrules = "r"\n')
    inside = tmp_path / "ws" / "deep"
    assert choose_rules_dir(Path("x"), environ={}, cwd=inside).how == "--rules"
    by_env = choose_rules_dir(None, environ={"SW_POLICY_RULES": "e"}, cwd=inside)
    assert (by_env.path, by_env.how) == (Path("e"), "SW_POLICY_RULES")
    by_ws = choose_rules_dir(None, environ={}, cwd=inside)
    assert by_ws.path == tmp_path / "ws" / "r"
    assert choose_rules_dir(None, environ={}, cwd=tmp_path).bundled


def test_bundled_rulebook_is_named_first_at_a_terminal(at_terminal, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SW_POLICY_RULES", raising=False)
    result = CliRunner().invoke(main, ["rules", "list"])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0].startswith("sw-policy: rulebook bundled (")


def test_a_differing_local_rules_folder_is_pointed_out(tmp_path, monkeypatch):
    """Installed (not editable) and run in a checkout whose rules/ was edited."""
    shutil.copytree(RULES_DIR, tmp_path / "rules")
    raise_cap(tmp_path / "rules")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SW_POLICY_RULES", raising=False)
    bundled = choose_rules_dir(None)
    assert unused_local_rules(bundled) == Path("rules").absolute()
    result = CliRunner().invoke(main, ["rules", "show", "zhejiang-2019.labour-cost-share"])
    lines = result.stderr.splitlines()
    assert lines[0].startswith("sw-policy: rulebook bundled (")
    assert lines[1] == (
        "sw-policy: note: ./rules differs from the bundled rulebook and is NOT used; "
        "to use it: --rules rules, or SW_POLICY_RULES=rules, or a workspace (sw-policy init)"
    )
    # An identical copy is no surprise: nothing said.
    shutil.rmtree(tmp_path / "rules")
    shutil.copytree(RULES_DIR, tmp_path / "rules")
    assert rules_digest(tmp_path / "rules") == rules_digest(RULES_DIR)
    assert CliRunner().invoke(main, ["rules", "list"]).stderr == ""


def test_environment_variable_is_used_and_named(tmp_path, monkeypatch):
    shutil.copytree(RULES_DIR, tmp_path / "mine")
    raise_cap(tmp_path / "mine")
    monkeypatch.setenv("SW_POLICY_RULES", str(tmp_path / "mine"))
    result = CliRunner().invoke(main, ["rules", "show", "zhejiang-2019.labour-cost-share"])
    assert result.stderr.splitlines()[0] == (
        f"sw-policy: rulebook {tmp_path / 'mine'} (from SW_POLICY_RULES)"
    )
    raised = param("zhejiang-2019.labour-cost-share", "max_share") + Decimal("0.05")
    assert str(raised) in result.stdout


# ------------------------------------------------------------- init


def test_init_makes_a_workspace_commands_use(tmp_path, monkeypatch):
    monkeypatch.delenv("SW_POLICY_RULES", raising=False)
    runner = CliRunner()
    made = runner.invoke(main, ["init", str(tmp_path / "ws")])
    assert made.exit_code == 0, made.output
    assert "no source texts yet" in made.stdout
    ws = tmp_path / "ws"
    assert {p.name for p in ws.iterdir()} == {
        "README.md",
        "pytest.ini",
        "rules",
        "sources",
        "sw-policy.toml",
    }
    assert rules_digest(ws / "rules") == rules_digest(RULES_DIR)
    assert "lint → test → diff" in (ws / "README.md").read_text(encoding="utf-8")
    again = runner.invoke(main, ["init", str(ws)])
    assert again.exit_code == 2 and "not empty" in again.stderr
    raise_cap(ws / "rules")
    monkeypatch.chdir(ws)
    lint = runner.invoke(main, ["lint"])
    assert lint.exit_code == 0
    assert lint.stderr.splitlines()[0] == (
        f"sw-policy: rulebook {ws / 'rules'} (from {ws / 'sw-policy.toml'})"
    )
    assert lint.stdout.startswith("notice: quotes NOT verified")
    assert "--sources DIR" in lint.stdout and "sources/" in lint.stdout
    test = runner.invoke(main, ["test"])
    assert test.exit_code == 1
    n = bundled_case_count()
    assert f"{n} case(s), {n - 2} passed, 2 failed" in test.stdout


def test_lint_verifies_quotes_from_the_workspace_sources(tmp_path, monkeypatch):
    texts = sources_dir()
    if texts is None:
        pytest.skip("source texts not present")
    runner = CliRunner()
    assert (
        runner.invoke(main, ["init", str(tmp_path / "ws"), "--sources", str(texts)]).exit_code == 0
    )
    monkeypatch.chdir(tmp_path / "ws")
    monkeypatch.delenv("SW_POLICY_RULES", raising=False)
    lint = runner.invoke(main, ["lint"])
    assert (lint.exit_code, lint.stdout) == (
        0,
        f"quotes checked against the source texts in {tmp_path / 'ws' / 'sources'}\n"
        "0 error(s), 0 warning(s)\n",
    )
    # A quote that is not in the text is now caught.
    path = tmp_path / "ws" / "rules" / "yiyang-2022.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("不低于项目经费的 80%", "不低于项目经费的 85%", 1), encoding="utf-8"
    )
    assert "quote-not-found" in runner.invoke(main, ["lint"]).stdout


# ------------------------------------------------------------- lint hints


def _two_rule_dir(tmp_path: Path, wide: tuple[str, str], narrow: tuple[str, str]) -> Path:
    """A province-like cap at `wide` (jurisdiction, issued) and a floor at `narrow`."""
    root = tmp_path / "rules"
    shutil.copytree(Path(__file__).parent / "lint_fixtures" / "contradiction", root)
    sources = (root / "sources.yaml").read_text(encoding="utf-8")
    for before, after in [
        ('"2020-03-01"', "@WI"),
        ('"330000"', "@WJ"),
        ('"2021-05-01"', "@NI"),
        ('"330106"', "@NJ"),
    ]:
        sources = sources.replace(before, after)
    for token, value in [
        ("@WI", wide[1]),
        ("@WJ", wide[0]),
        ("@NI", narrow[1]),
        ("@NJ", narrow[0]),
    ]:
        sources = sources.replace(token, f'"{value}"')
    (root / "sources.yaml").write_text(sources, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("wide", "narrow", "blamed", "fix"),
    [
        # A county floor inside a province: the county's rule amends the province's.
        (("330000", "2020-03-01"), ("330106", "2021-05-01"), "county-2021", "amends"),
        # Still the county even when its text is the older one.
        (("330000", "2022-03-01"), ("330106", "2021-05-01"), "county-2021", "amends"),
        # A city inside a province: the city's rule amends.
        (("330000", "2020-03-01"), ("330100", "2021-05-01"), "county-2021", "amends"),
        # The narrower may come first in file order: still the narrower is blamed.
        (("330106", "2020-03-01"), ("330000", "2021-05-01"), "prov-2020", "amends"),
        # Same scope: the later text supersedes the earlier.
        (("330106", "2022-03-01"), ("330106", "2021-05-01"), "prov-2020", "supersedes"),
        (("330106", "2020-03-01"), ("330106", "2021-05-01"), "county-2021", "supersedes"),
    ],
)
def test_contradiction_hint_points_at_the_rule_that_gives_way(tmp_path, wide, narrow, blamed, fix):
    (problem,) = lint_rules_dir(_two_rule_dir(tmp_path, wide, narrow))
    other = "prov-2020" if blamed == "county-2021" else "county-2021"
    rule = {
        "prov-2020": "prov-2020.labour-cost-share",
        "county-2021": "county-2021.labour-cost-floor",
    }
    assert Path(problem.path).name == f"{blamed}.yaml"
    assert problem.message.startswith(f"{rule[blamed]} and {rule[other]} can never both pass")
    assert f"add `{fix}: {rule[other]}` to {rule[blamed]}" in problem.fix


def test_following_the_hint_resolves_the_contradiction(tmp_path):
    root = _two_rule_dir(tmp_path, ("330000", "2020-03-01"), ("330106", "2021-05-01"))
    assert len(lint_rules_dir(root)) == 1
    path = root / "county-2021.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "    kind: budget\n", "    kind: budget\n    amends: prov-2020.labour-cost-share\n", 1
        ),
        encoding="utf-8",
    )
    assert lint_rules_dir(root) == []


# ------------------------------------------------------------- CI outputs


def set_cap(rules: Path, value: str) -> None:
    """The Zhejiang cap set to `value` whatever the file says now."""
    path = rules / "zhejiang-2019-draft.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"max_share: \{value: [0-9.]+", f"max_share: {{value: {value}", text), "utf-8"
    )


def test_junit_and_fail_under(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    set_cap(rules, "0.75")  # the rule tests are written at the draft's 0.70
    junit = tmp_path / "out" / "rule-tests.xml"
    junit.parent.mkdir()
    runner = CliRunner()
    result = runner.invoke(main, ["test", str(rules / "tests"), "--junit", str(junit)])
    assert result.exit_code == 1
    root = ET.fromstring(junit.read_bytes())
    assert (root.get("tests"), root.get("failures")) == (str(bundled_case_count()), "2")
    failed = [
        case.get("name") for case in root.iter("testcase") if case.find("failure") is not None
    ]
    assert failed == [
        "one cent over 70% fails",
        "70% of 333333.33 is compared exactly, not rounded",
    ]
    first = junit.read_bytes()
    runner.invoke(main, ["test", str(rules / "tests"), "--junit", str(junit)])
    assert junit.read_bytes() == first  # deterministic: no times, no host
    full = runner.invoke(main, ["test", "--rules", str(RULES_DIR), "--fail-under", "100"])
    assert full.exit_code == 0 and "coverage 100.0% (at or above" in full.stderr
    short = tmp_path / "short"
    shutil.copytree(RULES_DIR, short)
    (short / "tests" / "yiyang-2022.yaml").write_text("rules: ..\ncases: []\n", encoding="utf-8")
    below = runner.invoke(main, ["test", "--rules", str(short), "--fail-under", "100"])
    assert below.exit_code == 1 and "below --fail-under 100" in below.stderr
    assert runner.invoke(main, ["test", "--rules", str(short), "--fail-under", "50"]).exit_code == 0
