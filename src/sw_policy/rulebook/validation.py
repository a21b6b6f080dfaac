"""One validation pass over a rules directory: every problem, each with a stable code.

The loader and `sw-policy lint` both run `validate_rules_dir`. Each `Issue`
says where (file, line, rule id) and what (a stable code such as
`unknown-field`, from pydantic's error type or from the check that found it,
never from message text), and how each consumer words it: `message`/`fix` as
lint lists it (None: lint lists it under another issue), `raised` as the
loader refuses the rulebook (None: not a reason to refuse it). The loader
raises the issue it would meet first reading in its own order (`Raised.rank`);
lint lists them all.

Where the two differ in what they report, the pass gives both views of one
check: the loader validates a rule file whole (its first error, "and N more"),
lint each rule and coverage entry on its own (so one typo does not hide the
next); a rule id defined twice is blamed in sources.yaml order by the loader
and in file order by lint.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sw_policy.errors import RuleFileError
from sw_policy.rulebook.issues import Issue, Raised, schema_issues, whole_file
from sw_policy.rulebook.parse_cache import parse_rule_bytes
from sw_policy.rulebook.schema import (
    CoverageEntry,
    RuleFile,
    RuleSpec,
    SourceDoc,
    SourcesFile,
)
from sw_policy.rulebook.strict_yaml import line_of, read_bytes

__all__ = ["SOURCES_FILE", "Issue", "Raised", "RuleAt", "Validation", "validate_rules_dir"]


SOURCES_FILE = "sources.yaml"


@dataclass
class RuleAt:
    """A valid rule and where it was read."""

    rule: RuleSpec
    path: Path
    data: Any
    index: int

    def line(self, *loc: str | int) -> int | None:
        return line_of(self.data, ("rules", self.index, *loc))


@dataclass
class RuleFileRead:
    """One rule file as read: its bytes, its YAML, and the model if it validated whole."""

    path: Path
    raw: bytes
    data: Any
    parsed: RuleFile | None


@dataclass
class Validation:
    """What one pass found: the issues, and what validated, for the loader and lint to use."""

    root: Path
    cached: bool = False
    file_issues: list[Issue] = field(default_factory=list)  # reading and schemas, file by file
    reference_issues: list[Issue] = field(default_factory=list)  # across files: ids, links
    sources_raw: bytes = b""
    sources_file: SourcesFile | None = None
    sources: dict[str, SourceDoc] = field(default_factory=dict)
    files: list[RuleFileRead] = field(default_factory=list)
    rules: list[RuleAt] = field(default_factory=list)  # valid rules, in file order
    rule_source: dict[str, str] = field(default_factory=dict)

    @property
    def issues(self) -> list[Issue]:
        return self.file_issues + self.reference_issues

    def first_error(self) -> RuleFileError | None:
        """The loader's refusal: the issue it meets first, or None for a usable rulebook."""
        raised = [i.raised for i in self.issues if i.raised is not None and i.level == "error"]
        return min(raised, key=lambda r: r.rank).error() if raised else None


def validate_rules_dir(
    directory: Path | str, *, exclude_drafts: bool = False, cached: bool = False
) -> Validation:
    """Every problem of a rules directory (exclude_drafts: as the loader reads it then).

    cached: YAML parsed before may come from the parse cache (rulebook/parse_cache.py).
    Cached data has no line numbers, so only a caller that re-reads on any problem
    (the loader) asks for it; lint names a line for every issue.
    """
    root = Path(directory)
    out = Validation(root, cached=cached)
    sources_path = root / SOURCES_FILE
    if not root.is_dir() or not sources_path.is_file():
        reason = (
            "not a directory of rule files"
            if not root.is_dir()
            else f"missing: a rules directory needs {SOURCES_FILE}"
        )
        out.file_issues.append(
            Issue(
                "layout",
                str(sources_path),
                None,
                None,
                f"missing: a rules directory needs {SOURCES_FILE}",
                "copy rules/sources.yaml and list your documents in it",
                Raised(str(root if not root.is_dir() else sources_path), reason, rank=(0,)),
            )
        )
        return out
    _read_sources(out, sources_path)
    for index, path in enumerate(sorted(p for p in root.glob("*.yaml") if p.name != SOURCES_FILE)):
        _read_rule_file(out, path, index)
    _reference_issues(out, exclude_drafts)
    return out


def _read(
    path: Path, issues: list[Issue], rank: tuple[int, ...], cached: bool
) -> tuple[bytes, Any] | None:
    """A file's bytes and YAML, or None after an issue naming what stopped the reading."""
    try:
        raw = read_bytes(path)
        return raw, parse_rule_bytes(raw, path, cached=cached)
    except RuleFileError as exc:
        duplicate = exc.code == "duplicate-key"
        issues.append(
            Issue(
                "duplicate-key" if duplicate else "yaml",
                exc.path,
                exc.line,
                None,
                exc.brief or exc.reason,
                "remove or rename one of the two keys; YAML would silently keep only the last"
                if duplicate
                else "fix the YAML syntax at this line",
                Raised(exc.path, exc.reason, exc.line, exc.hint, rank),
            )
        )
        return None


