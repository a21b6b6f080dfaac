"""Every curl example in docs/service.md runs against a real server and prints what it shows."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Iterator

import pytest

from conftest import REPO
from server_harness import running
from sw_policy.server.app import ServiceConfig

DOC = REPO / "docs" / "service.md"
ADMIN_TOKEN = "docs-admin-token-0123456789"
"""What the examples' `admin.token` file holds (the server is started with it)."""
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def examples() -> list[tuple[str, str | None]]:
    """(command, expected output or None) for each sh block that calls the server."""
    blocks = [(m.group(1), m.group(2), m.start(), m.end()) for m in BLOCK.finditer(DOC.read_text())]
    found = []
    for index, (lang, body, _, end) in enumerate(blocks):
        if lang != "sh" or "127.0.0.1:8000" not in body:
            continue
        expected = None
        if index + 1 < len(blocks):
            after_lang, after_body, start, _ = blocks[index + 1]
            between = DOC.read_text()[end:start]
            if after_lang in ("json", "text") and not between.strip():
                expected = after_body.strip()
        found.append((body, expected))
    return found


EXAMPLES = examples()


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    config = ServiceConfig(monitor_as_of=dt.date(2024, 6, 30), admin_token=ADMIN_TOKEN)
    with running(config) as url:
        yield url


def test_the_doc_has_examples() -> None:
    assert len(EXAMPLES) >= 6
    assert all(expected for _, expected in EXAMPLES[:1])


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize(("command", "expected"), EXAMPLES)
def test_example_runs_as_written(
    command: str, expected: str | None, base_url: str, tmp_path: object
) -> None:
    script = "set -euo pipefail\n" + command.replace("http://127.0.0.1:8000", base_url)
    (tmp_path / "fixtures").symlink_to(REPO / "fixtures")  # type: ignore[operator]
    (tmp_path / "admin.token").write_text(ADMIN_TOKEN + "\n")  # type: ignore[operator]
    done = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    if expected is not None:
        assert done.stdout.strip() == expected
