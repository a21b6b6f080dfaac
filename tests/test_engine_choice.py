"""One engine choice for the CLI and library callers: choose_engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from sw_policy.checking.engine_choice import COLUMNAR_FROM_ROWS, choose_engine, estimated_rows


def _csv(tmp_path: Path, rows: int, name: str = "in") -> Path:
    path = tmp_path / f"{name}-{rows}.csv"
    path.write_bytes(b"x,y\n" * rows)
    return path


def test_explicit_engines_are_obeyed(tmp_path: Path) -> None:
    small, big = _csv(tmp_path, 1), _csv(tmp_path, COLUMNAR_FROM_ROWS)
    assert choose_engine("row", [big], layered=False) == "row"
    assert choose_engine("columnar", [small], layered=True) == "columnar"


def test_auto_switches_at_exactly_the_threshold(tmp_path: Path) -> None:
    below, at = _csv(tmp_path, COLUMNAR_FROM_ROWS - 1), _csv(tmp_path, COLUMNAR_FROM_ROWS)
    assert choose_engine("auto", [below], layered=False) == "row"
    assert choose_engine("auto", [at], layered=False) == "columnar"
    half = COLUMNAR_FROM_ROWS // 2
    halves = [_csv(tmp_path, half, "a"), _csv(tmp_path, COLUMNAR_FROM_ROWS - half, "b")]
    assert choose_engine("auto", halves, layered=False) == "columnar"
    assert choose_engine("auto", COLUMNAR_FROM_ROWS - 1, layered=False) == "row"
    assert choose_engine("auto", COLUMNAR_FROM_ROWS, layered=False) == "columnar"


def test_auto_keeps_layered_rulebooks_and_unreadable_inputs_on_the_row_engine(
    tmp_path: Path,
) -> None:
    assert choose_engine("auto", [_csv(tmp_path, COLUMNAR_FROM_ROWS)], layered=True) == "row"
    assert choose_engine("auto", COLUMNAR_FROM_ROWS, layered=True) == "row"
    assert choose_engine("auto", [tmp_path / "absent.csv"], layered=False) == "row"


def test_counting_stops_once_enough_rows_are_seen(tmp_path: Path) -> None:
    rows = 1_000_000  # 4 MB: four of the 1 MiB chunks it reads at a time
    big = _csv(tmp_path, rows)
    assert 10 <= estimated_rows([big], enough=10) < rows
    assert estimated_rows([big], enough=10**9) == rows


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="auto, row or columnar"):
        choose_engine("fast", 1, layered=False)
