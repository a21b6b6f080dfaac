"""The JSON report judged and written in slices is the report written whole, byte for byte.

Tiny slices (1, 2, 7 records) cut between every record, so any state that leaked
from one slice to the next (numbering, commas, counts, the exit status) would show.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import sw_policy
from conftest import FIXTURES
from sw_policy.checking.columnar import check_files_columnar
from sw_policy.checking.columnar_batches import (
    BatchOutcome,
    frame_batches,
    write_json_from_parts,
    write_json_in_batches,
)
from sw_policy.checking.defaults_taken import kinds_by_path_of_frames, with_defaults_taken
from sw_policy.checking.division_codes import codes_by_path_of_frames, with_code_warnings
from sw_policy.cli import main
from sw_policy.inputs.csv_chunks import NotPlainError, plain_chunks, scan_plain_csv
from sw_policy.inputs.csv_direct import read_files_columnar
from sw_policy.inputs.given_fields import noting_given
from sw_policy.reports.verdict import is_incomplete
from test_columnar_csv import AS_OF, SETTINGS, _write, csv_files

# Slices of one and two records are the slowest and test the same slicing as 7 on every
# Python: CI runs them once (3.11); 7 and 1000 run everywhere.
_ONCE = pytest.mark.once
SIZES = (pytest.param(1, marks=_ONCE), pytest.param(2, marks=_ONCE), 7, 1000)
FIXTURE_FILES = sorted(
    p for p in FIXTURES.iterdir() if p.suffix in {".csv", ".json"} and p.is_file()
)


def _in_batches(
    rulebook: sw_policy.Rulebook, paths: list[Any], rows: int, **flags: bool
) -> tuple[bytes, BatchOutcome]:
    with noting_given() as given:
        read = read_files_columnar(paths)
    out = io.BytesIO()
    outcome = write_json_in_batches(
        out,
        rulebook,
        read.frames,
        as_of=AS_OF,
        # As the CLI and check_files_columnar give them: the defaults taken said last.
        inputs=with_defaults_taken(
            with_code_warnings(read.inputs, codes_by_path_of_frames(read.frames)),
            given,
            kinds_by_path_of_frames(read.frames),
            rulebook,
        ),
        rejected=tuple(read.rejected),
        skipped=tuple(read.skipped),
        rows=rows,
        **flags,
    )
    return out.getvalue(), outcome


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("rows", SIZES)
def test_fixture_reports_identical_in_any_slices(
    rulebook: sw_policy.Rulebook, path: Path, rows: int
) -> None:
    whole = check_files_columnar(rulebook, [path], as_of=AS_OF)
    data, outcome = _in_batches(rulebook, [path], rows)
    assert data == whole.to_json().encode("utf-8")
    assert outcome.has_mandatory_failure == whole.has_mandatory_failure
    assert outcome.incomplete == is_incomplete(whole.shell())


@pytest.mark.once  # slices of one over every fixture: the slowest case, CI runs it on 3.11
def test_every_fixture_together_in_slices_of_one(rulebook: sw_policy.Rulebook) -> None:
    """Several files and kinds at once: slices cut across files and kinds in reading order."""
    paths: list[Any] = [FIXTURES / "budgets.csv", FIXTURES / "workers.csv", FIXTURES / "mixed.json"]
    whole = check_files_columnar(rulebook, paths, as_of=AS_OF, only_failures=True)
    data, _ = _in_batches(rulebook, paths, 1, only_failures=True)
    assert data == whole.to_json().encode("utf-8")


def test_no_records_gives_the_empty_report(rulebook: sw_policy.Rulebook, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("id,jurisdiction,total_funds,labour_cost\n", encoding="utf-8")
    whole = check_files_columnar(rulebook, [empty], as_of=AS_OF)
    data, outcome = _in_batches(rulebook, [empty], 7)
    assert data == whole.to_json().encode("utf-8")
    assert '"findings": []' in data.decode("utf-8")
    assert outcome == BatchOutcome(has_mandatory_failure=False, incomplete=True)


def test_slices_hold_whole_records_and_their_sessions() -> None:
    read = read_files_columnar([FIXTURES / "workers.json"])
    frame = read.frames.frames["worker"]
    assert frame.sessions is not None and frame.sessions.height > 0
    parts = list(frame_batches(read.frames, 2))
    assert sum(p.count for p in parts) == read.frames.count
    assert len(parts) == -(-read.frames.count // 2)
    sessions = 0
    for start, part in zip(range(0, read.frames.count, 2), parts, strict=True):
        mine = part.frames["worker"]
        assert mine.df["__row"].is_between(start, start + 1).all()
        assert mine.sessions is not None
        assert mine.sessions["__row"].is_between(start, start + 1).all()
        sessions += mine.sessions.height
    assert sessions == frame.sessions.height
    with pytest.raises(ValueError, match="positive"):
        next(frame_batches(read.frames, 0))


@settings(SETTINGS, max_examples=25)
@given(files=csv_files(), rows=st.sampled_from([1, 3, 7]), only_failures=st.booleans())
def test_generated_csv_reports_identical_in_slices(
    rulebook: sw_policy.Rulebook, tmp_path: Path, files: Any, rows: int, only_failures: bool
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    paths = _write(folder, files)
    flags = {"only_failures": only_failures, "include_not_applicable": not only_failures}
    try:
        whole = check_files_columnar(rulebook, paths, as_of=AS_OF, **flags)
    except sw_policy.InputFileError:
        return  # the reader refuses the file; nothing is judged either way
    data, outcome = _in_batches(rulebook, paths, rows, **flags)
    assert data == whole.to_json().encode("utf-8")
    assert outcome.has_mandatory_failure == whole.has_mandatory_failure


@pytest.mark.parametrize("name", ["budgets.csv", "workers.csv", "mixed.json"])
def test_cli_json_in_batches_is_the_row_engines_report(name: str, tmp_path: Path) -> None:
    """`check --format json` on the columnar engine (written in slices, to a file and to
    standard output) gives the row engine's bytes and exit status."""
    args = ["check", str(FIXTURES / name), "--as-of", "2024-06-30", "--format", "json"]
    runner = CliRunner()
    row = runner.invoke(main, [*args, "--engine", "row"])
    to_stdout = runner.invoke(main, [*args, "--engine", "columnar"])
    target = tmp_path / "out.json"
    to_file = runner.invoke(main, [*args, "--engine", "columnar", "-o", str(target)])
    assert to_stdout.stdout_bytes == row.stdout_bytes
    assert target.read_bytes() == row.stdout_bytes
    assert to_stdout.exit_code == to_file.exit_code == row.exit_code == 1
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left


