"""The columnar engine's findings frame as Finding objects (what `Rulebook.check` returns).

`ColumnarReport.to_report()` (and so `Rulebook.check` on a large frame or list
of dicts) needs one Finding per row of the findings frame: built from whole
columns, without re-validating, by engines/columnar/objects.py. The objects
are equal to engines/columnar/report.py's `finding_models` (validated); tests
compare.
"""

from __future__ import annotations

from typing import Any

from sw_policy.engines.columnar.engine import ColumnarResult
from sw_policy.engines.columnar.objects import finding_objects
from sw_policy.engines.columnar.report import Labels, finding_models
from sw_policy.findings import Finding
from sw_policy.inputs.frames import RecordFrames

__all__ = ["findings_of"]


def findings_of(
    result: ColumnarResult,
    rulebook: Any,
    labels: Labels | None = None,
    *,
    frames: RecordFrames | None = None,
) -> list[Finding]:
    """One Finding per row of `result.findings`, in order (`rulebook`: the Rulebook);
    `frames` (the records judged) gives each its record's name and division code.
    `labels` (record_labels) does the same from a dict, the validating way."""
    if labels is not None:
        return finding_models(result, rulebook, labels)
    return finding_objects(result, rulebook, frames)
