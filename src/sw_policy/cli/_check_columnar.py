"""`sw-policy check` on the columnar engine: same report, same exit status, written in columns."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from ._common import OUTCOME_COLOURS
from ._safety import writing_atomically

if TYPE_CHECKING:
    from sw_policy.checking.rulebook import Rulebook
    from sw_policy.findings import InputSummary, RunOptions

    from ._outputs import Target

__all__ = ["check_columnar_cli"]


def check_columnar_cli(
    rulebook: Rulebook,
    files: tuple[Path, ...],
    *,
    as_of: dt.date | None,
    options: RunOptions,
    targets: list[Target],
    unit: str,
    view: str,
) -> None:
    """Check on the columnar engine: JSON is written in columns, other formats as usual."""
    from sw_policy.checking.columnar import check_files_columnar

    from ._outputs import write_target

    if len(targets) == 1 and targets[0].fmt == "json":  # judged and written in slices; exits
        _json_in_batches(rulebook, files, as_of=as_of, options=options, output=targets[0].path)
    report = check_files_columnar(
        rulebook,
        files,
        as_of=as_of,
        kind=options.kind,
        include_not_applicable=options.include_not_applicable,
        only_failures=options.only_failures,
        encoding=options.encoding,
        options=options,
    )
    first = targets[0]
    colour = first.fmt == "table" and first.path is None and sys.stdout.isatty()

    def style(text: str, outcome: str) -> str:
        return click.style(text, fg=OUTCOME_COLOURS[outcome]) if colour else text

    whole = report.to_report()
    for target in targets:
        write_target(whole, target, unit=unit, view=view, style=style)
    from sw_policy.reports.verdict import is_incomplete

    from ._status import exit_status

    incomplete = is_incomplete(report.shell())
    sys.exit(exit_status(mandatory_failure=report.has_mandatory_failure, incomplete=incomplete))


def _json_in_batches(
    rulebook: Rulebook,
    files: tuple[Path, ...],
    *,
    as_of: dt.date | None,
    options: RunOptions,
    output: Path | None,
) -> NoReturn:
    """The JSON report judged and written slice by slice (checking/columnar_batches.py).

    To a file, through a temporary file renamed at the end (removed if the columnar engine
    gives up, so `auto` can judge on the row engine). To standard output, where nothing
    written can be taken back, records with training sessions (whose totals the engine
    may refuse part way) are judged in one slice, before a byte is written.
    """
    from sw_policy.checking.columnar_batches import BATCH_ROWS, write_json_in_batches
    from sw_policy.checking.defaults_taken import kinds_by_path_of_frames, with_defaults_taken
    from sw_policy.checking.division_codes import codes_by_path_of_frames, with_code_warnings
    from sw_policy.inputs.csv_direct import read_files_columnar
    from sw_policy.inputs.given_fields import noting_given

    from ._status import exit_status

    if output is not None:
        _plain_csv_in_chunks(rulebook, files, as_of=as_of, options=options, output=output)
    with rulebook.reading_vocabulary(), noting_given() as given:
        read = read_files_columnar(
            list(files),
            kind=options.kind,
            encoding=options.encoding,
            strict_columns=options.strict_columns,
            jurisdiction=options.jurisdiction,
        )
    frames = read.frames
    sessions = any(f.sessions is not None for f in frames.frames.values())
    write = functools.partial(
        write_json_in_batches,
        rulebook=rulebook,
        frames=frames,
        as_of=as_of or dt.date.today(),
        inputs=with_defaults_taken(
            with_code_warnings(read.inputs, codes_by_path_of_frames(frames)),
            given,
            kinds_by_path_of_frames(frames),
            rulebook,
        ),
        rejected=tuple(read.rejected),
        skipped=tuple(read.skipped),
        options=options,
        include_not_applicable=options.include_not_applicable,
        only_failures=options.only_failures,
    )
    if output is None:
        sys.stdout.flush()
        rows = max(frames.count, 1) if sessions else BATCH_ROWS
        outcome = write(sys.stdout.buffer, rows=rows)
        sys.stdout.buffer.flush()
    else:
        with writing_atomically(output) as out:
            outcome = write(out)
    sys.exit(
        exit_status(mandatory_failure=outcome.has_mandatory_failure, incomplete=outcome.incomplete)
    )


def _plain_csv_in_chunks(
    rulebook: Rulebook,
    files: tuple[Path, ...],
    *,
    as_of: dt.date | None,
    options: RunOptions,
    output: Path,
) -> None:
    """One plain CSV to a report file, read, judged and written a chunk of lines at a time
    (inputs/csv_chunks.py): memory bounded by the chunk, not the file. Returns (having
    written nothing) when the file is not for chunks; exits with the status otherwise.

    The scan of the whole file (scan_plain_rows) runs in a worker thread while the first
    chunks are read and judged; its answer is awaited before the report's head is
    written, and decides as it did when it ran first: a file it declines goes to the
    whole reader whatever the chunks did meanwhile, else their errors stand.
    """
    from sw_policy.checking.columnar_batches import write_json_from_parts
    from sw_policy.checking.defaults_taken import with_defaults_taken
    from sw_policy.checking.division_codes import with_code_warnings
    from sw_policy.checking.overlap import Background
    from sw_policy.inputs.csv_chunks import NotPlainError, plain_chunks, plain_head, scan_plain_rows
    from sw_policy.inputs.given_fields import ANY_KIND

    from ._status import exit_status

    intake = (options.encoding, options.jurisdiction, options.strict_columns)
    if len(files) != 1 or intake != (None, None, False):
        return
    with rulebook.reading_vocabulary():
        head = plain_head(files[0], kind=options.kind)
        if head is None:
            return
        scan = Background(functools.partial(scan_plain_rows, head))

    def inputs() -> tuple[InputSummary, ...]:
        plain = scan.result()
        if plain is None:
            raise NotPlainError(plain_name)
        return with_defaults_taken(
            with_code_warnings((plain.summary,), {plain.summary.path: plain.codes}),
            {plain.summary.path: {ANY_KIND: set(plain.columns)}},  # its header
            {plain.summary.path: {plain.kind}},
            rulebook,
        )

    plain_name = head.given
    try:
        with writing_atomically(output) as out, rulebook.reading_vocabulary():
            outcome = write_json_from_parts(
                out,
                rulebook,
                plain_chunks(head),
                as_of=as_of or dt.date.today(),
                inputs=inputs,
                options=options,
                include_not_applicable=options.include_not_applicable,
                only_failures=options.only_failures,
            )
    except NotPlainError:
        scan.result()  # its error, if it has one, comes first (as when it ran first)
        return  # a row to reject or an id read twice: read the file whole (nothing written)
    except Exception:
        if scan.result() is None:
            return  # declined by the scan: as if it had run first (nothing written)
        raise
    sys.exit(
        exit_status(mandatory_failure=outcome.has_mandatory_failure, incomplete=outcome.incomplete)
    )
