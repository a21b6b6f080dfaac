"""sw-policy: Chinese social-work workforce policy as executable, cited checks.

    >>> import datetime, sw_policy
    >>> rulebook = sw_policy.load_rulebook()          # the bundled rules/
    >>> report = rulebook.check([sw_policy.Budget(id="P-1", jurisdiction="330106",
    ...     total_funds="1000000.00", labour_cost="750000.00")], as_of=datetime.date(2024, 6, 30))
    >>> [(f.rule_id, f.outcome) for f in report.findings]
    [('zhejiang-2019.labour-cost-share', 'fail')]

Everything public is re-exported here; the modules behind it are private.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from ._audit import check_paths
    from ._columnar import UnsupportedConstructError
    from ._columnar_check import ColumnarReport, check_columnar, check_files_columnar
    from ._columnar_frame import ColumnarInputError, RecordFrames, frame_from_records
    from ._errors import InputFileError, PolicyError, RecordError, RuleFileError, UnknownRuleError
    from ._findings import (
        OUTCOMES,
        Citation,
        Finding,
        InputSummary,
        Location,
        Message,
        Outcome,
        Rejected,
        Report,
        RunOptions,
        Summary,
    )
    from ._impact import Impact, compare_reports
    from ._layering import MARKS, Mark
    from ._lint import Problem, lint_rules_dir
    from ._overrides import OverrideError
    from ._readers import LocatedRecord, ReadResult, parse_record, read_files
    from ._records import (
        Budget,
        Certificate,
        Community,
        CommunitySetting,
        Education,
        EmployerType,
        Institution,
        Record,
        Region,
        TrainingSession,
        Worker,
    )
    from ._report_formats import render_report
    from ._rulebook import Rulebook, load_rulebook
    from ._ruletests import RuleTestRun, run_tests
    from ._schema import CoverageEntry, RuleSpec, SourceDoc
    from ._stream_monitor import Change, Monitor, MonitorClosedError
    from ._stream_router import StreamUnavailableError


# Public name -> private module. Imported on first use, so `import sw_policy` and
# `sw-policy --help` stay fast (pydantic and the models load only when needed).
_EXPORTS: dict[str, str] = {
    "Budget": "_records",
    "Certificate": "_records",
    "Change": "_stream_monitor",
    "Citation": "_findings",
    "Community": "_records",
    "CommunitySetting": "_records",
    "compare_reports": "_impact",
    "CoverageEntry": "_schema",
    "Education": "_records",
    "EmployerType": "_records",
    "Finding": "_findings",
    "Impact": "_impact",
    "InputFileError": "_errors",
    "InputSummary": "_findings",
    "Institution": "_records",
    "lint_rules_dir": "_lint",
    "load_rulebook": "_rulebook",
    "LocatedRecord": "_readers",
    "Location": "_findings",
    "Mark": "_layering",
    "MARKS": "_layering",
    "Message": "_findings",
    "Monitor": "_stream_monitor",
    "MonitorClosedError": "_stream_monitor",
    "Outcome": "_findings",
    "OUTCOMES": "_findings",
    "OverrideError": "_overrides",
    "parse_record": "_readers",
    "PolicyError": "_errors",
    "Problem": "_lint",
    "read_files": "_readers",
    "ReadResult": "_readers",
    "Record": "_records",
    "RecordError": "_errors",
    "Region": "_records",
    "Rejected": "_findings",
    "Report": "_findings",
    "Rulebook": "_rulebook",
    "RuleFileError": "_errors",
    "RuleSpec": "_schema",
    "run_tests": "_ruletests",
    "RunOptions": "_findings",
    "SourceDoc": "_schema",
    "StreamUnavailableError": "_stream_router",
    "Summary": "_findings",
    "RuleTestRun": "_ruletests",
    "TrainingSession": "_records",
    "UnknownRuleError": "_errors",
    "Worker": "_records",
    "check_paths": "_audit",
    "render_report": "_report_formats",
    # The columnar engine (Polars), for provincial-scale inputs.
    "ColumnarInputError": "_columnar_frame",
    "ColumnarReport": "_columnar_check",
    "RecordFrames": "_columnar_frame",
    "UnsupportedConstructError": "_columnar",
    "check_columnar": "_columnar_check",
    "check_files_columnar": "_columnar_check",
    "frame_from_records": "_columnar_frame",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sw_policy' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "MARKS",
    "OUTCOMES",
    "Budget",
    "Certificate",
    "Change",
    "Citation",
    "ColumnarInputError",
    "ColumnarReport",
    "Community",
    "CommunitySetting",
    "CoverageEntry",
    "Education",
    "EmployerType",
    "Finding",
    "Impact",
    "InputFileError",
    "InputSummary",
    "Institution",
    "LocatedRecord",
    "Location",
    "Mark",
    "Message",
    "Monitor",
    "MonitorClosedError",
    "Outcome",
    "OverrideError",
    "PolicyError",
    "Problem",
    "ReadResult",
    "Record",
    "RecordError",
    "RecordFrames",
    "Region",
    "Rejected",
    "Report",
    "RuleFileError",
    "RuleSpec",
    "RuleTestRun",
    "Rulebook",
    "RunOptions",
    "SourceDoc",
    "StreamUnavailableError",
    "Summary",
    "TrainingSession",
    "UnknownRuleError",
    "UnsupportedConstructError",
    "Worker",
    "__version__",
    "check_columnar",
    "check_files_columnar",
    "check_paths",
    "compare_reports",
    "frame_from_records",
    "lint_rules_dir",
    "load_rulebook",
    "parse_record",
    "read_files",
    "render_report",
    "run_tests",
]
