"""Reading a rules/ directory into a validated rule tree, or refusing it whole.

Any error names the file, the line and the reason, with a suggested fix where
one is obvious ("did you mean `max_share`?"). Nothing is half-loaded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sw_policy.errors import RuleFileError
from sw_policy.rulebook.schema import CoverageEntry, RuleSpec, SourceDoc
from sw_policy.rulebook.validation import SOURCES_FILE, validate_rules_dir

__all__ = ["SOURCES_FILE", "LoadedRules", "bundled_rules_dir", "load_rules_dir"]


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


def load_rules_dir(directory: Path | str, *, exclude_drafts: bool = False) -> LoadedRules:
    """Load and cross-check every rule file in `directory` (rulebook/validation.py: the
    first problem the pass finds, in reading order, refuses the rulebook)."""
    checked = validate_rules_dir(directory, exclude_drafts=exclude_drafts, cached=True)
    error = checked.first_error()
    if error is not None:
        # YAML from the parse cache has no line numbers: read again so the error names one.
        checked = validate_rules_dir(directory, exclude_drafts=exclude_drafts)
        error = checked.first_error()
        if error is not None:
            raise error
    assert checked.sources_file is not None
    digest = hashlib.sha256()
    digest.update(SOURCES_FILE.encode() + b"\0" + checked.sources_raw + b"\0")
    for read in checked.files:
        digest.update(read.path.name.encode() + b"\0" + read.raw + b"\0")

    by_source = {read.parsed.source: read.parsed for read in checked.files if read.parsed}
    rules: list[RuleSpec] = []
    rule_sources: dict[str, str] = {}
    coverage: dict[str, tuple[CoverageEntry, ...]] = {}
    for source_id, source in checked.sources.items():  # sources.yaml order, then clause order
        if source_id not in by_source:
            continue
        parsed = by_source[source_id]
        for rule in parsed.rules:
            if exclude_drafts and source.status == "draft":
                continue
            rules.append(rule)
            rule_sources[rule.id] = source_id
        coverage[source_id] = parsed.coverage
    sources_file = checked.sources_file
    return LoadedRules(
        directory=checked.root,
        sources=tuple(checked.sources.values()),
        rules=tuple(rules),
        coverage=coverage,
        rule_sources=rule_sources,
        sha256=digest.hexdigest(),
        review_years={s.id: sources_file.review_years(s) for s in sources_file.sources},
    )
