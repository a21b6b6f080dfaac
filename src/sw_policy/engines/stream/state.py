"""A monitor's state on disk: records, outcomes and applied events in one SQLite file.

Each event is one transaction: the record row (its state and its outcomes), the
event's id, and the counters (events applied, changes numbered, the as-of date)
commit together or not at all, so a crash at any point leaves the state of
some whole number of events. The file uses WAL journalling; `durability`
sets SQLite's `synchronous`:

- "normal" (default): a commit is safe from a crash of the process (SIGKILL,
  an exception, a deploy); a power failure or kernel crash may lose the last
  commits made before it, never corrupting the file nor splitting an event;
- "full": every commit is also flushed to the disk (fsync) before the event is
  answered, so a power failure loses nothing answered; much slower.

A state file remembers the rulebook it was written with (its digest and rule
ids): outcomes judged by other rules would be wrong, so such a file is refused,
as is any file that is not a sw-policy monitor state.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sw_policy.errors import PolicyError

__all__ = ["DURABILITY", "Saved", "StateFile"]

DURABILITY = {"normal": "NORMAL", "full": "FULL"}
_FORMAT = "sw-policy monitor state"
_VERSION = "1"
_APPLICATION_ID = 0x53575031  # "SWP1": marks the file as ours in its header

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE records (
    n INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    record TEXT NOT NULL,
    outcomes TEXT NOT NULL,
    UNIQUE (kind, id)
);
CREATE TABLE events (id TEXT PRIMARY KEY) WITHOUT ROWID;
"""
_UPSERT = (
    "INSERT INTO records (kind, id, record, outcomes) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (kind, id) DO UPDATE SET record = excluded.record, outcomes = excluded.outcomes"
)
_OUTCOMES = "UPDATE records SET outcomes = ? WHERE kind = ? AND id = ?"
_DELETE = "DELETE FROM records WHERE kind = ? AND id = ?"


@dataclass(frozen=True)
class Saved:
    """What a state file holds, as a monitor resumes from it."""

    as_of: dt.date
    events: int
    seq: int
    last_event_id: str | None
    event_ids: set[str]


