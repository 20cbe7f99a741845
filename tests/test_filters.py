from __future__ import annotations

import fnmatch

import pytest

from leakguard.config import Config
from leakguard.filters import (
    CompiledAllowlist,
    MatchContext,
    path_matches,
    placeholder_shape,
    published_example,
)
from leakguard.models import Allowlist, CommitInfo, Rule

RULE = Rule("demo", "d", "secret", "T", r"(x)")
PII = Rule("pii-demo", "d", "pii", "T", r"(x)")


def _context(secret: str, *, rule: Rule = RULE, line: str = "", path: str = "a.py",
             commit: CommitInfo | None = None) -> MatchContext:
    return MatchContext(rule, secret, line or secret, "", path, 4.0, commit)


@pytest.mark.parametrize(
    ("path", "patterns", "expected"),
    [
        ("a/b/package-lock.json", ("package-lock.json",), "package-lock.json"),
        ("vendor/x/y.go", ("vendor/*",), "vendor/*"),
        ("src/app.min.js", ("*.min.js",), "*.min.js"),
        ("docs/x.md", ("docs/**",), "docs/**"),
        ("src/app.py", ("*.min.js", "vendor/*"), None),
    ],
)
def test_path_matches(path: str, patterns: tuple[str, ...], expected: str | None) -> None:
    assert path_matches(path, patterns) == expected


def _path_matches_one_by_one(path: str, patterns: tuple[str, ...]) -> str | None:
    """The definition ``path_matches`` speeds up: a glob per pattern, in order."""
    name = path.rsplit("/", 1)[-1]
    for pattern in patterns:
        if fnmatch.fnmatchcase(path, pattern) or (
            "/" not in pattern and fnmatch.fnmatchcase(name, pattern)
        ):
            return pattern
        if pattern.endswith("/**") and (path + "/").startswith(pattern[:-2]):
            return pattern
    return None


ODD_PATTERNS = ("*.png", "yarn.lock", "config/secrets.yml", "docs/**", "*/fixtures/*",
                "test_*.py", "*.min.*", "data[0-9].csv", "*", "x.png/**")


@pytest.mark.parametrize(
    "path",
    ["yarn.lock", "a/yarn.lock", "a/yarn.lock.bak", "img/logo.png", "logo.png.txt", "x.png/a.txt",
     "config/secrets.yml", "app/config/secrets.yml", "docs", "docs/a/b.md", "docsy/a.md",
     "src/fixtures/users.json", "tests/test_app.py", "app.min.js", "data7.csv", "a/data77.csv",
     "node_modules/x/index.js", "web/node_modules/y.js", "build/app.min.css", "README.md"],
)
@pytest.mark.parametrize("patterns", [tuple(Config().allowlist_paths), ODD_PATTERNS,
                                      ODD_PATTERNS[::-1]], ids=["defaults", "odd", "reversed"])
def test_path_matches_agrees_with_one_glob_at_a_time(path: str, patterns: tuple[str, ...]) -> None:
    assert path_matches(path, patterns) == _path_matches_one_by_one(path, patterns)


@pytest.mark.parametrize(
    ("secret", "objects"),
    [("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxx", True), ("AKIAIOSFODNN7EXAMPLE", True),
     ("abcdefghijkl", True), ("Kx7mP2qR9sT4vW1yZ3bC", False), ("abababababab", True)],
)
def test_placeholder_shape(secret: str, objects: bool) -> None:
    assert (placeholder_shape(_context(secret)) is not None) is objects


def test_placeholder_shape_leaves_personal_data_to_validators() -> None:
    assert placeholder_shape(_context("4111111111111111", rule=PII)) is None


def test_published_documentation_values_are_recognised() -> None:
    stripe_docs_key = "sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc"
    assert published_example(_context(stripe_docs_key)) is not None
    assert published_example(_context("sk_test_Kx7mP2qR9sT4vW1yZ3bC5dF8")) is None


@pytest.mark.parametrize(
    ("allowlist", "context", "suppressed"),
    [
        (Allowlist(paths=("tests/*",)), _context("s3cr3tvalue", path="tests/x.py"), True),
        (Allowlist(regexes=("^AKIA",)), _context("AKIA123"), True),
        (Allowlist(line_regexes=("fixture",)), _context("v", line="fixture = v"), True),
        (Allowlist(stopwords=("sandbox",)), _context("key-SANDBOX-123"), True),
        (Allowlist(commits=("abc123",)),
         _context("v", commit=CommitInfo("abc123def", "a", "e", "d")), True),
        (Allowlist(path_regexes=(r"(^|/)fixtures?/",)), _context("v", path="a/fixture/x.py"), True),
        (Allowlist(paths=("tests/*",), regexes=("^AKIA",)), _context("other"), False),
    ],
)
def test_allowlist_decisions(allowlist: Allowlist, context: MatchContext, suppressed: bool) -> None:
    decision = CompiledAllowlist(allowlist, "config allowlist").decide(context)
    assert (decision is not None) is suppressed
    if decision:
        assert decision.stage == "allowlist" and decision.reason.startswith("config allowlist")
