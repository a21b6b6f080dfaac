"""JUnit XML for `sw-policy test --junit FILE`: what CI systems show as test results.

One <testsuite> per test file, one <testcase> per case (classname: the file,
name: the case), a <failure> with every failed expectation. Byte-deterministic:
no timestamps, no durations, no host name.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from sw_policy.drafting.rule_test_coverage import RuleCoverage
from sw_policy.drafting.rule_tests import RuleTestRun

__all__ = ["coverage_percent", "junit_xml"]


def junit_xml(run: RuleTestRun) -> str:
    """The run as JUnit XML (UTF-8 text, ending in a newline)."""
    root = ET.Element("testsuites", name="sw-policy rule tests")
    by_file: dict[str, list[int]] = {}
    for index, case in enumerate(run.cases):
        by_file.setdefault(str(case.path), []).append(index)
    total = failed = 0
    for path, indices in by_file.items():
        cases = [run.cases[i] for i in indices]
        bad = sum(1 for c in cases if not c.passed)
        suite = ET.SubElement(
            root, "testsuite", name=path, tests=str(len(cases)), failures=str(bad), errors="0"
        )
        for case in cases:
            item = ET.SubElement(
                suite,
                "testcase",
                classname=path,
                name=case.name,
                file=path,
                line=str(case.line or 0),
            )
            if not case.passed:
                failure = ET.SubElement(
                    item, "failure", message=f"{case.where}: {case.name}", type="RuleCaseFailed"
                )
                failure.text = "\n".join(case.failures)
        total += len(cases)
        failed += bad
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def coverage_percent(coverage: list[RuleCoverage]) -> float:
    """Goals reached over goals, in percent (100 when there are no goals)."""
    goals = sum(len(c.goals) for c in coverage)
    reached = sum(len(c.goals) - len(c.missing) for c in coverage)
    return 100.0 if goals == 0 else 100.0 * reached / goals
