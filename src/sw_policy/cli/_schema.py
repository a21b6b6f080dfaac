"""`sw-policy schema`: JSON Schema of rule files, sources.yaml and test files, for editors."""

from __future__ import annotations

import click


@click.command("schema")
@click.option(
    "--for",
    "target",
    type=click.Choice(["rules", "sources", "tests"]),
    default="rules",
    show_default=True,
    help="rules/<source>.yaml, rules/sources.yaml, or rules/tests/<source>.yaml.",
)
def schema(target: str) -> None:
    """Print the JSON Schema of a rule file (or sources.yaml, or a test file).

    Point your editor's YAML language server at it, and rule files are
    checked as you type (unknown fields, missing clause or quote, bad values).

    \b
    Example:
      sw-policy schema > rule-file.schema.json
      sw-policy schema --for tests > rule-test.schema.json
    """
    from sw_policy.drafting.json_schema import schema_json

    click.echo(schema_json(target), nl=False)
