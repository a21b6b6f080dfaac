"""POST /v1/evaluate's plain-ASGI path gives the declared FastAPI route's bytes, always.

`FastEvaluate` (server/evaluation.py) answers the hot path itself; the route
inside the FastAPI app is the reference. Both are driven in-process, the
same body to each, and compared byte for byte: status, content type, body.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sw_policy.server.app import ServiceConfig, create_app
from sw_policy.server.evaluation import INLINE_BYTES

AS_OF = "2024-06-30"
RECORD = {
    "kind": "budget",
    "id": "P-1",
    "jurisdiction": "361126",
    "total_funds": "500000.00",
    "labour_cost": "399999.99",
}


@dataclass
class Answer:
    status_code: int
    headers: dict[str, str]
    content: bytes

    def json(self) -> Any:
        return json.loads(self.content)


class Client:
    """Drives an ASGI app in-process, one request at a time (no server, no threads)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def post(self, path: str, content: bytes) -> Answer:
        return self.request("POST", path, content)

    def get(self, path: str) -> Answer:
        return self.request("GET", path, b"")

    def request(self, method: str, path: str, content: bytes) -> Answer:
        return asyncio.run(self._request(method, path, content))

    async def _request(self, method: str, path: str, content: bytes) -> Answer:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": [
                (b"host", b"test"),
                (b"content-type", b"application/json"),
                (b"content-length", str(len(content)).encode()),
            ],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
        }
        sent = False
        messages: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": content, "more_body": False}
            await asyncio.sleep(60)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)

        await self.app(scope, receive, send)
        start = messages[0]
        headers = {k.decode(): v.decode() for k, v in start["headers"]}
        content = b"".join(m.get("body", b"") for m in messages[1:])
        return Answer(start["status"], headers, content)


Pair = tuple[Client, Client]


@pytest.fixture(scope="module")
def clients() -> Iterator[Pair]:
    app: Any = create_app(ServiceConfig())
    yield Client(app), Client(app.fastapi)
    app.service.close()


def both(clients: Pair, body: bytes) -> tuple[Answer, Answer]:
    fast, route = clients
    one = fast.post("/v1/evaluate", body)
    two = route.post("/v1/evaluate", body)
    assert one.status_code == two.status_code
    assert one.headers["content-type"] == two.headers["content-type"]
    assert one.headers["content-length"] == two.headers["content-length"]
    assert one.content == two.content
    return one, two


def body(record: Any = RECORD, **extra: Any) -> bytes:
    return json.dumps({"record": record, "as_of": AS_OF, **extra}, ensure_ascii=False).encode()


CASES = {
    "fail at the boundary": body(),
    "pass exactly at 80%": body({**RECORD, "labour_cost": "400000.00"}),
    "not applicable shown": body(include_not_applicable=True),
    "Chinese keys": body({"类型": "budget", "编号": "Q", "区划": "330106", "经费": "100"}),
    "record invalid": body({**RECORD, "total_funds": "lots"}),
    "no kind": body({"id": "X"}),
    "unknown envelope field": body(extra_field=1),
    "as_of not a date": json.dumps({"record": RECORD, "as_of": "30/06/2024"}).encode(),
    "as_of impossible": json.dumps({"record": RECORD, "as_of": "2024-02-30"}).encode(),
    "not JSON": b"{",
    "not UTF-8": b'{"record": "\xff"}',
    "duplicate key": b'{"record": {}, "record": {}, "as_of": "2024-06-30"}',
    "an array": b"[]",
    "empty": b"",
    "deep": b"[" * 5000 + b"]" * 5000,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_fast_path_answers_as_the_route_does(clients: Pair, name: str) -> None:
    both(clients, CASES[name])


def test_fail_and_pass_at_the_boundary(clients: Pair) -> None:
    fail, _ = both(clients, CASES["fail at the boundary"])
    assert [(f["rule_id"], f["outcome"]) for f in fail.json()["findings"]] == [
        ("yiyang-2022.labour-cost-share", "fail")
    ]
    passed, _ = both(clients, CASES["pass exactly at 80%"])
    assert [f["outcome"] for f in passed.json()["findings"]] == ["pass"]
    invalid, _ = both(clients, CASES["record invalid"])
    assert invalid.status_code == 422
    assert invalid.json()["error"]["code"] == "record_invalid"


def test_a_body_past_the_inline_size_goes_to_the_thread_pool_with_the_same_answer(
    clients: Pair,
) -> None:
    padded = body() + b" " * INLINE_BYTES
    answer, _ = both(clients, padded)
    assert answer.status_code == 200
    assert [f["outcome"] for f in answer.json()["findings"]] == ["fail"]


def test_other_methods_and_paths_pass_through(clients: Pair) -> None:
    fast, route = clients
    assert fast.get("/v1/evaluate").json()["error"]["code"] == "method_not_allowed"
    for path in ("/v1/evaluate/", "/v1/evaluat"):
        one, two = fast.post(path, body()), route.post(path, body())
        assert (one.status_code, one.content) == (two.status_code, two.content)
        assert one.status_code != 200


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    total=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
    labour=st.decimals(min_value=-10, max_value=10**9, places=2, allow_nan=False),
    jurisdiction=st.sampled_from(["330106", "361126", "110105", "999999", "33010"]),
)
def test_any_budget_gets_the_same_bytes_either_way(
    clients: Pair, total: Any, labour: Any, jurisdiction: str
) -> None:
    record = {
        **RECORD,
        "jurisdiction": jurisdiction,
        "total_funds": str(total),
        "labour_cost": str(labour),
    }
    both(clients, body(record))
