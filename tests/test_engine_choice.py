"""One engine choice for the CLI and library callers: choose_engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from sw_policy.checking.engine_choice import AUTO_BYTES, AUTO_RECORDS, choose_engine


def _file(tmp_path: Path, size: int) -> Path:
    path = tmp_path / f"in-{size}.csv"
    path.write_bytes(b"x" * size)
    return path


def test_explicit_engines_are_obeyed(tmp_path: Path) -> None:
    small, big = _file(tmp_path, 10), _file(tmp_path, AUTO_BYTES)
    assert choose_engine("row", [big], layered=False) == "row"
    assert choose_engine("columnar", [small], layered=True) == "columnar"


def test_auto_switches_at_exactly_the_threshold(tmp_path: Path) -> None:
    assert choose_engine("auto", [_file(tmp_path, AUTO_BYTES - 1)], layered=False) == "row"
    assert choose_engine("auto", [_file(tmp_path, AUTO_BYTES)], layered=False) == "columnar"
    halves = [_file(tmp_path, AUTO_BYTES // 2), _file(tmp_path, AUTO_BYTES - AUTO_BYTES // 2)]
    assert choose_engine("auto", halves, layered=False) == "columnar"
    assert choose_engine("auto", AUTO_RECORDS - 1, layered=False) == "row"
    assert choose_engine("auto", AUTO_RECORDS, layered=False) == "columnar"


def test_auto_keeps_layered_rulebooks_and_unreadable_inputs_on_the_row_engine(
    tmp_path: Path,
) -> None:
    assert choose_engine("auto", [_file(tmp_path, AUTO_BYTES)], layered=True) == "row"
    assert choose_engine("auto", AUTO_RECORDS, layered=True) == "row"
    missing = [tmp_path / "absent.csv", _file(tmp_path, AUTO_BYTES)]
    assert choose_engine("auto", missing, layered=False) == "row"


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="auto, row or columnar"):
        choose_engine("fast", 1, layered=False)


def test_the_cli_module_keeps_its_old_names() -> None:
    from sw_policy.checking import engine_choice
    from sw_policy.cli import _check_columnar

    assert _check_columnar.AUTO_BYTES == engine_choice.AUTO_BYTES
    assert _check_columnar.is_large is engine_choice.is_large
