"""GB/T 2260 administrative divisions: names to codes and codes to names, from a shipped table.

The table (rules/intake/gb2260.csv) lists every province, city and county with
its level, the years it was valid and its source; it is data, refreshed by
scripts/build_gb2260.py. A roster without a 行政区划代码 column can take its code
from `--jurisdiction 淳安县` or from a title naming one division unambiguously.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass

from sw_policy.errors import PolicyError
from sw_policy.rulebook.loader import bundled_rules_dir

__all__ = [
    "Division",
    "code_warning",
    "codes_warnings",
    "display_name",
    "division",
    "division_in_text",
    "divisions_stamp",
    "resolve_jurisdiction",
]

TABLE = ("intake", "gb2260.csv")


@dataclass(frozen=True)
class Division:
    """One row of the table; `valid_to` is the last year in force (None: current)."""

    code: str
    name: str
    level: str
    valid_from: str | None
    valid_to: str | None
    source: str
    source_year: str
    successor: str | None

    @property
    def full_name(self) -> str:
        """The name with its province and city: 浙江省杭州市淳安县."""
        parents = [
            division(code)
            for code in dict.fromkeys((self.code[:2] + "0000", self.code[:4] + "00"))
            if code != self.code
        ]
        return "".join([*(p.name for p in parents if p is not None), self.name])


@functools.cache
def _rows() -> dict[str, list[str]]:
    """Code -> the row's cells in _COLUMNS order. A small check needs the stamp's columns
    and a few rows, so a row becomes a Division only when asked for (division())."""
    path = bundled_rules_dir().joinpath(*TABLE)
    text = path.read_text(encoding="utf-8")
    rows = csv.reader(io.StringIO(text))
    header = next(rows, [])
    if header != _COLUMNS:  # a rebuilt table with its columns reordered: read them by name
        return {
            row["code"]: [row[name] for name in _COLUMNS]
            for row in csv.DictReader(io.StringIO(text))
        }
    # Positional rows: a small check reads all 3 000 rows, and DictReader doubled the cost.
    return {row[0]: row for row in rows}


@functools.cache
def _table() -> dict[str, Division]:
    return {code: _division(row) for code, row in _rows().items()}


@functools.lru_cache(maxsize=4096)
def _division_of(code: str) -> Division | None:
    row = _rows().get(code)
    return None if row is None else _division(row)


_COLUMNS = [
    "code",
    "name",
    "level",
    "valid_from",
    "valid_to",
    "source",
    "source_year",
    "successor",
]


def _division(row: list[str]) -> Division:
    code, name, level, valid_from, valid_to, source, source_year, successor = row
    return Division(
        code,
        name,
        level,
        valid_from or None,
        valid_to or None,
        source,
        source_year,
        successor or None,
    )


def division(code: str) -> Division | None:
    """The division a code names, current or retired; None if the table has no such code."""
    return _division_of(code)


def display_name(code: str) -> str | None:
    """The name a report shows beside a code: 杭州市西湖区 for 330106, 浙江省杭州市 for
    330100, 北京市东城区 where no city row stands between; None for a code not in the table.

    A county is named with its city (the province adds nothing a reader needs there);
    a city or a county directly under its province with the province.
    """
    item = division(code)
    if item is None:
        return None
    if item.level == "county":
        city = division(code[:4] + "00")
        if city is not None and city.code != code:
            return city.name + item.name
    return item.full_name


def divisions_stamp() -> str:
    """The table's sources and years, for a report's stamp."""
    rows = _rows().values()  # the cells, not Divisions: three columns of every row
    source, year, valid_to = (_COLUMNS.index(c) for c in ("source", "source_year", "valid_to"))
    main = sorted({(r[source], r[year]) for r in rows if r[source] != "hand-entered"})
    retired = sum(1 for r in rows if r[valid_to])  # an empty cell is None in a Division
    return (
        "GB/T 2260 table: "
        + "; ".join(f"{s} ({y})" for s, y in main)
        + (f", with {retired} retired codes" if retired else "")
    )


@functools.cache
def _by_name() -> dict[str, list[Division]]:
    names: dict[str, list[Division]] = {}
    for item in _table().values():
        if item.valid_to is None:
            province = _table().get(item.code[:2] + "0000")
            short = item.full_name.removeprefix(province.name if province else "")
            for name in dict.fromkeys((item.name, item.full_name, short)):
                names.setdefault(name, []).append(item)
    return names


def _within(inner: Division, outer: Division) -> bool:
    width = {"province": 2, "city": 4}.get(outer.level)
    return (
        width is not None and inner.code != outer.code and inner.code[:width] == outer.code[:width]
    )


def division_in_text(text: str) -> Division | None:
    """The one current division a title names (浙江省淳安县民政局 → 330127), else None.

    Names of three characters or more are looked for; a name under a named province or
    city wins over the same name elsewhere; two unrelated divisions mean no answer.
    """
    found = [
        d for name, items in _by_name().items() if len(name) >= 3 and name in text for d in items
    ]
    found = list(dict.fromkeys(found))
    leaves = [d for d in found if not any(_within(o, d) for o in found)]
    if len(leaves) > 1:
        anchored = [d for d in leaves if any(_within(d, o) for o in found)]
        leaves = anchored or leaves
    return leaves[0] if len(leaves) == 1 else None


def code_of_name(name: str) -> str | None:
    """The code of the one current division called exactly `name` (上城区, 杭州市上城区,
    浙江省杭州市上城区 → 330102); None for a name the table lacks or has more than once
    (朝阳区: Beijing and Changchun), so such a cell is refused as before, not guessed."""
    matches = list(dict.fromkeys(_by_name().get(name.strip(), [])))
    return matches[0].code if len(matches) == 1 else None


def resolve_jurisdiction(given: str) -> str:
    """A code from `--jurisdiction`: a 6-digit code as is, or a division's (full) name.

    Raises PolicyError for a name the table does not have or has more than once.
    """
    given = given.strip()
    if given.isdigit():
        if len(given) != 6:
            raise PolicyError(f"--jurisdiction {given}: a division code has 6 digits (330127)")
        return given
    matches = list(dict.fromkeys(_by_name().get(given, [])))
    if len(matches) == 1:
        return matches[0].code
    if not matches:
        raise PolicyError(
            f"--jurisdiction {given}: no division of that name in the GB/T 2260 table"
        )
    options = ", ".join(f"{m.code} {m.full_name}" for m in matches)
    raise PolicyError(f"--jurisdiction {given}: several divisions have that name ({options})")


_LISTED = 10


def codes_warnings(codes: Iterable[str]) -> list[str]:
    """Warnings for the division codes of a file's rows: one listing the codes the table
    does not have, one per retired code (at most ten codes named in each list).

    A warning, not a rejection: the record is well-formed and the rules judge it on its
    code's digits; the table (seeded from a package, without every year's changes) may
    lack a code that exists, and a retired code is right in a record of its years.
    """
    unknown, retired = [], []
    for code in sorted(set(codes)):
        item = division(code)
        if item is None:
            unknown.append(code)
        elif item.valid_to is not None:
            retired.append(code)
    out = []
    if unknown:
        more = len(unknown) - _LISTED
        listed = ", ".join(unknown[:_LISTED]) + (f" and {more} more" if more > 0 else "")
        out.append(f"division codes not in the GB/T 2260 table: {listed}")
    for code in retired[:_LISTED]:
        out.append(code_warning(code) or "")
    return out


def code_warning(code: str) -> str | None:
    """Why a code deserves a warning: not in the table, or retired (with its successor)."""
    item = division(code)
    if item is None:
        return f"jurisdiction {code} is not in the GB/T 2260 table ({divisions_stamp()})"
    if item.valid_to is not None:
        after = f"; now {item.successor}" if item.successor else ""
        return f"jurisdiction {code} ({item.name}) was retired after {item.valid_to}{after}"
    return None
