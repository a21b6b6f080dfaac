"""Line length bounded while a file is read: refused after a few chunks, not after all."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sw_policy.inputs.line_bounds import LineGuard, bytes_per_char, read_text_bytes
from sw_policy.limits import LimitError, Limits, current_limits, read_bounded, using_limits


def _limited(chars: int) -> AbstractContextManager[Limits]:
    return using_limits(dataclasses.replace(current_limits(), line_chars=chars))


def _chunks(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def _feed(data: bytes, size: int, chars: int = 10, *, arrays_exempt: bool = False) -> int | None:
    """The line the guard refuses (None: accepted) and, through the guard, nothing else."""
    with _limited(chars):
        guard = LineGuard("f.csv", arrays_exempt=arrays_exempt)
    try:
        for chunk in _chunks(data, size):
            guard.feed(chunk)
    except LimitError as exc:
        assert "f.csv: line " in str(exc) and "line_chars=10" in str(exc)
        return int(str(exc).split("line ")[1].split(" ")[0])
    return None


@pytest.mark.parametrize("size", [1, 3, 7, 40, 1000])
def test_exact_boundary_in_bytes(size: int) -> None:
    """40 bytes (10 characters of at most 4 bytes) pass; 41 are certainly too many."""
    assert _feed(b"a\n" + b"x" * 40 + b"\nb\n", size) is None
    assert _feed(b"a\n" + b"x" * 41 + b"\nb\n", size) == 2
    assert _feed(b"a\r\nb\r\n" + b"x" * 41, size) == 3  # CRLF; last line without a break
    assert _feed(b"x" * 41, size) == 1


def test_carriage_returns_end_lines_too() -> None:
    """Measured lines are never longer than the ones a CSV reader sees (CR-only files)."""
    assert _feed((b"x" * 30 + b"\r") * 100, 64) is None


def test_refused_before_the_rest_is_fed() -> None:
    fed = 0

    def endless() -> Iterator[bytes]:
        nonlocal fed
        while True:
            fed += 1
            yield b"9" * 1024

    with _limited(4096):
        guard = LineGuard("big.csv")
    with pytest.raises(LimitError, match="line 1 is more than 4096 characters long"):
        for chunk in endless():
            guard.feed(chunk)
    assert fed == 4 * 4096 // 1024 + 1


def test_json_array_is_not_measured_but_json_lines_are() -> None:
    array = b"\xef\xbb\xbf \n [" + b"1," * 100 + b"1]"
    assert _feed(array, 16, arrays_exempt=True) is None
    assert _feed(b"\n" + b"{" + b"1" * 100, 16, arrays_exempt=True) == 2
    assert _feed(array, 16) == 2


def test_odd_codecs_get_more_bytes_per_character() -> None:
    assert bytes_per_char(None) == bytes_per_char("GBK") == bytes_per_char("utf_16") == 4
    assert bytes_per_char("hz") == 8


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 60), min_size=1, max_size=12), st.integers(1, 50))
def test_refuses_exactly_the_first_line_over_40_bytes(lengths: list[int], size: int) -> None:
    data = b"\n".join(b"x" * n for n in lengths)
    over = [i for i, n in enumerate(lengths, start=1) if n > 40]
    assert _feed(data, size) == (over[0] if over else None)


def test_a_200_mb_line_is_refused_after_reading_a_few_mb(tmp_path: Path) -> None:
    """A sparse file (no disk used) of 200 MB with no line break; before, read whole."""
    path = tmp_path / "line.csv"
    with path.open("wb") as handle:
        handle.write(b"kind,id,jurisdiction,total_funds\nbudget,P,330106,")
        handle.truncate(200 << 20)
    fed: list[int] = []
    guard = LineGuard(path)
    with pytest.raises(LimitError, match="line 2 is more than 1048576 characters"):
        read_bounded(path, scan=lambda chunk: (fed.append(len(chunk)), guard.feed(chunk)))
    assert sum(fed) <= 5 << 20
    with pytest.raises(LimitError, match=r"line_chars=1048576; .*--limit line_chars=N"):
        read_text_bytes(path)


def test_watch_drops_a_line_with_no_end_and_reads_on(tmp_path: Path) -> None:
    """`watch` reads standard input as it comes: a long line is dropped as it arrives
    (never held whole) and stands as one bad line; the lines after it are read."""
    from sw_policy.engines.stream.watch import LONG_LINE, _BadLineError, _parse, read_lines

    path = tmp_path / "events.jsonl"
    path.write_bytes(b'{"a":1}\n' + b"x" * 300_000 + b'\n{"b":2}\n' + b"y" * 5000 + b"\n")
    with _limited(1000), path.open("rb") as handle:
        lines = list(read_lines(handle.fileno(), lambda: None, lambda: None))
        assert lines == [b'{"a":1}', LONG_LINE, b'{"b":2}', b"y" * 5000]  # within a chunk: kept
        with pytest.raises(_BadLineError, match="line_chars=1000"):
            _parse(LONG_LINE)
    path.write_bytes(b'{"a":1}\n' + b"x" * 300_000)  # no final line break
    with _limited(1000), path.open("rb") as handle:
        lines = list(read_lines(handle.fileno(), lambda: None, lambda: None))
        assert lines == [b'{"a":1}', LONG_LINE]
