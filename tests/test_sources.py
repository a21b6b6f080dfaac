"""Every quote is verbatim from its source; every clause of every source is accounted for."""

from __future__ import annotations

import re

import pytest

from conftest import sources_dir


def squash(text: str) -> str:
    """Whitespace removed: the texts are OCR'd, with broken lines and stray spaces."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def texts(rulebook):
    directory = sources_dir()
    if directory is None:
        pytest.skip("source texts not present (../shared/sources or $SW_POLICY_SOURCES)")
    return {
        s.id: squash((directory / (s.text or f"{s.id}.txt")).read_text(encoding="utf-8"))
        for s in rulebook.sources
    }


def test_every_quote_is_in_its_source(rulebook, texts):
    for rule in rulebook.rules:
        source = rulebook.source_of(rule.id)
        assert squash(rule.quote) in texts[source.id], f"{rule.id}: quote not found in {source.id}"


def test_every_coverage_heading_is_in_its_source(rulebook, texts):
    for source_id, entries in rulebook.coverage.items():
        for entry in entries:
            assert squash(entry.heading) in texts[source_id], (
                f"{source_id} {entry.clause}: {entry.heading}"
            )


def test_every_rule_is_in_its_sources_coverage_under_its_clause(rulebook):
    for rule in rulebook.rules:
        source = rulebook.source_of(rule.id)
        entries = {e.clause: e for e in rulebook.coverage[source.id]}
        assert rule.clause in entries, f"{rule.id}: clause {rule.clause} not in coverage"
        assert rule.id in entries[rule.clause].rules


def test_coverage_lists_each_clause_once_and_every_source(rulebook):
    assert set(rulebook.coverage) == {s.id for s in rulebook.sources}
    for source_id, entries in rulebook.coverage.items():
        clauses = [e.clause for e in entries]
        assert len(clauses) == len(set(clauses)), source_id
        assert clauses, source_id


def test_not_encoded_clauses_give_a_specific_reason(rulebook):
    reasons = [e.reason for entries in rulebook.coverage.values() for e in entries if e.not_encoded]
    assert all(r and len(r) > 30 for r in reasons)


def test_source_metadata_matches_the_contract(rulebook):
    expected = {
        "liaoning-2013": ("辽民发〔2013〕7号", "2013", "in_force", "210000"),
        "zhejiang-2019-draft": (None, "2019-06-18", "draft", "330000"),
        "liaoning-2017": ("辽民发〔2017〕79号", "2017-09-15", "in_force", "210000"),
        "liaocheng-2020": (None, "2020-07-08", "in_force", "371500"),
        "yiyang-2022": ("弋民字〔2022〕183号", "2022-12-15", "in_force", "361126"),
    }
    actual = {s.id: (s.number, s.issued, s.status, s.jurisdiction) for s in rulebook.sources}
    assert actual == expected
