"""Standard input is read bounded: it may never end (a pipe from /dev/zero, say)."""

from __future__ import annotations

from click.testing import CliRunner

from sw_policy.cli import main


def test_standard_input_beyond_the_file_limit_is_refused_in_one_line() -> None:
    data = "id,jurisdiction,total_funds,labour_cost\n" + "P,330106,100,70\n" * 40_000  # 680 KB
    result = CliRunner().invoke(
        main,
        ["diff", "-", "--kind", "budget", "--as-of", "2024-06-30", "--limit", "file_bytes=500000"],
        input=data,
    )
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert (
        "standard input" in line and "file_bytes=500000" in line and "--limit file_bytes=N" in line
    )


def test_standard_input_within_the_limit_is_read() -> None:
    data = "id,jurisdiction,total_funds,labour_cost\nP,330106,100,70\n"
    result = CliRunner().invoke(
        main, ["diff", "-", "--kind", "budget", "--as-of", "2024-06-30"], input=data
    )
    assert result.exit_code == 0, result.stderr
