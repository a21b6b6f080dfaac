"""Property-based tests of the running service from its own OpenAPI document (schemathesis).

Positive cases only (requests the document allows), a fixed seed and a
bounded number of examples per operation, so a run is repeatable and short:
no response may be a 5xx, and every response must match the document
(status code declared, content type declared, body valid against its schema).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, seed, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import REPO
from server_harness import running

# Version-independent and slow: CI runs it on 3.11 only (the service's own tests run on all).
pytestmark = pytest.mark.once

DOCUMENT = json.loads((REPO / "docs" / "openapi.json").read_text(encoding="utf-8"))
schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.config.generation.update(modes=[GenerationMode.POSITIVE], deterministic=True)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 6
"""Per operation (11 operations): bounded so the file stays short on a busy machine."""


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with running() as url:
        yield url


@schema.parametrize()
@seed(20241130)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_service_keeps_its_document(case: schemathesis.Case, base_url: str) -> None:
    case.call_and_validate(base_url=base_url, checks=CHECKS, timeout=60)