def _read_sources(out: Validation, path: Path) -> None:
    read = _read(path, out.file_issues, (1,), out.cached)
    if read is None:
        return
    out.sources_raw, data = read
    sources_file, whole = whole_file(SourcesFile, data, path, (2,))
    if whole is not None:
        out.file_issues += schema_issues(SourcesFile, data, path, (), data)
        out.file_issues.append(whole)
        return
    out.sources_file = sources_file
    out.sources = {s.id: s for s in sources_file.sources}
    if len(out.sources) != len(out.sources_file.sources):
        out.file_issues.append(
            Issue(
                "duplicate-source",
                str(path),
                None,
                None,
                None,
                raised=Raised(str(path), "a source id is listed twice", rank=(3,)),
            )
        )


def _read_rule_file(out: Validation, path: Path, index: int) -> None:
    """One rule file on its own: the rules that validate, and every problem of the rest."""
    issues = out.file_issues
    read = _read(path, issues, (4, index, 0), out.cached)
    if read is None:
        return
    raw, data = read
    parsed, whole = whole_file(RuleFile, data, path, (4, index, 1))
    out.files.append(RuleFileRead(path, raw, data, parsed))
    if not isinstance(data, dict):
        if data is not None:
            issues.append(Issue("schema", str(path), None, None, "not a mapping", "see docs"))
        if whole is not None:
            issues.append(whole)
        return
    top = {k: v for k, v in data.items() if k not in ("rules", "coverage")}
    issues += schema_issues(RuleFile, top, path, (), data) if whole is not None else []
    source_id = data.get("source")
    if isinstance(source_id, str) and out.sources and source_id not in out.sources:
        close = difflib.get_close_matches(source_id, list(out.sources), n=1)
        suggestion = f"did you mean `{close[0]}`?" if close else None
        line = line_of(data, ("source",))
        issues.append(
            Issue(
                "unknown-source",
                str(path),
                line,
                None,
                f"source {source_id!r} is not in {SOURCES_FILE}",
                suggestion or f"add it to {SOURCES_FILE}",
                Raised(
                    str(path),
                    f"source {source_id!r} is not in {SOURCES_FILE}",
                    line_of(data, ("source",)),
                    suggestion,
                    (4, index, 2),
                ),
            )
        )
    elif parsed is not None and parsed.source in out.sources:
        earlier = [f for f in out.files[:-1] if f.parsed and f.parsed.source == parsed.source]
        if earlier:
            reason = f"source {parsed.source!r} already has a rule file: {earlier[0].path}"
            issues.append(
                Issue(
                    "duplicate-source-file",
                    str(path),
                    None,
                    None,
                    None,
                    raised=Raised(str(path), reason, rank=(4, index, 3)),
                )
            )
    if whole is not None:
        issues.append(whole)
    for at, raw_rule in enumerate(data.get("rules") or ()):
        found = (
            schema_issues(RuleSpec, raw_rule, path, ("rules", at), data)
            if whole is not None
            else []
        )
        issues += found
        if found:
            continue
        rule = parsed.rules[at] if parsed is not None else RuleSpec.model_validate(raw_rule)
        out.rules.append(RuleAt(rule, path, data, at))
        out.rule_source[rule.id] = str(source_id)
    if whole is not None:
        for at, raw_entry in enumerate(data.get("coverage") or ()):
            issues += schema_issues(CoverageEntry, raw_entry, path, ("coverage", at), data)


def _source_order(out: Validation) -> list[tuple[int, RuleFileRead]]:
    """Rule files that validated whole, as the loader takes them: sources.yaml order."""
    by_source = {f.parsed.source: f for f in out.files if f.parsed is not None}
    return [
        (i, by_source[source_id])
        for i, source_id in enumerate(out.sources)
        if source_id in by_source
    ]


def _reference_issues(out: Validation, exclude_drafts: bool) -> None:
    """Ids defined twice, coverage naming unknown rules, amends/supersedes links."""
    issues = out.reference_issues
    ids = [r.rule.id for r in out.rules]
    seen: dict[str, RuleAt] = {}
    for at in out.rules:  # lint: file order, the later one blamed at its id
        if at.rule.id in seen:
            first = seen[at.rule.id]
            issues.append(
                Issue(
                    "duplicate-rule-id",
                    str(at.path),
                    at.line("id"),
                    at.rule.id,
                    f"rule id {at.rule.id!r} is also defined at {first.path}:{first.line()}",
                    "give each rule its own id",
                )
            )
        seen.setdefault(at.rule.id, at)
    ordered = _source_order(out)
    defined: dict[str, Path] = {}  # the loader: sources.yaml order, the later one blamed
    for s, read in ordered:
        assert read.parsed is not None
        for index, rule in enumerate(read.parsed.rules):
            if rule.id in defined:
                reason = f"rule id {rule.id!r} is also defined in {defined[rule.id]}"
                line = line_of(read.data, ("rules", index))
                raised = Raised(str(read.path), reason, line, rank=(5, s, index))
                issues.append(
                    Issue("duplicate-rule-id", str(read.path), line, rule.id, None, "", raised)
                )
            defined.setdefault(rule.id, read.path)
    _coverage_issues(out, ordered, ids, seen)
    _link_issues(out, ids, seen, exclude_drafts)


