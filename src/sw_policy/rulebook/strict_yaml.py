"""A strict, safe YAML reader for rule files.

PyYAML's SafeLoader silently keeps the last of two duplicate keys, reads `0.70`
as a binary float, `no` as False and `2022-12-31` as a date. A drafter's typo
must not vanish and a threshold must stay exact, so this loader refuses
duplicate keys, reads floats as Decimal, accepts only true/false as booleans,
keeps dates as strings (the schema validates them) and remembers the line of
every mapping key and list item so schema errors can name a line.

PyYAML is imported on the first parse, not with this module: a run whose rule
files come from the parse cache (rulebook/parse_cache.py) never imports it.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sw_policy.errors import PolicyError, RuleFileError
from sw_policy.limits import current_limits, read_bounded

__all__ = [
    "LineDict",
    "LineList",
    "check_depth",
    "line_of",
    "load_yaml_file",
    "parse_yaml",
    "read_bytes",
]


class LineDict(dict[Any, Any]):
    """A dict that remembers the 1-based line of itself and of each of its keys."""

    line: int
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A list that remembers the 1-based line of itself and of each item."""

    line: int
    item_lines: list[int]


if TYPE_CHECKING:
    import yaml
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode


@functools.cache
def _strict_loader() -> type[yaml.SafeLoader]:
    """SafeLoader with the changes described in the module docstring (built on first use).

    libyaml's parser when PyYAML was built with it (every PyPI wheel is): the same
    events and line marks as the pure-Python parser, read several times faster.
    """
    import yaml  # noqa: PLC0415 - only a parse needs PyYAML

    safe_loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _StrictLoader(safe_loader):  # type: ignore[valid-type,misc]
        """SafeLoader with the changes described in the module docstring."""

    # Drop the implicit resolvers we do not want, then re-add a strict boolean one.
    dropped = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
    _StrictLoader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in dropped]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _StrictLoader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    _StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
    _StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    _StrictLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
    loader: type[yaml.SafeLoader] = _StrictLoader
    return loader


def _construct_decimal(loader: yaml.SafeLoader, node: ScalarNode) -> Decimal:
    import yaml  # noqa: PLC0415 - loaded already by _strict_loader

    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        return Decimal(text)
    except ArithmeticError as exc:  # .inf / .nan and the like
        raise yaml.constructor.ConstructorError(
            None, None, f"{text!r} is not an exact decimal number", node.start_mark
        ) from exc


def _construct_mapping(loader: yaml.SafeLoader, node: MappingNode) -> LineDict:
    import yaml  # noqa: PLC0415 - loaded already by _strict_loader

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
            brief = f"duplicate key {key!r} (first written at line {result.key_lines[key]})"
            error = yaml.constructor.ConstructorError(
                None, None, f"{brief}; {DUPLICATE_KEY_ADVICE}", key_node.start_mark
            )
            error.brief = brief  # type: ignore[attr-defined]  # parse_yaml codes it duplicate-key
            raise error
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


DUPLICATE_KEY_ADVICE = "remove one of them, YAML would silently keep only the last"


def _construct_sequence(loader: yaml.SafeLoader, node: SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


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


def _too_deep(path: Path) -> RuleFileError:
    limit = current_limits().condition_depth
    return RuleFileError(
        path,
        f"nested more than {limit} conditions deep, beyond the limit condition_depth={limit}",
        hint="raise it with --limit condition_depth=N if the rule is genuine",
    )


def check_depth(data: Any, path: Path) -> None:
    """Refuse data nested beyond the limit condition_depth (parsed now or read from a cache)."""
    if _depth(data) > 2 * current_limits().condition_depth + _RULE_FRAME:
        raise _too_deep(path)


def parse_yaml(raw: bytes, path: Path) -> Any:
    """Parse a rule file's bytes strictly; any problem is a RuleFileError with its line."""
    import yaml  # noqa: PLC0415 - see the module docstring

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleFileError(path, f"not UTF-8 text ({exc.reason})") from exc
    try:
        data = yaml.load(text, Loader=_strict_loader())
    except RecursionError:
        raise _too_deep(path) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or str(exc)
        brief = getattr(exc, "brief", None)  # a duplicate key (_construct_mapping)
        if brief is not None:
            raise RuleFileError(path, reason, line=line, code="duplicate-key", brief=brief) from exc
        if exc.context:
            reason = f"{exc.context}: {reason}"
        raise RuleFileError(path, reason, line=line) from exc
    except yaml.YAMLError as exc:
        raise RuleFileError(path, f"not valid YAML ({exc})") from exc
    check_depth(data, path)
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
