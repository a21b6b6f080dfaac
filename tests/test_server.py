"""The HTTP service against the real server on loopback: endpoints, CLI parity, limits, safety."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from conftest import FIXTURES
from server_harness import running
from sw_policy.cli import main
from sw_policy.server.app import ServiceConfig
from sw_policy.server.decision_log import DecisionLog, mask_identifiers
from sw_policy.server.limits import ServiceLimits

AS_OF = "2024-06-30"
BUDGET = {"kind": "budget", "id": "P-1", "jurisdiction": "330106"}


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with running() as base:
        yield base


@pytest.fixture(scope="module")
def client(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=60) as c:
        yield c


def cli_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, data: bytes, *args: str
) -> bytes:
    """What `sw-policy check NAME ARGS` prints for a file NAME holding `data`."""
    (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    if "--format" not in args:
        args = (*args, "--format", "json")
    result = CliRunner().invoke(main, ["check", name, *args])
    assert result.exit_code in (0, 1, 3), result.output
    return result.stdout_bytes


# --- the service answers --------------------------------------------------------------


def test_health_ready_and_version(client: httpx.Client) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").json() == {"status": "ready"}
    version = client.get("/v1/version").json()
    from sw_policy import __version__, load_rulebook

    rulebook = load_rulebook()
    assert version["engine"] == {"name": "sw-policy", "version": __version__}
    assert version["rulebook"]["sha256"] == rulebook.sha256
    assert version["rulebook"]["rules"] == len(rulebook.rules)
    statuses = {s["id"]: s["status"] for s in version["sources"]}
    assert statuses["zhejiang-2019-draft"] == "draft"
    assert statuses["yiyang-2022"] == "in_force"


def test_rules_and_coverage_are_the_cli_json(client: httpx.Client) -> None:
    listed = CliRunner().invoke(main, ["rules", "list", "--format", "json", "--rules", "rules"])
    assert client.get("/v1/rules").json() == json.loads(listed.stdout)
    one = client.get("/v1/rules/zhejiang-2019.labour-cost-share").json()
    assert one["id"] == "zhejiang-2019.labour-cost-share"
    covered = CliRunner().invoke(main, ["rules", "coverage", "--format", "json"])
    assert client.get("/v1/coverage").json() == json.loads(covered.stdout)


def test_unknown_rule_is_404_with_the_cli_wording(client: httpx.Client) -> None:
    response = client.get("/v1/rules/zhejiang-2019.labour-cost-shar")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "unknown_rule"
    shown = CliRunner().invoke(main, ["rules", "show", "zhejiang-2019.labour-cost-shar"])
    assert shown.exit_code == 2
    assert f"sw-policy: error: {error['message']}" in shown.stderr
    assert "did you mean zhejiang-2019.labour-cost-share" in error["message"]


# --- the report is the CLI's, byte for byte -------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "args"),
    [
        ("budgets.json", ()),
        ("mixed.json", ()),
        ("workers.json", ("--only-failures",)),
        ("budgets.json", ("--include-not-applicable", "--lang", "en")),
        ("mixed.json", ("--format", "md")),
        ("mixed.json", ("--format", "csv", "--lang", "en")),
        ("budgets.json", ("--format", "html")),
        ("budgets.json", ("--format", "jsonl", "--drafts-binding")),
        ("budgets.json", ("--set", "zhejiang-2019.labour-cost-share.max_share=0.75")),
    ],
)
def test_check_is_byte_identical_to_the_cli(
    client: httpx.Client,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fixture: str,
    args: tuple[str, ...],
) -> None:
    data = (FIXTURES / fixture).read_bytes()
    expected = cli_report(tmp_path, monkeypatch, "records.json", data, "--as-of", AS_OF, *args)
    params = _params(args)
    response = client.post("/v1/check", params=params, content=data)
    assert response.status_code == 200, response.text
    assert response.content == expected
    cli_status = CliRunner().invoke(main, ["check", "records.json", "--as-of", AS_OF, "-o", "r"])
    assert response.headers["x-sw-policy-status"] == str(cli_status.exit_code)


def test_large_check_takes_the_columnar_path_and_stays_identical(
    client: httpx.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [
        {**BUDGET, "id": f"P-{i}", "total_funds": "1000", "labour_cost": str(600 + i % 300)}
        for i in range(1500)
    ]
    records[7] = {**BUDGET, "id": "P-7", "total_funds": "0"}  # rejected, with its row
    data = json.dumps(records).encode()
    expected = cli_report(tmp_path, monkeypatch, "records.json", data, "--as-of", AS_OF)
    response = client.post("/v1/check", params={"as_of": AS_OF}, content=data)
    assert response.content == expected
    assert response.headers["x-sw-policy-status"] == "3"  # the draft binds not; P-7 rejected
    assert str(tmp_path) not in response.text and "sw-policy-serve-" not in response.text


@pytest.mark.parametrize("fixture", ["budgets.csv", "workers.csv"])
def test_uploaded_file_is_checked_as_the_cli_checks_it(
    client: httpx.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixture: str
) -> None:
    data = (FIXTURES / fixture).read_bytes()
    expected = cli_report(tmp_path, monkeypatch, "upload.csv", data, "--as-of", AS_OF)
    response = client.post("/v1/check/file", params={"input": "csv", "as_of": AS_OF}, content=data)
    assert response.content == expected
    assert "sw-policy-serve-" not in response.text


def test_uploaded_xlsx_report(client: httpx.Client, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["kind", "id", "jurisdiction", "total_funds", "labour_cost"])
    sheet.append(["budget", "X-1", "330106", "100", "71"])
    path = tmp_path / "in.xlsx"
    book.save(path)
    response = client.post(
        "/v1/check/file",
        params={"input": "xlsx", "as_of": AS_OF, "format": "xlsx"},
        content=path.read_bytes(),
    )
    assert response.status_code == 200
    assert response.content.startswith(b"PK")
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")


def _params(args: tuple[str, ...]) -> list[tuple[str, str]]:
    params = [("as_of", AS_OF)]
    items = list(args)
    while items:
        flag = items.pop(0).removeprefix("--")
        name = {"format": "format", "lang": "lang", "set": "set"}.get(flag)
        if name:
            params.append((name, items.pop(0)))
        else:
            params.append((flag.replace("-", "_"), "true"))
    return params


# --- evaluate, diff, events -----------------------------------------------------------


@pytest.mark.parametrize(
    ("labour", "outcome"),
    [("70", "pass"), (70, "pass"), ("70.01", "fail"), ("70.000000001", "fail")],
)
def test_evaluate_judges_exactly_at_the_boundary(
    client: httpx.Client, labour: object, outcome: str
) -> None:
    # A JSON number is read from its text as an exact decimal.
    record = {**BUDGET, "total_funds": 100, "labour_cost": labour}
    body = json.dumps({"record": record, "as_of": AS_OF})
    if labour == "70.000000001":
        body = body.replace('"70.000000001"', "70.000000001")
    response = client.post("/v1/evaluate", content=body)
    assert response.status_code == 200, response.text
    [finding] = [
        f for f in response.json()["findings"] if f["rule_id"] == "zhejiang-2019.labour-cost-share"
    ]
    assert finding["outcome"] == outcome


def test_evaluate_agrees_with_the_library(client: httpx.Client) -> None:
    from sw_policy import load_rulebook

    record = {"kind": "worker", "id": "W-1", "jurisdiction": "210102", "certificate": "社会工作师"}
    response = client.post("/v1/evaluate", json={"record": record, "as_of": AS_OF})
    expected = load_rulebook().evaluate(record, as_of=AS_OF)
    assert response.json()["findings"] == [f.model_dump(mode="json") for f in expected]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"record": {**BUDGET, "total_funds": "0"}, "as_of": AS_OF}, "record_invalid"),
        ({"record": BUDGET, "as_of": "2024-13-01"}, "request_invalid"),
        ({"record": BUDGET, "as_of": "30/06/2024"}, "request_invalid"),
        ({"record": BUDGET, "as_of": AS_OF, "extra": 1}, "request_invalid"),
        ([1, 2], "request_invalid"),
    ],
)
def test_bad_requests_are_declared_errors(client: httpx.Client, body: object, code: str) -> None:
    response = client.post("/v1/evaluate", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == code
    assert "Traceback" not in response.text and 'File "' not in response.text


def test_record_error_uses_the_cli_words(client: httpx.Client) -> None:
    response = client.post(
        "/v1/evaluate", json={"record": {**BUDGET, "total_funds": "0"}, "as_of": AS_OF}
    )
    assert response.json()["error"]["message"] == "total_funds: must be greater than 0"


def test_an_amount_with_an_exponent_is_refused_as_a_csv_cell_is(client: httpx.Client) -> None:
    # parse_amount's words, on /v1/evaluate and /v1/check alike; a JSON number stays one.
    reason = "labour_cost: '1e3' is not an amount such as 1,200,000.00, ¥3,000 or 120万元"
    record = {**BUDGET, "total_funds": "1000000", "labour_cost": "1e3"}
    response = client.post("/v1/evaluate", json={"record": record, "as_of": AS_OF})
    assert response.json()["error"]["message"] == reason
    checked = client.post("/v1/check", params={"as_of": AS_OF, "format": "json"}, json=[record])
    assert [r["errors"] for r in checked.json()["rejected"]] == [[reason]]
    number = json.dumps({"record": record, "as_of": AS_OF}).replace('"1e3"', "1e3")
    assert client.post("/v1/evaluate", content=number).status_code == 200


def test_not_json_unknown_path_and_method(client: httpx.Client) -> None:
    assert client.post("/v1/evaluate", content=b"{not json").json()["error"]["code"] == (
        "request_invalid"
    )
    assert client.get("/v2/nothing").json()["error"]["code"] == "not_found"
    assert client.delete("/health").json()["error"]["code"] == "method_not_allowed"


def test_diff_is_the_impact_of_the_overrides(client: httpx.Client) -> None:
    records = [
        {**BUDGET, "id": "A", "total_funds": "100", "labour_cost": "72"},
        {**BUDGET, "id": "B", "total_funds": "100", "labour_cost": "80"},
    ]
    body = {
        "records": records,
        "set": {"zhejiang-2019.labour-cost-share.max_share": "0.75"},
        "as_of": AS_OF,
    }
    impact = client.post("/v1/diff", json=body).json()
    assert impact["moved"] == 1
    [rule] = impact["rules"]
    assert rule["moves"] == [{"from": "fail", "to": "pass", "count": 1, "records": ["budget:A"]}]
    bad = client.post("/v1/diff", json={**body, "set": {"zhejiang-2019.labour-cost-share.x": 1}})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "override_invalid"


def test_events_change_findings_and_state_survives_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "monitor.db"
    config = ServiceConfig(state=state, monitor_as_of=__import__("datetime").date(2024, 6, 30))
    event = {**BUDGET, "total_funds": "100", "labour_cost": "71", "event_id": "e-1"}
    with running(config) as base, httpx.Client(base_url=base) as c:
        first = c.post("/v1/events", json=event).json()
        assert [(x["rule_id"], x["from"], x["to"]) for x in first["changes"]] == [
            ("zhejiang-2019.labour-cost-share", None, "fail")
        ]
        again = c.post("/v1/events", json=event).json()
        assert again == {"event_id": "e-1", "duplicate": True, "changes": []}
        bad = c.post("/v1/events", json={"op": "explode"})
        assert bad.status_code == 422
    with running(config) as base, httpx.Client(base_url=base) as c:
        after = c.post("/v1/events", json={**event, "labour_cost": "70", "event_id": "e-2"}).json()
        assert [(x["from"], x["to"]) for x in after["changes"]] == [("fail", "pass")]


# --- limits, auth, CORS ---------------------------------------------------------------


def test_limits_body_records_and_upload(tmp_path: Path) -> None:
    limits = ServiceLimits(body_bytes=2000, upload_bytes=3000, records=5)
    with running(ServiceConfig(limits=limits)) as base, httpx.Client(base_url=base) as c:
        big = c.post("/v1/check", content=b"[" + b" " * 3000 + b"]")
        assert big.status_code == 413
        assert big.json()["error"]["code"] == "body_too_large"
        assert "body_bytes=2000" in big.json()["error"]["message"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            for _ in range(10):
                yield b" " * 500

        streamed = c.post("/v1/evaluate", content=chunks())
        assert streamed.status_code == 413
        records = [{**BUDGET, "id": f"P-{i}", "total_funds": "1"} for i in range(6)]
        many = c.post("/v1/check", params={"as_of": AS_OF}, json=records)
        assert many.status_code == 422
        error = many.json()["error"]
        assert error["code"] == "too_many_records"
        assert "more than 5 in one request" in error["message"]
        assert c.post("/v1/check", params={"as_of": AS_OF}, json=records[:5]).status_code == 200
        diff = c.post("/v1/diff", json={"records": records, "set": {}, "as_of": AS_OF})
        assert diff.json()["error"]["code"] == "too_many_records"
        upload = c.post("/v1/check/file", params={"input": "csv"}, content=b"a" * 3001)
        assert upload.status_code == 413
        assert "upload_bytes=3000" in upload.json()["error"]["message"]


def test_bearer_token(tmp_path: Path) -> None:
    token = "s3cret-token-of-some-length"
    with running(ServiceConfig(token=token)) as base, httpx.Client(base_url=base) as c:
        assert c.get("/health").status_code == 200
        missing = c.get("/v1/version")
        assert missing.status_code == 401
        assert missing.json()["error"]["code"] == "unauthorized"
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = c.get("/v1/version", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert c.post("/v1/check", content=b"x" * 100).status_code == 401
        right = c.get("/v1/version", headers={"Authorization": f"Bearer {token}"})
        assert right.status_code == 200


def test_token_file_must_hold_a_real_token(tmp_path: Path) -> None:
    from sw_policy.errors import UsageError
    from sw_policy.server.auth import read_token

    (tmp_path / "t").write_text("short\n")
    with pytest.raises(UsageError, match="at least 16"):
        read_token(tmp_path / "t")
    (tmp_path / "t").write_text("  a-long-enough-token-1234 \nsecond line\n")
    assert read_token(tmp_path / "t") == "a-long-enough-token-1234"


def test_cors_is_off_by_default_and_on_for_named_origins(client: httpx.Client) -> None:
    preflight = {
        "Origin": "https://intranet.example",
        "Access-Control-Request-Method": "POST",
    }
    off = client.options("/v1/check", headers=preflight)
    assert "access-control-allow-origin" not in off.headers
    plain = client.get("/v1/version", headers={"Origin": "https://intranet.example"})
    assert "access-control-allow-origin" not in plain.headers
    config = ServiceConfig(cors_origins=("https://intranet.example",))
    with running(config) as base, httpx.Client(base_url=base) as c:
        on = c.options("/v1/check", headers=preflight)
        assert on.headers["access-control-allow-origin"] == "https://intranet.example"
        other = c.options("/v1/check", headers={**preflight, "Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


# --- the decision log -----------------------------------------------------------------


def test_decision_log_one_masked_line_per_request(tmp_path: Path) -> None:
    log = tmp_path / "decisions.jsonl"
    person = "330106199001011234"
    records = [
        {**BUDGET, "id": person, "total_funds": "100", "labour_cost": "90"},
        {**BUDGET, "id": "P-2", "total_funds": "100", "labour_cost": "50"},
    ]
    with running(ServiceConfig(decision_log=log)) as base, httpx.Client(base_url=base) as c:
        checked = c.post("/v1/check", params={"as_of": AS_OF}, json=records)
        assert checked.status_code == 200
        c.get("/v1/rules/nope")
        c.post("/v1/evaluate", json={"record": records[0], "as_of": AS_OF})
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [(x["path"], x["status"]) for x in lines] == [
        ("/v1/check", 200),
        ("/v1/rules/nope", 404),
        ("/v1/evaluate", 200),
    ]
    check = lines[0]
    assert check["as_of"] == AS_OF
    assert check["records"] == 2
    assert check["outcomes"]["fail"] == 1
    assert check["failing_rules"] == ["zhejiang-2019.labour-cost-share"]
    assert check["failing_records"] == ["3301**********1234"]
    assert check["request_id"] == checked.headers["x-request-id"]
    import hashlib

    assert check["input_sha256"] == hashlib.sha256(checked.request.content).hexdigest()
    assert lines[1]["error"] == "unknown_rule"
    assert person not in log.read_text(encoding="utf-8")


def test_decision_log_keeps_the_request_id_whole(tmp_path: Path) -> None:
    """A random hex id can hold a run of digits that looks like an ID-card number (about
    one in a hundred do); it is the server's, and must match x-request-id exactly."""
    path = tmp_path / "d.jsonl"
    log = DecisionLog(path)
    request_id = "ab330106199001011234cdef01234567"
    log.write({"request_id": request_id, "failing_records": ["330106199001011234"]})
    log.close()
    (line,) = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert line == {"request_id": request_id, "failing_records": ["3301**********1234"]}


