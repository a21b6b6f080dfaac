"""Golden cases per operator, as data: tests/conditions/<tag>.yaml, one file per node type.

Each case gives a condition, the rule's parameters and a record, and what every
engine must find: the truth (true / false / unknown), the observed values, the
missing fields and the `expected` text. Each case runs on the row tree walk
(the reference), the row compiler and the columnar engine (through the
engines' RuleStore Protocol, no rules directory needed). Every node type of the
registry has a file, including ones no bundled rule uses.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from sw_policy.engines.columnar.engine import evaluate_frames
from sw_policy.engines.row.compile import Trace, compile_predicate
from sw_policy.engines.row.tree_walk import EvalContext, truth_of
from sw_policy.engines.wording import describe_expected
from sw_policy.findings import Citation
from sw_policy.inputs.frames import frame_from_records
from sw_policy.inputs.readers import parse_record
from sw_policy.rulebook.conditions import NODE_TYPES, walk
from sw_policy.rulebook.layering import Mark
from sw_policy.rulebook.schema import RuleSpec, SourceDoc
from sw_policy.rulebook.strict_yaml import parse_yaml

CASES_DIR = Path(__file__).resolve().parent / "conditions"
AS_OF = dt.date(2024, 6, 30)
TRUTH_OF_OUTCOME = {"pass": "true", "fail": "false", "insufficient_data": "unknown"}
SOURCE = SourceDoc.model_validate(
    {
        "id": "golden",
        "title": "golden cases",
        "issuers": ["test"],
        "issued": "2020-01-01",
        "status": "in_force",
        "jurisdiction": "330000",
        "jurisdiction_name": "浙江省",
        "text": "golden.txt",
    }
)


def _load(path: Path) -> list[tuple[str, dict[str, Any]]]:
    data = parse_yaml(path.read_bytes(), path)
    return [(f"{path.stem}:{case['name']}", case) for case in data["cases"]]


CASES = [case for path in sorted(CASES_DIR.glob("*.yaml")) for case in _load(path)]


class OneRule:
    """A RuleStore holding one rule: what the columnar engine reads."""

    def __init__(self, rule: RuleSpec) -> None:
        self.rule = rule
        self.cite = Citation(
            source_id="golden",
            document_number=None,
            title="golden cases",
            issued=SOURCE.issued,
            status="in_force",
            clause="1",
            quote="q",
        )

    sha256 = "0" * 64
    layered = False

    @property
    def rules(self) -> tuple[RuleSpec, ...]:
        return (self.rule,)

    def citation(self, rule_id: str) -> Citation:
        return self.cite

    def marks_of(self, rule_id: str, as_of: dt.date) -> tuple[Mark, ...]:
        return ()

    def rules_of_kind(self, kind: str) -> Sequence[tuple[RuleSpec, SourceDoc, Citation]]:
        return [(self.rule, SOURCE, self.cite)] if kind == self.rule.kind else []


def _rule(case: dict[str, Any]) -> RuleSpec:
    return RuleSpec.model_validate(
        {
            "id": "golden.case",
            "clause": "1",
            "quote": "q",
            "summary": {"zh": "用例", "en": "case"},
            "severity": "mandatory",
            "kind": case["kind"],
            "parameters": {
                name: {"value": value, "description": name}
                for name, value in (case.get("parameters") or {}).items()
            },
            "condition": case["condition"],
        }
    )


def _record(case: dict[str, Any]) -> Any:
    fields = {"id": "R-1", "jurisdiction": "330106", **(case.get("record") or {})}
    return parse_record({"kind": case["kind"], **fields})


def _shown(observed: dict[str, Any]) -> dict[str, str]:
    return {k: json.loads(json.dumps(v, default=str)) for k, v in observed.items()}


@pytest.mark.parametrize(("name", "case"), CASES, ids=[n for n, _ in CASES])
def test_golden_case_on_every_engine(name: str, case: dict[str, Any]) -> None:
    rule = _rule(case)
    params = {n: p.value for n, p in rule.parameters.items()}
    record = _record(case)
    want_truth, want_missing = case["truth"], list(case.get("missing") or [])
    want_observed = {k: str(v) for k, v in (case.get("observed") or {}).items()}

    ctx = EvalContext(record=record, as_of=AS_OF, params=params)
    walked = truth_of(rule.condition, ctx).value
    seen = {**ctx.derived, **ctx.observed}
    assert (walked, ctx.missing) == (want_truth, want_missing), "row tree walk"
    assert {k: str(v) for k, v in seen.items()} == want_observed, "row tree walk"
    expected = describe_expected(rule.condition, params, seen, None)
    assert expected == case["expected"], "wording"

    trace = Trace(record, AS_OF)
    compiled = compile_predicate(rule.condition, params)(trace).value
    assert (compiled, trace.missing) == (want_truth, want_missing), "row compiler"
    assert {k: str(v) for k, v in trace.observed_values().items()} == want_observed

    result = evaluate_frames(OneRule(rule), frame_from_records([record]), as_of=AS_OF)
    (row,) = result.findings.to_dicts()
    assert TRUTH_OF_OUTCOME[row["outcome"]] == want_truth, "columnar engine"
    assert row["expected"] == case["expected"], "columnar engine"
    observed = json.loads(row["observed"]) if isinstance(row["observed"], str) else row["observed"]
    assert {k: str(v) for k, v in (observed or {}).items()} == want_observed, "columnar engine"


def test_every_node_type_has_golden_cases() -> None:
    """Each registered node type appears in some case's condition, and has its own file."""
    used = {type(n) for _, case in CASES for n in walk(_rule(case).condition)}
    missing = [t.name for t in NODE_TYPES if t.cls not in used]
    assert missing == []
    files = {p.stem for p in CASES_DIR.glob("*.yaml")}
    assert files == {t.tag for t in NODE_TYPES}
