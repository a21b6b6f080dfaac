"""docs/openapi.json is the document the service serves, and a valid OpenAPI 3.1 document."""

from __future__ import annotations

import json

import httpx
import schemathesis
from click.testing import CliRunner

from conftest import REPO
from server_harness import running
from sw_policy.cli import main
from sw_policy.server.app import create_app
from sw_policy.server.errors import ERROR_CODES
from sw_policy.server.openapi import document_text

COMMITTED = REPO / "docs" / "openapi.json"


def test_committed_document_is_in_step() -> None:
    made = document_text(create_app().fastapi)
    assert COMMITTED.read_text(encoding="utf-8") == made, (
        "docs/openapi.json is stale: sw-policy serve --openapi > docs/openapi.json"
    )


def test_cli_prints_the_same_document() -> None:
    result = CliRunner().invoke(main, ["serve", "--openapi"])
    assert result.exit_code == 0
    assert result.stdout == COMMITTED.read_text(encoding="utf-8")


def test_served_document_is_the_committed_one() -> None:
    with running() as url:
        served = httpx.get(f"{url}/openapi.json").json()
    assert served == json.loads(COMMITTED.read_text(encoding="utf-8"))


def test_document_validates_and_declares_every_error() -> None:
    document = json.loads(COMMITTED.read_text(encoding="utf-8"))
    schemathesis.openapi.from_dict(document).validate()  # against the OpenAPI 3.1 schema
    assert document["openapi"].startswith("3.1")
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            if path.startswith("/v1/"):
                assert {"401", "413", "422", "500"} <= declared, (method, path)
            for status in declared - {"200"}:
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (path, status)
    for code in ERROR_CODES:
        assert f"`{code}`" in document["info"]["description"]


def test_record_schema_is_strict_about_dates_amounts_and_jurisdictions() -> None:
    schemas = json.loads(COMMITTED.read_text(encoding="utf-8"))["components"]["schemas"]
    budget = schemas["Budget"]["properties"]
    assert budget["jurisdiction"]["pattern"] == "^[0-9]{6}$"
    assert {"format": "date", "type": "string"} in budget["as_of"]["anyOf"]
    amount = budget["total_funds"]["anyOf"][0]["anyOf"]
    assert {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"} in amount
    assert "kind" in schemas["Budget"]["required"]
