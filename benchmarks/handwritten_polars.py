"""What a careful analyst would write by hand: the two labour-share rules in Polars, to JSON.

    python benchmarks/handwritten_polars.py budgets.csv out.json [RULES_JSON]

The yardstick of benchmarks/constant_memory.py. It reads a contract-format budget
CSV (id,jurisdiction,total_funds,labour_cost) with Polars, judges the two
labour-share rules (shares read from the bundled rulebook by `rules_json`, which
the benchmark calls once and passes in, so that loading the rulebook is not
timed; compared exactly on integer cents), and writes every failure as a JSON
object with the report's fields (observed values, expected text, both messages,
the citation, the row), pretty-printed the way the report is, in a JSON array. It
does not validate cells, reject rows, detect duplicate ids or count outcomes:
it is the least work that gives a comparable output.
"""

from __future__ import annotations

import json
import sys
from fractions import Fraction
from pathlib import Path

import polars as pl

RULES = ("zhejiang-2019.labour-cost-share", "yiyang-2022.labour-cost-share")


def rules_json() -> str:
    """(rule id, jurisdiction prefix, share, expected text, citation JSON) per rule, as JSON."""
    import sw_policy  # noqa: PLC0415 (only to read the figures, not to judge)

    book = sw_policy.load_rulebook()
    out: list[tuple[str, str, str, str, str]] = []
    for rule_id in RULES:
        rule = book.rule(rule_id)
        scope = rule.scope or book.source_of(rule_id).jurisdiction
        width = 2 if scope.endswith("0000") else 4 if scope.endswith("00") else 6
        share = Fraction(next(iter(rule.parameters.values())).value)
        citation = book.citation(rule_id).model_dump_json(indent=2).replace("\n", "\n      ")
        out.append((rule_id, scope[:width], str(share), f"≤ {float(share):.2f}", citation))
    return json.dumps(out, ensure_ascii=False)


def main(source: Path, target: Path, rules: str) -> None:
    cents = pl.col("total_funds").str.replace(".", "", literal=True).cast(pl.Int64)
    labour = pl.col("labour_cost").str.replace(".", "", literal=True).cast(pl.Int64)
    df = pl.read_csv(
        source, schema_overrides=dict.fromkeys(("total_funds", "labour_cost"), pl.String)
    )
    df = df.with_row_index("row", offset=2)
    parts = []
    for rule_id, prefix, share_text, expected, citation in json.loads(rules):
        share = Fraction(share_text)
        failed = df.filter(
            pl.col("jurisdiction").cast(pl.String).str.starts_with(prefix)
            & (labour * share.denominator > cents * share.numerator)
        )
        ratio = (labour / cents).round(10).cast(pl.String)
        observed = pl.concat_str(
            pl.lit('"labour_cost_share": "'), ratio, pl.lit('",\n        "labour_cost": "'),
            pl.col("labour_cost"), pl.lit('",\n        "total_funds": "'), pl.col("total_funds"),
            pl.lit('"'),
        )  # fmt: skip
        text = pl.concat_str(
            pl.lit('    {\n      "kind": "budget",\n      "record_id": "'), pl.col("id"),
            pl.lit(f'",\n      "rule_id": "{rule_id}",\n      "outcome": "fail",\n'
                   '      "severity": "mandatory",\n      "observed": {\n        '),
            observed,
            pl.lit(f'\n      }},\n      "expected": "{expected}",\n      "message": {{\n'
                   '        "zh": "不符合：人力成本占项目经费比例超过上限。实际：'),
            pl.col("labour_cost"), pl.lit(" / "), pl.col("total_funds"),
            pl.lit(f"；要求：{expected}。\",\n        \"en\": \"Does not meet: labour cost "
                   "share above the limit. Observed: "),
            pl.col("labour_cost"), pl.lit(" / "), pl.col("total_funds"),
            pl.lit(f'; expected: {expected}."\n      }},\n      "citation": {citation},\n'
                   '      "location": {\n        "path": "' + source.name + '",\n'
                   '        "row": '),
            pl.col("row").cast(pl.String), pl.lit("\n      }\n    },"),
        )  # fmt: skip
        parts.append(failed.select(pl.col("row"), text.alias("t")))
    findings = pl.concat(parts).sort("row").select("t")
    with target.open("wb") as out:
        out.write(b'{\n  "findings": [\n')
        findings.write_csv(out, include_header=False, quote_style="never")
        out.write(b"  ]\n}\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else rules_json())