def _unknown(what: str, target: str, ids: list[str]) -> tuple[str, str]:
    """Lint's wording of a reference to a rule no file defines."""
    close = difflib.get_close_matches(target, ids, n=1)
    return (
        f"{what} names rule {target!r}, which is not defined",
        f"did you mean `{close[0]}`?" if close else "define the rule or remove the reference",
    )


def _suggest(target: str, ids: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(target, list(ids), n=1)
    return f"did you mean `{close[0]}`?" if close else None


def _coverage_issues(
    out: Validation,
    ordered: list[tuple[int, RuleFileRead]],
    ids: list[str],
    seen: dict[str, RuleAt],
) -> None:
    """Coverage naming a rule no file defines (entries that validated, rules that did not
    are not news: their own schema issues say so)."""
    source_rank = {read.path: s for s, read in ordered}
    invalid = _invalid_rule_ids(out)
    for read in out.files:
        data = read.data
        entries = (
            list(enumerate(read.parsed.coverage))
            if read.parsed is not None
            else _valid_entries(data)
        )
        for index, entry in entries:
            line = line_of(data, ("coverage", index))
            for ref, rule_id in enumerate(entry.rules):
                if rule_id in seen or rule_id in invalid:
                    continue
                message, fix = _unknown("coverage", rule_id, ids)
                raised = None
                if read.path in source_rank:
                    raised = Raised(
                        str(read.path),
                        f"coverage of clause {entry.clause} names unknown rule {rule_id!r}",
                        line,
                        _suggest(rule_id, seen),
                        (6, source_rank[read.path], index, ref),
                    )
                issues = out.reference_issues
                issues.append(
                    Issue("unknown-rule", str(read.path), line, None, message, fix, raised)
                )


def _valid_entries(data: Any) -> list[tuple[int, CoverageEntry]]:
    if not isinstance(data, dict):
        return []
    entries = []
    for index, raw in enumerate(data.get("coverage") or ()):
        try:
            entries.append((index, CoverageEntry.model_validate(raw)))
        except ValidationError:
            continue
    return entries


def _invalid_rule_ids(out: Validation) -> set[str]:
    """Ids of rules refused by their schema: a reference to one is not news."""
    invalid = set()
    for read in out.files:
        if read.parsed is not None or not isinstance(read.data, dict):
            continue
        valid = {at.index for at in out.rules if at.path == read.path}
        for index, raw in enumerate(read.data.get("rules") or ()):
            if index not in valid and isinstance(raw, dict) and isinstance(raw.get("id"), str):
                invalid.add(raw["id"])
    return invalid


def _link_issues(
    out: Validation, ids: list[str], seen: dict[str, RuleAt], exclude_drafts: bool
) -> None:
    """`amends`/`supersedes` name a defined rule of the same kind, and never loop."""
    issues = out.reference_issues
    ranks = {read.path: s for s, read in _source_order(out)}
    draft = {s for s, doc in out.sources.items() if doc.status == "draft"}
    judged = {
        at.rule.id: at
        for at in out.rules
        if not (exclude_drafts and out.rule_source.get(at.rule.id) in draft)
    }
    for at in out.rules:
        target = at.rule.amends or at.rule.supersedes
        if target is None:
            continue
        key = "amends" if at.rule.amends else "supersedes"
        line = at.line(key)
        rank = (7, ranks.get(at.path, -1), at.index)
        counted = at.rule.id in judged and at.path in ranks

        def raised(reason: str, n: int, hint: str | None = None) -> Raised | None:
            return Raised(str(at.path), reason, line, hint, (*rank, n)) if counted else None  # noqa: B023

        if target not in seen:
            message, fix = _unknown(f"{at.rule.id} {key}", target, ids)
            reason = f"rule {at.rule.id} {key} unknown rule {target!r}"
            issues.append(
                Issue(
                    "unknown-rule",
                    str(at.path),
                    line,
                    at.rule.id,
                    message,
                    fix,
                    raised(reason, 0, _suggest(target, seen)),
                )
            )
            continue
        other = seen[target].rule
        if other.kind != at.rule.kind:
            loader_view = raised(
                f"rule {at.rule.id} ({at.rule.kind}) {key} {target} which judges {other.kind} "
                "records",
                1,
                "a rule can only amend or supersede a rule of the same record kind",
            )
            issues.append(
                Issue(
                    "layering",
                    str(at.path),
                    line,
                    at.rule.id,
                    f"{at.rule.id} ({at.rule.kind}) {key} {target} ({other.kind})",
                    "amend or supersede a rule of the same record kind",
                    loader_view if target in judged else None,
                )
            )
        chain = [at.rule.id]
        current: str | None = target
        while current is not None and current in judged:
            if current in chain:
                loop = f"amends/supersedes loop: {' -> '.join([*chain, current])}"
                issues.append(
                    Issue("amends-loop", str(at.path), line, at.rule.id, None, "", raised(loop, 2))
                )
                break
            chain.append(current)
            step = judged[current].rule
            current = step.amends or step.supersedes
