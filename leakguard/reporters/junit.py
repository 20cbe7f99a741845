"""JUnit XML, for CI dashboards that show test results: one failing test case
per finding (grouped by file through ``classname``), one erroring case per
item that could not be scanned, and one passing case when all is clean, so a
dashboard never shows an empty run as a pass it cannot see."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from leakguard.models import Finding
from leakguard.reporters import Report, ReportOptions
from leakguard.reporters.common import (
    commit_line,
    errors,
    location,
    message,
    remedy,
    rules_by_id,
    shown_line,
)

# Characters XML 1.0 cannot carry at all, even escaped (control characters
# from a binary-ish line): replaced, or the whole report would not parse.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _details(finding: Finding, options: ReportOptions, remediation: str) -> str:
    lines = [
        f"{location(finding)}  {finding.rule_id}  "
        f"[{finding.severity}, {finding.confidence} confidence]",
        f"type: {finding.type}, kind: {finding.kind}, fingerprint: {finding.fingerprint}",
    ]
    if finding.commit is not None:
        lines.append(f"introduced in {commit_line(finding.commit)}")
    line = shown_line(finding, options).strip()
    if line:
        lines.append(f"| {line}")
    lines.append(f"fix: {remediation}")
    return "\n".join(lines)


def _case(suite: ET.Element, classname: str, name: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", classname=_clean(classname), name=_clean(name),
                         time="0")


def render(report: Report, stream: TextIO, options: ReportOptions) -> None:
    rules = rules_by_id(report)
    findings = list(report.findings)
    failed = errors(report)
    root = ET.Element("testsuites", name="leakguard")
    suite = ET.SubElement(
        root, "testsuite", name="leakguard",
        tests=str(max(1, len(findings) + len(failed))), failures=str(len(findings)),
        errors=str(len(failed)), skipped="0", time=f"{report.seconds:.3f}",
    )
    for finding in findings:
        case = _case(suite, finding.path, f"{finding.rule_id} at {location(finding)}")
        failure = ET.SubElement(
            case, "failure", message=_clean(message(finding, options)), type=finding.severity
        )
        failure.text = _clean(_details(finding, options, remedy(finding, rules)))
    for item in failed:
        case = _case(suite, item.path, f"scan {item.path}")
        ET.SubElement(case, "error", message=_clean(item.reason), type="incomplete-scan")
    if not findings and not failed:
        _case(suite, "leakguard", "no leaks found")
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
