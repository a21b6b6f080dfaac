"""A small check loads only what it needs: start-up is most of its cost (issue 19).

Speed itself is measured in benchmarks/startup.py, never asserted here; these tests
pin what a 10-row `sw-policy check` imports, which is what start-up is made of.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from sw_policy.cli import main
from sw_policy.cli._lazy import NO_PLUGINS, LazyGroup, pause_collection, resume_collection
from sw_policy.errors import RecordError
from sw_policy.inputs.office_values import office_mapping
from sw_policy.inputs.readers import _format_errors, parse_record
from sw_policy.records import KINDS, Record, map_keys
from sw_policy.reports.text import display_width

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
    "sw_policy.checking.trace",  # only `explain` and --trace trace
    "tomllib",  # only a workspace file is TOML
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


def _ten_rows(tmp_path: Path) -> Path:
    ten = tmp_path / "ten.csv"
    lines = (FIXTURES / "budgets.csv").read_text(encoding="utf-8").splitlines()[:11]
    ten.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ten


def test_a_check_leaves_the_collector_on_and_nothing_frozen(tmp_path: Path) -> None:
    ten = _ten_rows(tmp_path)
    before = gc.get_freeze_count()  # 375 at start-up on CPython 3.12.1, else 0
    for args in (["check", str(ten), "--as-of", "2024-06-30"], ["check", str(tmp_path / "no.csv")]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code in (0, 2), result.output
        assert gc.isenabled() and gc.get_freeze_count() == before


def test_a_caller_that_turned_the_collector_off_keeps_it_off(tmp_path: Path) -> None:
    before = gc.get_freeze_count()
    gc.disable()
    try:
        result = CliRunner().invoke(
            main, ["check", str(_ten_rows(tmp_path)), "--as-of", "2024-06-30"]
        )
        assert result.exit_code == 0, result.output
        assert not gc.isenabled() and gc.get_freeze_count() == before
    finally:
        gc.enable()


def test_start_up_pauses_the_collector_then_freezes_what_it_built() -> None:
    if gc.get_freeze_count():
        pytest.skip("the interpreter froze objects at start-up (CPython 3.12.1): no pause")
    seen: list[tuple[bool, bool]] = []

    @click.command()
    def start() -> None:
        pause_collection()
        seen.append((gc.isenabled(), gc.get_freeze_count() > 0))
        resume_collection()
        seen.append((gc.isenabled(), gc.get_freeze_count() > 0))

    assert CliRunner().invoke(start, []).exit_code == 0
    assert seen == [(False, False), (True, True)]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    pause_collection()  # outside a command: nothing to restore it, so nothing is paused
    assert gc.isenabled()


_CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from(["", "abc", "-1", "0", "1.5", "是", "本科", "2024-13-01", "2024-06-30"]),
    st.sampled_from(["330106", "1000000.00", "750000.00", "budget", "worker", "x" * 300]),
)
_KEYS = st.sampled_from(
    [
        *("id", "jurisdiction", "as_of", "name", "total_funds", "labour_cost", "age", "bogus"),
        *("education", "certificate_registered", "total_fund", "direct_service", "headcount"),
    ]
)


@functools.cache
def _union() -> TypeAdapter[Record]:
    return TypeAdapter(Record)


@settings(max_examples=60, deadline=None)  # the first example builds the validators
@given(
    kind=st.sampled_from([*KINDS, "Budget", ""]),
    data=st.dictionaries(_KEYS, _CELLS, max_size=8),
    office_values=st.booleans(),
)
def test_a_known_kind_validates_as_the_union_would(
    kind: str, data: dict[str, object], office_values: bool
) -> None:
    """parse_record validates a known kind with its model alone (one validator built, not
    five); the record and every message are those of the discriminated union."""

    def outcome(parse: object) -> object:
        try:
            record = parse()  # type: ignore[operator]
        except RecordError as exc:
            return ("rejected", str(exc), exc.record_id)
        return ("record", type(record).__name__, record.model_dump())

    def by_union() -> object:
        given_data: dict[str, object] = {"kind": kind, **data}
        if office_values:
            given_data = office_mapping(given_data)
        try:
            return _union().validate_python(given_data)
        except ValidationError as exc:
            record_id = given_data.get("id")
            raise RecordError(
                _format_errors(exc, kind),
                record_id=None if record_id is None else str(record_id),
            ) from None

    ours = outcome(lambda: parse_record({"kind": kind, **data}, office_values=office_values))
    assert ours == outcome(by_union)


def test_map_keys_gives_a_fresh_table_each_time() -> None:
    keys = map_keys("region")
    assert keys
    keys.clear()
    assert map_keys("region")


@settings(deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_display_width_counts_wide_characters_twice(text: str) -> None:
    expected = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    assert display_width(text) == expected
