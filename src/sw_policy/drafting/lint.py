"""Linting a rules directory: every problem at once, each with file, line and a fix.

The loader refuses a rulebook at its first error; a drafter wants the whole
list. Lint reads each file on its own, validates each rule and coverage entry
separately (so one typo does not hide the next), then checks what no single
rule can see: ids referenced but not defined, deadlines before the source was
issued, quotes missing from the source text, contradictions between mandatory
rules (see drafting/contradictions.py) and, with an as-of date, ageing policy.

Errors make the rulebook unusable or wrong; warnings deserve a look.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from sw_policy.drafting.contradictions import find_contradictions
from sw_policy.drafting.engine_support import columnar_gap, engine_gaps
from sw_policy.errors import PolicyError, RuleFileError
from sw_policy.rulebook.layering import marks_for
from sw_policy.rulebook.loader import _VOCABULARY, SOURCES_FILE, _is_union_tag, load_rules_dir
from sw_policy.rulebook.schema import CoverageEntry, RuleFile, RuleSpec, SourceDoc, SourcesFile
from sw_policy.rulebook.strict_yaml import LineDict, line_of, parse_yaml, read_bytes

__all__ = ["Problem", "lint_rules_dir", "render_problems"]

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding of lint: where, what, and how to fix it."""

    level: Level
    code: str
    path: str
    line: int | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level}[{self.code}]: {self.message} (fix: {self.fix})"


@dataclass
class _RuleAt:
    rule: RuleSpec
    path: Path
    data: Any
    index: int

    def line(self, *loc: str | int) -> int | None:
        return line_of(self.data, ("rules", self.index, *loc))


