"""What a careful analyst would write by hand: `sw-policy check`'s JSON report, in Polars.

    python benchmarks/handwritten_polars.py budgets.csv out.json [CONSTANTS_JSON]

The yardstick of benchmarks/constant_memory.py. On a plain budget CSV of that
benchmark's generator (id,jurisdiction,total_funds,labour_cost; amounts with two
places) it writes **the same bytes** as

    sw-policy check budgets.csv --as-of 2024-06-30 --format json -o out.json

(every finding, pass and fail, with observed values, expected text, both messages,
citation, location and marks; the report's head with the file's sha256 and counts;
the summary and options). The figures a hand script would copy from the policy
(each rule's share, scope, summary, citation, marks, draft status) are read from the
bundled rulebook by `constants`, which the benchmark calls once and passes in, so
loading the rulebook is not timed; the report's wording ("符合：", "Observed: " …)
is written here as literals, as a hand script would.

What it does not do, and `check` does (say so beside any ratio): validate cells
(a bad amount stops Polars with an error instead of a per-row rejection), detect
duplicate ids, check division codes against GB/T 2260, accept any other header,
encoding, amount form or kind, or judge any rule but the two labour-share ones.
It refuses (exits 2) a file whose shares fall outside [0.1, 1), the range its
ten-significant-digit text is written for.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from fractions import Fraction
from pathlib import Path

import polars as pl

RULES = ("zhejiang-2019.labour-cost-share", "yiyang-2022.labour-cost-share")
AS_OF = "2024-06-30"
OPTIONS = """  "options": {
    "format": "json",
    "lang": "zh",
    "kind": null,
    "encoding": null,
    "rules": "bundled",
    "exclude_drafts": false,
    "drafts_binding": false,
    "include_not_applicable": false,
    "only_failures": false,
    "parameter_overrides": {},
    "strict_columns": false,
    "jurisdiction": null,
    "divisions": %s
  }
}
"""


def _indent(text: str, spaces: int) -> str:
    return text.replace("\n", "\n" + " " * spaces)


def constants() -> str:
    """Per rule and per report what the script copies from the rulebook, as JSON."""
    import sw_policy  # noqa: PLC0415 (only to read the figures, not to judge)
    from sw_policy.inputs.divisions import divisions_stamp  # noqa: PLC0415

    book = sw_policy.load_rulebook()
    rules = []
    for rule_id in RULES:
        rule = book.rule(rule_id)
        source = book.source_of(rule_id)
        scope = rule.scope or source.jurisdiction
        width = 2 if scope.endswith("0000") else 4 if scope.endswith("00") else 6
        condition = rule.condition.model_dump()
        share = Fraction(next(iter(rule.parameters.values())).value)
        op = {"le": "≤", "ge": "≥"}[condition["op"]]
        marks = [str(m) for m in book.marks_of(rule_id, dt.date.fromisoformat(AS_OF))]
        rules.append(
            {
                "id": rule_id,
                "prefix": scope[:width],
                "share": str(share),
                "at_most": op == "≤",
                "expected": f"{op} {share.numerator / share.denominator:.2f}",
                "draft": source.status == "draft",
                "severity": str(rule.severity),
                "summary": [rule.summary.zh, rule.summary.en],
                "citation": _indent(book.citation(rule_id).model_dump_json(indent=2), 6),
                "marks": _indent(json.dumps(marks, indent=2), 6) if marks else "[]",
            }
        )
    return json.dumps(
        {
            "rules": rules,
            "version": sw_policy.__version__,
            "rulebook": [book.sha256, len(book.rules)],
            "divisions": divisions_stamp(),
        },
        ensure_ascii=False,
    )


def share_text(n: pl.Expr, d: pl.Expr) -> pl.Expr:
    """n / d as the report writes it: exact when it terminates, else ten significant
    digits rounded half-even (for a share in [0.1, 1), ten decimal places)."""
    big = 10**29  # cents < 2**29, so n / d terminates iff n * 10**29 is a multiple of d
    n, d = n.cast(pl.Int128), d.cast(pl.Int128)
    exact = (n * big // d).cast(pl.String).str.zfill(29).str.strip_chars_end("0")
    q, r = n * 10**10 // d, n * 10**10 % d
    rounded = (q + (2 * r > d).cast(pl.Int128)).cast(pl.String).str.zfill(10)
    return pl.concat_str(pl.lit("0."), pl.when(n * big % d == 0).then(exact).otherwise(rounded))


def fails(rule: dict[str, object]) -> pl.Expr:
    """Whether the row fails the rule: the share compared exactly, on integer cents."""
    share = Fraction(str(rule["share"]))
    over = pl.col("labour") * share.denominator - pl.col("cents") * share.numerator
    return over > 0 if rule["at_most"] else over < 0


def finding(rule: dict[str, object], path: str) -> pl.Expr:
    """One finding's JSON text (without the comma between findings)."""
    zh, en = rule["summary"]  # type: ignore[misc]
    expected = rule["expected"]
    draft_zh, draft_en = ("（征求意见稿，不具约束力）", " (draft for comment, not binding)")
    shown = pl.concat_str(
        pl.lit("labour_cost_share = "), pl.col("share"), pl.lit(", labour_cost = "),
        pl.col("labour_cost"), pl.lit(", total_funds = "), pl.col("total_funds"),
    )  # fmt: skip
    verdict = pl.when(pl.col("fail"))
    return pl.concat_str(
        pl.lit('    {\n      "kind": "budget",\n      "record_id": "'), pl.col("id"),
        pl.lit(f'",\n      "rule_id": "{rule["id"]}",\n      "outcome": "'),
        verdict.then(pl.lit("fail")).otherwise(pl.lit("pass")),
        pl.lit(f'",\n      "severity": "{rule["severity"]}",\n      "observed": {{\n'
               '        "labour_cost_share": "'), pl.col("share"),
        pl.lit('",\n        "labour_cost": "'), pl.col("labour_cost"),
        pl.lit('",\n        "total_funds": "'), pl.col("total_funds"),
        pl.lit(f'"\n      }},\n      "expected": "{expected}",\n      "message": {{\n'
               '        "zh": "'),
        verdict.then(pl.lit("不符合" + (draft_zh if rule["draft"] else "") + "："))
        .otherwise(pl.lit("符合：")),
        pl.lit(f"{zh}。实际："), shown, pl.lit(f"；要求：{expected}。\",\n        \"en\": \""),
        verdict.then(pl.lit("Does not meet" + (draft_en if rule["draft"] else "") + ": "))
        .otherwise(pl.lit("Meets: ")),
        pl.lit(f"{en}. Observed: "), shown,
        pl.lit(f'; expected: {expected}."\n      }},\n      "citation": {rule["citation"]},\n'
               '      "unmet": [],\n      "location": {\n'
               f'        "path": {json.dumps(path, ensure_ascii=False)},\n'
               '        "sheet": null,\n        "row": '),
        pl.col("row").cast(pl.String),
        pl.lit(f'\n      }},\n      "displaced": [],\n      "marks": {rule["marks"]}\n    }}'),
    )  # fmt: skip


