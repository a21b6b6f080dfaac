"""amends / supersedes: only the most specific rule in force speaks; marks never change outcomes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import RULES_DIR, judge, make
from sw_policy import RuleFileError, load_rulebook
from sw_policy.rulebook.layering import MARKS, chain_of, marks_for, select_layered

COUNTY_SOURCE = """
  - id: xihu-2023
    title: 西湖区社会工作服务项目管理办法
    issuers: [西湖区民政局]
    issued: "2023-03-01"
    status: in_force
    jurisdiction: "330106"
    jurisdiction_name: 西湖区
"""

COUNTY_RULES = """source: xihu-2023
rules:
  - id: xihu-2023.labour-cost-share
    clause: 五
    quote: 人力成本占比不超过项目经费的60%。
    summary: {{zh: 人力成本占比不超过60%, en: Labour cost at most 60%}}
    severity: mandatory
    kind: {kind}
    {link}: zhejiang-2019.labour-cost-share
    parameters:
      max_share: {{value: 0.60, description: 不超过 (at most), unit: ratio}}
    condition:
      op: le
      left: {left}
      right: {{param: max_share}}
coverage:
  - clause: 五
    heading: 成本
    rules: [xihu-2023.labour-cost-share]
"""


LEFT = {
    "budget": "{op: ratio, of: [{field: labour_cost}, {field: total_funds}], name: share}",
    "community": "{field: sw_professionals}",
}


def layered_rules(tmp_path: Path, link: str = "amends", kind: str = "budget") -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(RULES_DIR, copy)
    sources = copy / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8") + COUNTY_SOURCE, encoding="utf-8")
    (copy / "xihu-2023.yaml").write_text(
        COUNTY_RULES.format(link=link, kind=kind, left=LEFT[kind]), encoding="utf-8"
    )
    return copy


def budget(jurisdiction: str, share: str) -> object:
    return make("budget", jurisdiction=jurisdiction, total_funds="100", labour_cost=share)


@pytest.mark.parametrize("link", ["amends", "supersedes"])
def test_the_county_rule_displaces_the_province_rule_inside_the_county(tmp_path, link):
    book = load_rulebook(layered_rules(tmp_path, link))
    day = dt.date(2024, 6, 30)
    (finding,) = book.evaluate(budget("330106", "65"), as_of=day)
    assert (finding.rule_id, finding.outcome) == ("xihu-2023.labour-cost-share", "fail")
    assert finding.displaced == ("zhejiang-2019.labour-cost-share",)
    assert finding.marks == ()
    shown = judge(book, "zhejiang-2019.labour-cost-share", budget("330106", "65"))
    assert shown.outcome == "not_applicable"
    assert "displaced by xihu-2023.labour-cost-share" in shown.message.en
    # Elsewhere in the province, and in the county before its rule applied, the province speaks.
    (elsewhere,) = book.evaluate(budget("330100", "65"), as_of=day)
    assert (elsewhere.rule_id, elsewhere.outcome, elsewhere.displaced) == (
        "zhejiang-2019.labour-cost-share",
        "pass",
        (),
    )
    (earlier,) = book.evaluate(budget("330106", "65"), as_of=dt.date(2023, 2, 28))
    assert earlier.rule_id == "zhejiang-2019.labour-cost-share"


def test_layered_check_keeps_every_record(tmp_path):
    book = load_rulebook(layered_rules(tmp_path))
    # Distinct ids: check() now rejects a repeated id as the CLI does.
    inside = make("budget", id="B-1", jurisdiction="330106", total_funds="100", labour_cost="65")
    outside = make("budget", id="B-2", jurisdiction="330100", total_funds="100", labour_cost="65")
    report = book.check([inside, outside], as_of=dt.date(2024, 6, 30))
    assert report.summary.records == 2
    assert [(f.record_id, f.rule_id) for f in report.findings] == [
        ("B-1", "xihu-2023.labour-cost-share"),
        ("B-2", "zhejiang-2019.labour-cost-share"),
    ]


def test_loader_refuses_links_to_other_kinds_and_unknown_rules(tmp_path):
    with pytest.raises(RuleFileError, match="same record kind"):
        load_rulebook(layered_rules(tmp_path / "a", kind="community"))
    copy = layered_rules(tmp_path / "b")
    path = copy / "xihu-2023.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "amends: zhejiang-2019.labour-cost-share", "amends: zhejiang-2019.labour-cost-shar"
        ),
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError, match=r"did you mean `zhejiang-2019\.labour-cost-share`"):
        load_rulebook(copy)


def test_a_rule_cannot_amend_itself():
    from pydantic import ValidationError

    from sw_policy.rulebook.schema import RuleSpec

    rule = load_rulebook(RULES_DIR).rule("zhejiang-2019.labour-cost-share")
    data = rule.model_dump(exclude_unset=True)
    with pytest.raises(ValidationError, match="cannot amend or supersede itself"):
        RuleSpec.model_validate({**data, "amends": rule.id})
    with pytest.raises(ValidationError, match="not both"):
        RuleSpec.model_validate({**data, "amends": "a.b", "supersedes": "a.c"})


def test_chains_displace_transitively():
    links = {"c.x": "b.x", "b.x": "a.x"}
    assert chain_of("c.x", links) == ["b.x", "a.x"]
    assert select_layered(["a.x", "b.x", "c.x", "d.x"], links) == {
        "c.x": ("a.x", "b.x"),
        "d.x": (),
    }
    # A displacer that does not apply displaces nothing.
    assert select_layered(["a.x", "b.x"], links) == {"b.x": ("a.x",)}


@given(
    st.lists(st.sampled_from("abcdef"), unique=True),
    st.dictionaries(st.sampled_from("abcdef"), st.sampled_from("abcdef")),
)
def test_layering_partitions_the_applicable_rules(applicable, raw_links):
    links = {k: v for k, v in raw_links.items() if v < k}  # acyclic, as the loader ensures
    kept = select_layered(applicable, links)
    displaced = [d for ds in kept.values() for d in ds]
    assert set(kept) | set(displaced) == set(applicable)
    assert list(kept) == [r for r in applicable if r in kept]
    for rule_id, ds in kept.items():
        assert all(d in chain_of(rule_id, links) for d in ds)


def test_marks_vocabulary_and_boundaries():
    start = dt.date(2019, 6, 18)

    def marks(as_of: dt.date, *, draft=False, last_year=None, review=5):
        return marks_for(
            draft=draft, applies_from=start, review_years=review, last_year=last_year, as_of=as_of
        )

    assert marks(dt.date(2024, 6, 17)) == ()
    assert marks(dt.date(2024, 6, 18)) == ("review_due",)
    assert marks(dt.date(2022, 12, 31), last_year=2022) == ()
    assert marks(dt.date(2023, 1, 1), last_year=2022, draft=True) == (
        "draft_source",
        "target_ended",
    )
    assert marks(dt.date(2099, 1, 1), review=None) == ()
    assert set(MARKS) == {"draft_source", "target_ended", "review_due"}


def test_bundled_findings_are_marked_never_changed(rulebook):
    report = rulebook.check_files(
        [str(RULES_DIR.parent / "fixtures" / "budgets.csv")], as_of=dt.date(2024, 6, 30)
    )
    zhejiang = [f for f in report.findings if f.rule_id.startswith("zhejiang")]
    assert zhejiang
    assert all("draft_source" in f.marks for f in zhejiang)
    assert all(f.displaced == () for f in report.findings)


def test_check_table_says_which_findings_are_marked_and_displaced(tmp_path):
    from click.testing import CliRunner

    from sw_policy.cli import main

    data = tmp_path / "b.csv"
    data.write_text(
        "id,jurisdiction,total_funds,labour_cost\nB-1,330106,100,65\nB-2,330100,100,65\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    bundled = runner.invoke(main, ["check", str(data), "--as-of", "2024-06-30"])
    assert "[draft_source] 2 finding(s)" in bundled.output
    assert "zhejiang-2019.labour-cost-share ×2" in bundled.output
    layered = runner.invoke(
        main, ["check", str(data), "--as-of", "2024-06-30", "--rules", str(layered_rules(tmp_path))]
    )
    assert (
        "[displaced] xihu-2023.labour-cost-share judged instead of "
        "zhejiang-2019.labour-cost-share ×1" in layered.output
    )


def test_review_period_default_and_per_source(tmp_path):
    copy = tmp_path / "rules"
    shutil.copytree(RULES_DIR, copy)
    sources = copy / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(
        text.replace(
            "    text: yiyang-2022.txt", "    text: yiyang-2022.txt\n    review_period_years: 1"
        ),
        encoding="utf-8",
    )
    book = load_rulebook(copy)
    community = make("community", jurisdiction="361126", setting="urban", sw_skilled_workers=1)
    (skills,) = [
        f
        for f in book.evaluate(community, as_of=dt.date(2024, 6, 30))
        if f.rule_id == "yiyang-2022.community-sw-skills"
    ]
    assert skills.marks == ("review_due",)  # 2022-12-15 + 1 year <= 2024-06-30
    bundled = judge(load_rulebook(RULES_DIR), "yiyang-2022.community-sw-skills", community)
    assert bundled.marks == ()  # the default 5 years
