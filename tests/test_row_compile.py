"""The row engine's compiled conditions and trusted findings agree with the reference paths.

engines/row/compile.py must mean exactly what the tree walk in engines/row/tree_walk.py means
(truth, observed and derived values, missing inputs, named parts, in order), and
engines/row/trusted.py must build exactly the Finding that validation builds.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

import sw_policy
from conftest import FIXTURES, REGION_COUNTS
from sw_policy.engines.row.compile import Trace, compile_predicate, compile_value
from sw_policy.engines.row.judge import _parameters
from sw_policy.engines.row.tree_walk import EvalContext, UnsupportedNodeError, truth_of
from sw_policy.engines.row.trusted import trusted_finding
from sw_policy.findings import Finding, Message
from sw_policy.records import KINDS
from sw_policy.rulebook.conditions import Compare, FieldRef, LiteralValue

RULEBOOK = sw_policy.load_rulebook()
JURISDICTION = "330106"
DATES = [dt.date(2019, 6, 30), dt.date(2024, 2, 29), dt.date(2024, 6, 30), dt.date(2031, 1, 1)]


def _maybe(rng: random.Random, value: Any, p: float = 0.25) -> Any:
    return None if rng.random() < p else value


def _count(rng: random.Random, high: int) -> int | None:
    return _maybe(rng, rng.choice([0, rng.randint(0, high)]))


def _record(rng: random.Random, kind: str, index: int) -> Any:
    common = {"id": f"{kind}-{index}", "jurisdiction": JURISDICTION, "kind": kind}
    if kind == "budget":
        total = _maybe(rng, Decimal(rng.randint(1, 10**9)) / 100)
        labour = _maybe(rng, rng.choice([Decimal(0), Decimal(rng.randint(0, 10**9)) / 100]))
        return sw_policy.parse_record({**common, "total_funds": total, "labour_cost": labour})
    if kind == "worker":
        training = _maybe(
            rng,
            [
                {
                    "date": dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 6000)),
                    "hours": rng.choice(["0.5", "4", "8", "119.5"]),
                }
                for _ in range(rng.randint(0, 6))
            ],
            0.4,
        )
        return sw_policy.parse_record(
            {
                **common,
                "certificate": rng.choice(list(sw_policy.Certificate)),
                "certificate_registered": rng.random() < 0.5,
                "education": rng.choice(list(sw_policy.Education)),
                "major": rng.choice([None, "社会工作", "Social-Work", "会计学"]),
                "training": training,
                "training_hours_5y": _maybe(rng, Decimal(rng.randint(0, 300)) / 2, 0.5),
                "training_hours_total": _maybe(rng, Decimal(rng.randint(0, 600)) / 2, 0.5),
                "employer_type": rng.choice(list(sw_policy.EmployerType)),
                "direct_service": rng.random() < 0.7,
                "counted_as_professional": rng.random() < 0.8,
                "post_level": rng.choice([None, 1, 5, 8, 11, 12, 13]),
                "post_title": rng.choice([None, "社会工作师一级", "主任", "助理社会工作师二级"]),
                "in_purchased_project": rng.random() < 0.5,
            }
        )
    if kind == "community":
        return sw_policy.parse_record(
            {
                **common,
                "setting": rng.choice([None, "urban", "rural"]),
                "sw_professionals": _count(rng, 4),
                "sw_skilled_workers": _count(rng, 3),
                "demonstration": rng.random() < 0.5,
                "certified_staff": _count(rng, 4),
                "special_group_projects": _count(rng, 4),
                "community_social_orgs": _count(rng, 5),
                "registered_volunteers": _count(rng, 3000),
                "resident_population": _count(rng, 20000),
                "community_fund": _maybe(rng, rng.random() < 0.5),
            }
        )
    if kind == "institution":
        return sw_policy.parse_record(
            {
                **common,
                "sw_focused": _maybe(rng, rng.random() < 0.6),
                "professional_posts": _count(rng, 40),
                "sw_posts": _count(rng, 40),
            }
        )
    return sw_policy.parse_record(
        {
            **common,
            "year": rng.randint(2012, 2030),
            **{f: _count(rng, 200000) for f in REGION_COUNTS},
        }
    )


def _variants() -> list[tuple[str, Any, dict[str, Any]]]:
    """(kind, predicate, parameters) for every condition and applies_when of every variant."""
    found = []
    for rule in RULEBOOK.rules:
        for milestone in rule.milestones or (None,):
            params = _parameters(rule, milestone)
            condition = (milestone.condition if milestone else None) or rule.condition
            found.append((rule.kind, condition, params))
            if rule.applies_when is not None:
                found.append((rule.kind, rule.applies_when, params))
    return found


def test_compiled_conditions_agree_with_the_tree_walk():
    rng = random.Random(20240630)
    variants = _variants()
    checked = 0
    for kind in KINDS:
        predicates = [(node, params) for k, node, params in variants if k == kind]
        compiled = [(node, params, compile_predicate(node, params)) for node, params in predicates]
        quiet = [compile_predicate(node, params, quiet=True) for node, params in predicates]
        for index in range(400):
            record = _record(rng, kind, index)
            as_of = rng.choice(DATES)
            for (node, params, judge), judge_quietly in zip(compiled, quiet, strict=True):
                ctx = EvalContext(record=record, as_of=as_of, params=params)
                trace = Trace(record, as_of)
                truth = truth_of(node, ctx)
                assert judge(trace) is truth
                assert list(trace.derived.items()) == list(ctx.derived.items())
                assert list(trace.observed.items()) == list(ctx.observed.items())
                assert trace.missing == ctx.missing
                assert trace.parts == ctx.parts
                gaps = Trace(record, as_of)
                assert judge_quietly(gaps) is truth
                assert gaps.missing == ctx.missing
                assert not (gaps.observed or gaps.derived or gaps.parts)
                checked += 1
    assert checked > 10_000


def test_a_node_with_no_handler_is_an_error_when_compiled():
    with pytest.raises(UnsupportedNodeError, match="no truth handler for FieldRef"):
        compile_predicate(FieldRef(field="sw_posts"), {})
    compare = Compare(op="eq", left=LiteralValue(value=1), right=LiteralValue(value=1))
    with pytest.raises(UnsupportedNodeError, match="no value handler for Compare"):
        compile_value(compare, {})


def _rebuilt(finding: Finding) -> Finding:
    """The same finding, through validation."""
    fields = {name: getattr(finding, name) for name in Finding.model_fields}
    fields["message"] = Message(zh=finding.message.zh, en=finding.message.en)
    fields["observed"] = dict(finding.observed)
    return Finding(**fields)


def test_trusted_findings_are_the_findings_validation_builds():
    paths = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".csv", ".json"))
    report = RULEBOOK.check_files(paths, as_of=dt.date(2024, 6, 30), include_not_applicable=True)
    assert len(report.findings) > 100
    for finding in report.findings:
        validated = _rebuilt(finding)
        assert finding == validated
        assert repr(finding) == repr(validated)
        assert finding.model_dump_json() == validated.model_dump_json()
        assert finding.model_fields_set == validated.model_fields_set
        assert finding.message.model_fields_set == validated.message.model_fields_set
        assert list(finding.__dict__) == list(validated.__dict__)


def test_a_value_validation_would_refuse_is_still_refused():
    rule = RULEBOOK.rules[0]
    with pytest.raises(ValidationError):
        trusted_finding(
            rule,
            "r-1",
            "pass",
            observed={"when": dt.date(2024, 1, 1)},
            expected="",
            message=("", ""),
            citation=RULEBOOK.citation(rule.id),
            unmet=(),
            location=None,
            displaced=(),
            marks=(),
        )
