"""sw-policy: Chinese social-work workforce policy as executable, cited checks.

    >>> import sw_policy
    >>> rulebook = sw_policy.load_rulebook()          # the bundled rules/
    >>> report = rulebook.check([sw_policy.Budget(id="P-1", jurisdiction="330106",
    ...     total_funds="1000000.00", labour_cost="750000.00")], as_of=datetime.date(2024, 6, 30))
    >>> [(f.rule_id, f.outcome) for f in report.findings]
    [('zhejiang-2019.labour-cost-share', 'fail')]

Everything public is re-exported here; the modules behind it are private.
"""

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
    Summary,
)
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
from ._rulebook import Rulebook, load_rulebook
from ._schema import CoverageEntry, RuleSpec, SourceDoc
from ._version import __version__

__all__ = [
    "OUTCOMES",
    "Budget",
    "Certificate",
    "Citation",
    "Community",
    "CommunitySetting",
    "CoverageEntry",
    "Education",
    "EmployerType",
    "Finding",
    "InputFileError",
    "InputSummary",
    "Institution",
    "LocatedRecord",
    "Location",
    "Message",
    "Outcome",
    "PolicyError",
    "ReadResult",
    "Record",
    "RecordError",
    "Region",
    "Rejected",
    "Report",
    "RuleFileError",
    "RuleSpec",
    "Rulebook",
    "SourceDoc",
    "Summary",
    "TrainingSession",
    "UnknownRuleError",
    "Worker",
    "__version__",
    "load_rulebook",
    "parse_record",
    "read_files",
]
