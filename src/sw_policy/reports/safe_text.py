"""Text from input files made safe to show on a terminal: control characters escaped.

A record id, sheet name, file name or cell is data. Shown raw, `\\x1b]0;…\\x07`
sets the window title, `\\x1b[2J` clears the screen, a carriage return or line
break prints a forged "Result: …" line, and a bidirectional override reorders
what is read. Each such character is shown as its escape (`\\x1b`, `\\u202e`)
instead, so the reader sees exactly what the file holds.
"""

from __future__ import annotations

import re

__all__ = ["escape_controls", "escape_for_xml", "escape_lines"]

_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """`text` with every control, line-breaking or direction-changing character escaped."""
    return _UNSAFE.sub(_escaped, text)


def _json_escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape_lines(text: str, *, json: bool = False) -> str:
    """`text` with controls escaped in each line, its line breaks kept: a data format
    (CSV, JSON, JSON Lines) printed on a terminal reads as the rows it holds, and no cell
    can move the cursor, retitle the window or forge a line. `json`: as `\\u00XX`, an
    escape that leaves the JSON meaning the same."""
    out = []
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        safe = _UNSAFE.sub(_json_escaped, body) if json else escape_controls(body)
        out.append(safe + line[len(body) :])
    return "".join(out)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape_for_xml(text: str) -> str:
    """`text` with the characters XML 1.0 cannot hold (so no XLSX cell can) escaped."""
    return _NOT_XML.sub(_escaped, text)
