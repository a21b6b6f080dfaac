"""A file whose rows all take a contract default that a loaded rule reads, said once.

`certificate_registered` defaults to false (CONTRACT.md), so a roster without a
registration column fails every certificate holder under a registration rule:
a verdict on a value nobody wrote. The verdict stands (the contract fixes the
default), and the file's input summary says which defaults were taken, one line
per file, after the reader's and the division codes' warnings.

Which fields qualify is derived, never listed: a field of the record model with
a default other than None (None is "unknown", which a rule already reports as
insufficient data) that some loaded rule of its kind reads (the fields the
monitor routes by too: rulebook/reads.fields_read). A field is taken by
default in a file when records of its kind were read from the file and none
was given it (inputs/given_fields.py: a table's header, a JSON record's keys).
Both engines and every reader note the same, so reports stay byte-identical.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum
from pathlib import Path
from typing import Any

from sw_policy.engines.rule_store import RuleStore
from sw_policy.findings import InputSummary
from sw_policy.inputs.aliases import active_tables
from sw_policy.inputs.given_fields import ANY_KIND, Given
from sw_policy.records import KINDS, MODEL_OF_KIND
from sw_policy.rulebook.reads import fields_read

__all__ = [
    "defaults_read",
    "kinds_by_path_of_frames",
    "kinds_by_path_of_records",
    "with_defaults_taken",
]

_JSON_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson"})


def defaults_read(rulebook: RuleStore) -> dict[str, tuple[tuple[str, str], ...]]:
    """Per kind, (field, default as written) for each defaulted field a loaded rule reads."""
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for kind in KINDS:
        read: set[str] = set()
        for rule, _, _ in rulebook.rules_of_kind(kind):
            read |= fields_read(rule)
        fields = MODEL_OF_KIND[kind].model_fields
        out[kind] = tuple(
            (name, _written(info.default))
            for name, info in fields.items()
            if name != "kind" and name in read and not info.is_required()
            if info.default is not None
        )
    return out


_DEFAULTED = {
    kind: any(
        info.default is not None and not info.is_required()
        for n, info in model.model_fields.items()
        if n != "kind"
    )
    for kind, model in MODEL_OF_KIND.items()
}


def _written(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value.value if isinstance(value, Enum) else value)


def kinds_by_path_of_records(located: Iterable[Any]) -> dict[str, set[str]]:
    """The kinds of the records read from each file (the row readers' LocatedRecords)."""
    out: dict[str, set[str]] = {}
    for item in located:
        if item.location is not None:
            out.setdefault(item.location.path, set()).add(item.record.kind)
    return out


def kinds_by_path_of_frames(frames: Any) -> dict[str, set[str]]:
    """The kinds of the records read from each file (RecordFrames, by `__path`)."""
    out: dict[str, set[str]] = {}
    for kind, kf in frames.frames.items():
        for path in kf.df.get_column("__path").unique().to_list():
            if path is not None:
                out.setdefault(path, set()).add(kind)
    return out


def with_defaults_taken(
    inputs: Iterable[InputSummary],
    given: Given,
    kinds: Mapping[str, set[str]],
    rulebook: RuleStore,
) -> tuple[InputSummary, ...]:
    """The input summaries, each with the defaults its rows took (if any) said last."""
    items = tuple(inputs)
    if not any(_DEFAULTED[k] for item in items for k in kinds.get(item.path, ())):
        return items  # budgets and regions only: no field of theirs has a default
    qualifying = defaults_read(rulebook)
    out = []
    for item in items:
        warning = _warning(
            item.path, given.get(item.path, {}), kinds.get(item.path, set()), qualifying
        )
        if warning is None or warning in item.warnings:
            out.append(item)
        else:
            out.append(item.model_copy(update={"warnings": (*item.warnings, warning)}))
    return tuple(out)


def _warning(
    path: str,
    given: Mapping[str, set[str]],
    kinds: set[str],
    qualifying: Mapping[str, tuple[tuple[str, str], ...]],
) -> str | None:
    headers = given.get(ANY_KIND, set())
    taken: dict[str, str] = {}
    for kind in KINDS:
        if kind not in kinds:
            continue
        of_kind = given.get(kind, set())
        for name, default in qualifying[kind]:
            if name not in headers and name not in of_kind:
                taken.setdefault(name, f"{name} = {default}{_label(name)}")
    if not taken:
        return None
    absent = "keys" if Path(path).suffix.lower() in _JSON_SUFFIXES else "columns"
    return f"{absent} absent, the contract's defaults taken: {', '.join(taken.values())}"


def _label(name: str) -> str:
    """The field's first Chinese header in the vocabulary, the column an office would add."""
    for alias in active_tables().vocabulary.fields.get(name, ()):
        if not alias.isascii():
            return f" ({alias})"
    return ""
