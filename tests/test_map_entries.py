"""Per-field counts (region.influential_orgs_by_field): read from every input, judged alike.

yiyang-2022 一(二) asks for at least 1 organisation of city-level influence in each of
seven fields. The record carries a map (JSON, the library) or one column per field
(CSV, XLSX: `influential_orgs_by_field.elderly`, or a Chinese header). A field not
given is unknown, never 0. Row and columnar engines must agree on every input.
"""

from __future__ import annotations

import datetime as dt
import typing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import sw_policy
from sw_policy import check_columnar, check_files_columnar
from sw_policy.errors import RecordError
from sw_policy.inputs.readers import parse_record, read_files
from sw_policy.records import InfluenceField
from sw_policy.rulebook.schema import RuleSpec

RULE = "yiyang-2022.target.influential-orgs-by-field"
FIELDS: tuple[str, ...] = typing.get_args(InfluenceField)
AFTER = dt.date(2026, 6, 30)
CHINESE = {
    "community": "城乡社区",
    "social_assistance": "社会救助",
    "elderly": "为老服务",
    "children_youth": "儿童青少年",
    "medical": "医务",
    "drug_rehab": "禁毒戒毒",
    "community_correction": "社区矫正",
}


def _region(counts: dict[str, int] | None, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"kind": "region", "id": "R-1", "jurisdiction": "361126"}
    record.update(year=2025, **extra)
    if counts is not None:
        record["influential_orgs_by_field"] = counts
    return record


def _finding(report: Any, record_id: str = "R-1") -> Any:
    (found,) = [f for f in report.findings if f.rule_id == RULE and f.record_id == record_id]
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    counts=st.one_of(
        st.none(),
        st.dictionaries(st.sampled_from(FIELDS), st.integers(0, 3)),
    )
)
def test_outcome_follows_the_text_on_both_engines(
    rulebook: sw_policy.Rulebook, counts: dict[str, int] | None
) -> None:
    """Fail iff a given field is below 1 (naming each); else unknown iff one is not given."""
    records = [_region(counts)]
    row = rulebook.check(records, as_of=AFTER)
    columnar = check_columnar(rulebook, records, as_of=AFTER)
    assert columnar.to_json() == row.to_json()
    finding = _finding(row)
    given_counts = counts or {}
    short = [f for f in FIELDS if f in given_counts and given_counts[f] < 1]
    if short:
        assert finding.outcome == "fail"
        for field in short:  # every field short is named, in Chinese and in English
            assert CHINESE[field] in finding.message.zh.split("未满足：")[1]
    elif len(given_counts) < len(FIELDS):
        assert finding.outcome == "insufficient_data"
        absent = [f for f in FIELDS if f not in given_counts]
        assert f"influential_orgs_by_field.{absent[0]}" in finding.message.en
    else:
        assert finding.outcome == "pass"


def test_pending_until_the_milestone_year_has_ended(rulebook: sw_policy.Rulebook) -> None:
    records = [_region(dict.fromkeys(FIELDS, 0))]
    before = rulebook.check(records, as_of=dt.date(2025, 12, 30))
    on = rulebook.check(records, as_of=dt.date(2025, 12, 31))
    assert (_finding(before).outcome, _finding(on).outcome) == ("pending", "fail")


def _csv(tmp_path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path = tmp_path / "regions.csv"
    lines = [",".join(header)] + [",".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


ROWS = [
    ["R-1", "361126", "2025", "1", "1", "2", "1", "1", "1", "1"],
    ["R-2", "361126", "2025", "1", "0", "2", "1", "", "1", "0"],
    ["R-3", "361126", "2025", "1", "1", "1", "1", "", "1", "1"],
]


@pytest.mark.parametrize("names", ["flat", "chinese"])
def test_flat_columns_read_on_both_engines(
    rulebook: sw_policy.Rulebook, tmp_path: Path, names: str
) -> None:
    fields = [
        f"influential_orgs_by_field.{f}" if names == "flat" else f"{CHINESE[f]}领域市级影响力机构数"
        for f in FIELDS
    ]
    path = _csv(tmp_path, ["id", "jurisdiction", "year", *fields], ROWS)
    read = read_files([path])
    assert [r.record.influential_orgs_by_field for r in read.records][1] == {
        "community": 1,
        "social_assistance": 0,
        "elderly": 2,
        "children_youth": 1,
        "drug_rehab": 1,
        "community_correction": 0,
    }  # the blank medical cell is not 0: it is left out
    row = rulebook.check_files([path], as_of=AFTER)
    columnar = check_files_columnar(rulebook, [path], as_of=AFTER)
    assert columnar.to_json() == row.to_json()
    outcomes = [_finding(row, f"R-{n}").outcome for n in (1, 2, 3)]
    assert outcomes == ["pass", "fail", "insufficient_data"]
    assert "Unmet: social assistance" in _finding(row, "R-2").message.en
    assert "community correction" in _finding(row, "R-2").message.en
    assert "medical" not in _finding(row, "R-2").message.en.split("Unmet:")[1].split(".")[0]


def test_a_bad_cell_is_rejected_naming_its_column(tmp_path: Path) -> None:
    header = ["id", "jurisdiction", "year", "为老服务领域市级影响力机构数"]
    read = read_files([_csv(tmp_path, header, [["R-1", "361126", "2025", "两家"]])])
    (rejected,) = read.rejected
    column = "为老服务领域市级影响力机构数 (influential_orgs_by_field.elderly)"
    assert rejected.errors[0].startswith(column)


def test_an_entry_given_twice_must_agree() -> None:
    same = _region({"elderly": 1}, **{"influential_orgs_by_field.elderly": "1"})
    assert parse_record(same).influential_orgs_by_field == {"elderly": 1}  # type: ignore[union-attr]
    with pytest.raises(RecordError, match="given twice"):
        parse_record(_region({"elderly": 1}, **{"influential_orgs_by_field.elderly": 2}))


def _rule(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "x-1.y",
        "clause": "1",
        "quote": "q",
        "summary": {"zh": "z", "en": "e"},
        "severity": "target",
        "kind": "region",
        "condition": {"op": "ge", "left": {"op": "entry", **entry}, "right": {"value": 1}},
    }


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"field": "influential_orgs_by_field", "key": "sports"}, "has no key 'sports'"),
        ({"field": "sw_orgs", "key": "elderly"}, "entry needs a map field"),
    ],
)
def test_an_entry_of_no_map_or_no_key_is_refused_when_loading(
    entry: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        RuleSpec.model_validate(_rule(entry))
