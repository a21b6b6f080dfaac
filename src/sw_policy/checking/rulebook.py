"""The Rulebook: a loaded, validated set of rules and the way to check records against it."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Collection, Iterable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sw_policy._version import __version__
from sw_policy.checking.coerce import as_of_date, frame_module, intake, record_from_dict
from sw_policy.engines.row.judge import Verdict, decide, judge, not_applicable
from sw_policy.engines.row.plan import RulePlan
from sw_policy.engines.row.selection import Selector
from sw_policy.errors import UnknownRuleError, UsageError
from sw_policy.findings import (
    Citation,
    EngineInfo,
    Finding,
    Location,
    Outcome,
    Report,
    RulebookInfo,
    RunOptions,
    Summary,
)
from sw_policy.records import MODEL_OF_KIND
from sw_policy.rulebook.layering import Mark, marks_for
from sw_policy.rulebook.loader import LoadedRules, bundled_rules_dir, load_rules_dir
from sw_policy.rulebook.overrides import apply_overrides
from sw_policy.rulebook.schema import CoverageEntry, ParamValue, RuleSpec, SourceDoc

if TYPE_CHECKING:
    from sw_policy.checking.trace import Explanation

__all__ = ["Rulebook", "load_rulebook"]

Records = Any
"""What check() takes: an iterable of models or dicts, or a DataFrame (see checking/coerce.py).

Any, because a DataFrame of any of three libraries is accepted without importing them;
what is not records at all is a TypeError at run time, naming what was given."""
_RECORD_TYPES = tuple(MODEL_OF_KIND.values())


def _one_record(record: object) -> Any:
    """evaluate()'s record: a model, or a dict read as parse_record reads it."""
    if isinstance(record, Mapping):
        return record_from_dict(record)
    raise TypeError(
        f"record: expected a record model (Budget, Worker, ...) or a dict, "
        f"got {type(record).__name__}"
    )


