from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.checks import check_examples, check_rules
from leakguard.errors import RuleError
from leakguard.models import Rule
from leakguard.rules import builtin_patterns_dir, lint, load_rules, parse_rule_file

SHIPPED = load_rules([builtin_patterns_dir()], cache_dir=None)


def test_shipped_rules_pass_lint() -> None:
    assert [str(problem) for problem in lint(SHIPPED)] == []


def test_at_least_a_hundred_rules_ship() -> None:
    assert len(SHIPPED) >= 100


@pytest.mark.parametrize("rule", SHIPPED, ids=lambda rule: rule.id)
def test_rule_examples_and_counterexamples(rule: Rule) -> None:
    assert rule.examples and rule.counterexamples
    assert [str(problem) for problem in check_examples(rule)] == []


def test_every_shipped_example_is_reported_with_all_rules_loaded() -> None:
    """Specificity may hand an example to a more specific rule, but never drop it."""
    from leakguard.models import Fragment
    from leakguard.scan import Engine, scan

    engine = Engine(SHIPPED)  # one engine: building one per example costs minutes
    missed = [
        (rule.id, example.text)
        for rule in SHIPPED
        for example in rule.examples
        if not scan(engine, [Fragment("snippet.txt", example.text)]).findings
    ]
    assert missed == []


GOOD_RULE = """
[[rules]]
id = "demo-token"
description = "Demo token"
type = "DEMO_TOKEN"
keywords = ["demo_"]
regex = '''\\b(demo_[0-9a-f]{16})\\b'''
examples = ['key = demo_4f9a8c7e6d5b4a3f']
counterexamples = ['demo_0123']
"""


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (GOOD_RULE.replace('id = "demo-token"', 'id = "demo-token"\ncolour = "red"'), 2, "unknown key"),
        (GOOD_RULE.replace("(demo_[0-9a-f]{16})", "(demo_[0-9a-f]{16}"), 2, "does not compile"),
        (GOOD_RULE.replace("keywords", "secret_group = 3\nkeywords"), 2, "secret_group 3"),
        (GOOD_RULE.replace('type = "DEMO_TOKEN"', 'type = "demo"'), 2, "upper-case"),
        (GOOD_RULE.replace('description = "Demo token"\n', ""), 2, "missing required key 'description'"),
        (GOOD_RULE.replace("keywords", 'kind = "password"\nkeywords'), 2, "'kind' must be one of"),
        (GOOD_RULE.replace("keywords", 'validator = "nope"\nkeywords'), 2, "unknown validator"),
        (GOOD_RULE.replace("keywords", "min_entropy = 'high'\nkeywords"), 2, "must be a number"),
        (GOOD_RULE.replace("keywords", 'prefilter = "regex"\nkeywords'), 2, "'prefilter' must be"),
        (GOOD_RULE.replace("keywords", 'prefilter = "shape"\nmultiline = true\nkeywords'), 2,
         "single-line rules with keywords"),
        (GOOD_RULE.replace('keywords = ["demo_"]', 'prefilter = "shape"'), 2,
         "single-line rules with keywords"),
        (GOOD_RULE.replace("keywords", "shape = 'demo_'\nkeywords"), 2,
         "'shape' is for rules selected by it"),
        (GOOD_RULE.replace('keywords = ["demo_"]', "shape = '(demo_'"), 2,
         "shape does not compile"),
    ],
)
def test_malformed_rule_names_file_line_and_rule(
    tmp_path: Path, content: str, line: int, message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content)
    with pytest.raises(RuleError) as raised:
        parse_rule_file(path, path.read_bytes())
    text = str(raised.value)
    assert f"{path}:{line}: rule 'demo-token'" in text
    assert message in text


def test_invalid_toml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[[rules]]\nid = = 'x'\n")
    with pytest.raises(RuleError, match=r"broken\.toml:2:6: invalid TOML: Invalid value"):
        load_rules([path], cache_dir=None)


def test_duplicate_ids_across_files_are_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD_RULE)
    (tmp_path / "b.toml").write_text(GOOD_RULE)
    with pytest.raises(RuleError, match=r"b\.toml:2: rule 'demo-token': duplicate id"):
        load_rules([tmp_path], cache_dir=None)


def test_lint_flags_rules_without_examples_or_keyword_in_example(tmp_path: Path) -> None:
    path = tmp_path / "lint.toml"
    path.write_text(
        GOOD_RULE.replace("examples = ['key = demo_4f9a8c7e6d5b4a3f']", "examples = ['no hit']")
        .replace("counterexamples = ['demo_0123']", "")
    )
    problems = [p.message for p in check_rules(load_rules([path], cache_dir=None))]
    assert "has no counterexamples" in problems
    assert any("contains none of its keywords" in p for p in problems)
    assert any("is not detected" in p for p in problems)


@pytest.mark.parametrize(("keywords", "flagged"), [('["demo_"]', False), ('["key"]', True)])
def test_lint_flags_a_shape_selected_rule_whose_keyword_is_only_a_label_nearby(
    tmp_path: Path, keywords: str, flagged: bool
) -> None:
    """Selected by shape, the rule runs wherever the token's shape is: a
    keyword outside the match ("key = …") would no longer be required."""
    path = tmp_path / "shape.toml"
    path.write_text(
        GOOD_RULE.replace('keywords = ["demo_"]', f'keywords = {keywords}\nprefilter = "shape"')
    )
    problems = [p.message for p in check_rules(load_rules([path], cache_dir=None))]
    assert any("holds none of its keywords" in p for p in problems) is flagged


