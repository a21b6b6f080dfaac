"""The package reads as the pipeline: a lower layer never imports a higher one.

Every import of every module counts: top-level, function-local, under
`if TYPE_CHECKING:`, relative or absolute. The layers, lowest first, are listed
in LAYERS (and drawn in docs/architecture.md); the engines' three back ends are
siblings that share only the modules directly in `engines/`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "sw_policy"

# Lowest first. A module belongs to the first entry that is its name or a parent of it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("sw_policy._version", "sw_policy.errors", "sw_policy.limits"),
    ("sw_policy.records",),
    ("sw_policy.rulebook",),
    ("sw_policy.findings",),
    ("sw_policy.inputs",),
    ("sw_policy.engines",),
    ("sw_policy.reports",),
    ("sw_policy.checking",),
    ("sw_policy.drafting",),
    ("sw_policy.server",),
    ("sw_policy.cli",),
    ("sw_policy", "sw_policy.__main__", "sw_policy.stream"),  # façades on top
)
ENGINE_BACK_ENDS = (
    "sw_policy.engines.row",
    "sw_policy.engines.columnar",
    "sw_policy.engines.stream",
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int:
    """The layer index of a sw_policy module (façade entries match exactly, others by prefix)."""
    for index, names in enumerate(LAYERS):
        for name in names:
            if module == name or (name != "sw_policy" and module.startswith(name + ".")):
                return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and docs/architecture.md")


def back_end_of(module: str) -> str | None:
    for name in ENGINE_BACK_ENDS:
        if module == name or module.startswith(name + "."):
            return name
    return None


def imports_of(path: Path, module: str) -> list[tuple[int, str]]:
    """(line, imported sw_policy module) for every import statement anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from sw_policy.x import y` may import the submodule y: count it if it is one.
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                as_path = PACKAGE.parent / sub.replace(".", "/")
                is_module = (
                    as_path.with_suffix(".py").exists() or (as_path / "__init__.py").exists()
                )
                found.append((node.lineno, sub if is_module else target))
    return [(line, name) for line, name in found if name.split(".")[0] == "sw_policy"]


def violations() -> list[str]:
    out: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        here = layer_of(module)
        for line, target in imports_of(path, module):
            rel = path.relative_to(PACKAGE.parent)
            there = layer_of(target)
            if there > here:
                out.append(
                    f"{rel}:{line}: {module} (layer {here}) imports {target} (layer {there})"
                )
            mine, theirs = back_end_of(module), back_end_of(target)
            if mine and theirs and mine != theirs:
                out.append(f"{rel}:{line}: engine back end {mine} imports sibling {theirs}")
    return out


def test_no_lower_layer_imports_a_higher_one() -> None:
    assert violations() == []


def test_every_module_is_in_a_layer() -> None:
    for path in PACKAGE.rglob("*.py"):
        layer_of(module_name(path))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "from sw_policy.checking.rulebook import Rulebook\n",
            "imports sw_policy.checking.rulebook",
        ),
        ("def f():\n    from ...cli import main\n", "imports sw_policy.cli"),
        (
            "import typing\nif typing.TYPE_CHECKING:\n    import sw_policy.reports.text\n",
            "imports sw_policy.reports.text",
        ),
        (
            "from sw_policy.engines.row.tree_walk import x\n",
            "imports sibling sw_policy.engines.row",
        ),
    ],
)
def test_the_checker_sees_every_kind_of_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, expected: str
) -> None:
    """A planted upward import (top-level, local, relative, TYPE_CHECKING) is named, with line."""
    fake = tmp_path / "sw_policy"
    for path in PACKAGE.rglob("*.py"):
        target = fake / path.relative_to(PACKAGE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("", encoding="utf-8")
    (fake / "engines" / "columnar" / "planted.py").write_text(source, encoding="utf-8")
    monkeypatch.setitem(globals(), "PACKAGE", fake)
    found = violations()
    assert len(found) == 1, found
    assert found[0].startswith("sw_policy/engines/columnar/planted.py:")
    assert expected in found[0]
