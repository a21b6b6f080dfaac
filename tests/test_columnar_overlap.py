"""Reading ahead and writing behind (checking/overlap.py) change nothing a user can see.

The JSON report written in parts with the stages in threads is byte for byte the one
written with every stage in the caller's thread, and a failure anywhere (a row that
sends the file to the whole reader, an id read twice, a reader's or a writer's error)
is the same exception after the same bytes. Small chunks make many parts.
"""

from __future__ import annotations

import contextvars
import functools
import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import sw_policy
from conftest import FIXTURES
from sw_policy.checking.columnar_batches import (
    write_json_from_parts,
    write_json_in_batches,
)
from sw_policy.checking.overlap import ReadAhead, WriteBehind
from sw_policy.cli import main
from sw_policy.errors import PolicyError
from sw_policy.inputs.csv_chunks import plain_chunks, scan_plain_csv
from sw_policy.inputs.csv_direct import read_files_columnar
from test_columnar_csv import AS_OF, SETTINGS

HEADER = "id,jurisdiction,total_funds,labour_cost"
CODES = ["330106", "361126", "371502", "110105", "330212", "430902"]
ODD = ["B0,330106,100.00,50.00", "B99,3301,1.00,1.00", "B98,330106,1e6,5"]
"""An id read again, a row to reject, a cell not in plain form: NotPlainError."""


def _run(write: Any, *, overlap: bool) -> tuple[bytes, str | None]:
    """The bytes written and the exception raised (type and text), if any."""
    out = io.BytesIO()
    try:
        outcome = write(out, overlap=overlap)
    except Exception as exc:  # compared between the two paths
        return out.getvalue(), f"{type(exc).__name__}: {exc}"
    return out.getvalue(), repr(outcome)


def _both(write: Any) -> tuple[bytes, str | None]:
    threaded = _run(write, overlap=True)
    assert threaded == _run(write, overlap=False)
    return threaded


@st.composite
def plain_rows(draw: st.DrawFn) -> tuple[list[str], bool]:
    """Budget rows, mostly plain; maybe an id read again, a row to reject, a cell not in
    plain form, anywhere (a later chunk included)."""
    count = draw(st.integers(1, 40))
    rows = []
    for i in range(count):
        total = draw(st.integers(1, 10**7))
        labour = draw(st.integers(0, total))
        code = draw(st.sampled_from(CODES))
        rows.append(f"B{i},{code},{total / 100:.2f},{labour / 100:.2f}")
    odd = draw(st.sampled_from([None, *ODD]))
    if odd is not None:
        rows.insert(draw(st.integers(1, len(rows))), odd)
    return rows, odd is not None


@settings(SETTINGS, max_examples=20)
@given(
    rows=plain_rows(),
    chunk_bytes=st.integers(1, 300),
    only_failures=st.booleans(),
)
def test_plain_chunks_threaded_as_sequential(
    rulebook: sw_policy.Rulebook,
    tmp_path_factory: pytest.TempPathFactory,
    rows: tuple[list[str], bool],
    chunk_bytes: int,
    only_failures: bool,
) -> None:
    path = tmp_path_factory.mktemp("overlap") / "b.csv"
    lines, odd = rows
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="ascii")
    plain = scan_plain_csv(path)
    assert plain is not None

    def write(out: io.BytesIO, *, overlap: bool) -> Any:
        return write_json_from_parts(
            out,
            rulebook,
            plain_chunks(plain, chunk_bytes),
            as_of=AS_OF,
            inputs=(plain.summary,),
            only_failures=only_failures,
            overlap=overlap,
        )

    _, ending = _both(write)
    assert ending is not None
    assert ending.startswith("NotPlainError" if odd else "BatchOutcome"), ending


@pytest.mark.once  # ~10 s; the same threads as the test above, on every Python
@settings(SETTINGS, max_examples=5)
@given(
    name=st.sampled_from(["budgets.csv", "workers.csv", "mixed.json", "institutions.csv"]),
    rows=st.integers(1, 9),
)
def test_frame_slices_threaded_as_sequential(
    rulebook: sw_policy.Rulebook, name: str, rows: int
) -> None:
    """Fixtures with rejected rows and sessions, in slices."""
    read = read_files_columnar([FIXTURES / name])

    def write(out: io.BytesIO, *, overlap: bool) -> Any:
        return write_json_in_batches(
            out,
            rulebook,
            read.frames,
            as_of=AS_OF,
            inputs=tuple(read.inputs),
            rejected=tuple(read.rejected),
            rows=rows,
            overlap=overlap,
        )

    data, ending = _both(write)
    assert data.endswith(b"}\n") and ending is not None and ending.startswith("BatchOutcome")


