"""The direct CSV reader reads what the row reader reads, and the reports agree.

Hypothesis writes small CSV files of every kind: plain cells and odd ones
(spaces, signs, thousands separators, exponents, Chinese values, bad dates,
control characters), blank and whitespace-only lines, rows with too few or
too many cells (trailing blank cells too), repeated ids within and across
files, LF or CRLF, UTF-8 with or without BOM, or GBK. Every file set is read
by read_files_columnar and by read_files (+ frame_from_records), and checked
by both engines; the JSON reports must be identical.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sw_policy
from sw_policy import check_files_columnar, read_files
from sw_policy.inputs.csv_direct import read_files_columnar
from sw_policy.inputs.frames import field_types, frame_from_records

EXAMPLES = int(os.environ.get("SW_POLICY_DIFF_EXAMPLES", "50"))
AS_OF = dt.date(2024, 6, 30)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

ODD = ["", " ", "  ", "\t", "\x1f", "\u3000", "x", "中文", "=1+1"]
CELLS: dict[str, list[str]] = {
    "decimal": [
        "1050000.00", "0", "0.5", "-0.5", "-0", "7", "333333.33", "1000000", "0.000000001",
        "1,200,000.00", "1e6", "+10", "08", " 5", "5 ", "1.", ".5", "12.5万", "￥3,000",
        "123456789012345678901.5", "0.000000002", "0.0000010", "0.0000000", "-0.000000",
    ],
    "int": ["0", "1", "3", "13", "14", "2024", "1949", "-1", "03", "+2", "1.0", "2,000", " 4"],
    "bool": ["true", "false", "是", "否", "yes", "TRUE", "1", "已发放", "未缴存"],
    "date": ["2024-06-30", "2019-06-17", "2024-02-29", "2023-02-29", "0000-01-01", "2024-6-1"],
    "text": ["社会工作", "会计", " 社工 ", "post", "a b"],
    "jurisdiction": [
        "330106", "361126", "371502", "110105", "33010", "033010", "+33010", " 330106",
        "330106 ", "１２３４５６", "3301060",
    ],
    "certificate": ["none", "assistant", "intermediate", "senior", "中级", "博士后"],
    "education": ["none", "bachelor", "master", "大专", "phd"],
    "employer_type": ["urban_community", "other", "城市社区", "x", "社工机构", "enterprise"],
    "setting": ["urban", "rural", "城市", "city"],
}  # fmt: skip
IDS = ["R1", "R2", "R3", "R4", "R5", "r1", " R1", "R2 ", "\x1fR3", "长者-1", "x" * 201]
KINDS = ["budget", "worker", "community", "institution", "region"]


def _cells(name: str, ftype: str) -> st.SearchStrategy[str]:
    if name == "id":
        return st.one_of(st.sampled_from(IDS), st.sampled_from(ODD))
    choices = CELLS.get(name, CELLS.get(ftype, ["x"]))
    return st.one_of(st.sampled_from(choices), st.sampled_from(choices), st.sampled_from(ODD))


@st.composite
def csv_text(draw: st.DrawFn, kind: str) -> str:
    """A CSV in the contract format, more or less: header of field names, odd rows."""
    fields = [n for n, t in field_types(kind).items() if t != "training"]
    optional = [n for n in [*fields, "name"] if n not in {"id", "jurisdiction"}]
    extra = draw(st.lists(st.sampled_from(optional), unique=True, max_size=4))
    columns = draw(st.permutations(["id", "jurisdiction", *extra]))
    if draw(st.integers(0, 9)) == 0:
        columns = columns[1:]  # a required column missing
    types = {**field_types(kind), "name": "text"}
    lines = [",".join(columns)]
    for _ in range(draw(st.integers(0, 12))):
        shape = draw(st.integers(0, 11))
        if shape == 0:
            lines.append(draw(st.sampled_from(["", ",,", " , ", ",\x1f", "\t"])))
            continue
        cells = [draw(_cells(n, types[n])) if draw(st.integers(0, 3)) else "" for n in columns]
        if shape == 1:
            cells = cells[: draw(st.integers(0, len(cells)))]
        elif shape == 2:
            cells += draw(st.sampled_from([[""], ["", ""], ["x"], ["", "x"], [" "]]))
        lines.append(",".join(cells))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + draw(st.sampled_from(["", newline, newline * 2]))


@st.composite
def csv_files(draw: st.DrawFn) -> list[tuple[str, str]]:
    """One to three (text, encoding) files, all of one kind or of two."""
    first = draw(st.sampled_from(KINDS))
    kinds = draw(st.lists(st.sampled_from([first, first, *KINDS]), min_size=1, max_size=3))
    files = []
    for kind in kinds:
        text = draw(csv_text(kind))
        if draw(st.integers(0, 7)) == 0:  # quoted: the whole file goes to the row reader
            text = text.replace("R1", '"R1"')
        files.append((text, draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "gbk"]))))
    return files


def _write(folder: Path, files: list[tuple[str, str]]) -> list[Path | str]:
    paths: list[Path | str] = []
    for index, (text, encoding) in enumerate(files):
        path = folder / f"f{index}.csv"
        try:
            path.write_bytes(text.encode(encoding))
        except UnicodeEncodeError:
            path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths


def _same_frames(paths: list[Path | str]) -> None:
    row = read_files(paths)
    columnar = read_files_columnar(paths)
    assert [r.model_dump() for r in columnar.rejected] == [r.model_dump() for r in row.rejected]
    assert [i.model_dump() for i in columnar.inputs] == [i.model_dump() for i in row.inputs]
    for summary in columnar.inputs:
        assert summary.records == summary.evaluated + summary.rejected
    expected = frame_from_records(row.records)
    assert columnar.frames.count == expected.count
    assert set(columnar.frames.frames) == set(expected.frames)
    for kind, frame in expected.frames.items():
        mine = columnar.frames.frames[kind]
        assert sorted(mine.df.columns) == sorted(frame.df.columns)
        assert mine.df.schema == pl.Schema({c: frame.df.schema[c] for c in mine.df.columns})
        # A decimal may be held at a larger scale (a dropped repeat had more places, or a
        # column no file has is not listed): compare the values, not the scaled integers.
        ours, theirs = mine.df.select(frame.df.columns), frame.df
        for name, scale in frame.scales.items():
            mine_scale = mine.scales.get(name, 0)
            assert mine_scale >= scale
            theirs = theirs.with_columns(pl.col(name) * 10 ** (mine_scale - scale))
        assert ours.equals(theirs, null_equal=True), kind


@SETTINGS
@given(files=csv_files())
def test_direct_reader_reads_what_the_row_reader_reads(tmp_path: Path, files: Any) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    paths = _write(folder, files)
    try:
        _same_frames(paths)
    except sw_policy.InputFileError:
        with pytest.raises(sw_policy.InputFileError):
            read_files_columnar(paths)


@settings(SETTINGS, max_examples=max(EXAMPLES // 2, 10))
@given(files=csv_files(), only_failures=st.booleans())
def test_csv_reports_identical_on_both_engines(
    rulebook: sw_policy.Rulebook, tmp_path: Path, files: Any, only_failures: bool
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    paths = _write(folder, files)
    flags = {"only_failures": only_failures, "include_not_applicable": not only_failures}
    try:
        row = rulebook.check_files(paths, as_of=AS_OF, **flags)
    except sw_policy.InputFileError as exc:
        with pytest.raises(sw_policy.InputFileError, match=str(exc)[:20]):
            check_files_columnar(rulebook, paths, as_of=AS_OF, **flags)
        return
    columnar = check_files_columnar(rulebook, paths, as_of=AS_OF, **flags)
    assert columnar.to_json() == row.to_json()


def test_trailing_blank_cells_are_not_too_many(tmp_path: Path) -> None:
    """'a,b,c,d,,' under four columns is a record, as the row reader reads it."""
    path = tmp_path / "b.csv"
    path.write_text(
        "id,jurisdiction,total_funds,labour_cost\n"
        "B1,330106,100,80,,\n"
        "B2,330106,100,80,,9\n"
        "B3,330106,100,80, \n"
    )
    read = read_files_columnar([path])
    assert [(r.row, r.errors) for r in read.rejected] == [
        (3, ("row: 6 cells but the header has 4 columns",))
    ]
    assert read.frames.count == 2
    _same_frames([path])


def test_repeated_header_row_is_a_skipped_row(tmp_path: Path) -> None:
    """A header line repeated in the data is not a record: skipped and listed (issue 20)."""
    path = tmp_path / "b.csv"
    header = "id,jurisdiction,total_funds,labour_cost"
    path.write_text(f"{header}\nB1,330106,100,80\nB2,330106,100,80\n{header}\nB3,330106,1,1\n")
    read = read_files_columnar([path])
    assert read.rejected == []
    assert [(s.row, s.reason) for s in read.skipped] == [(4, "header")]
    assert read.frames.count == 3
    _same_frames([path])


def test_plain_text_is_what_str_strip_leaves() -> None:
    """The spaces the direct reader strips are str.strip's; Polars' default lacks ODD_SPACES."""
    from sw_policy.inputs.csv_direct_plain import _PY_SPACE, ODD_SPACES

    python = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert set(_PY_SPACE) == python
    stripped = pl.Series([f"{c}a{c}" for c in sorted(python)]).str.strip_chars().to_list()
    assert {c for c, s in zip(sorted(python), stripped, strict=True) if s != "a"} == set(ODD_SPACES)
