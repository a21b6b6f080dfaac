"""The decision log (`--decision-log FILE`): one JSON line per request, for audit.

Each line: time (UTC), request id, method, path, status, error code, engine
version, rulebook sha256, as-of, input digest (sha256 of the body), outcome
counts, failing rule ids and the failing records' ids with personal
identifiers masked (an ID-card or phone number used as an id shows as
`3301**********1234`). Rotation is by size: past `max_bytes` the file is
renamed FILE.1 (FILE.1 to FILE.2 …, `keep` files kept) and a new FILE begun;
a file moved away by logrotate is noticed and reopened at the next line.
"""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Any

__all__ = ["MASKED_FIELDS", "DecisionLog", "mask_identifiers"]

MASKED_FIELDS = frozenset({"failing_records", "path"})
"""The fields that may carry what a client typed (ids, a path). Digests and the request
id (32 random hex digits made by the server) are left alone: masking a digit run in a
request id would break its link to the response's x-request-id."""

# 18-digit (or 15-digit) resident ID numbers, mainland mobile numbers (11 digits from 1),
# and landlines with an area code: the digits in between are masked.
_IDENTIFIER = re.compile(
    r"(?<![0-9])(?:[1-9][0-9]{16}[0-9Xx]|[1-9][0-9]{14}|1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})"
    r"(?![0-9])"
)


def _mask(match: re.Match[str]) -> str:
    text = match.group(0)
    keep = 4 if len(text) > 11 else 3
    return text[:keep] + "*" * (len(text) - keep - 4) + text[-4:]


def mask_identifiers(text: str) -> str:
    """`text` with every ID-card and phone number masked (the first and last digits kept)."""
    return _IDENTIFIER.sub(_mask, text)


class DecisionLog:
    """An append-only JSON-lines file, rotated by size; safe to call from many threads."""

    def __init__(self, path: Path, *, max_bytes: int = 100 << 20, keep: int = 5) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.keep = keep
        self._lock = threading.Lock()
        self._handle = self._open()

    def _open(self) -> Any:
        return self.path.open("ab")

    def write(self, entry: dict[str, Any]) -> None:
        """Append one entry as a line (ids masked), rotating first if the file is full."""
        shown = {k: _masked(v) if k in MASKED_FIELDS else v for k, v in entry.items()}
        line = json.dumps(shown, ensure_ascii=False, sort_keys=True) + "\n"
        data = line.encode("utf-8")
        with self._lock:
            if self._moved_away():
                self._handle.close()
                self._handle = self._open()
            if self._handle.tell() and self._handle.tell() + len(data) > self.max_bytes:
                self._rotate()
            self._handle.write(data)
            self._handle.flush()

    def _moved_away(self) -> bool:
        try:
            on_disk = self.path.stat()
        except FileNotFoundError:
            return True
        mine = os.fstat(self._handle.fileno())
        return (on_disk.st_dev, on_disk.st_ino) != (mine.st_dev, mine.st_ino)

    def _rotate(self) -> None:
        self._handle.close()
        for index in range(self.keep - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{index}")
            if older.exists():
                older.replace(self.path.with_name(f"{self.path.name}.{index + 1}"))
        if self.keep > 0:
            self.path.replace(self.path.with_name(f"{self.path.name}.1"))
        else:
            self.path.unlink()
        self._handle = self._open()

    def close(self) -> None:
        with self._lock:
            self._handle.close()


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_identifiers(value)
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(v) for v in value]
    return value
