"""One duplicate-id policy per reading (inputs/provenance.py's FirstReads)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sw_policy.findings import Location
from sw_policy.inputs.csv_direct import read_files_columnar
from sw_policy.inputs.provenance import FirstReads


def test_first_claim_wins_and_later_ones_name_it() -> None:
    reads = FirstReads()
    a, b = Location(path="a.csv", row=2), Location(path="b.json", row=1)
    assert reads.claim(("budget", "P-1"), a) is None
    assert reads.claim(("budget", "P-1"), b) == a
    assert reads.claim(("worker", "P-1"), b) is None  # ids are per kind


def test_lazy_ids_are_listed_only_when_asked_and_keep_the_first() -> None:
    listed: list[str] = []
    early = Location(path="a.csv", row=2)

    def ids() -> Iterator[tuple[tuple[str, str], Location]]:
        listed.append("a.csv")
        yield ("budget", "P-1"), early
        yield ("budget", "P-1"), Location(path="a.csv", row=9)  # not the first

    reads = FirstReads()
    reads.later(ids)
    assert listed == []
    assert reads.claim(("budget", "P-1"), Location(path="b.json", row=1)) == early
    assert reads.claim(("budget", "P-2"), Location(path="b.json", row=2)) is None
    assert listed == ["a.csv"]  # listed once


def test_a_row_read_file_after_a_direct_csv_rejects_its_repeats(tmp_path: Path) -> None:
    direct = tmp_path / "a.csv"
    direct.write_text("id,jurisdiction,total_funds,labour_cost\nP-1,330106,100,70\n")
    rows = tmp_path / "b.json"
    rows.write_text('[{"kind": "budget", "id": "P-1", "jurisdiction": "330106"}]')
    read = read_files_columnar([direct, rows], kind="budget")
    [rejected] = read.rejected
    assert rejected.errors == (f"id: duplicate budget id 'P-1' (first at {direct} row 2)",)
