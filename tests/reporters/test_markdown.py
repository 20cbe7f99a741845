from __future__ import annotations

import pytest
from report_samples import MODES, assert_golden, golden_name, render, sample_report

from leakguard.reporters import Report
from leakguard.reporters.markdown import MAX_ROWS


@pytest.mark.parametrize("mode", MODES)
def test_golden(mode: str) -> None:
    assert_golden(golden_name("markdown", mode), render("markdown", sample_report(mode), show_suppressed=True))


def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ")]


def test_every_row_has_as_many_cells_as_its_header() -> None:
    for mode, columns in (("files", 5), ("history", 6)):
        for row in table_rows(render("markdown", sample_report(mode))):
            # cell separators are the unescaped pipes
            assert row.replace("\\|", "").count("|") == columns + 1, row


def test_secrets_and_personal_data_have_separate_tables_and_fixes() -> None:
    text = render("markdown", sample_report("history"))
    assert text.index("### Secrets (5)") < text.index("### Personal data (1)") < text.index("### How to fix")
    assert "- **history**: These values are in git history" in text
    assert "`9f8e7d6c5b4a` Grace Hopper" in text


def test_long_reports_are_cut_for_a_comment() -> None:
    first = sample_report().findings[0]
    many = [first._replace(line=n, fingerprint=str(n)) for n in range(MAX_ROWS + 5)]
    text = render("markdown", Report(findings=many))
    assert len(table_rows(text)) == MAX_ROWS + 1 and "and 5 more" in text


def test_clean_and_incomplete_headlines() -> None:
    assert render("markdown", Report(findings=())).startswith("## leakguard: no leaks found")
    incomplete = sample_report()._replace(findings=())
    assert render("markdown", incomplete).startswith("## leakguard: scan incomplete")
