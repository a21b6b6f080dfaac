"""Time passes: advance() re-judges exactly the rules whose days fall in between."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sw_policy
from stream_strategies import clean, records
from sw_policy.engines.semantics import years_before
from sw_policy.engines.stream.timeline import window_exit
from sw_policy.stream import Monitor

RULEBOOK = sw_policy.load_rulebook()
QUALIFICATION = "liaocheng-2020.professional-qualification"
TRAINING_BY_2022 = "zhejiang-2019.training-120h"


def moves(changes):
    return [(c.rule_id, c.before, c.after, c.op) for c in changes]


def test_a_2022_deadline_turns_pending_into_fail_on_its_last_day():
    staff = {
        "kind": "worker",
        "id": "Z-1",
        "jurisdiction": "330106",
        "employer_type": "charity_org",
        "training": [{"date": "2021-05-01", "hours": "100"}],
    }
    with Monitor(RULEBOOK, as_of=dt.date(2022, 6, 30)) as monitor:
        assert {c.rule_id: c.after for c in monitor.upsert(staff)}[TRAINING_BY_2022] == ("pending")
        assert monitor.advance(dt.date(2022, 12, 30)) == []
        assert moves(monitor.advance("2022-12-31")) == [
            (TRAINING_BY_2022, "pending", "fail", "advance")
        ]
        # Back in time, the deadline has not come: pending again.
        assert moves(monitor.advance("2022-12-30")) == [
            (TRAINING_BY_2022, "fail", "pending", "advance")
        ]


def test_a_training_session_leaving_the_five_year_window():
    worker = {
        "kind": "worker",
        "id": "W-1",
        "jurisdiction": "371502",
        "training": [{"date": "2019-07-01", "hours": "100"}, {"date": "2023-01-01", "hours": "20"}],
    }
    with Monitor(RULEBOOK, as_of=dt.date(2024, 6, 29)) as monitor:
        assert moves(monitor.upsert(worker)) == [(QUALIFICATION, None, "pass", "upsert")]
        assert monitor.advance("2024-06-30") == []  # window (2019-06-30, 2024-06-30]
        [change] = monitor.advance("2024-07-01", event_id="midnight")  # 2019-07-01 has left
        assert (change.before, change.after, change.event_id) == ("pass", "fail", "midnight")
        assert change.finding.observed["training_hours_5y"] == "20"


def test_a_session_dated_ahead_counts_from_its_day():
    worker = {
        "kind": "worker",
        "id": "W-2",
        "jurisdiction": "371502",
        "training": [
            {"date": "2024-01-01", "hours": "119.5"},
            {"date": "2024-09-01", "hours": "1"},
        ],
    }
    with Monitor(RULEBOOK, as_of=dt.date(2024, 6, 30)) as monitor:
        monitor.upsert(worker)
        assert monitor.advance("2024-08-31") == []
        assert moves(monitor.advance("2024-09-01")) == [(QUALIFICATION, "fail", "pass", "advance")]


def test_only_records_and_rules_with_a_day_in_between_are_judged():
    worker = {
        "kind": "worker",
        "id": "W-3",
        "jurisdiction": "371502",
        "training": [{"date": "2020-03-01", "hours": "200"}],
    }
    own = {**worker, "id": "W-4", "as_of": "2024-06-30"}
    with Monitor(RULEBOOK, as_of=dt.date(2024, 6, 30)) as monitor:
        monitor.upsert(worker)
        monitor.upsert(own)
        judged = monitor.stats["rules_judged"]
        monitor.advance("2024-12-01")  # no day of any rule or session in between
        assert monitor.stats["rules_judged"] == judged
        assert monitor.stats["events"] == 3
        # 2025-03-01: W-3's session leaves the window; W-4 has its own as_of, untouched.
        assert [(c.record_id, c.after) for c in monitor.advance("2025-03-01")] == [("W-3", "fail")]
        assert monitor.stats["rules_judged"] == judged + 1


@settings(max_examples=300, deadline=None)
@given(day=st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)), years=st.integers(1, 10))
def test_window_exit_is_the_first_day_a_session_is_outside_the_window(day, years):
    leaves = window_exit(day, years)
    assert years_before(leaves, years) >= day  # outside: (years_before(as_of), as_of]
    assert years_before(leaves - dt.timedelta(days=1), years) < day  # inside the day before


days = st.dates(dt.date(2016, 1, 1), dt.date(2027, 12, 31))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.lists(records, min_size=1, max_size=6),
    start=days,
    steps=st.lists(days, min_size=1, max_size=5),
)
def test_after_any_advances_outcomes_equal_a_batch_check_at_the_new_date(data, start, steps):
    """Property: advancing (either way) leaves exactly the outcomes a batch check gives,
    and the changes it reports fold to them."""
    with Monitor(RULEBOOK, as_of=start) as monitor:
        for record in data:
            monitor.upsert(clean(record))
        folded = dict(monitor.outcomes())
        for step in steps:
            for change in monitor.advance(step):
                key = (change.kind, change.record_id, change.rule_id)
                assert folded.get(key) == change.before
                if change.after is None:
                    folded.pop(key)
                else:
                    folded[key] = change.after
            batch = RULEBOOK.check(monitor.records(), as_of=step)
            expected = {(f.kind, f.record_id, f.rule_id): f.outcome for f in batch.findings}
            assert monitor.outcomes() == expected
            assert folded == expected
