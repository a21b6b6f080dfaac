"""Parsed rule files kept as plain JSON, so a small check need not parse YAML.

Parsing the rule and vocabulary files (and importing PyYAML to do it) was the
largest cost of loading the rulebook, and the bytes rarely change between runs.
A file's parsed data is cached under the sha256 of the package version, this
format and the file's bytes: editing a rule file, or upgrading sw-policy,
simply misses. The cache holds data, never code: JSON of plain values (strings,
integers, booleans, null, lists, mappings (keys are text or integers) and exact
decimals written as JSON numbers and read back as Decimal), and what is read from it is validated
exactly as a parse would be. It lives in `$XDG_CACHE_HOME/sw-policy` (default
`~/.cache/sw-policy`), written atomically; an unreadable, corrupt or unwritable
cache is ignored. `SW_POLICY_NO_CACHE=1` turns it off.

Cached data carries no line numbers, so a caller whose checks fail on cached
data parses again (`parse_rule_bytes(..., cached=False)`) to name the line.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from sw_policy._version import __version__
from sw_policy.rulebook.strict_yaml import check_depth, parse_yaml

__all__ = ["CACHE_FORMAT", "DISABLE_VAR", "cache_dir", "parse_rule_bytes"]

CACHE_FORMAT = 1
DISABLE_VAR = "SW_POLICY_NO_CACHE"
_MARK = "\x00D"  # a decimal while encoding; no cached string holds NUL, so it is unambiguous
_INT_KEY = "\x00I"  # an integer mapping key (a lookup table's grade 5, say), as JSON text
_MARKED = re.compile(r'"\\u0000D([-+0-9.eE]+)"')


def cache_dir() -> Path | None:
    """Where parsed files are cached, or None when the cache is turned off."""
    if os.environ.get(DISABLE_VAR, "").strip() not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if base and Path(base).is_absolute():
        root = Path(base)
    else:
        try:
            root = Path.home() / ".cache"
        except (RuntimeError, KeyError):  # no home directory to be found: no cache
            return None
    return root / "sw-policy" / "parsed"


def parse_rule_bytes(raw: bytes, path: Path, *, cached: bool = True) -> Any:
    """`parse_yaml(raw, path)`, from the cache when these bytes were parsed before."""
    directory = cache_dir() if cached else None
    if directory is None:
        return parse_yaml(raw, path)
    key = hashlib.sha256(
        f"sw-policy {__version__} parse-cache {CACHE_FORMAT}\0".encode() + raw
    ).hexdigest()
    entry = directory / f"{key}.json"
    data = _read(entry)
    if data is not None:
        check_depth(data, path)  # the limit in force now, not the one when it was cached
        return data
    data = parse_yaml(raw, path)
    _write(entry, data)
    return data


def _read(entry: Path) -> dict[str, Any] | None:
    """The cached mapping, or None when missing, unreadable or not what we wrote."""
    try:
        text = entry.read_text(encoding="utf-8")
        data = json.loads(text, parse_float=Decimal, object_pairs_hook=_mapping)
    except (OSError, ValueError, RecursionError):  # missing, unreadable, corrupt
        return None
    return data if isinstance(data, dict) else None


def _mapping(pairs: list[tuple[str, Any]]) -> dict[Any, Any]:
    """A JSON object as the parsed mapping: integer keys restored."""
    return {int(k[2:]) if k.startswith(_INT_KEY) else k: v for k, v in pairs}


def _write(entry: Path, data: Any) -> None:
    """Store `data` if it is plain enough to come back identical; never fail the run."""
    try:
        encoded = _encodable(data)
        if encoded is None or not isinstance(data, dict):
            return
        text = _MARKED.sub(r"\1", json.dumps(encoded, ensure_ascii=True, separators=(",", ":")))
    except RecursionError:  # nested deeper than the default limit allows: not worth caching
        return
    import tempfile  # noqa: PLC0415 (a warm cache is read, never written)

    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".tmp")
        temporary = Path(name)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            temporary.replace(entry)  # atomic: a reader sees the old entry or the whole new one
        except BaseException:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
    except OSError:
        return


def _encodable(node: Any) -> Any:
    """`node` with decimals marked for JSON, or None if JSON could not give it back exactly.

    That is: a mapping key that is not text or an integer, text holding NUL, or a decimal whose
    text has neither a point nor an exponent (JSON would read it back as an integer).
    """
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if isinstance(key, int) and not isinstance(key, bool):
                name = f"{_INT_KEY}{key}"
            elif isinstance(key, str) and "\x00" not in key:
                name = key
            else:
                return None
            encoded = _encodable(value)
            if encoded is None and value is not None:
                return None
            out[name] = encoded
        return out
    if isinstance(node, list):
        items = []
        for value in node:
            encoded = _encodable(value)
            if encoded is None and value is not None:
                return None
            items.append(encoded)
        return items
    if isinstance(node, Decimal):
        text = str(node)
        return _MARK + text if node.is_finite() and any(c in text for c in ".eE") else None
    if isinstance(node, str):
        return None if "\x00" in node else node
    if node is None or isinstance(node, bool | int):
        return node
    return None
