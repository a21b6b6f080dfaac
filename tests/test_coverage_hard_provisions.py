"""The hard provisions are either encoded or listed in coverage with their reason.

A close reading of the sources found duties with a checkable figure or condition.
Registration (yiyang 二(一)1), the occupational allowances and social insurance /
housing fund are encoded since stop 13 (optional worker fields); what stays out
(annual inspection, pay at the post's grade, liaoning-2013's social insurance,
liaoning-2017's yearly lottery funds) must stay visible in `sw-policy rules coverage`
with the words that make it hard and the reason it is left out.
"""

from __future__ import annotations

import pytest

import sw_policy

# (source, clause, words of the provision the entry must name, why it is not encoded)
HARD = [
    ("yiyang-2022", "二(一)1", ["登记", "年检"], "registration encoded; no 年检 cycle"),
    (
        "yiyang-2022",
        "二(三)2",
        ["社会保险", "公积金", "职业津贴", "岗位等级"],
        "pay grade: no field",
    ),
    ("zhejiang-2019-draft", "二(六)", ["社会保险", "公积金", "职业津贴", "薪酬"], "pay grade"),
    ("liaocheng-2020", "六(一)", ["社会保险", "公积金"], "encoded; public pay not"),
    ("liaocheng-2020", "六(二)", ["职业津贴", "鼓励"], "advisory: 鼓励 governs the sentence"),
    ("liaoning-2017", "三(一)3", ["职业津贴"], "encoded"),
    ("liaoning-2017", "四(三)", ["每年"], "a yearly duty, no record"),
    ("liaoning-2013", "五2", ["社会保险", "重视解决"], "an effort for localities"),
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
