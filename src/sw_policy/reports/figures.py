"""Figures and finding texts as a person reads them, for every human report.

Ratios become percentages with two decimals (76.34%), money is shown in the
unit the input used (元 or 万元) with two decimals, vocabulary values and field
names in the report's language. The exact values stay in the JSON report and
in `exact_text` (HTML hover, the CSV/XLSX "exact" column). Nothing here
changes a finding: it only words it.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sw_policy.findings import Finding
from sw_policy.reports.terms import (
    AMOUNT_FIELDS,
    FIELDS,
    HOURS_FIELDS,
    RATIO_FIELDS,
    VALUES,
    field_label,
    value_label,
)

__all__ = [
    "UNITS",
    "exact_text",
    "expected_text",
    "figure",
    "observed_figures",
    "percent",
    "threshold",
    "verdict_text",
]

UNITS: dict[str, Decimal] = {"元": Decimal(1), "万元": Decimal(10_000)}
_CENT = Decimal("0.01")


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def percent(value: Decimal, bound: Decimal | None = None) -> str:
    """0.7634285714 → "76.34%" (half up, two decimals).

    More decimals only where two would hide which side of `bound` the value is
    on: 0.70000001 against 0.70 is "70.000001%", never a failing "70.00%".
    """
    places = _CENT
    while (
        bound is not None
        and value != bound
        and places > Decimal("1e-12")
        and (value * 100).quantize(places, rounding=ROUND_HALF_UP)
        == (bound * 100).quantize(places, rounding=ROUND_HALF_UP)
    ):
        places /= 10
    return f"{(value * 100).quantize(places, rounding=ROUND_HALF_UP)}%"


def _grouped(value: Decimal) -> str:
    return f"{value.quantize(_CENT, rounding=ROUND_HALF_UP):,}"


def figure(
    name: str, value: object, lang: str, unit: str = "元", bound: Decimal | None = None
) -> str:
    """One observed value as a reader sees it: 76.34%, 22.50 万元, 119.5 小时, 是, 未知.

    `bound` is the threshold a share is compared with (see `percent`).
    """
    if value is None:
        return "未知" if lang == "zh" else "unknown"
    if isinstance(value, bool):
        return value_label("true" if value else "false", lang)
    number = _decimal(value) if name in AMOUNT_FIELDS | RATIO_FIELDS | HOURS_FIELDS else None
    if number is not None and name in RATIO_FIELDS:
        return percent(number, bound)
    if number is not None and name in AMOUNT_FIELDS:
        shown = _grouped(number / UNITS.get(unit, Decimal(1)))
        return f"{shown} {unit}" if lang == "zh" else f"{shown} {_unit_en(unit)}"
    if number is not None and name in HOURS_FIELDS:
        text = f"{number.normalize():f}"
        return f"{text} 小时" if lang == "zh" else f"{text} h"
    return value_label(str(value), lang)


def _unit_en(unit: str) -> str:
    return "yuan" if unit == "元" else "× 10⁴ yuan"


def observed_figures(finding: Finding, lang: str, unit: str = "元") -> str:
    """All observed figures: "人力成本占项目经费比例 76.34%；人力成本 26.72 万元；…"."""
    sep = "；" if lang == "zh" else "; "
    bound = threshold(finding)
    return sep.join(
        f"{field_label(k, lang)} {figure(k, v, lang, unit, bound)}"
        for k, v in finding.observed.items()
    )


_BOUND = re.compile(r"(?:\d{4}: )?[≤<≥>] (\d+(?:\.\d+)?)")


def threshold(finding: Finding) -> Decimal | None:
    """The number a finding's figure is compared with, when `expected` is one bound ("≤ 0.70")."""
    m = _BOUND.fullmatch(finding.expected)
    return Decimal(m[1]) if m else None


