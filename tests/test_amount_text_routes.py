"""An amount written as text reads the same way on every route, refused in one wording.

parse_amount (inputs/amounts.py) is the one reader of amount text: a CSV or XLSX
cell, a Parquet text column, a JSON string, a library dict, parse_record, `watch`
and Monitor.update all accept what it accepts and refuse what it refuses, with its
reason. A JSON *number* (1E+3 in the JSON text) is a number, not office text, and
stays accepted.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from click.testing import CliRunner

import sw_policy
from sw_policy.cli import main
from sw_policy.errors import RecordError
from sw_policy.inputs.amounts import parse_amount

AS_OF = dt.date(2024, 6, 30)

# (text, the reason parse_amount gives, or None when it reads the text)
TEXTS = [
    ("1e3", "is not an amount such as 1,200,000.00"),
    ("1E+3", "is not an amount such as 1,200,000.00"),
    ("7E+5", "is not an amount such as 1,200,000.00"),
    ("1.", "is not an amount such as 1,200,000.00"),
    (".5", "is not an amount such as 1,200,000.00"),
    ("12,5", "is ambiguous"),
    ("３０００", None),  # full-width, as an input method types it: read as 3000
    ("٣٠٠", "is not a number written in digits 0-9"),
    ("0.0000001", None),
    ("+700", None),
    ("1,000", None),
    ("0.1万", None),
]


def _reason(text: str) -> str:
    with pytest.raises(ValueError) as caught:
        parse_amount(text)
    return str(caught.value)


def _budget(text: str) -> dict[str, str]:
    return {
        "kind": "budget",
        "id": "P-1",
        "jurisdiction": "330106",
        "total_funds": "1000000",
        "labour_cost": text,
    }


def _files(tmp_path: Path, text: str) -> list[Path]:
    record = _budget(text)
    (tmp_path / "a.json").write_text(json.dumps([record]), encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (tmp_path / "a.csv").write_text(
        f'kind,id,jurisdiction,total_funds,labour_cost\nbudget,P-1,330106,1000000,"{text}"\n',
        encoding="utf-8",
    )
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "budgets"
    sheet.append(["id", "jurisdiction", "total_funds", "labour_cost"])
    sheet.append(["P-1", "330106", "1000000", text])
    book.save(tmp_path / "a.xlsx")
    pl.DataFrame([record]).write_parquet(tmp_path / "a.parquet")
    return [tmp_path / n for n in ("a.json", "a.jsonl", "a.csv", "a.xlsx", "a.parquet")]


def _verdict(report: sw_policy.Report) -> tuple[object, ...]:
    return (
        tuple((f.rule_id, f.outcome) for f in report.findings),
        tuple(e for r in report.rejected for e in r.errors),
    )


@pytest.mark.once  # version-independent: 12 texts x 5 files x 2 engines
@pytest.mark.parametrize(("text", "refusal"), TEXTS)
def test_every_route_reads_an_amount_text_alike(
    rulebook: sw_policy.Rulebook, tmp_path: Path, text: str, refusal: str | None
) -> None:
    if refusal is None:
        expected_rejections: tuple[str, ...] = ()
        parse_amount(text)
    else:
        reason = _reason(text)
        assert refusal in reason
        expected_rejections = (f"labour_cost: {reason}",)
    seen = {}
    for path in _files(tmp_path, text):
        for engine in ("row", "columnar"):
            report = rulebook.check_files([path], as_of=AS_OF, engine=engine)
            seen[f"{path.name}/{engine}"] = _verdict(report)
    for engine in ("row", "columnar"):
        seen[f"dicts/{engine}"] = _verdict(
            rulebook.check([_budget(text)], as_of=AS_OF, engine=engine)
        )
        seen[f"frame/{engine}"] = _verdict(
            rulebook.check(pl.DataFrame([_budget(text)]), as_of=AS_OF, engine=engine)
        )
    assert {v[1] for v in seen.values()} == {expected_rejections}, seen
    assert len(set(seen.values())) == 1, seen
    try:
        sw_policy.parse_record(_budget(text))
    except RecordError as exc:
        assert tuple(exc.errors) == expected_rejections
    else:
        assert refusal is None


@pytest.mark.parametrize("text", ["1e3", "12,5", "٣٠٠"])
def test_monitor_and_watch_refuse_in_parse_amounts_words(
    rulebook: sw_policy.Rulebook, text: str
) -> None:
    expected = [f"labour_cost: {_reason(text)}"]
    with sw_policy.Monitor(rulebook, as_of=AS_OF) as monitor:
        with pytest.raises(RecordError) as caught:
            monitor.upsert(_budget(text))
        assert caught.value.errors == expected
        monitor.upsert(_budget("5"))
        with pytest.raises(RecordError) as caught:
            monitor.update("budget", "P-1", labour_cost=text)
        assert caught.value.errors == expected
    result = CliRunner().invoke(
        main, ["watch", "--as-of", AS_OF.isoformat()], input=json.dumps(_budget(text)) + "\n"
    )
    assert f"line 1 (P-1): {expected[0]}" in result.output


def test_a_json_number_with_an_exponent_stays_a_number(
    rulebook: sw_policy.Rulebook, tmp_path: Path
) -> None:
    path = tmp_path / "numbers.json"
    path.write_text(
        '[{"kind": "budget", "id": "P-1", "jurisdiction": "330106",'
        ' "total_funds": 1e7, "labour_cost": 1E+3}]',
        encoding="utf-8",
    )
    row = rulebook.check_files([path], as_of=AS_OF, engine="row")
    columnar = rulebook.check_files([path], as_of=AS_OF, engine="columnar")
    assert not row.rejected
    assert [(f.outcome, f.observed) for f in row.findings] == [
        (f.outcome, f.observed) for f in columnar.findings
    ]
    assert [f.outcome for f in row.findings] == ["pass"]
    record = sw_policy.parse_record({**_budget("0"), "labour_cost": Decimal("1E+3")})
    assert isinstance(record, sw_policy.Budget)
    assert record.labour_cost == 1000
