"""Running rule tests: YAML cases judged by the rulebook they name, failures with file and line.

Each case's records are judged at its `as_of` by the rules directory the file
names (relative to the file) or the bundled rulebook; each expectation is
compared with the findings. Whatever held is also recorded for coverage
(see drafting/rule_test_coverage.py): which outcomes and which parts of each rule the
tests reached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sw_policy.checking.rulebook import Rulebook, load_rulebook
from sw_policy.drafting.rule_test_schema import Expectation, RuleTestCase, RuleTestFile
from sw_policy.errors import PolicyError, RuleFileError
from sw_policy.findings import Finding
from sw_policy.inputs.readers import parse_record
from sw_policy.rulebook.loader import bundled_rules_dir
from sw_policy.rulebook.strict_yaml import LineDict, line_of, load_yaml_file

__all__ = [
    "CaseResult",
    "Reached",
    "RuleTestRun",
    "collect_test_files",
    "load_test_file",
    "run_case",
    "run_tests",
]


@dataclass(frozen=True)
class Reached:
    """One expectation that held: the rule, the record and the finding, for coverage."""

    rulebook: Rulebook
    rule_id: str
    record: Any
    as_of: dt.date
    outcome: str


@dataclass
class CaseResult:
    """One case's verdict: an empty `failures` list means it passed."""

    path: Path
    line: int | None
    name: str
    failures: list[str] = field(default_factory=list)
    reached: list[Reached] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass
class RuleTestRun:
    """Every case of every file run."""

    cases: list[CaseResult] = field(default_factory=list)
    rulebooks: dict[Path, Rulebook] = field(default_factory=dict)

    @property
    def failed(self) -> list[CaseResult]:
        return [c for c in self.cases if not c.passed]


@dataclass(frozen=True)
class LoadedTestFile:
    path: Path
    rules_dir: Path
    data: Any
    parsed: RuleTestFile


def collect_test_files(paths: list[Path]) -> list[Path]:
    """Files named, and every *.yaml under directories named, sorted; a rules directory
    (one holding sources.yaml) stands for its tests/ folder, so `sw-policy test rules`
    runs the tests rather than reading rule and vocabulary files as tests."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir() and (path / "sources.yaml").is_file():
            tests = path / "tests"
            if not tests.is_dir():
                raise RuleFileError(path, "a rules directory with no tests/ folder of rule tests")
            found.extend(sorted(tests.rglob("*.yaml")))
        elif path.is_dir():
            found.extend(sorted(path.rglob("*.yaml")))
        elif path.is_file():
            found.append(path)
        else:
            raise RuleFileError(path, "no such test file or directory")
    return found


def load_test_file(path: Path) -> LoadedTestFile:
    """Parse and validate a test file strictly (duplicate keys refused, lines kept)."""
    data = load_yaml_file(path)
    try:
        parsed = RuleTestFile.model_validate(_plain(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        where = ".".join(str(p) for p in loc) or "(top level)"
        raise RuleFileError(path, f"{where}: {first['msg']}", line=line_of(data, loc)) from None
    rules_dir = (path.parent / parsed.rules).resolve() if parsed.rules else bundled_rules_dir()
    return LoadedTestFile(path=path, rules_dir=rules_dir, data=data, parsed=parsed)


def _plain(value: Any) -> Any:
    """Strict-YAML containers as plain dicts and lists, for validation."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def run_tests(paths: list[Path], *, rulebook: Rulebook | None = None) -> RuleTestRun:
    """Run every case of every test file under `paths`."""
    run = RuleTestRun()
    cache = run.rulebooks
    for path in collect_test_files(paths):
        loaded = load_test_file(path)
        if rulebook is not None:
            book = cache.setdefault(rulebook.directory, rulebook)
        elif loaded.rules_dir in cache:
            book = cache[loaded.rules_dir]
        else:
            book = cache[loaded.rules_dir] = load_rulebook(loaded.rules_dir)
        for index, case in enumerate(loaded.parsed.cases):
            run.cases.append(run_case(book, case, path, loaded.data, index))
    return run


