"""engines/columnar/objects.py builds exactly the Findings that validation builds.

`finding_objects` makes the Report's Finding objects from whole columns without
validating them (shared citations, tuples and locations; names and division
codes joined in Polars; the garbage collector paused). Every object must be the
one `finding_models` (a validated Finding per row, names from `record_labels`)
gives: `==`, type, fields set, dumps, repr, field order, and copies alike.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sw_policy
from conftest import FIXTURES
from sw_policy.checking.columnar import check_columnar, check_files_columnar
from sw_policy.engines.columnar.objects import collector_paused, finding_objects
from sw_policy.engines.columnar.report import finding_models, record_labels
from sw_policy.findings import Finding
from sw_policy.inputs.frames import frame_from_records
from sw_policy.inputs.readers import LocatedRecord

AS_OF = dt.date(2024, 6, 30)
RULEBOOK = sw_policy.load_rulebook()


def _same(built: list[Finding], validated: list[Finding]) -> None:
    assert built == validated
    for one, other in zip(built, validated, strict=True):
        assert type(one) is type(other) is Finding
        assert repr(one) == repr(other)
        assert list(one.__dict__) == list(other.__dict__)
        assert one.model_fields_set == other.model_fields_set
        assert one.message.model_fields_set == other.message.model_fields_set
        assert one.model_dump() == other.model_dump()
        assert one.model_dump_json() == other.model_dump_json()
        assert one.model_copy() == other.model_copy()
        changed = {"record_id": "other", "record_name": "名称"}
        assert one.model_copy(update=changed) == other.model_copy(update=changed)
        assert {type(v) for v in one.observed.values()} == {
            type(v) for v in other.observed.values()
        }


def _both(report: Any) -> tuple[list[Finding], list[Finding]]:
    labels = record_labels(report.frames)
    return (
        finding_objects(report.result, RULEBOOK, report.frames),
        finding_models(report.result, RULEBOOK, labels),
    )


@pytest.mark.once  # reads every fixture; pydantic's layout, not Python's version, matters
def test_fixture_findings_are_the_validated_objects() -> None:
    """Files: locations (path, sheet, row), names, division codes, every kind."""
    paths = sorted(p for p in FIXTURES.glob("*") if p.suffix in {".csv", ".json"})
    report = check_files_columnar(RULEBOOK, paths, as_of=AS_OF, include_not_applicable=True)
    built, validated = _both(report)
    assert len(built) > 100
    assert any(f.location is not None for f in built)
    assert any(f.record_name is not None for f in built)
    assert any(f.unmet or f.displaced or f.marks for f in built)
    _same(built, validated)


_BUDGET = {
    "id": st.sampled_from(["B1", "B2", "B3", 'B"4\\', "项目甲"]),
    "name": st.one_of(st.none(), st.sampled_from(["甲项目", 'Project "A"', "x\ty"])),
    "jurisdiction": st.sampled_from(["330106", "371502", "330212", "430900", "110105"]),
    "total_funds": st.sampled_from(["1000000", "100.10", "0", "120万元", "3504677.86"]),
    "labour_cost": st.sampled_from(["700000", "700000.01", "0", "99.5", "1836451.20"]),
}
_WORKER = {
    "id": st.sampled_from(["W1", "W2", "W3"]),
    "name": st.one_of(st.none(), st.just("张三")),
    "jurisdiction": st.sampled_from(["330106", "371502", "110105"]),
    "education": st.sampled_from(["本科", "bachelor", "大专"]),
    "certificate": st.sampled_from(["社会工作师", "none", "senior"]),
    "certificate_registered": st.sampled_from([True, False, "是"]),
    "training_hours_5y": st.sampled_from([0, 72, 120]),
}


@st.composite
def _records(draw: st.DrawFn, fields: dict[str, Any]) -> dict[str, Any]:
    keys = draw(st.lists(st.sampled_from(list(fields)), min_size=2, unique=True))
    return {key: draw(fields[key]) for key in ["id", *keys] if key in fields}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=st.lists(_records(_BUDGET), min_size=1, max_size=8)
    | st.lists(_records(_WORKER), min_size=1, max_size=8),
    na=st.booleans(),
)
def test_generated_findings_are_the_validated_objects(
    items: list[dict[str, Any]], na: bool
) -> None:
    kind = "budget" if items[0]["id"][0] != "W" else "worker"
    report = check_columnar(RULEBOOK, items, kind=kind, as_of=AS_OF, include_not_applicable=na)
    built, validated = _both(report)
    _same(built, validated)
    # and the Report Rulebook.check returns is the row engine's
    assert report.to_report() == RULEBOOK.check(
        items, kind=kind, as_of=AS_OF, engine="row", include_not_applicable=na
    )


def _result_with(report: Any, **columns: Any) -> Any:
    findings = report.result.findings.with_columns(
        *(
            pl.lit(value, pl.List(pl.String) if isinstance(value, list) else None).alias(name)
            for name, value in columns.items()
        )
    )
    return dataclasses.replace(report.result, findings=findings)


def _budgets() -> Any:
    items = [
        {"id": f"B{i}", "jurisdiction": "330106", "total_funds": "100", "labour_cost": "80"}
        for i in range(3)
    ]
    return check_columnar(RULEBOOK, items, kind="budget", as_of=AS_OF)


def test_a_value_not_of_its_exact_type_is_validated() -> None:
    """A float observed value (2.0) is what validation makes of it (the int 2), as in
    finding_models; nothing is taken as it is."""
    report = _budgets()
    result = _result_with(report, observed='{"labour_cost_share": 2.0}')
    built = finding_objects(result, RULEBOOK, report.frames)
    assert built == finding_models(result, RULEBOOK, record_labels(report.frames))
    assert built and all(type(f.observed["labour_cost_share"]) is int for f in built)


@pytest.mark.parametrize(
    "columns",
    [
        {"observed": '{"labour_cost_share": 1.5}'},
        {"outcome": "maybe"},
        {"marks": ["not_a_mark"]},
    ],
)
def test_a_value_validation_refuses_is_still_refused(columns: dict[str, Any]) -> None:
    report = _budgets()
    result = _result_with(report, **columns)
    with pytest.raises(ValueError, match="validation error"):
        finding_objects(result, RULEBOOK, report.frames)


def test_the_collector_is_as_it_was_after_building() -> None:
    report = _budgets()
    assert gc.isenabled()
    finding_objects(report.result, RULEBOOK, report.frames)
    assert gc.isenabled()
    gc.disable()
    try:
        finding_objects(report.result, RULEBOOK, report.frames)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()


def test_a_repeated_id_takes_the_last_records_name_as_record_labels_does() -> None:
    """Frames made by hand may repeat an id (the readers reject repeats)."""
    records = [
        sw_policy.parse_record(
            {
                "kind": "budget",
                "id": "B1",
                "name": name,
                "jurisdiction": "330106",
                "total_funds": "100",
                "labour_cost": "80",
            }
        )
        for name in ("first", "last")
    ]
    frames = frame_from_records([LocatedRecord(r, None) for r in records])
    report = check_columnar(RULEBOOK, frames, as_of=AS_OF)
    built, validated = _both(report)
    assert built and {f.record_name for f in built} == {"last"}
    _same(built, validated)