def _parts_then(error: BaseException, after: int, chunk_bytes: int, path: Path) -> Iterator[Any]:
    plain = scan_plain_csv(path)
    assert plain is not None
    for index, part in enumerate(plain_chunks(plain, chunk_bytes)):
        if index == after:
            raise error
        yield part


def _budgets(path: Path, count: int) -> Path:
    rows = [f"B{i},{CODES[i % len(CODES)]},100.00,{40 + i % 30}.00" for i in range(count)]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="ascii")
    return path


@pytest.mark.parametrize("after", [0, 1, 3])
def test_a_reader_error_in_a_later_part_is_raised_after_the_same_bytes(
    rulebook: sw_policy.Rulebook, tmp_path: Path, after: int
) -> None:
    path = _budgets(tmp_path / "b.csv", 30)
    plain = scan_plain_csv(path)
    assert plain is not None

    def write(out: io.BytesIO, *, overlap: bool) -> Any:
        parts = _parts_then(PolicyError("b.csv: row 9: broken"), after, 80, path)
        return write_json_from_parts(
            out, rulebook, parts, as_of=AS_OF, inputs=(plain.summary,), overlap=overlap
        )

    data, ending = _both(write)
    assert ending == "PolicyError: b.csv: row 9: broken"
    assert (data == b"") == (after == 0)  # nothing before the first part is judged


class _FailingOut(io.BytesIO):
    """A stream whose `fail_at`-th write raises, as a full disk would."""

    def __init__(self, fail_at: int) -> None:
        super().__init__()
        self.fail_at = fail_at

    def write(self, data: Any) -> int:
        self.fail_at -= 1
        if self.fail_at == 0:
            raise OSError(28, "No space left on device")
        return super().write(data)


@pytest.mark.parametrize("fail_at", [1, 2, 5])
def test_a_writer_error_is_raised_in_the_callers_thread(
    rulebook: sw_policy.Rulebook, tmp_path: Path, fail_at: int
) -> None:
    path = _budgets(tmp_path / "b.csv", 30)
    plain = scan_plain_csv(path)
    assert plain is not None
    for overlap in (True, False):
        with pytest.raises(OSError, match="No space left"):
            write_json_from_parts(
                _FailingOut(fail_at),
                rulebook,
                plain_chunks(plain, 80),
                as_of=AS_OF,
                inputs=(plain.summary,),
                overlap=overlap,
            )


def _cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, overlap: bool) -> tuple[Any, Path]:
    import sw_policy.checking.columnar_batches as batches
    import sw_policy.inputs.csv_chunks as chunks

    monkeypatch.setattr(
        batches,
        "write_json_from_parts",
        functools.partial(batches.write_json_from_parts, overlap=overlap),
    )
    original = chunks.plain_chunks

    def failing(plain: chunks.PlainCsv, chunk_bytes: int = chunks.CHUNK_BYTES) -> Any:
        for index, part in enumerate(original(plain, 100)):
            if index == 2:
                raise PolicyError(f"{plain.given}: row 12: a reader's error")
            yield part

    monkeypatch.setattr(chunks, "plain_chunks", failing)
    path = _budgets(tmp_path / "b.csv", 40)
    target = tmp_path / "out.json"
    args = ["check", str(path), "--as-of", "2024-06-30", "--format", "json", "-o", str(target)]
    return CliRunner().invoke(main, [*args, "--engine", "columnar"]), target


def test_cli_thread_error_is_the_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader's error in a later chunk: exit 2, one line, and no report (not even half)."""
    with monkeypatch.context() as patch:
        sequential, target = _cli(tmp_path, patch, overlap=False)
    assert not target.exists()
    threaded, target = _cli(tmp_path, monkeypatch, overlap=True)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["b.csv"]  # no temporary file left
    assert threaded.exit_code == sequential.exit_code == 2
    assert threaded.output == sequential.output
    assert threaded.output.count("\n") == 1 and "row 12: a reader's error" in threaded.output


