"""Mutation checks: a deliberately broken copy of a rule must fail one of its rule tests.

A rule test that still passes when the reading it guards is undone guards nothing.
Each mutation below undoes one reading (a figure, a date, who is covered, a carried
level) in a copy of the rules directory; the source's rule tests must then fail.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import sw_policy
from conftest import RULES_DIR

CARRY = """        carry:
          op: gt
          left: {field: certified_workers}
          right: {param: count_floor}
          part: count
          label: {zh: 持证社工总数突破80人, en: more than 80 certified social workers}
"""

YY, ZJ, TRAINING = "yiyang-2022", "zhejiang-2019-draft", "zhejiang-2019.training-120h"
BY_FIELD = "yiyang-2022.target.influential-orgs-by-field"
COMMUNITIES = "[urban_community, rural_community]"
PROFESSIONALS = "        - {op: eq, left: {field: counted_as_professional}, right: {value: true}}\n"
REGISTERED = "        - {op: eq, left: {field: certificate_registered}, right: {value: true}}\n"

# (rule file, rule id, text in that rule's block, its broken replacement, what it undoes)
MUTATIONS = [
    (YY, "yiyang-2022.target.sw-professionals", "{value: 150,", "{value: 151,", "达到150"),
    (YY, "yiyang-2022.target.sw-professionals", "{value: 150,", "{value: 149,", "达到150"),
    (YY, "yiyang-2022.target.sw-professionals", "op: ge", "op: gt", "达到 = at least"),
    (YY, "yiyang-2022.target.sw-professionals", "year: 2025", "year: 2024", "十四五"),
    (YY, BY_FIELD, "{value: 1, description: 各培育", "{value: 2, description: 各培育", "1家以上"),
    (YY, BY_FIELD, "{value: 1, description: 各培育", "{value: 0, description: 各培育", "1家以上"),
    (YY, BY_FIELD, "key: elderly}", "key: medical}", "为老服务 judged on its own entry"),
    (YY, BY_FIELD, "    milestones:\n      - year: 2025\n", "    deadline: 2024-12-31\n", "2025"),
    (YY, BY_FIELD, "      - year: 2025\n", "      - year: 2024\n", "到2025年"),
    (
        "liaocheng-2020",
        "liaocheng-2020.certificate-title-tier",
        "        - {op: known, field: title_basis}\n",
        "",
        "可视同: no title_basis, no deeming relied on",
    ),
    ("yiyang-2022", "yiyang-2022.target.certified-workers", CARRY, "", "倍增 2023 only"),
    (
        "liaocheng-2020",
        "liaocheng-2020.certificate-title-tier",
        "intermediate: intermediate,",
        "intermediate: senior,",
        "社会工作师对应中级职称",
    ),
    (
        "liaocheng-2020",
        "liaocheng-2020.certificate-title-tier",
        "basis: {value: certificate,",
        "basis: {value: review,",
        "可视同: title on the certificate",
    ),
    (
        "liaocheng-2020",
        "liaocheng-2020.certificate-title-tier",
        "        - {op: rank_at_least, field: certificate, min: {param: min_certificate}}\n",
        "",
        "取得证书",
    ),
    ("liaocheng-2020", "liaocheng-2020.professional-qualification", " msw,", "", "MSW"),
    (
        "liaocheng-2020",
        "liaocheng-2020.professional-qualification",
        " 社会工作(本科),",
        "",
        "社会工作（本科）",
    ),
    (ZJ, TRAINING, "until: 2022-12-31", "until: 2023-12-31", "到2022年"),
    (
        "zhejiang-2019-draft",
        "zhejiang-2019.training-120h",
        "            until: 2022-12-31\n",
        "",
        "hours after the deadline do not cure",
    ),
    (ZJ, TRAINING, ", sw_service_org]", "]", "公益慈善类社会组织 incl. 社工机构"),
    (
        "zhejiang-2019-draft",
        "zhejiang-2019.post-certificate",
        "        - {op: eq, left: {field: post_series}, right: {param: series}}\n",
        "",
        "social-work posts only",
    ),
    (
        "zhejiang-2019-draft",
        "zhejiang-2019.post-title-level",
        "        - {op: eq, left: {field: employer_type}, right: {param: employer}}\n",
        "",
        "引导…参照: public institutions only",
    ),
    (
        "zhejiang-2019-draft",
        "zhejiang-2019.post-title-level",
        "          社会工作师二级岗位: 9\n",
        "",
        "titles with 岗位",
    ),
    (
        "zhejiang-2019-draft",
        "zhejiang-2019.registration",
        "        - {op: eq, left: {field: direct_service}, right: {value: true}}\n",
        "",
        "以社会工作者身份",
    ),
    (
        YY,
        "yiyang-2022.certificate-registration",
        "{value: assistant,",
        "{value: intermediate,",
        "证书 of any level",
    ),
    (
        YY,
        "yiyang-2022.certificate-registration",
        "right: {value: true}",
        "right: {value: false}",
        "登记",
    ),
    (YY, "yiyang-2022.occupational-allowance", COMMUNITIES, "[urban_community]", "城乡社区工作者"),
    (YY, "yiyang-2022.occupational-allowance", "{value: assistant,", "{value: senior,", "职业资格"),
    (
        YY,
        "yiyang-2022.social-insurance",
        "{field: housing_fund}",
        "{field: social_insurance}",
        "公积金",
    ),
    (YY, "yiyang-2022.social-insurance", ", enterprise]", "]", "企业"),
    (
        YY,
        "yiyang-2022.social-insurance",
        "sw_service_org, enterprise]",
        "sw_service_org, enterprise, public_institution]",
        "以其他形式就业",
    ),
    (ZJ, "zhejiang-2019.social-insurance", PROFESSIONALS, "", "社会工作专业人才"),
    (
        ZJ,
        "zhejiang-2019.social-insurance",
        "{field: housing_fund}",
        "{field: social_insurance}",
        "公积金",
    ),
    (
        ZJ,
        "zhejiang-2019.occupational-allowance",
        "{value: assistant,",
        "{value: intermediate,",
        "职业资格",
    ),
    (ZJ, "zhejiang-2019.occupational-allowance", COMMUNITIES, "[urban_community]", "社区工作者"),
    ("liaocheng-2020", "liaocheng-2020.social-insurance", ", enterprise]", "]", "企业"),
    ("liaocheng-2020", "liaocheng-2020.social-insurance", PROFESSIONALS, "", "工作专业人才"),
    ("liaocheng-2020", "liaocheng-2020.occupational-allowance", REGISTERED, "", "并按规定登记"),
    (
        "liaocheng-2020",
        "liaocheng-2020.occupational-allowance",
        COMMUNITIES,
        "[rural_community]",
        "社区工作者",
    ),
    (
        "liaoning-2017",
        "liaoning-2017.occupational-allowance",
        COMMUNITIES,
        "[urban_community]",
        "社区工作者",
    ),
    (
        "liaoning-2017",
        "liaoning-2017.occupational-allowance",
        "{value: assistant,",
        "{value: senior,",
        "职业资格",
    ),
]


def _block(text: str, rule_id: str) -> tuple[int, int]:
    """Where one rule's YAML block starts and ends in its file."""
    start = text.index(f"  - id: {rule_id}\n")
    marks = ("\n  - id: ", "\n# Every", "\ncoverage:")
    ends = [i for i in (text.find(mark, start + 1) for mark in marks) if i > 0]
    return start, min(ends)


@pytest.mark.parametrize(
    ("source", "rule_id", "old", "new", "reading"),
    MUTATIONS,
    ids=[f"{m[1]}:{m[4]}" for m in MUTATIONS],
)
def test_a_broken_rule_fails_its_rule_tests(tmp_path, source, rule_id, old, new, reading):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    path = rules / f"{source}.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = _block(text, rule_id)
    block = text[start:end]
    assert block.count(old) == 1, f"mutation target not found once in {rule_id}: {old!r}"
    path.write_text(text[:start] + block.replace(old, new) + text[end:], encoding="utf-8")
    mutated = sw_policy.load_rulebook(rules)
    run = sw_policy.run_tests([rules / "tests" / f"{source}.yaml"], rulebook=mutated)
    assert run.failed, f"no rule test notices {rule_id} broken ({reading})"


def test_the_unbroken_rules_pass_their_tests():
    run = sw_policy.run_tests([RULES_DIR / "tests"])
    assert not run.failed
    assert Path(RULES_DIR / "tests").is_dir()