class StateFile:
    """One monitor's SQLite state; not thread-safe (the Monitor serialises calls)."""

    # Written since begin(), kept until commit() (see "writing" below).
    _puts: dict[tuple[str, str], tuple[Any, dict[str, str]]]
    _outcomes: dict[tuple[str, str], dict[str, str]]
    _drops: set[tuple[str, str]]
    _ids: list[tuple[str]]
    _meta: list[tuple[str, str]]

    def __init__(self, path: Path | str, fingerprint: str, durability: str = "normal") -> None:
        if durability not in DURABILITY:
            raise PolicyError(f"durability: expected one of {', '.join(DURABILITY)}")
        self.path = Path(path)
        self._fingerprint = fingerprint
        fresh = not self.path.exists() or self.path.stat().st_size == 0
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise PolicyError(f"{self.path}: cannot open the state file ({exc})") from None
        try:
            if not fresh:
                fresh = not self._verify()  # before writing to a file that may not be ours
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute(f"PRAGMA synchronous = {DURABILITY[durability]}")
            if fresh:
                self._create()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise PolicyError(
                f"{self.path}: not a sw-policy monitor state file, or damaged ({exc})"
            ) from None
        except PolicyError:
            self._db.close()
            raise
        self._forget()  # nothing written yet

    def _create(self) -> None:
        db = self._db
        db.execute("BEGIN")
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("format", _FORMAT), ("version", _VERSION), ("rulebook", self._fingerprint)],
        )
        db.execute("COMMIT")

    def _verify(self) -> bool:
        """Check an existing file is our state; False if it is an empty database."""
        db = self._db
        (app,) = db.execute("PRAGMA application_id").fetchone()
        (tables,) = db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if app == 0 and tables == 0:
            return False  # created, then stopped before its schema was committed
        (check,) = db.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise PolicyError(f"{self.path}: the state file is damaged ({check})")
        if app != _APPLICATION_ID:
            raise PolicyError(f"{self.path}: not a sw-policy monitor state file")
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("format") != _FORMAT or meta.get("version") != _VERSION:
            raise PolicyError(
                f"{self.path}: not a sw-policy monitor state file of version {_VERSION}"
            )
        if meta.get("rulebook") != self._fingerprint:
            raise PolicyError(
                f"{self.path}: the state was written with other rules; "
                "open it with the same rules, or start a new state file"
            )
        return True

    @staticmethod
    def saved_as_of(path: Path | str) -> dt.date | None:
        """The as-of date of an existing state file, or None (absent, new, or not ours)."""
        path = Path(path)
        if not path.is_file() or path.stat().st_size == 0:
            return None
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                row = db.execute("SELECT value FROM meta WHERE key = 'as_of'").fetchone()
            finally:
                db.close()
        except sqlite3.Error:
            return None  # opening it properly says what is wrong
        return None if row is None else dt.date.fromisoformat(row[0])

    def load(self) -> Saved | None:
        """The counters and event ids saved, or None for a state never written to."""
        meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        if "as_of" not in meta:
            return None
        ids = {row[0] for row in self._db.execute("SELECT id FROM events")}
        return Saved(
            as_of=dt.date.fromisoformat(meta["as_of"]),
            events=int(meta["events"]),
            seq=int(meta["seq"]),
            last_event_id=meta.get("last_event_id") or None,
            event_ids=ids,
        )

    def records(self) -> Iterator[tuple[str, str, str, dict[str, str]]]:
        """Every saved record, in the order first seen: kind, id, JSON, outcomes."""
        rows = self._db.execute("SELECT kind, id, record, outcomes FROM records ORDER BY n")
        for kind, record_id, text, outcomes in rows:
            yield kind, record_id, text, json.loads(outcomes)

    # --- writing: between begin() and commit(), whole events only --------------
    # Writes are kept in memory until commit() and then written in one transaction
    # (deletions, then records in the order first put, then outcomes, event ids and
    # counters): the file holds exactly what the same calls made one by one inside
    # that transaction would leave, with one statement per table instead of per event.

    def begin(self) -> None:
        """Open a transaction unless one is open (it reaches the file at commit())."""
        self._open = True

    def put(self, kind: str, record_id: str, record: Any, outcomes: dict[str, str]) -> None:
        """A record's new state (JSON text, or a model: serialised at commit) and outcomes."""
        key = (kind, record_id)
        self._outcomes.pop(key, None)  # superseded by these outcomes
        self._puts[key] = (record, outcomes)  # keeps its first place

    def put_outcomes(self, kind: str, record_id: str, outcomes: dict[str, str]) -> None:
        """A record's new outcomes (its state unchanged)."""
        key = (kind, record_id)
        if key in self._puts:
            self._puts[key] = (self._puts[key][0], outcomes)
        else:
            self._outcomes[key] = outcomes

    def drop(self, kind: str, record_id: str) -> None:
        """A record deleted."""
        key = (kind, record_id)
        self._puts.pop(key, None)  # put again later, it comes after the others, as a new row
        self._outcomes.pop(key, None)
        self._drops.add(key)

    def applied(self, event_id: str | None, events: int, seq: int, as_of: dt.date) -> None:
        """An event applied: its id (if any) and the counters after it."""
        if event_id is not None:
            self._ids.append((event_id,))
        self._meta = [
            ("events", str(events)),
            ("seq", str(seq)),
            ("as_of", as_of.isoformat()),
            ("last_event_id", event_id or ""),
        ]

    def commit(self) -> None:
        """Make every event since begin() durable (as `durability` says)."""
        if not self._open:
            return
        db = self._db
        db.execute("BEGIN")
        try:
            db.executemany(_DELETE, self._drops)
            db.executemany(_UPSERT, _rows(self._puts))
            db.executemany(
                _OUTCOMES, [(_dump(o), kind, rid) for (kind, rid), o in self._outcomes.items()]
            )
            db.executemany("INSERT INTO events VALUES (?)", self._ids)
            db.executemany(
                "INSERT INTO meta VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                self._meta,
            )
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        self._forget()

    def rollback(self) -> None:
        """Forget the events since begin() (an event failed half-way)."""
        self._forget()

    def _forget(self) -> None:
        self._open = False
        self._puts = {}
        self._outcomes = {}
        self._drops = set()
        self._ids = []
        self._meta = []

    def close(self) -> None:
        """Commit what is pending and close the file; idempotent."""
        try:
            self.commit()
        finally:
            self._db.close()


def _rows(puts: dict[tuple[str, str], tuple[Any, dict[str, str]]]) -> Iterator[tuple[str, ...]]:
    for (kind, record_id), (record, outcomes) in puts.items():
        text = record if isinstance(record, str) else record.model_dump_json()
        yield kind, record_id, text, _dump(outcomes)


# json.dumps(outcomes, separators=(",", ":")) makes this encoder on every call.
_ENCODE = json.JSONEncoder(separators=(",", ":")).encode


def _dump(outcomes: dict[str, str]) -> str:
    return _ENCODE(outcomes)
