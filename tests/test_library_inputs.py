"""Rulebook.check takes records as callers hold them; each misuse is a clear error."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sw_policy
from conftest import FIXTURES

AS_OF = dt.date(2024, 6, 30)
RULEBOOK = sw_policy.load_rulebook()


def _budget(record_id: str, total: str | None, labour: str | None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": "budget", "id": record_id, "jurisdiction": "330106"}
    if total is not None:
        data["total_funds"] = total
    if labour is not None:
        data["labour_cost"] = labour
    return {**data, **extra}


def _verdicts(report: sw_policy.Report) -> list[tuple[str, str, str]]:
    return [(f.record_id, f.rule_id, f.outcome) for f in report.findings]


def test_dicts_give_the_same_report_as_models() -> None:
    dicts = [_budget("P-1", "1000000", "700000"), _budget("P-2", "1000000", "700000.01")]
    models = [sw_policy.parse_record(d) for d in dicts]
    from_dicts = RULEBOOK.check(dicts, as_of=AS_OF)
    assert from_dicts.to_json() == RULEBOOK.check(models, as_of=AS_OF).to_json()
    assert [f.outcome for f in from_dicts.findings] == ["pass", "fail"]  # the exact boundary


def test_a_generator_of_mixed_models_and_dicts() -> None:
    def produce() -> Any:
        yield sw_policy.Budget(
            id="M-1",
            jurisdiction="330106",
            total_funds=Decimal("100"),
            labour_cost=Decimal("71"),
        )
        yield _budget("D-1", "100", "70")

    report = RULEBOOK.check(produce(), as_of=AS_OF)
    assert [(f.record_id, f.outcome) for f in report.findings] == [("M-1", "fail"), ("D-1", "pass")]


def test_chinese_keys_values_and_amounts_in_dicts() -> None:
    chinese = {
        "类型": "预算",
        "项目编号": "P-1",
        "行政区划代码": "330106",
        "项目经费": "100万元",
        "人力成本": "1,050,000",
    }
    worker = {
        "kind": "worker",
        "id": "W-1",
        "jurisdiction": "371502",
        "学历": "大专",
        "专业": "社会工作",
        "证书等级": "无",
    }
    report = RULEBOOK.check([chinese, worker], as_of=AS_OF)
    assert not report.rejected
    budget = next(f for f in report.findings if f.record_id == "P-1")
    assert (budget.outcome, budget.observed["labour_cost_share"]) == ("fail", "1.05")
    qualified = next(f for f in report.findings if f.record_id == "W-1")
    assert qualified.outcome == "pass"  # 大专 in 社会工作 meets the definition


def test_invalid_records_are_rejected_with_their_position() -> None:
    given_records: list[Any] = [
        _budget("P-1", "100", "70"),
        _budget("P-2", "0", "70"),  # total_funds must be > 0
        _budget("P-1", "100", "80"),  # a repeat
        None,
        "P-4",
        {"id": "P-5", "jurisdiction": "330106"},  # no kind and no field to tell it by
        _budget("P-6", "12,5", "1"),  # an amount that is not one
    ]
    report = RULEBOOK.check(given_records, as_of=AS_OF)
    rows = [(r.path, r.row, r.id) for r in report.rejected]
    assert rows == [
        ("<records>", 1, "P-2"),
        ("<records>", 2, "P-1"),
        ("<records>", 3, None),
        ("<records>", 4, None),
        ("<records>", 5, "P-5"),
        ("<records>", 6, "P-6"),
    ]
    assert report.rejected[0].errors == ("total_funds: must be greater than 0",)
    assert report.rejected[1].errors == (
        "id: duplicate budget id 'P-1' (first at <records> row 0)",
    )
    assert report.rejected[2].errors == ("record: expected an object, got NoneType",)
    assert report.rejected[4].errors[0].startswith("kind: missing")
    assert report.rejected[5].errors[0].startswith("total_funds: ")
    assert report.summary.records + len(report.rejected) == len(given_records)


def test_repeated_model_ids_are_rejected_as_the_cli_does() -> None:
    one = sw_policy.parse_record(_budget("P-1", "100", "70"))
    again = sw_policy.parse_record(_budget("P-1", "100", "90"))
    report = RULEBOOK.check([one, again], as_of=AS_OF)
    assert [f.record_id for f in report.findings] == ["P-1"]
    assert report.findings[0].outcome == "pass"  # the first one is kept
    [rejected] = report.rejected
    assert (rejected.row, rejected.id) == (1, "P-1")
    # Same id, another kind: not a repeat.
    worker = sw_policy.parse_record({"kind": "worker", "id": "P-1", "jurisdiction": "371502"})
    assert not RULEBOOK.check([one, worker], as_of=AS_OF).rejected


def _frame_rows() -> dict[str, list[Any]]:
    return {
        "项目编号": ["A", "B", "C", "D"],
        "行政区划代码": ["330106", "330106", "330106", "33010"],
        "项目经费（万元）": [100, 100, None, 100],
        "人力成本": [700000, 700001, 5, 1],
    }


def test_a_polars_frame_is_read_as_a_sheet() -> None:
    report = RULEBOOK.check(pl.DataFrame(_frame_rows()), kind="budget", as_of=AS_OF)
    assert [(f.record_id, f.outcome) for f in report.findings] == [
        ("A", "pass"),
        ("B", "fail"),
        ("C", "insufficient_data"),  # a null cell is unknown
    ]
    [rejected] = report.rejected
    assert (rejected.path, rejected.row, rejected.column) == ("<records>", 3, "行政区划代码")


def test_pandas_and_arrow_give_the_polars_report() -> None:
    frame = pl.DataFrame(_frame_rows())
    expected = RULEBOOK.check(frame, kind="budget", as_of=AS_OF).to_json()
    pandas = pd.DataFrame(_frame_rows())  # the None becomes NaN, the column float64
    assert pandas["项目经费（万元）"].isna().sum() == 1
    assert RULEBOOK.check(pandas, kind="budget", as_of=AS_OF).to_json() == expected
    assert RULEBOOK.check(frame.to_arrow(), kind="budget", as_of=AS_OF).to_json() == expected
    assert RULEBOOK.check(pa.Table.from_pandas(pandas), kind="budget", as_of=AS_OF).to_json() == (
        expected
    )


def test_a_sheet_read_by_pandas_with_its_total_and_note_rows(tmp_path: Path) -> None:
    """pd.read_excel of an office's sheet: the 序号 column holds 1, 2 … then 合计, an
    amount column a remark (经费待核定), a note row carries a phone number. Such object
    columns mix types; they are read as text cells, on both engines, never an error."""
    sheet = pd.DataFrame(
        {
            "序号": [1, 2, 3, "合计", "填报人：李四 联系电话：13912345678"],
            "项目编号": ["SC-01", "SC-02", "SC-03", None, None],
            "行政区划": [330102, "上城区", 330102, None, None],
            "项目总经费（万元）": [45.6, "经费待核定", 12, 57.6, None],
            "其中：人员经费（万元）": [38.5, 5, 8.4, 51.9, None],
        }
    )
    for engine in ("row", "columnar"):
        report = RULEBOOK.check(sheet, kind="budget", as_of=AS_OF, engine=engine)
        assert _verdicts(report) == [
            ("SC-01", "zhejiang-2019.labour-cost-share", "fail"),
            ("SC-03", "zhejiang-2019.labour-cost-share", "pass"),
        ]
        [refused] = report.rejected
        assert (refused.id, refused.row, refused.column) == ("SC-02", 1, "项目总经费（万元）")
        assert "13912345678" not in report.to_json()
    columnar = sw_policy.check_columnar(RULEBOOK, sheet, kind="budget", as_of=AS_OF)
    assert columnar.to_polars()["record_id"].to_list() == ["SC-01", "SC-03"]


def test_pandas_nan_in_dicts_is_unknown_not_an_error() -> None:
    rows = pd.DataFrame(
        {
            "kind": ["budget"],
            "id": ["P-1"],
            "jurisdiction": ["330106"],
            "total_funds": [float("nan")],
            "labour_cost": [7.0],
        }
    ).to_dict("records")
    report = RULEBOOK.check(rows, as_of=AS_OF)
    assert not report.rejected
    assert report.findings[0].outcome == "insufficient_data"


def test_a_kind_column_and_a_frame_of_workers_with_training_lists() -> None:
    frame = pl.DataFrame(
        {
            "kind": ["worker"],
            "id": ["W-1"],
            "jurisdiction": ["371502"],
            "training": [[{"date": dt.date(2023, 1, 1), "hours": 120.0}]],
        }
    )
    report = RULEBOOK.check(frame, as_of=AS_OF)
    [finding] = [f for f in report.findings if f.rule_id.startswith("liaocheng")]
    assert (finding.outcome, finding.observed["training_hours_5y"]) == ("pass", "120.0")


def test_a_frame_whose_kind_cannot_be_told_is_a_usage_error() -> None:
    with pytest.raises(sw_policy.UsageError, match="pass kind="):
        RULEBOOK.check(pl.DataFrame({"id": ["A"], "jurisdiction": ["330106"]}), as_of=AS_OF)


@pytest.mark.parametrize(
    "as_of",
    [dt.date(2024, 6, 30), dt.datetime(2024, 6, 30, 23, 59), "2024-06-30", " 2024-06-30 "],
)
def test_as_of_as_a_date_a_datetime_or_iso_text(as_of: Any) -> None:
    report = RULEBOOK.check([_budget("P-1", "100", "70")], as_of=as_of)
    assert report.as_of == AS_OF
    assert RULEBOOK.evaluate(sw_policy.parse_record(_budget("P-1", "100", "70")), as_of=as_of)


# --- misuse: a PolicyError or a TypeError naming the argument -------------------------------


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: sw_policy.parse_record(None), TypeError, "data: expected a dict"),
        (lambda: sw_policy.parse_record('{"kind": "budget"}'), TypeError, "json.loads"),
        (lambda: RULEBOOK.rule(None), TypeError, "rule_id: expected a rule id (str)"),
        (lambda: RULEBOOK.check_files("x.csv"), TypeError, "paths: expected a list"),
        (lambda: RULEBOOK.check_files(Path("x.csv")), TypeError, "paths: expected a list"),
        (lambda: RULEBOOK.check_files([3]), TypeError, "paths: expected file paths"),
        (
            lambda: RULEBOOK.check_files([FIXTURES / "budgets.csv"], encoding="klingon"),
            sw_policy.UsageError,
            "encoding: unknown encoding 'klingon'",
        ),
        (
            lambda: RULEBOOK.check_files([FIXTURES / "budgets.csv"], engine="fast"),
            sw_policy.UsageError,
            "engine: 'fast'",
        ),
        (lambda: RULEBOOK.check([], as_of="30/06/2024"), sw_policy.UsageError, "as_of: "),
        (lambda: RULEBOOK.check([], as_of=20240630), TypeError, "as_of: expected a date"),
        (lambda: RULEBOOK.check([], kind="budgets"), sw_policy.UsageError, "kind: 'budgets'"),
        (lambda: RULEBOOK.check("budgets.csv"), TypeError, "records: expected records"),
        (lambda: RULEBOOK.check(None), TypeError, "got NoneType"),
        (lambda: RULEBOOK.check(42), TypeError, "got int"),
        (lambda: RULEBOOK.check(_budget("P", "1", "1")), TypeError, "got one dict; pass [record]"),
        (lambda: RULEBOOK.evaluate("P-1", as_of=AS_OF), TypeError, "record: expected a record"),
        (lambda: RULEBOOK.evaluate({}, as_of=None), TypeError, "as_of: expected"),
        (lambda: RULEBOOK.explain({"kind": "budget"}, 3), TypeError, "rule_id: expected"),
        (
            lambda: RULEBOOK.explain(
                _budget("P", "1", "1"), "liaocheng-2020.professional-qualification"
            ),
            sw_policy.UsageError,
            "judges worker records",
        ),
    ],
)
def test_each_misuse_names_the_argument(call: Any, error: type[Exception], words: str) -> None:
    with pytest.raises(error) as raised:
        call()
    assert words in str(raised.value)
    assert isinstance(raised.value, sw_policy.PolicyError | TypeError)


def test_check_paths_is_deprecated_for_check_files() -> None:
    with pytest.warns(DeprecationWarning, match="use rulebook.check_files"):
        old = sw_policy.check_paths(RULEBOOK, [FIXTURES / "budgets.csv"], as_of=AS_OF)
    new = RULEBOOK.check_files(
        [FIXTURES / "budgets.csv"], as_of=AS_OF, options=sw_policy.RunOptions()
    )
    assert old.to_json() == new.to_json()


def test_check_files_takes_every_option(tmp_path: Path) -> None:
    gbk = tmp_path / "b.csv"
    gbk.write_bytes("项目编号,行政区划代码,项目经费,人力成本\nG-1,330106,100,80\n".encode("gbk"))
    for engine in ("row", "columnar", "auto"):
        report = RULEBOOK.check_files(
            [gbk], as_of="2024-06-30", kind="budget", encoding="GBK", engine=engine
        )
        assert [(f.record_id, f.outcome) for f in report.findings] == [("G-1", "fail")]
        assert report.options is None  # no stamp unless options are given
    stamped = RULEBOOK.check_files(
        [gbk], as_of=AS_OF, encoding="gbk", options=sw_policy.RunOptions(format="csv")
    )
    assert stamped.options is not None
    assert (stamped.options.format, stamped.options.encoding) == ("csv", "gbk")


def test_engine_auto_follows_the_measured_crossover(tmp_path: Path) -> None:
    from sw_policy.checking.files import COLUMNAR_FROM_ROWS, choose_file_engine

    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    header = "id,jurisdiction,total_funds,labour_cost\n"
    small.write_text(header + "A,330106,100,70\n" * (COLUMNAR_FROM_ROWS - 2))
    large.write_text(header + "A,330106,100,70\n" * COLUMNAR_FROM_ROWS)
    assert choose_file_engine(RULEBOOK, [small]) == "row"
    assert choose_file_engine(RULEBOOK, [large]) == "columnar"


money_text = st.decimals(min_value=1, max_value=10**7, places=2).map(str)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["A", "B", "C"]), st.one_of(st.none(), money_text), money_text),
        max_size=8,
    )
)
def test_every_record_given_is_checked_or_rejected(rows: list[tuple[str, Any, str]]) -> None:
    dicts = [_budget(i, total, labour) for i, total, labour in rows]
    report = RULEBOOK.check(dicts, as_of=AS_OF)
    assert report.summary.records + len(report.rejected) == len(dicts)
    frame = pl.DataFrame(
        {
            "id": [r[0] for r in rows],
            "jurisdiction": ["330106"] * len(rows),
            "total_funds": [r[1] for r in rows],
            "labour_cost": [r[2] for r in rows],
        },
        schema=dict.fromkeys(("id", "jurisdiction", "total_funds", "labour_cost"), pl.String),
    )
    from_frame = RULEBOOK.check(frame, kind="budget", as_of=AS_OF)
    assert _verdicts(from_frame) == _verdicts(report)
    assert [(r.row, r.id) for r in from_frame.rejected] == [(r.row, r.id) for r in report.rejected]


def test_json_text_from_a_message_queue() -> None:
    message = '{"kind": "budget", "id": "Q-1", "jurisdiction": "330106", "total_funds": 100.10}'
    data = json.loads(message, parse_float=Decimal)
    [finding] = RULEBOOK.check([data], as_of=AS_OF).findings
    assert finding.observed["total_funds"] == "100.10"


def test_every_engine_rejects_the_same_over_precise_amount(tmp_path: Path) -> None:
    from sw_policy.checking.files import COLUMNAR_FROM_ROWS

    path = tmp_path / "fine.csv"
    rows = [f"P{i},330106,100,70" for i in range(COLUMNAR_FROM_ROWS)]
    rows.append("FINE,330106,100,70.0000000001")  # ten decimal places: beyond the amount range
    path.write_text("id,jurisdiction,total_funds,labour_cost\n" + "\n".join(rows) + "\n")
    by_row = RULEBOOK.check_files([path], as_of=AS_OF, engine="row")
    for engine in ("columnar", "auto"):
        assert RULEBOOK.check_files([path], as_of=AS_OF, engine=engine).to_json() == (
            by_row.to_json()
        )
    [rejected] = by_row.rejected
    assert rejected.id == "FINE" and "decimal" in "; ".join(rejected.errors)


def _base() -> dict[str, list[Any]]:
    return {
        "id": ["A1", "A2", "A3"],
        "jurisdiction": ["330102", "330106", "330106"],
        "total_funds": ["100", "200", None],
        "labour_cost": ["60", "150", "10"],
    }


def _odd_frames() -> dict[str, Any]:
    """Frames as callers make them, each readable: same verdicts on every route."""
    import datetime as dt

    base = pl.DataFrame(_base())
    return {
        "duration": base.with_columns(pl.lit(dt.timedelta(days=1)).alias("total_funds")),
        "array": base.with_columns(pl.lit([1, 2]).cast(pl.Array(pl.Int64, 2)).alias("total_funds")),
        "enum": base.with_columns(pl.col("jurisdiction").cast(pl.Enum(["330102", "330106"]))),
        "named index": pd.DataFrame(_base()).set_index("id"),
        "multiindex": pd.DataFrame(
            [["A1", "330102", 100, 60]],
            columns=pd.MultiIndex.from_tuples(
                [
                    ("项目", "项目编号"),
                    ("项目", "行政区划"),
                    ("经费（万元）", "项目经费"),
                    ("Unnamed: 3_level_0", "人力成本（万元）"),
                ]
            ),
        ),
        "decimal256": pa.table(
            {
                **{k: pa.array(v) for k, v in _base().items()},
                "total_funds": pa.array(
                    [Decimal("100.00"), None, Decimal("5")], type=pa.decimal256(40, 2)
                ),
            }
        ),
    }


@pytest.mark.parametrize("name", list(_odd_frames()))
def test_odd_frames_read_alike_on_every_route(name: str) -> None:
    frame = _odd_frames()[name]
    seen = []
    for engine in ("row", "columnar"):
        report = RULEBOOK.check(frame, kind="budget", as_of=AS_OF, engine=engine)
        seen.append(
            (
                [(f.record_id, f.outcome) for f in report.findings],
                [(r.id, r.row) for r in report.rejected],
            )
        )
    columnar = sw_policy.check_columnar(RULEBOOK, frame, kind="budget", as_of=AS_OF)
    seen.append(
        (
            columnar.to_polars().select("record_id", "outcome").rows(),
            [(r.id, r.row) for r in columnar.rejected],
        )
    )
    assert seen[0] == seen[1] == seen[2]
    assert seen[0][0] or seen[0][1]  # something was read
    if name == "multiindex":  # 经费（万元） over 项目经费: ×10 000, as a sheet's two header rows
        [finding] = RULEBOOK.check(frame, kind="budget", as_of=AS_OF).findings
        assert finding.observed["total_funds"] == "1000000"


@pytest.mark.parametrize(
    ("frame", "says"),
    [
        (pd.DataFrame([["A1", "330102", 100, 60]]), "no column of the frame names a field"),
        (
            pd.DataFrame([["A1", "330102", 100, 60, 70]], columns=[*_base(), "labour_cost"]),
            "columns 4 and 5 are both named 'labour_cost'; rename one",
        ),
    ],
)
def test_frames_no_reading_can_use_are_one_line_errors(frame: Any, says: str) -> None:
    for call in (
        lambda: RULEBOOK.check(frame, kind="budget", as_of=AS_OF),
        lambda: RULEBOOK.check(frame, kind="budget", as_of=AS_OF, engine="columnar"),
        lambda: sw_policy.check_columnar(RULEBOOK, frame, kind="budget", as_of=AS_OF),
    ):
        with pytest.raises(sw_policy.PolicyError, match=says):
            call()
