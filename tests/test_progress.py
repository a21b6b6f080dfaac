"""The progress counter: shown on a terminal, silent otherwise, never in the report."""

from __future__ import annotations

import io

from click.testing import CliRunner

from conftest import FIXTURES
from sw_policy.cli import main
from sw_policy.inputs.progress import RowProgress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_silent_when_not_a_terminal():
    stream = io.StringIO()
    progress = RowProgress("reading", stream, interval=0)
    for _ in range(10):
        progress(1)
    progress.close()
    assert progress.rows == 10 and stream.getvalue() == ""


def test_counts_rows_on_a_terminal():
    stream = _Terminal()
    progress = RowProgress("reading", stream, interval=0)
    for _ in range(1500):
        progress(1)
    progress.close()
    text = stream.getvalue()
    assert text.startswith("\rreading: 1 rows") and text.endswith("\rreading: 1,500 rows\n")


def test_nothing_shown_when_nothing_was_counted():
    stream = _Terminal()
    RowProgress("reading", stream, interval=0).close()
    assert stream.getvalue() == ""


def test_cli_output_has_no_progress_when_piped():
    result = CliRunner().invoke(
        main, ["check", str(FIXTURES / "budgets.csv"), "--as-of", "2024-06-30", "--format", "json"]
    )
    assert "reading:" not in result.output
