"""JSON: the machine-readable contract (``version`` 1, documented in README)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from leakguard import __version__
from leakguard.models import CommitInfo, Finding, Rule
from leakguard.reporters import Report, ReportOptions
from leakguard.reporters.common import (
    count_by_rule,
    count_by_stage,
    errors,
    remedy,
    rules_by_id,
    shown_secret,
    skipped,
)

SCHEMA_VERSION = 1


def commit_record(commit: CommitInfo) -> dict[str, str]:
    return {
        "sha": commit.sha,
        "author": commit.author,
        "email": commit.email,
        "date": commit.date,
        "summary": commit.summary,
    }


def finding_record(
    finding: Finding, options: ReportOptions, rules: dict[str, Rule] | None = None
) -> dict[str, Any]:
    commit = finding.commit
    record: dict[str, Any] = {
        "rule_id": finding.rule_id,
        "kind": finding.kind,
        "type": finding.type,
        "description": finding.description,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "secret": shown_secret(finding, options),
        "fingerprint": finding.fingerprint,
        "confidence": finding.confidence,
        "severity": finding.severity,
        "entropy": finding.entropy,
        "origin": finding.origin,
        "commit": None if commit is None else commit_record(commit),
        "remediation": remedy(finding, rules or {}),
    }
    if finding.validation:  # why the confidence is what it is
        record["validation"] = finding.validation
    for key, attribute in (
        ("cell", "cell"), ("row", "row"), ("field", "field"), ("count", "occurrences"),
        ("decoded_from", "decoded_from"), ("companion", "companion"),
    ):
        value = getattr(finding, attribute)
        if value is not None:
            record[key] = value
    if finding.suppressed_by is not None:
        record["suppressed_by"] = {
            "stage": finding.suppressed_by.stage,
            "reason": finding.suppressed_by.reason,
        }
    return record


def document(report: Report, options: ReportOptions) -> dict[str, Any]:
    findings = report.findings
    rules = rules_by_id(report)
    result: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "leakguard", "version": __version__},
        "mode": report.mode,
        "findings": [finding_record(finding, options, rules) for finding in findings],
        "summary": {
            "findings": len(findings),
            "by_kind": dict(sorted(Counter(f.kind for f in findings).items())),
            "by_rule": count_by_rule(findings),
            "files_scanned": report.files,
            "bytes_scanned": report.bytes,
            "duration_seconds": round(report.seconds, 3),
            "suppressed": len(report.suppressed),
            "suppressed_by_stage": count_by_stage(report.suppressed),
            "skipped": [{"path": item.path, "reason": item.reason} for item in skipped(report)],
            "errors": [{"path": item.path, "reason": item.reason} for item in errors(report)],
            "commits_scanned": report.commits,
            "notes": list(report.notes),
        },
    }
    if options.show_suppressed:
        result["suppressed"] = [finding_record(f, options, rules) for f in report.suppressed]
    return result


def render(report: Report, stream: TextIO, options: ReportOptions) -> None:
    # one write: json.dump would make a write call per token, 100 ms on 3,000 findings
    stream.write(json.dumps(document(report, options), indent=2, ensure_ascii=False) + "\n")
