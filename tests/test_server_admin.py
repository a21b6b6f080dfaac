"""POST /v1/admin/reload: the admin token, the atomic swap, a bad rulebook leaves the old one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from conftest import REPO
from server_harness import running
from sw_policy.checking.rulebook import load_rulebook
from sw_policy.cli import main
from sw_policy.errors import PolicyError
from sw_policy.server.app import ServiceConfig
from sw_policy.server.service import Service

TOKEN = "client-token-0123456789"
ADMIN = "admin-token-9876543210"
AS_OF = "2024-06-30"
FLOOR = "min_share: {value: 0.80,"
EVALUATE = {
    "record": {
        "kind": "budget",
        "id": "P-1",
        "jurisdiction": "361126",
        "total_funds": "500000.00",
        "labour_cost": "399999.99",
    },
    "as_of": AS_OF,
}


def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(REPO / "rules", target, ignore=shutil.ignore_patterns("tests"))
    assert FLOOR in (target / "yiyang-2022.yaml").read_text(encoding="utf-8")
    return target


def lower_the_floor(rules: Path) -> None:
    path = rules / "yiyang-2022.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(FLOOR, "min_share: {value: 0.70,"), encoding="utf-8")


def outcomes(client: httpx.Client) -> list[str]:
    answer = client.post("/v1/evaluate", json=EVALUATE)
    assert answer.status_code == 200, answer.text
    return [f["outcome"] for f in answer.json()["findings"]]


def admin(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_admin_calls_are_off_without_an_admin_token() -> None:
    with running(ServiceConfig(token=TOKEN)) as base, httpx.Client(base_url=base) as c:
        refused = c.post("/v1/admin/reload", headers=admin(TOKEN))
        assert refused.status_code == 403
        assert refused.json()["error"] == {
            "code": "admin_disabled",
            "message": "admin calls are off: start the server with --admin-token-file FILE",
        }


def test_the_admin_token_and_only_it_opens_admin_calls() -> None:
    config = ServiceConfig(token=TOKEN, admin_token=ADMIN)
    with running(config) as base, httpx.Client(base_url=base, timeout=60) as c:
        for headers in ({}, admin(TOKEN), admin(ADMIN + "x")):
            refused = c.post("/v1/admin/reload", headers=headers)
            assert refused.status_code == 401
            assert refused.json()["error"]["code"] == "unauthorized"
        # The admin token is no client token either.
        assert c.get("/v1/version", headers=admin(ADMIN)).status_code == 401
        same = c.post("/v1/admin/reload", headers=admin(ADMIN))
        assert same.status_code == 200
        sha = load_rulebook().sha256
        assert same.json() == {
            "old_sha256": sha,
            "new_sha256": sha,
            "changed": False,
            "rules": len(load_rulebook().rules),
            "rules_dir": "bundled",
        }


def test_reload_swaps_the_rules_and_the_version_and_log_show_it(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    log = tmp_path / "decisions.jsonl"
    config = ServiceConfig(rules_dir=rules, admin_token=ADMIN, decision_log=log)
    with running(config) as base, httpx.Client(base_url=base, timeout=60) as c:
        old = c.get("/v1/version").json()["rulebook"]["sha256"]
        assert outcomes(c) == ["fail"]  # 79.999998 % against a floor of 80 %
        lower_the_floor(rules)
        assert outcomes(c) == ["fail"]  # read-only until the admin call
        answer = c.post("/v1/admin/reload", headers=admin(ADMIN))
        assert answer.status_code == 200
        swapped = answer.json()
        new = load_rulebook(rules).sha256
        assert (swapped["old_sha256"], swapped["new_sha256"]) == (old, new)
        assert swapped["changed"] is True
        assert swapped["rules_dir"] == str(rules)
        assert c.get("/v1/version").json()["rulebook"]["sha256"] == new
        assert outcomes(c) == ["pass"]  # the floor is 70 % now
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    evaluations = [e for e in lines if e["path"] == "/v1/evaluate"]
    assert [e["rulebook_sha256"] for e in evaluations] == [old, old, new]
    (reload_line,) = [e for e in lines if e["path"] == "/v1/admin/reload"]
    assert (reload_line["status"], reload_line["rulebook_sha256"]) == (200, new)
    versions = [e["rulebook_sha256"] for e in lines if e["path"] == "/v1/version"]
    assert versions == [old, new]


def test_a_bad_rulebook_answers_422_and_the_old_one_keeps_serving(tmp_path: Path) -> None:
    rules = rules_copy(tmp_path)
    config = ServiceConfig(rules_dir=rules, admin_token=ADMIN)
    with running(config) as base, httpx.Client(base_url=base, timeout=60) as c:
        old = c.get("/v1/version").json()["rulebook"]["sha256"]
        path = rules / "yiyang-2022.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(FLOOR, "min_share: {vale: 0.70,"))
        with pytest.raises(PolicyError) as loader:
            load_rulebook(rules)
        refused = c.post("/v1/admin/reload", headers=admin(ADMIN))
        assert refused.status_code == 422
        assert refused.json()["error"] == {"code": "rulebook_invalid", "message": str(loader.value)}
        assert "\n" not in str(loader.value)
        assert c.get("/v1/version").json()["rulebook"]["sha256"] == old
        assert outcomes(c) == ["fail"]


def test_a_request_keeps_the_rulebook_it_started_with(tmp_path: Path) -> None:
    """The swap is one assignment: what a request took stays whole; variants follow the swap."""
    rules = rules_copy(tmp_path)
    service = Service(ServiceConfig(rules_dir=rules))
    taken = service.rulebook
    sets = ("yiyang-2022.labour-cost-share.min_share=0.75",)
    before = service.with_sets(sets)
    lower_the_floor(rules)
    old, new = service.reload()
    assert old is taken
    assert service.rulebook is new
    assert taken.sha256 != new.sha256
    after = service.with_sets(sets)
    assert after is not before
    assert service.with_sets(sets, taken) is not after  # made from the old rulebook
    record = EVALUATE["record"]
    assert [f.outcome for f in taken.evaluate(record, as_of=AS_OF)] == ["fail"]
    assert [f.outcome for f in new.evaluate(record, as_of=AS_OF)] == ["pass"]
    service.close()


def test_serve_refuses_an_admin_token_equal_to_the_client_token(tmp_path: Path) -> None:
    (tmp_path / "t").write_text(TOKEN)
    (tmp_path / "a").write_text(TOKEN)
    result = CliRunner().invoke(
        main,
        ["serve", "--token-file", str(tmp_path / "t"), "--admin-token-file", str(tmp_path / "a")],
    )
    assert result.exit_code == 2
    assert "the admin token must differ from the --token-file token" in result.output
    (tmp_path / "a").write_text("short")
    result = CliRunner().invoke(main, ["serve", "--admin-token-file", str(tmp_path / "a")])
    assert result.exit_code == 2
    assert "--admin-token-file" in result.output
