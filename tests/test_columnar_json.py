"""JSON records read into columns (inputs/json_direct.py) are what the row reader reads.

Hypothesis writes small JSON arrays, JSON Lines files (blank lines too) and
single objects of every kind, with the cell forms of test_columnar_csv.py as
text and JSON's own values beside them: whole numbers, decimals (1E+3, -0.0,
twelve places), true/false, null, "", nested lists and objects, Chinese keys
(some with a unit, some personal), unknown keys, a key given twice, kind
values in office words or of the wrong type, items that are no object, and
repeated ids. Each file is read by read_files_columnar and by read_files
(+ frame_from_records) and checked by both routes; the JSON reports must be
byte-identical, records = evaluated + rejected.
"""

from __future__ import annotations

import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sw_policy
from sw_policy import check_files_columnar
from sw_policy.inputs import json_text
from sw_policy.inputs.csv_direct import read_files_columnar
from sw_policy.inputs.frames import field_types
from sw_policy.limits import Limits, using_limits
from test_columnar_csv import AS_OF, CELLS, EXAMPLES, SETTINGS, _same_frames

KINDS = ["budget", "worker", "community", "institution", "region"]
_CHINESE_KEYS = ["项目经费", "项目经费（万元）", "编号", "学历", "身份证号", "序号", "行政区划代码"]
_KIND_VALUES: list[Any] = ["budget", "worker", "预算", "Budget", " budget", None, 5, "nope"]
_NESTED: list[Any] = [[1, 2], {"a": 1}, [], {}]


def _typed_values(ftype: str) -> st.SearchStrategy[Any]:
    """JSON's own values for a field of this type (and a few of other types)."""
    numbers = st.one_of(
        st.integers(-3, 10**16),
        st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-5, max_value=10**7),
        st.sampled_from(
            [Decimal("1E+3"), Decimal("-0.0"), Decimal("0.000000000001"), Decimal("2024.0")]
        ),
    )
    common = st.one_of(st.none(), st.booleans(), st.just(""), st.sampled_from(_NESTED))
    if ftype in {"decimal", "int"}:
        return st.one_of(numbers, common)
    return st.one_of(common, st.integers(0, 400000), st.sampled_from([" ", "x" * 3]))


def _plain_values(ftype: str) -> st.SearchStrategy[Any]:
    """JSON's own values in plain form: what the columns read without the row reader."""
    if ftype == "decimal":
        return st.one_of(st.integers(0, 10**9), st.decimals(places=2, min_value=0, max_value=10**7))
    if ftype == "int":
        return st.integers(0, 13)
    if ftype == "bool":
        return st.booleans()
    return st.nothing()


@st.composite
def _value(draw: st.DrawFn, name: str, ftype: str, plain: bool = False) -> Any:
    cells = CELLS.get(name, CELLS.get(ftype, CELLS["text"]))
    if plain:  # mostly the first cells of each list (plain forms), or JSON's plain values
        return draw(st.sampled_from(cells[:3]) | _plain_values(ftype))
    if draw(st.integers(0, 2)) == 0:
        return draw(_typed_values(ftype))
    return draw(st.sampled_from(cells))


@st.composite
def _record(draw: st.DrawFn, kind: str) -> list[tuple[str, Any]]:
    """One object as (key, value) pairs, mostly plain, with an odd value, key or kind now
    and then (a key may come twice)."""
    types = {n: t for n, t in field_types(kind).items() if t != "training"}
    names = draw(st.lists(st.sampled_from(sorted(types)), max_size=6, unique=True))

    def odd() -> bool:
        return draw(st.integers(0, 6)) == 0

    pairs: list[tuple[str, Any]] = []
    if not odd():
        ids = ["R1", "R2", "R3", "R4", 7] if not odd() else [" R1", "R1 ", "", None, [1]]
        pairs.append(("id", draw(st.sampled_from(ids))))
    if not odd():
        pairs.append(("jurisdiction", draw(_value("jurisdiction", "text", not odd()))))
    if "year" in types and not odd():
        pairs.append(("year", draw(st.sampled_from(["2024", 2024, 2019]))))
    for n in names:
        if n not in {"id", "jurisdiction", "year"}:
            pairs.append((n, draw(_value(n, types[n], not odd()))))
    if draw(st.booleans()):
        pairs.append(("kind", draw(st.sampled_from(_KIND_VALUES)) if odd() else kind))
    extra = draw(st.integers(0, 15))
    if extra == 1:
        pairs.append((draw(st.sampled_from(_CHINESE_KEYS)), draw(_value("total_funds", "decimal"))))
    elif extra == 2:
        pairs.append(("remarks", "x"))
    elif extra == 3 and pairs:
        pairs.append(pairs[0])  # a key given twice
    elif extra == 4 and kind == "worker":
        pairs.append(("training", [{"date": "2024-01-01", "hours": "3"}]))
    if draw(st.integers(0, 3)) == 0:
        pairs = draw(st.permutations(pairs))
    return pairs


