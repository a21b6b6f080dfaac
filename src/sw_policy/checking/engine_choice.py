"""Which engine judges a check: the one decision the CLI and library callers share.

`--engine row` and `--engine columnar` are obeyed. `auto` takes the columnar
engine when the inputs are past the measured crossover for their type and the
rulebook has no amends/supersedes layering (which only the row engine
compiles); otherwise the row engine. Both give the same findings and
byte-identical reports, so the choice is about speed only. The crossovers were
measured in CPU time with benchmarks/crossover.py (docs/performance.md, "The
auto crossover"):

- records in hand: a frame from COLUMNAR_FROM_ROWS rows, a list of dicts from
  DICTS_COLUMNAR_FROM_ROWS (its values are typed into columns first);
- CSV (and other tabular files): from COLUMNAR_FROM_ROWS rows when Polars is
  loaded already (a library caller that has used it), from
  COLUMNAR_FROM_ROWS_COLD when the run would import it first (a fresh
  `sw-policy check`: importing Polars costs more CPU than judging a thousand rows);
- JSON files (an array of records, or JSON Lines): from JSON_COLUMNAR_FROM_ROWS
  rows, since reading JSON into columns costs about what the row engine saves.

Several inputs add up as fractions of their own crossover.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

__all__ = [
    "COLUMNAR_FROM_ROWS",
    "COLUMNAR_FROM_ROWS_COLD",
    "DICTS_COLUMNAR_FROM_ROWS",
    "JSON_COLUMNAR_FROM_ROWS",
    "EngineName",
    "choose_engine",
    "estimated_rows",
]

EngineName = Literal["row", "columnar"]

COLUMNAR_FROM_ROWS = 1_000
"""`auto` uses the columnar engine from this many rows of a frame, or of CSV when Polars is
loaded. Measured with benchmarks/crossover.py (CPU time): the row engine used less at 300
rows; from 1 000 rows the columnar engine used less for budgets (1.5-2.1x) and about as much
for workers (0.9-1.1x), and from 3 000 rows less for both (2.1-2.8x)."""

COLUMNAR_FROM_ROWS_COLD = 10_000
"""...and of CSV when Polars is not loaded yet (a fresh `sw-policy check`). The columnar
run then also imports Polars (about 0.3 s CPU) and, for the CLI, writes the report: it used
less CPU from about 3 000 budget rows but only from about 20 000 worker rows. 10 000 is
between the two: at most about 10% more CPU than the better engine on either side."""

JSON_COLUMNAR_FROM_ROWS = 7_000
"""...and of JSON files (records counted by their `{`). Since JSON records go straight to
columns (inputs/json_direct.py) the columnar engine used less CPU from 7 000 records
(budgets and workers, fresh process and library) and 1.6-3.7x less at 20 000-50 000; at
3 000 the row engine used less from a fresh process (1.3x for workers)."""

DICTS_COLUMNAR_FROM_ROWS = 3_000
"""...and of a list of dicts given to `Rulebook.check`: the row engine used 2-3x less CPU
at 1 000 dicts, the columnar engine 1.2-1.3x less at 3 000 and 1.5x less at 20 000."""

_BYTES_PER_ROW = 60  # a row of a workbook or Parquet file, whose rows are not lines
_LINE_FILES = frozenset({".csv", ".jsonl", ".ndjson"})
_JSON_FILES = frozenset({".json", ".jsonl", ".ndjson"})
_CHUNK = 1 << 20


def estimated_rows(paths: Iterable[Path | str], *, enough: int = COLUMNAR_FROM_ROWS) -> int:
    """Rows in the inputs: lines of CSV/JSON Lines files, objects (`{`) of a JSON file,
    size / 60 bytes for other formats.

    Counting stops once `enough` rows are seen, so a huge file costs one chunk, not a read.
    Only regular files are read (a device such as /dev/zero never ends); a file that cannot
    be read counts 0 (the reader then reports it).
    """
    total = 0
    for given in paths:
        path = Path(given)
        suffix = path.suffix.lower()
        try:
            if (suffix in _LINE_FILES or suffix == ".json") and path.is_file():
                mark = b"\n" if suffix in _LINE_FILES else b"{"
                with path.open("rb") as stream:
                    while total < enough and (chunk := stream.read(_CHUNK)):
                        total += chunk.count(mark)
            else:
                total += path.stat().st_size // _BYTES_PER_ROW
        except OSError:
            continue
        if total >= enough:
            break
    return total


def _crossover(path: Path, polars_loaded: bool) -> int:
    """Rows of this file from which the columnar engine pays."""
    if path.suffix.lower() in _JSON_FILES:
        return JSON_COLUMNAR_FROM_ROWS
    return COLUMNAR_FROM_ROWS if polars_loaded else COLUMNAR_FROM_ROWS_COLD


def choose_engine(
    engine: str,
    inputs: Iterable[Path | str] | int,
    *,
    layered: bool,
    polars_loaded: bool | None = None,
    dicts: bool = False,
) -> EngineName:
    """ "row" or "columnar" for `engine` ("auto", "row" or "columnar") on these inputs.

    `inputs` are the files to read, or the number of records already in hand (a
    frame's rows, or with `dicts` a list of dicts).
    `polars_loaded`: whether Polars is imported already (default: look).
    """
    if engine == "row":
        return "row"
    if engine == "columnar":
        return "columnar"
    if engine != "auto":
        raise ValueError(f"engine must be auto, row or columnar, not {engine!r}")
    if layered:
        return "row"
    if isinstance(inputs, int):
        crossover = DICTS_COLUMNAR_FROM_ROWS if dicts else COLUMNAR_FROM_ROWS
        return "columnar" if inputs >= crossover else "row"
    warm = "polars" in sys.modules if polars_loaded is None else polars_loaded
    share = 0.0
    for given in inputs:
        path = Path(given)
        crossover = _crossover(path, warm)
        share += estimated_rows([path], enough=crossover) / crossover
        if share >= 1:
            return "columnar"
    return "row"
