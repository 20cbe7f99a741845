from __future__ import annotations

import csv
import io

import pytest
from report_samples import MODES, NEW_COMMIT, assert_golden, golden_name, render, sample_report

from leakguard.reporters.csv import COLUMNS


@pytest.mark.parametrize("mode", MODES)
def test_golden(mode: str) -> None:
    assert_golden(golden_name("csv", mode), render("csv", sample_report(mode), show_suppressed=True))


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_one_row_per_finding_under_a_fixed_header() -> None:
    text = render("csv", sample_report("history"))
    assert text.splitlines()[0] == ",".join(COLUMNS)
    table = rows(text)
    assert len(table) == 6
    assert {row["path"] for row in table} >= {"config/app prod.yml", "keys/deploy:v2,old|new.pem"}
    assert table[-1]["commit"] == NEW_COMMIT.sha and table[-1]["author"] == NEW_COMMIT.author


def test_cells_a_spreadsheet_would_run_as_formulas_are_defused() -> None:
    table = rows(render("csv", sample_report(), redact="partial"))
    notes = next(row for row in table if row["rule_id"] == "acme-api-key")
    assert notes["path"] == "'@team/notes.md"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in table for cell in row.values())


def test_suppressed_rows_say_why() -> None:
    table = rows(render("csv", sample_report(), show_suppressed=True))
    assert sorted(row["suppressed_by"].split(":")[0] for row in table if row["suppressed_by"]) == ["entropy", "pragma"]
