"""Text encodings of exported files: UTF-8 (BOM or not), else GB18030 (a superset of GBK).

Office software in China often saves CSV as GBK. Detection is deliberately
simple and strict: a UTF-8 BOM or valid UTF-8 wins (GBK text is almost never
valid UTF-8), then GB18030; anything else is an error, never a guess.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["DETECTED_ORDER", "decode_text", "normalise_encoding_name"]

DETECTED_ORDER = ("utf-8", "gb18030")


def normalise_encoding_name(name: str) -> str:
    """The codec's canonical name (`GBK` -> `gbk`); ValueError for an unknown one."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ValueError(f"unknown encoding {name!r}; try utf-8, gbk or gb18030") from None
    if not getattr(info, "_is_text_encoding", True):  # rot13, base64, zlib: not text encodings
        raise ValueError(f"{name!r} is not a text encoding; try utf-8, gbk or gb18030")
    return info.name


def decode_text(raw: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode `raw`; returns (text, encoding used). Raises ValueError with a reason.

    With `encoding` given, only that encoding is tried (a UTF-8 BOM is still dropped).
    """
    if encoding is not None:
        name = normalise_encoding_name(encoding)
        if name == "utf-8":
            name = "utf-8-sig"
        try:
            return raw.decode(name), normalise_encoding_name(encoding)
        except UnicodeDecodeError as exc:
            raise ValueError(f"not {encoding} text (byte {exc.start})") from None
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise ValueError(
                f"starts with a UTF-8 BOM but is not UTF-8 (byte {exc.start + 3})"
            ) from None
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    _refuse_mixed(raw, first_bad)
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise ValueError(
            f"not UTF-8 text (byte {first_bad}), nor GB18030/GBK; "
            "save it as UTF-8 or pass --encoding"
        ) from None


_WIDE = re.compile(r"[^\x00-\u07ff\ufffd]")  # 3- and 4-byte UTF-8: CJK and beyond
_BAD_RUN = re.compile(r"\ufffd+")


def _refuse_mixed(raw: bytes, first_bad: int) -> None:
    """Refuse a file that is UTF-8 but for some bytes (one cell pasted from a GBK file).

    Read as GB18030 it would decode without error into mojibake, so it is refused
    with where the odd bytes start. Pure GBK text read as UTF-8 gives about five
    undecodable runs per accidental CJK character (measured on the five sources);
    a UTF-8 file with a GBK cell, many CJK characters per run.
    """
    text = raw.decode("utf-8", errors="replace")
    bad = len(_BAD_RUN.findall(text))
    good = len(_WIDE.findall(text))
    if good < 2 * bad:
        return
    line = raw.count(b"\n", 0, first_bad) + 1
    snippet = raw[first_bad : first_bad + 12].decode("gb18030", errors="replace").split("\n")[0]
    raise ValueError(
        f"mixed encodings: UTF-8 text, but byte {first_bad} (line {line}) starts bytes that "
        f"are not UTF-8 ({snippet[:6]!r} if read as GBK); re-save the file as UTF-8, or "
        "pass --encoding gb18030 if the whole file is GBK"
    )
