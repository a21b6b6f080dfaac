"""A pytest plugin: `pytest rules/tests` runs each YAML rule-test case as a test item.

Registered through the `pytest11` entry point, so it is active wherever
sw-policy is installed. It only collects `*.yaml` files in a `tests/`
directory that sits beside a `sources.yaml` (a rules directory's tests);
nothing else changes for other projects.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = ["RuleCaseItem", "RuleTestYaml", "pytest_collect_file"]

_RULEBOOKS: dict[Path, Any] = {}


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect rule-test files of a rules directory (rules/tests/*.yaml)."""
    if (
        file_path.suffix == ".yaml"
        and file_path.parent.name == "tests"
        and (file_path.parent.parent / "sources.yaml").is_file()
    ):
        collector: pytest.Collector = RuleTestYaml.from_parent(parent, path=file_path)
        return collector
    return None


class RuleTestYaml(pytest.File):
    """One rule-test file: one item per case."""

    def collect(self) -> Iterator[pytest.Item]:
        from sw_policy.drafting.rule_tests import load_test_file  # noqa: PLC0415 - pytest starts fast

        loaded = load_test_file(self.path)
        for index, case in enumerate(loaded.parsed.cases):
            yield RuleCaseItem.from_parent(self, name=case.name, loaded=loaded, index=index)


class RuleCaseFailedError(Exception):
    """A case whose expectations did not hold."""


class RuleCaseItem(pytest.Item):
    """One case, judged by the rules directory its file names."""

    def __init__(self, *, loaded: Any, index: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.loaded = loaded
        self.index = index

    def runtest(self) -> None:
        from sw_policy.checking.rulebook import load_rulebook  # noqa: PLC0415 - pytest starts fast
        from sw_policy.drafting.rule_tests import run_case  # noqa: PLC0415 - pytest starts fast

        book = _RULEBOOKS.get(self.loaded.rules_dir)
        if book is None:
            book = _RULEBOOKS[self.loaded.rules_dir] = load_rulebook(self.loaded.rules_dir)
        case = self.loaded.parsed.cases[self.index]
        result = run_case(book, case, self.loaded.path, self.loaded.data, self.index)
        if not result.passed:
            raise RuleCaseFailedError(
                f"{result.where}: {result.name}\n  " + "\n  ".join(result.failures)
            )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, RuleCaseFailedError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        from sw_policy.rulebook.strict_yaml import line_of  # noqa: PLC0415 - pytest starts fast

        line = line_of(self.loaded.data, ("cases", self.index))
        return self.path, (line - 1) if line else None, f"rule case: {self.name}"
