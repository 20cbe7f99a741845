from __future__ import annotations

import pytest
from report_samples import MODES, assert_golden, golden_name, render, sample_report

from leakguard.remediation import PURGE_HINT


@pytest.mark.parametrize("mode", MODES)
def test_golden(mode: str) -> None:
    assert_golden(golden_name("text", mode), render("text", sample_report(mode), show_suppressed=True))


def test_personal_data_has_its_own_section_after_secrets() -> None:
    text = render("text", sample_report())
    secrets, personal = text.index("Secrets (5)"), text.index("Personal data (1)")
    assert secrets < personal < text.index("How to fix:")
    assert "data/users.csv:4:" in text[personal:text.index("How to fix:")]
    assert "data/users.csv" not in text[secrets:personal]


def test_history_groups_by_commit_oldest_first_and_says_how_to_purge() -> None:
    text = render("text", sample_report("history"))
    old, new = text.index("commit 1a2b3c4d5e6f"), text.index("commit 9f8e7d6c5b4a")
    assert old < text.index("src/settings.py:12:") < new
    assert "git filter-repo --replace-text" in text and PURGE_HINT in text
    assert "git filter-repo" not in render("text", sample_report("files"))


def test_one_remediation_line_per_family_rule_text_first_then_fallback() -> None:
    text = render("text", sample_report())
    fixes = text[text.index("How to fix:"):].split("\n\n", 1)[0].splitlines()[1:]
    assert "  github: Revoke the token on GitHub, then use a fine-grained one." in fixes
    # generic-password and generic-token have no text of their own: type fallbacks
    assert any(line.startswith("  generic: Change this password") for line in fixes)
    assert any(line.startswith("  acme_key: Revoke or rotate") for line in fixes)
    assert any(line.startswith("  pii: Remove the personal data") for line in fixes)


def test_summary_counts_rules_stages_skips_and_errors() -> None:
    text = render("text", sample_report())
    assert "Scanned 9 file(s), 1.2 MB in 0.25 s: 6 finding(s), 2 suppressed (entropy 1, pragma 1)" in text
    assert "1 skipped, 1 error(s) - the scan is incomplete" in text
    assert "Findings by rule: acme-api-key 1, email-address 1, generic-password 1," in text
    assert "Scanned 9 blob(s)" in render("text", sample_report("history"))


def test_suppressed_matches_are_listed_only_on_request() -> None:
    assert "suppressed (pragma)" not in render("text", sample_report())
    assert "suppressed (pragma): leakguard:allow on this line" in render(
        "text", sample_report(), show_suppressed=True
    )


def test_control_characters_from_files_never_reach_the_terminal() -> None:
    text = render("text", sample_report())
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b[2J\\x07" in text


def test_color_only_when_asked() -> None:
    assert "\x1b[" not in render("text", sample_report())
    assert "\x1b[31m" in render("text", sample_report(), color=True)


@pytest.mark.parametrize(
    ("kinds", "counted"),
    [(["secret"], "1 secret"), (["secret", "secret"], "2 secrets"),
     (["secret", "pii", "pii"], "1 secret, 2 personal data")],
)
def test_the_heading_counts_findings_by_kind_in_words(kinds: list[str], counted: str) -> None:
    report = sample_report()
    findings = [f._replace(kind=kind) for f, kind in zip(report.findings[: len(kinds)], kinds, strict=True)]
    text = render("text", report._replace(findings=tuple(findings)))
    assert text.startswith(f"leakguard found {len(kinds)} leak(s) ({counted})\n")
