"""Division codes in the rows checked against the GB/T 2260 table (issue 20): a code the
table does not have, or a retired one, is a warning once per file, on both engines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sw_policy.cli import main
from sw_policy.inputs.divisions import codes_warnings

AS_OF = "2024-06-30"


def test_codes_warnings() -> None:
    assert codes_warnings(["330106", "330100"]) == []
    assert codes_warnings(["339999", "330106", "339998", "339999"]) == [
        "division codes not in the GB/T 2260 table: 339998, 339999"
    ]
    [retired] = codes_warnings(["330103"])
    assert "330103" in retired and "retired after 2021" in retired
    many = codes_warnings([f"3399{n:02d}" for n in range(12)])
    assert many == [
        "division codes not in the GB/T 2260 table: "
        + ", ".join(f"3399{n:02d}" for n in range(10))
        + " and 2 more"
    ]


def _run(path: Path, engine: str, fmt: str = "json") -> tuple[int, str]:
    args = ["check", str(path), "--as-of", AS_OF, "--format", fmt, "--engine", engine]
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.stdout


@pytest.mark.parametrize("suffix", ["csv", "json", "xlsx"])
def test_unknown_and_retired_codes_warn_alike_on_both_engines(tmp_path: Path, suffix: str) -> None:
    rows = [
        {"id": "P-1", "jurisdiction": "330106", "total_funds": "100", "labour_cost": "60"},
        {"id": "P-2", "jurisdiction": "339999", "total_funds": "100", "labour_cost": "60"},
        {"id": "P-3", "jurisdiction": "330103", "total_funds": "100", "labour_cost": "60"},
    ]
    path = tmp_path / f"budgets.{suffix}"
    if suffix == "json":
        path.write_text(json.dumps([{"kind": "budget", **r} for r in rows]), encoding="utf-8")
    elif suffix == "csv":
        lines = [",".join(rows[0])] + [",".join(r.values()) for r in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        book.active.append(list(rows[0]))
        for r in rows:
            book.active.append(list(r.values()))
        book.save(path)
    out = {engine: _run(path, engine) for engine in ("row", "columnar")}
    assert out["row"] == out["columnar"]
    status, text = out["row"]
    report = json.loads(text)
    assert status == 0  # a warning, not a rejection: every record evaluated
    assert report["inputs"][0]["rejected"] == 0 and report["inputs"][0]["evaluated"] == 3
    warnings = report["inputs"][0]["warnings"]
    assert "division codes not in the GB/T 2260 table: 339999" in warnings
    assert any(w.startswith("jurisdiction 330103 (下城区) was retired") for w in warnings)
    assert not any("330106" in w for w in warnings)
    for fmt in ("table", "md"):
        shown = _run(path, "row", fmt)[1]
        assert "GB/T 2260" in shown and "339999" in shown and "330103" in shown


def test_a_plain_csv_read_in_chunks_to_a_file_warns_like_the_row_engine(tmp_path: Path) -> None:
    # One plain ASCII CSV to a JSON file goes through the chunked reader (issue 19),
    # whose head is written before any chunk is read: the scan collects the codes.
    path = tmp_path / "budgets.csv"
    path.write_text(
        "id,jurisdiction,total_funds,labour_cost\n"
        "P-1,330106,100,60\nP-2,339999,100,60\nP-3,330103,100,60\n",
        encoding="utf-8",
    )
    reports = {}
    for engine in ("row", "columnar"):
        target = tmp_path / f"{engine}.json"
        args = ["check", str(path), "--as-of", AS_OF, "--format", "json", "--engine", engine]
        result = CliRunner().invoke(main, [*args, "--output", str(target)])
        assert result.exit_code == 0, result.output
        reports[engine] = target.read_bytes()
    assert reports["row"] == reports["columnar"]
    assert b"339999" in reports["columnar"] and b"330103" in reports["columnar"]