def exact_text(finding: Finding, lang: str | None = None) -> str:
    """The observed values exactly as the JSON report holds them: "人力成本占项目经费比例=0.76…".

    Names are in `lang` when given, else the identifiers (labour_cost_share=…).
    """
    return ", ".join(
        f"{field_label(k, lang) if lang else k}="
        f"{'?' if v is None else _bool(v, lang) if isinstance(v, bool) else v}"
        for k, v in finding.observed.items()
    )


def _bool(value: bool, lang: str | None) -> str:
    text = "true" if value else "false"
    return value_label(text, lang) if lang else text


_TOKEN = re.compile(r"any of: |\d+(?:\.\d+)?|[A-Za-z_][A-Za-z_0-9]*(?:\[[a-z_]+\])?")
_WORDS = {
    "and": ("且", "and"),
    "or": ("或", "or"),
    "not": ("非", "not"),
    "in": ("属于", "in"),
    "known": ("已知", "known"),
    "any of: ": ("满足其一：", "any of: "),
    "dated_training": (
        "带日期的培训记录（仅有累计学时，无法判断哪些学时在期限前完成）",
        "dated training sessions (a total alone cannot tell which hours were done by the deadline)",
    ),
}
_MILESTONE = re.compile(r"^(\d{4}): ")


def expected_text(finding: Finding, lang: str) -> str:
    """The `expected` text in words and figures: "≤ 70.00%", "持证社工数 ≥ 2 且 …"."""
    text = finding.expected
    prefix = ""
    m = _MILESTONE.match(text)
    if m:
        prefix = f"{m[1]} 年目标：" if lang == "zh" else f"{m[1]}: "
        text = text[m.end() :]
    subject = next(iter(finding.observed), "")
    if subject in AMOUNT_FIELDS and text[:1] in "≤≥<>":
        subject = "labour_cost_share"  # a top-level bound on amounts is a bound on their share
    out: list[str] = []
    last = 0
    for token in _TOKEN.finditer(text):
        out.append(text[last : token.start()])
        last = token.end()
        word = token.group()
        if word[0].isdigit():
            out.append(percent(Decimal(word)) if subject in RATIO_FIELDS else word)
        elif word in _WORDS:
            out.append(_WORDS[word][0 if lang == "zh" else 1])
        elif word.split("[")[0] in FIELDS:
            subject = word
            out.append(field_label(word.split("[")[0], lang))
        elif word in VALUES:
            out.append(value_label(word, lang))
        else:
            out.append(word)
    out.append(text[last:])
    words = "".join(out)
    if lang == "zh":
        words = words.replace("; ", "；").replace("(", "（").replace(")", "）")
    return prefix + words


_OBSERVED_MARK = {"zh": "实际：", "en": " Observed: "}
# A map entry is named with a dot inside (influential_orgs_by_field.elderly); the list ends
# at a dot that no word follows.
_MISSING = re.compile(r"(缺少：|Missing: )((?:[\w, ()]|\.(?=\w))+)(。|\.)")
_IDENT = re.compile(r"[a-z][a-z_0-9]*(?:\.[a-z][a-z_0-9]*)?")


def verdict_text(finding: Finding, lang: str) -> str:
    """The message's verdict sentence in `lang`, field names in words.

    The observed and expected figures have their own columns, so the message's
    second sentence (which repeats them with identifiers) is left out here.
    """
    message = finding.message.zh if lang == "zh" else finding.message.en
    head = message.split(_OBSERVED_MARK[lang], 1)[0]

    def missing(m: re.Match[str]) -> str:
        def word(w: re.Match[str]) -> str:
            if w[0] in _WORDS:
                return _WORDS[w[0]][0 if lang == "zh" else 1]
            return field_label(w[0], lang)

        names = _IDENT.sub(word, m[2])
        if lang == "zh":
            names = names.replace(", ", "、").replace(" (", "（").replace(")", "）")
        return f"{m[1]}{names}{m[3]}"

    return _MISSING.sub(missing, head)
