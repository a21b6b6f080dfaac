"""JSON Schemas of the YAML files drafters write, from the same models that validate them."""

from __future__ import annotations

import json

from pydantic import BaseModel

from sw_policy.drafting.rule_test_schema import RuleTestFile
from sw_policy.rulebook.schema import RuleFile, SourcesFile

__all__ = ["SCHEMA_MODELS", "schema_json"]

SCHEMA_MODELS: dict[str, tuple[type[BaseModel], str]] = {
    "rules": (RuleFile, "sw-policy rule file (rules/<source>.yaml)"),
    "sources": (SourcesFile, "sw-policy sources file (rules/sources.yaml)"),
    "tests": (RuleTestFile, "sw-policy rule-test file (rules/tests/<source>.yaml)"),
}


def schema_json(target: str) -> str:
    """The JSON Schema (draft 2020-12) of one kind of file, as stable JSON text."""
    model, title = SCHEMA_MODELS[target]
    schema = model.model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": title}
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
