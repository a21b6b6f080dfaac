"""Linting a rules directory: every problem at once, each with file, line and a fix.

The loader refuses a rulebook at its first error; a drafter wants the whole
list. Both run the one validation pass (rulebook/validation.py: each rule and
coverage entry validated on its own, so one typo does not hide the next; ids
referenced but not defined; every problem with a stable code). Lint lists all
it found, then checks what the loader does not: deadlines before the source
was issued, quotes missing from the source text, contradictions between
mandatory rules (see drafting/contradictions.py), constructs an engine cannot
judge, figures a rule judges by that its quote does not write
(drafting/quote_figures.py) and, with an as-of date, ageing policy.

Errors make the rulebook unusable or wrong; warnings deserve a look.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sw_policy.drafting.contradictions import find_contradictions
from sw_policy.drafting.engine_support import columnar_gap, engine_gaps
from sw_policy.drafting.quote_figures import figures_missing_from_quote
from sw_policy.errors import PolicyError
from sw_policy.rulebook.layering import marks_for
from sw_policy.rulebook.schema import RuleSpec, SourceDoc, SourcesFile
from sw_policy.rulebook.validation import Issue, RuleAt, validate_rules_dir

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


def _problem(issue: Issue) -> Problem:
    """An issue of the validation pass as lint lists it."""
    assert issue.message is not None
    return Problem(issue.level, issue.code, issue.path, issue.line, issue.message, issue.fix)


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
    checked = validate_rules_dir(root)
    problems = [_problem(i) for i in checked.file_issues if i.message is not None]
    if any(p.code == "layout" for p in problems):
        return problems
    sources = checked.sources
    sources_file = checked.sources_file
    rules, rule_source = checked.rules, checked.rule_source
    problems += _vocabulary_problems(root)
    problems += [_problem(i) for i in checked.reference_issues if i.message is not None]
    problems += _date_problems(rules, rule_source, sources)
    problems += _engine_problems(
        rules, {i: sources[s] for i, s in rule_source.items() if s in sources}
    )
    problems += _figure_problems(rules)
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
    error = checked.first_error()
    if error is not None and not any(p.level == "error" for p in problems):
        # What only the loader refuses (an amends loop, a source listed twice), as it words it.
        fix = error.hint or "fix what the message names; see docs/drafters.md"
        problems.append(Problem("error", "rulebook", error.path, error.line, error.reason, fix))
    return problems


def _engine_problems(rules: list[RuleAt], sources: dict[str, SourceDoc]) -> list[Problem]:
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
    rules: list[RuleAt], rule_source: dict[str, str], sources: dict[str, SourceDoc]
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


def _figure_problems(rules: list[RuleAt]) -> list[Problem]:
    """A figure the rule judges by that its own quote does not write (drafting/quote_figures.py)."""
    problems = []
    for at in rules:
        for name, number in figures_missing_from_quote(at.rule):
            problems.append(
                Problem(
                    "warning",
                    "figure-not-in-quote",
                    str(at.path),
                    at.line("parameters", name),
                    f"{at.rule.id}: parameter {name} is {number}, a figure the quote does not "
                    "write (as digits, 万, a percentage or Chinese numerals)",
                    "check the figure against the quote (a warning only: a figure the text "
                    "states another way may stay as it is)",
                )
            )
    return problems


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _quote_problems(
    rules: list[RuleAt],
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
    rules: list[RuleAt],
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


def render_problems(problems: list[Problem]) -> str:
    """One line per problem, then a count."""
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors
    lines = [str(p) for p in problems]
    lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines) + "\n"