def _dump(value: Any) -> str:
    if isinstance(value, list) and value and isinstance(value[0], tuple):
        return "{" + ",".join(f"{json.dumps(k)}: {_dump(v)}" for k, v in value) + "}"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return "[" + ",".join(_dump(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}: {_dump(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


@st.composite
def json_file(draw: st.DrawFn) -> tuple[str, str]:
    """(suffix, text) of one JSON file: mostly one kind, sometimes two, odd items now and then."""
    first = draw(st.sampled_from(KINDS))
    kinds = draw(st.lists(st.sampled_from([first, first, first, *KINDS]), max_size=8))
    items: list[str] = []
    for kind in kinds:
        if draw(st.integers(0, 14)) == 0:  # no object at all
            items.append(_dump(draw(st.sampled_from([1, "x", [1], None]))))
        else:
            items.append(_dump(draw(_record(kind)) or {}))
    shape = draw(st.sampled_from(["array", "lines", "lines", "one"]))
    if shape == "one" and items:
        return ".json", items[0]
    if shape == "lines":
        text = "".join(item + ("\n\n" if draw(st.integers(0, 6)) == 0 else "\n") for item in items)
        return ".jsonl", text
    return ".json", "[" + ",\n".join(items) + "]"


def _write(folder: Path, suffix: str, text: str) -> list[Path | str]:
    path = folder / f"records{suffix}"
    path.write_text(text, encoding="utf-8")
    return [path]


@SETTINGS
@given(file=json_file())
def test_json_read_into_columns_is_what_the_row_reader_reads(tmp_path: Path, file: Any) -> None:
    paths = _write(Path(tempfile.mkdtemp(dir=tmp_path)), *file)
    try:
        _same_frames(paths)
    except sw_policy.InputFileError:
        with pytest.raises(sw_policy.InputFileError):
            read_files_columnar(paths)


@settings(SETTINGS, max_examples=max(EXAMPLES // 2, 10))
@given(file=json_file(), kind=st.sampled_from([None, None, "budget", "worker"]))
def test_json_reports_identical_on_both_routes(
    rulebook: sw_policy.Rulebook, tmp_path: Path, file: Any, kind: str | None
) -> None:
    paths = _write(Path(tempfile.mkdtemp(dir=tmp_path)), *file)
    try:
        row = rulebook.check_files(paths, as_of=AS_OF, kind=kind, include_not_applicable=True)
    except sw_policy.InputFileError as exc:
        with pytest.raises(sw_policy.InputFileError, match=str(exc)[:20]):
            check_files_columnar(rulebook, paths, as_of=AS_OF, kind=kind)
        return
    columnar = check_files_columnar(
        rulebook, paths, as_of=AS_OF, kind=kind, include_not_applicable=True
    )
    assert columnar.to_json() == row.to_json()
    for summary in columnar.inputs:
        assert summary.records == summary.evaluated + summary.rejected


def test_plain_budgets_are_typed_without_the_row_reader(tmp_path: Path) -> None:
    """The route is taken: plain records never reach the row reader; odd ones do."""
    from sw_policy.inputs.json_direct import read_json_direct

    path = tmp_path / "b.json"
    records = [
        {"id": "B1", "jurisdiction": "330106", "total_funds": "1050000.00", "labour_cost": 7},
        {"id": "B2", "jurisdiction": "330106", "total_funds": Decimal("5.5"), "kind": "预算"},
        {"id": "B3", "jurisdiction": "330106", "total_funds": "120万元"},  # office words
        {"id": "B4", "jurisdiction": 330106, "total_funds": ""},  # "" is no blank
    ]
    path.write_text("[" + ",".join(_dump(list(r.items())) for r in records) + "]")  # type: ignore[attr-defined]
    read = read_json_direct(str(path), None, None)
    assert read is not None and read.frame is not None
    assert read.frame["id"].to_list() == ["B1", "B2"]
    assert read.orders == [3]  # B3 accepted by the row reader
    assert [r.row for r in read.rejected] == [4]


def test_rows_limit_is_the_row_readers(tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    path.write_text('{"id": "B1", "jurisdiction": "330106"}\n' * 3)
    with using_limits(Limits(rows=2)), pytest.raises(sw_policy.LimitError) as direct:
        read_files_columnar([path], kind="budget")
    with using_limits(Limits(rows=2)), pytest.raises(sw_policy.LimitError) as row:
        sw_policy.read_files([path], kind="budget")
    assert str(direct.value) == str(row.value)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet='[]{}"\\a,: 中\n', max_size=40))
def test_depth_without_strings_is_the_patterns(text: str) -> None:
    """json_depth's split on quotes skips strings exactly as the string pattern does."""
    brackets = json_text._BRACKETS.findall(json_text._STRING.sub('""', text))
    depth = deepest = 0
    for bracket in brackets:
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    assert json_text.json_depth(text) == deepest


_TRICKY: list[dict[str, Any]] = [
    {"id": "W1", "jurisdiction": "330106", "certificate": None},
    {"id": "W2", "jurisdiction": "330106", "direct_service": 5},
    {"id": "W3", "jurisdiction": "330106", "direct_service": 1},
    {"id": "W4", "jurisdiction": "330106", "as_of": 0},
    {"id": "W5", "jurisdiction": "330106", "post_level": Decimal("3.0")},
    {"id": "W6", "jurisdiction": "330106", "post_level": True},
    {"id": "W7", "jurisdiction": "330106", "post_level": "3", "name": ""},
    {"id": "W8", "jurisdiction": "330106", "major": 5, "name": "  "},
    {"id": "W9", "jurisdiction": "330106", "certificate": 2},
    {"id": 10, "jurisdiction": 330106},
    {"id": "", "jurisdiction": "330106"},
    {"id": "W11", "jurisdiction": "330106", "education": "本科", "certificate_registered": "是"},
    {"id": "W12", "jurisdiction": "330106", "training_hours_5y": Decimal("1E+2")},
    {"id": "W13", "jurisdiction": "330106", "post_title": "会计"},
    {"id": "W14", "jurisdiction": "330106", "post_series": None, "post_title": "会计"},
    {"id": "W15", "jurisdiction": "330106", "direct_service": None},
    {"id": "W1", "jurisdiction": "330106", "certificate": "senior"},
    {"id": "W16", "jurisdiction": "330106", "kind": "社工"},
    {"id": "W17", "jurisdiction": "330106", "学历": "硕士", "身份证号": "110101199001011234"},
    {"id": "W18", "jurisdiction": "330106", "counted_as_professional": "TRUE"},
    {"id": "W19", "jurisdiction": "330106", "training_hours_total": -0, "as_of": "2024-02-30"},
    {"id": "W20", "jurisdiction": "330106", "certificate": "intermediate", "post_level": 13},
]


def test_tricky_values_read_alike_in_json(rulebook: sw_policy.Rulebook, tmp_path: Path) -> None:
    """Values whose JSON meaning differs from a cell's (null, 1, 0, 3.0, "") read as the
    row reader reads them, beside plain ones that take the columns."""
    path = tmp_path / "workers.json"
    path.write_text("[" + ",".join(_dump(list(r.items())) for r in _TRICKY) + "]")
    row = rulebook.check_files([path], as_of=AS_OF, kind="worker", include_not_applicable=True)
    columnar = check_files_columnar(
        rulebook, [path], as_of=AS_OF, kind="worker", include_not_applicable=True
    )
    assert columnar.to_json() == row.to_json()
    assert len(row.rejected) > 5


def test_tricky_values_read_alike_as_dicts(rulebook: sw_policy.Rulebook) -> None:
    """The same, as dicts given to Rulebook.check (checking/dict_columns.py)."""
    row = rulebook.check(_TRICKY, as_of=AS_OF, kind="worker", engine="row")
    columnar = rulebook.check(_TRICKY, as_of=AS_OF, kind="worker", engine="columnar")
    assert columnar == row
    assert columnar.to_json() == row.to_json()
