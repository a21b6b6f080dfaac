"""Text encodings of exported files: UTF-8 (BOM or not), else GB18030 (a superset of GBK).

Office software in China often saves CSV as GBK. Detection is deliberately
simple and strict: a UTF-8 BOM or valid UTF-8 wins (GBK text is almost never
valid UTF-8), then GB18030; anything else is an error, never a guess.
"""

from __future__ import annotations

import codecs

__all__ = ["DETECTED_ORDER", "decode_text", "normalise_encoding_name"]

DETECTED_ORDER = ("utf-8", "gb18030")


def normalise_encoding_name(name: str) -> str:
    """The codec's canonical name (`GBK` -> `gbk`); ValueError for an unknown one."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise ValueError(f"unknown encoding {name!r}; try utf-8, gbk or gb18030") from None


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
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise ValueError(
            f"not UTF-8 text (byte {first_bad}), nor GB18030/GBK; "
            "save it as UTF-8 or pass --encoding"
        ) from None
