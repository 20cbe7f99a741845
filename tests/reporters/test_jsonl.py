from __future__ import annotations

import json

import pytest
from report_samples import MODES, assert_golden, golden_name, normalise, render, sample_report

from leakguard.reporters import Report
from leakguard.reporters.json import SCHEMA_VERSION


@pytest.mark.parametrize("mode", MODES)
def test_golden(mode: str) -> None:
    text = render("jsonl", sample_report(mode), show_suppressed=True)
    assert_golden(golden_name("jsonl", mode), normalise(text))


@pytest.mark.parametrize(("show_suppressed", "lines"), [(False, 6), (True, 8)])
def test_one_versioned_finding_per_line(show_suppressed: bool, lines: int) -> None:
    text = render("jsonl", sample_report(), show_suppressed=show_suppressed)
    records = [json.loads(line) for line in text.splitlines()]
    assert len(records) == lines and text.endswith("\n")
    assert all(record["version"] == SCHEMA_VERSION for record in records)
    assert sum("suppressed_by" in record for record in records) == lines - 6


def test_records_match_the_json_report() -> None:
    report = sample_report("history")
    document = json.loads(render("json", report))
    records = [json.loads(line) for line in render("jsonl", report).splitlines()]
    assert [{k: v for k, v in r.items() if k != "version"} for r in records] == document["findings"]


def test_clean_scan_is_an_empty_stream() -> None:
    assert render("jsonl", Report(findings=())) == ""
