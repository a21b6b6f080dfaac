"""A small check loads only what it needs: start-up is most of its cost (issue 19).

Speed itself is measured in benchmarks/startup.py, never asserted here; these tests
pin what a 10-row `sw-policy check` imports, which is what start-up is made of.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sw_policy.cli import main
from sw_policy.cli._lazy import NO_PLUGINS, LazyGroup

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# Run the CLI in a fresh interpreter, then list the modules it imported.
_PROBE = """
import json, sys
from sw_policy.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    sys.__stdout__.write("\\n@@" + json.dumps(sorted(sys.modules)))
"""

NEVER_FOR_A_SMALL_CHECK = (
    "polars",
    "pyarrow",
    "pandas",
    "fastapi",
    "uvicorn",
    "starlette",
    "openpyxl",
    "sw_policy.drafting",
    "sw_policy.server",
    "sw_policy.engines.columnar",
    "sw_policy.engines.stream",
    "sw_policy.checking.columnar",
    "sw_policy.checking.columnar_batches",
    "sw_policy.inputs.csv_chunks",
)


def _imported(tmp_path: Path, *args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert "@@" in result.stdout, result.stderr
    return set(json.loads(result.stdout.rsplit("@@", 1)[1]))


@pytest.mark.once
def test_a_ten_row_check_imports_only_the_row_path(tmp_path: Path) -> None:
    ten = tmp_path / "ten.csv"
    lines = (FIXTURES / "budgets.csv").read_text(encoding="utf-8").splitlines()[:11]
    ten.write_text("\n".join(lines) + "\n", encoding="utf-8")
    modules = _imported(tmp_path, "check", str(ten), "--as-of", "2024-06-30")
    assert "sw_policy.engines.row" in modules  # the run did judge the file
    loaded = sorted(
        name
        for name in modules
        for heavy in NEVER_FOR_A_SMALL_CHECK
        if name == heavy or name.startswith(heavy + ".")
    )
    assert loaded == []
    commands = {name for name in modules if name.startswith("sw_policy.cli._")}
    others = {f"sw_policy.cli.{m.split(':')[0][1:]}" for m in main.lazy.values()} - {
        "sw_policy.cli._check"
    }
    assert commands & others == set()


def test_the_lazy_group_lists_every_command_without_importing_one() -> None:
    group = LazyGroup(name="g", lazy={"b": "._init:init", "a": "._lint:lint"})
    context = click.Context(group)
    assert group.list_commands(context) == ["a", "b"]
    assert group.commands == {}
    command = group.get_command(context, "a")
    assert command is not None and command.name == "lint"
    assert list(group.commands) == ["a"]
    assert group.get_command(context, "nope") is None


def test_every_lazy_command_is_the_command_of_its_name() -> None:
    context = click.Context(main)
    for name in main.lazy:
        command = main.get_command(context, name)
        assert command is not None and command.name == name


def _plugins_seen() -> click.Group:
    """A lazy group whose one command prints the plugin variable as the command sees it."""
    group = LazyGroup(name="g")

    @group.command()
    def show() -> None:
        click.echo(os.environ.get(NO_PLUGINS[0], "<unset>"))

    return group


def test_a_command_runs_with_pydantic_plugins_off_then_the_variable_goes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(NO_PLUGINS[0], raising=False)
    result = CliRunner().invoke(_plugins_seen(), ["show"])
    assert result.exit_code == 0 and result.output == NO_PLUGINS[1] + "\n"
    assert NO_PLUGINS[0] not in os.environ  # an in-process caller keeps its plugins


def test_a_plugin_variable_the_user_set_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NO_PLUGINS[0], "logfire")
    result = CliRunner().invoke(_plugins_seen(), ["show"])
    assert result.output == "logfire\n"
    assert os.environ[NO_PLUGINS[0]] == "logfire"
