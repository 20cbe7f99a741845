"""JSON: the machine-readable contract (``version`` 1, documented in README)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from leakguard import __version__
from leakguard.masking import mask
from leakguard.models import CommitInfo, Finding
from leakguard.reporters import Report, ReportOptions

SCHEMA_VERSION = 1


def commit_record(commit: CommitInfo) -> dict[str, str]:
    return {"sha": commit.sha, "author": commit.author, "email": commit.email, "date": commit.date}


def finding_record(finding: Finding, options: ReportOptions) -> dict[str, Any]:
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
        "secret": finding.secret if options.show_secrets else mask(finding.secret, options.redact),
        "fingerprint": finding.fingerprint,
        "confidence": finding.confidence,
        "severity": finding.severity,
        "entropy": finding.entropy,
        "origin": finding.origin,
        "commit": None if commit is None else commit_record(commit),
    }
    for key in ("cell", "row", "field", "count", "decoded_from"):
        value = getattr(finding, key)
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
    result: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "leakguard", "version": __version__},
        "findings": [finding_record(finding, options) for finding in findings],
        "summary": {
            "findings": len(findings),
            "by_kind": dict(sorted(Counter(f.kind for f in findings).items())),
            "by_rule": dict(sorted(Counter(f.rule_id for f in findings).items())),
            "files_scanned": report.files,
            "bytes_scanned": report.bytes,
            "duration_seconds": round(report.seconds, 3),
            "suppressed": len(report.suppressed),
            "skipped": [
                {"path": item.path, "reason": item.reason}
                for item in report.skipped
                if not item.error
            ],
            "errors": [
                {"path": item.path, "reason": item.reason}
                for item in report.skipped
                if item.error
            ],
        },
    }
    if options.show_suppressed:
        result["suppressed"] = [finding_record(f, options) for f in report.suppressed]
    return result


def render(report: Report, stream: TextIO, options: ReportOptions) -> None:
    json.dump(document(report, options), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
