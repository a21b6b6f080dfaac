"""Reports stay byte-identical across refactorings: a subset of the snapshot, by digest.

`scripts/report_snapshot.py` writes every report of every format on every
fixture (both engines, both languages); tests/report_snapshot.sha256 keeps the
digests of a representative subset (every format on both engines, every
fixture), run here in-process. A change that alters a report on purpose
regenerates the file and says so in its commit message.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
DIGESTS = Path(__file__).resolve().parent / "report_snapshot.sha256"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "report_snapshot", ROOT / "scripts" / "report_snapshot.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("report_snapshot", module)
    spec.loader.exec_module(module)
    return module


def _expected() -> dict[str, str]:
    lines = DIGESTS.read_text(encoding="utf-8").splitlines()
    pairs = (line.split() for line in lines if line and not line.startswith("#"))
    return {name: digest for digest, name in pairs}


def test_the_subset_covers_every_format_engine_and_fixture() -> None:
    script = _script()
    names = _expected()
    assert set(names) <= {name for name, _ in script.runs()}
    parts = [name.rsplit(".", 3) for name in names]
    assert {p[3] for p in parts} == set(script.FORMATS)
    assert {p[1] for p in parts} == {"row", "columnar"}
    assert {p[2] for p in parts} == {"zh", "en"}
    assert {p[0] for p in parts} == set(script.INPUTS)


def test_reports_are_byte_identical_to_the_snapshot(tmp_path: Path) -> None:
    expected = _expected()
    got = _script().snapshot_in_process(tmp_path, set(expected))
    changed = sorted(name for name in expected if got.get(name) != expected[name])
    assert changed == [], f"reports changed (see {tmp_path}): {changed}"
