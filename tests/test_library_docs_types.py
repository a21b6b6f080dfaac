"""docs/library.md's examples type-check under mypy --strict, without the pydantic plugin.

What a caller's own CI would run over code pasted from the page. (test_docs.py runs them.)
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def test_library_examples_pass_mypy_strict(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    blocks = BLOCK.findall((REPO / "docs" / "library.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 8
    files = []
    for number, code in enumerate(blocks, start=1):
        path = tmp_path / f"library_example_{number}.py"
        path.write_text(code, encoding="utf-8")
        files.append(str(path))
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\nstrict = True\nwarn_unused_ignores = True\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(config),
            "--cache-dir",
            str(tmp_path / "cache"),
            *files,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
