"""GitHub Actions workflow commands: each finding becomes an annotation on its
file and line in the run and the pull request (``::error file=…,line=…::…``).

Values are escaped as the runner expects, so a crafted file name or line can
neither break an annotation nor start a workflow command of its own.
"""

from __future__ import annotations

from typing import TextIO

from leakguard.models import Finding
from leakguard.reporters import Report, ReportOptions
from leakguard.reporters.common import count_by_rule, errors, message, remedy, rules_by_id, scanned

_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "notice",
          "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, properties: dict[str, str | int], text: str) -> str:
    fields = ",".join(f"{key}={_property(str(value))}" for key, value in properties.items())
    return f"::{level} {fields}::{_data(text)}\n" if fields else f"::{level}::{_data(text)}\n"


def _annotation(finding: Finding, options: ReportOptions, hint: str) -> str:
    properties: dict[str, str | int] = {
        "file": finding.path,
        "line": finding.line,
        "endLine": finding.end_line,
        "title": f"leakguard: {finding.description}",
    }
    if finding.line == finding.end_line:  # the runner ignores columns across lines
        properties["col"] = finding.column
        properties["endColumn"] = finding.end_column
    text = f"{message(finding, options)} [{finding.severity}, {finding.confidence} confidence]"
    return _command(_LEVEL[finding.severity], properties, f"{text}\nFix: {hint}")


def render(report: Report, stream: TextIO, options: ReportOptions) -> None:
    rules = rules_by_id(report)
    findings = list(report.findings)
    for finding in findings:
        stream.write(_annotation(finding, options, remedy(finding, rules)))
    for item in errors(report):
        stream.write(_command("error", {"title": "leakguard: incomplete scan"},
                              f"{item.path}: {item.reason}"))
    counts = ", ".join(f"{rule} {count}" for rule, count in count_by_rule(findings).items())
    stream.write(_command(
        "notice", {"title": "leakguard"},
        f"{len(findings)} finding(s) in {scanned(report)} scanned"
        + (f": {counts}" if counts else ""),
    ))
