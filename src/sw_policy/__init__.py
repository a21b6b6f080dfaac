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
    from sw_policy.checking.coerce import IN_MEMORY
    from sw_policy.checking.columnar import (
        ColumnarReport,
        check_columnar,
        check_files_columnar,
    )
    from sw_policy.checking.files import COLUMNAR_FROM_ROWS, check_paths
    from sw_policy.checking.monitoring import Monitor
    from sw_policy.checking.rulebook import Rulebook, load_rulebook
    from sw_policy.checking.trace import Explanation, NodeTrace
    from sw_policy.drafting.impact import Impact, compare_reports
    from sw_policy.drafting.lint import Problem, lint_rules_dir
    from sw_policy.drafting.rule_tests import RuleTestRun, run_tests
    from sw_policy.engines.stream.monitor import Change, MonitorClosedError
    from sw_policy.engines.stream.router import StreamUnavailableError
    from sw_policy.errors import (
        InputFileError,
        LimitError,
        PolicyError,
        RecordError,
        RuleFileError,
        UnknownRuleError,
        UnsupportedConstructError,
        UsageError,
    )
    from sw_policy.findings import (
        CITATION_FIELDS,
        FINDING_COLUMNS,
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
        Skipped,
        Summary,
    )
    from sw_policy.inputs.frames import ColumnarInputError, RecordFrames, frame_from_records
    from sw_policy.inputs.readers import LocatedRecord, ReadResult, parse_record, read_files
    from sw_policy.records import (
        Budget,
        Certificate,
        Community,
        CommunitySetting,
        Education,
        EmployerType,
        Institution,
        PostSeries,
        Record,
        Region,
        TitleBasis,
        TitleTier,
        TrainingSession,
        Worker,
    )
    from sw_policy.reports.formats import render_report
    from sw_policy.rulebook.layering import MARKS, Mark
    from sw_policy.rulebook.overrides import OverrideError
    from sw_policy.rulebook.schema import CoverageEntry, RuleSpec, SourceDoc


# Public name -> private module. Imported on first use, so `import sw_policy` and
# `sw-policy --help` stay fast (pydantic and the models load only when needed).
_EXPORTS: dict[str, str] = {
    "Budget": "records",
    "Certificate": "records",
    "Change": "engines.stream.monitor",
    "Citation": "findings",
    "CITATION_FIELDS": "findings",
    "FINDING_COLUMNS": "findings",
    "Community": "records",
    "CommunitySetting": "records",
    "compare_reports": "drafting.impact",
    "CoverageEntry": "rulebook.schema",
    "Education": "records",
    "EmployerType": "records",
    "Finding": "findings",
    "Impact": "drafting.impact",
    "InputFileError": "errors",
    "LimitError": "errors",
    "InputSummary": "findings",
    "Institution": "records",
    "lint_rules_dir": "drafting.lint",
    "load_rulebook": "checking.rulebook",
    "LocatedRecord": "inputs.readers",
    "Location": "findings",
    "Mark": "rulebook.layering",
    "MARKS": "rulebook.layering",
    "Message": "findings",
    "Monitor": "checking.monitoring",
    "MonitorClosedError": "engines.stream.monitor",
    "Outcome": "findings",
    "OUTCOMES": "findings",
    "OverrideError": "rulebook.overrides",
    "parse_record": "inputs.readers",
    "PostSeries": "records",
    "PolicyError": "errors",
    "Problem": "drafting.lint",
    "read_files": "inputs.readers",
    "ReadResult": "inputs.readers",
    "Record": "records",
    "RecordError": "errors",
    "Region": "records",
    "Rejected": "findings",
    "Skipped": "findings",
    "Report": "findings",
    "Rulebook": "checking.rulebook",
    "RuleFileError": "errors",
    "RuleSpec": "rulebook.schema",
    "run_tests": "drafting.rule_tests",
    "RunOptions": "findings",
    "SourceDoc": "rulebook.schema",
    "TitleBasis": "records",
    "TitleTier": "records",
    "StreamUnavailableError": "engines.stream.router",
    "Summary": "findings",
    "RuleTestRun": "drafting.rule_tests",
    "TrainingSession": "records",
    "UnknownRuleError": "errors",
    "UsageError": "errors",
    "Explanation": "checking.trace",
    "NodeTrace": "checking.trace",
    "IN_MEMORY": "checking.coerce",
    "COLUMNAR_FROM_ROWS": "checking.files",
    "Worker": "records",
    "check_paths": "checking.files",
    "render_report": "reports.formats",
    # The columnar engine (Polars), for provincial-scale inputs.
    "ColumnarInputError": "inputs.frames",
    "ColumnarReport": "checking.columnar",
    "RecordFrames": "inputs.frames",
    "UnsupportedConstructError": "errors",
    "check_columnar": "checking.columnar",
    "check_files_columnar": "checking.columnar",
    "frame_from_records": "inputs.frames",
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
    "CITATION_FIELDS",
    "COLUMNAR_FROM_ROWS",
    "FINDING_COLUMNS",
    "IN_MEMORY",
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
    "Explanation",
    "Finding",
    "Impact",
    "InputFileError",
    "InputSummary",
    "Institution",
    "LimitError",
    "LocatedRecord",
    "Location",
    "Mark",
    "Message",
    "Monitor",
    "MonitorClosedError",
    "NodeTrace",
    "Outcome",
    "OverrideError",
    "PolicyError",
    "PostSeries",
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
    "Skipped",
    "SourceDoc",
    "StreamUnavailableError",
    "Summary",
    "TitleBasis",
    "TitleTier",
    "TrainingSession",
    "UnknownRuleError",
    "UnsupportedConstructError",
    "UsageError",
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
