"""One exception tree: every PolicyError subclass lives in errors.py, drawn in its docstring."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import sw_policy
from sw_policy import errors


def _all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


def test_every_policy_error_is_defined_in_errors_and_drawn() -> None:
    # Import every module so a subclass defined anywhere is seen.
    for info in pkgutil.walk_packages(sw_policy.__path__, "sw_policy."):
        importlib.import_module(info.name)
    drawn = set(re.findall(r"[├└]── (\w+)", errors.__doc__ or ""))
    subclasses = {c for c in _all_subclasses(errors.PolicyError) if c.__module__.startswith("sw_")}
    assert {c.__module__ for c in subclasses} == {"sw_policy.errors"}
    assert {c.__name__ for c in subclasses} == drawn
    assert drawn <= set(errors.__all__)


@pytest.mark.parametrize(
    ("old_home", "name"),
    [
        ("sw_policy.rulebook.overrides", "OverrideError"),
        ("sw_policy.inputs.frames", "ColumnarInputError"),
        ("sw_policy.engines.columnar.expressions", "UnsupportedConstructError"),
        ("sw_policy.engines.stream.monitor", "MonitorClosedError"),
        ("sw_policy.engines.stream.router", "StreamUnavailableError"),
        ("sw_policy.engines.row.tree_walk", "UnsupportedNodeError"),
    ],
)
def test_moved_errors_are_still_importable_from_their_old_modules(old_home: str, name: str) -> None:
    moved = getattr(importlib.import_module(old_home), name)
    assert issubclass(moved, errors.PolicyError)
    assert moved.__module__ == "sw_policy.errors"


def test_one_unsupported_construct_error_for_every_engine() -> None:
    from sw_policy.engines.row.tree_walk import UnsupportedNodeError

    assert UnsupportedNodeError is sw_policy.UnsupportedConstructError
