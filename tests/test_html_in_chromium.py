"""The HTML report as a browser shows it: headless Chromium renders the page, and we
check the rendered DOM (what the parser built, after any script) and a screenshot
(the chart's bars are really drawn in their colours).

Skipped when no Chromium is installed, unless SW_POLICY_REQUIRE_CHROMIUM=1 (CI
sets it, and .ci/run installs Debian's chromium), which turns absence into a failure.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from auditor_files import HTML_INJECTION_ID, INJECTION_ID, county_workbook, gbk_budget_csv
from sw_policy import RunOptions, render_report
from sw_policy.reports.html_report import COLOURS

AS_OF = dt.date(2024, 6, 30)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("SW_POLICY_REQUIRE_CHROMIUM") == "1":
        pytest.fail("SW_POLICY_REQUIRE_CHROMIUM=1 but no chromium on PATH")
    pytest.skip("chromium not installed (apt-get install chromium)")


def _run(chromium: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",  # tests may run as root (CI containers)
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


class _Dom(HTMLParser):
    """A tiny DOM: elements with tag, attributes, text, parent; enough to query the page."""

    VOID = frozenset({"meta", "br", "img", "hr", "input", "link", "rect", "path"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.stack: list[dict] = []

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": [], "parents": list(self.stack)}
        self.elements.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(
            {"tag": tag, "attrs": dict(attrs), "text": [], "parents": list(self.stack)}
        )

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i]["tag"] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        for element in self.stack:
            element["text"].append(data)

    def by_id(self, name: str) -> dict:
        return next(e for e in self.elements if e["attrs"].get("id") == name)

    def text(self, element: dict) -> str:
        return " ".join("".join(element["text"]).split())

    def within(self, ancestor: dict, tag: str) -> list[dict]:
        return [
            e for e in self.elements if e["tag"] == tag and any(p is ancestor for p in e["parents"])
        ]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, rulebook):
    chromium = _chromium()
    folder = tmp_path_factory.mktemp("html")
    inputs = [county_workbook(folder / "county.xlsx"), gbk_budget_csv(folder / "b.csv")]
    report = rulebook.check_files(inputs, as_of=AS_OF, options=RunOptions(format="html", lang="en"))
    page = folder / "report.html"
    page.write_text(render_report(report, "html", "en"), encoding="utf-8")
    dom_text = _run(chromium, folder, "--dump-dom", page.as_uri()).stdout
    dom = _Dom()
    dom.feed(dom_text)
    shot = folder / "shot.png"
    _run(chromium, folder, f"--screenshot={shot}", "--window-size=1400,1000", page.as_uri())
    return report, dom, shot


def test_page_shows_the_summary_and_verdict(rendered):
    report, dom, _ = rendered
    assert dom.text(dom.elements[[e["tag"] for e in dom.elements].index("h1")]) == (
        "Social-work policy check report"
    )
    assert "At least one mandatory provision failed" in dom.text(dom.by_id("verdict"))
    cells = [dom.text(td) for td in dom.within(dom.by_id("summary-table"), "td")]
    pairs = dict(zip(cells[::2], cells[1::2], strict=True))
    evaluated = sum(i.evaluated for i in report.inputs)
    assert pairs["Records"] == str(evaluated + len(report.rejected))
    assert pairs["Rejected records"] == str(len(report.rejected))
    assert pairs["fail"] == str(report.summary.by_outcome["fail"])


def test_page_shows_the_chart_per_rule(rendered):
    report, dom, _ = rendered
    chart = dom.by_id("chart")
    bars = [e for e in dom.within(chart, "rect") if "bar" in e["attrs"].get("class", "")]
    failing_rules = {f.rule_id for f in report.findings if f.outcome == "fail"}
    fail_bars = {e["attrs"]["data-rule"] for e in bars if "bar-fail" in e["attrs"]["class"]}
    assert fail_bars == failing_rules
    assert sum(int(e["attrs"]["data-count"]) for e in bars) == len(report.findings)


def test_page_shows_findings_with_quotes_and_rejected_rows(rendered):
    report, dom, _ = rendered
    findings = dom.by_id("findings-table")
    body_rows = [tr for tr in dom.within(findings, "tr") if dom.within(tr, "td")]
    assert len(body_rows) == len(report.findings)
    # The law is cited once, in the provisions section; each row links to its rule there.
    quotes = {dom.text(q) for q in dom.within(dom.by_id("provisions"), "blockquote")}
    assert any("80%" in q for q in quotes)  # yiyang-2022's labour-cost floor, quoted
    assert not dom.within(findings, "blockquote")
    links = {a["attrs"]["href"] for a in dom.within(findings, "a")}
    assert links and all(dom.by_id(link[1:]) for link in links)
    rejected = dom.by_id("rejected-table")
    assert len([tr for tr in dom.within(rejected, "tr") if dom.within(tr, "td")]) == len(
        report.rejected
    )
    assert report.rulebook.sha256 in dom.text(dom.by_id("stamp"))


def test_injected_markup_shows_as_text_and_builds_no_element(rendered):
    _, dom, _ = rendered
    cell_texts = [dom.text(td) for td in dom.within(dom.by_id("findings-table"), "td")]
    assert HTML_INJECTION_ID in cell_texts and INJECTION_ID in cell_texts
    assert not [e for e in dom.elements if e["tag"] in {"img", "iframe"}]
    assert len([e for e in dom.elements if e["tag"] == "script"]) == 1  # the pinned one


def test_screenshot_shows_pass_and_fail_bars(rendered):
    image_module = pytest.importorskip("PIL.Image")
    _, _, shot = rendered
    with image_module.open(shot) as image:
        colours = {colour for _, colour in image.convert("RGB").getcolors(maxcolors=1 << 20)}

    def rgb(hex_colour: str) -> tuple[int, int, int]:
        return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]

    assert rgb(COLOURS["fail"]) in colours and rgb(COLOURS["pass"]) in colours


# --- The working paper printed to A4, and nothing from the network (issue 15) ---

_QUIET = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
)
# Requests the browser makes for itself (updates, clock, accounts), never the page's.
_BROWSER_OWN = re.compile(r"^https?://([a-z0-9-]+\.)*(google\.com|googleapis\.com|gvt1\.com)/")


def _requested_urls(chromium: str, tmp_path: Path, page: Path, name: str) -> set[str]:
    """Every URL in Chromium's network log while it prints `page`, the browser's own left out."""
    netlog = tmp_path / f"{name}.netlog.json"
    _run(
        chromium,
        tmp_path,
        *_QUIET,
        f"--log-net-log={netlog}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={tmp_path / (name + '.pdf')}",
        page.as_uri(),
    )
    events = json.loads(netlog.read_text(encoding="utf-8"))["events"]
    urls = {
        str(e["params"][key])
        for e in events
        for key in ("url", "original_url")
        if key in e.get("params", {})
    }
    return {u for u in urls if not _BROWSER_OWN.match(u)}


@pytest.fixture(scope="module")
def printed(tmp_path_factory, rulebook):
    chromium = _chromium()
    folder = tmp_path_factory.mktemp("print")
    inputs = [county_workbook(folder / "county.xlsx"), gbk_budget_csv(folder / "b.csv")]
    report = rulebook.check_files(inputs, as_of=AS_OF, options=RunOptions(format="html"))
    page = folder / "report.html"
    page.write_text(render_report(report, "html", "zh"), encoding="utf-8")
    urls = _requested_urls(chromium, folder, page, "report")
    control = folder / "control.html"
    control.write_text('<img src="http://example.invalid/pixel.png">', encoding="utf-8")
    control_urls = _requested_urls(chromium, folder, control, "control")
    return report, folder / "report.pdf", urls, control_urls


def test_nothing_loads_from_the_network(printed):
    _, _, urls, control_urls = printed
    assert any("example.invalid" in u for u in control_urls)  # the log does see page loads
    assert all(u.startswith(("file:", "data:")) for u in urls), urls


def test_prints_on_a4_with_sections_on_their_own_pages(printed):
    report, pdf, _, _ = printed
    data = pdf.read_bytes()
    boxes = {
        tuple(round(float(v)) for v in box.split())
        for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)
    }
    assert boxes == {(0, 0, 595, 842)}  # A4 in points
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert pages >= 4  # summary; findings; provisions; rejected and stamp
    if shutil.which("pdftotext"):
        first = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        flat = "".join(first.split())  # table cells wrap: compare without line breaks
        assert "至少一项强制性条款未通过" in flat and "各条款结果" in flat
        assert "人力成本占项目经费比例最低66.67%" in flat  # the one-page summary per rule
        assert report.rulebook.sha256[:12] in flat  # the stamp header