def main(source: Path, target: Path, given: str) -> None:
    book = json.loads(given)
    path = str(source)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    df = pl.read_csv(source, infer_schema=False).with_row_index("row", offset=2)
    df = df.with_columns(
        cents=pl.col("total_funds").str.replace(".", "", literal=True).cast(pl.Int64),
        labour=pl.col("labour_cost").str.replace(".", "", literal=True).cast(pl.Int64),
    )
    if not df.select(
        ((pl.col("labour") * 10 >= pl.col("cents")) & (pl.col("labour") < pl.col("cents"))).all()
    ).item():
        sys.exit(f"{source}: a share outside [0.1, 1); this script writes only those")
    parts, draft_failures = [], 0
    for index, rule in enumerate(book["rules"]):
        rows = df.filter(pl.col("jurisdiction").str.starts_with(rule["prefix"]))
        rows = rows.with_columns(
            share=share_text(pl.col("labour"), pl.col("cents")), fail=fails(rule)
        )
        parts.append(
            rows.select(
                (pl.col("row") * len(book["rules"]) + index).alias("order"),
                finding(rule, path).alias("t"),
                "fail",
            )
        )
    findings = pl.concat(parts).sort("order")
    failed = int(findings["fail"].sum())
    for rule, part in zip(book["rules"], parts, strict=True):
        if rule["draft"]:
            draft_failures += int(part["fail"].sum())
    version, (sha, count), divisions = book["version"], book["rulebook"], book["divisions"]
    records = df.height
    head = (
        '{\n  "report_version": 1,\n  "engine": {\n    "name": "sw-policy",\n'
        f'    "version": "{version}"\n  }},\n  "rulebook": {{\n    "sha256": "{sha}",\n'
        f'    "rules": {count}\n  }},\n  "as_of": "{AS_OF}",\n  "inputs": [\n    {{\n'
        f'      "path": {json.dumps(path, ensure_ascii=False)},\n      "sha256": "{digest}",\n'
        f'      "records": {records},\n      "evaluated": {records},\n      "rejected": 0,\n'
        '      "encoding": "utf-8",\n      "skipped": 0,\n      "unused_columns": [],\n'
        '      "warnings": []\n    }\n  ],\n  "rejected": [],\n  "skipped": [],\n'
    )
    tail = (
        f'  "summary": {{\n    "records": {records},\n    "findings": {findings.height},\n'
        f'    "by_outcome": {{\n      "pass": {findings.height - failed},\n'
        f'      "fail": {failed},\n      "pending": 0,\n      "insufficient_data": 0\n'
        f'    }},\n    "draft_failures": {draft_failures}\n  }},\n'
    ) + OPTIONS % json.dumps(divisions, ensure_ascii=False)
    with target.open("wb") as out:
        out.write(head.encode())
        if findings.height:
            out.write(b'  "findings": [\n')
            out.flush()
            findings.select("t").write_csv(
                out, include_header=False, quote_style="never", line_terminator=",\n"
            )
            out.seek(out.tell() - 2)
            out.truncate()
            out.write(b"\n  ],\n")
        else:
            out.write(b'  "findings": [],\n')
        out.write(tail.encode())


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else constants())
