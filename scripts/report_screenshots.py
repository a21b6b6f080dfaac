"""Screenshots of the HTML report and of its printed A4 pages, for docs/img/.

    python scripts/report_screenshots.py [OUT_DIR]   (default: docs/img)

Makes the county office's files (tests/auditor_files.py), checks them into a
Chinese HTML working paper, and has headless Chromium take a screenshot and
print it to PDF; `pdftoppm` (poppler-utils) turns the first pages into PNGs.
Needs chromium and pdftoppm on PATH; writes nothing else.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from auditor_files import county_workbook, gbk_budget_csv  # noqa: E402

PAGES = 4


def chromium(profile: Path, *args: str) -> None:
    """Run headless Chromium with its background services off."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("chromium not found (apt-get install chromium)")
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-background-networking",
            f"--user-data-dir={profile}",
            *args,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def main(out_dir: Path) -> None:
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm not found (apt-get install poppler-utils)")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = [county_workbook(work / "county.xlsx"), gbk_budget_csv(work / "经费.csv")]
        page = work / "核查报告.html"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sw_policy",
                "check",
                *(p.name for p in inputs),  # relative: the report shows the names only
                "--as-of",
                "2024-06-30",
                "-o",
                page.name,
            ],
            cwd=work,
            check=False,  # exit status 1: a mandatory provision failed, as intended
        )
        chromium(
            work / "profile",
            f"--screenshot={out_dir / 'report-html.png'}",
            "--window-size=1200,1600",
            page.as_uri(),
        )
        pdf = work / "report.pdf"
        chromium(work / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-l", str(PAGES), str(pdf), str(work / "page")],
            check=True,
        )
        for n, png in enumerate(sorted(work.glob("page-*.png")), start=1):
            shutil.copyfile(png, out_dir / f"report-print-{n}.png")
    print(f"wrote {out_dir}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img")