def _schema_problems(
    model: type[BaseModel], data: Any, path: Path, prefix: tuple[str | int, ...], root: Any
) -> list[Problem]:
    """Every validation error of `data` against `model`, one problem each."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        problems = []
        seen: set[tuple[int | None, str]] = set()
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if not _is_union_tag(p))
            line = line_of(root, (*prefix, *loc))
            where = ".".join(str(p) for p in (*prefix, *loc)) or "(top level)"
            key = (line, f"{where}{error['msg']}")
            if key in seen:
                continue
            seen.add(key)
            problems.append(_classify(error, loc, where, path, line))
        return problems
    return []


def _classify(
    error: Any, loc: tuple[Any, ...], where: str, path: Path, line: int | None
) -> Problem:
    msg = error["msg"]
    last = str(loc[-1]) if loc else ""
    if error["type"] == "extra_forbidden":
        close = difflib.get_close_matches(last, _VOCABULARY, n=1)
        fix = f"did you mean `{close[0]}`?" if close else "remove this field"
        return Problem("error", "unknown-field", str(path), line, f"{where}: unknown field", fix)
    if last in ("clause", "quote") and error["type"] in ("missing", "string_too_short"):
        return Problem(
            "error",
            "missing-citation",
            str(path),
            line,
            f"{where}: a rule needs its {last}",
            "add `clause:` as numbered in the source and `quote:` copied verbatim from it",
        )
    if error["type"] == "undefined_parameter":
        name = error["ctx"]["name"]
        return Problem(
            "error",
            "undefined-parameter",
            str(path),
            line,
            f"{where}: parameter {name!r} is used but not defined",
            f"add `{name}: {{value: …, description: …}}` under parameters",
        )
    return Problem("error", "schema", str(path), line, f"{where}: {msg}", "see docs/drafters.md")


def _read(path: Path, problems: list[Problem]) -> Any:
    try:
        return parse_yaml(read_bytes(path), path)
    except RuleFileError as exc:
        duplicate = "duplicate key" in exc.reason
        problems.append(
            Problem(
                "error",
                "duplicate-key" if duplicate else "yaml",
                exc.path,
                exc.line,
                exc.reason.split(";")[0] if duplicate else exc.reason,
                "remove or rename one of the two keys; YAML would silently keep only the last"
                if duplicate
                else "fix the YAML syntax at this line",
            )
        )
        return None


def _read_rule_files(
    root: Path, sources: dict[str, SourceDoc], problems: list[Problem]
) -> tuple[list[_RuleAt], dict[str, str], list[tuple[Path, int | None, str]]]:
    """Each rule file on its own: the rules that validate, and every problem of the rest."""
    rules: list[_RuleAt] = []
    invalid_ids: set[str] = set()  # rules refused above: references to them are not news
    rule_source: dict[str, str] = {}
    coverage_refs: list[tuple[Path, int | None, str]] = []
    for path in sorted(p for p in root.glob("*.yaml") if p.name != SOURCES_FILE):
        data = _read(path, problems)
        if not isinstance(data, LineDict):
            if data is not None:
                problems.append(
                    Problem("error", "schema", str(path), None, "not a mapping", "see docs")
                )
            continue
        top = {k: v for k, v in data.items() if k not in ("rules", "coverage")}
        problems += _schema_problems(RuleFile, top, path, (), data)
        source_id = data.get("source")
        if isinstance(source_id, str) and sources and source_id not in sources:
            close = difflib.get_close_matches(source_id, list(sources), n=1)
            problems.append(
                Problem(
                    "error",
                    "unknown-source",
                    str(path),
                    data.key_lines.get("source"),
                    f"source {source_id!r} is not in {SOURCES_FILE}",
                    f"did you mean `{close[0]}`?" if close else f"add it to {SOURCES_FILE}",
                )
            )
        for index, raw in enumerate(data.get("rules") or ()):
            found = _schema_problems(RuleSpec, raw, path, ("rules", index), data)
            problems += found
            if found and isinstance(raw, dict) and isinstance(raw.get("id"), str):
                invalid_ids.add(raw["id"])
            if not found:
                rules.append(_RuleAt(RuleSpec.model_validate(raw), path, data, index))
                rule_source[rules[-1].rule.id] = str(source_id)
        for index, raw in enumerate(data.get("coverage") or ()):
            found = _schema_problems(CoverageEntry, raw, path, ("coverage", index), data)
            problems += found
            if not found:
                entry = CoverageEntry.model_validate(raw)
                line = line_of(data, ("coverage", index))
                coverage_refs += [(path, line, rule_id) for rule_id in entry.rules]

    coverage_refs = [ref for ref in coverage_refs if ref[2] not in invalid_ids]
    return rules, rule_source, coverage_refs


def _vocabulary_problems(root: Path) -> list[Problem]:
    """The office's intake vocabulary (`intake/vocabulary.yaml`), read as `check` reads it."""
    from sw_policy.inputs.vocabulary import (  # noqa: PLC0415
        VOCABULARY_FILE,
        load_office_vocabulary,
    )

    path = root / VOCABULARY_FILE
    if not path.is_file():
        return []
    try:
        load_office_vocabulary(path)
    except PolicyError as exc:
        line = getattr(exc, "line", None)
        reason = getattr(exc, "reason", str(exc))
        fix = "keep to the sections and field names of the bundled rules/intake/vocabulary.yaml"
        return [Problem("error", "vocabulary", str(path), line, reason, fix)]
    return []


def lint_rules_dir(
    directory: Path | str, *, sources_dir: Path | None = None, as_of: dt.date | None = None
) -> list[Problem]:
    """Every problem found in a rules directory, errors and warnings, in file order."""
    root = Path(directory)
    problems: list[Problem] = []
    sources_path = root / SOURCES_FILE
    if not root.is_dir() or not sources_path.is_file():
        return [
            Problem(
                "error",
                "layout",
                str(sources_path),
                None,
                f"missing: a rules directory needs {SOURCES_FILE}",
                "copy rules/sources.yaml and list your documents in it",
            )
        ]
    sources_data = _read(sources_path, problems)
    sources: dict[str, SourceDoc] = {}
    sources_file: SourcesFile | None = None
    if sources_data is not None:
        found = _schema_problems(SourcesFile, sources_data, sources_path, (), sources_data)
        problems += found
        if not found:
            sources_file = SourcesFile.model_validate(sources_data)
            sources = {s.id: s for s in sources_file.sources}

    rules, rule_source, coverage_refs = _read_rule_files(root, sources, problems)
    problems += _vocabulary_problems(root)
    problems += _reference_problems(rules, coverage_refs)
    problems += _date_problems(rules, rule_source, sources)
    problems += _engine_problems(
        rules, {i: sources[s] for i, s in rule_source.items() if s in sources}
    )
    if sources_dir is not None:
        problems += _quote_problems(rules, rule_source, sources, sources_dir)
    by_id = {r.rule.id: r for r in rules}
    for first, second, reason, link in find_contradictions(
        [r.rule for r in rules], {i: sources[s] for i, s in rule_source.items() if s in sources}
    ):
        at = by_id[second]
        why = (
            "the narrower jurisdiction's rule amends the wider one"
            if link == "amends"
            else "at the same scope the later text supersedes the earlier one"
        )
        problems.append(
            Problem(
                "error",
                "contradiction",
                str(at.path),
                at.line(),
                f"{second} and {first} can never both pass: {reason}",
                f"check both figures; if {second} replaces {first} where both apply, "
                f"add `{link}: {first}` to {second} ({why})",
            )
        )
    if as_of is not None and sources_file is not None:
        problems += _ageing_problems(rules, rule_source, sources_file, as_of)
    if not any(p.level == "error" for p in problems):
        problems += _whole_load_problems(root)
    return problems


