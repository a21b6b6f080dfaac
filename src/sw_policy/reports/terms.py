"""What the human reports call a field, a value and a rejection reason, in Chinese and English.

One table per kind of word, both languages side by side, so a report in one
language never falls back to the other's words (tests/test_report_language.py
scans every human format for leaks). Headings live in labels.py; the JSON
report keeps the engine's own identifiers and texts and never uses these.
"""

from __future__ import annotations

import functools
import re

__all__ = [
    "AMOUNT_FIELDS",
    "FIELDS",
    "HOURS_FIELDS",
    "RATIO_FIELDS",
    "VALUES",
    "field_label",
    "reason_text",
    "value_label",
]

FIELDS: dict[str, tuple[str, str]] = {
    "id": ("编号", "id"),
    "name": ("名称", "name"),
    "kind": ("记录类别", "kind"),
    "jurisdiction": ("行政区划代码", "division code"),
    "as_of": ("核查基准日", "as-of date"),
    "record": ("记录", "record"),
    "line": ("行", "line"),
    "total_funds": ("项目经费", "project funds"),
    "labour_cost": ("人力成本", "labour cost"),
    "labour_cost_share": ("人力成本占项目经费比例", "labour cost share of funds"),
    "certificate": ("职业资格证书", "certificate"),
    "certificate_registered": ("证书已登记", "certificate registered"),
    "education": ("学历", "education"),
    "major": ("专业", "major"),
    "training": ("培训记录", "training"),
    "training_hours_5y": ("近五年培训学时", "training hours (5 years)"),
    "training_hours_total": ("累计培训学时", "training hours (total)"),
    "employer_type": ("用人单位类型", "employer type"),
    "direct_service": ("直接提供服务", "direct service"),
    "counted_as_professional": ("计为专业人才", "counted as professional"),
    "post_level": ("岗位等级", "post level"),
    "post_title": ("岗位名称", "post title"),
    "post_series": ("岗位系列", "post series"),
    "in_purchased_project": ("在购买服务项目中", "in a purchased project"),
    "title_tier": ("职称层级", "title tier"),
    "title_basis": ("职称取得方式", "title basis"),
    "occupational_allowance": ("发放职业津贴", "occupational allowance paid"),
    "social_insurance": ("参加社会保险", "social insurance"),
    "housing_fund": ("缴存住房公积金", "housing fund"),
    "title_level": ("岗位名称对应等级", "level of the post title"),
    "required_certificate": ("岗位要求的证书", "certificate the post requires"),
    "setting": ("社区类型", "setting"),
    "sw_professionals": ("社会工作专业人才数", "social-work professionals"),
    "required_professionals": ("应配专业人才数", "professionals required"),
    "sw_skilled_workers": ("社会工作技能人才数", "social-work skilled workers"),
    "demonstration": ("五社联动示范社区", "demonstration community"),
    "certified_staff": ("持证社工数", "certified staff"),
    "special_group_projects": ("特殊群体服务项目数", "special-group projects"),
    "community_social_orgs": ("社区社会组织数", "community social organisations"),
    "registered_volunteers": ("注册志愿者数", "registered volunteers"),
    "resident_population": ("常住人口", "resident population"),
    "volunteer_registration_rate": ("志愿者注册率", "volunteer registration rate"),
    "community_fund": ("社区基金", "community fund"),
    "sw_focused": ("以社会工作服务为主", "social-work focused"),
    "professional_posts": ("专业技术岗位数", "professional posts"),
    "sw_posts": ("社会工作专业岗位数", "social-work posts"),
    "sw_post_share": ("社会工作岗位占比", "social-work post share"),
    "year": ("年度", "year"),
    "certified_workers": ("持证社会工作者人数", "certified workers"),
    "certified_workers_prev_year": ("上年持证人数", "certified workers (previous year)"),
    "doubled_prev_year": ("上年持证人数的两倍", "double the previous year"),
    "sw_orgs": ("社会工作服务机构数", "social-work organisations"),
    "hub_orgs": ("枢纽型机构数", "hub organisations"),
    "procurement_ready_orgs": ("具备承接能力的机构数", "procurement-ready organisations"),
    "influential_orgs": ("有影响力的机构数", "influential organisations"),
    "influential_orgs_by_field": ("各领域有影响力的机构数", "influential organisations by field"),
    "influential_orgs_by_field.community": (
        "城乡社区领域市级影响力机构数",
        "influential organisations: community",
    ),
    "influential_orgs_by_field.social_assistance": (
        "社会救助领域市级影响力机构数",
        "influential organisations: social assistance",
    ),
    "influential_orgs_by_field.elderly": (
        "为老服务领域市级影响力机构数",
        "influential organisations: elderly",
    ),
    "influential_orgs_by_field.children_youth": (
        "儿童青少年领域市级影响力机构数",
        "influential organisations: children and youth",
    ),
    "influential_orgs_by_field.medical": (
        "医务领域市级影响力机构数",
        "influential organisations: medical",
    ),
    "influential_orgs_by_field.drug_rehab": (
        "禁毒戒毒领域市级影响力机构数",
        "influential organisations: drug rehabilitation",
    ),
    "influential_orgs_by_field.community_correction": (
        "社区矫正领域市级影响力机构数",
        "influential organisations: community correction",
    ),
    "supervisors": ("督导人数", "supervisors"),
    "sw_talent_total": ("社会工作人才总量", "social-work talent in total"),
    "related_majors": ("相关专业目录", "the list of related majors"),
    "min_professionals": ("按社区类型的最低人数", "minimum by setting"),
}

