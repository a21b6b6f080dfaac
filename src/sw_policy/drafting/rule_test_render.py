"""Text and JSON for `sw-policy test`: failures with file and line, then coverage."""

from __future__ import annotations

import json
from typing import Any

from sw_policy.drafting.rule_test_coverage import RuleCoverage
from sw_policy.drafting.rule_tests import RuleTestRun
from sw_policy.reports.text import table

__all__ = ["render_coverage", "render_run", "run_as_json"]


def render_run(run: RuleTestRun) -> str:
    """Each failing case with its file:line and every failed expectation, then a summary."""
    lines: list[str] = []
    for case in run.failed:
        lines.append(f"FAIL {case.where}: {case.name}")
        lines.extend(f"  {failure}" for failure in case.failures)
    failed = len(run.failed)
    lines.append(f"{len(run.cases)} case(s), {len(run.cases) - failed} passed, {failed} failed")
    return "\n".join(lines) + "\n"


def render_coverage(coverage: list[RuleCoverage]) -> str:
    """Per rule: goals reached of goals, and what no test reaches."""
    rows = [
        [c.rule_id, f"{len(c.goals) - len(c.missing)}/{len(c.goals)}", ", ".join(c.missing) or "-"]
        for c in coverage
    ]
    text = table(["rule", "reached", "not reached"], rows, [48, 8, 60]) + "\n"
    gaps = [c for c in coverage if c.missing]
    if gaps:
        text += f"{len(gaps)} rule(s) not fully covered\n"
    else:
        text += f"all {len(coverage)} rule(s) covered at every goal\n"
    return text


def run_as_json(
    run: RuleTestRun,
    coverage: list[RuleCoverage] | None,
    boundaries: list[dict[str, Any]] | None = None,
) -> str:
    """The run (and coverage) as one JSON document, keys in a fixed order."""
    data: dict[str, Any] = {
        "cases": len(run.cases),
        "failed": len(run.failed),
        "failures": [
            {"file": str(c.path), "line": c.line, "name": c.name, "errors": c.failures}
            for c in run.failed
        ],
    }
    if coverage is not None:
        data["coverage"] = [
            {"rule_id": c.rule_id, "goals": c.goals, "missing": c.missing} for c in coverage
        ]
    if boundaries is not None:
        data["boundaries"] = boundaries
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