def _reference_problems(
    rules: list[_RuleAt], coverage_refs: list[tuple[Path, int | None, str]]
) -> list[Problem]:
    problems = []
    ids = [r.rule.id for r in rules]
    seen: dict[str, _RuleAt] = {}
    for at in rules:
        if at.rule.id in seen:
            problems.append(
                Problem(
                    "error",
                    "duplicate-rule-id",
                    str(at.path),
                    at.line("id"),
                    f"rule id {at.rule.id!r} is also defined at "
                    f"{seen[at.rule.id].path}:{seen[at.rule.id].line()}",
                    "give each rule its own id",
                )
            )
        seen.setdefault(at.rule.id, at)

    def unknown(path: Path, line: int | None, what: str, target: str) -> Problem:
        close = difflib.get_close_matches(target, ids, n=1)
        return Problem(
            "error",
            "unknown-rule",
            str(path),
            line,
            f"{what} names rule {target!r}, which is not defined",
            f"did you mean `{close[0]}`?" if close else "define the rule or remove the reference",
        )

    for path, line, name in coverage_refs:
        if name not in seen:
            problems.append(unknown(path, line, "coverage", name))
    for at in rules:
        key = "amends" if at.rule.amends else "supersedes"
        target = at.rule.amends or at.rule.supersedes
        if target is None:
            continue
        if target not in seen:
            problems.append(unknown(at.path, at.line(key), f"{at.rule.id} {key}", target))
        elif seen[target].rule.kind != at.rule.kind:
            problems.append(
                Problem(
                    "error",
                    "layering",
                    str(at.path),
                    at.line(key),
                    f"{at.rule.id} ({at.rule.kind}) {key} {target} ({seen[target].rule.kind})",
                    "amend or supersede a rule of the same record kind",
                )
            )
    return problems


def _engine_problems(rules: list[_RuleAt], sources: dict[str, SourceDoc]) -> list[Problem]:
    """Constructs an engine cannot judge, found by compiling, before any record is read."""
    problems = []
    for at in rules:
        gaps = engine_gaps(at.rule)
        source = sources.get(at.rule.id)
        if source is not None and not any(g.engine == "columnar engine" for g in gaps):
            gaps += [g for g in (columnar_gap(at.rule, source),) if g is not None]
        for gap in gaps:
            loc = gap.where.split(".")
            if loc[0] == "milestones":
                line = at.line("milestones", _milestone_index(at.rule, int(loc[1])), "condition")
            else:
                line = at.line(loc[0])
            problems.append(
                Problem(
                    "error" if gap.required else "warning",
                    "unsupported-construct",
                    str(at.path),
                    line,
                    f"{at.rule.id}: {gap.where}: the {gap.engine} cannot judge it ({gap.reason})",
                    "rewrite the condition with supported operators (docs/drafters.md)"
                    if gap.required
                    else "checks of this rule need --engine row",
                )
            )
    return problems


def _milestone_index(rule: RuleSpec, year: int) -> int:
    return [m.year for m in rule.milestones or ()].index(year)