@pytest.mark.parametrize(
    ("shape", "flagged"),
    [
        ("demo_[0-9a-f]", False), (r"[0-9a-f]{16}\b", False), ("demo_[g-z]", True),
        ("key = ", True),
        # begun on the character before the match (a lookbehind hyperscan lacks), ended in it
        (r"[^\w]demo_[0-9a-f]", False),
        (r"= ", True),
    ],
)
def test_lint_flags_a_shape_that_an_example_match_does_not_contain(
    tmp_path: Path, shape: str, flagged: bool
) -> None:
    """hyperscan wakes the rule only where its shape ends: a shape outside
    the match (the label before it) or not in it at all would miss it."""
    path = tmp_path / "shape.toml"
    path.write_text(GOOD_RULE.replace('keywords = ["demo_"]', f"shape = '{shape}'"))
    (rule,) = load_rules([path], cache_dir=None)
    assert rule.shape == shape
    problems = [p.message for p in check_rules([rule])]
    assert any("does not contain its shape" in p for p in problems) is flagged


def test_check_reports_a_counterexample_that_matches(tmp_path: Path) -> None:
    path = tmp_path / "loose.toml"
    path.write_text(GOOD_RULE.replace("counterexamples = ['demo_0123']",
                                      "counterexamples = ['demo_9c1e5a7b3d2f4e6a']"))
    problems = [p.message for p in check_rules(load_rules([path], cache_dir=None))]
    assert problems == ["counterexample 'demo_9c1e5a7b3d2f4e6a' is reported "
                        "(secret 'demo_9c1e5a7b3d2f4e6a')"]


def test_rules_are_cached_by_content(tmp_path: Path) -> None:
    rules_file = tmp_path / "demo.toml"
    rules_file.write_text(GOOD_RULE)
    cache = tmp_path / "cache"
    first = load_rules([rules_file], cache_dir=cache)
    assert len(list(cache.glob("rules-*.pickle"))) == 1
    assert load_rules([rules_file], cache_dir=cache) == first
    rules_file.write_text(GOOD_RULE.replace("Demo token", "Demo token, renamed"))
    assert load_rules([rules_file], cache_dir=cache)[0].description == "Demo token, renamed"


def test_a_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    rules_file = tmp_path / "demo.toml"
    rules_file.write_text(GOOD_RULE)
    cache = tmp_path / "cache"
    load_rules([rules_file], cache_dir=cache)
    for entry in cache.glob("rules-*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert load_rules([rules_file], cache_dir=cache)[0].id == "demo-token"


def test_missing_rule_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="no such rule file"):
        load_rules([tmp_path / "absent.toml"], cache_dir=None)


def test_remediation_comes_from_defaults_unless_the_rule_has_its_own(tmp_path: Path) -> None:
    path = tmp_path / "family.toml"
    path.write_text(
        '[defaults]\nremediation = "Rotate it in the console."\ntype = "DEMO"\n'
        '[[rules]]\nid = "rule-a"\ndescription = "A"\nregex = "(a)"\n'
        '[[rules]]\nid = "rule-b"\ndescription = "B"\nregex = "(b)"\nremediation = "  Own words.  "\n'
    )
    first, second = parse_rule_file(path, path.read_bytes())
    assert (first.remediation, second.remediation) == ("Rotate it in the console.", "Own words.")


def test_remediation_must_be_a_string(tmp_path: Path) -> None:
    path = tmp_path / "family.toml"
    path.write_text('[[rules]]\nid = "rule-a"\ndescription = "A"\ntype = "DEMO"\nregex = "(a)"\nremediation = 1\n')
    with pytest.raises(RuleError, match="'remediation' must be a string"):
        parse_rule_file(path, path.read_bytes())


# Families added later may rely on the fallback hint by type and kind; these
# carry their own, and must keep it.
FAMILIES_WITH_REMEDIATION = (
    "ai", "aws", "azure", "gcp", "generic", "github", "gitlab", "keys", "registries",
    "sendgrid", "slack", "stripe", "tokens", "twilio", "uris",
)


@pytest.mark.parametrize("family", FAMILIES_WITH_REMEDIATION)
def test_shipped_families_say_how_to_remediate(family: str) -> None:
    rules = load_rules([builtin_patterns_dir() / f"{family}.toml"], cache_dir=None)
    assert rules and all(len(rule.remediation) > 30 for rule in rules)
PII_TYPES = {"EMAIL", "PHONE", "CREDIT_CARD", "US_SSN", "IBAN", "IPV4", "IPV6", "PASSPORT",
             "NATIONAL_ID", "DATE_OF_BIRTH"}


def test_personal_data_rules_report_the_documented_types() -> None:
    pii = [rule for rule in SHIPPED if rule.kind == "pii"]
    assert {rule.type for rule in pii} == PII_TYPES
    assert all(rule.validator for rule in pii), "every PII rule is confirmed by a validator"
    assert all(rule.family == "pii" for rule in pii)
