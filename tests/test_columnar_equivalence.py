"""The columnar engine gives the row engine's report, byte for byte.

Golden: every fixture file (and all of them together) through both engines.
Differential: hypothesis generates records of every kind, boundary values,
missing fields, dates around deadlines, issue dates and training-window edges,
plus random parameter overrides, and compares the two reports' JSON.
Set SW_POLICY_DIFF_EXAMPLES to run more examples (CI default keeps it quick).
"""

from __future__ import annotations

import datetime as dt
import os
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sw_policy
from conftest import FIXTURES, REGION_COUNTS
from sw_policy import check_columnar, check_files_columnar
from sw_policy.cli import main

AS_OF = dt.date(2024, 6, 30)
EXAMPLES = int(os.environ.get("SW_POLICY_DIFF_EXAMPLES", "50"))
FIXTURE_FILES = sorted(p for p in FIXTURES.iterdir() if p.suffix in {".csv", ".json"})


def _same(rulebook: sw_policy.Rulebook, records: list[Any], as_of: dt.date, **flags: bool) -> None:
    row = rulebook.check(records, as_of=as_of, **flags)
    columnar = check_columnar(rulebook, records, as_of=as_of, **flags)
    assert columnar.to_json() == row.to_json()
    assert columnar.has_mandatory_failure == row.has_mandatory_failure


# --- golden cases ---------------------------------------------------------------


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize(
    "flags",
    [{}, {"include_not_applicable": True}, {"only_failures": True}],
    ids=["default", "not-applicable", "only-failures"],
)
def test_fixture_reports_identical(
    rulebook: sw_policy.Rulebook, path: Path, flags: dict[str, bool]
) -> None:
    row = rulebook.check_files([path], as_of=AS_OF, **flags)
    columnar = check_files_columnar(rulebook, [path], as_of=AS_OF, **flags)
    assert columnar.to_json() == row.to_json()


def test_all_fixtures_together_identical(rulebook: sw_policy.Rulebook) -> None:
    # Budgets twice (CSV then JSON): every JSON budget is a duplicate of a CSV one.
    paths = [*FIXTURE_FILES, FIXTURES / "budgets.json"]
    row = rulebook.check_files(paths, as_of=AS_OF)
    columnar = check_files_columnar(rulebook, paths, as_of=AS_OF)
    assert columnar.to_json() == row.to_json()
    assert len(columnar.rejected) == len(row.rejected) > 40


def test_findings_frame_has_report_columns(rulebook: sw_policy.Rulebook) -> None:
    report = check_files_columnar(rulebook, [FIXTURES / "budgets.csv"], as_of=AS_OF)
    frame = report.findings
    assert frame.columns[:5] == ["kind", "record_id", "rule_id", "outcome", "severity"]
    assert "citation" not in frame.columns  # joined by rule id, not repeated per row
    assert set(report.citations["rule_id"]) == {r.id for r in rulebook.rules}
    assert (
        report.to_report().findings
        == rulebook.check_files([FIXTURES / "budgets.csv"], as_of=AS_OF).findings
    )


@pytest.mark.parametrize("fmt", ["json", "table", "jsonl", "csv", "md", "html", "xlsx"])
@pytest.mark.parametrize("name", ["budgets.csv", "workers.json", "regions.csv", "mixed.json"])
def test_cli_engines_identical(tmp_path: Path, fmt: str, name: str) -> None:
    runner = CliRunner()
    outputs = {}
    for engine in ("row", "columnar"):
        out = tmp_path / f"{engine}.{fmt}"
        result = runner.invoke(
            main,
            [
                "check",
                str(FIXTURES / name),
                "--as-of",
                "2024-06-30",
                "--format",
                fmt,
                "--engine",
                engine,
                "--output",
                str(out),
            ],
        )
        outputs[engine] = (result.exit_code, out.read_bytes())
    assert outputs["row"] == outputs["columnar"]
    assert outputs["row"][0] in (0, 1, 3)  # 3: a fixture with rejected rows is incomplete


# --- the direct CSV reader ----------------------------------------------------------

