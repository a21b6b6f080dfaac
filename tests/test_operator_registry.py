"""One operator registry: every back end handles each node type or says why it does not.

rulebook/conditions.py declares the node types once (NODE_TYPES). Each back end
module declares HANDLED (the node types it has a handler for) and UNSUPPORTED
({node type: reason}). A node type added to the language without a decision in
every back end fails here, naming the back end and the node type.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import ModuleType

import pytest
from pydantic import ValidationError

from sw_policy.rulebook.conditions import (
    NODE_TYPES,
    Expr,
    NodeType,
    Predicate,
    _Part,
    node_types,
)
from sw_policy.rulebook.schema import RuleSpec

BACK_ENDS = {
    "row tree walk": "sw_policy.engines.row.tree_walk",
    "row compiler": "sw_policy.engines.row.compile",
    "columnar compiler": "sw_policy.engines.columnar.expressions",
    "wording": "sw_policy.engines.wording",
    "contradiction bounds": "sw_policy.drafting.contradictions",
    "boundary probes": "sw_policy.drafting.boundaries",
    "fields read (stream routing, defaults taken)": "sw_policy.rulebook.reads",
}
DRAFTERS = Path(__file__).resolve().parent.parent / "docs" / "drafters.md"


def _module(name: str) -> ModuleType:
    return importlib.import_module(BACK_ENDS[name])


def missing_decisions(types: tuple[NodeType, ...]) -> list[str]:
    """One line per (back end, node type) that the back end neither handles nor refuses."""
    out = []
    for back_end, module_name in BACK_ENDS.items():
        module = importlib.import_module(module_name)
        for node_type in types:
            if node_type.cls not in module.HANDLED and node_type.cls not in module.UNSUPPORTED:
                out.append(
                    f"{back_end} ({module_name}): no handler and no UNSUPPORTED "
                    f"reason for {node_type.name}"
                )
    return out


def test_every_back_end_decides_every_node_type() -> None:
    assert missing_decisions(NODE_TYPES) == []


@pytest.mark.parametrize("back_end", BACK_ENDS)
def test_back_ends_declare_only_registered_types_and_never_both(back_end: str) -> None:
    module = _module(back_end)
    registered = {t.cls for t in NODE_TYPES}
    assert set(module.HANDLED) <= registered
    assert set(module.UNSUPPORTED) <= registered
    assert not set(module.HANDLED) & set(module.UNSUPPORTED)
    assert all(isinstance(r, str) and r for r in module.UNSUPPORTED.values())


class Between(_Part):
    """A test-only operator: `low <= value <= high`, added to the language and nowhere else."""

    op: str = "between"


def test_a_new_operator_with_no_handlers_is_named_for_every_back_end() -> None:
    """What a contributor who adds `between` to conditions.py and stops there sees."""
    between = NodeType(
        Between, "between", "predicate", "{op: between, ...}", "in a range", ("between",)
    )
    found = missing_decisions((*NODE_TYPES, between))
    assert len(found) == len(BACK_ENDS)
    for back_end, line in zip(BACK_ENDS, found, strict=True):
        assert line.startswith(back_end) and line.endswith("for Between")


def test_the_op_lists_in_messages_come_from_the_registry() -> None:
    predicate_ops = [op for t in node_types("predicate") for op in t.ops]
    with pytest.raises(ValidationError) as caught:
        RuleSpec.model_validate(
            {
                "id": "x-1.y",
                "clause": "1",
                "quote": "q",
                "summary": {"zh": "z", "en": "e"},
                "severity": "mandatory",
                "kind": "budget",
                "condition": {"op": "between", "left": {"field": "labour_cost"}},
            }
        )
    assert "`op` must be one of " + ", ".join(predicate_ops) in str(caught.value)
    assert predicate_ops[:6] == ["le", "lt", "ge", "gt", "eq", "ne"]


def test_the_unions_and_the_registry_list_the_same_node_types() -> None:
    from sw_policy.rulebook.conditions import _union_tags

    assert _union_tags(Expr) == {t.tag for t in node_types("expression")}
    assert _union_tags(Predicate) == {t.tag for t in node_types("predicate")}


def _docs_rows(heading: str) -> list[tuple[str, str]]:
    text = DRAFTERS.read_text(encoding="utf-8")
    section = text.split(heading, 1)[1].split("\n\n", 2)[1]
    rows = re.findall(r"^\| `(.+?)` \| (.+?) \|$", section, flags=re.MULTILINE)
    return [(w, m) for w, m in rows]


@pytest.mark.parametrize(
    ("family", "heading"),
    [("expression", "Expressions (values):"), ("predicate", "Conditions (true")],
)
def test_the_drafters_operator_table_is_the_registry(family: str, heading: str) -> None:
    expected = [(t.written, t.meaning) for t in node_types(family)]  # type: ignore[arg-type]
    assert _docs_rows(heading) == expected


@pytest.mark.parametrize(
    ("module", "level"),
    [
        ("sw_policy.engines.row.compile", "error"),
        ("sw_policy.engines.columnar.expressions", "warning"),
    ],
)
def test_lint_names_a_construct_an_engine_refuses_with_file_and_line(
    monkeypatch: pytest.MonkeyPatch, module: str, level: str
) -> None:
    """Before any record is read: the engine's UNSUPPORTED reason, at the rule's condition."""
    from sw_policy.drafting.lint import lint_rules_dir
    from sw_policy.rulebook.conditions import Lookup
    from sw_policy.rulebook.loader import bundled_rules_dir

    back_end = importlib.import_module(module)
    monkeypatch.setattr(back_end, "HANDLED", back_end.HANDLED - {Lookup})
    monkeypatch.setattr(back_end, "UNSUPPORTED", {Lookup: "tables are not compiled here"})
    found = [p for p in lint_rules_dir(bundled_rules_dir()) if p.code == "unsupported-construct"]
    assert found
    for problem in found:
        assert problem.level == level
        assert problem.path.endswith(".yaml") and problem.line is not None
        assert "Lookup: tables are not compiled here" in problem.message


def test_lint_of_the_bundled_rulebook_finds_every_engine_complete() -> None:
    from sw_policy.drafting.lint import lint_rules_dir
    from sw_policy.rulebook.loader import bundled_rules_dir

    assert [
        p for p in lint_rules_dir(bundled_rules_dir()) if p.code == "unsupported-construct"
    ] == []


def test_lint_compiles_on_the_columnar_engine_and_names_what_it_refuses(tmp_path: Path) -> None:
    """A lookup keyed by a parameter: the row engine judges it, the columnar compiler refuses."""
    import shutil

    from sw_policy.drafting.lint import lint_rules_dir

    rules = tmp_path / "rules"
    shutil.copytree(Path(__file__).parent / "lint_fixtures" / "clean", rules)
    path = rules / "prov-2020.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "      max_share: {value: 0.70, description: 不超过 (at most), unit: ratio}\n",
        "      max_share: {value: 0.70, description: 不超过 (at most), unit: ratio}\n"
        "      caps: {value: {1: 0.70}, description: 上限}\n"
        "      level: {value: 1, description: 级别}\n",
    ).replace(
        "      right: {param: max_share}\n",
        "      right: {op: lookup, table: {param: caps}, key: {param: level}}\n",
    )
    path.write_text(text, encoding="utf-8")
    found = [p for p in lint_rules_dir(rules) if p.code == "unsupported-construct"]
    assert [(p.level, p.path, p.line) for p in found] == [
        ("warning", str(path), 13)
    ]  # the `condition:` line
    assert "columnar engine cannot judge it (lookup key must be a record field)" in found[0].message
    assert "--engine row" in found[0].fix
