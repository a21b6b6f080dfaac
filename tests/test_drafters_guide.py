"""docs/drafters.md run as written: every `sh` block in a copy of the repository's layout.

Each command is run by the shell from a folder laid out like a checkout
(rules/, fixtures/, docs/, and the source texts in ../shared/sources), with
the installed `sw-policy` on PATH. What the guide shows after a block (the
Markdown rows of a diff, the test summary) must be what the commands print.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, RULES_DIR, bundled_rule_count, sources_dir
from test_drafting_example import add_example

# Runs the guide's shell blocks, independent of the Python version: CI runs it on 3.11 only.
pytestmark = pytest.mark.once

GUIDE = REPO / "docs" / "drafters.md"
TEXT = GUIDE.read_text(encoding="utf-8")
BLOCK = re.compile(r"^( *)```sh\n(.*?)^\1```", re.MULTILINE | re.DOTALL)
BLOCKS = [textwrap.dedent(m.group(2)) for m in BLOCK.finditer(TEXT)]


def _row(rule_id: str) -> str:
    """The guide's own Markdown row for a rule's move."""
    found = re.search(rf"^ *(\| `{re.escape(rule_id)}` \|.*\|)$", TEXT, re.MULTILINE)
    assert found, f"the guide shows no row for {rule_id}"
    return found.group(1)


def _block(first_command: str) -> str:
    (block,) = [b for b in BLOCKS if b.startswith(first_command)]
    return block


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    texts = sources_dir()
    if texts is None:
        pytest.skip("source texts not present")
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(RULES_DIR, repo / "rules")
    shutil.copytree(FIXTURES, repo / "fixtures")
    shutil.copytree(REPO / "docs", repo / "docs")
    shutil.copytree(texts, tmp_path / "shared" / "sources")
    return repo


def run_block(block: str, cwd: Path) -> list[subprocess.CompletedProcess[str]]:
    """Each command line of the block, by the shell, in `cwd`."""
    env = {k: v for k, v in os.environ.items() if k != "SW_POLICY_RULES"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    results = []
    for line in block.splitlines():
        command = line.split("  #")[0].strip()
        if not command:
            continue
        done = subprocess.run(
            ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode in (0, 1), (command, done.stderr)
        results.append(done)
    return results


def test_every_block_is_checked_here():
    firsts = sorted(b.splitlines()[0] for b in BLOCKS)
    assert firsts == sorted(
        [
            "sw-policy init drafting --sources ../shared/sources",
            "mkdir texts && cp ../shared/sources/*.txt docs/examples/county-floor/sources/*.txt "
            "texts/",
            "cp -r rules myrules",
            "mkdir -p .schemas",
        ]
    )


def test_init_block(checkout):
    (init,) = run_block(_block("sw-policy init"), checkout)
    assert init.returncode == 0
    workspace = checkout / "drafting"
    assert (workspace / "sw-policy.toml").is_file()
    assert len(list((workspace / "sources").glob("*.txt"))) == 5
    (lint,) = run_block("sw-policy lint", workspace)
    assert lint.returncode == 0
    assert lint.stdout.startswith("quotes checked against the source texts in")


def test_worked_example_block_at_its_date(checkout, tmp_path):
    shutil.copytree(add_example(tmp_path / "example"), checkout / "myrules")
    _mkdir, lint, test, diff = run_block(_block("mkdir texts"), checkout)
    assert lint.returncode == 0 and lint.stdout.endswith("0 error(s), 0 warning(s)\n")
    assert lint.stdout.startswith("quotes checked")
    assert (
        test.returncode == 0
        and f"all {bundled_rule_count() + 1} rule(s) covered at every goal" in test.stdout
    )
    assert diff.returncode == 0
    assert _row("example-county-2025.labour-cost-floor") in diff.stdout.splitlines()


def test_three_commands_block(checkout):
    _cp, _sed, lint, test, diff = run_block(_block("cp -r rules myrules"), checkout)
    assert lint.returncode == 0
    first, warning, last = lint.stdout.splitlines()
    assert first == "quotes checked against the source texts in ../shared/sources"
    shown = re.search(r"^ *(myrules/\S+: warning\[figure-not-in-quote\][^\n]*\(fix: )", TEXT, re.M)
    assert shown is not None and warning.startswith(shown.group(1))
    assert last == "0 error(s), 1 warning(s)"
    assert test.returncode == 1
    shown = re.search(r"^ *(\d+ case\(s\), \d+ passed, \d+ failed)$", TEXT, re.MULTILINE)
    assert shown is not None and shown.group(1) in test.stdout
    for failing in re.findall(r"^ *(FAIL myrules/tests/[^\n]+)$", TEXT, re.MULTILINE):
        assert failing in test.stdout
    assert diff.returncode == 0
    assert _row("zhejiang-2019.labour-cost-share") in diff.stdout.splitlines()


def test_schema_block(checkout):
    for result in run_block(_block("mkdir -p .schemas"), checkout):
        assert result.returncode == 0
    for name in ("rule-file.json", "rule-test.json"):
        assert json.loads((checkout / ".schemas" / name).read_text(encoding="utf-8"))
