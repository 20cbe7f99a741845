"""SARIF 2.1.0, for code-scanning dashboards (GitHub, Azure DevOps, IDEs).

One ``tool.driver.rules`` entry per rule that fired, with its remediation as
help text and a ``security-severity`` score; one result per finding located
relative to the repository root; the content fingerprint as a partial
fingerprint, so dashboards track a leak across moved lines as we do.
"""

from __future__ import annotations

import json
from typing import Any, TextIO
from urllib.parse import quote

from leakguard import __version__, remediation
from leakguard.archives import split_member
from leakguard.models import Finding, Rule
from leakguard.reporters import Report, ReportOptions
from leakguard.reporters.common import (
    count_by_rule,
    count_by_stage,
    errors,
    fired_rules,
    message,
    rules_by_id,
    shown_line,
    shown_secret,
)
from leakguard.reporters.json import commit_record

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "leakguard/v1"

# Scores on the 0-10 scale code-scanning dashboards bucket into critical (9+),
# high (7+), medium (4+) and low.
_SECURITY_SEVERITY = {
    "critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0",
}
_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}


def _rule_entry(rule_id: str, first: Finding, rule: Rule | None) -> dict[str, Any]:
    description = rule.description if rule else first.description
    severity = rule.severity if rule else first.severity
    kind = rule.kind if rule else first.kind
    category = rule.type if rule else first.type
    hint = remediation.for_rule(rule) if rule else remediation.for_finding(first)
    return {
        "id": rule_id,
        "shortDescription": {"text": description},
        "fullDescription": {"text": f"{description} ({kind}, {category})"},
        "help": {"text": hint, "markdown": f"**{description}**\n\n{hint}"},
        "defaultConfiguration": {"level": _LEVEL[severity]},
        "properties": {
            "security-severity": _SECURITY_SEVERITY[severity],
            "precision": rule.confidence if rule else first.confidence,
            "tags": ["security", kind, category],
        },
    }


def _region(finding: Finding) -> dict[str, Any]:
    return {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
    }


def _uri(path: str) -> str:
    """A relative URI reference; undecodable bytes of a file name (kept as
    surrogates) are percent-encoded as the bytes they were."""
    return quote(path, errors="surrogateescape")


def _location(finding: Finding, options: ReportOptions) -> dict[str, Any]:
    archive, member = split_member(finding.path)
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": _uri(archive), "uriBaseId": "%SRCROOT%"},
        # in a member of an archive, the archive itself (a file code-scanning
        # UIs can open); where in the member is in the result's properties
        "region": {"startLine": 1} if member else _region(finding),
    }
    line = shown_line(finding, options)
    if line.strip():
        physical["contextRegion"] = {
            "startLine": physical["region"]["startLine"], "snippet": {"text": line}
        }
    return {"physicalLocation": physical}


def _result(finding: Finding, index: int, options: ReportOptions) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "kind": finding.kind,
        "type": finding.type,
        "severity": finding.severity,
        "confidence": finding.confidence,
        "entropy": finding.entropy,
        "secret": shown_secret(finding, options),
        "origin": finding.origin,
    }
    if finding.commit is not None:
        properties["commit"] = commit_record(finding.commit)
    if finding.validation:  # why the confidence is what it is
        properties["validation"] = finding.validation
    for key in ("cell", "row", "field", "decoded_from", "companion"):
        value = getattr(finding, key)
        if value is not None:
            properties[key] = value
    member = split_member(finding.path)[1]
    if member:
        properties["member"] = {"path": member, **_region(finding)}
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": index,
        "level": _LEVEL[finding.severity],
        "message": {"text": message(finding, options)},
        "locations": [_location(finding, options)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }
    decision = finding.suppressed_by
    if decision is not None:
        result["suppressions"] = [{
            "kind": "inSource" if decision.stage == "pragma" else "external",
            "justification": f"{decision.stage}: {decision.reason}",
        }]
    return result


def document(report: Report, options: ReportOptions) -> dict[str, Any]:
    shown = list(report.findings)
    if options.show_suppressed:
        shown.extend(report.suppressed)
    rules = rules_by_id(report)
    fired = fired_rules(shown)
    index = {rule_id: number for number, (rule_id, _) in enumerate(fired)}
    failed = errors(report)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "leakguard",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [
                    _rule_entry(rule_id, first, rules.get(rule_id)) for rule_id, first in fired
                ],
            }},
            # our columns count code points, not the UTF-16 units SARIF assumes
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": not failed,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": f"{item.path}: {item.reason}"}}
                    for item in failed
                ],
            }],
            "results": [_result(f, index[f.rule_id], options) for f in shown],
            "properties": {
                "mode": report.mode,
                "filesScanned": report.files,
                "bytesScanned": report.bytes,
                "findingsByRule": count_by_rule(report.findings),
                "suppressedByStage": count_by_stage(report.suppressed),
            },
        }],
    }


def render(report: Report, stream: TextIO, options: ReportOptions) -> None:
    json.dump(document(report, options), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
