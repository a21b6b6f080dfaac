"""A Chinese report says everything in Chinese, an English one in English (issue 15).

Every human format (table, CSV, Markdown, HTML, XLSX) of every fixture, and of
files that are rejected for every kind of reason, is scanned: no English field
name or reason in a `zh` report, no Chinese label, field name or reason in an
`en` report. Data stays as written (quotes, titles, names, headers, paths), so
it is taken out of the text before scanning.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest

from auditor_files import county_workbook, gbk_budget_csv
from conftest import FIXTURES
from sw_policy import RunOptions, render_report
from sw_policy.inputs.divisions import display_name
from sw_policy.reports import labels, terms

AS_OF = dt.date(2024, 6, 30)
FORMATS = ("table", "csv", "md", "html", "xlsx")

_BAD_CSV = """id,jurisdiction,total_funds,labour_cost,extra_col
P-1,330106,0,1,
P-2,33010,100,1,
P-3,330106,-5,x,
,330106,100,1,
P-7,330106,1.2.3,"1,20,0",
"""
_BAD_JSON = [
    {
        "kind": "worker",
        "id": "W1",
        "jurisdiction": "330106",
        "certificate": "gold",
        "education": "phd",
        "direct_service": "maybe",
        "post_level": "x",
        "training": [{"date": "2020-13-01", "hours": "a"}],
    },
    {"kind": "worker", "id": "W2", "jurisdiction": "330106", "post_level": 20},
    {
        "kind": "region",
        "id": "R1",
        "jurisdiction": "330000",
        "year": "abc",
        "certified_workers": -1,
    },
    {"kind": "community", "id": "C1", "jurisdiction": "330106", "setting": "town"},
    {"kind": "alien", "id": "X"},
    5,
    {"id": "Z", "jurisdiction": "330106"},
    {"kind": "budget", "id": "B9", "jurisdiction": "330106", "total_funds": 10, "labor_cost": 3},
]

# Identifiers the engine uses that a reader should never meet in a Chinese report.
_GENERIC = {"id", "name", "kind", "record", "line", "year"}
_EN_FIELDS = sorted(set(terms.FIELDS) - _GENERIC)
_EN_WORDS = (
    "must be",
    "unknown field",
    "required",
    "not an amount",
    "not a number",
    "Observed",
    "expected",
    "Meets",
    "Does not meet",
    "Missing",
    "Cannot decide",
    "insufficient",
    "mandatory",
    "yuan",
    "unknown",
    "true",
    "false",
    "assistant",
    "junior_college",
    "urban",
    "rural",
)


def _zh_vocabulary() -> set[str]:
    """Chinese words of the reports' own (not data), leaving out those English labels quote."""
    words = {zh for zh, _ in labels._LABELS.values()}
    words |= {zh for zh, _ in labels._OUTCOMES.values()}
    words |= {zh for zh, _ in terms.FIELDS.values()}
    words |= {zh for zh, _ in terms.VALUES.values()}
    words |= {"必填", "无法识别", "不是金额", "必须", "不是数字", "只能是", "重复", "千分位"}
    english = " ".join(en for _, en in labels._LABELS.values())
    return {w for w in words if re.search(r"[\u4e00-\u9fff]", w) and w not in english}


def _data(report) -> list[str]:
    """Text that is the input's or the law's, shown as written in either language."""
    out: list[str] = []
    for f in report.findings:
        c = f.citation
        out += [c.title, c.quote, c.clause, c.document_number or "", f.record_id, f.rule_id]
        # A record's name and its division's name are the input's and GB/T 2260's words.
        out += [f.record_name or "", display_name(f.jurisdiction or "") or ""]
        out += [str(v) for v in f.observed.values() if isinstance(v, str)]
        if f.location:
            out += [f.location.path, f.location.sheet or ""]
    for r in report.rejected:
        out += [r.path, r.sheet or "", r.column or "", r.id or ""]
        out += [e.split(":", 1)[0].split(" (")[0] for e in r.errors]
        out += re.findall(r"'([^']*)'", " ".join(r.errors))
    out += [i.path for i in report.inputs]
    return sorted({d for d in out if len(d) > 1 and not d.isdigit()}, key=len, reverse=True)


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    cells = [
        str(c.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]
    return "\n".join([*wb.sheetnames, *cells])


def _text(report, fmt: str, lang: str, tmp_path) -> str:
    """The report's text less the data; a terminal wide enough that no rule id is wrapped."""
    rendered = render_report(report, fmt, lang, base=tmp_path)
    text = _xlsx_text(rendered) if isinstance(rendered, bytes) else rendered
    if fmt == "html":  # the inline script and style are code, not words
        text = re.sub(r"<script>.*?</script>|<style>.*?</style>", "", text, flags=re.S)
    for piece in _data(report):
        text = text.replace(piece, " ")
    # The stamp names options as the command line spells them (--only-failures…).
    return "\n".join(line for line in text.splitlines() if "include_not_applicable" not in line)


@pytest.fixture(scope="module")
def reports(rulebook, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lang")
    bad_csv = folder / "bad.csv"
    bad_csv.write_text(_BAD_CSV, encoding="utf-8")
    bad_json = folder / "bad.json"
    bad_json.write_text(json.dumps(_BAD_JSON), encoding="utf-8")
    groups = [[p] for p in sorted(FIXTURES.glob("*.csv")) + sorted(FIXTURES.glob("*.json"))]
    groups += [
        [county_workbook(folder / "county.xlsx"), gbk_budget_csv(folder / "经费.csv")],
        [bad_csv, bad_json],
    ]
    return [rulebook.check_files(g, as_of=AS_OF, options=RunOptions()) for g in groups]


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_english_field_or_reason_in_a_chinese_report(reports, fmt, tmp_path):
    for report in reports:
        text = _text(report, fmt, "zh", tmp_path)
        for name in _EN_FIELDS:
            found = re.search(rf"(?<![A-Za-z_]){name}(?![A-Za-z_])", text)
            assert not found, (name, fmt, text[max(0, found.start() - 80) : found.end() + 80])
        for word in _EN_WORDS:
            assert not re.search(rf"(?<![A-Za-z_]){re.escape(word)}(?![A-Za-z_])", text), (
                word,
                fmt,
                text[max(0, text.find(word) - 80) : text.find(word) + 80],
            )


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_chinese_label_field_or_reason_in_an_english_report(reports, fmt, tmp_path):
    vocabulary = _zh_vocabulary()
    for report in reports:
        text = _text(report, fmt, "en", tmp_path)
        for word in vocabulary:
            assert word not in text, (
                word,
                fmt,
                text[max(0, text.find(word) - 80) : text.find(word) + 80],
            )


def test_reasons_have_a_translation(reports):
    """Every rejection reason the bad files produce is in the table (no generic fallback)."""
    from sw_policy.reports.terms import reason_text

    errors = [e for r in reports for rejected in r.rejected for e in rejected.errors]
    assert len(errors) > 15
    for error in errors:
        assert "无法读取（" not in reason_text(error, "zh"), error
