"""The hard provisions the contract does not name are listed in coverage, with their reason.

A close reading of the sources found duties with a checkable figure or condition
that no rule encodes, because the contract's records carry no field for them
(pay, insurance, allowances, annual inspection) or its rules table names no rule.
Each must stay visible in `sw-policy rules coverage` with the words that make it
hard and the reason it is left out; none may be encoded without the contract.
"""

from __future__ import annotations

import pytest

import sw_policy

# (source, clause, words of the provision the entry must name, why it is not encoded)
HARD = [
    ("yiyang-2022", "二(一)1", ["登记", "年检"], "no Yiyang rule in the contract; no 年检 field"),
    ("yiyang-2022", "二(三)2", ["社会保险", "公积金", "职业津贴", "岗位等级"], "no field"),
    ("zhejiang-2019-draft", "二(六)", ["社会保险", "公积金", "职业津贴", "薪酬"], "no field"),
    ("liaocheng-2020", "六(一)", ["社会保险", "公积金"], "no field"),
    ("liaocheng-2020", "六(二)", ["职业津贴", "鼓励"], "no field; 鼓励 governs exam support"),
    ("liaoning-2017", "三(一)3", ["职业津贴"], "no field"),
    ("liaoning-2017", "四(三)", ["每年"], "a yearly duty, no record"),
]
CONTRACT_RULES = {
    "yiyang-2022": {
        "yiyang-2022.labour-cost-share",
        "yiyang-2022.community-sw-skills",
        "yiyang-2022.demo-community",
        "yiyang-2022.target.certified-workers",
        "yiyang-2022.target.sw-professionals",
        "yiyang-2022.target.influential-orgs-by-field",
        "yiyang-2022.target.supervisors",
        "yiyang-2022.target.sw-organisations",
        # Beyond the contract's table (CONTRACT.md: "everything not fixed here is yours"):
        # the hard provisions a worker record can carry since stop 13.
        "yiyang-2022.certificate-registration",
        "yiyang-2022.occupational-allowance",
        "yiyang-2022.social-insurance",
    },
}


@pytest.mark.parametrize(("source", "clause", "words", "why"), HARD, ids=[h[1] for h in HARD])
def test_each_hard_provision_is_listed_with_its_reason(
    rulebook: sw_policy.Rulebook, source: str, clause: str, words: list[str], why: str
) -> None:
    entries = {e.clause: e for e in rulebook.coverage[source]}
    entry = entries[clause]
    text = (entry.reason or "") + (entry.note or "")
    assert len(text) > 60, f"{source} {clause}: no reason given"
    missing = [w for w in words if w not in text]
    assert missing == [], f"{source} {clause}: coverage does not name {missing} ({why})"


def test_no_yiyang_rule_beyond_the_listed_ones(rulebook: sw_policy.Rulebook) -> None:
    """Registration, allowance and insurance are encoded; annual inspection and pay are not."""
    yiyang = {r.id for r in rulebook.rules if r.id.startswith("yiyang-2022.")}
    assert yiyang == CONTRACT_RULES["yiyang-2022"]
