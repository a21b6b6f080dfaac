"""The exception tree. Every error sw-policy raises on purpose is a PolicyError.

    PolicyError                     root; the CLI turns any of these into one line and exit 2
    ├── RuleFileError               a rule file is refused whole (path, line, reason, hint)
    ├── OverrideError               a --set / with_parameters override is refused (key, reason)
    ├── RecordError                 one record cannot be read (path, row, record_id, errors)
    ├── InputFileError              an input file cannot be read at all (path, reason)
    ├── ColumnarInputError          a value the columnar engine cannot hold exactly
    ├── UnknownRuleError            a rule id that the rulebook does not define (rule_id)
    ├── UnsupportedConstructError   an engine has no exact handler for a rule's construct
    ├── MonitorClosedError          an event was posted to a closed monitor
    ├── StreamUnavailableError      the stream extra (durable-rules) cannot load
    ├── LimitError                  an input goes beyond a documented limit (path, name, value)
    └── UsageError                  a library call's argument cannot be used (bad date text, kind)

Errors carry structured fields so callers can act on them without parsing text.
Every subclass is defined here (and re-exported where it used to live), so this
drawing is the whole tree; tests/test_errors_tree.py keeps it so.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ColumnarInputError",
    "InputFileError",
    "LimitError",
    "MonitorClosedError",
    "OverrideError",
    "PolicyError",
    "RecordError",
    "RuleFileError",
    "StreamUnavailableError",
    "UnknownRuleError",
    "UnsupportedConstructError",
    "UsageError",
]


class PolicyError(Exception):
    """Root of every error sw-policy raises deliberately."""


class RuleFileError(PolicyError):
    """A rule file (or the rulebook as a whole) is invalid and was refused whole."""

    def __init__(
        self,
        path: Path | str,
        reason: str,
        *,
        line: int | None = None,
        hint: str | None = None,
        code: str | None = None,
        brief: str | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        self.hint = hint
        # What is wrong as a stable code (e.g. "duplicate-key") where the raiser knows it,
        # and the reason without its advice, for a list of problems (rulebook/validation.py).
        self.code = code
        self.brief = brief
        where = f"{self.path}:{line}" if line is not None else self.path
        text = f"{where}: {reason}"
        if hint:
            text += f" ({hint})"
        super().__init__(text)


class RecordError(PolicyError):
    """A record failed validation; `errors` holds one "field: reason" string per problem."""

    def __init__(
        self,
        errors: list[str],
        *,
        path: str | None = None,
        row: int | None = None,
        record_id: str | None = None,
    ) -> None:
        self.errors = errors
        self.path = path
        self.row = row
        self.record_id = record_id
        where = ":".join(str(p) for p in (path, row) if p is not None)
        prefix = f"{where}: " if where else ""
        super().__init__(prefix + "; ".join(errors))


class InputFileError(PolicyError):
    """An input file could not be read at all (missing, not JSON, not a known format)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnknownRuleError(PolicyError, KeyError):
    """A rule id was asked for that the loaded rulebook does not define."""

    def __init__(self, rule_id: str, suggestions: list[str] | None = None) -> None:
        self.rule_id = rule_id
        self.suggestions = suggestions or []
        text = f"no rule with id {rule_id!r}"
        if self.suggestions:
            text += f" (did you mean {', '.join(self.suggestions)}?)"
        super().__init__(text)

    def __str__(self) -> str:
        return str(self.args[0])


class OverrideError(PolicyError):
    """A parameter override names no parameter, or gives a value the rule cannot take."""

    def __init__(self, key: str, reason: str) -> None:
        self.key = key
        self.reason = reason
        super().__init__(f"--set {key}: {reason}")


class ColumnarInputError(PolicyError):
    """A value the columnar engine cannot hold exactly (use --engine row for it)."""


class UnsupportedConstructError(PolicyError):
    """An engine cannot reproduce a construct of the condition language exactly.

    Raised by every back end (row tree walk and compiler, columnar compiler):
    a node type with no handler, or a combination the back end refuses.
    """


class MonitorClosedError(PolicyError):
    """An event was posted to a monitor after close()."""


class StreamUnavailableError(PolicyError):
    """The stream extra (durable-rules) is not installed or cannot load on this Python."""


class UsageError(PolicyError, ValueError):
    """A library function was given an argument of the right type that it cannot use.

    For example as_of="2024-13-01" or an unknown encoding; the message names the argument.
    A value of the wrong type altogether is a TypeError instead.
    """


class LimitError(PolicyError):
    """A file goes beyond a limit: names the file, the limit and how to raise it."""

    def __init__(self, path: object, what: str, name: str, value: object) -> None:
        self.path = str(path)
        self.name = name
        self.value = value
        super().__init__(
            f"{self.path}: {what}, beyond the limit {name}={value}; "
            f"if the file is genuine, raise it with --limit {name}=N"
        )