VALUES: dict[str, tuple[str, str]] = {
    "none": ("无", "none"),
    "assistant": ("助理社会工作师", "assistant social worker"),
    "intermediate": ("社会工作师", "social worker"),
    "senior": ("高级社会工作师", "senior social worker"),
    "secondary": ("中专/高中", "secondary"),
    "junior_college": ("大专", "junior college"),
    "bachelor": ("本科", "bachelor"),
    "master": ("硕士", "master"),
    "doctorate": ("博士", "doctorate"),
    "urban": ("城市", "urban"),
    "rural": ("农村", "rural"),
    "urban_community": ("城市社区", "urban community"),
    "rural_community": ("农村社区", "rural community"),
    "public_institution": ("事业单位", "public institution"),
    "charity_org": ("公益慈善类社会组织", "charity organisation"),
    "sw_service_org": ("社会工作服务机构", "social-work service organisation"),
    "government": ("机关", "government"),
    "enterprise": ("企业", "enterprise"),
    "other": ("其他", "other"),
    "social_work": ("社会工作", "social work"),
    "junior": ("初级", "junior"),
    "review": ("评审", "review"),
    "true": ("是", "yes"),
    "false": ("否", "no"),
    "budget": ("项目经费", "budget"),
    "worker": ("社会工作者", "worker"),
    "community": ("社区", "community"),
    "institution": ("事业单位", "institution"),
    "region": ("地区", "region"),
}

AMOUNT_FIELDS = frozenset({"total_funds", "labour_cost"})
"""Money, shown in the input's unit (元 or 万元) with two decimals."""
RATIO_FIELDS = frozenset({"labour_cost_share", "sw_post_share", "volunteer_registration_rate"})
"""Shares, shown as percentages with two decimals (the exact value kept beside)."""
HOURS_FIELDS = frozenset({"training_hours_5y", "training_hours_total"})


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def field_label(name: str, lang: str) -> str:
    """A field as a reader calls it: 人力成本 / labour cost (unknown names kept as they are)."""
    if name in FIELDS:  # a map entry's column (influential_orgs_by_field.elderly) has its own
        return _pick(FIELDS[name], lang)
    base, dot, rest = name.partition(".")
    if base in FIELDS:
        return _pick(FIELDS[base], lang) + (dot + rest if dot else "")
    return name


def value_label(value: str, lang: str) -> str:
    """A vocabulary value as a reader says it: assistant → 助理社会工作师."""
    return _pick(VALUES[value], lang) if value in VALUES else value


