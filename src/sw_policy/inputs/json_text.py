"""JSON and JSON Lines text read strictly, so no record is lost or changed silently.

- JSON Lines are split on "\\n" only: `json.dumps(ensure_ascii=False)` writes
  U+2028, U+0085 and the like raw inside strings, and `str.splitlines` would
  cut a record there.
- A key given twice in one object is reported (json keeps the last silently).
- Numbers are exact Decimals; a very long integer becomes a Decimal too, for
  the records' range check to refuse (Python's int() refuses beyond 4300 digits).
- Nesting deeper than the json_depth limit is refused before parsing (Python's
  parser would recurse until RecursionError).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from sw_policy.limits import current_limits

__all__ = [
    "DuplicateKeys",
    "TooDeepError",
    "duplicate_keys",
    "json_depth",
    "loads",
    "loads_noting_repeats",
    "physical_lines",
]

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")
_SHORT_INT = 40
_SURROGATE = re.compile("[\ud800-\udfff]")
# ASCII other than quotes and brackets, deleted (other text stays: it is no bracket).
_ONLY_QUOTES_AND_BRACKETS = dict.fromkeys(i for i in range(128) if chr(i) not in '"[]{}')


class TooDeepError(ValueError):
    """JSON nested beyond the json_depth limit."""


class DuplicateKeys(dict[str, Any]):
    """A JSON object in which some key occurs more than once (the last value kept)."""

    duplicates: tuple[str, ...] = ()


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) == len(pairs):  # no key repeated (the common case, at C speed)
        return out
    repeated: list[str] = []
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen and key not in repeated:
            repeated.append(key)
        seen.add(key)
    flagged = DuplicateKeys(out)
    flagged.duplicates = tuple(repeated)
    return flagged


def _int(text: str) -> int | Decimal:
    return int(text) if len(text) <= _SHORT_INT else Decimal(text)


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text` (strings skipped)."""
    brackets = _BRACKETS.findall(_outside_strings(text))
    depth = deepest = 0
    for bracket in brackets:
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _outside_strings(text: str) -> str:
    """`text` with every string's contents left out. Without a backslash, and with the quotes
    paired, strings run from each quote to the next: splitting on quotes finds them as the
    pattern does, twenty times faster on a large array."""
    if "\\" in text or text.count('"') % 2:
        return _STRING.sub('""', text)
    syntax = text.translate(_ONLY_QUOTES_AND_BRACKETS)  # most pieces between quotes are ""
    return "".join(syntax.split('"')[::2])


def loads(text: str) -> Any:
    """Parse JSON text; ValueError (json.JSONDecodeError for syntax) saying why not."""
    return _loads(text, _decoders().plain)


def loads_noting_repeats(text: str) -> tuple[Any, bool]:
    """loads(text), and whether some object in it repeats a key (a DuplicateKeys in it).

    Saves a caller that refuses repeated keys a walk over every parsed line.
    """
    decoders = _decoders()
    decoders.repeats.clear()
    data = _loads(text, decoders.noting)
    return data, bool(decoders.repeats)


class _Decoders:
    """This thread's decoders, made once: json.loads(text, **options) makes one per call,
    about a tenth of parsing a short line. `noting` notes a repeated key in `repeats`."""

    def __init__(self) -> None:
        self.repeats: list[bool] = []

        def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
            out = _pairs(items)
            if type(out) is DuplicateKeys:
                self.repeats.append(True)
            return out

        self.plain = _decoder(_pairs)
        self.noting = _decoder(pairs)


def _decoder(pairs: Callable[[list[tuple[str, Any]]], dict[str, Any]]) -> json.JSONDecoder:
    return json.JSONDecoder(parse_float=Decimal, parse_int=_int, object_pairs_hook=pairs)


_local = threading.local()


def _decoders() -> _Decoders:
    decoders: _Decoders | None = getattr(_local, "decoders", None)
    if decoders is None:
        decoders = _local.decoders = _Decoders()
    return decoders


def _loads(text: str, decoder: json.JSONDecoder) -> Any:
    limit = current_limits().json_depth
    if text.count("[") + text.count("{") > limit and json_depth(text) > limit:
        raise TooDeepError(f"nested more than {limit} levels deep")
    if text.startswith("\ufeff"):  # as json.loads refuses it
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    try:
        return decoder.decode(text)
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise ValueError("nested too deeply") from None


def duplicate_keys(data: Any, where: str = "") -> list[str]:
    """One "field: given more than once" per key repeated in an object of `data`."""
    found: list[str] = []
    prefix = f"{where}." if where else ""
    if isinstance(data, DuplicateKeys):
        found += [
            f"{prefix}{key}: given more than once in one object; keep one"
            for key in data.duplicates
        ]
    if isinstance(data, dict):
        for key, value in data.items():
            found += duplicate_keys(value, f"{prefix}{key}")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found += duplicate_keys(item, f"{where}.{index}")
    return found


def long_strings(data: Any, where: str = "") -> list[str]:
    """One "field: reason" per string in `data` beyond the cell_chars limit, or holding
    a lone surrogate (`"\\ud800"` is valid JSON but no text: no report could show it)."""
    limit = current_limits().cell_chars
    prefix = f"{where}." if where else ""
    if isinstance(data, str):
        name = where or "record"
        if len(data) > limit:
            return [
                f"{name}: {len(data)} characters, beyond the limit "
                f"cell_chars={limit} (raise it with --limit cell_chars=N)"
            ]
        return [f"{name}: holds a lone surrogate, not text"] if _SURROGATE.search(data) else []
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if _SURROGATE.search(key):
                found.append(f"{prefix}{shown(key)}: a key holding a lone surrogate, not text")
                continue
            found += long_strings(value, f"{prefix}{key}")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found += long_strings(item, f"{prefix}{index}")
    return found


def shown(text: str) -> str:
    """`text` with lone surrogates written as escapes, so it can be encoded."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def physical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) split on "\\n" only (a "\\r" before it dropped)."""
    for number, line in enumerate(text.split("\n"), start=1):
        yield number, line.removesuffix("\r")