class Rulebook:
    """Rules read from one directory; immutable once loaded. Use load_rulebook() to get one."""

    def __init__(self, loaded: LoadedRules) -> None:
        self._loaded = loaded
        self._sources = {s.id: s for s in loaded.sources}
        self._rules = {r.id: r for r in loaded.rules}
        self._citations = {
            r.id: _citation(r, self._sources[loaded.rule_sources[r.id]]) for r in loaded.rules
        }
        # Per record kind, its rules with their source and citation, in rule order.
        self._by_kind: dict[str, list[tuple[RuleSpec, SourceDoc, Citation]]] = {}
        for r in loaded.rules:
            source = self._sources[loaded.rule_sources[r.id]]
            self._by_kind.setdefault(r.kind, []).append((r, source, self._citations[r.id]))
        # Marks depend only on the rule and the as-of date: computed once per pair.
        self._marks_cache: dict[tuple[str, dt.date], tuple[Mark, ...]] = {}
        # amends/supersedes: rule id -> the rule id it displaces where both apply.
        self._links = {
            r.id: target for r in loaded.rules if (target := r.amends or r.supersedes) is not None
        }
        # The row engine's view: a plan per rule (built once), and per record kind,
        # jurisdiction and date the rules to judge (see engines/row/selection.py).
        plans: dict[str, list[RulePlan]] = {}
        for kind, entries in self._by_kind.items():
            plans[kind] = [RulePlan(rule, source, citation) for rule, source, citation in entries]
        self._selector = Selector(
            plans, self._links, lambda plan, day: self._marks(plan.rule, plan.source, day)
        )

    @property
    def directory(self) -> Path:
        """Where the rule files were read from."""
        return self._loaded.directory

    @property
    def sha256(self) -> str:
        """Digest of every rule file, so a report says exactly which rules judged it."""
        return self._loaded.sha256

    @property
    def rules(self) -> tuple[RuleSpec, ...]:
        """Every rule, in source order then clause order."""
        return self._loaded.rules

    @property
    def sources(self) -> tuple[SourceDoc, ...]:
        """The source documents, as listed in sources.yaml."""
        return self._loaded.sources

    @property
    def coverage(self) -> dict[str, tuple[CoverageEntry, ...]]:
        """Per source id, every numbered clause and what encodes it (or why nothing does)."""
        return dict(self._loaded.coverage)

    def with_parameters(self, overrides: Mapping[str, ParamValue]) -> Rulebook:
        """A new rulebook with parameters replaced, keyed `rule_id.parameter`.

        The changed rules are validated again and the digest changes, so a
        report says it was judged by modified rules. A parameter that a target's
        milestones set is replaced in every milestone too.
        """
        return Rulebook(apply_overrides(self._loaded, overrides))

    def rule(self, rule_id: str) -> RuleSpec:
        """The rule with this id; UnknownRuleError (with suggestions) if there is none."""
        if not isinstance(rule_id, str):
            raise TypeError(f"rule_id: expected a rule id (str), got {type(rule_id).__name__}")
        try:
            return self._rules[rule_id]
        except KeyError:
            close = difflib.get_close_matches(rule_id, list(self._rules), n=3)
            raise UnknownRuleError(rule_id, close) from None

    def source_of(self, rule_id: str) -> SourceDoc:
        """The document a rule is drawn from."""
        return self._sources[self._citations[self.rule(rule_id).id].source_id]

    def citation(self, rule_id: str) -> Citation:
        """How findings of this rule cite it."""
        self.rule(rule_id)
        return self._citations[rule_id]

    def evaluate(
        self,
        record: Any,
        *,
        as_of: dt.date | str,
        location: Location | None = None,
        include_not_applicable: bool = False,
        rule_ids: Collection[str] | None = None,
    ) -> list[Finding]:
        """Every finding for one record, in rule order.

        `rule_ids` limits which rules are judged (a monitor re-judges only the
        rules an event touched); which rules displace which is still decided
        over every rule in scope, so a limited call agrees with a full one.
        """
        findings: list[Finding] = []
        day = as_of_date(as_of)
        if day is None:
            raise TypeError("as_of: expected a date, a datetime or ISO date text, got None")
        if not isinstance(record, _RECORD_TYPES):
            record = _one_record(record)
        self._judge_all(
            findings, ((record, location),), day, include_not_applicable, rule_ids=rule_ids
        )
        return findings

    def verdicts(
        self, record: Any, *, as_of: dt.date, rule_ids: Collection[str] | None = None
    ) -> list[Verdict]:
        """evaluate()'s outcomes for one record model, each finding built only on demand.

        The same rules in the same order as evaluate(record, as_of=as_of,
        rule_ids=rule_ids) (not_applicable left out); `.finding()` of each is
        that call's finding. A monitor explains only the outcomes that changed.
        """
        day = record.as_of or as_of
        entries = self._selector.select(
            record.kind, record.jurisdiction, day, include_not_applicable=False
        )
        verdicts = []
        for entry in entries:
            if rule_ids is not None and entry.plan.rule.id not in rule_ids:
                continue
            verdict = decide(entry, record, day)
            if verdict is not None:
                verdicts.append(verdict)
        return verdicts

    def explain(
        self, record: Any, rule_id: str, *, as_of: dt.date | str | None = None
    ) -> Explanation:
        """Why `rule_id` gives its outcome for `record`: the condition tree, node by node.

        `record` is a model or a dict (read as parse_record reads it). The
        Explanation holds the engine's finding, the variant (milestone, rules
        displaced), the parameters and each node's value; `.text("zh")` or
        `.text("en")` prints it, `.to_dict()` gives it as JSON-ready data.
        """
        rule = self.rule(rule_id)
        if not isinstance(record, _RECORD_TYPES):
            record = _one_record(record)
        if record.kind != rule.kind:
            raise UsageError(
                f"record: rule {rule_id} judges {rule.kind} records; "
                f"{record.id!r} is a {record.kind}"
            )
        day = as_of_date(as_of) or dt.date.today()
        entries = self._selector.select(
            record.kind, record.jurisdiction, record.as_of or day, include_not_applicable=True
        )
        entry = next(e for e in entries if e.plan.rule.id == rule_id)
        [finding] = self.evaluate(
            record, as_of=day, include_not_applicable=True, rule_ids={rule_id}
        )
        from sw_policy.checking.trace import trace_rule  # noqa: PLC0415 (only `explain` traces)

        return trace_rule(entry, record, day, finding)

    def _judge_all(
        self,
        findings: list[Finding],
        located: Iterable[tuple[Any, Location | None]],
        as_of: dt.date,
        include_not_applicable: bool,
        *,
        rule_ids: Collection[str] | None = None,
    ) -> int:
        """Append each record's findings to `findings`, in record then rule order.

        Returns how many records there were (`located` may be a generator).
        """
        select = self._selector.select
        records = 0
        for record, location in located:
            records += 1
            record_as_of = record.as_of or as_of
            entries = select(
                record.kind,
                record.jurisdiction,
                record_as_of,
                include_not_applicable=include_not_applicable,
            )
            for entry in entries:
                if rule_ids is not None and entry.plan.rule.id not in rule_ids:
                    continue
                if entry.excluded is not None:  # only listed with include_not_applicable
                    findings.append(not_applicable(entry, record, entry.excluded, location))
                    continue
                result = judge(entry, record, record_as_of, location, include_not_applicable)
                if result is not None:
                    findings.append(result)
        return records

    def rules_of_kind(self, kind: str) -> list[tuple[RuleSpec, SourceDoc, Citation]]:
        """The rules judging records of this kind, in rule order, with source and citation."""
        return self._by_kind.get(kind, [])

    @property
    def layered(self) -> bool:
        """True when some rule amends or supersedes another (findings then depend on layering)."""
        return bool(self._links)

    def marks_of(self, rule_id: str, as_of: dt.date) -> tuple[Mark, ...]:
        """The marks every finding of this rule carries when judged at `as_of`."""
        rule = self.rule(rule_id)
        return self._marks(rule, self.source_of(rule_id), as_of)

    def _marks(self, rule: RuleSpec, source: SourceDoc, as_of: dt.date) -> tuple[Mark, ...]:
        key = (rule.id, as_of)
        marks = self._marks_cache.get(key)
        if marks is None:
            marks = self._marks_cache[key] = marks_for(
                draft=source.status == "draft",
                applies_from=source.applies_from,
                review_years=self._loaded.review_years.get(source.id),
                last_year=rule.milestones[-1].year if rule.milestones else None,
                as_of=as_of,
            )
        return marks

    def check(
        self,
        records: Records,
        *,
        as_of: dt.date | str | None = None,
        kind: str | None = None,
        include_not_applicable: bool = False,
        only_failures: bool = False,
        engine: Literal["auto", "row", "columnar"] = "auto",
    ) -> Report:
        """Check records in whatever form the caller holds them, and return a Report.

        `records`: models, dicts in contract form (Chinese keys and values too), an
        iterable or generator of either, LocatedRecords, or a Polars/pandas DataFrame
        or PyArrow table (`kind=` or a kind column says which kind). An invalid record
        or a repeated id lands in `report.rejected` with its position (checking/coerce.py).
        `as_of`: a date, a datetime or ISO text; default today. `engine`: "auto" checks
        a frame of COLUMNAR_FROM_ROWS rows or more, or a list of DICTS_COLUMNAR_FROM_ROWS
        dicts or more (checking/engine_choice.py), on the columnar engine (same report),
        anything else on the row engine; "row" or "columnar" chooses.
        """
        day = as_of_date(as_of) or dt.date.today()
        if engine not in ("auto", "row", "columnar"):
            raise UsageError(f"engine: {engine!r} is not an engine; expected auto, row or columnar")
        if engine == "columnar" or (engine == "auto" and self._columnar_pays(records)):
            from sw_policy.checking.columnar import check_columnar  # noqa: PLC0415
            from sw_policy.inputs.frames import ColumnarInputError  # noqa: PLC0415

            try:
                return check_columnar(
                    self,
                    records,
                    as_of=day,
                    kind=kind,
                    include_not_applicable=include_not_applicable,
                    only_failures=only_failures,
                ).to_report()
            except ColumnarInputError:
                if engine != "auto":
                    raise  # auto: a value only the row engine holds exactly
        taken = intake(records, kind=kind)
        report = self._report(
            taken.records,
            as_of=day,
            include_not_applicable=include_not_applicable,
            only_failures=only_failures,
        )
        if taken.rejected:
            report = report.model_copy(update={"rejected": tuple(taken.rejected)})
        return report

    def _columnar_pays(self, records: object) -> bool:
        """engine="auto" for in-memory records: a frame, or a list of dicts, past the
        measured crossover."""
        from sw_policy.checking.engine_choice import choose_engine  # noqa: PLC0415

        if type(records) is list and records and type(records[0]) is dict:
            chosen = choose_engine("auto", len(records), layered=self.layered, dicts=True)
            return chosen == "columnar"
        if frame_module(records) is None:
            return False
        height = getattr(records, "num_rows", None) or len(records)  # type: ignore[arg-type]
        return choose_engine("auto", int(height), layered=self.layered) == "columnar"

    def check_files(
        self,
        paths: Iterable[Path | str],
        *,
        as_of: dt.date | str | None = None,
        kind: str | None = None,
        encoding: str | None = None,
        engine: Literal["auto", "row", "columnar"] = "row",
        include_not_applicable: bool | None = None,
        only_failures: bool | None = None,
        options: RunOptions | None = None,
        progress: Callable[[int], None] | None = None,
        jurisdiction: str | None = None,
        strict_columns: bool | None = None,
    ) -> Report:
        """Read record files (CSV, XLSX, Parquet, JSON, JSON Lines) and check every record.

        Every row is either checked or in `report.rejected` with file, sheet, row and
        reason. `paths` is a list (one path given bare is a TypeError). `kind` for files
        that do not say; `encoding` of CSV/JSON (default: UTF-8, else GB18030/GBK);
        `engine`: "row", "columnar" (Polars: the same report, faster on large inputs) or
        "auto" (columnar from COLUMNAR_FROM_ROWS rows, checking/files.py). `options`,
        when given, is the run's stamp (the keyword arguments override its fields);
        `progress` is called with 1 per row read (row engine). `jurisdiction` (a code, or
        a division name such as 淳安县) is given to rows without one; `strict_columns`
        rejects rows under columns no field uses (default: ignored, listed in the report).
        """
        from sw_policy.checking.files import read_and_check  # noqa: PLC0415 (readers load only when files are read)

        with self.reading_vocabulary():
            return read_and_check(
                self,
                paths,
                as_of=as_of,
                kind=kind,
                encoding=encoding,
                engine=engine,
                include_not_applicable=include_not_applicable,
                only_failures=only_failures,
                options=options,
                progress=progress,
                jurisdiction=jurisdiction,
                strict_columns=strict_columns,
            )

    def reading_vocabulary(self) -> AbstractContextManager[None]:
        """Files read inside this block use the rules directory's own intake vocabulary
        (`<rules>/intake/vocabulary.yaml`, layered over the bundled one) if it has one."""
        from sw_policy.inputs.aliases import using_vocabulary  # noqa: PLC0415
        from sw_policy.inputs.vocabulary import rules_vocabulary  # noqa: PLC0415

        return using_vocabulary(rules_vocabulary(self.directory))

    def _report(
        self,
        located: Iterable[tuple[Any, Location | None]],
        *,
        as_of: dt.date,
        include_not_applicable: bool,
        only_failures: bool,
    ) -> Report:
        findings: list[Finding] = []
        records = self._judge_all(findings, located, as_of, include_not_applicable)
        outcomes: list[Outcome] = [f.outcome for f in findings]
        drafts = sum(f.outcome == "fail" and f.citation.status == "draft" for f in findings)
        if only_failures:
            findings = [f for f in findings if f.outcome == "fail"]
        return Report(
            engine=EngineInfo(version=__version__),
            rulebook=RulebookInfo(sha256=self.sha256, rules=len(self._rules)),
            as_of=as_of,
            findings=tuple(findings),
            summary=Summary.of(records, outcomes, drafts),
        )


def _citation(rule: RuleSpec, source: SourceDoc) -> Citation:
    return Citation(
        source_id=source.id,
        document_number=source.number,
        title=source.title,
        issued=source.issued,
        status=source.status,
        clause=rule.clause,
        quote=rule.quote,
    )


def load_rulebook(path: Path | str | None = None, *, exclude_drafts: bool = False) -> Rulebook:
    """Load a rules directory (the bundled rulebook when `path` is None).

    Raises RuleFileError, naming file, line and reason, if any rule file is invalid.
    """
    directory = Path(path) if path is not None else bundled_rules_dir()
    return Rulebook(load_rules_dir(directory, exclude_drafts=exclude_drafts))