_Q = r"'(?P<v>(?:[^'\\]|\\.)*)'"
_REASON_TEXTS: tuple[tuple[str, str, str], ...] = tuple(
    (pattern, zh, en)  # compiled by _reasons() when a rejection is first shown
    for pattern, zh, en in (
        (r"required", "必填，不能为空", "required"),
        (
            r"unknown field \(did you mean (?P<f>\w+)\?\)",
            "无法识别的列（是否应为 {f}？）",
            "unknown field (did you mean {f}?)",
        ),
        (r"unknown field", "无法识别的列", "unknown field"),
        (r"unknown kind; expected one of .*", "记录类别无法识别", "unknown kind"),
        (
            r"missing; add a kind field or column, or pass --kind",
            "缺少记录类别：请增加 kind 列或使用 --kind",
            "missing; add a kind column or pass --kind",
        ),
        (
            r"must be greater than or equal to (?P<n>[\d.]+)",
            "必须不小于 {n}",
            "must be at least {n}",
        ),
        (r"must be greater than (?P<n>[\d.]+)", "必须大于 {n}", "must be greater than {n}"),
        (r"must be less than or equal to (?P<n>[\d.]+)", "必须不大于 {n}", "must be at most {n}"),
        (r"must be less than (?P<n>[\d.]+)", "必须小于 {n}", "must be less than {n}"),
        (r"must be a valid integer.*", "必须是整数", "must be a whole number"),
        (r"must be a valid boolean.*", "必须是“是”或“否”", "must be yes or no"),
        (
            r"must be a valid date.*",
            "必须是日期（如 2024-06-30）",
            "must be a date such as 2024-06-30",
        ),
        (r"must be a valid decimal.*|must be a valid number.*", "必须是数字", "must be a number"),
        (r"must be (?P<l>'.*)", "只能是 {l}", "must be {l}"),
        (
            _Q + r" is not an amount such as .*",
            "“{v}”不是金额（如 1,200,000.00、¥3,000 或 120万元）",
            "'{v}' is not an amount such as 1,200,000.00, ¥3,000 or 120万元",
        ),
        (
            _Q + r" names two units; write one",
            "“{v}”写了两个单位，只保留一个",
            "'{v}' names two units; write one",
        ),
        (_Q + r" has no number", "“{v}”中没有数字", "'{v}' has no number"),
        (
            _Q + r" is ambiguous: use .*",
            "“{v}”有歧义：小数用“.”，千分位用“,”",
            "'{v}' is ambiguous: use '.' for decimals, ',' for thousands",
        ),
        (
            _Q + r" has thousands separators in the wrong places",
            "“{v}”的千分位逗号位置不对",
            "'{v}' has thousands separators in the wrong places",
        ),
        (
            _Q + r" is not a number written in digits 0-9",
            "“{v}”不是用 0-9 写成的数字",
            "'{v}' is not a number written in digits 0-9",
        ),
        (_Q + r" is not a number", "“{v}”不是数字", "'{v}' is not a number"),
        (
            _Q + r" is not one of (?P<l>.*)",
            "“{v}”不是可用的值（可用：{l}）",
            "'{v}' is not one of {l}",
        ),
        (
            _Q + r" is not a 6-digit GB/T 2260 division code.*",
            "“{v}”不是 6 位 GB/T 2260 行政区划代码（如 330106）",
            "'{v}' is not a 6-digit GB/T 2260 division code such as 330106",
        ),
        (_Q + r" is not a (?P<f>\w+) level", "“{v}”不是可识别的{F}", "'{v}' is not a {F} level"),
        (
            r"duplicate (?P<k>\w+) id (?P<i>'.*') \(first at (?P<at>.*)\)",
            "编号 {i} 重复（首次出现在 {at}）",
            "duplicate {K} id {i} (first at {at})",
        ),
        (
            r"duplicate (?P<k>\w+) id (?P<i>'.*')(?P<rest>.*)",
            "编号 {i} 重复{rest}",
            "duplicate {K} id {i}{rest}",
        ),
        (
            r"expected an object, got \w+",
            "不是一条记录（应为 JSON 对象）",
            "not a record (expected an object)",
        ),
        (
            r"Input tag (?P<v>'.*?') found using 'kind' does not match .*",
            "记录类别 {v} 无法识别",
            "unknown kind {v}",
        ),
        (r"not valid JSON \((?P<m>.*)\)", "不是有效的 JSON（{m}）", "not valid JSON ({m})"),
    )
)


@functools.cache
def _reasons() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """The reasons' patterns, compiled: 8 ms at import, and most reports reject nothing."""
    return tuple((re.compile(pattern), zh, en) for pattern, zh, en in _REASON_TEXTS)


_LABELLED = re.compile(r"^(?P<col>.*?) \((?P<field>[\w.]+)\)$")


def _where(name: str, lang: str) -> str:
    """The part before ':' of an error: a field, or "表头 (field)" as the file spells it."""
    m = _LABELLED.match(name)
    if m:
        return m["col"] if lang == "zh" else f"{m['col']} ({field_label(m['field'], lang)})"
    return field_label(name, lang)


def _values_in(text: str, lang: str) -> str:
    """ "'none', 'assistant' or 'senior'" with each quoted value in `lang`."""
    values = re.findall(r"'([^']*)'", text)
    shown = [value_label(v, lang) for v in values]
    if lang == "zh":
        return "、".join(f"“{v}”" for v in shown)
    return (
        ", ".join(f"'{v}'" for v in shown[:-1])
        + (" or " if len(shown) > 1 else "")
        + (f"'{shown[-1]}'" if shown else "")
    )


def reason_text(error: str, lang: str) -> str:
    """A rejection reason from inputs/ ("total_funds: must be greater than 0") in `lang`.

    The JSON report keeps the original; human reports show this. A reason not in
    the table is shown whole after a generic phrase, so nothing is ever hidden.
    """
    name, sep, reason = error.partition(": ")
    if not sep:
        name, reason = "", error
    for pattern, zh, en in _reasons():
        m = pattern.fullmatch(reason)
        if m:
            groups = {k: v or "" for k, v in m.groupdict().items()}
            if "f" in groups:
                groups["F"] = field_label(groups["f"], lang)
                groups["f"] = field_label(groups["f"], lang)
            if "l" in groups:
                groups["l"] = _values_in(groups["l"], lang)
            if "k" in groups:
                groups["K"] = value_label(groups["k"], lang)
            text = (zh if lang == "zh" else en).format(**groups)
            break
    else:
        text = f"无法读取（{reason}）" if lang == "zh" else reason
    if not name:
        return text
    return f"{_where(name, lang)}{'：' if lang == 'zh' else ': '}{text}"
