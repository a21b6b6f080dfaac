"""A strict, safe YAML reader for rule files.

PyYAML's SafeLoader silently keeps the last of two duplicate keys, reads `0.70`
as a binary float, `no` as False and `2022-12-31` as a date. A drafter's typo
must not vanish and a threshold must stay exact, so this loader refuses
duplicate keys, reads floats as Decimal, accepts only true/false as booleans,
keeps dates as strings (the schema validates them) and remembers the line of
every mapping key and list item so schema errors can name a line.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from sw_policy.errors import PolicyError, RuleFileError
from sw_policy.limits import current_limits, read_bounded

__all__ = ["LineDict", "LineList", "line_of", "load_yaml_file", "parse_yaml", "read_bytes"]


class LineDict(dict[Any, Any]):
    """A dict that remembers the 1-based line of itself and of each of its keys."""

    line: int
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A list that remembers the 1-based line of itself and of each item."""

    line: int
    item_lines: list[int]


# libyaml's parser when PyYAML was built with it (every PyPI wheel is): the same
# events and line marks as the pure-Python parser, read several times faster.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader with the changes described in the module docstring."""


# Drop the implicit resolvers we do not want, then re-add a strict boolean one.
_DROPPED_TAGS = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_decimal(loader: _StrictLoader, node: ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        return Decimal(text)
    except ArithmeticError as exc:  # .inf / .nan and the like
        raise yaml.constructor.ConstructorError(
            None, None, f"{text!r} is not an exact decimal number", node.start_mark
        ) from exc


def _construct_mapping(loader: _StrictLoader, node: MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from exc
        if key in result:
            raise _DuplicateKey(
                f"duplicate key {key!r} (first written at line {result.key_lines[key]})",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


class _DuplicateKey(yaml.constructor.ConstructorError):
    """A key written twice in one mapping; `brief` names it and its first line."""

    def __init__(self, brief: str, mark: yaml.Mark) -> None:
        super().__init__(None, None, f"{brief}; {DUPLICATE_KEY_ADVICE}", mark)
        self.brief = brief


DUPLICATE_KEY_ADVICE = "remove one of them, YAML would silently keep only the last"


def _construct_sequence(loader: _StrictLoader, node: SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


_RULE_FRAME = 8
"""YAML levels around a rule's condition (file, rules, rule, when...); a condition
nesting level takes two (a mapping holding a list)."""


def read_bytes(path: Path) -> bytes:
    """A rule file's bytes, read once: they are both parsed and hashed.

    Bounded by its own limit, rule_bytes (not the input files' file_bytes): a rule
    file linked to /dev/zero is refused, and a low --limit file_bytes still reads the rules.
    """
    try:
        return read_bounded(path, "rule_bytes")
    except FileNotFoundError as exc:
        raise RuleFileError(path, "file not found") from exc
    except OSError as exc:
        raise RuleFileError(path, f"cannot be read ({exc.strerror})") from exc
    except PolicyError as exc:
        raise RuleFileError(path, str(exc).removeprefix(f"{path}: ")) from None


def _depth(data: Any) -> int:
    """How deeply mappings and lists nest in `data` (iteratively: no recursion)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: list[Any] = list(node.values())
        elif isinstance(node, list):
            children = list(node)
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def load_yaml_file(path: Path) -> Any:
    """Read and parse one YAML file strictly."""
    return parse_yaml(read_bytes(path), path)


def parse_yaml(raw: bytes, path: Path) -> Any:
    """Parse a rule file's bytes strictly; any problem is a RuleFileError with its line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleFileError(path, f"not UTF-8 text ({exc.reason})") from exc
    limit = current_limits().condition_depth
    too_deep = RuleFileError(
        path,
        f"nested more than {limit} conditions deep, beyond the limit condition_depth={limit}",
        hint="raise it with --limit condition_depth=N if the rule is genuine",
    )
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except RecursionError:
        raise too_deep from None
    except _DuplicateKey as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
        reason = exc.problem or exc.brief
        raise RuleFileError(path, reason, line=line, code="duplicate-key", brief=exc.brief) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or str(exc)
        if exc.context:
            reason = f"{exc.context}: {reason}"
        raise RuleFileError(path, reason, line=line) from exc
    except yaml.YAMLError as exc:
        raise RuleFileError(path, f"not valid YAML ({exc})") from exc
    if _depth(data) > 2 * limit + _RULE_FRAME:
        raise too_deep
    return data


def line_of(data: Any, loc: tuple[int | str, ...]) -> int | None:
    """The line of the deepest element of `data` that `loc` (a pydantic error path) reaches."""
    line: int | None = getattr(data, "line", None)
    node = data
    for step in loc:
        if isinstance(node, LineDict) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        elif isinstance(node, LineDict):
            continue  # a discriminator tag or union member name in the path: skip it
        else:
            break
    return line
