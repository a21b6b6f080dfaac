"""A file whose rows take a contract default a loaded rule reads says so, on every route.

checking/defaults_taken.py: one warning per file, after the reader's own, naming
each defaulted field no column (JSON: no record of the kind) gives; the same bytes
from both engines, from CSV, JSON, XLSX and Parquet.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from click.testing import CliRunner

import sw_policy
from sw_policy.checking.defaults_taken import defaults_read
from sw_policy.cli import main
from sw_policy.engines.stream.routing import fields_read
from sw_policy.records import MODEL_OF_KIND

AS_OF = "2024-06-30"
FULL = ["id", "jurisdiction", "certificate", "education", "employer_type", "direct_service"]
FULL += ["counted_as_professional", "in_purchased_project"]
ROW = ["W1", "361126", "assistant", "bachelor", "urban_community", "true", "true", "false"]
REGISTRATION = "certificate_registered = false (证书已登记)"
WARNING = f"columns absent, the contract's defaults taken: {REGISTRATION}"


def _csv(path: Path, header: list[str], *rows: list[str]) -> Path:
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    return path


def _warnings(rulebook: sw_policy.Rulebook, path: Path, engine: str) -> tuple[str, ...]:
    report = rulebook.check_files([path], as_of=AS_OF, engine=engine)
    [summary] = report.inputs
    return summary.warnings


@pytest.mark.parametrize("engine", ["row", "columnar"])
def test_a_roster_without_a_registration_column_says_the_default_was_taken(
    rulebook: sw_policy.Rulebook, tmp_path: Path, engine: str
) -> None:
    path = _csv(tmp_path / "roster.csv", FULL, ROW, ["W2", *ROW[1:]])
    report = rulebook.check_files([path], as_of=AS_OF, engine=engine)
    assert report.inputs[0].warnings == (WARNING,)
    outcomes = {f.outcome for f in report.findings if "registration" in f.rule_id}
    assert outcomes == {"fail"}  # the verdict stands; the warning says why


@pytest.mark.parametrize("engine", ["row", "columnar"])
def test_a_column_given_even_blank_takes_no_warning(
    rulebook: sw_policy.Rulebook, tmp_path: Path, engine: str
) -> None:
    header = [*FULL, "certificate_registered"]
    path = _csv(tmp_path / "blank.csv", header, [*ROW, ""], ["W2", *ROW[1:], "true"])
    assert _warnings(rulebook, path, engine) == ()
    chinese = _csv(tmp_path / "cn.csv", [*FULL, "证书已登记"], [*ROW, "是"])
    assert _warnings(rulebook, chinese, engine) == ()


@pytest.mark.parametrize("engine", ["row", "columnar"])
def test_every_absent_defaulted_field_is_named_in_model_order(
    rulebook: sw_policy.Rulebook, tmp_path: Path, engine: str
) -> None:
    path = _csv(tmp_path / "bare.csv", ["id", "jurisdiction"], ["W1", "361126"])
    report = rulebook.check_files([path], as_of=AS_OF, engine=engine, kind="worker")
    [warning] = report.inputs[0].warnings
    named = [part.split(" = ")[0] for part in warning.split(": ", 1)[1].split(", ")]
    assert named == [name for name, _ in defaults_read(rulebook)["worker"]]
    assert "certificate = none (证书等级)" in warning
    assert "direct_service = true (直接服务)" in warning


@pytest.mark.parametrize("engine", ["row", "columnar"])
def test_json_keys_count_per_kind(
    rulebook: sw_policy.Rulebook, tmp_path: Path, engine: str
) -> None:
    base: dict[str, Any] = {
        "kind": "worker",
        "jurisdiction": "361126",
        **dict(
            zip(
                FULL[2:],
                ["assistant", "bachelor", "urban_community", True, True, False],
                strict=True,
            )
        ),
    }
    path = tmp_path / "workers.json"
    path.write_text(json.dumps([{**base, "id": "W1"}, {**base, "id": "W2"}]), encoding="utf-8")
    expected = f"keys absent, the contract's defaults taken: {REGISTRATION}"
    assert _warnings(rulebook, path, engine) == (expected,)
    # One record of the kind giving the key: the file gives the field.
    given = [{**base, "id": "W1"}, {**base, "id": "W2", "certificate_registered": True}]
    path.write_text(json.dumps(given), encoding="utf-8")
    assert _warnings(rulebook, path, engine) == ()
    # A Chinese key gives it too; and so does a JSON Lines file.
    lines = tmp_path / "workers.jsonl"
    lines.write_text(json.dumps({**base, "id": "W1", "证书已登记": "否"}) + "\n", encoding="utf-8")
    assert _warnings(rulebook, lines, engine) == ()


@pytest.mark.parametrize("engine", ["row", "columnar"])
def test_xlsx_and_parquet_say_it_too(
    rulebook: sw_policy.Rulebook, tmp_path: Path, engine: str
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "社工花名册"
    sheet.append(FULL)
    sheet.append(ROW)
    book.save(tmp_path / "roster.xlsx")
    assert _warnings(rulebook, tmp_path / "roster.xlsx", engine) == (WARNING,)
    pl.DataFrame([dict(zip(FULL, ROW, strict=True))]).write_parquet(tmp_path / "r.parquet")
    report = rulebook.check_files([tmp_path / "r.parquet"], as_of=AS_OF, engine=engine)
    assert report.inputs[0].warnings == (WARNING,)


def test_a_file_without_records_of_a_kind_with_defaults_has_no_warning(
    rulebook: sw_policy.Rulebook,
) -> None:
    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    for engine in ("row", "columnar"):
        report = rulebook.check_files([fixtures / "budgets.csv"], as_of=AS_OF, engine=engine)
        assert not any("defaults taken" in w for i in report.inputs for w in i.warnings)


def test_the_qualifying_fields_are_derived_from_the_rules(rulebook: sw_policy.Rulebook) -> None:
    qualifying = defaults_read(rulebook)
    assert ("certificate_registered", "false") in qualifying["worker"]
    assert qualifying["budget"] == ()  # amounts default to unknown, never to a value
    for kind, fields in qualifying.items():
        read = set().union(*(fields_read(rule) for rule, _, _ in rulebook.rules_of_kind(kind)))
        model = MODEL_OF_KIND[kind].model_fields
        for name, _ in fields:
            assert name in read and model[name].default is not None

    class NoRules:
        def rules_of_kind(self, kind: str) -> list[Any]:
            return []

    assert all(not f for f in defaults_read(NoRules()).values())  # type: ignore[arg-type]


def test_the_cli_reports_are_byte_identical_on_both_engines(tmp_path: Path) -> None:
    path = _csv(tmp_path / "roster.csv", FULL, ROW, ["W2", *ROW[1:]])
    runner = CliRunner()
    outputs = {}
    for engine in ("row", "columnar"):
        for fmt in ("json", "table"):
            out = tmp_path / f"{engine}.{fmt}"
            argv = ["check", str(path), "--as-of", AS_OF, "--engine", engine, "--format", fmt]
            result = runner.invoke(main, [*argv, "-o", str(out)])
            assert result.exit_code == 1, result.output
            outputs[engine, fmt] = out.read_bytes()
    assert outputs["row", "json"] == outputs["columnar", "json"]
    assert outputs["row", "table"] == outputs["columnar", "table"]
    assert WARNING in json.loads(outputs["row", "json"])["inputs"][0]["warnings"]
    # A human report says it in its language (reports/defaults_note.py).
    said = "columns absent, the contract's defaults taken: certificate registered = no"
    assert said.encode() in outputs["row", "table"]
    zh = runner.invoke(main, ["check", str(path), "--as-of", AS_OF, "--lang", "zh"])
    assert "文件未给出以下列，按记录格式规定的默认值判断：证书已登记 = 否" in zh.output
