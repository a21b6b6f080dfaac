"""Every report format: content, language, stamp, formula safety, determinism, CLI wiring."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import json
import re
import zipfile

import pytest
from click.testing import CliRunner

from auditor_files import HTML_INJECTION_ID, INJECTION_ID, county_workbook, gbk_budget_csv
from sw_policy import RunOptions, render_report
from sw_policy.cli import main
from sw_policy.reports.csv_report import render_stamp_json
from sw_policy.reports.rows import neutralise
from sw_policy.reports.xlsx_report import source_link

AS_OF = dt.date(2024, 6, 30)


def check(rulebook, inputs):
    """A check stamped with default options, as check_paths (now deprecated) made it."""
    return rulebook.check_files(inputs, as_of=AS_OF, options=RunOptions())


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    workbook = county_workbook(folder / "county.xlsx", notes_sheet=True)
    return [workbook, gbk_budget_csv(folder / "经费.csv")]


@pytest.fixture(scope="module")
def report(rulebook, inputs):
    return rulebook.check_files(inputs, as_of=AS_OF, options=RunOptions(format="xlsx"))


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1+2", "'+1+2"),
        ("+1", "+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5", "-5"),
        ("-0.25", "-0.25"),
        ("plain", "plain"),
        ("a=b", "a=b"),
    ],
)
def test_neutralise(text, safe):
    assert neutralise(text) == safe


def test_stamp_is_in_the_json_report(report, inputs):
    data = json.loads(report.to_json())
    assert data["options"]["format"] == "xlsx" and data["options"]["parameter_overrides"] == {}
    assert [i["path"] for i in data["inputs"]] == [str(p) for p in inputs]
    assert all(len(i["sha256"]) == 64 for i in data["inputs"])
    assert data["inputs"][1]["encoding"] == "gb18030"


def test_csv_report_neutralises_and_keeps_every_row(report):
    """One header row, then data: the stamp moved to a sidecar (render_stamp_json)."""
    text = render_report(report, "csv", "en")
    assert isinstance(text, str) and text.startswith("\ufeff")  # so Excel reads UTF-8
    lines = text.removeprefix("\ufeff").splitlines()
    assert not [line for line in lines if line.startswith(("#", '"#'))]
    assert report.rulebook.sha256 not in text
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    header, body = rows[0], rows[1:]
    assert header[:9] == [
        "File",
        "Sheet",
        "Row",
        "Kind",
        "Record",
        "Name",
        "Division",
        "Rule",
        "Outcome",
    ]
    assert len(body) == len(report.findings) + len(report.rejected)
    ids = [row[4] for row in body]
    assert "'" + INJECTION_ID in ids and INJECTION_ID not in ids
    for row in body:
        assert len(row) == len(header)
        for cell in row:
            assert not cell.startswith(("=", "+", "@")), cell
    assert sum(row[8] == "rejected" for row in body) == len(report.rejected)
    # Names and divisions beside the id; a name is data too, neutralised like an id.
    assert "'=1+1" in [row[5] for row in body] and "=1+1" not in [row[5] for row in body]
    assert "361126 上饶市弋阳县" in [row[6] for row in body]
    stamp = json.loads(render_stamp_json(report))
    assert stamp["rulebook"]["sha256"] == report.rulebook.sha256
    assert stamp["as_of"] == "2024-06-30" and "findings" not in stamp
    assert len(stamp["rejected"]) == len(report.rejected)


def test_csv_report_language(report):
    zh = render_report(report, "csv", "zh")
    en = render_report(report, "csv", "en")
    header = next(line for line in zh.splitlines() if "条款编号" in line)
    assert "未通过" in zh and "Rule" not in header and "File" not in header
    assert "Rule" in en and "fail" in en


def test_jsonl_report(report):
    lines = render_report(report, "jsonl").splitlines()
    objects = [json.loads(line) for line in lines]
    assert objects[0]["type"] == "run" and objects[0]["options"]["format"] == "xlsx"
    assert sum(o["type"] == "finding" for o in objects) == len(report.findings)
    assert sum(o["type"] == "rejected" for o in objects) == len(report.rejected)


def test_md_report(report):
    text = render_report(report, "md", "en")
    assert text.startswith("# Social-work policy check report")
    for heading in ("## Summary", "## Findings", "## Rejected records", "## Run stamp"):
        assert heading in text
    assert report.rulebook.sha256 in text
    assert "\\<img" in text and "<img" not in text.replace("\\<img", "")  # escaped
    zh = render_report(report, "md", "zh")
    assert "## 核查结果" in zh and "## 所涉条款及原文" in zh  # every rule cited once (issue 15)


def _load(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def test_xlsx_report_sheets_filters_links_and_safety(report, tmp_path):
    data = render_report(report, "xlsx", "en", base=tmp_path)
    assert isinstance(data, bytes)
    wb = _load(data)
    # The fixtures hold rejected rows: the check is incomplete and says so first (issue 20);
    # the law is cited once, on its own sheet (issue 15).
    assert wb.sheetnames == [
        "Reading",
        "Findings",
        "Summary",
        "Provisions cited",
        "Rejected records",
        "Run stamp",
    ]
    assert wb["Reading"]["A1"].value == f"incomplete: {len(report.rejected)} rows could not be read"
    ws = wb["Findings"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    headers = [c.value for c in ws[1]]
    assert {"Quote", "Clause", "Message", "Outcome"} <= set(headers)
    assert ws.max_row == len(report.findings) + 1
    cells = [c for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    values = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + INJECTION_ID in values and INJECTION_ID not in values
    source = headers.index("Source") + 1
    column = ws.iter_rows(min_row=2, min_col=source, max_col=source)
    links = [row[0].hyperlink for row in column if row[0].hyperlink]
    xlsx_links = [h for h in links if h.location]
    assert xlsx_links and xlsx_links[0].target.endswith("county.xlsx")
    assert xlsx_links[0].location.startswith("'购买服务项目'!A")
    # Each finding's "Ref." cell links to its rule's row on the provisions sheet (issue 15).
    ref = headers.index("Ref.") + 1
    cited = wb["Provisions cited"]
    for row in ws.iter_rows(min_row=2, min_col=ref, max_col=ref):
        target = row[0].hyperlink.location
        assert target.startswith("'Provisions cited'!A")
        assert cited[target.split("!")[1]].value == row[0].value  # §n there too
    summary = wb["Summary"]
    rules = [row[0].value for row in summary.iter_rows(min_row=2) if row[0].value]
    assert "yiyang-2022.labour-cost-share" in rules
    rejected = wb["Rejected records"]
    assert rejected.max_row == len(report.rejected) + 1
    stamp_values = [c.value for row in wb["Run stamp"].iter_rows() for c in row]
    assert report.rulebook.sha256 in stamp_values


def test_xlsx_formula_cells_are_strings_in_the_xml(report):
    data = render_report(report, "xlsx", "zh")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = b"".join(z.read(n) for n in sheets)
    assert b"<f>" not in xml


def test_source_links():
    from sw_policy import Location

    assert source_link(Location(path="w.xlsx", sheet="O'Neil", row=7), None) == (
        "w.xlsx",
        "'O''Neil'!A7",
    )
    assert source_link(Location(path="b.csv", row=7), None) == ("b.csv", None)


def test_html_report_is_self_contained_and_escaped(report):
    page = render_report(report, "html", "en")
    assert isinstance(page, str)
    # No external loads: no src attribute, links only within the page, no stylesheet
    # links, and one inline script whose hash the CSP pins (issue 15: sort and filter).
    assert " src=" not in page.replace("&lt;img src=x", "")
    assert re.findall(r' href="([^"]*)"', page)
    assert all(h.startswith("#") for h in re.findall(r' href="([^"]*)"', page))
    assert "<link" not in page and "@import" not in page
    assert page.count("<script") == 1 and "<script>" in page
    script = page.split("<script>")[1].split("</script>")[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page
    assert HTML_INJECTION_ID not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'id="chart"' in page and "Content-Security-Policy" in page
    assert report.rulebook.sha256 in page


def test_every_format_is_deterministic(rulebook, inputs):
    for fmt in ("json", "jsonl", "csv", "md", "html", "xlsx", "table"):
        one = render_report(check(rulebook, inputs), fmt, "zh")
        two = render_report(check(rulebook, inputs), fmt, "zh")
        assert one == two, fmt


def test_every_format_carries_the_stamp(report):
    """CSV is data only: its stamp is the sidecar's (tested with the CSV report)."""
    for fmt in ("json", "jsonl", "md", "html", "table"):
        text = render_report(report, fmt, "en")
        assert isinstance(text, str)
        assert report.rulebook.sha256 in text, fmt
        assert report.inputs[0].sha256 in text, fmt
        assert "2024-06-30" in text, fmt


