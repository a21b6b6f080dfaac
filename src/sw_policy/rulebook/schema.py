"""The rule-file schema: what rules/sources.yaml and rules/<source>.yaml may say.

These Pydantic models are the validated rule tree. They refuse unknown fields
and check what a drafter can get wrong inside one rule: a parameter used but
not defined, a field the rule's record kind does not have, milestones out of
order. Cross-file checks (unique ids, known sources) are in rulebook/validation.py.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from sw_policy.records import MODEL_OF_KIND, RecordKind, map_keys, rank_of, ranked_fields
from sw_policy.rulebook.conditions import (
    KeysOf,
    Label,
    Lookup,
    MapEntry,
    ParamRef,
    Predicate,
    RankAtLeast,
    TrainingHours,
    walk,
)

__all__ = [
    "CoverageEntry",
    "Milestone",
    "ParamValue",
    "Parameter",
    "RuleFile",
    "RuleSpec",
    "Severity",
    "SourceDoc",
    "SourcesFile",
]

Severity = Literal["mandatory", "target", "advisory"]
Code = Annotated[str, StringConstraints(pattern=r"^[1-9]\d{5}$")]
RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9-]+)+$")]
TableKey = int | str
ParamValue = (
    bool | int | Decimal | str | tuple[int | str, ...] | dict[TableKey, int | Decimal | str]
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class SourceDoc(_Strict):
    """One policy document, as cited in every finding drawn from it."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    number: str | None = Field(default=None, description="Document number, e.g. 辽民发〔2017〕79号")
    title: str = Field(min_length=1)
    issuers: tuple[str, ...] = Field(min_length=1)
    issued: Annotated[str, StringConstraints(pattern=r"^\d{4}(?:-\d{2}-\d{2})?$")] = Field(
        description="Issue date as printed: YYYY-MM-DD, or YYYY when the day is not in the text."
    )
    in_force_from: dt.date | None = Field(
        default=None,
        description="First day rules from this source apply; defaults to the issue date.",
    )
    status: Literal["in_force", "draft"]
    jurisdiction: Code
    jurisdiction_name: str
    text: str | None = Field(default=None, description="File name of the source text.")
    review_period_years: int | None = Field(
        default=None,
        ge=1,
        description="Years after it applies from that the source is due for review "
        "(overrides the file-wide default in sources.yaml).",
    )

    @model_validator(mode="after")
    def _dates_agree(self) -> SourceDoc:
        if self.in_force_from is None and len(self.issued) == 4:
            raise ValueError(
                f"issued is only a year ({self.issued}); add in_force_from with the "
                "first day its rules should apply"
            )
        if len(self.issued) == 10:
            dt.date.fromisoformat(self.issued)
        return self

    @property
    def applies_from(self) -> dt.date:
        """The first date on which this source's rules apply."""
        return self.in_force_from or dt.date.fromisoformat(self.issued)


class SourcesFile(_Strict):
    """rules/sources.yaml."""

    review_period_years: int | None = Field(
        default=None,
        ge=1,
        description="Default review period: a source older than this is marked review_due.",
    )
    sources: tuple[SourceDoc, ...] = Field(min_length=1)

    def review_years(self, source: SourceDoc) -> int | None:
        """The review period that applies to one source (its own, else the default)."""
        return source.review_period_years or self.review_period_years


class Parameter(_Strict):
    """A named number, list or table that a rule's condition refers to."""

    value: ParamValue
    description: str = Field(min_length=1)
    unit: str | None = None


class Milestone(_Strict):
    """One dated figure of a target: from `year` on, these parameter values apply."""

    year: int = Field(ge=1949, le=2100)
    parameters: dict[str, ParamValue] = Field(default_factory=dict)
    condition: Predicate | None = Field(
        default=None, description="Replaces the rule's condition for this milestone."
    )
    carry: Predicate | None = Field(
        default=None,
        description="The condition for the years after this one, up to the next milestone: "
        "the level carried forward, without a comparison that belongs to this year only.",
    )

    @property
    def year_end(self) -> dt.date:
        """The day from which figures are judged against this milestone (its year has ended)."""
        return dt.date(self.year, 12, 31)


