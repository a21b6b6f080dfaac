"""Hypothesis strategies for records and single-field changes, shared by the stream tests."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

PLACES = st.sampled_from(["371502", "330106", "330212", "361126", "110105", "330000", "361100"])
hours = st.sampled_from(["0", "0.5", "8", "40", "119.5", "120"])
day = st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2025, 12, 31))
as_of = st.one_of(st.none(), st.sampled_from(["2019-01-01", "2022-12-30", "2023-01-01"]))
count = st.one_of(st.none(), st.integers(0, 5))
ids = st.sampled_from(["A", "B"])
money = st.sampled_from(["100", "99.99", "333333.33", "1"])
labour = st.sampled_from(["0", "70", "69.99", "70.01", "80", "233333.33", "0.7"])

workers = st.fixed_dictionaries(
    {
        "kind": st.just("worker"),
        "id": ids,
        "jurisdiction": st.sampled_from(["371502", "330106", "330212", "110105", "361126"]),
        "as_of": as_of,
        "certificate": st.sampled_from(["none", "assistant", "intermediate", "senior"]),
        "certificate_registered": st.booleans(),
        "education": st.sampled_from(["none", "junior_college", "bachelor"]),
        "major": st.sampled_from([None, "社会工作", "会计学", "社会学"]),
        "training": st.one_of(
            st.none(), st.lists(st.fixed_dictionaries({"date": day, "hours": hours}), max_size=3)
        ),
        "training_hours_5y": st.one_of(st.none(), hours),
        "employer_type": st.sampled_from(
            ["urban_community", "public_institution", "public_institution", "other"]
        ),
        "direct_service": st.booleans(),
        "counted_as_professional": st.booleans(),
        "post_level": st.one_of(st.none(), st.integers(1, 13)),
        "post_title": st.sampled_from([None, "社会工作师二级", "高级社会工作师一级"]),
        "in_purchased_project": st.booleans(),
        "occupational_allowance": st.one_of(st.none(), st.booleans()),
        "social_insurance": st.one_of(st.none(), st.booleans()),
        "housing_fund": st.one_of(st.none(), st.booleans()),
    }
)
budgets = st.fixed_dictionaries(
    {
        "kind": st.just("budget"),
        "id": ids,
        "jurisdiction": PLACES,
        "as_of": as_of,
        "total_funds": money,
        "labour_cost": labour,
    }
)
communities = st.fixed_dictionaries(
    {
        "kind": st.just("community"),
        "id": ids,
        "jurisdiction": PLACES,
        "setting": st.sampled_from([None, "urban", "rural"]),
        "sw_professionals": count,
        "sw_skilled_workers": count,
        "demonstration": st.booleans(),
        "certified_staff": count,
        "community_fund": st.one_of(st.none(), st.booleans()),
    }
)
institutions = st.fixed_dictionaries(
    {
        "kind": st.just("institution"),
        "id": ids,
        "jurisdiction": PLACES,
        "sw_focused": st.one_of(st.none(), st.booleans()),
        "professional_posts": count,
        "sw_posts": count,
    }
)
regions = st.fixed_dictionaries(
    {
        "kind": st.just("region"),
        "id": ids,
        "jurisdiction": st.sampled_from(["330000", "361126", "210000", "330106"]),
        "year": st.integers(2014, 2026),
        "certified_workers": st.one_of(st.none(), st.integers(0, 200_000)),
        "certified_workers_prev_year": count,
        "supervisors": st.one_of(st.none(), st.integers(0, 1000)),
    }
)
records = st.one_of(workers, budgets, communities, institutions, regions)
_BY_KIND = {
    "worker": workers,
    "budget": budgets,
    "community": communities,
    "institution": institutions,
    "region": regions,
}
# (first, second): one record, then the same record with one field changed.
one_field_changed = records.flatmap(
    lambda first: st.tuples(
        st.just(first),
        _BY_KIND[first["kind"]],
        st.sampled_from(sorted(set(first) - {"kind", "id"})),
    ).map(lambda t: (t[0], {**t[0], t[2]: t[1][t[2]]}))
)


def clean(data: dict) -> dict:
    """A generated record without its None fields (absent, as in JSON input)."""
    return {k: v for k, v in data.items() if v is not None}
