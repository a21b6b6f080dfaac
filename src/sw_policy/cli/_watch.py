"""`sw-policy watch`: monitor records piped in as JSON lines, print findings that change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ._common import EXIT_OK, as_of_option, policy_errors, rules_options


@click.command()
@rules_options
@as_of_option
@policy_errors
def watch(rules_dir: Path | None, exclude_drafts: bool, as_of: dt.datetime | None) -> None:
    """Read records as JSON lines on standard input; print each finding whose outcome changes.

    Each input line is a record as in `check` JSON input, with its kind (an
    upsert: the record's new full state), or {"op": "delete", "kind": K, "id": I}.
    Each output line is {"record_id", "rule_id", "from", "to", "finding"}, flushed
    at once; from/to are outcomes or null. A bad line is reported on standard
    error with its line number and the stream goes on. Time does not advance by
    itself: records are judged at their own as_of or at --as-of.
    Needs the stream extra: pip install 'sw-policy[stream]'.

    \b
    Example:
      tail -f events.jsonl | sw-policy watch --as-of 2024-06-30
    """
    import sys

    from sw_policy.engines.stream.monitor import Monitor
    from sw_policy.engines.stream.watch import watch_lines

    from ._common import load

    rulebook = load(rules_dir, exclude_drafts)

    def report_error(message: str) -> None:
        from sw_policy.reports.safe_text import escape_controls

        click.echo(f"sw-policy: {escape_controls(message)}", err=True)

    with Monitor(rulebook, as_of=as_of.date() if as_of else None) as monitor:
        watch_lines(
            monitor,
            sys.stdin.buffer,
            sys.stdout.buffer,
            report_error,
        )
    sys.exit(EXIT_OK)
