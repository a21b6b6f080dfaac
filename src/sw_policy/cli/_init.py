"""`sw-policy init DIR`: start a drafting workspace (a copy of the rulebook and its tests)."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import choose, policy_errors


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Rulebook to copy (default: the one commands use here, usually the bundled one).",
)
@click.option(
    "--sources",
    "sources_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Directory of source texts (*.txt) to copy into the workspace's sources/.",
)
@policy_errors
def init(directory: Path, rules_dir: Path | None, sources_dir: Path | None) -> None:
    """Start a drafting workspace in DIRECTORY (new or empty).

    It holds rules/ (a copy of the rulebook and its rule tests), sources/ (for
    the source texts lint checks quotes against), sw-policy.toml (commands run
    inside use rules/ here) and a README of the loop: lint → test → diff.

    \b
    Example:
      sw-policy init drafting --sources ../shared/sources
      cd drafting && sw-policy lint && sw-policy test
    """
    from sw_policy.drafting.workspace import init_workspace

    chosen = choose(rules_dir)
    written = init_workspace(directory, chosen.path, sources_dir)
    texts = sum(1 for p in written if p.parent.name == "sources" and p.suffix == ".txt")
    click.echo(f"created {directory}: {len(written)} file(s), {texts} source text(s)")
    if texts == 0:
        click.echo(
            f"no source texts yet: put <source-id>.txt files in {directory / 'sources'} "
            "so lint can verify the quotes"
        )
    click.echo(f"next: cd {directory} && sw-policy lint && sw-policy test")
