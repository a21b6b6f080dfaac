"""`sw-policy watch`: JSON lines in, one line per changed finding out, bad lines on stderr."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

from click.testing import CliRunner

from sw_policy.cli import main

QUALIFICATION = "liaocheng-2020.professional-qualification"


def worker(*hours: str, record_id: str = "W-1") -> str:
    sessions = [{"date": f"2024-01-{i + 1:02d}", "hours": h} for i, h in enumerate(hours)]
    record = {"kind": "worker", "id": record_id, "jurisdiction": "371502", "training": sessions}
    return json.dumps(record, ensure_ascii=False)


def watch(lines: list[str], *args: str) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(
        main, ["watch", "--as-of", "2024-06-30", *args], input="\n".join(lines) + "\n"
    )
    return result.exit_code, [json.loads(x) for x in result.stdout.splitlines()], result.stderr


def test_training_flips_qualification_and_delete_clears_it():
    code, out, err = watch(
        [
            worker("119.5"),
            worker("119.5", "0.5"),
            worker("119.5", "0.5", "8"),
            '{"op": "delete", "kind": "worker", "id": "W-1"}',
        ]
    )
    assert (code, err) == (0, "")
    assert [(o["record_id"], o["rule_id"], o["from"], o["to"]) for o in out] == [
        ("W-1", QUALIFICATION, None, "fail"),
        ("W-1", QUALIFICATION, "fail", "pass"),
        ("W-1", QUALIFICATION, "pass", None),
    ]
    assert out[1]["finding"]["observed"]["training_hours_5y"] == "120.0"
    assert out[1]["finding"]["citation"]["source_id"] == "liaocheng-2020"
    assert out[2]["finding"] is None


def test_finding_is_the_json_report_finding(tmp_path):
    line = worker("119.5")
    _, [change], _ = watch([line])
    path = tmp_path / "w.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    report = CliRunner().invoke(
        main, ["check", str(path), "--as-of", "2024-06-30", "--format", "json"]
    )
    [finding] = json.loads(report.stdout)["findings"]
    finding["location"] = None  # a file check says where the record was read from
    assert change["finding"] == finding


def test_bad_lines_are_reported_with_their_number_and_the_stream_goes_on():
    code, out, err = watch(
        [
            "not json",
            "",
            "[1, 2]",
            '{"id": "x", "jurisdiction": "330106"}',
            '{"kind": "budget", "id": "B-1", "jurisdiction": "330106", "total_funds": "0"}',
            '{"op": "delete", "kind": "nothing", "id": "B-1"}',
            '{"op": "purge"}',
            worker("119.5"),
        ]
    )
    assert code == 0
    assert [o["to"] for o in out] == ["fail"]
    lines = err.splitlines()
    assert [line.split(":")[1].strip() for line in lines] == [
        "line 1",
        "line 3",
        "line 4",
        "line 5 (B-1)",
        "line 6",
        "line 7",
    ]
    assert "total_funds: must be greater than 0" in lines[3]
    assert "unknown op 'purge'" in lines[5]


def test_a_line_that_is_not_utf8_is_a_bad_line():
    result = CliRunner().invoke(
        main, ["watch", "--as-of", "2024-06-30"], input=b"\xff\xfe{}\n" + worker("8").encode()
    )
    assert result.exit_code == 0
    assert "line 1: not UTF-8 text" in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_a_hostile_line_does_not_stop_the_stream():
    deep = "[" * 100_000 + "]" * 100_000
    code, out, err = watch([deep, '{"op": "delete", "kind": "worker", "id": 7}', worker("8")])
    assert code == 0
    assert err.startswith("sw-policy: line 1: JSON not readable (nested more than")
    assert [o["to"] for o in out] == ["fail"]


def test_output_is_deterministic():
    lines = [worker("100", record_id=f"W-{i}") for i in range(20)]
    lines += [worker("100", "20", record_id=f"W-{i}") for i in range(20)]
    first = CliRunner().invoke(main, ["watch", "--as-of", "2024-06-30"], input="\n".join(lines))
    second = CliRunner().invoke(main, ["watch", "--as-of", "2024-06-30"], input="\n".join(lines))
    assert first.stdout_bytes == second.stdout_bytes
    assert len(first.stdout.splitlines()) == 40


def test_unreadable_rules_are_one_line_and_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["watch", "--rules", str(tmp_path / "none")], input="")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1


def _read_line(process: subprocess.Popen, timeout: float = 30) -> dict:
    """One output line, or the process is killed (so a missing flush fails, never hangs)."""
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    try:
        line = process.stdout.readline()
    finally:
        timer.cancel()
    assert line, "no output line: was it flushed?"
    return json.loads(line)


def test_each_change_is_flushed_as_it_happens():
    """A consumer reads a change while the producer still holds the pipe open."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sw_policy", "watch", "--as-of", "2024-06-30"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(worker("119.5").encode() + b"\n")
        process.stdin.flush()
        assert _read_line(process)["to"] == "fail"
        process.stdin.write(worker("119.5", "0.5").encode() + b"\n")
        process.stdin.flush()
        assert _read_line(process)["to"] == "pass"
        process.stdin.close()
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
