"""The same data gets the same verdict from every format (hypothesis).

Records of all five kinds, their values written as an office writes them (odd
amount texts such as 1e3, 1,000 and 12.5万, Chinese words, blanks, optional
columns left out of the whole file), are written as a JSON file, a CSV file, an
XLSX workbook, a list of dicts and a Polars frame; each is checked on both
engines, and every route must give the same findings (rule, outcome, observed
values) and the same counts of records evaluated and rejected. A blank is an
absent key in JSON and a dict, an empty cell in CSV and XLSX, a null in a frame.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sw_policy

AS_OF = dt.date(2024, 6, 30)
CODES = ["330106", "371502", "361126", "210102", "上城区", "浙江省杭州市西湖区", "朝阳区", "下城区"]
AMOUNTS = ["1000000", "700000.00", "1e3", "7E+5", "1,000", "12.5万", "0", "-1", "abc", "٣٠"]
BOOLS = ["true", "false", "是", "否", "√", "maybe"]
DATES = ["2024-06-30", "2024/6/30", "2024年6月30日", "2023/12/31 0:00", "2024/2/30", "2024年6月"]
HOURS = ["120", "119.5", "0", "1e2", "x"]
COUNTS = ["0", "3", "12", "-1", "2.5"]

FIELDS: dict[str, dict[str, list[str]]] = {
    "budget": {"total_funds": AMOUNTS, "labour_cost": AMOUNTS, "as_of": DATES},
    "worker": {
        "certificate": ["assistant", "社会工作师", "none", "高级社会工作师"],
        "certificate_registered": BOOLS,
        "education": ["本科", "bachelor", "secondary", "大专"],
        "major": ["社会工作", "会计学", "社会学"],
        "training_hours_5y": HOURS,
        "employer_type": ["urban_community", "rural_community", "enterprise", "社工机构"],
        "direct_service": BOOLS,
        "in_purchased_project": BOOLS,
    },
    "community": {
        "setting": ["urban", "rural", "城市社区"],
        "sw_professionals": COUNTS,
        "demonstration": BOOLS,
    },
    "institution": {"sw_focused": BOOLS, "professional_posts": COUNTS, "sw_posts": COUNTS},
    "region": {"year": ["2022", "2023", "2025"], "certified_workers": COUNTS, "sw_posts": COUNTS},
}
KINDS = list(FIELDS)


@st.composite
def datasets(draw: st.DrawFn) -> list[dict[str, str]]:
    """Records of several kinds; a field either left out of the whole file or given (blank
    sometimes) per record."""
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=3, unique=True))
    present = {
        kind: [f for f in FIELDS[kind] if draw(st.booleans()) or f == "total_funds"]
        for kind in kinds
    }
    records: list[dict[str, str]] = []
    for number in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(kinds))
        record = {"kind": kind, "id": f"R{number}", "jurisdiction": draw(st.sampled_from(CODES))}
        for name in present[kind]:
            value = draw(st.one_of(st.none(), st.sampled_from(FIELDS[kind][name])))
            if value is not None:
                record[name] = value
        records.append(record)
    return records


def _columns(records: list[dict[str, str]]) -> list[str]:
    return list(dict.fromkeys(name for record in records for name in record))


def _table(records: list[dict[str, str]]) -> list[list[str | None]]:
    columns = _columns(records)
    return [columns, *([record.get(c) for c in columns] for record in records)]


def _write(folder: Path, records: list[dict[str, str]]) -> dict[str, Path]:
    (folder / "data.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [["" if cell is None else cell for cell in row] for row in _table(records)]
    )
    (folder / "data.csv").write_text(out.getvalue(), encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "data"
    for row in _table(records):
        sheet.append(row)
    book.save(folder / "data.xlsx")
    return {n: folder / f"data.{n}" for n in ("json", "csv", "xlsx")}


def _verdict(report: sw_policy.Report) -> tuple[Any, ...]:
    findings = sorted(
        (f.kind, f.record_id, f.rule_id, f.outcome, json.dumps(f.observed, sort_keys=True))
        for f in report.findings
    )
    return tuple(findings), report.summary.records, len(report.rejected)


@pytest.mark.once  # version-independent; a few seconds per example
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(records=datasets())
def test_the_same_data_gets_the_same_verdict_from_every_format(
    rulebook: sw_policy.Rulebook, tmp_path_factory: pytest.TempPathFactory, records: Any
) -> None:
    folder = tmp_path_factory.mktemp("formats")
    paths = _write(folder, records)
    columns = _columns(records)
    frame = pl.DataFrame(
        {c: [r.get(c) for r in records] for c in columns}, schema=dict.fromkeys(columns, pl.String)
    )
    seen: dict[str, tuple[Any, ...]] = {}
    for engine in ("row", "columnar"):
        for name, path in paths.items():
            report = rulebook.check_files([path], as_of=AS_OF, engine=engine)
            seen[f"{name}/{engine}"] = _verdict(report)
        dicts = rulebook.check([dict(r) for r in records], as_of=AS_OF, engine=engine)
        seen[f"dicts/{engine}"] = _verdict(dicts)
        seen[f"frame/{engine}"] = _verdict(rulebook.check(frame, as_of=AS_OF, engine=engine))
    reference = seen["json/row"]
    differing = {route: v for route, v in seen.items() if v != reference}
    assert not differing, (records, reference, differing)
