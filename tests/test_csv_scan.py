"""The fast whole-file tests of the chunked CSV scan give what the regexes they replace give.

`has_total_row` searches the total-row pattern only in lines holding "total";
`column_values` splits lines with Polars when every line has the header's cell
count. Both must answer exactly as the pattern over the whole data does.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sw_policy.inputs.csv_chunks import _column_pattern, column_values
from sw_policy.inputs.csv_direct import _ASCII_TOTAL, has_total_row

COLUMNS = ["id", "jurisdiction", "total_funds", "labour_cost"]
FIRST = ["jurisdiction", "id", "total_funds"]

# Pieces that make the total pattern nearly match: case, spaces, tabs, CR, "sub", commas.
TOTAL_PIECES = ["total", "TOTAL", "ToTaL", "sub", "Sub", " ", "\t", ",", "\r", "\n", "x", "tota"]


def _by_pattern(data: bytes, columns: list[str]) -> set[str]:
    pattern = _column_pattern(columns, "jurisdiction")
    assert pattern is not None
    return {value.decode("ascii") for value in pattern.findall(data)}


@settings(deadline=None)  # Polars' first call can be slow on a loaded machine
@given(st.lists(st.sampled_from(TOTAL_PIECES), max_size=30))
def test_has_total_row_is_the_pattern(pieces: list[str]) -> None:
    data = "".join(pieces).encode("ascii")
    assert has_total_row(data) == bool(_ASCII_TOTAL.search(data))


def test_has_total_row_cases() -> None:
    assert has_total_row(b"id,jurisdiction\nB1,330106\nTotal,,\n")
    assert has_total_row(b"a,b\n \tSubTotal \r")  # CR then the end, no newline
    assert has_total_row(b"a,b\nx, total\n")
    assert not has_total_row(b"id,total_funds\nB1,10.00\n")  # a header word, not a total row
    assert not has_total_row(b"a,b\nsubtotals,1\n")
    assert not has_total_row(b"")
    # GBK bytes whose trail byte is an ASCII letter stay as the pattern reads them.
    gbk = "合计,总计".encode("gbk") + b"\ntotal\n"
    assert has_total_row(gbk) == bool(_ASCII_TOTAL.search(gbk))


CELL = st.text(alphabet='0123456789 Bx\r"', max_size=4)


@settings(deadline=None)  # Polars' first call can be slow on a loaded machine
@given(
    st.lists(st.lists(CELL, min_size=0, max_size=8), min_size=1, max_size=8),
    st.booleans(),
    st.sampled_from([COLUMNS, FIRST]),
)
def test_column_values_is_the_pattern(
    rows: list[list[str]], end_newline: bool, columns: list[str]
) -> None:
    text = "\n".join(",".join(row) for row in rows) + ("\n" if end_newline else "")
    data = text.encode("ascii")
    assert column_values(data, columns, "jurisdiction") == _by_pattern(data, columns)


@settings(deadline=None)  # Polars' first call can be slow on a loaded machine
@given(st.lists(st.sampled_from(["", "1", " 2 ", "x"]), min_size=1, max_size=40))
def test_column_values_of_regular_lines(cells: list[str]) -> None:
    """Lines of the header's width (the Polars path), the column first or second."""
    for columns in (COLUMNS, FIRST):
        width = len(columns)
        lines = [",".join(cells[i : i + width]).ljust(0) for i in range(0, len(cells), width)]
        data = "".join(line + "," * (width - 1 - line.count(",")) + "\n" for line in lines)
        assert column_values(data.encode(), columns, "jurisdiction") == _by_pattern(
            data.encode(), columns
        )


def test_column_values_cases() -> None:
    assert column_values(
        b"B1,330106,1.00,0.50\nB2, 110105 ,2.00,1.00\n", COLUMNS, "jurisdiction"
    ) == {
        "330106",
        " 110105 ",
    }
    assert column_values(b"B1,,1.00,0.50", COLUMNS, "jurisdiction") == {""}
    assert column_values(b"B1,1,2\nB2,3,4,5,6\n", COLUMNS, "jurisdiction") == {"1", "3"}
    # Seven cells then one: the comma count is the header's, but not line by line.
    assert column_values(b"a,b,c,d,e,f,g\na\n", COLUMNS, "jurisdiction") == {"b"}
    assert column_values(b"330106,B1,1\n", FIRST, "jurisdiction") == {"330106", ""}
    assert column_values(b"", COLUMNS, "jurisdiction") == set()
    assert column_values(b"B1,1,2,3\n", ["id", "total_funds"], "jurisdiction") == set()
