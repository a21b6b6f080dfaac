"""Records given as mappings (JSON, the library, `watch`) read like spreadsheet rows.

Chinese keys (项目经费, 学历) name their fields, and values as offices write them
(本科, 社会工作师, 是/否/√/×, 12.5万元) become the contract's spelling, the same
words a CSV or XLSX cell accepts. English keys that name no field are left for
validation to refuse with a "did you mean"; values that are not known stay as
given, so the error quotes them. An amount parse_amount refuses ("1e3", "12,5")
is refused in its words, as a CSV cell's is: never read by the record model's
own, looser number syntax.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from sw_policy.inputs.aliases import MONEY_FIELDS, canonical_value
from sw_policy.inputs.amounts import parse_amount, scaled
from sw_policy.inputs.headers import read_header
from sw_policy.records import RefusedText

__all__ = ["office_mapping"]

_PLAIN_AMOUNT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def office_mapping(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with Chinese keys mapped to fields and office values to contract values."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        name, scale = key, 1
        if isinstance(key, str) and not key.isascii():
            reading = read_header(key)
            if reading.field is not None:
                name, scale = reading.field, reading.scale  # 项目经费（万元）: ×10 000
            elif reading.personal or reading.ignored:
                continue  # 身份证号, 序号: never copied, never a reason to refuse
        if name in out:
            name = key  # two keys for one field: keep both, validation says which
        out[name] = _value(name, value, scale)
    return out


def _value(field: str, value: Any, scale: int = 1) -> Any:
    if field in MONEY_FIELDS and scale != 1 and _is_number(value):
        value = str(value)  # a number under a key in 万元 is scaled like its text
    if not isinstance(value, str):
        return value
    if field in MONEY_FIELDS:
        if _PLAIN_AMOUNT.fullmatch(value):
            return str(scaled(Decimal(value), scale))  # what parse_amount gives for plain digits
        try:
            return str(parse_amount(value, scale=scale))
        except ValueError as exc:
            return RefusedText(value, str(exc))  # validation refuses it in parse_amount's words
    return canonical_value(field, value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
