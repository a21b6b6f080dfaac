"""Live monitoring: exact decisions, equal to batch check, on either router.

The default router (a table from the rules) runs everywhere; tests of
durable_rules itself run where the [stream] extra loads, and the property test
then checks both routers give the same changes. Every test that runs
durable_rules' C code runs in a process of its own (tests/isolation.py), so a
crash there fails that test, naming the signal, instead of ending the run.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sw_policy
from conftest import param
from isolation import isolated
from stream_strategies import (
    PLACES,
    as_of,
    clean,
    day,
    hours,
    ids,
    labour,
    money,
    one_field_changed,
    records,
)
from sw_policy.engines.stream.router import Router, StreamUnavailableError, load_core
from sw_policy.engines.stream.routing import routes
from sw_policy.stream import Change, Monitor, MonitorClosedError

RULEBOOK = sw_policy.load_rulebook()


def _durable_loads() -> bool:
    try:
        load_core()
    except StreamUnavailableError:
        return False
    return True


DURABLE = _durable_loads()
_DURABLE = pytest.mark.durable


def needs_durable(test):
    """Skip where the extra does not load; mark `durable` so CI can run just these."""
    skip = pytest.mark.skipif(not DURABLE, reason="needs the stream extra (durable-rules)")
    return _DURABLE(skip(test))


ROUTERS = ["table", pytest.param("durable_rules", marks=_DURABLE)] if DURABLE else ["table"]
AS_OF = dt.date(2024, 6, 30)
QUALIFICATION = "liaocheng-2020.professional-qualification"
SHARE = "zhejiang-2019.labour-cost-share"


def worker(record_id: str, *hours: str, jurisdiction: str = "371502", **fields):
    sessions = [{"date": f"2024-01-{i + 1:02d}", "hours": h} for i, h in enumerate(hours)]
    return {
        "kind": "worker",
        "id": record_id,
        "jurisdiction": jurisdiction,
        "training": sessions,
        **fields,
    }


def budget(record_id: str, total: str, labour: str, jurisdiction: str = "330106"):
    return {
        "kind": "budget",
        "id": record_id,
        "jurisdiction": jurisdiction,
        "total_funds": total,
        "labour_cost": labour,
    }


@pytest.fixture
def monitor():
    with Monitor(RULEBOOK, as_of=AS_OF) as opened:
        yield opened


def outcomes(changes: list[Change]) -> list[tuple[str, str | None, str | None]]:
    return [(c.rule_id, c.before, c.after) for c in changes]


# --- exact decisions ---------------------------------------------------------


def test_training_hours_flip_qualification_at_exactly_120(monitor):
    assert outcomes(monitor.upsert(worker("W-1", "119.5"))) == [(QUALIFICATION, None, "fail")]
    changes = monitor.add_training("W-1", date="2024-02-01", hours="0.5")
    assert outcomes(changes) == [(QUALIFICATION, "fail", "pass")]
    assert changes[0].finding.observed["training_hours_5y"] == "120.0"
    # More training keeps it passing: the finding is updated, but no outcome changed.
    assert monitor.add_training("W-1", date="2024-03-01", hours="8") == []
    assert monitor.findings_for("worker", "W-1")[0].observed["training_hours_5y"] == "128.0"


def test_budgets_exactly_at_the_limit_pass(monitor):
    # durable_rules' own float comparison failed 135 of 500 such budgets.
    for i in range(500):
        total = Decimal(1_000_00 + i * 7_919) / 100
        labour = total * param("zhejiang-2019.labour-cost-share", "max_share")
        [change] = monitor.upsert(budget(f"B-{i}", str(total), str(labour)))
        assert change.after == "pass", (total, labour)
        cent_over = str(labour + Decimal("0.01"))
        assert outcomes(monitor.revise_budget(f"B-{i}", labour_cost=cent_over)) == [
            (SHARE, "pass", "fail")
        ]


def test_changes_carry_the_same_finding_as_a_batch_check(monitor):
    record = budget("P-1", "333333.33", "233333.33")
    [change] = monitor.upsert(record)
    [expected] = RULEBOOK.check([sw_policy.parse_record(record)], as_of=AS_OF).findings
    assert change.finding == expected
    assert change.finding.citation == RULEBOOK.citation(SHARE)


def test_change_json_line_is_the_report_finding():
    with Monitor(RULEBOOK, as_of=AS_OF) as m:
        [change] = m.upsert(budget("P-1", "100", "75"))
    line = change.to_json()
    assert "\n" not in line
    data = json.loads(line)
    assert list(data) == [
        "seq",
        "event",
        "event_id",
        "op",
        "kind",
        "record_id",
        "rule_id",
        "from",
        "to",
        "finding",
    ]
    assert (data["seq"], data["event"], data["event_id"], data["op"], data["kind"]) == (
        1,
        1,
        None,
        "upsert",
        "budget",
    )
    assert (data["record_id"], data["rule_id"], data["from"], data["to"]) == (
        "P-1",
        SHARE,
        None,
        "fail",
    )
    assert data["finding"] == change.finding.model_dump(mode="json")
    assert list(data["finding"]) == list(change.finding.model_dump(mode="json"))
    gone = Change("budget", "P-1", SHARE, "fail", None, None)
    assert json.loads(gone.to_json())["finding"] is None


# --- events -------------------------------------------------------------------


def test_an_event_no_rule_reads_is_normal(monitor):
    monitor.upsert(worker("W-1", "8"))
    before = monitor.stats
    assert monitor.upsert(worker("W-1", "8", name="Zhang San")) == []
    assert monitor.upsert(worker("W-1", "8", name="Zhang San")) == []
    after = monitor.stats
    assert after["events"] == before["events"] + 2
    assert after["unrouted"] == before["unrouted"] + 2
    assert monitor.record("worker", "W-1").name == "Zhang San"


def test_only_rules_that_read_a_changed_field_are_judged(monitor):
    monitor.upsert(worker("W-1", "8", jurisdiction="330106", employer_type="public_institution"))
    judged = monitor.stats["rules_judged"]
    monitor.set_post("W-1", level=9, title="社会工作师二级")
    # post_level is read by post-certificate and post-title-level only.
    assert monitor.stats["rules_judged"] - judged == 2


def test_certificate_post_and_budget_events(monitor):
    monitor.upsert(
        worker("W-1", "8", jurisdiction="330106", employer_type="public_institution", post_level=9)
    )
    assert ("zhejiang-2019.post-certificate", "fail", "pass") in outcomes(
        monitor.set_certificate("W-1", "intermediate", registered=True)
    )
    assert ("zhejiang-2019.post-certificate", "pass", "fail") in outcomes(
        monitor.set_post("W-1", level=6)
    )
    monitor.upsert(budget("P-1", "100", "70"))
    assert outcomes(monitor.revise_budget("P-1", total_funds="99.99")) == [(SHARE, "pass", "fail")]


def test_delete_makes_findings_disappear(monitor):
    monitor.upsert(budget("P-1", "100", "75"))
    assert outcomes(monitor.delete("budget", "P-1")) == [(SHARE, "fail", None)]
    assert monitor.findings() == []
    assert monitor.delete("budget", "P-1") == []
    assert len(monitor) == 0


def test_bad_events_are_record_errors_and_change_nothing(monitor):
    with pytest.raises(sw_policy.RecordError, match="upsert it first"):
        monitor.add_training("nobody", date="2024-01-01", hours=8)
    monitor.upsert(budget("P-1", "100", "70"))
    with pytest.raises(sw_policy.RecordError, match="total_funds"):
        monitor.revise_budget("P-1", total_funds="0")
    with pytest.raises(sw_policy.RecordError, match="total_funds"):
        monitor.upsert(budget("P-1", "-5", "70"))
    assert monitor.findings_for("budget", "P-1")[0].outcome == "pass"


def test_moving_a_record_out_of_scope_removes_its_findings(monitor):
    monitor.upsert(budget("P-1", "100", "75"))
    assert outcomes(monitor.upsert(budget("P-1", "100", "75", jurisdiction="110105"))) == [
        (SHARE, "fail", None)
    ]


def test_a_record_judged_at_its_own_as_of(monitor):
    record = worker("W-1", "119.5", as_of="2020-01-01")
    # Before liaocheng-2020 was issued the rule does not apply at all.
    assert monitor.upsert(record) == []
    record["as_of"] = "2024-01-02"
    assert outcomes(monitor.upsert(record)) == [(QUALIFICATION, None, "fail")]


# --- sharp edges ------------------------------------------------------------------


@needs_durable
@isolated()
def test_more_distinct_records_than_durable_rules_has_sessions():
    monitor = Monitor(RULEBOOK, as_of=AS_OF, router="durable_rules")
    for i in range(2_000):
        monitor.upsert(worker(f"W-{i}", "119.5"))
    flips = [monitor.add_training(f"W-{i}", date="2024-02-01", hours="0.5") for i in range(2_000)]
    assert all(outcomes(c) == [(QUALIFICATION, "fail", "pass")] for c in flips)
    assert len(monitor) == 2_000
    assert {f.outcome for f in monitor.findings()} == {"pass"}
    monitor.close()


def test_two_monitors_do_not_see_each_other():
    with Monitor(RULEBOOK, as_of=AS_OF) as one, Monitor(RULEBOOK, as_of=AS_OF) as two:
        one.upsert(budget("P-1", "100", "75"))
        assert outcomes(two.upsert(budget("P-1", "100", "60"))) == [(SHARE, None, "pass")]
        assert one.findings_for("budget", "P-1")[0].outcome == "fail"
        assert two.findings_for("budget", "P-1")[0].outcome == "pass"


def test_closing_frees_the_monitor_and_refuses_events():
    monitor = Monitor(RULEBOOK, as_of=AS_OF)
    monitor.upsert(budget("P-1", "100", "75"))
    monitor.close()
    monitor.close()
    assert monitor.closed
    with pytest.raises(MonitorClosedError):
        monitor.upsert(budget("P-2", "100", "75"))
    assert isinstance(MonitorClosedError("x"), sw_policy.PolicyError)
    # Rulesets are deleted on close, so monitors can be opened again and again.
    for _ in range(100):
        with Monitor(RULEBOOK, as_of=AS_OF) as again:
            again.upsert(budget("P-1", "100", "75"))


def test_one_monitor_shared_by_threads(monitor):
    def feed(offset: int) -> None:
        for i in range(150):
            monitor.upsert(worker(f"W-{offset}-{i}", "119.5"))
            monitor.add_training(f"W-{offset}-{i}", date="2024-02-01", hours="0.5")

    threads = [threading.Thread(target=feed, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(monitor) == 600
    batch = RULEBOOK.check(monitor.records(), as_of=AS_OF)
    assert monitor.outcomes() == {
        (f.kind, f.record_id, f.rule_id): f.outcome for f in batch.findings
    }


# --- equivalence with a batch check -------------------------------------------------

upserts = st.tuples(st.just("upsert"), records)
deletes = st.tuples(
    st.just("delete"),
    st.tuples(st.sampled_from(["worker", "budget", "community", "institution", "region"]), ids),
)
# Events on a record already monitored (picked when the event is applied).
trainings = st.tuples(st.just("training"), st.tuples(day, hours))
revisions = st.tuples(st.just("revise"), st.tuples(money, labour))
fields = st.tuples(st.just("field"), st.integers(0, 1000))
events = st.lists(
    st.one_of(upserts, upserts, deletes, trainings, revisions, fields, fields, fields),
    min_size=4,
    max_size=25,
)
scope_changes = st.one_of(
    st.tuples(st.just("jurisdiction"), PLACES), st.tuples(st.just("as_of"), as_of)
)
# One field of a monitored record changes (the others stay): routing must catch each.
FIELD_CHANGES = {
    "worker": st.one_of(
        scope_changes,
        st.tuples(st.just("post_level"), st.integers(1, 13)),
        st.tuples(st.just("post_title"), st.sampled_from(["社会工作师二级", "助理社会工作师一级"])),
        st.tuples(st.just("employer_type"), st.sampled_from(["other", "charity_org"])),
        st.tuples(st.just("training_hours_5y"), hours),
        st.tuples(st.just("direct_service"), st.booleans()),
        st.tuples(st.just("counted_as_professional"), st.booleans()),
        st.tuples(st.just("in_purchased_project"), st.booleans()),
        st.tuples(st.just("occupational_allowance"), st.booleans()),
        st.tuples(st.just("social_insurance"), st.booleans()),
        st.tuples(st.just("housing_fund"), st.booleans()),
        st.tuples(st.just("certificate_registered"), st.booleans()),
        st.tuples(st.just("education"), st.sampled_from(["none", "bachelor"])),
        st.tuples(st.just("major"), st.sampled_from(["社会工作", "会计学"])),
        st.tuples(st.just("name"), st.just("renamed")),
    ),
    "budget": st.one_of(
        scope_changes,
        st.tuples(st.just("total_funds"), money),
        st.tuples(st.just("labour_cost"), labour),
    ),
    "community": st.one_of(
        scope_changes,
        st.tuples(st.just("setting"), st.sampled_from(["urban", "rural"])),
        st.tuples(st.just("sw_professionals"), st.integers(0, 5)),
        st.tuples(st.just("sw_skilled_workers"), st.integers(0, 5)),
        st.tuples(st.just("demonstration"), st.booleans()),
    ),
    "institution": st.one_of(
        scope_changes,
        st.tuples(st.just("sw_focused"), st.booleans()),
        st.tuples(st.just("sw_posts"), st.integers(0, 5)),
    ),
    "region": st.one_of(
        scope_changes,
        st.tuples(st.just("year"), st.integers(2014, 2026)),
        st.tuples(st.just("certified_workers"), st.integers(0, 200_000)),
    ),
}


EQUIVALENCE = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


class Twin:
    """Monitors on each of `routers`, fed the same events: their answers must agree."""

    def __init__(self, routers: tuple[str, ...]) -> None:
        self.monitors = [Monitor(RULEBOOK, as_of=AS_OF, router=r) for r in routers]

    def __enter__(self) -> Twin:
        return self

    def __exit__(self, *exc: object) -> None:
        for monitor in self.monitors:
            monitor.close()

    def __getattr__(self, name: str):
        def both(*args, **kwargs):
            answers = [getattr(m, name)(*args, **kwargs) for m in self.monitors]
            assert all(a == answers[0] for a in answers), (name, answers)
            return answers[0]

        return both


# The default router alone in this process; beside durable_rules in a process of its own.
TWINS = [("table",)]
if DURABLE:
    TWINS.append(pytest.param(("table", "durable_rules"), marks=_DURABLE, id="table+durable_rules"))


@pytest.mark.parametrize("routers", TWINS, ids="+".join)
@isolated(when=lambda kwargs: "durable_rules" in kwargs["routers"])
@EQUIVALENCE
@given(events=events, data=st.data())
def test_current_findings_equal_a_batch_check_of_the_final_records(routers, events, data):
    """Property: on each router (and both agreeing, change by change), the monitor's
    outcomes, findings and folded change log equal a batch check of the final records."""
    final: dict[tuple[str, str], object] = {}
    seen: dict[tuple[str, str], dict[str, str]] = {}  # outcomes folded from the changes
    with Twin(routers) as monitor:
        for op, payload in events:
            changes: list[Change] = []
            if op == "upsert":
                record = sw_policy.parse_record(clean(payload))
                changes = monitor.upsert(record)
                final[(record.kind, record.id)] = record
            elif op == "delete":
                changes = monitor.delete(*payload)
                final.pop(payload, None)
            elif op == "field":
                if not final:
                    continue
                kind, record_id = list(final)[payload % len(final)]
                name, value = data.draw(FIELD_CHANGES[kind])
                changes = monitor.update(kind, record_id, **{name: value})
            else:
                workers_or_budgets = [
                    k for k in final if k[0] == ("worker", "budget")[op == "revise"]
                ]
                if not workers_or_budgets:
                    continue
                kind, record_id = workers_or_budgets[0]
                if op == "training":
                    when, amount = payload
                    changes = monitor.add_training(record_id, date=when, hours=amount)
                else:
                    total, cost = payload
                    changes = monitor.revise_budget(record_id, total_funds=total, labour_cost=cost)
            for key in final:
                final[key] = monitor.record(*key)
            for change in changes:
                per = seen.setdefault((change.kind, change.record_id), {})
                assert per.get(change.rule_id) == change.before
                assert change.before != change.after
                if change.after is None:
                    per.pop(change.rule_id, None)
                else:
                    per[change.rule_id] = change.after
        batch = RULEBOOK.check(list(final.values()), as_of=AS_OF)
        assert monitor.records() == list(final.values())
        assert monitor.findings() == list(batch.findings)
        expected = {(f.kind, f.record_id, f.rule_id): f.outcome for f in batch.findings}
        assert monitor.outcomes() == expected
        folded = {
            (kind, record_id, rule_id): outcome
            for (kind, record_id), per in seen.items()
            for rule_id, outcome in per.items()
        }
        assert folded == {(f.kind, f.record_id, f.rule_id): f.outcome for f in batch.findings}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=one_field_changed)
def test_a_change_to_any_one_field_is_routed_to_every_rule_it_can_change(pair):
    first, second = (sw_policy.parse_record(clean(r)) for r in pair)
    with Monitor(RULEBOOK, as_of=AS_OF) as monitor:
        monitor.upsert(first)
        monitor.upsert(second)
        batch = RULEBOOK.check([second], as_of=AS_OF)
        expected = {(f.kind, f.record_id, f.rule_id): f.outcome for f in batch.findings}
        assert monitor.outcomes() == expected


ROUTES = routes(RULEBOOK.rules, ("budget", "worker", "community", "institution", "region"))
FLAGS = {kind: sorted(set().union(*(f for _, f in r)) | {"name"}) for kind, r in ROUTES.items()}


@pytest.mark.once  # a stress run: CI runs it once, on 3.11 with the extra
@needs_durable
@isolated()
@settings(max_examples=200, deadline=None)
@given(
    chosen=st.sampled_from(sorted(ROUTES)).flatmap(
        lambda kind: st.tuples(st.just(kind), st.sets(st.sampled_from(FLAGS[kind])))
    )
)
def test_durable_rules_names_exactly_the_rules_that_read_a_touched_field(chosen):
    kind, flags = chosen
    router = Router(ROUTES)
    try:
        expected = {rule_id for rule_id, read in ROUTES[kind] if read & flags}
        assert router.route(kind, frozenset(flags)) == expected
    finally:
        router.close()


@pytest.mark.once  # a stress run: CI runs it once, on 3.11 with the extra
@needs_durable
@isolated()
def test_durable_rules_survives_changes_that_no_rule_reads():
    # Deleting the session state after a "not handled" answer crashed the process
    # (SIGSEGV/SIGABRT in delete_state) within a few hundred such changes.
    for _ in range(400):
        for kind in sorted(ROUTES):
            router = Router(ROUTES)
            try:
                assert router.route(kind, frozenset({"name"})) == set()
            finally:
                router.close()


def _stream_examples() -> list[str]:
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "stream.md").read_text("utf-8")
    return re.findall(r"```python stream\n(.*?)```", text, re.DOTALL)


@pytest.mark.parametrize("code", _stream_examples())
def test_docs_stream_examples_run(code):
    # docs/stream.md fences its examples as `python stream`: they run on any Python.
    exec(compile(code, "<docs/stream.md example>", "exec"), {})


def test_docs_stream_has_examples():
    assert len(_stream_examples()) >= 1


@pytest.mark.parametrize("router", ROUTERS)
@isolated(when=lambda kwargs: kwargs["router"] == "durable_rules")
def test_a_monitor_dropped_without_close_frees_its_rulesets(router):
    import gc

    monitor = Monitor(RULEBOOK, as_of=AS_OF, router=router)
    router = monitor._router
    monitor.upsert(budget("P-1", "100", "75"))
    del monitor
    gc.collect()
    assert router.closed


def test_monitor_applies_layering_like_check(tmp_path):
    """A county rule amending the province's: the monitor reports only the county finding."""
    from test_layering import layered_rules

    book = sw_policy.load_rulebook(layered_rules(tmp_path))
    record = {
        "kind": "budget",
        "id": "P",
        "jurisdiction": "330106",
        "total_funds": "100",
        "labour_cost": "65",
    }
    with Monitor(book, as_of=AS_OF) as monitor:
        changes = monitor.upsert(record)
        assert [(c.rule_id, c.after) for c in changes] == [("xihu-2023.labour-cost-share", "fail")]
        assert changes[0].finding.displaced == (SHARE,)
        # A field change routes the displaced province rule too; it must stay silent.
        changes = monitor.update("budget", "P", labour_cost=Decimal("60"))
        assert [(c.rule_id, c.before, c.after) for c in changes] == [
            ("xihu-2023.labour-cost-share", "fail", "pass")
        ]
        # Moving out of the county brings the province rule back, and the county one goes.
        changes = monitor.update("budget", "P", jurisdiction="330102")
        assert sorted((c.rule_id, c.before, c.after) for c in changes) == [
            ("xihu-2023.labour-cost-share", "pass", None),
            (SHARE, None, "pass"),
        ]
        assert monitor.findings() == list(
            book.check([monitor.record("budget", "P")], as_of=AS_OF).findings
        )


@pytest.mark.once  # a stress run: CI runs it once, on 3.11 with the extra
@needs_durable
@isolated()
def test_monitors_opened_and_closed_in_any_order_reuse_rulesets_safely():
    """delete_ruleset corrupted the C heap under this pattern; pooled rulesets must not."""
    import random

    shuffle = random.Random(7)
    open_monitors: list[Monitor] = []
    for i in range(300):
        monitor = Monitor(RULEBOOK, as_of=AS_OF)
        changes = monitor.upsert(budget(f"P-{i}", "100", "70"))
        assert [(c.rule_id, c.after) for c in changes] == [(SHARE, "pass")]
        open_monitors.append(monitor)
        if len(open_monitors) > 8:
            open_monitors.pop(shuffle.randrange(len(open_monitors))).close()
        router = Router(ROUTES)
        assert SHARE in router.route("budget", frozenset({"labour_cost"}))
        router.close()
    for monitor in open_monitors:
        assert len(monitor) == 1  # each saw only its own record
        monitor.close()
