"""Input warnings in the report's language.

Readers make their warnings once, in English, and the JSON report keeps them as
made (one text per warning, as the contract has it). A human report in Chinese
says each one in Chinese: an auditor reading 概要 and 读取情况 should not meet
"sheet 经费明细: column … is not used; did you mean labour_cost?" in the middle.
Each pattern below matches one warning a reader writes (the tests make every one
of them from a real file); a warning no pattern knows is shown as made.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from sw_policy.reports.defaults_note import warning_text as defaults_text
from sw_policy.reports.terms import field_label

__all__ = ["warning_text"]

_SHEET = r"(?:sheet (?P<sheet>.+?): )?"
_MORE = re.compile(r" and (\d+) more$")


def _sheet(match: re.Match[str]) -> str:
    return f"工作表 {match['sheet']}：" if match["sheet"] else ""


def _listed(text: str, unit: str) -> str:
    """ "a, b and 3 more" as 「a、b 等（另有 3 个）」."""
    more = _MORE.search(text)
    items = (text[: more.start()] if more else text).split(", ")
    tail = f" 等（另有 {more.group(1)} {unit}）" if more else ""
    return "、".join(items) + tail


def _header(quoted: str) -> str:
    """The header as written: the warning quotes it as a Python string literal."""
    try:
        value = ast.literal_eval(quoted)
    except (ValueError, SyntaxError):
        return quoted
    return value if isinstance(value, str) else quoted


def _near(m: re.Match[str]) -> str:
    field = m["field"]
    return (
        f"{_sheet(m)}列“{_header(m['text'])}”未使用；是否指{field_label(field, 'zh')}"
        f"（{field}）？（如需使用，请把该列名加入 rules/intake/vocabulary.yaml）"
    )


def _total(m: re.Match[str]) -> str:
    return (
        f"{_sheet(m)}第 {m['row']} 行：{m['word']}行的{m['name']}为 {m['given']}，"
        f"但上方各行之和为 {m['expected']}"
    )


def _title(m: re.Match[str]) -> str:
    place = "表格标题" if m["place"] == "the title" else "工作表名称"
    return f"{_sheet(m)}未填行政区划代码的行，按{place}取 {m['code']}（{m['full']}）"


_SPAN = re.compile(r"row (\d+) \(lines (\d+)-(\d+)\)")
_SPANS = re.compile(r"(.+) spans? more than one line \(a quoted cell holds a line break\)")
_BLANK = re.compile(r"blank lines? (.+) skipped")


def _lines(m: re.Match[str]) -> str:
    parts = []
    for part in m["parts"].split("; "):
        spans, blank = _SPANS.fullmatch(part), _BLANK.fullmatch(part)
        if spans:
            rows = _SPAN.sub(lambda s: f"第 {s[1]} 行（文件第 {s[2]}–{s[3]} 行）", spans[1])
            parts.append(f"{_listed(rows, '处')}跨越多行（带引号的单元格内有换行）")
        elif blank:
            parts.append(f"已跳过空行 {_listed(blank[1], '行')}")
        else:
            return m.string
    return "物理行与记录不一一对应：" + "；".join(parts)


def _unknown_codes(m: re.Match[str]) -> str:
    return f"以下行政区划代码不在 GB/T 2260 代码表中：{_listed(m['listed'], '个')}"


def _retired(m: re.Match[str]) -> str:
    now = f"；现为 {m['successor']}" if m["successor"] else ""
    until = f"{m['date']} 年" if len(m["date"]) == 4 else m["date"]
    return f"行政区划代码 {m['code']}（{m['name']}）有效期至 {until}，已撤销{now}"


def _not_in_table(m: re.Match[str]) -> str:
    return f"行政区划代码 {m['code']} 不在 GB/T 2260 代码表中（{m['stamp']}）"


_ZH: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(
            _SHEET + r"column (?P<text>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\") is not used; "
            r"did you mean (?P<field>[a-z_.]+)\? "
            r"\(add the name to rules/intake/vocabulary\.yaml to use it\)"
        ),
        _near,
    ),
    (
        re.compile(
            _SHEET + r"row (?P<row>\d+): (?P<word>\S+) (?P<name>.+) is (?P<given>\S+) "
            r"but the rows above sum to (?P<expected>\S+)"
        ),
        _total,
    ),
    (
        re.compile(
            _SHEET + r"jurisdiction (?P<code>\d{6}) \((?P<full>[^)]*)\) taken from "
            r"(?P<place>the title|the sheet name) for rows without 行政区划代码"
        ),
        _title,
    ),
    (re.compile(r"physical lines are not records: (?P<parts>.+)"), _lines),
    (re.compile(r"division codes not in the GB/T 2260 table: (?P<listed>.+)"), _unknown_codes),
    (
        re.compile(
            r"jurisdiction (?P<code>\d{6}) \((?P<name>[^)]*)\) was retired after "
            r"(?P<date>\d{4}(?:-\d{2}-\d{2})?)(?:; now (?P<successor>\d{6}))?"
        ),
        _retired,
    ),
    (
        re.compile(r"jurisdiction (?P<code>\d{6}) is not in the GB/T 2260 table \((?P<stamp>.+)\)"),
        _not_in_table,
    ),
)


def warning_text(warning: str, lang: str) -> str:
    """`warning` as the report's language says it; English (and unknown texts) as made."""
    if lang != "zh":
        return defaults_text(warning, lang)
    for pattern, say in _ZH:
        match = pattern.fullmatch(warning)
        if match is not None:
            return say(match)
    return defaults_text(warning, lang)
