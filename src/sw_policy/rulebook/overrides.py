"""Parameter overrides: judge with a changed figure without editing a rule file.

A drafter asks "what if the cap were 75%?" with `--set
zhejiang-2019.labour-cost-share.max_share=0.75`. The override replaces the
parameter's value in the rule (and in every milestone of a target that sets it);
`rule.param@2025=150` changes it for the 2025 milestone only,
the rule is validated again exactly as if the file had said so, and the
rulebook's digest changes so a report never claims to be the unmodified rules.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sw_policy.errors import OverrideError, PolicyError, UnknownRuleError
from sw_policy.rulebook.loader import LoadedRules
from sw_policy.rulebook.schema import ParamValue, RuleSpec
from sw_policy.rulebook.strict_yaml import parse_yaml

__all__ = ["OverrideError", "apply_overrides", "parse_override", "parse_overrides"]


_PERCENT = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*%\s*$")


def parse_override(text: str) -> tuple[str, ParamValue]:
    """Split `rule.id.param=value` and read the value as YAML (0.75 is an exact decimal).

    A percentage (`75%`) is read as the ratio it means (0.75), so a drafter
    can write the figure as the text does.
    """
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or not raw.strip():
        raise OverrideError(text, "write it as RULE_ID.PARAMETER=VALUE")
    percent = _PERCENT.match(raw)
    if percent is not None:  # 75% and 0.75 alike: the share as an exact decimal
        return key, Decimal(percent.group(1)).scaleb(-2)
    try:
        value = parse_yaml(raw.encode("utf-8"), Path("--set"))
    except PolicyError as exc:
        raise OverrideError(key, f"value {raw!r} is not readable: {exc}") from None
    return key, _plain(value)


def parse_overrides(texts: list[str] | tuple[str, ...]) -> dict[str, ParamValue]:
    """Several `--set` options; the same parameter set twice is refused, not last-wins."""
    overrides: dict[str, ParamValue] = {}
    for text in texts:
        key, value = parse_override(text)
        if key in overrides:
            raise OverrideError(key, "set twice; give each parameter once")
        overrides[key] = value
    return overrides


def _plain(value: Any) -> Any:
    """Strict-YAML containers (with line numbers) become plain tuples and dicts."""
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def apply_overrides(loaded: LoadedRules, overrides: Mapping[str, ParamValue]) -> LoadedRules:
    """A copy of `loaded` with parameters replaced; the rules are validated again."""
    if not overrides:
        return loaded
    by_id = {rule.id: rule for rule in loaded.rules}
    changes: dict[str, dict[str, ParamValue]] = {}
    for key, value in overrides.items():
        target, _, year = key.partition("@")
        rule_id, _, param = target.rpartition(".")
        if rule_id not in by_id:
            raise UnknownRuleError(rule_id or key, difflib.get_close_matches(rule_id, list(by_id)))
        if param not in by_id[rule_id].parameters:
            known = ", ".join(sorted(by_id[rule_id].parameters)) or "none"
            raise OverrideError(key, f"rule {rule_id} has no parameter {param!r} (it has: {known})")
        if year:
            years = [str(m.year) for m in by_id[rule_id].milestones or ()]
            if year not in years:
                raise OverrideError(
                    key,
                    f"rule {rule_id} has no milestone {year} "
                    f"(it has: {', '.join(years) or 'none'})",
                )
        name = f"{param}@{year}" if year else param
        changes.setdefault(rule_id, {})[name] = _like(by_id[rule_id], param, value, key)
    rules = tuple(
        _replace(rule, changes[rule.id]) if rule.id in changes else rule for rule in loaded.rules
    )
    digest = hashlib.sha256(loaded.sha256.encode())
    for key in sorted(overrides):
        digest.update(f"\0{key}={overrides[key]!r}".encode())
    return dataclasses.replace(loaded, rules=rules, sha256=digest.hexdigest())


def _like(rule: RuleSpec, param: str, value: ParamValue, key: str) -> ParamValue:
    """Give a whole number where the file has a decimal the decimal type it expects."""
    current = rule.parameters[param].value
    if isinstance(current, Decimal) and isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(current, bool) != isinstance(value, bool) or (
        isinstance(current, int | Decimal) and not isinstance(value, int | Decimal)
    ):
        shown = str(current) if isinstance(current, int | Decimal) else repr(current)
        raise OverrideError(key, f"expects a value like {shown}, got {_shown_value(value)}")
    if type(current) is int and isinstance(value, Decimal) and value != value.to_integral_value():
        raise OverrideError(key, f"expects a whole number like {current}, got {value}")
    return value


def _shown_value(value: ParamValue) -> str:
    """A value as a drafter would write it (0.75, not Decimal('0.75'))."""
    return str(value) if isinstance(value, int | Decimal) else repr(value)


def _replace(rule: RuleSpec, values: dict[str, ParamValue]) -> RuleSpec:
    data = rule.model_dump(by_alias=True, exclude_unset=True)
    for key, value in sorted(values.items(), key=lambda kv: "@" in kv[0]):  # @year last
        name, _, year = key.partition("@")
        if year:  # one milestone only: it now sets the parameter itself
            for milestone in data.get("milestones") or ():
                if str(milestone["year"]) == year:
                    milestone.setdefault("parameters", {})[name] = value
            continue
        data["parameters"][name]["value"] = value
        for milestone in data.get("milestones") or ():
            if name in milestone.get("parameters", {}):
                milestone["parameters"][name] = value
    try:
        return RuleSpec.model_validate(data)
    except ValidationError as exc:
        key = f"{rule.id}.{','.join(sorted(values))}"
        raise OverrideError(key, exc.errors()[0]["msg"]) from None
