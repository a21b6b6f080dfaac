"""A row counter on standard error for long inputs, shown only on a terminal.

Redirected or piped runs (CI, scripts) stay silent, so logs and reports are
unchanged. Updates are throttled so counting costs nothing measurable.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["RowProgress"]


class RowProgress:
    """Callable progress sink: `progress(n)` adds n rows; `close()` ends the line."""

    def __init__(
        self,
        label: str,
        stream: TextIO | None = None,
        *,
        interval: float = 0.2,
        force: bool = False,
    ):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = force or self.stream.isatty()
        self.label = label
        self.interval = interval
        self.rows = 0
        self._shown = False
        self._next = time.monotonic() + interval

    def __call__(self, rows: int) -> None:
        self.rows += rows
        if self.enabled and time.monotonic() >= self._next:
            self._show()

    def _show(self) -> None:
        self.stream.write(f"\r{self.label}: {self.rows:,} rows")
        self.stream.flush()
        self._shown = True
        self._next = time.monotonic() + self.interval

    def close(self) -> None:
        """Show the final count and end the line (only if anything was shown)."""
        if self.enabled and self._shown:
            self._show()
            self.stream.write("\n")
            self.stream.flush()
