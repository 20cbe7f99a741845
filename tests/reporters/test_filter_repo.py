from __future__ import annotations

import pytest
from report_samples import (
    GITHUB_TOKEN,
    KEY_BODY,
    MODES,
    PASSWORD,
    assert_golden,
    golden_name,
    render,
    sample_report,
)


@pytest.mark.parametrize("mode", MODES)
def test_golden(mode: str) -> None:
    assert_golden(golden_name("filter-repo", mode), render("filter-repo", sample_report(mode), show_suppressed=True))


def test_every_leaked_value_is_a_literal_with_a_labelled_replacement() -> None:
    lines = render("filter-repo", sample_report()).splitlines()
    assert f"literal:{GITHUB_TOKEN}==>***REMOVED:github-pat***" in lines
    assert f"literal:{PASSWORD}==>***REMOVED:generic-password***" in lines
    assert all(line.startswith("literal:") and line.count("==>") >= 1 for line in lines)
    assert lines == sorted(lines)


def test_a_private_key_is_replaced_line_by_line_without_its_armor() -> None:
    text = render("filter-repo", sample_report())
    for body in KEY_BODY:
        assert f"literal:{body}==>***REMOVED:private-key-rsa***\n" in text
    assert "BEGIN RSA" not in text


def test_suppressed_matches_are_not_purged() -> None:
    report = sample_report()
    text = render("filter-repo", report, show_suppressed=True)
    assert all(finding.secret not in text for finding in report.suppressed)