class RuleSpec(_Strict):
    """One provision: its citation, its scope and its condition."""

    id: RuleId
    clause: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    summary: Label
    severity: Severity
    kind: RecordKind
    scope: Code | None = Field(default=None, description="Defaults to the source's jurisdiction.")
    scope_match: Literal["contains", "exact"] = Field(
        default="contains",
        description="contains: the scope and every division inside it; exact: that code only.",
    )
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    applies_when: Predicate | None = None
    condition: Predicate
    deadline: dt.date | None = Field(
        default=None, description="Before this date (as-of) the rule yields pending."
    )
    milestones: tuple[Milestone, ...] | None = Field(
        default=None, description="Targets judged by the record's year against the latest one."
    )
    notes: str | None = Field(default=None, description="How the text was read, for reviewers.")
    amends: RuleId | None = Field(
        default=None,
        description="Id of a rule this one changes for a narrower jurisdiction: where both "
        "apply, only this one is judged.",
    )
    supersedes: RuleId | None = Field(
        default=None,
        description="Id of a rule this one replaces (a final text for a draft, a later "
        "figure): where both apply, only this one is judged.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> RuleSpec:
        if self.amends is not None and self.supersedes is not None:
            raise ValueError("give either amends or supersedes, not both")
        if self.id in (self.amends, self.supersedes):
            raise ValueError("a rule cannot amend or supersede itself")
        if self.deadline is not None and self.milestones is not None:
            raise ValueError("give either deadline or milestones, not both")
        if self.milestones is not None:
            years = [m.year for m in self.milestones]
            if not years or years != sorted(set(years)):
                raise ValueError("milestones must be listed once each, earliest year first")
            if self.kind != "region":
                raise ValueError("milestones are judged by a region's year; use deadline instead")
            for milestone in self.milestones:
                unknown = sorted(set(milestone.parameters) - set(self.parameters))
                if unknown:
                    raise ValueError(
                        f"milestone {milestone.year} sets undefined parameter(s) {unknown}"
                    )
        trees = [self.condition, self.applies_when]
        trees += [m.condition for m in self.milestones or () if m.condition is not None]
        trees += [m.carry for m in self.milestones or () if m.carry is not None]
        for tree in trees:
            if tree is not None:
                self._check_tree(tree)
        self._check_levels([t for t in trees if t is not None])
        return self

    def _check_levels(self, trees: list[Predicate]) -> None:
        """Values used as certificate/education levels must be levels of that field."""
        base = {name: p.value for name, p in self.parameters.items()}
        for params in [base] + [{**base, **m.parameters} for m in self.milestones or ()]:
            for node in (n for tree in trees for n in walk(tree)):
                if not isinstance(node, RankAtLeast):
                    continue
                levels: list[object] = []
                if isinstance(node.min, ParamRef):
                    levels = [params[node.min.param]]
                elif isinstance(node.min, Lookup) and isinstance(node.min.table, ParamRef):
                    table = params[node.min.table.param]
                    levels = list(table.values()) if isinstance(table, dict) else [table]
                for level in levels:
                    try:
                        rank_of(node.field, str(level))
                    except ValueError:
                        raise ValueError(f"{level!r} is not a {node.field} level") from None

    def _check_tree(self, tree: Predicate) -> None:
        fields = set(MODEL_OF_KIND[self.kind].model_fields)
        for node in walk(tree):
            if isinstance(node, ParamRef | KeysOf):
                name = node.param if isinstance(node, ParamRef) else node.keys_of
                if name not in self.parameters:
                    # A code of its own, so lint classifies it without reading the text.
                    raise PydanticCustomError(
                        "undefined_parameter",
                        "parameter '{name}' is used but not defined in parameters",
                        {"name": name},
                    )
            named = [getattr(node, "field", None)]
            if isinstance(node, TrainingHours):
                named = ["training", node.fallback_field]
            for field in named:
                if isinstance(field, str) and field not in fields:
                    raise ValueError(f"a {self.kind} record has no field {field!r}")
            if isinstance(node, MapEntry):
                keys = map_keys(self.kind).get(node.field)
                if keys is None:
                    raise ValueError(f"entry needs a map field of a {self.kind} record")
                if node.key not in keys:
                    raise ValueError(
                        f"{node.field} has no key {node.key!r} (keys: {', '.join(keys)})"
                    )
            if isinstance(node, RankAtLeast) and node.field not in ranked_fields():
                raise ValueError(
                    f"rank_at_least needs a ranked field ({sorted(ranked_fields())}), "
                    f"not {node.field!r}"
                )


_CLAUSE = re.compile(r"^[一二三四五六七八九十]+(?:\([一二三四五六七八九十]+\))?\d*$")


class CoverageEntry(_Strict):
    """What became of one numbered clause: encoded by rules, or not and why."""

    clause: Annotated[str, StringConstraints(pattern=_CLAUSE.pattern)]
    heading: str = Field(min_length=1)
    rules: tuple[str, ...] = ()
    not_encoded: Literal["qualitative", "no_record", "not_in_contract"] | None = None
    reason: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_way(self) -> CoverageEntry:
        if bool(self.rules) == (self.not_encoded is not None):
            raise ValueError("give either rules (encoded) or not_encoded with a reason")
        if self.not_encoded is not None and not self.reason:
            raise ValueError("a clause that is not encoded needs a reason")
        return self


class RuleFile(_Strict):
    """rules/<source>.yaml: the rules drawn from one source, and its clause coverage."""

    source: str
    rules: tuple[RuleSpec, ...] = ()
    coverage: tuple[CoverageEntry, ...] = ()