def test_decision_log_rotates_by_size_and_reopens_a_moved_file(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    log = DecisionLog(path, max_bytes=200, keep=2)
    for n in range(12):
        log.write({"n": n, "pad": "x" * 40})
    assert path.with_name("d.jsonl.1").exists() and path.with_name("d.jsonl.2").exists()
    assert not path.with_name("d.jsonl.3").exists()
    for name in ("d.jsonl", "d.jsonl.1", "d.jsonl.2"):
        assert (tmp_path / name).stat().st_size <= 200
    kept = [
        json.loads(line)["n"]
        for name in ("d.jsonl.2", "d.jsonl.1", "d.jsonl")
        for line in (tmp_path / name).read_text().splitlines()
    ]
    assert kept == sorted(kept) and kept[-1] == 11  # oldest dropped, order kept
    path.rename(tmp_path / "moved")  # logrotate's move: the next line goes to a new file
    log.write({"n": 12})
    assert json.loads(path.read_text())["n"] == 12
    log.close()


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("330106199001011234", "3301**********1234"),
        ("33010619900101123X", "3301**********123X"),
        ("13812345678", "138****5678"),
        ("P-2024-001", "P-2024-001"),
        ("1234567", "1234567"),
    ],
)
def test_identifiers_are_masked(text: str, shown: str) -> None:
    assert mask_identifiers(text) == shown


