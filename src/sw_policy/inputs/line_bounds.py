"""Line length bounded while a text file is read, before it is decoded or split.

A 200 MB CSV with no line break was refused only after being read and decoded
whole (1.4 GiB peak); checked as the bytes arrive, it is refused after a few
megabytes. Lines are measured in bytes, split at `\\r` or `\\n` (so a measured
line is never longer than the line a reader sees), and a line is refused here
only when it is longer than `line_chars` characters in any encoding read: more
than BYTES_PER_CHAR bytes for each allowed character. Lines nearer the limit
are measured exactly, in characters, after decoding (as before).

`LineGuard` works on any stream of chunks, so a reader that reads in chunks
can feed it; `read_text_bytes` reads a whole file with it. A JSON array
document is not made of lines (a minified export is one long line), so a file
whose first character is `[` is not measured when `arrays_exempt` is set.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from sw_policy.limits import beyond, current_limits, read_bounded

__all__ = ["BYTES_PER_CHAR", "LineGuard", "bytes_per_char", "read_text_bytes"]

BYTES_PER_CHAR = 4
"""The most bytes one character takes in UTF-8, GB18030/GBK, UTF-16 and UTF-32."""
_ODD_CODEC_BYTES = 8  # escape-switching codecs (HZ, ISO-2022, UTF-7) spend more per character
_COMPACT = {"utf-8", "utf-8-sig", "gb18030", "gbk", "gb2312", "big5", "ascii", "latin-1"}
_BREAK = re.compile(rb"[\r\n]")


def bytes_per_char(encoding: str | None) -> int:
    """The most bytes a character can take in `encoding` (None: the detected ones)."""
    if encoding is None:
        return BYTES_PER_CHAR
    name = encoding.lower().replace("_", "-")
    return BYTES_PER_CHAR if name in _COMPACT or name.startswith("utf-") else _ODD_CODEC_BYTES


class LineGuard:
    """Fed a file's bytes chunk by chunk, raises LimitError at the first line that is
    certainly beyond line_chars, naming the file and the line (counted by `\\n`)."""

    def __init__(
        self, path: object, encoding: str | None = None, *, arrays_exempt: bool = False
    ) -> None:
        self.path = path
        self.undecided = arrays_exempt  # whether the first character is still to be seen
        self.off = False
        self.chars = current_limits().line_chars
        self.most = self.chars * bytes_per_char(encoding)  # bytes a line may have
        self.run = 0  # bytes of the line still open at the end of the last chunk
        self.newlines = 0  # `\n` seen before the current chunk

    def _refuse(self, line: int) -> None:
        raise beyond(
            self.path, f"line {line} is more than {self.chars} characters long", "line_chars"
        )

    def feed(self, chunk: bytes) -> None:
        """Measure the lines in `chunk`, which continues the bytes fed before."""
        if self.undecided:
            opening = chunk.removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n")
            if opening:
                self.undecided = False
                self.off = opening.startswith(b"[")
        if self.off:
            return
        first = _BREAK.search(chunk)
        if first is None:
            self.run += len(chunk)
            if self.run > self.most:
                self._refuse(self.newlines + 1)
            return
        if self.run + first.start() > self.most:
            self._refuse(self.newlines + 1)
        if len(chunk) > self.most:  # whole lines inside the chunk may be too long as well
            start = first.end()
            for found in _BREAK.finditer(chunk, start):
                if found.start() - start > self.most:
                    self._refuse(self.newlines + chunk.count(b"\n", 0, start) + 1)
                start = found.end()
        last = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
        self.run = len(chunk) - last - 1
        self.newlines += chunk.count(b"\n")
        if self.run > self.most:
            self._refuse(self.newlines + 1)


def read_text_bytes(
    path: Path, encoding: str | None = None, *, arrays_exempt: bool = False
) -> bytes:
    """A CSV or JSON Lines file's bytes, bounded like any input (read_bounded), and
    refused as soon as a line is certainly beyond line_chars: reading stops there."""
    guard = LineGuard(path, encoding, arrays_exempt=arrays_exempt)
    return read_bounded(path, scan=guard.feed)
