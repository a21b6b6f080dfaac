"""The terminal lines that say which findings are marked or displaced: never silently."""

from __future__ import annotations

from collections.abc import Sequence

from sw_policy.findings import Finding
from sw_policy.reports.labels import Lang, label
from sw_policy.rulebook.layering import MARKS

__all__ = ["marks_lines"]


def marks_lines(findings: Sequence[Finding], lang: Lang = "en") -> list[str]:
    """Per mark, how many findings carry it and of which rules; then what was displaced."""
    out: list[str] = []
    for mark in MARKS:
        rules: dict[str, int] = {}
        for f in findings:
            if mark in f.marks:
                rules[f.rule_id] = rules.get(f.rule_id, 0) + 1
        if rules:
            listed = ", ".join(f"{r} ×{n}" for r, n in rules.items())
            count = f"{sum(rules.values())} {label('n_findings', lang)}"
            code = f"[{mark}] " if lang == "en" else ""
            sep = ": " if lang == "en" else "："
            out.append(f"  {code}{count} {label(mark, lang)}{sep}{listed}")
    pairs: dict[tuple[str, str], int] = {}
    for f in findings:
        for old in f.displaced:
            pairs[(f.rule_id, old)] = pairs.get((f.rule_id, old), 0) + 1
    instead = label("judged_instead", lang)
    code = "[displaced] " if lang == "en" else ""
    out += [f"  {code}{new} {instead} {old} ×{n}" for (new, old), n in pairs.items()]
    if out:
        out.insert(0, f"{label('marked', lang)}{':' if lang == 'en' else '：'}")
    return out
