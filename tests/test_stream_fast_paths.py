"""The monitor's fast paths against the plain code they replace: same answers, same bytes.

- read_record(): a record read with its valid training sessions reused;
- merged(): a record's changed fields validated without dumping and re-reading the rest,
  each alone where no model validator reads it beside others;
- Rulebook.verdicts(): outcomes decided, each finding explained only when asked for;
- watch lines: repeated keys noted while parsing instead of a walk over every line, by
  decoders made once per thread (json.loads makes one per call);
- Change.to_json(): a template instead of json.dumps of a dict; to_line(): its bytes;
- StateFile: writes kept until commit() and then written per table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sw_policy
from stream_strategies import _BY_KIND, clean, records
from sw_policy.engines.stream import watch
from sw_policy.engines.stream.change import Change
from sw_policy.engines.stream.merge import (
    _fields_alone,
    merged,
    merged_slowly,
    merged_wholly,
    read_record,
)
from sw_policy.engines.stream.state import StateFile
from sw_policy.errors import RecordError
from sw_policy.inputs import json_text
from sw_policy.limits import current_limits, using_limits
from sw_policy.stream import Monitor

RULEBOOK = sw_policy.load_rulebook()
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Office spellings and bad values, beside the strategies' contract values.
ODD = st.sampled_from(["本科", "是", "否", "中级", "城市社区", "bogus", "-1", "", " 8 ", "1e999"])


def _outcome(call):
    try:
        record = call()
    except RecordError as exc:
        return ("error", tuple(exc.errors), exc.record_id)
    return ("record", record, record.model_dump_json())


@FAST
@given(st.data())
def test_merging_fields_gives_what_reading_the_whole_record_again_gives(data):
    first = sw_policy.parse_record(clean(data.draw(records)))
    other = data.draw(_BY_KIND[first.kind])
    names = data.draw(st.lists(st.sampled_from(sorted(set(other) - {"kind"})), max_size=3))
    fields = {name: other[name] for name in names}
    if data.draw(st.booleans()):
        fields[data.draw(st.sampled_from(sorted(other)))] = data.draw(ODD)
    assert _outcome(lambda: merged(first, fields)) == _outcome(lambda: merged_slowly(first, fields))


SESSION_PARTS = st.sampled_from(["2024-01-01", " 2023-02-28 ", "2023-02-30", "8", "0.5", "-1", "x"])
sessions = st.lists(
    st.one_of(
        st.fixed_dictionaries({"date": SESSION_PARTS, "hours": SESSION_PARTS}),
        st.fixed_dictionaries({"date": SESSION_PARTS}),
        st.fixed_dictionaries({"date": SESSION_PARTS, "hours": st.integers(-1, 9)}),
        st.fixed_dictionaries({"date": SESSION_PARTS, "hours": SESSION_PARTS, "x": ODD}),
        ODD,
    ),
    max_size=4,
)


@FAST
@given(st.data())
def test_reading_a_record_with_sessions_reused_gives_what_parse_record_gives(data):
    record = clean(data.draw(records))
    if data.draw(st.booleans()):
        record["training"] = data.draw(sessions)
    if data.draw(st.booleans()):
        record["培训"] = data.draw(sessions)  # a Chinese key for a field, perhaps twice
    for _ in range(2):  # the second time, the sessions come from the cache
        assert _outcome(lambda: read_record(record)) == _outcome(
            lambda: sw_policy.parse_record(record)
        )


def _outcome_and_set(call):
    """_outcome, and which fields the record marks as set (model_copy must mark the same)."""
    answer = _outcome(call)
    if answer[0] == "record":
        return (*answer, frozenset(answer[1].model_fields_set))
    return answer


@FAST
@given(st.data())
def test_fields_validated_alone_give_the_whole_record_validation(data):
    first = sw_policy.parse_record(clean(data.draw(records)))
    other = data.draw(_BY_KIND[first.kind])
    names = data.draw(st.lists(st.sampled_from(sorted(set(other) - {"kind"})), max_size=3))
    fields = {name: other[name] for name in names}
    if data.draw(st.booleans()):
        fields[data.draw(st.sampled_from(sorted(other)))] = data.draw(ODD)
    if first.kind == "worker" and data.draw(st.booleans()):  # add_training's shape
        fields["training"] = [*(first.training or ()), *data.draw(sessions)]
    fast = _outcome_and_set(lambda: merged(first, fields))
    assert fast == _outcome_and_set(lambda: merged_wholly(first, fields))
    assert fast[:3] == _outcome(lambda: merged_slowly(first, fields))


def test_a_training_update_is_validated_alone_and_a_post_title_wholly():
    first = sw_policy.parse_record({"kind": "worker", "id": "W", "jurisdiction": "371502"})
    sessions = [{"date": "2024-01-01", "hours": " 8 "}]
    alone = _fields_alone(first, {"training": sessions})
    assert alone is not None and alone == merged_wholly(first, {"training": sessions})
    assert alone.training is not None and str(alone.training[0].hours) == "8"
    assert _fields_alone(first, {"post_title": "社会工作师二级"}) is None  # the series follows it
    assert _fields_alone(first, {"training": [{"date": "x"}]}) is None  # the error is worded whole
    region = sw_policy.parse_record(
        {"kind": "region", "id": "R", "jurisdiction": "371502", "year": 2023}
    )
    assert _fields_alone(region, {"sw_posts": 3}) is None  # flat columns are folded first


def test_merging_a_chinese_key_reads_it_as_one_dict_would():
    # The record already has an education, so 学历 names it twice: refused, as before.
    first = sw_policy.parse_record({"kind": "worker", "id": "W", "jurisdiction": "371502"})
    answer = _outcome(lambda: merged(first, {"学历": "本科"}))
    assert answer == _outcome(lambda: merged_slowly(first, {"学历": "本科"}))
    assert answer[0] == "error"
    assert merged(first, {"major": "社会工作"}).major == "社会工作"


def test_adding_training_keeps_the_sessions_and_adds_one():
    monitor = Monitor(RULEBOOK, as_of=dt.date(2024, 6, 30))
    with monitor:
        monitor.upsert({"kind": "worker", "id": "W", "jurisdiction": "371502"})
        monitor.add_training("W", date="2024-01-01", hours="119.5")
        [change] = monitor.add_training("W", date="2024-01-02", hours="0.5")
        assert (change.before, change.after) == ("fail", "pass")
        record = monitor.record("worker", "W")
    expected = sw_policy.parse_record(
        {
            "kind": "worker",
            "id": "W",
            "jurisdiction": "371502",
            "training": [
                {"date": "2024-01-01", "hours": "119.5"},
                {"date": "2024-01-02", "hours": "0.5"},
            ],
        }
    )
    assert record == expected


@FAST
@given(
    st.data(),
    st.dates(min_value=dt.date(2012, 1, 1), max_value=dt.date(2026, 12, 31)),
)
def test_verdicts_decide_what_evaluate_finds_and_explain_it_byte_for_byte(data, as_of):
    record = sw_policy.parse_record(clean(data.draw(records)))
    ids = [rule.id for rule in RULEBOOK.rules if rule.kind == record.kind]
    subset = data.draw(st.one_of(st.none(), st.sets(st.sampled_from(ids))))
    verdicts = RULEBOOK.verdicts(record, as_of=as_of, rule_ids=subset)
    findings = RULEBOOK.evaluate(record, as_of=as_of, rule_ids=subset)
    assert [(v.rule_id, v.outcome) for v in verdicts] == [(f.rule_id, f.outcome) for f in findings]
    for verdict, finding in zip(verdicts, findings, strict=True):
        assert verdict.finding().model_dump_json() == finding.model_dump_json()
        assert verdict.finding() == finding


_KEYS = st.sampled_from(["kind", "id", "a", "训练", "x\\u00e9"])
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**50),
    st.sampled_from(["1.5", "0.1"]).map(Decimal),
    st.text(max_size=6),
    st.sampled_from(["\ud800", "x" * 40]),
)


def _json_text(value):
    """JSON text of `value`; a list of pairs stands for an object (keys may repeat)."""
    if isinstance(value, tuple):
        return "{" + ",".join(f"{_json_text(k)}:{_json_text(v)}" for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_json_text(v) for v in value) + "]"
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=data_ascii[0])


data_ascii = [False]
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(st.tuples(_KEYS, inner), max_size=4).map(tuple),
    ),
    max_leaves=8,
)


def _parse_reference(raw: bytes):
    """watch's _parse as first written: every line walked for repeats and long strings."""
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise watch._BadLineError(f"not UTF-8 text (byte {exc.start})") from None
    parsed = json_text.loads(text)
    flaws = json_text.duplicate_keys(parsed) + json_text.long_strings(parsed)
    if flaws:
        raise watch._BadLineError("; ".join(flaws))
    return parsed


