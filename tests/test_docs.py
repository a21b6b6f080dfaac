"""Every Python example in docs/ runs, from the repository root, as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
EXAMPLES = [
    pytest.param(code, id=f"{path.name}-{number}")
    for path in sorted((REPO / "docs").glob("*.md"))
    for number, code in enumerate(BLOCK.findall(path.read_text(encoding="utf-8")), start=1)
]


@pytest.mark.parametrize("code", EXAMPLES)
def test_example_runs(code, monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    # Our own documentation, run as a reader would paste it.
    exec(compile(code, "<docs example>", "exec"), {})
