"""The human report: secrets, then personal data, each grouped by file (by
commit for history scans), secrets masked; then how to fix what was found and
a summary."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import TextIO

from leakguard.models import Finding, Rule
from leakguard.remediation import PURGE_HINT
from leakguard.reporters import Report, ReportOptions
from leakguard.reporters.common import (
    KIND_SECTIONS,
    commit_line,
    count_by_rule,
    count_by_stage,
    errors,
    family_hints,
    human_size,
    in_history,
    location,
    ordered,
    printable,
    rules_by_id,
    scanned,
    shown_line,
    shown_secret,
    skipped,
)

_COLORS = {"red": "31", "yellow": "33", "dim": "2", "bold": "1", "cyan": "36", "green": "32"}
_SEVERITY_COLOR = {
    "critical": "red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim",
}
SHORT_ID = 12
# Files over the size limit are named (they may hold a leak), up to this many:
# other skips (binaries, lock files) are only counted
SHOWN_TOO_LARGE = 5


def _paint(text: str, color: str, enabled: bool) -> str:
    return f"\033[{_COLORS[color]}m{text}\033[0m" if enabled else text


def _write_finding(
    finding: Finding, stream: TextIO, options: ReportOptions, commit_shown: bool
) -> None:
    color = options.color
    severity = _paint(finding.severity, _SEVERITY_COLOR[finding.severity], color)
    stream.write(
        f"  {_paint(location(finding), 'bold', color)}  {finding.rule_id}  "
        f"[{severity}, {finding.confidence} confidence]  "
        f"{_paint('id ' + finding.fingerprint[:SHORT_ID], 'dim', color)}\n"
    )
    stream.write(f"      {finding.description}: {shown_secret(finding, options)}\n")
    if finding.decoded_from is not None:
        stream.write(f"      decoded from {finding.decoded_from} at this position\n")
    if finding.companion is not None:
        stream.write(f"      paired with {printable(finding.companion)}\n")
    if finding.commit is not None and not commit_shown:
        stream.write(f"      introduced in {printable(commit_line(finding.commit))}\n")
    line = shown_line(finding, options).strip()
    if line:
        stream.write(_paint(f"      | {line}\n", "dim", color))
    if finding.suppressed_by is not None:
        stream.write(
            f"      suppressed ({finding.suppressed_by.stage}): {finding.suppressed_by.reason}\n"
        )


def _by_file(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    grouped = groupby(ordered(findings), lambda f: f.path)
    return [(printable(path), list(group)) for path, group in grouped]


def _by_commit(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Oldest commit first: the order in which the leaks happened."""
    def key(finding: Finding) -> tuple[str, str]:
        commit = finding.commit
        return ("", "") if commit is None else (commit.date, commit.sha)

    groups = []
    for _, group in groupby(sorted(findings, key=key), key):
        members = ordered(group)
        commit = members[0].commit
        if commit is None:
            heading = "not in a commit"
        else:
            summary = f"  {commit.summary}" if commit.summary else ""
            heading = f"commit {commit.sha[:12]}  {commit.author}  {commit.date}{summary}"
        groups.append((printable(heading), members))
    return groups


def _write_groups(
    findings: list[Finding],
    group: Callable[[list[Finding]], list[tuple[str, list[Finding]]]],
    stream: TextIO,
    options: ReportOptions,
) -> None:
    for heading, members in group(findings):
        stream.write(f"{_paint(heading, 'bold', options.color)}\n")
        for finding in members:
            _write_finding(finding, stream, options, commit_shown=group is _by_commit)
        stream.write("\n")


def _write_remediation(
    findings: list[Finding], rules: dict[str, Rule], history: bool, stream: TextIO
) -> None:
    stream.write("How to fix:\n")
    for family, hint in family_hints(findings, rules):
        stream.write(f"  {family}: {hint}\n")
    if history:
        stream.write(f"  history: {PURGE_HINT}\n")
    stream.write("\n")


def _count_of(count: int, kind: str) -> str:
    """``1 secret``, ``2 secrets``, ``3 personal data``."""
    if kind == "pii":
        return f"{count} personal data"
    return f"{count} {kind}" if count == 1 else f"{count} {kind}s"


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items())


def _summary(report: Report, findings: list[Finding], color: bool) -> str:
    suppressed = len(report.suppressed)
    stages = count_by_stage(report.suppressed)
    lines = [
        f"Scanned {scanned(report)}, {human_size(report.bytes)} in {report.seconds:.2f} s: "
        f"{len(findings)} finding(s), {suppressed} suppressed"
        + (f" ({_counts(stages)})" if stages else "")
        + f", {len(skipped(report))} skipped"
    ]
    failed = errors(report)
    if failed:
        lines[0] += f", {len(failed)} error(s) - the scan is incomplete"
    if findings:
        lines.append(f"Findings by rule: {_counts(count_by_rule(findings))}")
    elif not failed:
        unread = any(item.too_large for item in skipped(report))
        verdict = "No leaks found in what was scanned. " if unread else "No leaks found. "
        lines[0] = _paint(verdict, "green", color) + lines[0]
    return "\n".join(lines) + "\n"


def render(report: Report, stream: TextIO, options: ReportOptions) -> None:
    findings = list(report.findings)
    color = options.color
    history = in_history(report)
    group = _by_commit if history else _by_file
    if findings:
        counts = ", ".join(
            _count_of(sum(f.kind == kind for f in findings), kind)
            for kind, _ in KIND_SECTIONS
            if any(f.kind == kind for f in findings)
        )
        header = f"leakguard found {len(findings)} leak(s) ({counts})"
        stream.write(_paint(header, "red", color) + "\n\n")
        for kind, title in KIND_SECTIONS:
            members = [f for f in findings if f.kind == kind]
            if members:
                stream.write(_paint(f"{title} ({len(members)})", "red", color) + "\n\n")
                _write_groups(members, group, stream, options)
        _write_remediation(findings, rules_by_id(report), history, stream)
    if options.show_suppressed and report.suppressed:
        stream.write(_paint(f"Suppressed ({len(report.suppressed)}):", "dim", color) + "\n")
        _write_groups(list(report.suppressed), group, stream, options)
    for item in errors(report):
        stream.write(_paint(printable(f"error: {item.path}: {item.reason}"), "red", color) + "\n")
    too_large = [item.path for item in skipped(report) if item.too_large]
    if too_large:
        shown = ", ".join(printable(path) for path in too_large[:SHOWN_TOO_LARGE])
        more = len(too_large) - SHOWN_TOO_LARGE
        stream.write(
            f"note: not scanned, over the size limit: {shown}"
            + (f" and {more} more" if more > 0 else "")
            + " (--max-file-size raises it)\n"
        )
    for note in report.notes:
        stream.write(f"note: {note}\n")
    stream.write(_summary(report, findings, color))
    if findings and not options.show_secrets:
        stream.write(
            "Secrets are masked. leakguard explain ID shows how a finding was decided.\n"
        )
