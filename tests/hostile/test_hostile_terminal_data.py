"""CSV, JSON and JSON Lines reports printed on a terminal: no cell reaches it raw.

Written to a file or a pipe they keep the input's text byte for byte (they are
data); on a terminal each control, line-breaking or direction-changing
character inside a line is escaped, and JSON stays JSON with the same meaning.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from sw_policy.reports.safe_text import escape_lines

HOSTILE_ID = "B\x1b]0;owned\x07\x1b[2J\u202eX"


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "budgets.csv"
    path.write_text(
        f"id,jurisdiction,total_funds,labour_cost\n{HOSTILE_ID},330106,100,71\n", encoding="utf-8"
    )
    return path


def _on_a_terminal(args: list[str]) -> bytes:
    """The CLI's standard output when it is a terminal (a pseudo-terminal here)."""
    main, child = pty.openpty()
    try:
        subprocess.run(
            [sys.executable, "-m", "sw_policy", *args],
            stdout=child,
            stderr=subprocess.DEVNULL,
            check=False,
            timeout=120,
        )
    finally:
        os.close(child)
    out = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    return out


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminal")
@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_a_data_format_on_a_terminal_shows_controls_escaped(tmp_path: Path, fmt: str) -> None:
    args = ["check", str(_csv(tmp_path)), "--as-of", "2024-06-30", "--format", fmt]
    shown = _on_a_terminal(args)
    assert b"\x1b" not in shown and "\u202e".encode() not in shown
    assert b"owned" in shown  # the text is there, made visible
    piped = subprocess.run(
        [sys.executable, "-m", "sw_policy", *args], capture_output=True, check=False, timeout=120
    ).stdout
    assert (b"\x1b]0;owned" if fmt == "csv" else b"owned") in piped  # a pipe gets the data as is
    if fmt == "json":
        assert json.loads(shown.replace(b"\r\n", b"\n")) == json.loads(piped)


def test_escaped_json_lines_mean_the_same() -> None:
    text = json.dumps({"id": HOSTILE_ID + "\x85\u2028"}, ensure_ascii=False) + "\n"
    escaped = escape_lines(text, json=True)
    assert escaped.isascii() or "\u202e" not in escaped
    assert json.loads(escaped) == json.loads(text)
    assert escape_lines("a,\x1b[2J\r\n", json=False) == "a,\\x1b[2J\r\n"
