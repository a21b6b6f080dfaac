"""Chinese (and common English) names for the contract's fields and values.

This is vocabulary, not policy: it says that a column headed 项目经费 holds
`total_funds` and that 大专 is `junior_college`, so a workbook exported by a
civil-affairs office reads without renaming. Matching ignores case, spaces and
full-width/half-width brackets. No thresholds live here.
"""

from __future__ import annotations

import re

__all__ = [
    "BOOL_FIELDS",
    "FIELD_ALIASES",
    "IGNORED_HEADERS",
    "MONEY_FIELDS",
    "SHEET_KINDS",
    "VALUE_ALIASES",
    "canonical_field",
    "canonical_value",
    "kind_of_sheet",
]

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "编号",
        "序号id",
        "记录编号",
        "项目编号",
        "人员编号",
        "社区编号",
        "单位编号",
        "代码编号",
    ),
    "kind": ("类型", "记录类型"),
    "jurisdiction": ("行政区划代码", "区划代码", "行政区划", "地区代码"),
    "as_of": ("统计日期", "数据日期", "截止日期"),
    "name": ("名称", "项目名称", "姓名", "社区名称", "单位名称", "地区名称"),
    "total_funds": ("项目经费", "经费总额", "项目总经费", "项目资金"),
    "labour_cost": ("人力成本", "人员经费", "人力成本支出", "labor_cost"),
    "certificate": ("证书等级", "职业资格", "职业资格等级", "证书"),
    "certificate_registered": ("证书已登记", "是否登记", "已登记"),
    "education": ("学历", "最高学历"),
    "major": ("专业", "所学专业"),
    "training_hours_5y": ("近五年培训学时", "五年培训学时", "近5年培训学时"),
    "training_hours_total": ("累计培训学时", "培训学时", "培训总学时"),
    "employer_type": ("单位类型", "用人单位类型", "工作单位类型"),
    "direct_service": ("直接服务", "是否直接服务", "一线服务"),
    "counted_as_professional": ("计入专业人才", "是否计入专业人才"),
    "post_level": ("岗位等级", "专业技术岗位等级"),
    "post_title": ("岗位名称", "岗位"),
    "in_purchased_project": ("参与购买服务项目", "购买服务项目"),
    "post_series": ("岗位系列", "岗位类别", "专业技术岗位系列"),
    "title_tier": ("职称等级", "职称级别", "职称"),
    "title_basis": ("职称取得方式", "职称依据"),
    "setting": ("城乡类别", "社区类别", "城乡"),
    "sw_professionals": ("社会工作专业人才数", "社工专业人才数", "专业人才数"),
    "sw_skilled_workers": ("社会工作技能人员数", "社工技能人员数"),
    "demonstration": ("示范社区", "是否示范社区", "五社联动示范社区"),
    "certified_staff": ("持证人数", "持证社工数"),
    "special_group_projects": ("特殊群体服务项目数",),
    "community_social_orgs": ("社区社会组织数",),
    "registered_volunteers": ("注册志愿者数", "注册志愿者"),
    "resident_population": ("常住人口", "常住人口数"),
    "community_fund": ("社区基金", "是否有社区基金"),
    "sw_focused": ("以社会工作服务为主", "社工服务为主"),
    "professional_posts": ("专业技术岗位数",),
    "sw_posts": ("社会工作岗位数", "社工岗位数"),
    "year": ("年度", "年份"),
    "certified_workers": ("持证社工人数", "持证人员数"),
    "certified_workers_prev_year": ("上年持证社工人数", "上年持证人员数"),
    "sw_orgs": ("社会工作服务机构数", "社工机构数"),
    "hub_orgs": ("枢纽型机构数",),
    "procurement_ready_orgs": ("具备承接能力机构数",),
    "influential_orgs": ("全国有影响力机构数",),
    "supervisors": ("督导人数", "督导人才数"),
    "sw_talent_total": ("社会工作人才总量", "社工人才总量"),
}

# Columns office exports add that hold no record field: a running number and
# free-text remarks. They are read past, not refused as unknown fields.
IGNORED_HEADERS = frozenset({"序号", "备注", "no.", "remarks"})

