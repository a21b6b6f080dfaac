"""Which rules directory a command uses, and why: never a surprise.

A command names its rulebook before it does anything. The choice, first match
wins: an explicit `--rules DIR`; the `SW_POLICY_RULES` environment variable; a
drafting workspace (a `sw-policy.toml` in the working directory or above it,
made by `sw-policy init`); else the rulebook bundled with the package. When
the bundled one is used inside a checkout whose `rules/` differs from it, the
caller is told, because an edit there would otherwise change nothing.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sw_policy.errors import RuleFileError
from sw_policy.rulebook.loader import SOURCES_FILE, bundled_rules_dir
from sw_policy.rulebook.strict_yaml import read_bytes

__all__ = [
    "ENV_VAR",
    "WORKSPACE_FILE",
    "RulesChoice",
    "choose_rules_dir",
    "find_workspace",
    "rules_digest",
    "unused_local_rules",
    "workspace_sources",
]

ENV_VAR = "SW_POLICY_RULES"
WORKSPACE_FILE = "sw-policy.toml"


@dataclass(frozen=True)
class RulesChoice:
    """A rules directory and the reason it was chosen (for the command's first line)."""

    path: Path
    how: str  # "bundled" | "--rules" | "SW_POLICY_RULES" | the workspace file's path
    explicit: bool = False  # named on the command line

    @property
    def bundled(self) -> bool:
        return self.how == "bundled"

    def describe(self) -> str:
        """One line: `bundled (PATH)`, or the path and where it was named."""
        if self.bundled:
            return f"bundled ({self.path})"
        return f"{self.path} (from {self.how})"


def find_workspace(start: Path) -> Path | None:
    """The nearest `sw-policy.toml` at or above `start`, if any."""
    for folder in (start, *start.parents):
        candidate = folder / WORKSPACE_FILE
        if candidate.is_file():
            return candidate
    return None


def _workspace_setting(config: Path, key: str, default: str) -> Path:
    """A directory setting of a workspace file, relative to the file."""
    import tomllib  # noqa: PLC0415 (only a workspace file is TOML)

    try:
        data = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RuleFileError(config, f"cannot read the workspace file: {exc}") from exc
    table = data.get("sw-policy", data)
    value = table.get(key, default) if isinstance(table, dict) else default
    if not isinstance(value, str):
        raise RuleFileError(config, f"`{key}` must be a directory name in quotes")
    return config.parent / value


def workspace_sources(cwd: Path | None = None) -> Path | None:
    """The source-text directory of the workspace around `cwd` (None outside one)."""
    config = find_workspace(cwd or Path.cwd())
    return None if config is None else _workspace_setting(config, "sources", "sources")


def choose_rules_dir(
    explicit: Path | None,
    *,
    flag: str = "--rules",
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> RulesChoice:
    """The rules directory a command uses: --rules, $SW_POLICY_RULES, a workspace, bundled."""
    if explicit is not None:
        return RulesChoice(Path(explicit), flag, explicit=True)
    env = os.environ if environ is None else environ
    named = env.get(ENV_VAR, "").strip()
    if named:
        return RulesChoice(Path(named), ENV_VAR)
    config = find_workspace(cwd or Path.cwd())
    if config is not None:
        return RulesChoice(_workspace_setting(config, "rules", "rules"), str(config))
    return RulesChoice(bundled_rules_dir(), "bundled")


def rules_digest(directory: Path) -> str:
    """SHA-256 over every YAML file of a rules directory (tests included), by relative path."""
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*.yaml")):
        digest.update(path.relative_to(directory).as_posix().encode("utf-8") + b"\0")
        digest.update(read_bytes(path) + b"\0")  # bounded by rule_bytes, devices refused
    return digest.hexdigest()


def unused_local_rules(choice: RulesChoice, cwd: Path | None = None) -> Path | None:
    """`./rules` when the bundled rulebook is used but that folder differs from it."""
    local = (cwd or Path.cwd()) / "rules"
    if not choice.bundled or not (local / SOURCES_FILE).is_file():
        return None
    if local.resolve() == choice.path.resolve():
        return None
    try:
        return local if rules_digest(local) != rules_digest(choice.path) else None
    except RuleFileError:  # a file there cannot be read as a rule file: it differs
        return local
