"""JSON Lines: one finding per line, each the JSON report's finding record plus
``version``, so a stream can be filtered with grep and read line by line.
Suppressed matches follow (with ``suppressed_by``) under --show-suppressed."""

from __future__ import annotations

import json
from typing import TextIO

from leakguard.reporters import Report, ReportOptions
from leakguard.reporters.common import rules_by_id
from leakguard.reporters.json import SCHEMA_VERSION, finding_record


def render(report: Report, stream: TextIO, options: ReportOptions) -> None:
    rules = rules_by_id(report)
    findings = list(report.findings)
    if options.show_suppressed:
        findings.extend(report.suppressed)
    for finding in findings:
        record = {"version": SCHEMA_VERSION, **finding_record(finding, options, rules)}
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")