VALUE_ALIASES: dict[str, dict[str, str]] = {
    "certificate": {
        "无": "none",
        "未持证": "none",
        "助理社会工作师": "assistant",
        "初级": "assistant",
        "社会工作师": "intermediate",
        "中级": "intermediate",
        "高级社会工作师": "senior",
        "高级": "senior",
    },
    "education": {
        "无": "none",
        "初中": "none",
        "高中": "secondary",
        "中专": "secondary",
        "中职": "secondary",
        "大专": "junior_college",
        "专科": "junior_college",
        "大学专科": "junior_college",
        "本科": "bachelor",
        "大学本科": "bachelor",
        "硕士": "master",
        "硕士研究生": "master",
        "研究生": "master",
        "博士": "doctorate",
        "博士研究生": "doctorate",
    },
    "employer_type": {
        "城市社区": "urban_community",
        "农村社区": "rural_community",
        "事业单位": "public_institution",
        "慈善组织": "charity_org",
        "社会工作服务机构": "sw_service_org",
        "社工机构": "sw_service_org",
        "政府": "government",
        "机关": "government",
        "企业": "enterprise",
        "其他": "other",
    },
    "post_series": {
        "社会工作": "social_work",
        "社会工作专业技术岗位": "social_work",
        "社工": "social_work",
        "其他": "other",
        "非社会工作": "other",
    },
    "title_tier": {
        "无": "none",
        "初级": "junior",
        "初级职称": "junior",
        "中级": "intermediate",
        "中级职称": "intermediate",
        "高级": "senior",
        "高级职称": "senior",
    },
    "title_basis": {
        "证书": "certificate",
        "以证书视同": "certificate",
        "视同": "certificate",
        "评审": "review",
        "其他": "other",
    },
    "setting": {"城市": "urban", "城市社区": "urban", "农村": "rural", "农村社区": "rural"},
    "kind": {
        "预算": "budget",
        "项目": "budget",
        "人员": "worker",
        "社工": "worker",
        "社区": "community",
        "事业单位": "institution",
        "地区": "region",
    },
}

_TRUE = ("是", "有", "已登记", "y", "yes", "true", "√", "✓", "1")
_FALSE = ("否", "无", "未登记", "n", "no", "false", "×", "✗", "0")

BOOL_FIELDS = frozenset(
    {
        "certificate_registered",
        "direct_service",
        "counted_as_professional",
        "in_purchased_project",
        "demonstration",
        "community_fund",
        "sw_focused",
    }
)
MONEY_FIELDS = frozenset({"total_funds", "labour_cost"})

SHEET_KINDS: dict[str, tuple[str, ...]] = {
    "budget": ("budget", "budgets", "预算", "项目经费", "购买服务项目", "项目"),
    "worker": ("worker", "workers", "社工", "人员", "花名册", "人才"),
    "community": ("community", "communities", "社区"),
    "institution": ("institution", "institutions", "事业单位"),
    "region": ("region", "regions", "地区", "区域", "年度统计"),
}

_BRACKETS = str.maketrans({"（": "(", "）": ")", "\u3000": " "})


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text.translate(_BRACKETS)).lower()


_FIELD_OF: dict[str, str] = {}
for _field, _names in FIELD_ALIASES.items():
    _FIELD_OF[_key(_field)] = _field
    for _name in _names:
        _FIELD_OF[_key(_name)] = _field


def canonical_field(header: str) -> str | None:
    """The contract field a column header names (itself or an alias), else None.

    An ignored column (序号, 备注) gives "".
    """
    key = _key(header)
    return "" if key in IGNORED_HEADERS else _FIELD_OF.get(key)


_VALUE_OF: dict[str, dict[str, str]] = {
    field: {_key(k): v for k, v in table.items()} for field, table in VALUE_ALIASES.items()
}
for _field in BOOL_FIELDS:
    _VALUE_OF[_field] = {**dict.fromkeys(_TRUE, "true"), **dict.fromkeys(_FALSE, "false")}


def canonical_value(field: str, value: str) -> str:
    """The contract's spelling of `value` for `field` (大专 -> junior_college); else unchanged."""
    return _VALUE_OF.get(field, {}).get(_key(value), value)


def kind_of_sheet(name: str) -> str | None:
    """The record kind a sheet name announces (社工花名册 -> worker), or None if unclear."""
    key = _key(name)
    found = {kind for kind, words in SHEET_KINDS.items() if any(_key(w) in key for w in words)}
    # "社区社工" names two kinds: leave it to the columns.
    return found.pop() if len(found) == 1 else None
