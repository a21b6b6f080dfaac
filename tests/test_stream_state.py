"""State that survives: a monitor's SQLite state file, resumed, deduplicated, refused."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from click.testing import CliRunner

import sw_policy
from sw_policy.cli import main
from sw_policy.stream import Monitor

RULEBOOK = sw_policy.load_rulebook()
AS_OF = dt.date(2024, 6, 30)
QUALIFICATION = "liaocheng-2020.professional-qualification"
SHARE = "zhejiang-2019.labour-cost-share"


def worker(record_id: str, *hours: str) -> dict:
    sessions = [{"date": f"2024-01-{i + 1:02d}", "hours": h} for i, h in enumerate(hours)]
    return {"kind": "worker", "id": record_id, "jurisdiction": "371502", "training": sessions}


def budget(record_id: str, labour: str) -> dict:
    return {
        "kind": "budget",
        "id": record_id,
        "jurisdiction": "330106",
        "total_funds": "100",
        "labour_cost": labour,
    }


def test_a_restart_resumes_records_outcomes_numbering_and_date(tmp_path):
    path = tmp_path / "monitor.db"
    with Monitor(RULEBOOK, as_of=AS_OF, state=path) as monitor:
        monitor.upsert(worker("W-1", "119.5"), event_id="e1")
        monitor.upsert(budget("B-1", "71"), event_id="e2")
        monitor.upsert(worker("W-2", "8"), event_id="e3")
        monitor.delete("worker", "W-2", event_id="e4")
        monitor.advance("2024-07-01", event_id="e5")
        records, outcomes = monitor.records(), monitor.outcomes()
    with Monitor(RULEBOOK, state=path) as again:
        assert again.records() == records
        assert again.outcomes() == outcomes
        assert again.as_of == dt.date(2024, 7, 1)
        assert again.last_event_id == "e5"
        assert again.stats["events"] == 5
        [change] = again.add_training("W-1", date="2024-02-01", hours="0.5", event_id="e6")
        assert (change.seq, change.event, change.event_id) == (5, 6, "e6")
        assert (change.before, change.after) == ("fail", "pass")


def test_a_resent_event_is_acknowledged_not_applied_twice(tmp_path):
    path = tmp_path / "monitor.db"
    with Monitor(RULEBOOK, as_of=AS_OF, state=path) as monitor:
        assert monitor.upsert(budget("B-1", "71"), event_id="e1")
        assert monitor.upsert(budget("B-1", "60"), event_id="e1") == []  # same id: skipped
        assert monitor.applied("e1") and not monitor.applied("e2")
        assert monitor.stats["duplicates"] == 1
    with Monitor(RULEBOOK, state=path) as again:
        assert again.upsert(budget("B-1", "60"), event_id="e1") == []
        assert again.outcomes() == {("budget", "B-1", SHARE): "fail"}
        assert again.upsert(budget("B-1", "60"), event_id="e2")[0].after == "pass"


def test_the_state_is_sqlite_in_wal_with_the_synchronous_setting_asked(tmp_path):
    for durability, level in (("normal", 1), ("full", 2)):
        path = tmp_path / f"{durability}.db"
        with Monitor(RULEBOOK, as_of=AS_OF, state=path, durability=durability) as monitor:
            db = monitor._state._db  # the connection the monitor writes with
            assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            assert db.execute("PRAGMA synchronous").fetchone() == (level,)


def test_an_event_is_committed_with_its_changes_before_it_is_answered(tmp_path):
    path = tmp_path / "monitor.db"
    with Monitor(RULEBOOK, as_of=AS_OF, state=path) as monitor:
        monitor.upsert(budget("B-1", "71"), event_id="e1")
        # Another connection sees the event, its record and its outcomes at once.
        other = sqlite3.connect(path)
        rows = other.execute("SELECT id, outcomes FROM records").fetchall()
        assert rows == [("B-1", json.dumps({SHARE: "fail"}, separators=(",", ":")))]
        assert other.execute("SELECT id FROM events").fetchall() == [("e1",)]
        other.close()


def test_opening_at_another_date_is_refused_in_one_line(tmp_path):
    path = tmp_path / "monitor.db"
    Monitor(RULEBOOK, as_of=AS_OF, state=path).close()
    with pytest.raises(sw_policy.PolicyError, match="at as-of 2024-06-30") as caught:
        Monitor(RULEBOOK, as_of=dt.date(2025, 1, 1), state=path)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"kind,id\nworker,W-1\n" * 100, "not a sw-policy monitor state file"),
        (b"SQLite format 3\x00" + b"\xff" * 4000, "not a sw-policy monitor state file"),
    ],
)
def test_a_foreign_file_is_refused_in_one_line(tmp_path, content, says):
    path = tmp_path / "other.db"
    path.write_bytes(content)
    with pytest.raises(sw_policy.PolicyError, match=says) as caught:
        Monitor(RULEBOOK, state=path)
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == content  # left as it was


def test_a_foreign_sqlite_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "app.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE users (name TEXT)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(sw_policy.PolicyError, match="not a sw-policy monitor state file"):
        Monitor(RULEBOOK, state=path)
    assert path.read_bytes() == before


def test_a_damaged_state_file_is_refused(tmp_path):
    path = tmp_path / "monitor.db"
    with Monitor(RULEBOOK, as_of=AS_OF, state=path) as monitor:
        for i in range(300):
            monitor.upsert(worker(f"W-{i}", "119.5"), event_id=f"e{i}")
    data = bytearray(path.read_bytes())
    page = 4096
    data[2 * page : 4 * page] = b"\x5a" * (2 * page)  # scribble over two pages
    path.write_bytes(bytes(data))
    with pytest.raises(sw_policy.PolicyError, match="damaged") as caught:
        Monitor(RULEBOOK, state=path)
    assert "\n" not in str(caught.value)


def test_a_state_written_with_other_rules_is_refused(tmp_path):
    path = tmp_path / "monitor.db"
    Monitor(RULEBOOK, as_of=AS_OF, state=path).close()
    other = sw_policy.load_rulebook(exclude_drafts=True)
    with pytest.raises(sw_policy.PolicyError, match="other rules"):
        Monitor(other, state=path)


def watch(state, lines, *args):
    result = CliRunner().invoke(main, ["watch", "--state", str(state), *args], input="".join(lines))
    return result.exit_code, [json.loads(x) for x in result.stdout.splitlines()], result.stderr


def line(data: dict, event_id: str) -> str:
    return json.dumps({**data, "event_id": event_id}) + "\n"


def test_watch_resumes_and_acknowledges_resent_lines(tmp_path):
    state = tmp_path / "monitor.db"
    first = [line(worker("W-1", "119.5"), "a"), line(budget("B-1", "71"), "b")]
    code, out, err = watch(state, first, "--as-of", "2024-06-30")
    assert (code, err) == (0, "")
    assert [(o["seq"], o["event_id"], o["kind"], o["to"]) for o in out] == [
        (1, "a", "worker", "fail"),
        (2, "b", "budget", "fail"),
    ]
    # Restart: re-send everything, then one more event.
    more = [*first, line(worker("W-1", "119.5", "0.5"), "c")]
    code, out, err = watch(state, more, "--as-of", "2024-06-30")
    assert (code, err) == (0, "")
    assert out[:2] == [{"event_id": "a", "duplicate": True}, {"event_id": "b", "duplicate": True}]
    assert [(o["seq"], o["event"], o["from"], o["to"]) for o in out[2:]] == [(3, 3, "fail", "pass")]


def test_watch_advance_line_and_a_later_as_of_on_restart(tmp_path):
    state = tmp_path / "monitor.db"
    staff = {
        "kind": "worker",
        "id": "Z-1",
        "jurisdiction": "330106",
        "employer_type": "charity_org",
        "training": [{"date": "2021-05-01", "hours": "100"}],
    }
    advance = json.dumps({"op": "advance", "as_of": "2022-12-31", "event_id": 7}) + "\n"
    code, out, _ = watch(state, [line(staff, "s"), advance], "--as-of", "2022-06-30")
    assert code == 0
    assert [(o["op"], o["event_id"], o["from"], o["to"]) for o in out if o["from"]] == [
        ("advance", "7", "pending", "fail")
    ]
    # A restart with an earlier --as-of keeps the state's date; a later one advances it.
    code, out, _ = watch(state, [], "--as-of", "2022-06-30")
    assert (code, out) == (0, [])
    with Monitor(RULEBOOK, state=state) as monitor:
        assert monitor.as_of == dt.date(2022, 12, 31)


def test_watch_clock_advances_to_today(tmp_path):
    state = tmp_path / "monitor.db"
    worker_line = line(worker("W-1", "200"), "w")  # sessions in January 2024
    code, _, _ = watch(state, [worker_line], "--as-of", "2024-06-30")
    assert code == 0
    code, out, err = watch(state, [], "--clock")
    assert (code, err) == (0, "")
    with Monitor(RULEBOOK, state=state) as monitor:
        assert monitor.as_of == dt.date.today()
        batch = RULEBOOK.check(monitor.records(), as_of=monitor.as_of)
        assert monitor.outcomes() == {
            (f.kind, f.record_id, f.rule_id): f.outcome for f in batch.findings
        }
    if dt.date.today() >= dt.date(2029, 1, 1):  # January 2024 has left the five years
        assert [(o["op"], o["to"]) for o in out] == [("advance", "fail")]


def test_watch_refuses_a_foreign_state_file_in_one_line_exit_2(tmp_path):
    state = tmp_path / "notes.txt"
    state.write_text("not a database\n" * 50, encoding="utf-8")
    code, out, err = watch(state, [line(worker("W-1", "8"), "a")])
    assert (code, out) == (2, [])
    assert err.count("\n") == 1 and "not a sw-policy monitor state file" in err
