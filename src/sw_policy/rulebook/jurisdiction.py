"""GB/T 2260 containment: which 6-digit division codes a rule's scope covers."""

from __future__ import annotations

__all__ = ["covers", "level_of"]


def level_of(code: str) -> str:
    """province (xx0000), city (xxxx00) or county (anything else)."""
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def covers(scope: str, code: str, *, exact: bool = False) -> bool:
    """Whether `scope` covers `code`: a province by 2 digits, a city by 4, a county all 6.

    With exact=True (regional targets) only the code itself is covered.
    """
    if exact:
        return code == scope
    level = level_of(scope)
    if level == "province":
        return code[:2] == scope[:2]
    if level == "city":
        return code[:4] == scope[:4]
    return code == scope
