"""The fast dict intake gives what the plain one gave: records, rejections, positions, reports.

`_reference` is the intake as it was before the speed work (each dict made
canonical, then read again through `office_mapping` by `parse_record`), kept
here as the oracle. Generated dicts mix English and Chinese keys, keys no
field has, personal and ignored columns, unit headers, NaN, None, Decimal
text and objects, floats, office words and values that do not validate.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sw_policy
from conftest import FIXTURES
from sw_policy.checking import coerce
from sw_policy.checking.columnar import check_files_columnar
from sw_policy.checking.columnar_findings import findings_of
from sw_policy.engines.columnar.report import finding_models
from sw_policy.errors import RecordError
from sw_policy.findings import Rejected
from sw_policy.inputs.aliases import _key, active_tables, canonical_value
from sw_policy.inputs.amounts import parse_amount
from sw_policy.inputs.readers import infer_kind, parse_record

AS_OF = dt.date(2024, 6, 30)
RULEBOOK = sw_policy.load_rulebook()

_KEYS: dict[Any, Any] = {
    "kind": st.sampled_from(["budget", "worker", "nope"]),
    "id": st.sampled_from(["B1", "B2", "W1", "  B1 ", "", "项目甲"]),
    "编号": st.sampled_from(["B1", "B3"]),
    "jurisdiction": st.sampled_from(["330106", "371502", "12345", " 330212 ", "３３０１０６"]),
    "total_funds": st.sampled_from(
        ["1000000", "007", "100.10", "-5", "120万元", "1,050,000", "12,5", "", " 100 ", "abc"]
    ),
    "项目经费": st.sampled_from(["100万", "1.2亿", "1000", "¥3,000"]),
    "项目经费（万元）": st.sampled_from(["12.5", "3"]),
    "labour_cost": st.sampled_from(["700000", "700000.01", "1e3", "1" * 20, "0.1234567891"]),
    "人力成本": st.sampled_from(["70万元", "0", "七十万"]),
    "education": st.sampled_from(["本科", "bachelor", "大专", "博士后", ""]),
    "学历": st.sampled_from(["硕士", "本科"]),
    "certificate": st.sampled_from(["社会工作师", "none", "senior", "x"]),
    "certificate_registered": st.sampled_from(["是", "否", "√", "true", "maybe"]),
    "身份证号": st.just("110101199001011234"),
    "序号": st.integers(1, 9),
    7: st.just("a key that is not text"),
    "remarks_x": st.just("unknown key"),
    "as_of": st.sampled_from(["2024-01-01", "2024/01/01"]),
}
_ANY_VALUE = st.one_of(
    st.none(),
    st.just(math.nan),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.integers(-(10**18), 10**18),
    st.decimals(allow_nan=False, places=3, min_value=-(10**6), max_value=10**9),
    st.booleans(),
    st.text(alphabet="0123456789.,万元-本科是 ", max_size=8),
)


@st.composite
def _records(draw: st.DrawFn) -> dict[Any, Any]:
    keys = draw(st.lists(st.sampled_from(list(_KEYS)), min_size=1, max_size=7, unique=True))
    out: dict[Any, Any] = {}
    for key in keys:
        out[key] = draw(st.one_of(_KEYS[key], _ANY_VALUE) if draw(st.booleans()) else _KEYS[key])
    return out


def _old_canonical(item: Any) -> tuple[dict[str, Any], list[str], str | None]:
    """coerce._canonical before the speed work: plain amounts passed as written."""
    data: dict[str, Any] = {}
    errors: list[str] = []
    column: str | None = None
    for key, given_value in item.items():
        if coerce._blank(given_value):
            continue
        name = key if isinstance(key, str) else str(key)
        mapped = coerce._field_of(name)
        if mapped == "":
            continue
        target = mapped or name
        value = given_value
        if isinstance(value, str):
            if target in coerce.MONEY_FIELDS:
                if coerce._PLAIN_AMOUNT.fullmatch(value):
                    data[target] = value
                    continue
                try:
                    value = str(parse_amount(value))
                except ValueError as exc:
                    errors.append(f"{name}: {exc}")
                    column = column or name
                    continue
            elif target in coerce._ALIASED:
                value = canonical_value(target, value)
        elif isinstance(value, float) and target in coerce.MONEY_FIELDS:
            value = Decimal(repr(value))
        data[target] = value
    return data, errors, column


def _reference(items: list[Any], kind: str | None) -> tuple[list[Any], list[Rejected]]:
    """coerce._from_items before the speed work (office_mapping applied a second time)."""
    records: list[Any] = []
    rejected: list[Rejected] = []
    seen: dict[tuple[str, str], int] = {}

    def reject(row: int, record_id: Any, errors: list[str], column: str | None = None) -> None:
        rid = None if record_id in (None, "") else str(record_id)
        rejected.append(
            Rejected(path=coerce.IN_MEMORY, row=row, column=column, id=rid, errors=tuple(errors))
        )

    for row, item in enumerate(items):
        data, errors, column = _old_canonical(item)
        row_kind = data.get("kind", kind)
        if row_kind is None:
            row_kind = infer_kind(set(data))
            if row_kind is None:
                missing = "kind: missing; add a kind field, or pass kind="
                reject(row, data.get("id"), [*errors, missing], column)
                continue
        try:
            record = parse_record(data, row_kind)
        except RecordError as exc:
            reject(row, data.get("id"), errors + exc.errors, column)
            continue
        if errors:
            reject(row, record.id, errors, column)
            continue
        key = (record.kind, record.id)
        if key in seen:
            where = f"{coerce.IN_MEMORY} row {seen[key]}"
            reject(
                row, record.id, [f"id: duplicate {record.kind} id {record.id!r} (first at {where})"]
            )
            continue
        seen[key] = row
        records.append(record)
    return records, rejected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(_records(), max_size=12), kind=st.sampled_from([None, "budget", "worker"]))
def test_fast_intake_matches_the_reference(items: list[dict[Any, Any]], kind: str | None) -> None:
    taken = coerce.intake(items, kind=kind)
    records, rejected = _reference(items, kind)
    # repr, not ==: Decimal("1.0") == Decimal("1.00"), but a report prints them differently
    assert [repr(r) for r, _ in taken.records] == [repr(r) for r in records]
    assert taken.rejected == rejected
    assert len(taken.records) + len(taken.rejected) == len(items)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=st.lists(_records(), max_size=12),
    kind=st.sampled_from(["budget", "budget", "worker", None]),
)
def test_row_and_columnar_reports_agree_on_generated_dicts(
    items: list[dict[Any, Any]], kind: str | None
) -> None:
    """The columnar route takes a list of dicts into columns (checking/dict_columns.py)."""
    row = RULEBOOK.check(items, as_of=AS_OF, kind=kind, engine="row")
    records, rejected = _reference(items, kind)
    reference = RULEBOOK.check(records, as_of=AS_OF, engine="row")
    assert row.findings == reference.findings
    assert row.rejected == tuple(rejected)
    try:
        columnar = RULEBOOK.check(items, as_of=AS_OF, kind=kind, engine="columnar")
    except sw_policy.ColumnarInputError:
        return  # a value beyond the columns' exact scale: the columnar engine refuses it
    assert columnar.to_json() == row.to_json()


def test_office_values_are_a_fixed_point() -> None:
    """Reading a canonical value again changes nothing, so intake reads each value once."""
    for field, table in active_tables().value_of.items():
        for value in set(table.values()):
            assert table.get(_key(value), value) == value, (field, value)


def _same_findings(built: list[Any], validated: list[Any]) -> None:
    assert built == validated
    for one, other in zip(built, validated, strict=True):
        assert type(one) is type(other)
        assert one.model_fields_set == other.model_fields_set
        assert one.model_dump_json() == other.model_dump_json()


def test_columnar_findings_are_the_validated_objects_on_fixtures() -> None:
    """to_report() builds Findings without validating: the objects validation would give."""
    paths = sorted(p for p in FIXTURES.rglob("*.csv") if "hostile" not in p.parts)
    compared = 0
    for path in paths:
        try:
            columnar = check_files_columnar(RULEBOOK, [path], as_of=AS_OF)
        except sw_policy.PolicyError:
            continue  # a file the readers refuse has no findings to build
        built = findings_of(columnar.result, RULEBOOK)
        _same_findings(built, finding_models(columnar.result, RULEBOOK))
        compared += len(built)
    assert compared > 100


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(_records(), min_size=1, max_size=12))
def test_columnar_findings_are_the_validated_objects_on_generated_dicts(
    items: list[dict[Any, Any]],
) -> None:
    try:
        columnar = sw_policy.check_columnar(RULEBOOK, items, kind="budget", as_of=AS_OF)
    except sw_policy.ColumnarInputError:
        return
    _same_findings(
        findings_of(columnar.result, RULEBOOK), finding_models(columnar.result, RULEBOOK)
    )


@given(
    text=st.from_regex(r"-?[0-9]{1,40}(\.[0-9]{1,40})?", fullmatch=True)
    | st.text(alphabet="0123456789.,-+万元 ", max_size=12)
)
def test_plain_amount_shortcut_is_parse_amount(text: str) -> None:
    """office_mapping's shortcut for plain digits gives parse_amount's text exactly."""
    from sw_policy.inputs.office_values import _value

    try:
        expected: Any = str(parse_amount(text))
    except ValueError:
        expected = text
    assert _value("total_funds", text) == expected
