"""The hostile corpus: each family of crafted input, generated small, with what must happen.

A case is a file name, a function making its bytes, and the expectation: either
the run is refused with one line containing `error` (exit 2), or it completes
with every listed (row, text) among the rejections. Bombs are kept small by
lowering the limit they break (`limits`), so the suite stays fast.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

HEADER = "kind,id,jurisdiction,total_funds,labour_cost"


@dataclass(frozen=True)
class Case:
    """One hostile input and the behaviour it must get."""

    name: str
    filename: str
    make: Callable[[], bytes]
    error: str | None = None
    rejected: tuple[tuple[int, str], ...] = ()
    records: int | None = None
    limits: tuple[str, ...] = field(default=())


def _csv(*rows: str) -> bytes:
    return ("\n".join((HEADER, *rows)) + "\n").encode()


def _budget(i: int, funds: str = "100", labour: str = "90", **extra: object) -> dict[str, object]:
    return {
        "kind": "budget",
        "id": f"P-{i}",
        "jurisdiction": "330106",
        "total_funds": funds,
        "labour_cost": labour,
        **extra,
    }


def _jsonl(*records: dict[str, object]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def _stray_quote() -> bytes:
    rows = [f"budget,P-{i},330106,100,{90 if i % 2 else 10}" for i in range(1, 30)]
    rows[4] = 'budget,"P-5,330106,100,90'
    return _csv(*rows)


def _cjk_line() -> bytes:
    """4000 characters, 12 000 bytes: within line_chars=4096, though not in bytes."""
    return (HEADER + ",name\nbudget,P-1,330106,100,90," + "社" * 4000 + "\n").encode()


def _mixed_encoding() -> bytes:
    head = (HEADER + ",name\nbudget,P-1,330106,100,50,社区服务项目\n").encode()
    return head + b"budget,P-2,330106,100,90," + "张三".encode("gbk") + b"\n"


def _deep_json() -> bytes:
    return b"[" * 100_000 + b"]" * 100_000


def _xlsx(sheet_xml: Callable[[bytes], bytes] = lambda x: x, extra: bytes = b"") -> bytes:
    """A small real workbook, its first sheet's XML passed through `sheet_xml`."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["budget", "P-1", "330106", 100, 90])
    sheet.append(["budget", "P-2", "330106", 100, 10])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml(data)
            dst.writestr(info.filename, data)
        if extra:
            dst.writestr("xl/padding.bin", extra)
    return out.getvalue()


def _declared_dimension(xml: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml)


_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>"
)


def _billion_laughs(xml: bytes) -> bytes:
    body = xml.split(b"?>", 1)[-1]
    return _LAUGHS + body.replace(b"<v>100</v>", b"<v>&lol9;</v>", 1)


def _xxe(xml: bytes) -> bytes:
    body = xml.split(b"?>", 1)[-1]
    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return doctype + body.replace(b"<v>100</v>", b"<v>&xxe;</v>", 1)


