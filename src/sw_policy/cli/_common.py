"""Shared pieces of the `sw-policy` commands: exit codes, error mapping, rule options.

Each command loads the rulebook, calls one library function and maps errors to
exit codes: 0 no mandatory provision failed, 1 at least one did, 2 the run
could not be done (usage, unreadable rules or input). Errors are one line on
standard error, never a traceback. Heavy modules are imported inside commands
so `sw-policy --help` starts fast.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from sw_policy.checking.rulebook import Rulebook
    from sw_policy.rulebook.location import RulesChoice

EXIT_OK, EXIT_FAILURES, EXIT_ERROR = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])

OUTCOME_COLOURS = {
    "pass": "green",
    "fail": "red",
    "pending": "yellow",
    "insufficient_data": "magenta",
    "not_applicable": "bright_black",
}


def fail(message: str) -> None:
    from sw_policy.reports.safe_text import escape_controls

    click.echo(f"sw-policy: error: {escape_controls(message)}", err=True)
    sys.exit(EXIT_ERROR)


def policy_errors(func: F) -> F:
    """Turn library errors (and anything unexpected) into one line and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sw_policy.errors import PolicyError

        if sys.stdout is None and kwargs.get("output") is None:  # started with >&-
            fail("standard output is closed: nowhere to write; give --output FILE")
        try:
            return func(*args, **kwargs)
        except PolicyError as exc:
            fail(str(exc))
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            fail(f"{where}{exc.strerror or exc}")
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            fail(f"internal error ({type(exc).__name__}: {exc}); please report it")
        return None  # pragma: no cover

    return wrapper  # type: ignore[return-value]


def rules_options(func: F) -> F:
    func = click.option(
        "--exclude-drafts",
        is_flag=True,
        help="Leave out rules from draft (征求意见稿) sources.",
    )(func)
    return click.option(
        "--rules",
        "rules_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Rules directory to use instead of the bundled rulebook.",
    )(func)


def set_option(func: F) -> F:
    """`--set RULE_ID.PARAM=VALUE` (repeatable): judge with changed parameters, files untouched."""
    return click.option(
        "--set",
        "sets",
        multiple=True,
        metavar="RULE_ID.PARAM=VALUE",
        help="Override a rule parameter for this run (repeatable), "
        "e.g. zhejiang-2019.labour-cost-share.max_share=0.75.",
    )(func)


def with_sets(rulebook: Rulebook, sets: tuple[str, ...]) -> Rulebook:
    """The rulebook with `--set` overrides applied (unchanged when there are none)."""
    if not sets:
        return rulebook
    from sw_policy.rulebook.overrides import parse_overrides

    return rulebook.with_parameters(parse_overrides(sets))


def load(rules_dir: Path | None, exclude_drafts: bool) -> Rulebook:
    """The rulebook a command uses, named on standard error first (see `choose`)."""
    return load_chosen(rules_dir, exclude_drafts)[0]


def load_chosen(rules_dir: Path | None, exclude_drafts: bool) -> tuple[Rulebook, RulesChoice]:
    from sw_policy.checking.rulebook import load_rulebook

    choice = choose(rules_dir)
    return load_rulebook(choice.path, exclude_drafts=exclude_drafts), choice


def choose(rules_dir: Path | None, label: str = "rulebook", flag: str = "--rules") -> RulesChoice:
    """Pick the rules directory (--rules, $SW_POLICY_RULES, workspace, bundled) and say so.

    The first line a command prints (on standard error, so reports stay
    clean) names the rulebook; inside a checkout whose rules/ differs from
    the bundled copy a second line says how to use it instead.
    """
    from sw_policy.rulebook.location import choose_rules_dir

    choice = choose_rules_dir(rules_dir, flag=flag)
    announce(label, choice)
    return choice


def announce(label: str, choice: RulesChoice, *, notice: bool = True) -> None:
    """`sw-policy: rulebook …` on standard error, and the notice about an unused ./rules.

    Always at a terminal, and whenever the choice could surprise (a rulebook
    picked by $SW_POLICY_RULES or a workspace, or a ./rules left unused); a
    script naming its rules on the command line gets clean standard error.
    """
    from sw_policy.rulebook.location import ENV_VAR, unused_local_rules

    local = unused_local_rules(choice) if notice else None
    implicit = not choice.bundled and not choice.explicit
    if stderr_is_terminal() or implicit or local is not None:
        click.echo(f"sw-policy: {label} {choice.describe()}", err=True)
    if local is not None:
        click.echo(
            f"sw-policy: note: ./{local.name} differs from the bundled rulebook and is NOT used; "
            f"to use it: --rules {local.name}, or {ENV_VAR}={local.name}, "
            "or a workspace (sw-policy init)",
            err=True,
        )


def stderr_is_terminal() -> bool:
    """Whether a person is probably reading standard error (tests patch this)."""
    return sys.stderr.isatty()


def emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        from ._safety import write_atomically

        write_atomically(output, text.encode("utf-8"))


as_of_option = click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date to judge at (YYYY-MM-DD) when a record has no as_of. Default: today.",
)
"""`--as-of`, as check, diff and watch all take it."""

kind_option = click.option(
    "--kind",
    type=click.Choice(["budget", "worker", "community", "institution", "region"]),
    default=None,
    help="Kind of every record, for files without a kind field or column.",
)
"""`--kind`, for record files that do not say which kind they hold."""


STDIN = Path("-")
"""`-` where a file is expected: read it from standard input."""


@contextlib.contextmanager
def stdin_as_file(paths: tuple[Path, ...], suffix: str | None = None) -> Iterator[tuple[Path, ...]]:
    """The paths with `-` replaced by a temporary copy of standard input (read once).

    The copy's suffix says its format: given, or sniffed from the bytes
    (JSON array, JSON Lines, Parquet, XLSX, else CSV), so every reader that
    takes a file takes standard input the same way.
    """
    if STDIN not in paths:
        yield paths
        return
    from sw_policy.limits import beyond, current_limits

    limit = current_limits().file_bytes
    data = sys.stdin.buffer.read(limit + 1)  # bounded: standard input may never end
    if len(data) > limit:
        raise beyond("standard input", f"more than {limit} bytes", "file_bytes")
    import tempfile  # only standard input needs a folder

    with tempfile.TemporaryDirectory(prefix="sw-policy-stdin-") as folder:
        target = Path(folder) / f"stdin{suffix or _sniff(data)}"
        target.write_bytes(data)
        yield tuple(target if p == STDIN else p for p in paths)


def _sniff(data: bytes) -> str:
    if data.startswith(b"PAR1"):
        return ".parquet"
    if data.startswith(b"PK"):
        return ".xlsx"
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"["):
        return ".json"
    if text.startswith(b"{"):
        lines = [line for line in text.splitlines() if line.strip()]
        return ".jsonl" if len(lines) > 1 else ".json"
    return ".csv"
