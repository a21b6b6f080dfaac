"""`sw-policy watch`: monitor records piped in as JSON lines, print findings that change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import click

from ._common import EXIT_OK, as_of_option, fail, policy_errors, rules_options


@click.command()
@rules_options
@as_of_option
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Keep records, outcomes and applied events in this SQLite file; resume from it.",
)
@click.option(
    "--durability",
    type=click.Choice(["normal", "full"]),
    default="normal",
    show_default=True,
    help="With --state: normal survives a crash of the process; full also a power failure.",
)
@click.option(
    "--router",
    type=click.Choice(["table", "durable_rules"]),
    default="table",
    show_default=True,
    help="How events find their rules: a table from the rules, or durable_rules ([stream]).",
)
@click.option("--clock", is_flag=True, help="Advance to today by itself, at each midnight.")
@policy_errors
def watch(
    rules_dir: Path | None,
    exclude_drafts: bool,
    as_of: dt.datetime | None,
    state_path: Path | None,
    durability: str,
    router: str,
    clock: bool,
) -> None:
    """Read records as JSON lines on standard input; print each finding whose outcome changes.

    Each input line is a record as in `check` JSON input, with its kind (an
    upsert: the record's new full state), {"op": "delete", "kind": K, "id": I}
    or {"op": "advance", "as_of": "YYYY-MM-DD"} (time passes). Any line may
    carry "event_id": a line whose id was already applied prints
    {"event_id": E, "duplicate": true} and changes nothing.
    Each output line is {"seq", "event", "event_id", "op", "kind", "record_id",
    "rule_id", "from", "to", "finding"}, flushed whenever no input is waiting
    (piped files are written in blocks); from/to are outcomes
    or null, op "delete" means the record was deleted. A bad line is reported
    on standard error with its line number and the stream goes on.
    With --state, a restart resumes where the state file left off, at its
    as-of date; a later --as-of (or --clock) advances it. See docs/stream.md.

    \b
    Example:
      tail -f events.jsonl | sw-policy watch --state monitor.db --clock
    """
    import sys

    from sw_policy.engines.stream.monitor import Monitor
    from sw_policy.engines.stream.state import StateFile
    from sw_policy.engines.stream.watch import Output, read_lines, tick, watch_lines

    from ._common import load

    if clock and as_of is not None:
        fail("give --clock or --as-of, not both")
    rulebook = load(rules_dir, exclude_drafts)
    day = as_of.date() if as_of else None
    today = dt.date.today

    def report_error(message: str) -> None:
        from sw_policy.reports.safe_text import escape_controls

        click.echo(f"sw-policy: {escape_controls(message)}", err=True)

    out = Output(sys.stdout.buffer)
    first = day or (today() if clock else None)
    saved = StateFile.saved_as_of(state_path) if state_path is not None else None
    with Monitor(
        rulebook,
        as_of=first if saved is None else None,
        router=router,
        state=state_path,
        durability=durability,
        group_commit=True,
    ) as monitor:
        if saved is not None and day is not None:
            tick(monitor, out, lambda: day)  # a resumed state moves on to a later --as-of
        if clock:
            tick(monitor, out, today)

        def on_idle() -> None:
            if clock:
                tick(monitor, out, today)
            out.flush()  # no input waiting: what was applied is shown, then committed
            monitor.commit()

        def wake() -> float | None:
            if not clock:
                return None
            now = dt.datetime.now()
            midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time())
            return max((midnight - now).total_seconds(), 0.0) + 0.5

        try:
            lines: Iterable[bytes] = read_lines(sys.stdin.fileno(), on_idle, wake)
        except (OSError, ValueError):  # not a file descriptor (tests, embedding): plain lines
            lines = sys.stdin.buffer
        watch_lines(monitor, lines, out, report_error, clock=today if clock else None)
    sys.exit(EXIT_OK)