CASES: tuple[Case, ...] = (
    Case(
        "jsonl-line-separator-inside-string",
        "sep.jsonl",
        lambda: _jsonl(_budget(1, name="a\u2028b\u0085c\u2029d"), _budget(2, labour="10")),
        records=2,
    ),
    Case(
        "json-duplicate-key",
        "dup.json",
        lambda: (
            b'[{"kind":"budget","id":"P-1","jurisdiction":"330106",'
            b'"total_funds":"100","labour_cost":"90","labour_cost":"10"}]'
        ),
        rejected=((1, "labour_cost: given more than once"),),
    ),
    Case(
        "csv-stray-quote",
        "quote.csv",
        _stray_quote,
        rejected=((6, "not closed until line"),),
        records=29,
    ),
    Case(
        "csv-mixed-encoding",
        "mixed.csv",
        _mixed_encoding,
        error="mixed encodings: UTF-8 text, but byte 119 (line 3)",
    ),
    Case(
        "full-width-digit-in-code",
        "fw.csv",
        lambda: _csv("budget,P-1,3３0106,100,90", "budget,P-2,330106,100,10"),
        rejected=((2, "jurisdiction: '3３0106' is not a 6-digit"),),
    ),
    Case(
        "arabic-indic-digits-in-amount",
        "ai.json",
        lambda: _jsonl(_budget(1, funds="\u0661\u0660\u0660")),
        rejected=((1, "not a number written in digits 0-9"),),
    ),
    Case(
        "timestamp-as-of",
        "ts.json",
        lambda: (
            b'[{"kind":"budget","id":"P-1","jurisdiction":"330106","total_funds":"100",'
            b'"labour_cost":"90","as_of":0},'
            b'{"kind":"budget","id":"P-2","jurisdiction":"330106","total_funds":"100",'
            b'"labour_cost":"90","as_of":"86400"}]'
        ),
        rejected=((1, "as_of: 0 is not an ISO date"), (2, "as_of: '86400' is not an ISO date")),
    ),
    Case(
        "amount-float-noise",
        "noise.csv",
        lambda: _csv("budget,P-1,330106,1,0.30000000000000004", "budget,P-2,330106,100,90"),
        rejected=((2, "more than 9 decimal places"),),
    ),
    Case(
        "amount-huge-exponent",
        "exp.json",
        lambda: _jsonl(_budget(1, funds=1), _budget(2)).replace(b"1,", b"1e999999,", 1),
        rejected=((1, "out of range"),),
    ),
    Case(
        "amount-tiny-exponent",
        "tiny.json",
        lambda: _jsonl(_budget(1, funds=1)).replace(b"1,", b"1e-5000,", 1),
        rejected=((1, "more than 9 decimal places"),),
    ),
    Case(
        "amount-5000-digit-integer",
        "long.json",
        lambda: _jsonl(_budget(1, funds=1)).replace(b"1,", b"1" + b"0" * 5000 + b",", 1),
        rejected=((1, "out of range"),),
    ),
    Case(
        "amount-beyond-int128",
        "int128.csv",
        lambda: _csv("budget,P-1,330106,170141183460469231731687303715884105728,1"),
        rejected=((2, "out of range"),),
    ),
    Case("json-100000-deep", "deep.json", _deep_json, error="json_depth=32"),
    Case(
        "jsonl-deep-line",
        "deep.jsonl",
        lambda: _jsonl(_budget(1)) + b"[" * 50 + b"]" * 50 + b"\n",
        rejected=((2, "json_depth"),),
    ),
    Case(
        "csv-200kb-cell",
        "cell.csv",
        lambda: _csv("budget,P-1,330106,100," + "9" * 200_000, "budget,P-2,330106,100,90"),
        rejected=((2, "cell_chars=32767"),),
    ),
    Case(
        "csv-long-line",
        "line.csv",
        lambda: _csv("budget,P-1,330106,100,90," + "x" * 5000),
        error="line_chars=4096",
        limits=("line_chars=4096",),
    ),
    Case(
        "csv-line-refused-while-read",
        "longer.csv",
        lambda: _csv("budget,P-1,330106,100,90," + "x" * 20_000, "budget,P-2,330106,100,90"),
        error="line 2 is more than 4096 characters long",
        limits=("line_chars=4096",),
    ),
    Case(
        "jsonl-line-refused-while-read",
        "longer.jsonl",
        lambda: _jsonl(_budget(1), _budget(2, name="x" * 20_000)),
        error="line 2 is more than 4096 characters long",
        limits=("line_chars=4096",),
    ),
    Case(
        "csv-cjk-line-within-line-chars",
        "cjk.csv",
        _cjk_line,
        records=1,
        limits=("line_chars=4096",),
    ),
    Case(
        "json-array-on-one-line",
        "minified.json",
        lambda: json.dumps([_budget(i) for i in range(100)]).encode(),
        records=100,
        limits=("line_chars=4096",),
    ),
    Case(
        "file-too-large",
        "big.csv",
        lambda: _csv(*(f"budget,P-{i},330106,100,90" for i in range(2000))),
        error="file_bytes=30000",
        limits=("file_bytes=30000",),
    ),
    Case(
        "too-many-rows",
        "rows.csv",
        lambda: _csv(*(f"budget,P-{i},330106,100,90" for i in range(50))),
        error="rows=10",
        limits=("rows=10",),
    ),
    Case(
        "control-characters-in-id",
        "ctl.csv",
        lambda: _csv("budget,\x1b]0;pwned\x07\x1b[2J,330106,100,90", "budget,P-2,330106,100,10"),
        records=2,
    ),
    Case(
        "xlsx-declared-dimension-a1-xfd1048576",
        "dim.xlsx",
        lambda: _xlsx(_declared_dimension),
        records=2,
    ),
    Case(
        "xlsx-zip-bomb",
        "bomb.xlsx",
        lambda: _xlsx(extra=b"\0" * 3_000_000),
        error="xlsx_bytes=1000000",
        limits=("xlsx_bytes=1000000",),
    ),
    Case("xlsx-billion-laughs", "laughs.xlsx", lambda: _xlsx(_billion_laughs), error="XLSX"),
    Case("xlsx-xxe", "xxe.xlsx", lambda: _xlsx(_xxe), error="XLSX"),
    Case(
        "xlsx-encrypted",
        "locked.xlsx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        error="encrypted",
    ),
    Case("xlsx-not-a-zip", "junk.xlsx", lambda: b"PK\x03\x04 not really", error="XLSX"),
    Case(
        "xlsx-malformed-sheet",
        "broken.xlsx",
        lambda: _xlsx(lambda xml: xml[: len(xml) // 2]),
        error="not a readable XLSX",
    ),
    Case(
        "amounts-at-and-beyond-the-range-edges",
        "edges.csv",
        lambda: _csv(
            "budget,P-1,330106,999999999999999.999999999,699999999999999.999999999",
            "budget,P-2,330106,999999999999999.999999999,700000000000000.000000000",
            "budget,P-3,330106,0.000000001,0.000000001",
            "budget,P-4,330106,1000000000000000,1",
            "budget,P-5,330106,1,0.0000000001",
            "budget,P-6,330106,0.000000003,999999999999999",
        ),
        rejected=((5, "out of range"), (6, "more than 9 decimal places")),
        records=6,
    ),
    Case(
        "json-200kb-string",
        "long.jsonl",
        lambda: _jsonl(_budget(1, name="x" * 200_000), _budget(2)),
        rejected=((1, "name: 200000 characters, beyond the limit cell_chars=32767"),),
        records=2,
    ),
    Case(
        "json-lone-surrogate",
        "surrogate.json",
        lambda: (
            b'[{"kind":"budget","id":"P-\\ud800","jurisdiction":"330106","total_funds":"1"},'
            b'{"kind":"budget","id":"P-2","jurisdiction":"330106","name":"\\udfff"},'
            b'{"kind":"budget","id":"P-3","jurisdiction":"330106","total_funds":"1"}]'
        ),
        rejected=((1, "id: holds a lone surrogate"), (2, "name: holds a lone surrogate")),
        records=3,
    ),
)