def _parsed(call):
    try:
        value = call()
    except watch._BadLineError as exc:
        return ("bad", str(exc))
    return ("ok", value, repr(value))


@FAST
@given(_VALUES, st.booleans())
def test_repeats_noted_while_parsing_are_the_repeats_a_walk_finds(value, ascii_only):
    data_ascii[0] = ascii_only
    text = _json_text(value)
    data, repeats = json_text.loads_noting_repeats(text)
    assert repr(data) == repr(json_text.loads(text)) and data == json_text.loads(text)
    assert repeats == bool(json_text.duplicate_keys(data))
    with using_limits(dataclasses.replace(current_limits(), cell_chars=30)):
        raw = text.encode("utf-8", "surrogatepass")
        assert _parsed(lambda: watch._parse(raw)) == _parsed(lambda: _parse_reference(raw))


def _json_loads_outcome(call):
    try:
        value = call()
    except (ValueError, RecursionError) as exc:
        return ("error", type(exc), str(exc))
    return ("ok", repr(value))


@FAST
@given(_VALUES, st.sampled_from(["", "\ufeff", " ", "]", "x", "{"]), st.booleans())
def test_a_decoder_made_once_parses_as_json_loads_with_the_options(value, affix, before):
    text = affix + _json_text(value) if before else _json_text(value) + affix
    reference = _json_loads_outcome(
        lambda: json.loads(
            text,
            parse_float=Decimal,
            parse_int=json_text._int,
            object_pairs_hook=json_text._pairs,
        )
    )
    assert _json_loads_outcome(lambda: json_text.loads(text)) == reference
    noted = _json_loads_outcome(lambda: json_text.loads_noting_repeats(text)[0])
    assert noted == reference


