"""The terminal lines that say which findings are marked or displaced: never silently."""

from __future__ import annotations

from collections.abc import Sequence

from ._findings import Finding
from ._layering import MARKS

__all__ = ["marks_lines"]

_MEANING = {
    "draft_source": "from a draft for comment (征求意见稿)",
    "target_ended": "a target whose last milestone has passed",
    "review_due": "from a source past its review period",
}


def marks_lines(findings: Sequence[Finding]) -> list[str]:
    """Per mark, how many findings carry it and of which rules; then what was displaced."""
    out: list[str] = []
    for mark in MARKS:
        rules: dict[str, int] = {}
        for f in findings:
            if mark in f.marks:
                rules[f.rule_id] = rules.get(f.rule_id, 0) + 1
        if rules:
            listed = ", ".join(f"{r} ×{n}" for r, n in rules.items())
            out.append(f"  [{mark}] {sum(rules.values())} finding(s) {_MEANING[mark]}: {listed}")
    pairs: dict[tuple[str, str], int] = {}
    for f in findings:
        for old in f.displaced:
            pairs[(f.rule_id, old)] = pairs.get((f.rule_id, old), 0) + 1
    out += [f"  [displaced] {new} judged instead of {old} ×{n}" for (new, old), n in pairs.items()]
    if out:
        out.insert(
            0, "Marked findings (outcomes unchanged; --format json lists marks per finding):"
        )
    return out
