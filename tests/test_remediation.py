from __future__ import annotations

import pytest

from leakguard import remediation
from leakguard.models import Rule


@pytest.mark.parametrize(
    ("kind", "category", "own", "starts"),
    [
        ("secret", "GITHUB_TOKEN", "Revoke it on GitHub.", "Revoke it on GitHub."),
        ("secret", "PASSWORD", "", "Change this password"),
        ("secret", "PRIVATE_KEY", "", "Treat the key pair as compromised"),
        ("secret", "SOMETHING_NEW", "", "Revoke or rotate this credential"),
        ("pii", "EMAIL", "", "Remove the personal data"),
        ("pii", "PASSWORD", "", "Remove the personal data"),
    ],
)
def test_own_text_first_then_type_then_kind(kind: str, category: str, own: str, starts: str) -> None:
    assert remediation.hint(kind, category, own).startswith(starts)


def test_rule_and_finding_hints_agree() -> None:
    rule = Rule(id="a", description="A", kind="secret", type="PASSWORD", regex="(a)")
    assert remediation.for_rule(rule) == remediation.hint("secret", "PASSWORD")


def test_purge_hint_says_rotate_then_rewrite_history() -> None:
    hint = remediation.PURGE_HINT
    assert hint.index("Rotate") < hint.index("git filter-repo --replace-text")
