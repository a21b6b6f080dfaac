"""Findings as a frame: Report.to_polars()/to_arrow(), the same from both engines."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings

import sw_policy
from conftest import FIXTURES
from test_columnar_equivalence import days, records

AS_OF = dt.date(2024, 6, 30)
RULEBOOK = sw_policy.load_rulebook()
FIXTURE_FILES = [FIXTURES / "mixed.json", *sorted(FIXTURES.glob("*.csv"))]


def test_one_row_per_finding_with_the_contract_columns() -> None:
    report = RULEBOOK.check_files(FIXTURE_FILES, as_of=AS_OF)
    frame = report.to_polars()
    assert frame.height == len(report.findings) > 100
    citations = [f"citation_{name}" for name in sw_policy.CITATION_FIELDS]
    assert frame.columns == [*sw_policy.FINDING_COLUMNS, *citations]
    first, row = report.findings[0], frame.row(0, named=True)
    assert (row["record_id"], row["rule_id"], row["outcome"]) == (
        first.record_id,
        first.rule_id,
        first.outcome,
    )
    assert json.loads(row["observed"]) == first.observed
    assert row["citation_clause"] == first.citation.clause
    assert row["location_row"] == first.location.row if first.location else None
    assert report.to_arrow().num_rows == frame.height


def test_the_same_frame_from_the_columnar_engine() -> None:
    row = RULEBOOK.check_files(FIXTURE_FILES, as_of=AS_OF).to_polars()
    columnar = sw_policy.check_files_columnar(RULEBOOK, FIXTURE_FILES, as_of=AS_OF).to_polars()
    assert row.equals(columnar)


def test_an_empty_report_has_the_columns_too() -> None:
    frame = RULEBOOK.check([], as_of=AS_OF).to_polars()
    assert frame.height == 0 and frame.schema["location_row"] == pl.Int64


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=records(), run_day=days)
def test_frames_agree_on_random_records(batch: list[Any], run_day: dt.date) -> None:
    row = RULEBOOK.check(batch, as_of=run_day).to_polars()
    columnar = sw_policy.check_columnar(RULEBOOK, batch, as_of=run_day).to_polars()
    assert row.equals(columnar)


def test_joining_findings_back_to_the_callers_table() -> None:
    table = pl.DataFrame(
        {
            "项目编号": ["A", "B"],
            "行政区划代码": ["330106", "330106"],
            "项目经费": ["1000000", "1000000"],
            "人力成本": ["700000", "750000"],
            "负责人": ["张三", "李四"],  # a column of the caller's that no rule reads
        }
    )
    report = RULEBOOK.check(table.drop("负责人"), kind="budget", as_of=AS_OF)
    joined = table.join(
        report.to_polars().select("record_id", "rule_id", "outcome"),
        left_on="项目编号",
        right_on="record_id",
        how="left",
    )
    assert joined.select("项目编号", "负责人", "outcome").rows() == [
        ("A", "张三", "pass"),
        ("B", "李四", "fail"),
    ]


FRAMES = {
    "chinese headers, amounts, a repeat, a bad code": (
        "budget",
        {
            "项目编号": ["A", "B", "C", "D", "A", "E"],
            "行政区划代码": ["330106", "330106", "330106", "33010", "330106", "330106"],
            "项目经费": ["1000000", "1000000", None, "100", "5", "120万元"],
            "人力成本": [700000, 700001, 5, 1, 1, 800000],
        },
    ),
    "floats and whole floats": (
        "budget",
        {
            "id": ["A", "B"],
            "jurisdiction": ["330106", "330106"],
            "total_funds": [1000000.0, 1000000.5],
            "labour_cost": [700000.0, 1.25],
        },
    ),
    "workers with Chinese values and a blank": (
        "worker",
        {
            "id": ["W1", "W2"],
            "jurisdiction": ["371502", "371502"],
            "education": ["本科", "bachelor"],
            "major": ["社会工作", "x"],
            "training_hours_5y": [1, None],
        },
    ),
}


def test_check_columnar_takes_frames_with_the_row_engines_verdicts() -> None:
    for name, (kind, data) in FRAMES.items():
        frame = pl.DataFrame(data)
        row = RULEBOOK.check(frame, kind=kind, as_of=AS_OF)
        for table in (frame, frame.to_pandas(), frame.to_arrow()):
            columnar = sw_policy.check_columnar(RULEBOOK, table, kind=kind, as_of=AS_OF)
            assert columnar.to_report().to_json() == row.to_json(), name
            assert columnar.to_polars().equals(row.to_polars()), name


def test_check_on_a_large_frame_uses_the_columnar_engine(monkeypatch) -> None:
    from sw_policy.checking import columnar as columnar_check
    from sw_policy.checking import engine_choice

    kind, data = FRAMES["chinese headers, amounts, a repeat, a bad code"]
    frame = pl.DataFrame(data)
    by_row = RULEBOOK.check(frame, kind=kind, as_of=AS_OF, engine="row").to_json()
    assert RULEBOOK.check(frame, kind=kind, as_of=AS_OF, engine="columnar").to_json() == by_row
    used: list[int] = []
    real = columnar_check.check_columnar

    def spy(*args: Any, **kwargs: Any) -> Any:
        used.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(columnar_check, "check_columnar", spy)
    assert RULEBOOK.check(frame, kind=kind, as_of=AS_OF).to_json() == by_row
    assert not used  # 6 rows: below the crossover, the row engine
    monkeypatch.setattr(engine_choice, "COLUMNAR_FROM_ROWS", 5)
    assert RULEBOOK.check(frame, kind=kind, as_of=AS_OF).to_json() == by_row
    assert used == [1]
