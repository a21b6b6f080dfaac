"""The JSON Lines report: one object per line, for streaming tools.

First line the run (`"type": "run"`: engine, rulebook, as_of, inputs, options,
summary), then one line per finding (`"type": "finding"`) and per rejected
record (`"type": "rejected"`), each in the JSON report's own shape.
"""

from __future__ import annotations

import json
from typing import Any

from sw_policy.findings import Report

__all__ = ["render_jsonl"]


def _line(kind: str, payload: dict[str, Any]) -> str:
    return json.dumps({"type": kind, **payload}, ensure_ascii=False, separators=(",", ":"))


def render_jsonl(report: Report) -> str:
    """The report as JSON Lines text."""
    head = report.model_dump(mode="json", exclude={"findings", "rejected"})
    lines = [_line("run", head)]
    lines += [_line("finding", f.model_dump(mode="json")) for f in report.findings]
    lines += [_line("rejected", r.model_dump(mode="json")) for r in report.rejected]
    return "\n".join(lines) + "\n"
