"""The parse cache: plain JSON of parsed rule files, exact, and never trusted past validation."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import RULES_DIR
from sw_policy.errors import RuleFileError
from sw_policy.inputs.vocabulary import load_vocabulary
from sw_policy.limits import Limits, using_limits
from sw_policy.rulebook import parse_cache
from sw_policy.rulebook.loader import load_rules_dir
from sw_policy.rulebook.parse_cache import parse_rule_bytes
from sw_policy.rulebook.strict_yaml import parse_yaml
from sw_policy.rulebook.validation import validate_rules_dir


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache of this test's own; returns the folder entries are written to."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(parse_cache.DISABLE_VAR, raising=False)
    folder = parse_cache.cache_dir()
    assert folder is not None
    return folder


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(RULES_DIR, copy, ignore=shutil.ignore_patterns("tests", "*.ini"))
    return copy


def identical(a: Any, b: Any) -> bool:
    """Equal, with the same types and the same text for every decimal (0.70 stays 0.70)."""
    if isinstance(a, dict):
        return (
            isinstance(b, dict)
            and [(type(k), k) for k in a] == [(type(k), k) for k in b]
            and all(identical(a[k], b[k]) for k in a)
        )
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(identical, a, b))
    return type(a) is type(b) and a == b and str(a) == str(b)


def rule_files(directory: Path) -> list[Path]:
    return [*sorted(directory.glob("*.yaml")), directory / "intake" / "vocabulary.yaml"]


def test_every_bundled_file_comes_back_from_the_cache_exactly(cache: Path) -> None:
    for path in rule_files(RULES_DIR):
        raw = path.read_bytes()
        parsed = parse_yaml(raw, path)
        assert identical(parse_rule_bytes(raw, path), parsed)  # parsed, then written
        assert identical(parse_rule_bytes(raw, path), parsed)  # read back
    assert len(list(cache.glob("*.json"))) == len(rule_files(RULES_DIR))


def test_a_cached_load_needs_no_yaml_and_gives_the_same_rulebook(cache: Path) -> None:
    first = load_rules_dir(RULES_DIR)
    entries = sorted(cache.glob("*.json"))
    assert entries
    second = load_rules_dir(RULES_DIR)
    assert second.sha256 == first.sha256
    assert second.rules == first.rules and second.sources == first.sources
    assert second.coverage == first.coverage
    assert sorted(cache.glob("*.json")) == entries  # nothing new written


def test_editing_a_rule_file_misses_the_cache(cache: Path, rules: Path) -> None:
    before = load_rules_dir(rules)
    path = rules / "zhejiang-2019-draft.yaml"
    text = path.read_text(encoding="utf-8")
    assert "value: 0.70" in text
    path.write_text(text.replace("value: 0.70", "value: 0.75", 1), encoding="utf-8")
    after = load_rules_dir(rules)
    assert after.sha256 != before.sha256
    values = [
        p.value
        for rule in after.rules
        if rule.id.startswith("zhejiang-2019")
        for p in rule.parameters.values()
    ]
    assert Decimal("0.75") in values


def test_a_corrupt_or_foreign_entry_is_ignored_and_rewritten(cache: Path) -> None:
    good = load_rules_dir(RULES_DIR)
    entries = sorted(cache.glob("*.json"))
    for index, entry in enumerate(entries):
        entry.write_bytes([b"{not json", b"\xff\xfe", b"[1, 2]", b""][index % 4])
    again = load_rules_dir(RULES_DIR)
    assert again.rules == good.rules
    vocabulary = RULES_DIR / "intake" / "vocabulary.yaml"
    assert load_vocabulary(vocabulary) == load_vocabulary(vocabulary)
    for entry in entries:
        assert identical(
            parse_cache._read(entry),
            parse_yaml(
                next(p for p in rule_files(RULES_DIR) if _key(p) == entry.stem).read_bytes(),
                entry,
            ),
        )


def _key(path: Path) -> str:
    import hashlib

    from sw_policy._version import __version__

    prefix = f"sw-policy {__version__} parse-cache {parse_cache.CACHE_FORMAT}\0".encode()
    return hashlib.sha256(prefix + path.read_bytes()).hexdigest()


def test_a_tampered_entry_is_validated_like_a_rule_file(cache: Path) -> None:
    """What the cache says is checked as a parse would be; a refusal parses the file again."""
    good = load_rules_dir(RULES_DIR)
    for entry in cache.glob("*.json"):
        text = entry.read_text(encoding="utf-8")
        entry.write_text(text.replace('"severity"', '"sevrity"'), encoding="utf-8")
    assert load_rules_dir(RULES_DIR).rules == good.rules


def test_an_error_found_in_cached_data_still_names_its_line(cache: Path, rules: Path) -> None:
    load_rules_dir(rules)  # every file cached
    # An earlier file takes a later file's rule id: the refusal is in the later file,
    # whose parsed data now comes from the cache (no lines), so it is parsed again.
    path = rules / "zhejiang-2019-draft.yaml"
    text = path.read_text(encoding="utf-8")
    old, new = "id: zhejiang-2019.labour-cost-share", "id: yiyang-2022.labour-cost-share"
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleFileError) as cached_error:
        load_rules_dir(rules)
    assert cached_error.value.path.endswith("yiyang-2022.yaml")
    assert cached_error.value.line is not None
    with pytest.raises(RuleFileError) as no_lines:  # what the cached data alone could say
        error = validate_rules_dir(rules, cached=True).first_error()
        assert error is not None
        raise error
    assert no_lines.value.line is None
    os.environ[parse_cache.DISABLE_VAR] = "1"
    try:
        with pytest.raises(RuleFileError) as plain_error:
            load_rules_dir(rules)
    finally:
        del os.environ[parse_cache.DISABLE_VAR]
    assert str(cached_error.value) == str(plain_error.value)


def test_an_unwritable_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.delenv(parse_cache.DISABLE_VAR, raising=False)
    assert load_rules_dir(RULES_DIR).rules == load_rules_dir(RULES_DIR).rules
    assert blocker.read_text(encoding="utf-8").startswith("a file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through a read-only mode")
def test_a_read_only_cache_folder_is_ignored(cache: Path) -> None:
    cache.mkdir(parents=True)
    cache.chmod(0o500)
    try:
        assert load_rules_dir(RULES_DIR).rules
        assert list(cache.iterdir()) == []
    finally:
        cache.chmod(0o700)


def test_the_cache_can_be_turned_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parse_cache.DISABLE_VAR, "1")
    assert parse_cache.cache_dir() is None
    load_rules_dir(RULES_DIR)
    assert not cache.exists()


def test_the_depth_limit_in_force_applies_to_cached_data(cache: Path) -> None:
    load_rules_dir(RULES_DIR)
    with using_limits(Limits(condition_depth=1)), pytest.raises(RuleFileError, match="deep"):
        load_rules_dir(RULES_DIR)


_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.text(max_size=8)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3)
    | st.decimals(allow_nan=False, allow_infinity=False)
)
_keys = st.text(max_size=6) | st.integers(min_value=-99, max_value=99)
_trees = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(tree=st.dictionaries(st.text(max_size=6), _trees, max_size=4))
def test_whatever_is_cached_comes_back_identical(tree: dict[str, Any], tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    entry = tmp_path_factory.mktemp("entry") / "e.json"
    parse_cache._write(entry, tree)
    if not entry.exists():  # not exactly representable (NUL, "1." decimals, bool keys): skipped
        assert parse_cache._encodable(tree) is None
        return
    assert identical(parse_cache._read(entry), tree)


def test_no_home_directory_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv(parse_cache.DISABLE_VAR, raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert parse_cache.cache_dir() is None
    assert load_rules_dir(RULES_DIR).rules


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in (Path(__file__).parent / "lint_fixtures").iterdir() if p.is_dir()),
)
def test_the_cached_pass_finds_what_a_fresh_parse_finds(cache: Path, name: str) -> None:
    """Data from the cache has no lines, but the same problems and the same refusal."""
    directory = Path(__file__).parent / "lint_fixtures" / name
    fresh = validate_rules_dir(directory)
    validate_rules_dir(directory, cached=True)  # fills the cache
    cached = validate_rules_dir(directory, cached=True)
    assert sorted(i.code for i in cached.issues) == sorted(i.code for i in fresh.issues)
    fresh_error, cached_error = fresh.first_error(), cached.first_error()
    assert (fresh_error is None) == (cached_error is None)
    if fresh_error is not None and cached_error is not None:
        assert cached_error.reason == fresh_error.reason