# --- what must never happen -----------------------------------------------------------


def test_library_and_check_never_import_the_web_stack(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "import sw_policy\n"
        "from click.testing import CliRunner\n"
        "from sw_policy.cli import main\n"
        f"CliRunner().invoke(main, ['check', {str(FIXTURES / 'budgets.csv')!r}, "
        "'--as-of', '2024-06-30'])\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('fastapi', 'uvicorn', 'starlette')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path, env=os.environ.copy())


def test_serve_without_the_extra_says_how_to_get_it(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules['uvicorn'] = None\n"
        "from sw_policy.cli import main\n"
        "main(['serve'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert done.returncode == 2
    assert "pip install 'sw-policy[server]'" in done.stderr


def test_service_limits_from_the_command_line() -> None:
    from sw_policy.server.limits import parse_service_limits

    limits = parse_service_limits(
        ("records=10", "seconds=2.5", "body_bytes=1_000"), ServiceLimits()
    )
    assert (limits.records, limits.seconds, limits.body_bytes) == (10, 2.5, 1000)
    for bad in ("records=0", "nope=1", "records"):
        with pytest.raises(ValueError, match="--limit"):
            parse_service_limits((bad,), ServiceLimits())
    refused = CliRunner().invoke(main, ["serve", "--limit", "rows=5"])
    assert refused.exit_code == 2
    assert "NAME one of body_bytes, upload_bytes, records, seconds" in refused.stderr


def test_a_bug_answers_500_with_the_request_id_and_no_trace(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from sw_policy.drafting import catalogue

    def broken(rulebook: object) -> object:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(catalogue, "coverage_rows", broken)
    with running() as base, httpx.Client(base_url=base) as c:
        response = c.get("/v1/coverage")
    assert response.status_code == 500
    request_id = response.headers["x-request-id"]
    assert response.json() == {
        "error": {
            "code": "internal",
            "message": f"internal error (request {request_id}); please report it",
        }
    }
    assert "secret detail" not in response.text and "Traceback" not in response.text