def run_case(
    rulebook: Rulebook, case: RuleTestCase, path: Path, data: Any, index: int
) -> CaseResult:
    """Judge one case's records and compare every expectation."""
    result = CaseResult(path=path, line=line_of(data, ("cases", index)), name=case.name)
    records = []
    for number, raw in enumerate(case.records):
        try:
            records.append(parse_record(dict(raw)))
        except PolicyError as exc:
            line = line_of(data, ("cases", index, "records", number))
            result.failures.append(f"line {line}: record {number + 1} is invalid: {exc}")
    if result.failures:
        return result
    findings = {
        record.id: {f.rule_id: f for f in rulebook.evaluate(record, as_of=case.as_of)}
        for record in records
    }
    expect_lines = data["cases"][index]["expect"] if _has_expect(data, index) else None
    for key, raw_expected in case.expect.items():
        line = expect_lines.key_lines.get(key) if isinstance(expect_lines, LineDict) else None
        expected = (
            raw_expected
            if isinstance(raw_expected, Expectation)
            else Expectation(outcome=raw_expected)
        )
        # `rule_id@record_id` lets one case expect different outcomes per record.
        rule_id, _, record_id = key.partition("@")
        if record_id and expected.record is None:
            expected = expected.model_copy(update={"record": record_id})
        prefix = f"line {line}: {rule_id}" if line else rule_id
        try:
            rule = rulebook.rule(rule_id)
        except PolicyError as exc:
            result.failures.append(f"{prefix}: {exc}")
            continue
        targets = [
            r
            for r in records
            if r.kind == rule.kind and (expected.record is None or r.id == expected.record)
        ]
        if not targets:
            result.failures.append(
                f"{prefix}: the case has no {rule.kind} record"
                + (f" with id {expected.record!r}" if expected.record else "")
            )
            continue
        for record in targets:
            got = findings[record.id].get(rule_id)
            problems = _compare(expected, got)
            if problems:
                who = f" [{record.id}]" if len(targets) > 1 or expected.record else ""
                result.failures.append(f"{prefix}{who}: " + "; ".join(problems))
            else:
                outcome = got.outcome if got else "not_applicable"
                result.reached.append(
                    Reached(rulebook, rule_id, record, record.as_of or case.as_of, outcome)
                )
    return result


def _has_expect(data: Any, index: int) -> bool:
    try:
        return isinstance(data["cases"][index]["expect"], dict)
    except (KeyError, IndexError, TypeError):
        return False


def _compare(expected: Expectation, got: Finding | None) -> list[str]:
    outcome = got.outcome if got is not None else "not_applicable"
    if outcome != expected.outcome:
        detail = ""
        if got is not None:
            detail = f" (observed {_show(got.observed)}, expected {got.expected!r})"
            if got.unmet:
                detail += f", unmet {list(got.unmet)}"
        return [f"expected {expected.outcome}, got {outcome}{detail}"]
    problems: list[str] = []
    if got is None:
        return problems
    for name, value in (expected.observed or {}).items():
        if name not in got.observed:
            problems.append(f"observed {name!r} missing (have {sorted(got.observed)})")
        elif not _same(value, got.observed[name]):
            problems.append(f"observed {name}: expected {value!r}, got {got.observed[name]!r}")
    for label, want, have in (
        ("unmet", expected.unmet, got.unmet),
        ("displaced", expected.displaced, got.displaced),
        ("marks", expected.marks, got.marks),
    ):
        if want is not None and tuple(want) != tuple(have):
            problems.append(f"{label}: expected {list(want)}, got {list(have)}")
    return problems


def _show(observed: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in observed.items()) + "}"


def _same(want: Any, have: Any) -> bool:
    if isinstance(want, bool) or isinstance(have, bool) or want is None or have is None:
        return want is have or want == have
    try:
        return Decimal(str(want)) == Decimal(str(have))
    except InvalidOperation:
        return str(want) == str(have)
