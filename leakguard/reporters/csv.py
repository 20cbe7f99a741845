"""CSV: one row per finding, for spreadsheets and ticket imports.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) get a leading apostrophe: a file
name or a secret must never execute when the report is opened.
"""

from __future__ import annotations

import csv
from typing import TextIO

from leakguard.models import Finding
from leakguard.reporters import Report, ReportOptions
from leakguard.reporters.common import remedy, rules_by_id, shown_secret

COLUMNS = (
    "rule_id", "kind", "type", "severity", "confidence", "path", "line", "column",
    "end_line", "end_column", "secret", "fingerprint", "entropy", "origin",
    "commit", "author", "email", "date", "description", "remediation", "suppressed_by",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str | int | float:
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _row(finding: Finding, options: ReportOptions, remediation: str) -> list[str | int | float]:
    commit = finding.commit
    decision = finding.suppressed_by
    values: list[object] = [
        finding.rule_id, finding.kind, finding.type, finding.severity, finding.confidence,
        finding.path, finding.line, finding.column, finding.end_line, finding.end_column,
        shown_secret(finding, options), finding.fingerprint, finding.entropy, finding.origin,
        commit.sha if commit else "", commit.author if commit else "",
        commit.email if commit else "", commit.date if commit else "",
        finding.description, remediation,
        f"{decision.stage}: {decision.reason}" if decision else "",
    ]
    return [_cell(value) for value in values]


def render(report: Report, stream: TextIO, options: ReportOptions) -> None:
    rules = rules_by_id(report)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    findings = list(report.findings)
    if options.show_suppressed:
        findings.extend(report.suppressed)
    for finding in findings:
        writer.writerow(_row(finding, options, remedy(finding, rules)))
