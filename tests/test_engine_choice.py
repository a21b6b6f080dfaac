"""One engine choice for the CLI and library callers: choose_engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from sw_policy.checking.engine_choice import (
    COLUMNAR_FROM_ROWS,
    COLUMNAR_FROM_ROWS_COLD,
    DICTS_COLUMNAR_FROM_ROWS,
    JSON_COLUMNAR_FROM_ROWS,
    choose_engine,
    estimated_rows,
)


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
    assert choose_engine("auto", [below], layered=False, polars_loaded=True) == "row"
    assert choose_engine("auto", [at], layered=False, polars_loaded=True) == "columnar"
    half = COLUMNAR_FROM_ROWS // 2
    halves = [_csv(tmp_path, half, "a"), _csv(tmp_path, COLUMNAR_FROM_ROWS - half, "b")]
    assert choose_engine("auto", halves, layered=False, polars_loaded=True) == "columnar"
    assert choose_engine("auto", COLUMNAR_FROM_ROWS - 1, layered=False) == "row"
    assert choose_engine("auto", COLUMNAR_FROM_ROWS, layered=False) == "columnar"


def test_auto_keeps_layered_rulebooks_and_unreadable_inputs_on_the_row_engine(
    tmp_path: Path,
) -> None:
    big = _csv(tmp_path, COLUMNAR_FROM_ROWS_COLD)
    assert choose_engine("auto", [big], layered=True, polars_loaded=True) == "row"
    assert choose_engine("auto", COLUMNAR_FROM_ROWS, layered=True) == "row"
    assert choose_engine("auto", [tmp_path / "absent.csv"], layered=False) == "row"
    assert choose_engine("auto", [tmp_path / "absent.json"], layered=False) == "row"


def test_counting_stops_once_enough_rows_are_seen(tmp_path: Path) -> None:
    rows = 1_000_000  # 4 MB: four of the 1 MiB chunks it reads at a time
    big = _csv(tmp_path, rows)
    assert 10 <= estimated_rows([big], enough=10) < rows
    assert estimated_rows([big], enough=10**9) == rows


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="auto, row or columnar"):
        choose_engine("fast", 1, layered=False)


def test_a_fresh_process_pays_for_polars_so_csv_crosses_later(tmp_path: Path) -> None:
    """Without Polars loaded, the columnar run also imports it: the CSV crossover is higher."""
    assert COLUMNAR_FROM_ROWS < COLUMNAR_FROM_ROWS_COLD
    below = _csv(tmp_path, COLUMNAR_FROM_ROWS_COLD - 1)
    at = _csv(tmp_path, COLUMNAR_FROM_ROWS_COLD, "at")
    assert choose_engine("auto", [below], layered=False, polars_loaded=False) == "row"
    assert choose_engine("auto", [at], layered=False, polars_loaded=False) == "columnar"
    assert choose_engine("auto", [below], layered=False, polars_loaded=True) == "columnar"
    # Records in hand are a frame: Polars (or pandas, Arrow) is loaded by the caller.
    assert choose_engine("auto", COLUMNAR_FROM_ROWS, layered=False, polars_loaded=False) == (
        "columnar"
    )


def _json(tmp_path: Path, records: int, name: str = "in") -> Path:
    path = tmp_path / f"{name}-{records}.json"
    body = ",\n".join(f'  {{"id": "B{i}", "total_funds": 1}}' for i in range(records))
    path.write_text("[\n" + body + "\n]\n", encoding="utf-8")
    return path


def test_json_files_are_counted_by_record_and_cross_late(tmp_path: Path) -> None:
    assert estimated_rows([_json(tmp_path, 7)], enough=100) == 7
    below = _json(tmp_path, JSON_COLUMNAR_FROM_ROWS - 1)
    at = _json(tmp_path, JSON_COLUMNAR_FROM_ROWS, "at")
    for warm in (True, False):
        assert choose_engine("auto", [below], layered=False, polars_loaded=warm) == "row"
        assert choose_engine("auto", [at], layered=False, polars_loaded=warm) == "columnar"
    lines = tmp_path / "in.jsonl"
    lines.write_bytes(b'{"id": "B"}\n' * (JSON_COLUMNAR_FROM_ROWS - 1))
    assert choose_engine("auto", [lines], layered=False, polars_loaded=True) == "row"


def test_mixed_inputs_add_up_as_fractions_of_their_crossovers(tmp_path: Path) -> None:
    half_csv = _csv(tmp_path, COLUMNAR_FROM_ROWS_COLD // 2)
    half_json = _json(tmp_path, JSON_COLUMNAR_FROM_ROWS // 2)
    assert choose_engine("auto", [half_csv], layered=False, polars_loaded=False) == "row"
    assert choose_engine("auto", [half_json], layered=False, polars_loaded=False) == "row"
    both = [half_csv, half_json]
    assert choose_engine("auto", both, layered=False, polars_loaded=False) == "columnar"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_named_like_json_or_csv_is_not_read(tmp_path: Path) -> None:
    """/dev/zero behind data.json never ends and holds no `{`: it must not be counted."""
    for name in ("zero.json", "zero.csv", "zero.jsonl"):
        link = tmp_path / name
        link.symlink_to("/dev/zero")
        assert estimated_rows([link], enough=10) == 0
        assert choose_engine("auto", [link], layered=False, polars_loaded=True) == "row"


def test_records_in_hand_cross_over_by_what_they_are() -> None:
    """A frame from COLUMNAR_FROM_ROWS rows, a list of dicts from DICTS_COLUMNAR_FROM_ROWS."""
    frame_at, dicts_at = COLUMNAR_FROM_ROWS, DICTS_COLUMNAR_FROM_ROWS
    assert choose_engine("auto", frame_at - 1, layered=False) == "row"
    assert choose_engine("auto", frame_at, layered=False) == "columnar"
    assert choose_engine("auto", dicts_at - 1, layered=False, dicts=True) == "row"
    assert choose_engine("auto", dicts_at, layered=False, dicts=True) == "columnar"
    assert choose_engine("auto", dicts_at, layered=True, dicts=True) == "row"