def test_unknown_format():
    with pytest.raises(ValueError, match="unknown report format"):
        render_report(None, "pdf")  # type: ignore[arg-type]


def test_cli_formats_and_refusals(inputs, tmp_path):
    runner = CliRunner()
    args = ["check", *(str(p) for p in inputs), "--as-of", "2024-06-30"]
    result = runner.invoke(main, [*args, "--format", "xlsx"])
    assert result.exit_code == 2 and "--output" in result.output
    out = tmp_path / "report.xlsx"
    result = runner.invoke(main, [*args, "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert _load(out.read_bytes())["核查结果"].max_row > 1  # --lang zh is the default
    result = runner.invoke(main, [*args, "--format", "html", "--lang", "en"])
    assert result.exit_code == 1 and "Findings" in result.output
    result = runner.invoke(main, [*args, "--encoding", "klingon"])
    assert result.exit_code == 2 and "unknown encoding" in result.output
    result = runner.invoke(main, [*args, "--format", "json", "--encoding", "GBK"])
    stamp = json.loads(result.output)["options"]
    assert stamp["encoding"] == "gbk" and stamp["rules"] == "bundled"


def test_table_follows_the_input_language_unless_told(inputs):
    """Chinese headers give a Chinese table; English headers an English one (issue 15)."""
    from conftest import FIXTURES

    runner = CliRunner()
    args = ["check", *(str(p) for p in inputs), "--as-of", "2024-06-30"]
    english = runner.invoke(main, [*args, "--lang", "en"]).output
    chinese = runner.invoke(main, args).output
    assert "Summary:" in english and "Result:" in english
    plain = runner.invoke(main, ["check", str(FIXTURES / "budgets.csv"), "--as-of", "2024-06-30"])
    assert "Summary:" in plain.output and "概要" not in plain.output
    assert (
        "概要：" in chinese and "未通过的条款及原文" in chinese and "工作表 社工花名册" in chinese
    )
    assert "lang=zh" in chinese
    stamp = json.loads(runner.invoke(main, [*args, "--format", "json"]).output)["options"]
    assert stamp["lang"] == "zh"  # report formats default to Chinese


@pytest.mark.parametrize("fmt", ["table", "csv", "md", "html"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_marks_are_shown_in_every_human_format(rulebook, fmt, lang):
    """Zhejiang's rules come from a draft for comment: every readable format says so."""
    from conftest import FIXTURES

    report = check(rulebook, [FIXTURES / "budgets.csv"])
    assert any("draft_source" in f.marks for f in report.findings)
    text = render_report(report, fmt, lang)
    assert isinstance(text, str)
    assert ("出自征求意见稿" if lang == "zh" else "from a draft for comment") in text
