"""The "defaults taken" input warning (checking/defaults_taken.py) in the report's language.

The JSON report keeps the warning as made (field names, contract values); a human
report says it in its own language: 证书已登记 = 否 in Chinese, certificate
registered = no in English.
"""

from __future__ import annotations

import re

from sw_policy.reports.terms import field_label, value_label

__all__ = ["warning_text"]

_NOTE = re.compile(
    r"^(?P<absent>columns|keys) absent, the contract's defaults taken: (?P<parts>.+)$"
)
_PART = re.compile(r"(?P<field>[a-z_]+) = (?P<value>[a-z_]+)(?: \([^)]*\))?")


def warning_text(warning: str, lang: str) -> str:
    """`warning` as the report's language says it (other warnings are kept as made)."""
    match = _NOTE.match(warning)
    if match is None:
        return warning
    parts = [
        f"{field_label(p['field'], lang)} = {value_label(p['value'], lang)}"
        for p in _PART.finditer(match["parts"])
    ]
    if lang == "zh":
        absent = "列" if match["absent"] == "columns" else "字段"
        return f"文件未给出以下{absent}，按记录格式规定的默认值判断：{'、'.join(parts)}"
    return f"{match['absent']} absent, the contract's defaults taken: {', '.join(parts)}"
