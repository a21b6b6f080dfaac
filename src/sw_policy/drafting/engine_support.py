"""Whether every engine can judge every rule, found before any record is read.

Each back end declares the node types it handles and those it refuses with a
reason (HANDLED / UNSUPPORTED, see tests/test_operator_registry.py). Lint walks
every variant of every rule (rulebook/variants.py), names any node an engine
refuses, and compiles each variant with the row compiler, so an unsupported
construct is reported with file and line instead of at the first record.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sw_policy.engines.columnar.engine import evaluate_frames
from sw_policy.engines.row.compile import compile_predicate
from sw_policy.errors import ColumnarInputError, UnsupportedConstructError
from sw_policy.findings import Citation
from sw_policy.inputs.frames import frame_from_records
from sw_policy.inputs.readers import parse_record
from sw_policy.rulebook.conditions import walk
from sw_policy.rulebook.layering import Mark
from sw_policy.rulebook.schema import RuleSpec, SourceDoc
from sw_policy.rulebook.variants import variants_of

__all__ = ["ENGINE_BACK_ENDS", "EngineGap", "columnar_gap", "engine_gaps"]

# The engines a check may run on: (name, module declaring HANDLED/UNSUPPORTED, required).
# A gap in a required engine makes the rule unusable; in the columnar engine, the CLI's
# automatic choice falls back to the row engine, so lint warns.
ENGINE_BACK_ENDS: tuple[tuple[str, str, bool], ...] = (
    ("row engine (tree walk)", "sw_policy.engines.row.tree_walk", True),
    ("row engine (compiler)", "sw_policy.engines.row.compile", True),
    ("columnar engine", "sw_policy.engines.columnar.expressions", False),
)


@dataclass(frozen=True)
class EngineGap:
    """One construct of one rule that one engine cannot judge."""

    rule_id: str
    where: str  # "condition", "applies_when", "milestones.<year>.condition"
    engine: str
    required: bool
    reason: str


def _trees(rule: RuleSpec) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    for variant in variants_of(rule):
        where = "condition"
        if variant.milestone is not None and variant.milestone.condition is not None:
            where = f"milestones.{variant.year}.condition"
        yield where, variant.condition, variant.params
        if rule.applies_when is not None:
            yield "applies_when", rule.applies_when, variant.params


def engine_gaps(rule: RuleSpec) -> list[EngineGap]:
    """Every (construct, engine) of this rule that the engine does not support, once each."""
    gaps: dict[tuple[str, str, str], EngineGap] = {}
    for where, tree, params in _trees(rule):
        for name, module_name, required in ENGINE_BACK_ENDS:
            module = importlib.import_module(module_name)
            for node in walk(tree):
                kind = type(node)
                if kind in module.HANDLED:
                    continue
                reason = module.UNSUPPORTED.get(kind, f"no handler for {kind.__name__}")
                gaps.setdefault(
                    (where, name, kind.__name__),
                    EngineGap(rule.id, where, name, required, f"{kind.__name__}: {reason}"),
                )
        try:
            compile_predicate(tree, params)
        except UnsupportedConstructError as exc:
            key = (where, "row engine (compiler)", str(exc))
            gaps.setdefault(key, EngineGap(rule.id, where, key[1], True, str(exc)))
    return list(gaps.values())


def columnar_gap(rule: RuleSpec, source: SourceDoc) -> EngineGap | None:
    """Compile the rule with the columnar engine on a one-record frame; its refusal, if any.

    The columnar compiler refuses some combinations its handlers cannot make
    exact (a lookup keyed by something other than a field, a training window
    that is not a constant…); compiling finds them before any record is read.
    """
    fields: dict[str, Any] = {"kind": rule.kind, "id": "lint", "jurisdiction": "110000"}
    if rule.kind == "region":
        fields["year"] = 2000
    frames = frame_from_records([parse_record(fields)])
    try:
        evaluate_frames(_OneRule(rule, source), frames, as_of=_COMPILED_AT, explain=False)
    except (UnsupportedConstructError, ColumnarInputError) as exc:
        return EngineGap(rule.id, "condition", "columnar engine", False, str(exc))
    return None


_COMPILED_AT = dt.date(2000, 1, 1)


class _OneRule:
    """A RuleStore of one rule (engines/rule_store.py): what the columnar compiler reads."""

    sha256 = ""
    layered = False

    def __init__(self, rule: RuleSpec, source: SourceDoc) -> None:
        self.rule, self.source = rule, source
        self.cite = Citation(
            source_id=source.id,
            document_number=source.number,
            title=source.title,
            issued=source.issued,
            status=source.status,
            clause=rule.clause,
            quote=rule.quote,
        )

    @property
    def rules(self) -> tuple[RuleSpec, ...]:
        return (self.rule,)

    def citation(self, rule_id: str) -> Citation:
        return self.cite

    def marks_of(self, rule_id: str, as_of: dt.date) -> tuple[Mark, ...]:
        return ()

    def rules_of_kind(self, kind: str) -> Sequence[tuple[RuleSpec, SourceDoc, Citation]]:
        return [(self.rule, self.source, self.cite)] if kind == self.rule.kind else []