def _date_problems(
    rules: list[_RuleAt], rule_source: dict[str, str], sources: dict[str, SourceDoc]
) -> list[Problem]:
    problems = []
    for at in rules:
        source = sources.get(rule_source[at.rule.id])
        if source is None:
            continue
        start = source.applies_from
        if at.rule.deadline is not None and at.rule.deadline < start:
            problems.append(
                Problem(
                    "error",
                    "deadline-before-issue",
                    str(at.path),
                    at.line("deadline"),
                    f"{at.rule.id}: deadline {at.rule.deadline} is before its source applies "
                    f"({start})",
                    "check the year in the text (到20XX年 is read as 20XX-12-31)",
                )
            )
        for index, milestone in enumerate(at.rule.milestones or ()):
            if milestone.year < start.year:
                problems.append(
                    Problem(
                        "error",
                        "deadline-before-issue",
                        str(at.path),
                        at.line("milestones", index),
                        f"{at.rule.id}: milestone {milestone.year} is before its source "
                        f"applies ({start})",
                        "check the milestone year against the text",
                    )
                )
    return problems


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _quote_problems(
    rules: list[_RuleAt],
    rule_source: dict[str, str],
    sources: dict[str, SourceDoc],
    sources_dir: Path,
) -> list[Problem]:
    problems = []
    texts: dict[str, str | None] = {}
    for at in rules:
        source = sources.get(rule_source[at.rule.id])
        if source is None:
            continue
        if source.id not in texts:
            path = sources_dir / (source.text or f"{source.id}.txt")
            try:
                texts[source.id] = _squash(path.read_text(encoding="utf-8"))
            except OSError:
                texts[source.id] = None
                problems.append(
                    Problem(
                        "warning",
                        "source-text-missing",
                        str(path),
                        None,
                        f"no source text for {source.id}; its quotes were not checked",
                        "put the document's text there, or fix `text:` in sources.yaml",
                    )
                )
        text = texts[source.id]
        if text is not None and _squash(at.rule.quote) not in text:
            problems.append(
                Problem(
                    "error",
                    "quote-not-found",
                    str(at.path),
                    at.line("quote"),
                    f"{at.rule.id}: the quote is not in {source.id}'s text (whitespace ignored)",
                    "copy the sentence verbatim from the source text",
                )
            )
    return problems


def _ageing_problems(
    rules: list[_RuleAt],
    rule_source: dict[str, str],
    sources_file: SourcesFile,
    as_of: dt.date,
) -> list[Problem]:
    problems = []
    sources = {s.id: s for s in sources_file.sources}
    warned: set[tuple[str, str]] = set()
    for at in rules:
        source = sources.get(rule_source[at.rule.id])
        if source is None:
            continue
        marks = marks_for(
            draft=source.status == "draft",
            applies_from=source.applies_from,
            review_years=sources_file.review_years(source),
            last_year=at.rule.milestones[-1].year if at.rule.milestones else None,
            as_of=as_of,
        )
        if "draft_source" in marks and (source.id, "draft") not in warned:
            warned.add((source.id, "draft"))
            problems.append(
                Problem(
                    "warning",
                    "draft-source",
                    str(at.path),
                    at.data.key_lines.get("source"),
                    f"{source.id} is a draft for comment; its findings are marked draft_source",
                    "replace it with the issued text (`supersedes:`) or run check --exclude-drafts",
                )
            )
        if "review_due" in marks and (source.id, "review") not in warned:
            warned.add((source.id, "review"))
            problems.append(
                Problem(
                    "warning",
                    "review-due",
                    str(at.path),
                    at.data.key_lines.get("source"),
                    f"{source.id} applies from {source.applies_from}, older than its review "
                    f"period ({sources_file.review_years(source)} years) on {as_of}",
                    "check the document is still in force, or set review_period_years",
                )
            )
        if "target_ended" in marks and at.rule.milestones:
            problems.append(
                Problem(
                    "warning",
                    "target-ended",
                    str(at.path),
                    at.line("milestones"),
                    f"{at.rule.id}: its last milestone ({at.rule.milestones[-1].year}) has "
                    f"passed on {as_of}",
                    "encode the plan that follows it, or leave as a record of the past",
                )
            )
    return problems


def _whole_load_problems(root: Path) -> list[Problem]:
    """What only the loader's cross-file checks catch (e.g. an amends loop)."""
    try:
        load_rules_dir(root)
    except RuleFileError as exc:
        return [
            Problem(
                "error",
                "rulebook",
                exc.path,
                exc.line,
                exc.reason,
                exc.hint or "fix what the message names; see docs/drafters.md",
            )
        ]
    except PolicyError as exc:  # pragma: no cover - defensive
        return [Problem("error", "rulebook", str(root), None, str(exc), "see docs")]
    return []


def render_problems(problems: list[Problem]) -> str:
    """One line per problem, then a count."""
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors
    lines = [str(p) for p in problems]
    lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines) + "\n"
