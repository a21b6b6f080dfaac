"""Every hostile family on both engines: one-line refusal or per-row rejection, never
"internal error", never a record unjudged, and byte-identical reports from both engines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_corpus import CASES, Case

from sw_policy.cli import main


def _run(path: Path, case: Case, engine: str) -> tuple[int, str, str]:
    limits = [arg for text in case.limits for arg in ("--limit", text)]
    args = ["check", str(path), "--as-of", "2024-06-30", "--format", "json", "--engine", engine]
    result = CliRunner().invoke(main, [*args, *limits])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_gets_its_expected_behaviour_on_both_engines(case: Case, tmp_path: Path) -> None:
    path = tmp_path / case.filename
    path.write_bytes(case.make())
    outputs = {}
    for engine in ("row", "columnar"):
        code, out, err = _run(path, case, engine)
        assert "internal error" not in err and "Traceback" not in err, err
        if case.error is not None:
            assert code == 2 and out == ""
            assert err.count("\n") == 1 and str(path) in err and case.error in err, err
            continue
        assert code in (0, 1, 3), err
        report = json.loads(out)
        summary = report["inputs"][0]
        assert summary["records"] == summary["evaluated"] + summary["rejected"]
        if case.records is not None:
            assert summary["records"] == case.records
        rejected = {(r["row"], "; ".join(r["errors"])) for r in report["rejected"]}
        for row, text in case.rejected:
            assert any(r == row and text in errors for r, errors in rejected), rejected
        judged = {f["record_id"] for f in report["findings"]}
        assert summary["evaluated"] == len(judged)
        outputs[engine] = out
    if outputs:
        assert outputs["row"] == outputs["columnar"]
