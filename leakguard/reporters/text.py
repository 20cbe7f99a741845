"""The human report: findings grouped by file, secrets masked, a summary last."""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from typing import TextIO

from leakguard.masking import mask, mask_in_line
from leakguard.models import Finding
from leakguard.reporters import Report, ReportOptions

_COLORS = {"red": "31", "yellow": "33", "dim": "2", "bold": "1", "cyan": "36", "green": "32"}
_SEVERITY_COLOR = {
    "critical": "red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim",
}


def _paint(text: str, color: str, enabled: bool) -> str:
    return f"\033[{_COLORS[color]}m{text}\033[0m" if enabled else text


def _location(finding: Finding) -> str:
    where = f"{finding.path}:{finding.line}:{finding.column}"
    if finding.cell is not None:
        where += f" (cell {finding.cell}, line {finding.line}"
        where += ")" if finding.field in (None, "source") else f", {finding.field})"
    elif finding.count is not None:
        where += f" (column {finding.field}: {finding.count} values, first in row {finding.row})"
    elif finding.row is not None:
        where += f" (row {finding.row}" + (f", field {finding.field})" if finding.field else ")")
    return where


def _shown(finding: Finding, options: ReportOptions) -> tuple[str, str]:
    if options.show_secrets:
        return finding.secret, finding.line_text
    return (
        mask(finding.secret, options.redact),
        mask_in_line(finding.line_text, finding.secret, options.redact),
    )


def _write_finding(finding: Finding, stream: TextIO, options: ReportOptions) -> None:
    color = options.color
    secret, line = _shown(finding, options)
    severity = _paint(finding.severity, _SEVERITY_COLOR[finding.severity], color)
    stream.write(
        f"  {_paint(_location(finding), 'bold', color)}  {finding.rule_id}  "
        f"[{severity}, {finding.confidence} confidence]\n"
    )
    stream.write(f"      {finding.description}: {secret}\n")
    if finding.commit is not None:
        commit = finding.commit
        stream.write(
            f"      introduced in {commit.sha[:12]} by {commit.author} on {commit.date}\n"
        )
    if line.strip():
        stream.write(_paint(f"      | {line.strip()}\n", "dim", color))
    if finding.suppressed_by is not None:
        stream.write(
            f"      suppressed ({finding.suppressed_by.stage}): {finding.suppressed_by.reason}\n"
        )


def _write_group(findings: list[Finding], stream: TextIO, options: ReportOptions) -> None:
    ordered = sorted(findings, key=lambda f: (f.path, f.line, f.column, f.rule_id))
    for path, group in groupby(ordered, key=lambda f: f.path):
        stream.write(f"{_paint(path, 'bold', options.color)}\n")
        for finding in group:
            _write_finding(finding, stream, options)
        stream.write("\n")


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024  # type: ignore[assignment]
    return f"{count} B"


def render(report: Report, stream: TextIO, options: ReportOptions) -> None:
    findings = list(report.findings)
    color = options.color
    if findings:
        kinds = Counter(f.kind for f in findings)
        parts = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
        header = f"leakguard found {len(findings)} leak(s) ({parts})"
        stream.write(_paint(header, "red", color) + "\n\n")
        # personal data is a different problem (remove or anonymise it, not
        # rotate it), so it gets a section of its own
        personal = [f for f in findings if f.kind == "pii"]
        secrets = [f for f in findings if f.kind != "pii"]
        if not personal:
            _write_group(findings, stream, options)
        for title, group in (("Secrets", secrets), ("Personal data", personal)):
            if group and personal:
                stream.write(_paint(f"{title} ({len(group)}):", "bold", color) + "\n")
                _write_group(group, stream, options)
    if options.show_suppressed and report.suppressed:
        stream.write(_paint(f"Suppressed ({len(report.suppressed)}):", "dim", color) + "\n")
        _write_group(list(report.suppressed), stream, options)
    errors = [item for item in report.skipped if item.error]
    for item in errors:
        stream.write(_paint(f"error: {item.path}: {item.reason}", "red", color) + "\n")
    for note in report.notes:
        stream.write(f"note: {note}\n")
    skipped = [item for item in report.skipped if not item.error]
    summary = (
        f"Scanned {report.files} file(s), {_size(report.bytes)} in {report.seconds:.2f} s: "
        f"{len(findings)} finding(s), {len(report.suppressed)} suppressed, "
        f"{len(skipped)} skipped"
    )
    if errors:
        summary += f", {len(errors)} error(s) - the scan is incomplete"
    if not findings and not errors:
        summary = _paint("No leaks found. ", "green", color) + summary
    stream.write(summary + "\n")
    if findings and not options.show_secrets:
        stream.write(
            "Secrets are masked; rotate any real credential found here, then remove it "
            "from the code.\n"
        )