ODD_BUDGETS = (
    "id,name,jurisdiction,as_of,total_funds,labour_cost\r\n"
    "P-1,plain,330106,,1000000.00,700000.00\r\n"
    " P-2 ,spaces,330106,,1000000,700000.001\r\n"
    "P-3,exponent,330106,,1e6,7E+5\r\n"
    "P-4,too many,330106,,1,1,1\r\n"
    "\r\n"
    ",,,,,\r\n"
    "P-5,bad code,33010,,100,1\r\n"
    "P-6,zero,330106,,0,1\r\n"
    "P-7,negative,330106,,10,-1\r\n"
    "P-1,duplicate,330106,,10,1\r\n"
    "P-8,date,330106,2019-06-17,10,8\r\n"
    "P-9,bad date,330106,2019-02-30,10,8\r\n"
    "P-10,unknown,330106,,,8\r\n"
    "P-11,plus,330106,,+10,08\r\n"
)


def test_direct_csv_reader_matches_row_reader(rulebook: sw_policy.Rulebook, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(ODD_BUDGETS.encode("utf-8-sig"))
    row = rulebook.check_files([path], as_of=AS_OF, include_not_applicable=True)
    columnar = check_files_columnar(rulebook, [path], as_of=AS_OF, include_not_applicable=True)
    assert columnar.to_json() == row.to_json()
    assert {r.row for r in columnar.rejected} >= {5, 8, 9, 10, 11, 13}


def test_unsupported_construct_is_a_compile_error() -> None:
    from sw_policy.engines.columnar.expressions import compile_predicate
    from sw_policy.rulebook.conditions import Compare, FieldRef, LiteralValue

    node = Compare(op="lt", left=FieldRef(field="major"), right=LiteralValue(value="x"))
    with pytest.raises(sw_policy.UnsupportedConstructError, match="cannot order"):
        compile_predicate(
            node,
            types={"major": "text"},
            scales={},
            params={},
            training=lambda n, y: (None, None, None),  # type: ignore[arg-type,return-value]
        )


# --- differential property test --------------------------------------------------

CODES = [
    "330106", "330100", "330000", "330212", "361126", "361100", "360000",
    "371502", "371500", "371521", "210102", "210000", "110105",
]  # fmt: skip
DAYS = [
    dt.date(2013, 6, 30), dt.date(2017, 9, 14), dt.date(2017, 9, 15), dt.date(2019, 6, 17),
    dt.date(2019, 6, 18), dt.date(2020, 7, 7), dt.date(2020, 7, 8), dt.date(2022, 12, 14),
    dt.date(2022, 12, 15), dt.date(2022, 12, 30), dt.date(2022, 12, 31), dt.date(2023, 1, 1),
    dt.date(2024, 2, 29), dt.date(2024, 6, 30), dt.date(2025, 12, 31),
]  # fmt: skip
days = st.one_of(st.sampled_from(DAYS), st.dates(dt.date(2012, 1, 1), dt.date(2027, 12, 31)))
maybe_day = st.one_of(st.none(), days)
money = st.one_of(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000000"), places=2),
    st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("100000"), places=4),
    st.sampled_from([Decimal("1"), Decimal("333333.33"), Decimal("1000000.00"), Decimal("7")]),
    # The edges of the documented range (docs/limits.md): both engines hold them exactly.
    st.decimals(
        min_value=Decimal("0.000000001"), max_value=Decimal("999999999999999.999999999"), places=9
    ),
    st.sampled_from(
        [Decimal("999999999999999.999999999"), Decimal("0.000000001"), Decimal("1E+14")]
    ),
)
counts = st.one_of(st.none(), st.integers(0, 12), st.sampled_from([0, 1, 2, 3, 10, 100]))


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def budgets(draw: st.DrawFn) -> dict[str, Any]:
    total = draw(_maybe(money))
    share = draw(
        st.sampled_from(
            [Decimal("0.7"), Decimal("0.8"), Decimal("0.70000001"), Decimal("0.79999999"), None]
        )
    )
    if total is not None and share is not None and draw(st.booleans()):
        labour = (total * share).quantize(Decimal("0.01"))
    else:
        labour = draw(_maybe(st.one_of(money, st.just(Decimal("0")))))
    return {"kind": "budget", "total_funds": total, "labour_cost": labour}


# The 5-year window up to 2024-06-30 is (2019-06-30, 2024-06-30]: both edges and beyond.
WINDOW_EDGES = [
    dt.date(2019, 6, 30),
    dt.date(2019, 7, 1),
    dt.date(2024, 6, 30),
    dt.date(2024, 7, 1),
]
TITLES = [
    "高级社会工作师一级",
    "社会工作师二级",
    "社会工作师二级岗位",
    "助理社会工作师二级",
    "社会工作师 三级",
    "主任",
    "主管护师",
]
MAJORS = [
    "社会工作",
    "social_work",
    "Social-Work",
    " 社会学 ",
    "会计学",
    "sociology",
    "民政管理",
    "社会工作专业",
    "社会工作（本科）",
    "MSW",
]


