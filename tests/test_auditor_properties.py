"""Invariants of auditor inputs and reports, checked with hypothesis."""

from __future__ import annotations

import csv
import io
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sw_policy import read_files
from sw_policy.inputs.encodings import decode_text
from sw_policy.reports.rows import neutralise

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

amount_text = st.one_of(
    st.just(""),
    st.decimals(min_value=0, max_value=10**9, places=2).map(lambda d: f"{d:,}"),
    st.integers(0, 10**6).map(lambda n: f"{n}万元"),
    st.text(alphabet="0123456789,.万元¥￥亿 -abc", max_size=10),
)
row = st.tuples(st.sampled_from(["361126", "330106", "3301", ""]), amount_text, amount_text)


@SETTINGS
@given(rows=st.lists(row, max_size=12), encoding=st.sampled_from(["utf-8", "gbk", "utf-8-sig"]))
def test_every_csv_row_is_evaluated_or_rejected(tmp_path, rows, encoding):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["预算表"])
    writer.writerow(["项目编号", "行政区划代码", "项目经费", "人力成本"])
    for number, (code, total, labour) in enumerate(rows):
        writer.writerow([f"P-{number}", code, total, labour])
    path = tmp_path / "b.csv"
    text = out.getvalue()
    if encoding == "gbk":
        text = text.replace("¥", "￥")  # GBK has only the full-width yuan sign
    path.write_bytes(text.encode(encoding))
    result = read_files([path])
    [summary] = result.inputs
    assert summary.records == len(rows) == len(result.records) + len(result.rejected)
    assert summary.evaluated == len(result.records)
    for rejected in result.rejected:
        assert rejected.errors and rejected.row >= 3


@given(st.text(max_size=30))
def test_neutralised_text_never_starts_a_formula(text):
    safe = neutralise(text)
    assert safe.endswith(text)
    if safe.startswith(("=", "+", "-", "@", "\t", "\r", "\n")):
        assert re.fullmatch(r"[+-]?\d+(\.\d+)?", safe)


@given(st.text(max_size=40))
@example("刷")  # GBK bytes CB A2 are valid UTF-8 too (ˢ): UTF-8 wins, --encoding decides
def test_utf8_and_gbk_text_decode_back(text):
    assert decode_text(text.encode("utf-8")) == (text, "utf-8")
    try:
        raw = text.encode("gbk")
    except UnicodeEncodeError:
        return
    decoded, used = decode_text(raw)
    try:
        as_utf8 = raw.decode("utf-8")
    except UnicodeDecodeError:  # only GB18030 reads it: detected as such
        assert (decoded, used) == (text, "gb18030")
    else:  # valid UTF-8 as well: read as UTF-8 unless the caller names the encoding
        assert (decoded, used) == (as_utf8, "utf-8")
        assert decode_text(raw, "gbk") == (text, "gbk")
