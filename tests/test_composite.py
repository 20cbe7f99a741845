"""Composite rules: a finding whose companion (another rule's finding, or a
line matching a regex) is near it gains confidence and names its companion."""

from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.errors import RuleError
from leakguard.models import Fragment, Rule
from leakguard.rules import builtin_patterns_dir, lint, load_rules, parse_rule_file
from leakguard.scan import Engine, scan, scan_text

SHIPPED = load_rules([builtin_patterns_dir()], cache_dir=None)
KEY_ID = "AKIA4ZQHHTD55KQ5NWAO"
SECRET_KEY = "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"
ACCOUNT_SID = "ACebcd7c2985a0781d62f21cbf63eb194d"
AUTH_TOKEN = "e6cba8aaabfb5e8badd8d4e40cbbf2eb"
PASSWORD = "Y5ub&iheyEd7P4"


def _only(text: str, rule_id: str) -> tuple[str, str | None]:
    (finding,) = [f for f in scan_text(text, SHIPPED) if f.rule_id == rule_id]
    return finding.confidence, finding.companion


@pytest.mark.parametrize(
    ("text", "rule_id", "expected"),
    [
        (f"AWS_ACCESS_KEY_ID={KEY_ID}\nAWS_SECRET_ACCESS_KEY={SECRET_KEY}\n",
         "aws-secret-access-key", ("high", "aws-access-key-id at 1:19")),
        (f"AWS_SECRET_ACCESS_KEY={SECRET_KEY}\n" + "\n" * 8 + f"AWS_ACCESS_KEY_ID={KEY_ID}\n",
         "aws-secret-access-key", ("medium", None)),
        (f"AWS_SECRET_ACCESS_KEY={SECRET_KEY}\n", "aws-secret-access-key", ("medium", None)),
        (f"TWILIO_ACCOUNT_SID={ACCOUNT_SID}\nTWILIO_AUTH_TOKEN={AUTH_TOKEN}\n",
         "twilio-auth-token", ("high", "twilio-account-sid at 1:20")),
        (f"TWILIO_AUTH_TOKEN={AUTH_TOKEN}\n", "twilio-auth-token", ("medium", None)),
        (f'DB_HOST = "pg-prod.internal"\nDB_USER = "billing"\nDB_PASSWORD = "{PASSWORD}"\n',
         "generic-password", ("medium", "database host or user at 2:1")),
        (f"DATABASES = {{'default': {{\n    'HOST': 'db.internal',\n    'PASSWORD': '{PASSWORD}',\n}}}}\n",
         "generic-password", ("medium", "database host or user at 2:6")),
        (f'DB_PASSWORD = "{PASSWORD}"\n', "generic-password", ("low", None)),
    ],
)
def test_companions_raise_confidence_and_are_named(
    text: str, rule_id: str, expected: tuple[str, str | None]
) -> None:
    assert _only(text, rule_id) == expected


def test_the_companion_value_is_never_recorded() -> None:
    text = f"AWS_ACCESS_KEY_ID={KEY_ID}\nAWS_SECRET_ACCESS_KEY={SECRET_KEY}\n"
    (finding,) = [f for f in scan_text(text, SHIPPED) if f.rule_id == "aws-secret-access-key"]
    assert finding.companion is not None and KEY_ID not in finding.companion


COMPANION = (
    "companion = { regex = '''acme_client_id=\\w+''', name = \"ACME client id\", "
    "within_lines = 1, required = true }"
)
CUSTOM = f"""
[[rules]]
id = "acme-secret"
description = "ACME secret, only real next to its ACME client id"
type = "ACME_SECRET"
keywords = ["acme_secret"]
regex = '''acme_secret=([0-9a-f]{{32}})'''
confidence = "low"
{COMPANION}
examples = ['acme_secret=4f9a8c7e6d5b4a3f2e1d0c9b8a7f6e5d']
counterexamples = ['acme_secret=0']
"""


def _custom(companion: str = COMPANION) -> list[Rule]:
    return parse_rule_file(Path("custom.toml"), CUSTOM.replace(COMPANION, companion).encode())


def test_a_required_companion_suppresses_findings_without_one() -> None:
    rules = _custom()
    lonely = scan_text("acme_secret=4f9a8c7e6d5b4a3f2e1d0c9b8a7f6e5d\n", rules, include_suppressed=True)
    assert [(f.suppressed_by.stage if f.suppressed_by else None) for f in lonely] == ["companion"]
    paired = scan_text("acme_client_id=shop\nacme_secret=4f9a8c7e6d5b4a3f2e1d0c9b8a7f6e5d\n", rules)
    assert [(f.confidence, f.companion) for f in paired] == [("high", "ACME client id at 1:1")]


def test_within_lines_counts_real_lines_of_a_diff() -> None:
    """Staged fragments hold added lines only: lines 10 and 40 are not neighbours."""
    engine = Engine(_custom())
    text = "acme_client_id=shop\nacme_secret=4f9a8c7e6d5b4a3f2e1d0c9b8a7f6e5d\n"
    near = Fragment("a.env", text, origin="staged", line_numbers=(10, 11))
    far = Fragment("a.env", text, origin="staged", line_numbers=(10, 40))
    assert [f.companion for f in scan(engine, [near]).findings] == ["ACME client id at 10:1"]
    assert scan(engine, [far]).findings == []


@pytest.mark.parametrize(
    ("companion", "message"),
    [
        ("{ rule = 'x', regex = 'y' }", "not both"),
        ("{ within_lines = 3 }", "not both"),
        ("{ rule = 'x', within_lines = 99 }", "within_lines"),
        ("{ rule = 'x', colour = 'red' }", "unknown companion key"),
        ("{ regex = '(' }", "companion regex does not compile"),
        ("'aws-access-key-id'", "must be a table"),
        ("{ rule = 'x', confidence = 'certain' }", "'confidence' must be one of"),
    ],
)
def test_malformed_companions_are_rule_errors(companion: str, message: str) -> None:
    with pytest.raises(RuleError, match=message) as raised:
        _custom(f"companion = {companion}")
    assert "custom.toml:2: rule 'acme-secret'" in str(raised.value)


def test_lint_names_an_unknown_companion_rule() -> None:
    rules = _custom("companion = { rule = 'acme-client-id' }")
    assert [problem.message for problem in lint(rules)] == [
        "companion names unknown rule(s): acme-client-id"
    ]
