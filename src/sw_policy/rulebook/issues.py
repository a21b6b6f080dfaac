"""Issues of a rules directory, and what pydantic's errors become.

An `Issue` is one problem with a stable code (rulebook/validation.py finds
them); `whole_file` is the loader's view of a file's schema errors (the first
and how many more), `schema_issues` lint's (one issue each, classified by
pydantic's error type, never by message text).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from sw_policy.errors import RuleFileError
from sw_policy.rulebook.conditions import NODE_TYPES
from sw_policy.rulebook.schema import (
    CoverageEntry,
    Milestone,
    Parameter,
    RuleFile,
    RuleSpec,
    SourceDoc,
)
from sw_policy.rulebook.strict_yaml import line_of

__all__ = ["VOCABULARY", "Issue", "Raised", "is_union_tag", "schema_issues", "whole_file"]

# Every field name a rule file may use, for "did you mean" suggestions.
VOCABULARY = sorted(
    {
        name
        for model in (RuleFile, RuleSpec, CoverageEntry, SourceDoc, Parameter, Milestone)
        for name in model.model_fields
    }
)

# The registry's tags, but `field` and `param`: those are also YAML keys (`known: field`).
_UNION_TAGS = frozenset(t.tag for t in NODE_TYPES) - {"field", "param"}


def is_union_tag(part: Any) -> bool:
    """Pydantic puts a union member's tag in an error's path; it is not a YAML key."""
    return isinstance(part, str) and part in _UNION_TAGS


@dataclass(frozen=True)
class Raised:
    """How the loader refuses a rulebook for an issue; `rank` orders issues as it reads."""

    path: str
    reason: str
    line: int | None = None
    hint: str | None = None
    rank: tuple[int, ...] = ()

    def error(self) -> RuleFileError:
        return RuleFileError(self.path, self.reason, line=self.line, hint=self.hint)


@dataclass(frozen=True)
class Issue:
    """One problem of a rules directory: where, a stable code, and each consumer's wording."""

    code: str
    path: str
    line: int | None
    rule_id: str | None
    message: str | None  # as lint lists it; None: lint lists it under another issue
    fix: str = ""
    raised: Raised | None = None  # as the loader refuses the rulebook; None: it does not
    level: Literal["error", "warning"] = "error"


def whole_file(
    model: type[BaseModel], data: Any, path: Path, rank: tuple[int, ...]
) -> tuple[Any, Issue | None]:
    """The file validated whole (the model, or the loader's view of its first error and how
    many more)."""
    try:
        return model.model_validate(data), None
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        where = ".".join(str(p) for p in loc if not is_union_tag(p)) or "(top level)"
        hint = None
        if first["type"] == "extra_forbidden" and loc:
            close = difflib.get_close_matches(str(loc[-1]), VOCABULARY, n=1)
            hint = f"did you mean `{close[0]}`?" if close else "remove this field"
        more = exc.error_count() - 1
        reason = f"{where}: {first['msg']}"
        if more:
            reason += f" (and {more} more error{'s' if more > 1 else ''})"
        line = line_of(data, loc)
        raised = Raised(str(path), reason, line, hint, rank)
        return None, Issue("schema", str(path), line, None, None, raised=raised)


def schema_issues(
    model: type[BaseModel], data: Any, path: Path, prefix: tuple[str | int, ...], root: Any
) -> list[Issue]:
    """Lint's view: every validation error of `data` against `model`, one issue each."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        issues = []
        seen: set[tuple[int | None, str]] = set()
        rule_id = data.get("id") if prefix[:1] == ("rules",) and isinstance(data, dict) else None
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if not is_union_tag(p))
            line = line_of(root, (*prefix, *loc))
            where = ".".join(str(p) for p in (*prefix, *loc)) or "(top level)"
            key = (line, f"{where}{error['msg']}")
            if key in seen:
                continue
            seen.add(key)
            code, message, fix = _classify(error, loc, where)
            rid = rule_id if isinstance(rule_id, str) else None
            issues.append(Issue(code, str(path), line, rid, message, fix))
        return issues
    return []


def _classify(error: Any, loc: tuple[Any, ...], where: str) -> tuple[str, str, str]:
    """(code, message, fix) of one pydantic error, by its type."""
    last = str(loc[-1]) if loc else ""
    if error["type"] == "extra_forbidden":
        close = difflib.get_close_matches(last, VOCABULARY, n=1)
        fix = f"did you mean `{close[0]}`?" if close else "remove this field"
        return "unknown-field", f"{where}: unknown field", fix
    if last in ("clause", "quote") and error["type"] in ("missing", "string_too_short"):
        return (
            "missing-citation",
            f"{where}: a rule needs its {last}",
            "add `clause:` as numbered in the source and `quote:` copied verbatim from it",
        )
    if error["type"] == "undefined_parameter":
        name = error["ctx"]["name"]
        return (
            "undefined-parameter",
            f"{where}: parameter {name!r} is used but not defined",
            f"add `{name}: {{value: …, description: …}}` under parameters",
        )
    return "schema", f"{where}: {error['msg']}", "see docs/drafters.md"
