"""The intake vocabulary: Chinese names of fields and values, read from the rulebook directory.

It lives in `rules/intake/vocabulary.yaml` as data, so an office can add the
header its software writes or the value its staff type without Python. The
file is read strictly: an unknown section, an unknown field or a value outside
a field's vocabulary is refused with the file and line.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from sw_policy.errors import RuleFileError
from sw_policy.records import KINDS, MODEL_OF_KIND, flat_columns
from sw_policy.rulebook.loader import bundled_rules_dir
from sw_policy.rulebook.parse_cache import parse_rule_bytes
from sw_policy.rulebook.strict_yaml import line_of, read_bytes

__all__ = [
    "VOCABULARY_FILE",
    "OfficeVocabulary",
    "Vocabulary",
    "bundled_vocabulary",
    "layered",
    "load_office_vocabulary",
    "load_vocabulary",
    "rules_vocabulary",
]

VOCABULARY_FILE = Path("intake") / "vocabulary.yaml"
_FLAT_FIELDS = {"training_hours_5y", "training_hours_total"}


class Vocabulary(BaseModel):
    """Names as offices write them; every list is matched after normalising case and width."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fields: dict[str, tuple[str, ...]]
    values: dict[str, dict[str, str]]
    sheet_kinds: dict[str, tuple[str, ...]]
    ignored: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()
    total_rows: tuple[str, ...] = ()
    note_rows: tuple[str, ...] = ()


class OfficeVocabulary(BaseModel):
    """An office's additions (`<rules>/intake/vocabulary.yaml`): every section optional."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # most runs: none

    fields: dict[str, tuple[str, ...]] = {}
    values: dict[str, dict[str, str]] = {}
    sheet_kinds: dict[str, tuple[str, ...]] = {}
    ignored: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()
    total_rows: tuple[str, ...] = ()
    note_rows: tuple[str, ...] = ()


def _known_fields() -> set[str]:
    names = {"id", "jurisdiction", "as_of", "name", "kind"} | _FLAT_FIELDS
    for model in MODEL_OF_KIND.values():
        names |= set(model.model_fields)
    for kind in KINDS:
        names |= set(flat_columns(kind))  # influential_orgs_by_field.elderly and the like
    return names


def _check(vocabulary: Vocabulary | OfficeVocabulary, data: Any, path: Path) -> None:
    known = _known_fields()
    for section in ("fields", "values"):
        for name in getattr(vocabulary, section):
            if name not in known:
                raise RuleFileError(
                    path,
                    f"{section}: {name!r} is not a record field",
                    line=line_of(data, (section, name)),
                )
    for kind in vocabulary.sheet_kinds:
        if kind not in KINDS:
            raise RuleFileError(
                path, f"sheet_kinds: {kind!r} is not a record kind", line=line_of(data, ())
            )


def load_vocabulary(path: Path) -> Vocabulary:
    """Read one vocabulary file strictly (RuleFileError naming the line otherwise)."""
    return _load(path, Vocabulary)


def load_office_vocabulary(path: Path) -> OfficeVocabulary:
    """Read an office's vocabulary file, as strictly as the bundled one."""
    return _load(path, OfficeVocabulary)


_M = TypeVar("_M", Vocabulary, OfficeVocabulary)


def _load(path: Path, model: type[_M]) -> _M:
    raw = read_bytes(path)
    try:
        return _checked(path, model, parse_rule_bytes(raw, path))
    except RuleFileError:  # cached data has no line numbers: parse again to name the line
        return _checked(path, model, parse_rule_bytes(raw, path, cached=False))


def _checked(path: Path, model: type[_M], data: Any) -> _M:
    try:
        vocabulary = model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        where = ".".join(str(p) for p in loc) or "file"
        raise RuleFileError(path, f"{where}: {error['msg']}", line=line_of(data, loc)) from None
    _check(vocabulary, data, path)
    return vocabulary


def layered(base: Vocabulary, office: OfficeVocabulary) -> Vocabulary:
    """`base` with an office's names added (and its value words winning over the base's)."""

    def names(a: dict[str, tuple[str, ...]], b: dict[str, tuple[str, ...]]) -> Any:
        return {k: tuple(dict.fromkeys((*a.get(k, ()), *b.get(k, ())))) for k in {**a, **b}}

    def words(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*a, *b)))

    return Vocabulary(
        fields=names(base.fields, office.fields),
        values={
            k: {**base.values.get(k, {}), **office.values.get(k, {})}
            for k in {**base.values, **office.values}
        },
        sheet_kinds=names(base.sheet_kinds, office.sheet_kinds),
        ignored=words(base.ignored, office.ignored),
        personal=words(base.personal, office.personal),
        total_rows=words(base.total_rows, office.total_rows),
        note_rows=words(base.note_rows, office.note_rows),
    )


def rules_vocabulary(directory: Path | None) -> Vocabulary | None:
    """The vocabulary a rules directory reads files with: the bundled one layered with the
    directory's own `intake/vocabulary.yaml`; None when it has none (the bundled one)."""
    if directory is None or directory.resolve() == bundled_rules_dir().resolve():
        return None
    path = directory / VOCABULARY_FILE
    if not path.is_file():
        return None
    return layered(bundled_vocabulary(), load_office_vocabulary(path))


@functools.cache
def bundled_vocabulary() -> Vocabulary:
    """The vocabulary shipped with the rulebook."""
    return load_vocabulary(bundled_rules_dir() / VOCABULARY_FILE)
