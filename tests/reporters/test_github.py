from __future__ import annotations

import pytest
from report_samples import MODES, assert_golden, golden_name, render, sample_report

from leakguard.reporters import Report


@pytest.mark.parametrize("mode", MODES)
def test_golden(mode: str) -> None:
    assert_golden(golden_name("github", mode), render("github", sample_report(mode), show_suppressed=True))


def test_one_annotation_per_finding_leveled_by_severity() -> None:
    lines = render("github", sample_report()).splitlines()
    assert all(line.startswith("::") for line in lines)
    levels = [line.split(" ", 1)[0] for line in lines]
    # six findings by severity, the unscanned file, then the summary notice
    assert levels.count("::error") == 3 + 1 and levels.count("::warning") == 1
    assert levels.count("::notice") == 2 + 1 and lines[-1].startswith("::notice title=leakguard::6 finding(s)")
    assert "::error file=src/settings.py,line=12,endLine=12,title=" in render("github", sample_report())


def test_properties_and_messages_are_escaped() -> None:
    text = render("github", sample_report())
    assert "file=keys/deploy%3Av2%2Cold|new.pem,line=1,endLine=4," in text
    assert "col=" not in next(line for line in text.splitlines() if "deploy" in line)


def test_a_crafted_line_cannot_start_a_workflow_command() -> None:
    report = sample_report()
    evil = report.findings[0]._replace(path="a\n::add-mask::x%0A.py",
                                       description="token\r\n::stop-commands::pwned")
    text = render("github", Report(findings=[evil]))
    assert all(line.startswith(("::error ", "::notice ")) for line in text.splitlines())
    assert "a%0A%3A%3Aadd-mask%3A%3Ax%250A.py" in text
