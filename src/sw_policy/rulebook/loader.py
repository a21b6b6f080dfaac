"""Reading a rules/ directory into a validated rule tree, or refusing it whole.

Any error names the file, the line and the reason, with a suggested fix where
one is obvious ("did you mean `max_share`?"). Nothing is half-loaded.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sw_policy.errors import RuleFileError
from sw_policy.rulebook.conditions import NODE_TYPES
from sw_policy.rulebook.parse_cache import parse_rule_bytes
from sw_policy.rulebook.schema import (
    CoverageEntry,
    Milestone,
    Parameter,
    RuleFile,
    RuleSpec,
    SourceDoc,
    SourcesFile,
)
from sw_policy.rulebook.strict_yaml import line_of, read_bytes

__all__ = ["LoadedRules", "bundled_rules_dir", "load_rules_dir"]

SOURCES_FILE = "sources.yaml"

# Every field name a rule file may use, for "did you mean" suggestions.
_VOCABULARY = sorted(
    {
        name
        for model in (RuleFile, RuleSpec, CoverageEntry, SourceDoc, Parameter, Milestone)
        for name in model.model_fields
    }
)


@dataclass(frozen=True)
class LoadedRules:
    """Everything read from one rules directory, already cross-checked."""

    directory: Path
    sources: tuple[SourceDoc, ...]
    rules: tuple[RuleSpec, ...]
    coverage: dict[str, tuple[CoverageEntry, ...]]
    rule_sources: dict[str, str]
    sha256: str
    # Per source id, its review period in years (None: never due).
    review_years: dict[str, int | None] = field(default_factory=dict)


def bundled_rules_dir() -> Path:
    """The rulebook shipped with the package (or, in a source checkout, the repo's rules/)."""
    packaged = Path(str(resources.files("sw_policy"))) / "rules"
    if (packaged / SOURCES_FILE).is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "rules"
    if (checkout / SOURCES_FILE).is_file():
        return checkout
    raise RuleFileError(packaged, "the bundled rulebook is missing from this installation")


def _validate(model: type[BaseModel], data: Any, path: Path) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        where = ".".join(str(p) for p in loc if not _is_union_tag(p)) or "(top level)"
        hint = None
        if first["type"] == "extra_forbidden" and loc:
            close = difflib.get_close_matches(str(loc[-1]), _VOCABULARY, n=1)
            hint = f"did you mean `{close[0]}`?" if close else "remove this field"
        more = exc.error_count() - 1
        reason = f"{where}: {first['msg']}"
        if more:
            reason += f" (and {more} more error{'s' if more > 1 else ''})"
        raise RuleFileError(path, reason, line=line_of(data, loc), hint=hint) from None


# The registry's tags, but `field` and `param`: those are also YAML keys (`known: field`).
_UNION_TAGS = frozenset(t.tag for t in NODE_TYPES) - {"field", "param"}


def _is_union_tag(part: Any) -> bool:
    """Pydantic puts a union member's tag in an error's path; it is not a YAML key."""
    return isinstance(part, str) and part in _UNION_TAGS


def load_rules_dir(directory: Path | str, *, exclude_drafts: bool = False) -> LoadedRules:
    """Load and cross-check every rule file in `directory`."""
    try:
        return _load_rules_dir(directory, exclude_drafts=exclude_drafts, cached=True)
    except RuleFileError:
        # Parsed data from the cache has no line numbers: parse again so the error names one.
        return _load_rules_dir(directory, exclude_drafts=exclude_drafts, cached=False)


def _load_rules_dir(directory: Path | str, *, exclude_drafts: bool, cached: bool) -> LoadedRules:
    root = Path(directory)
    if not root.is_dir():
        raise RuleFileError(root, "not a directory of rule files")
    sources_path = root / SOURCES_FILE
    if not sources_path.is_file():
        raise RuleFileError(sources_path, f"missing: a rules directory needs {SOURCES_FILE}")

    digest = hashlib.sha256()
    raw = read_bytes(sources_path)
    sources_file: SourcesFile = _validate(
        SourcesFile, parse_rule_bytes(raw, sources_path, cached=cached), sources_path
    )
    digest.update(SOURCES_FILE.encode() + b"\0" + raw + b"\0")
    sources = {s.id: s for s in sources_file.sources}
    if len(sources) != len(sources_file.sources):
        raise RuleFileError(sources_path, "a source id is listed twice")

    rule_files = sorted(p for p in root.glob("*.yaml") if p.name != SOURCES_FILE)
    by_source: dict[str, tuple[Path, Any, RuleFile]] = {}
    for path in rule_files:
        raw = read_bytes(path)
        data = parse_rule_bytes(raw, path, cached=cached)
        parsed: RuleFile = _validate(RuleFile, data, path)
        digest.update(path.name.encode() + b"\0" + raw + b"\0")
        if parsed.source not in sources:
            close = difflib.get_close_matches(parsed.source, list(sources), n=1)
            raise RuleFileError(
                path,
                f"source {parsed.source!r} is not in {SOURCES_FILE}",
                line=line_of(data, ("source",)),
                hint=f"did you mean `{close[0]}`?" if close else None,
            )
        if parsed.source in by_source:
            raise RuleFileError(
                path,
                f"source {parsed.source!r} already has a rule file: {by_source[parsed.source][0]}",
            )
        by_source[parsed.source] = (path, data, parsed)

    rules: list[RuleSpec] = []
    seen: dict[str, Path] = {}
    rule_sources: dict[str, str] = {}
    coverage: dict[str, tuple[CoverageEntry, ...]] = {}
    for source_id, source in sources.items():  # sources.yaml order, then clause order
        if source_id not in by_source:
            continue
        path, data, parsed = by_source[source_id]
        for index, rule in enumerate(parsed.rules):
            line = line_of(data, ("rules", index))
            if rule.id in seen:
                raise RuleFileError(
                    path, f"rule id {rule.id!r} is also defined in {seen[rule.id]}", line=line
                )
            seen[rule.id] = path
            if exclude_drafts and source.status == "draft":
                continue
            rules.append(rule)
            rule_sources[rule.id] = source_id
        coverage[source_id] = parsed.coverage

    for source_id, entries in coverage.items():
        path, data, _ = by_source[source_id]
        for index, entry in enumerate(entries):
            for rule_id in entry.rules:
                if rule_id not in seen:
                    close = difflib.get_close_matches(rule_id, list(seen), n=1)
                    raise RuleFileError(
                        path,
                        f"coverage of clause {entry.clause} names unknown rule {rule_id!r}",
                        line=line_of(data, ("coverage", index)),
                        hint=f"did you mean `{close[0]}`?" if close else None,
                    )

    _check_links(rules, by_source, rule_sources, seen)

    return LoadedRules(
        directory=root,
        sources=tuple(sources.values()),
        rules=tuple(rules),
        coverage=coverage,
        rule_sources=rule_sources,
        sha256=digest.hexdigest(),
        review_years={s.id: sources_file.review_years(s) for s in sources_file.sources},
    )


def _check_links(
    rules: list[RuleSpec],
    by_source: dict[str, tuple[Path, Any, RuleFile]],
    rule_sources: dict[str, str],
    seen: dict[str, Path],
) -> None:
    """`amends`/`supersedes` name a defined rule of the same kind, and never loop."""
    by_id = {rule.id: rule for rule in rules}
    for rule in rules:
        target = rule.amends or rule.supersedes
        if target is None:
            continue
        key = "amends" if rule.amends else "supersedes"
        path, data, parsed = by_source[rule_sources[rule.id]]
        index = parsed.rules.index(rule)
        line = line_of(data, ("rules", index, key))
        if target not in seen:
            close = difflib.get_close_matches(target, list(seen), n=1)
            raise RuleFileError(
                path,
                f"rule {rule.id} {key} unknown rule {target!r}",
                line=line,
                hint=f"did you mean `{close[0]}`?" if close else None,
            )
        other = by_id.get(target)
        if other is not None and other.kind != rule.kind:
            raise RuleFileError(
                path,
                f"rule {rule.id} ({rule.kind}) {key} {target} which judges {other.kind} records",
                line=line,
                hint="a rule can only amend or supersede a rule of the same record kind",
            )
        chain = [rule.id]
        current: str | None = target
        while current is not None and current in by_id:
            if current in chain:
                raise RuleFileError(
                    path,
                    f"amends/supersedes loop: {' -> '.join([*chain, current])}",
                    line=line,
                )
            chain.append(current)
            step = by_id[current]
            current = step.amends or step.supersedes