# --- a plain CSV read in chunks of lines (inputs/csv_chunks.py) ---------------------

CHUNKS = (1, 7, 40, 1000)


def _in_chunks(
    rulebook: sw_policy.Rulebook, path: Path, chunk_bytes: int, **flags: bool
) -> bytes | None:
    """The report from the chunked reader, or None when it hands the file to the whole one."""
    plain = scan_plain_csv(path)
    if plain is None:
        return None
    out = io.BytesIO()
    try:
        write_json_from_parts(
            out,
            rulebook,
            plain_chunks(plain, chunk_bytes),
            as_of=AS_OF,
            inputs=(plain.summary,),
            **flags,
        )
    except NotPlainError:
        return None
    return out.getvalue()


def _plain_budgets(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    lines = ["id,jurisdiction,total_funds,labour_cost", *(",".join(r) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


@pytest.mark.parametrize("chunk_bytes", CHUNKS)
def test_plain_csv_in_chunks_is_the_whole_report(
    rulebook: sw_policy.Rulebook, tmp_path: Path, chunk_bytes: int
) -> None:
    rows = [
        (f"B{i}", code, f"{100000 + 37 * i}.{i % 100:02d}", f"{60000 + 41 * i}.5")
        for i, code in enumerate(["330106", "361126", "371502", "110105", "330212"] * 5)
    ]
    path = _plain_budgets(tmp_path / "plain.csv", rows)
    whole = check_files_columnar(rulebook, [path], as_of=AS_OF)
    assert _in_chunks(rulebook, path, chunk_bytes) == whole.to_json().encode("utf-8")


def test_chunks_number_lines_and_records_as_the_whole_file(tmp_path: Path) -> None:
    rows = [(f"B{i}", "330106", "100.00", "50.00") for i in range(9)]
    plain = scan_plain_csv(_plain_budgets(tmp_path / "plain.csv", rows))
    assert plain is not None and plain.summary.records == 9 and plain.kind == "budget"
    parts = list(plain_chunks(plain, 1))
    assert [p.count for p in parts] == [1] * 9
    frames = [p.frames["budget"].df for p in parts]
    assert [f["__row"].to_list() for f in frames] == [[i] for i in range(9)]
    assert [f["__line"].to_list() for f in frames] == [[i + 2] for i in range(9)]


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("B1,330106,100.00,50.00", "an id read twice"),
        ("B9,3301,100.00,50.00", "a row to reject"),
        ("B9,330106,1e6,50.00", "a cell not in plain form"),
    ],
)
def test_chunks_give_way_to_the_whole_reader(tmp_path: Path, line: str, why: str) -> None:
    rows = [(f"B{i}", "330106", "100.00", "50.00") for i in range(5)]
    path = _plain_budgets(tmp_path / "odd.csv", rows)
    path.write_text(path.read_text(encoding="ascii") + line + "\n", encoding="ascii")
    plain = scan_plain_csv(path)
    assert plain is not None, why
    with pytest.raises(NotPlainError):
        list(plain_chunks(plain, 7))


@pytest.mark.parametrize(
    "text",
    [
        'id,jurisdiction,total_funds\n"B1",330106,5\n',  # quoted
        "id,jurisdiction,total_funds\r\nB1,330106,5\r\n",  # carriage returns
        "id,jurisdiction,total_funds\nB1,330106,5\n\nB2,330106,5\n",  # a blank line
        "id,jurisdiction,total_funds\nB1,330106,5\ntotal,,10\n",  # a total row
        "id,jurisdiction,total_funds\nB1,330106,5\nid,jurisdiction,total_funds\n",  # header again
        "id,jurisdiction,name,total_funds\nB1,330106,社工站,5\n",  # not ASCII
        "id,jurisdiction,total_funds\n",  # no rows
    ],
)
def test_scan_sends_other_files_to_the_whole_reader(tmp_path: Path, text: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode("utf-8"))
    assert scan_plain_csv(path) is None


@settings(SETTINGS, max_examples=25)
@given(files=csv_files(), chunk_bytes=st.sampled_from([1, 7, 60]), only_failures=st.booleans())
def test_generated_csv_in_chunks_is_the_whole_report_or_declined(
    rulebook: sw_policy.Rulebook, tmp_path: Path, files: Any, chunk_bytes: int, only_failures: bool
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    [path, *_] = _write(folder, files[:1])
    flags = {"only_failures": only_failures, "include_not_applicable": not only_failures}
    data = _in_chunks(rulebook, Path(path), chunk_bytes, **flags)
    if data is None:
        return  # declined: the whole reader reads it (tested in test_columnar_csv.py)
    whole = check_files_columnar(rulebook, [path], as_of=AS_OF, **flags)
    assert data == whole.to_json().encode("utf-8")


@pytest.mark.parametrize(("code", "status"), [("330106", 0), ("361126", 1)])
def test_cli_report_file_from_chunks_is_the_row_engines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str, status: int
) -> None:
    """A plain CSV to a report file goes through the chunks (seen by a spy), and gives the
    row engine's bytes and exit status (Zhejiang's rule is a draft: it does not bind)."""
    import sw_policy.inputs.csv_chunks as chunks

    taken: list[str] = []
    original = chunks.plain_chunks

    def spy(plain: chunks.PlainHead, chunk_bytes: int = chunks.CHUNK_BYTES) -> Any:
        taken.append(plain.given)  # chunks are read while the scan reads the rest
        return original(plain, 64)

    monkeypatch.setattr(chunks, "plain_chunks", spy)
    rows = [(f"B{i}", code, "100.00", f"{50 + i}.00") for i in range(40)]
    path = _plain_budgets(tmp_path / "plain.csv", rows)
    args = ["check", str(path), "--as-of", "2024-06-30", "--format", "json"]
    row = CliRunner().invoke(main, [*args, "--engine", "row"])
    target = tmp_path / "out.json"
    mine = CliRunner().invoke(main, [*args, "--engine", "columnar", "-o", str(target)])
    assert taken == [str(path)]
    assert target.read_bytes() == row.stdout_bytes
    assert mine.exit_code == row.exit_code == status