def _reference_json(change: Change) -> str:
    """Change.to_json as first written: json.dumps of the fields, then the finding."""
    head = json.dumps(
        {
            "seq": change.seq,
            "event": change.event,
            "event_id": change.event_id,
            "op": change.op,
            "kind": change.kind,
            "record_id": change.record_id,
            "rule_id": change.rule_id,
            "from": change.before,
            "to": change.after,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    body = "null" if change.finding is None else change.finding.model_dump_json()
    return f'{head[:-1]},"finding":{body}}}'


_FINDING = RULEBOOK.evaluate(
    sw_policy.parse_record(
        {"kind": "budget", "id": 'B "1"\n', "jurisdiction": "330106", "total_funds": "100"}
    ),
    as_of="2024-06-30",
)[0]
outcomes = st.sampled_from([None, "pass", "fail", "pending", "insufficient_data"])


@FAST
@given(
    text=st.text(),
    maybe=st.one_of(st.none(), st.text()),
    before=outcomes,
    after=outcomes,
    numbers=st.tuples(st.integers(0, 10**12), st.integers(0, 10**12)),
    finding=st.sampled_from([None, _FINDING]),
    op=st.sampled_from(["upsert", "delete", "advance"]),
)
def test_a_change_line_is_the_bytes_json_dumps_writes(
    text, maybe, before, after, numbers, finding, op
):
    change = Change("worker", text, "r.x", before, after, finding, *numbers, maybe, op)
    assert change.to_json() == _reference_json(change)
    assert change.to_line() == (_reference_json(change) + "\n").encode("utf-8")
    json.loads(change.to_json())  # and it is JSON (surrogates aside, which text never holds)


@FAST
@given(st.data(), st.dates(min_value=dt.date(2012, 1, 1), max_value=dt.date(2026, 12, 31)))
def test_the_line_watch_writes_is_the_change_as_json_text_encoded(data, as_of):
    record = sw_policy.parse_record(clean(data.draw(records)))
    for finding in RULEBOOK.evaluate(record, as_of=as_of, include_not_applicable=True):
        change = Change(record.kind, record.id, finding.rule_id, None, finding.outcome, finding)
        assert change.to_line() == (_reference_json(change) + "\n").encode("utf-8")
    for verdict in RULEBOOK.verdicts(record, as_of=as_of):
        change = Change(record.kind, record.id, verdict.rule_id, "fail", None, verdict.finding())
        assert change.to_line() == (_reference_json(change) + "\n").encode("utf-8")


# --- state writes: kept until commit(), against each call written at once ------------

_KEYS = st.sampled_from(["A", "B", "C", "D"])
_OPS = st.lists(
    st.one_of(
        st.tuples(st.just("put"), _KEYS, st.sampled_from(["r1", "r2", "r3"]), outcomes),
        st.tuples(st.just("outcomes"), _KEYS, outcomes),
        st.tuples(st.just("drop"), _KEYS),
        st.tuples(st.just("applied"), st.one_of(st.none(), st.text(min_size=1, max_size=3))),
        st.tuples(st.just("commit")),
    ),
    max_size=40,
)


class _Immediate:
    """The writes as StateFile made them before: one statement per call, in order."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.open = False

    def begin(self) -> None:
        if not self.open:
            self.db.execute("BEGIN")
            self.open = True

    def run(self, op: tuple, events: int, seq: int) -> None:
        db = self.db
        self.begin()
        if op[0] == "put":
            db.execute(
                "INSERT INTO records (kind, id, record, outcomes) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (kind, id) DO UPDATE SET record = excluded.record, "
                "outcomes = excluded.outcomes",
                ("worker", op[1], op[2], _dump(op[3])),
            )
        elif op[0] == "outcomes":
            db.execute(
                "UPDATE records SET outcomes = ? WHERE kind = ? AND id = ?",
                (_dump(op[2]), "worker", op[1]),
            )
        elif op[0] == "drop":
            db.execute("DELETE FROM records WHERE kind = ? AND id = ?", ("worker", op[1]))
        elif op[0] == "applied":
            if op[1] is not None:
                db.execute("INSERT INTO events VALUES (?)", (op[1],))
            db.executemany(
                "INSERT INTO meta VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [
                    ("events", str(events)),
                    ("seq", str(seq)),
                    ("as_of", "2024-06-30"),
                    ("last_event_id", op[1] or ""),
                ],
            )

    def commit(self) -> None:
        if self.open:
            self.db.execute("COMMIT")
            self.open = False


def _dump(outcome: str | None) -> str:
    return json.dumps({} if outcome is None else {"r": outcome}, separators=(",", ":"))


def _contents(path) -> tuple:
    db = sqlite3.connect(path)
    try:
        return (
            # The order of the rows is what n is for (first seen); its values may differ,
            # as SQLite reuses the numbers of rows deleted before a batch is written.
            db.execute("SELECT kind, id, record, outcomes FROM records ORDER BY n").fetchall(),
            db.execute("SELECT id FROM events ORDER BY id").fetchall(),
            db.execute("SELECT key, value FROM meta ORDER BY key").fetchall(),
        )
    finally:
        db.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=_OPS)
def test_state_writes_kept_until_commit_leave_the_file_each_write_would(tmp_path_factory, ops):
    tmp = tmp_path_factory.mktemp("state")
    batched = StateFile(tmp / "batched.db", "fp")
    StateFile(tmp / "immediate.db", "fp").close()
    immediate = _Immediate(sqlite3.connect(tmp / "immediate.db", isolation_level=None))
    present: set[str] = set()
    ids: set[str] = set()
    events = seq = 0
    try:
        for op in ops:
            # Only what a monitor does: outcomes of a monitored record, ids never repeated.
            if op[0] in ("outcomes", "drop") and op[1] not in present:
                continue
            if op[0] == "applied" and op[1] in ids:
                continue
            if op[0] == "commit":
                batched.commit()
                immediate.commit()
                assert _contents(tmp / "batched.db") == _contents(tmp / "immediate.db")
                continue
            events, seq = events + 1, seq + 2
            immediate.run(op, events, seq)
            batched.begin()
            if op[0] == "put":
                present.add(op[1])
                batched.put("worker", op[1], op[2], json.loads(_dump(op[3])))
            elif op[0] == "outcomes":
                batched.put_outcomes("worker", op[1], json.loads(_dump(op[2])))
            elif op[0] == "drop":
                present.discard(op[1])
                batched.drop("worker", op[1])
            else:
                if op[1] is not None:
                    ids.add(op[1])
                batched.applied(op[1], events, seq, dt.date(2024, 6, 30))
        batched.commit()
        immediate.commit()
        assert _contents(tmp / "batched.db") == _contents(tmp / "immediate.db")
    finally:
        batched.close()
        immediate.db.close()
