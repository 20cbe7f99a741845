"""Markdown: a summary table for a pull-request comment or
``$GITHUB_STEP_SUMMARY``. Long reports are cut at ``MAX_ROWS`` rows so the
comment stays within what a code host accepts; the other formats keep all."""

from __future__ import annotations

import re
from typing import TextIO

from leakguard.models import Finding
from leakguard.remediation import PURGE_HINT
from leakguard.reporters import Report, ReportOptions
from leakguard.reporters.common import (
    KIND_SECTIONS,
    count_by_stage,
    errors,
    family_hints,
    human_size,
    in_history,
    location,
    ordered,
    rules_by_id,
    scanned,
    shown_secret,
    skipped,
)

MAX_ROWS = 200
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def _text(value: str) -> str:
    """Plain text in a cell: markup characters and line breaks neutralised."""
    return _SPECIAL.sub(r"\\\1", " ".join(value.split()))


def _code(value: str) -> str:
    """A code span that survives a table cell (``|`` still splits cells there)."""
    value = " ".join(value.split()).replace("|", "\\|")
    fence = "``" if "`" in value else "`"
    return f"{fence} {value} {fence}" if fence == "``" else f"`{value}`"


def _table(findings: list[Finding], options: ReportOptions, history: bool) -> list[str]:
    header = "| Severity | Rule | Location | Secret | Confidence |"
    rule = "|---|---|---|---|---|"
    if history:
        header += " Commit |"
        rule += "---|"
    rows = [header, rule]
    for finding in findings[:MAX_ROWS]:
        row = (
            f"| {finding.severity} | {_code(finding.rule_id)} | {_code(location(finding))} "
            f"| {_code(shown_secret(finding, options))} | {finding.confidence} |"
        )
        if history:
            commit = finding.commit
            introduced = f"{_code(commit.sha[:12])} {_text(commit.author)}" if commit else ""
            row += f" {introduced} |"
        rows.append(row)
    if len(findings) > MAX_ROWS:
        rows.append(f"\n…and {len(findings) - MAX_ROWS} more: see the full report.")
    return rows


def render(report: Report, stream: TextIO, options: ReportOptions) -> None:
    findings = ordered(report.findings)
    history = in_history(report)
    failed = errors(report)
    lines: list[str] = []
    if findings:
        lines.append(f"## leakguard: {len(findings)} leak(s) found")
    elif failed:
        lines.append("## leakguard: scan incomplete")
    else:
        lines.append("## leakguard: no leaks found")
    for kind, title in KIND_SECTIONS:
        members = [f for f in findings if f.kind == kind]
        if members:
            lines += ["", f"### {title} ({len(members)})", "", *_table(members, options, history)]
    if findings:
        lines += ["", "### How to fix", ""]
        lines += [
            f"- **{_text(family)}**: {_text(hint)}"
            for family, hint in family_hints(findings, rules_by_id(report))
        ]
        if history:
            lines.append(f"- **history**: {_text(PURGE_HINT)}")
    if failed:
        lines += ["", "### Not scanned", ""]
        lines += [f"- {_code(item.path)}: {_text(item.reason)}" for item in failed]
    stages = count_by_stage(report.suppressed)
    suppressed = ", ".join(f"{stage} {count}" for stage, count in stages.items())
    lines += [
        "",
        f"Scanned {scanned(report)} ({human_size(report.bytes)}) in "
        f"{report.seconds:.2f} s; {len(report.suppressed)} suppressed"
        + (f" ({suppressed})" if suppressed else "")
        + f"; {len(skipped(report))} skipped. Secrets are "
        + ("shown in clear." if options.show_secrets else "masked."),
    ]
    stream.write("\n".join(lines) + "\n")
