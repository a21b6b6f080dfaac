"""`sw-policy check -`: records from standard input, bounded, named <stdin> in the report,
the format told from the bytes or given by --input-format, the same on both engines."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sw_policy.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CSV = "kind,id,jurisdiction,total_funds,labour_cost\nbudget,P-1,330106,100,90\n"
CSV += "budget,P-2,330106,100,20\nbudget,P-3,330106,-5,1\n"


def _check(data: bytes | str, *args: str) -> tuple[int, str, str]:
    argv = ["check", "-", "--as-of", "2024-06-30", *args]
    result = CliRunner().invoke(main, argv, input=data)
    assert "internal error" not in result.stderr, result.stderr
    return result.exit_code, result.stdout, result.stderr


def _json_report(data: bytes | str, *args: str) -> dict[str, object]:
    code, out, err = _check(data, "--format", "json", *args)
    assert code in (0, 1, 3), err
    report: dict[str, object] = json.loads(out)
    return report


@pytest.mark.parametrize("engine", ["row", "columnar"])
def test_csv_from_standard_input_is_named_stdin(engine: str) -> None:
    report = _json_report(CSV, "--engine", engine, "--kind", "budget")
    [summary] = report["inputs"]  # type: ignore[misc]
    assert summary["path"] == "<stdin>" and summary["records"] == 3
    [rejected] = report["rejected"]  # type: ignore[misc]
    assert rejected["path"] == "<stdin>" and rejected["row"] == 4
    assert "sw-policy-stdin" not in json.dumps(report)


def test_both_engines_give_the_same_bytes_in_every_text_format() -> None:
    for fmt in ("json", "table", "md", "csv", "html"):
        row = _check(CSV, "--engine", "row", "--kind", "budget", "--format", fmt)
        columnar = _check(CSV, "--engine", "columnar", "--kind", "budget", "--format", fmt)
        assert row == columnar, fmt
        shown = {"md": r"\<stdin\>", "html": "&lt;stdin&gt;"}.get(fmt, "<stdin>")
        assert shown in row[1] and "sw-policy-stdin" not in row[1], fmt


def test_same_report_as_the_file_but_for_its_name() -> None:
    path = FIXTURES / "budgets.json"
    stdin = _json_report(path.read_bytes())
    result = CliRunner().invoke(
        main, ["check", str(path), "--as-of", "2024-06-30", "--format", "json"]
    )
    text = result.stdout.replace(json.dumps(str(path))[1:-1], "<stdin>")
    assert json.loads(text)["findings"] == stdin["findings"]


@pytest.mark.parametrize("name", ["budgets.json", "workers.json", "budgets.csv"])
def test_format_told_from_the_bytes(name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    report = _json_report(data)
    [summary] = report["inputs"]  # type: ignore[misc]
    assert summary["path"] == "<stdin>" and summary["records"] > 0


def test_json_lines_and_xlsx_from_standard_input(tmp_path: Path) -> None:
    lines = "".join(
        json.dumps({"kind": "budget", "id": f"J-{i}", "jurisdiction": "330106", "total_funds": 9})
        + "\n"
        for i in range(3)
    )
    assert _json_report(lines)["inputs"][0]["records"] == 3  # type: ignore[index]
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in CSV.splitlines():
        sheet.append(row.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    report = _json_report(buffer.getvalue())
    assert report["inputs"][0]["path"] == "<stdin>"  # type: ignore[index]
    assert report["inputs"][0]["records"] == 3  # type: ignore[index]


def test_input_format_overrides_the_sniffing() -> None:
    one_line = '{"kind":"budget","id":"J-1","jurisdiction":"330106","total_funds":9}\n'
    report = _json_report(one_line, "--input-format", "jsonl")
    assert report["inputs"][0]["records"] == 1  # type: ignore[index]
    code, _, err = _check(one_line, "--input-format", "csv")  # read as CSV: not records
    assert code == 2 and "<stdin>" in err and "sw-policy-stdin" not in err


def test_a_refusal_names_stdin_not_the_copy() -> None:
    code, out, err = _check(b"\x00\x01garbage", "--input-format", "xlsx")
    assert code == 2 and out == ""
    [line] = err.splitlines()
    assert "<stdin>" in line and "sw-policy-stdin" not in line


def test_standard_input_is_bounded_by_file_bytes() -> None:
    code, _, err = _check(CSV * 100, "--kind", "budget", "--limit", "file_bytes=1000")
    assert code == 2 and "standard input" in err and "file_bytes=1000" in err


def test_input_format_without_stdin_and_stdin_twice_are_usage_errors() -> None:
    path = str(FIXTURES / "budgets.csv")
    result = CliRunner().invoke(main, ["check", path, "--input-format", "csv"])
    assert result.exit_code == 2 and "standard input" in result.stderr
    result = CliRunner().invoke(main, ["check", "-", "-"], input=CSV)
    assert result.exit_code == 2 and "only once" in result.stderr


def test_report_file_from_standard_input(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    code, _, err = _check(CSV, "--kind", "budget", "-o", str(target))
    assert code == 3 and target.stat().st_size > 0, err  # P-3 rejected
