"""`sw-policy init DIR`: a drafting workspace where the rulebook in use is never a surprise.

The workspace holds a copy of the rulebook (rules/, with its tests), a place
for the source texts (sources/), a `sw-policy.toml` that makes every command
run inside it use that copy (and name it on its first line), a `pytest.ini`
so `pytest rules/tests` runs anywhere, and a README of the three-command loop.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sw_policy.errors import PolicyError
from sw_policy.rulebook.location import WORKSPACE_FILE

__all__ = ["README", "init_workspace"]

CONFIG = """\
# A sw-policy drafting workspace: commands run here (or below) use these folders.
[sw-policy]
rules = "rules"
sources = "sources"
"""

PYTEST_INI = """\
# `pytest rules/tests` runs each rule-test case as a test item (the sw-policy plugin).
[pytest]
addopts = -ra
"""

SOURCES_NOTE = """\
Put the source texts here, one plain-text file per document, named as `text:`
in rules/sources.yaml says (<source-id>.txt). `sw-policy lint` then checks that
every rule's quote is verbatim in its source; without them it says the quotes
were NOT verified.
"""

README = """\
# A sw-policy drafting workspace

Every command run in this folder uses `rules/` here (its first line on standard
error says so: `sw-policy: rulebook …/rules (from …/sw-policy.toml)`), not the
rulebook bundled with sw-policy, which stays the "before" of every diff.

- `rules/`: the rulebook: `sources.yaml`, one file per source, `tests/`.
- `sources/`: the source texts (`<source-id>.txt`), so lint can verify quotes.

## The loop: lint → test → diff

Edit a figure (say `max_share: {value: 0.70` → `0.75` in
`rules/zhejiang-2019-draft.yaml`), then:

```sh
sw-policy lint                    # well formed? quotes in their sources? contradictions?
sw-policy test                    # the rule tests the change bites fail, with file and line
sw-policy diff RECORDS.csv --as-of 2024-06-30 --format html -o impact.html
```

`diff` judges your records with the bundled rulebook (before) and this one
(after) and lists, per rule, the records that move (fail → pass …); the HTML
page is self-contained, to show or send; `--format md` gives a memo.

Then update the rule tests to the new figure, and `sw-policy test` passes again.
In CI: `sw-policy test --junit rule-tests.xml --fail-under 100`, or
`pytest rules/tests`.
"""


def init_workspace(target: Path, rules: Path, sources: Path | None = None) -> list[Path]:
    """Create the workspace at `target` (missing or empty); the paths written, sorted."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise PolicyError(f"{target}: already exists and is not empty; choose a new folder")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(
        rules, target / "rules", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.ini")
    )
    (target / "sources").mkdir()
    if sources is not None:
        for text in sorted(sources.glob("*.txt")):
            shutil.copy2(text, target / "sources" / text.name)
    (target / "sources" / "README.md").write_text(SOURCES_NOTE, encoding="utf-8")
    (target / WORKSPACE_FILE).write_text(CONFIG, encoding="utf-8")
    (target / "pytest.ini").write_text(PYTEST_INI, encoding="utf-8")
    (target / "README.md").write_text(README, encoding="utf-8")
    return sorted(p for p in target.rglob("*") if p.is_file())