@st.composite
def workers(draw: st.DrawFn) -> dict[str, Any]:
    record: dict[str, Any] = {"kind": "worker"}
    options: dict[str, st.SearchStrategy[Any]] = {
        "certificate": st.sampled_from(["none", "assistant", "intermediate", "senior"]),
        "certificate_registered": st.booleans(),
        "education": st.sampled_from(
            ["none", "secondary", "junior_college", "bachelor", "master", "doctorate"]
        ),
        "major": st.sampled_from(MAJORS),
        "employer_type": st.sampled_from(
            [
                "urban_community",
                "rural_community",
                "public_institution",
                "charity_org",
                "sw_service_org",
                "enterprise",
                "government",
                "other",
            ]
        ),
        "direct_service": st.booleans(),
        "counted_as_professional": st.booleans(),
        "post_level": st.integers(1, 13),
        "post_title": st.sampled_from(TITLES),
        "in_purchased_project": st.booleans(),
        "post_series": st.sampled_from(["social_work", "other"]),
        "title_tier": st.sampled_from(["none", "junior", "intermediate", "senior"]),
        "title_basis": st.sampled_from(["certificate", "review", "other"]),
        "occupational_allowance": st.booleans(),
        "social_insurance": st.booleans(),
        "housing_fund": st.booleans(),
        "training_hours_5y": st.decimals(min_value=0, max_value=300, places=1),
        "training_hours_total": st.decimals(min_value=0, max_value=300, places=1),
    }
    for name, strategy in options.items():
        if draw(st.booleans()):
            record[name] = draw(strategy)
    if draw(st.booleans()):
        hours = st.sampled_from(
            [Decimal("0"), Decimal("0.5"), Decimal("8"), Decimal("60.25"), Decimal("1E+1")]
        )
        session_days = st.one_of(
            st.sampled_from(
                [
                    dt.date(2019, 6, 30),
                    dt.date(2019, 7, 1),
                    dt.date(2022, 12, 31),
                    dt.date(2023, 1, 1),
                    dt.date(2024, 6, 30),
                    dt.date(2024, 7, 1),
                ]
            ),
            days,
        )
        record["training"] = draw(
            st.lists(st.fixed_dictionaries({"date": session_days, "hours": hours}), max_size=6)
        )
    return record


@st.composite
def communities(draw: st.DrawFn) -> dict[str, Any]:
    record: dict[str, Any] = {
        "kind": "community",
        "setting": draw(st.sampled_from([None, "urban", "rural"])),
        "demonstration": draw(st.booleans()),
        "community_fund": draw(st.sampled_from([None, True, False])),
    }
    for name in (
        "sw_professionals",
        "sw_skilled_workers",
        "certified_staff",
        "special_group_projects",
        "community_social_orgs",
        "registered_volunteers",
    ):
        record[name] = draw(counts)
    record["resident_population"] = draw(st.sampled_from([None, 0, 10, 100, 101, 1000]))
    return record


@st.composite
def institutions(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "kind": "institution",
        "sw_focused": draw(st.sampled_from([None, True, False])),
        "professional_posts": draw(st.sampled_from([None, 0, 1, 10, 20])),
        "sw_posts": draw(counts),
    }


REGION_VALUES = [None, 0, 8, 9, 20, 79, 80, 81, 150, 151, 800, 1600, 50000, 100000, 140000]


@st.composite
def regions(draw: st.DrawFn) -> dict[str, Any]:
    record: dict[str, Any] = {"kind": "region", "year": draw(st.integers(2012, 2027))}
    for name in REGION_COUNTS:
        record[name] = draw(st.sampled_from(REGION_VALUES))
    if draw(st.booleans()):  # per-field counts: some fields given (0, 1 or 2), some not (unknown)
        fields = typing.get_args(sw_policy.records.InfluenceField)
        given = draw(st.lists(st.sampled_from(fields), unique=True))
        record["influential_orgs_by_field"] = {f: draw(st.integers(0, 2)) for f in given}
    return record


@st.composite
def records(draw: st.DrawFn) -> list[Any]:
    drafts = draw(
        st.lists(
            st.one_of(budgets(), workers(), communities(), institutions(), regions()),
            min_size=1,
            max_size=30,
        )
    )
    out = []
    for i, draft in enumerate(drafts):
        data = {k: v for k, v in draft.items() if v is not None}
        data["id"] = f"R{i}"
        data["jurisdiction"] = draw(st.sampled_from(CODES))
        record_day = draw(maybe_day)
        if record_day is not None:
            data["as_of"] = record_day
        out.append(sw_policy.parse_record(data))
    return out


