from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from report_samples import MODES, assert_golden, golden_name, render, sample_report

from leakguard.reporters import Report


@pytest.mark.parametrize("mode", MODES)
def test_golden(mode: str) -> None:
    assert_golden(golden_name("junit", mode), render("junit", sample_report(mode), show_suppressed=True))


@pytest.mark.parametrize("mode", MODES)
def test_parses_with_the_standard_library_one_failing_case_per_finding(mode: str) -> None:
    root = ET.fromstring(render("junit", sample_report(mode)))
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    failures = [case for case in cases if case.find("failure") is not None]
    errors = [case for case in cases if case.find("error") is not None]
    assert (len(failures), len(errors)) == (6, 1)
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("7", "6", "1")
    assert {case.get("classname") for case in failures} >= {"src/settings.py", "data/users.csv"}


def test_control_characters_that_xml_cannot_carry_are_replaced() -> None:
    text = render("junit", sample_report(), show_secrets=True)
    ET.fromstring(text)
    assert "\x07" not in text and "\x1b" not in text


def test_clean_scan_has_one_passing_case() -> None:
    root = ET.fromstring(render("junit", Report(findings=())))
    [case] = root.iter("testcase")
    assert case.get("name") == "no leaks found" and len(case) == 0


def test_failure_text_carries_location_fingerprint_and_fix() -> None:
    report = sample_report()
    root = ET.fromstring(render("junit", report))
    github = next(f for f in report.findings if f.rule_id == "github-pat")
    failure = next(c.find("failure") for c in root.iter("testcase") if c.get("classname") == "src/settings.py")
    assert failure is not None and failure.text is not None
    assert github.fingerprint in failure.text and "src/settings.py:12:17" in failure.text
    assert "fix: Revoke the token on GitHub" in failure.text