# --- the stages themselves ---------------------------------------------------------


def test_read_ahead_gives_the_items_then_the_error() -> None:
    def source() -> Iterator[int]:
        yield from range(5)
        raise ValueError("after five")

    got = []
    with ReadAhead(source()) as ahead, pytest.raises(ValueError, match="after five"):
        for item in ahead:
            got.append(item)
    assert got == [0, 1, 2, 3, 4]


def test_workers_see_the_callers_context() -> None:
    var: contextvars.ContextVar[str] = contextvars.ContextVar("v", default="unset")
    var.set("caller")
    seen: list[str] = []
    with WriteBehind[int](lambda _: seen.append(var.get())) as behind:
        behind.put(1)
    assert list(ReadAhead(var.get() for _ in range(2))) == ["caller", "caller"]
    assert seen == ["caller"]


def test_closing_read_ahead_stops_an_endless_source_and_closes_it() -> None:
    closed = threading.Event()

    def endless() -> Iterator[int]:
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            closed.set()

    ahead = ReadAhead(endless(), depth=2)
    assert [next(ahead) for _ in range(3)] == [0, 1, 2]
    ahead.close()
    assert closed.is_set() and not ahead._thread.is_alive()
    with pytest.raises(StopIteration):
        next(ahead)


def test_an_interrupt_stops_both_workers_without_hanging() -> None:
    """A KeyboardInterrupt in the caller: the writer drops what is queued, the reader
    stops after the item it is on; neither thread outlives the block."""
    written: list[int] = []

    def slow_write(item: int) -> None:
        time.sleep(0.02)
        written.append(item)

    ahead, behind = ReadAhead(iter(range(10**9))), WriteBehind(slow_write, 3)
    with pytest.raises(KeyboardInterrupt), ahead, behind:
        for item in ahead:
            behind.put(item)
            if item == 5:
                raise KeyboardInterrupt
    assert not ahead._thread.is_alive() and not behind._thread.is_alive()
    assert written == list(range(len(written))) and len(written) <= 6


def test_an_exception_in_the_caller_writes_what_was_handed_over() -> None:
    written: list[int] = []
    with pytest.raises(RuntimeError, match="judging"), WriteBehind(written.append, 1) as behind:
        for item in range(4):
            behind.put(item)
        raise RuntimeError("judging failed")
    assert written == [0, 1, 2, 3]


def test_a_write_error_reaches_the_caller_at_the_next_put_or_the_end() -> None:
    def write(item: int) -> None:
        if item == 2:
            raise OSError(5, "I/O error")

    behind = WriteBehind(write, 1)
    with pytest.raises(OSError, match="I/O error"):
        for item in range(100):
            behind.put(item)
        behind.finish()
    assert not behind._thread.is_alive()


@pytest.mark.parametrize(
    "late",
    [
        'B90,"330106",100.00,50.00',  # quoted
        "B90,330106,100.00,50.00\r",  # a carriage return
        "",  # a blank line
        "total,,100.00,50.00",  # a total row
        "id,jurisdiction,total_funds,labour_cost",  # the header again
    ],
)
def test_cli_a_file_the_scan_declines_late_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, late: str
) -> None:
    """The scan runs beside the first chunks: whatever they did, a file it declines (for
    a line far from the start) is read whole, as when the scan ran first."""
    import sw_policy.inputs.csv_chunks as chunks

    original = chunks.plain_chunks
    monkeypatch.setattr(chunks, "plain_chunks", lambda plain, size=0: original(plain, 64))
    path = _budgets(tmp_path / "b.csv", 60)
    lines = path.read_text(encoding="ascii").splitlines()
    path.write_bytes(("\n".join([*lines[:50], late, *lines[50:]]) + "\n").encode("ascii"))
    assert chunks.plain_head(path) is not None and chunks.scan_plain_csv(path) is None
    args = ["check", str(path), "--as-of", "2024-06-30", "--format", "json"]
    row = CliRunner().invoke(main, [*args, "--engine", "row"])
    target = tmp_path / "out.json"
    mine = CliRunner().invoke(main, [*args, "--engine", "columnar", "-o", str(target)])
    assert mine.exit_code == row.exit_code
    if row.exit_code in (0, 1):
        assert target.read_bytes() == row.stdout_bytes
    else:
        assert not target.exists() and mine.output == row.output