OVERRIDES: dict[str, list[Any]] = {
    "zhejiang-2019.labour-cost-share.max_share": [Decimal("0.75"), Decimal("0.7000001")],
    "yiyang-2022.labour-cost-share.min_share": [Decimal("0.5"), Decimal("0.333")],
    "liaocheng-2020.professional-qualification.window_years": [1, 3],
    "liaocheng-2020.professional-qualification.min_training_hours": [8, 60],
    "zhejiang-2019.training-120h.min_hours": [10, 60],
    "zhejiang-2019.community-staffing.min_professionals": [{"urban": 3, "rural": 0}],
    "yiyang-2022.target.certified-workers.count_floor": [9, 100],
    "zhejiang-2019.institution-post-share.min_share": [Decimal("0.5")],
    "yiyang-2022.demo-community.min_volunteer_share": [Decimal("0.01"), Decimal("0.101")],
}

overrides = st.dictionaries(st.sampled_from(sorted(OVERRIDES)), st.integers(0, 1), max_size=3).map(
    lambda chosen: {k: OVERRIDES[k][i % len(OVERRIDES[k])] for k, i in chosen.items()}
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    batch=records(),
    run_day=days,
    changes=overrides,
    include_na=st.booleans(),
)
def test_row_and_columnar_findings_identical(
    rulebook: sw_policy.Rulebook,
    batch: list[Any],
    run_day: dt.date,
    changes: dict[str, Any],
    include_na: bool,
) -> None:
    book = rulebook.with_parameters(changes) if changes else rulebook
    _same(book, batch, run_day, include_not_applicable=include_na)


def test_auditor_files_give_identical_reports_on_both_engines(
    rulebook: sw_policy.Rulebook, tmp_path: Path
) -> None:
    """A GBK CSV with a title row and a three-sheet workbook go through the row readers."""
    import datetime as dt

    from auditor_files import county_workbook, gbk_budget_csv
    from sw_policy.checking.columnar import check_files_columnar

    files = [county_workbook(tmp_path / "county.xlsx"), gbk_budget_csv(tmp_path / "经费.csv")]
    day = dt.date(2024, 6, 30)
    row = rulebook.check_files(files, as_of=day)
    columnar = check_files_columnar(rulebook, files, as_of=day)
    assert columnar.to_json() == row.to_json()


def test_layered_rulebook_is_refused_by_columnar_and_auto_uses_row(tmp_path: Path) -> None:
    """amends/supersedes is not compiled: an explicit error, and --engine auto picks row."""
    from sw_policy.checking.columnar import check_files_columnar
    from sw_policy.engines.columnar.expressions import UnsupportedConstructError
    from test_layering import layered_rules

    rules = layered_rules(tmp_path)
    book = sw_policy.load_rulebook(rules)
    assert book.layered
    with pytest.raises(UnsupportedConstructError, match="amends/supersedes"):
        check_files_columnar(book, [FIXTURES / "budgets.csv"])
    args = ["check", str(FIXTURES / "budgets.csv"), "--rules", str(rules), "--as-of", "2024-06-30"]
    refused = CliRunner().invoke(main, [*args, "--engine", "columnar"])
    assert refused.exit_code == 2 and "amends/supersedes" in refused.stderr
    assert CliRunner().invoke(main, [*args, "--engine", "auto"]).exit_code == 1


def test_a_widest_amount_against_a_seven_decimal_share_stays_exact(
    rulebook: sw_policy.Rulebook,
) -> None:
    # 999999999999999.999999999 yuan (the range's edge, scale 9 because another row has
    # 1E-9) against a drafter's 0.7000001: the ratio's Int128 products passed 10^38 and
    # wrapped, turning a pass into a fail on the columnar engine only.
    book = rulebook.with_parameters(
        {"zhejiang-2019.labour-cost-share.max_share": Decimal("0.7000001")}
    )
    records = [
        sw_policy.parse_record(
            {"kind": "budget", "id": "R7", "jurisdiction": "330106", "labour_cost": "0.000000001"}
        ),
        sw_policy.parse_record(
            {
                "kind": "budget",
                "id": "R8",
                "jurisdiction": "330106",
                "total_funds": "999999999999999.999999999",
                "labour_cost": "0",
            }
        ),
    ]
    _same(book, records, dt.date(2019, 6, 18))
    _same(book, records[1:], dt.date(2019, 6, 18))
