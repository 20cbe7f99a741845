"""What every format says the same way: the shown (masked) secret and line, a
finding's location and one-line message, its remediation, summary counts.
Masking lives here so that no format can forget it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from leakguard import remediation
from leakguard.masking import mask, mask_line
from leakguard.models import CommitInfo, Finding, Rule, Skipped
from leakguard.reporters import Report, ReportOptions

# One section per kind: reports show personal data apart from secrets,
# because the two call for different people and different fixes.
KIND_SECTIONS = (("secret", "Secrets"), ("pii", "Personal data"))

# Control characters from a scanned file must not reach a terminal (escape
# sequences can rewrite the screen or forge links) nor break a line format.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with control characters shown as ``\\xNN`` escapes (tabs kept)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def shown_secret(finding: Finding, options: ReportOptions) -> str:
    return finding.secret if options.show_secrets else mask(finding.secret, options.redact)


def shown_line(finding: Finding, options: ReportOptions) -> str:
    """The source line around the finding, with its secret and every other
    value found on the line masked, and control characters escaped."""
    if options.show_secrets:
        return printable(finding.line_text)
    return printable(mask_line(finding.line_text, finding.secret, finding.hidden, options.redact))


def location(finding: Finding) -> str:
    """``path:line:col`` (terminals and editors make it a link), with the
    notebook cell or data row when there is one."""
    where = f"{printable(finding.path)}:{finding.line}:{finding.column}"
    field = printable(finding.field) if finding.field else None
    if finding.cell is not None:
        where += f" (cell {finding.cell}, line {finding.line}"
        where += ")" if field in (None, "source") else f", {field})"
    elif finding.occurrences is not None:
        where += f" (column {field}: {finding.occurrences} values, first in row {finding.row})"
    elif finding.row is not None:
        where += f" (row {finding.row}" + (f", field {field})" if field else ")")
    elif field:  # a notebook's metadata
        where += f" ({field}, line {finding.line})"
    return where


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.path, f.line, f.column, f.rule_id))


# suppressions that judge the value itself not to be one (a version number
# read as an address, a placeholder): a summary may show such a value
NOT_SECRETS = frozenset({"validator", "placeholder", "entropy", "test-data"})


def mask_commit_summaries(report: Report, redact: str) -> Report:
    """The report with every value it found masked in the commit summaries
    it prints (a token pasted into a message's first line heads every
    finding of that commit, and is the commit record's ``summary``)."""
    commits = {f.commit for f in (*report.findings, *report.suppressed) if f.commit}
    values = {
        f.secret.split("\n", 1)[0] for f in (*report.findings, *report.suppressed)
        if f.suppressed_by is None or f.suppressed_by.stage not in NOT_SECRETS
    }
    values.discard("")
    if not commits or not values:
        return report
    import ahocorasick  # history reports only

    automaton = ahocorasick.Automaton()
    for value in values:
        automaton.add_word(value, len(value))
    automaton.make_automaton()
    masked: dict[CommitInfo, CommitInfo] = {}
    for commit in commits:
        spans = [(end + 1 - length, end + 1) for end, length in automaton.iter(commit.summary)]
        if spans:
            masked[commit] = commit._replace(summary=mask_line(commit.summary, "", spans, redact))
    if not masked:
        return report

    def hide(finding: Finding) -> Finding:
        commit = finding.commit
        return finding._replace(commit=masked[commit]) if commit in masked else finding

    return report._replace(
        findings=[hide(f) for f in report.findings],
        suppressed=[hide(f) for f in report.suppressed],
    )


def commit_line(commit: CommitInfo) -> str:
    return f"{commit.sha[:12]} by {commit.author} on {commit.date}"


def message(finding: Finding, options: ReportOptions) -> str:
    """One line saying what was found, for annotations, test cases and tables."""
    text = f"{finding.description} ({finding.rule_id}): {shown_secret(finding, options)}"
    if finding.commit is not None:
        text += f", introduced in {commit_line(finding.commit)}"
    return text


def rules_by_id(report: Report) -> dict[str, Rule]:
    return {rule.id: rule for rule in report.rules}


def remedy(finding: Finding, rules: dict[str, Rule]) -> str:
    return remediation.for_finding(finding, rules.get(finding.rule_id))


def family_hints(findings: Iterable[Finding], rules: dict[str, Rule]) -> list[tuple[str, str]]:
    """(family, hint) once per rule family that fired (a family's rules usually
    share one hint; a rule with its own hint adds a line)."""
    hints: dict[tuple[str, str], None] = {}
    for finding in findings:
        rule = rules.get(finding.rule_id)
        family = rule.family if rule is not None else finding.type.lower()
        hints[(family, remedy(finding, rules))] = None
    return sorted(hints)


def fired_rules(findings: Sequence[Finding]) -> list[tuple[str, Finding]]:
    """Each rule id that fired, with its first finding, in id order."""
    first: dict[str, Finding] = {}
    for finding in findings:
        first.setdefault(finding.rule_id, finding)
    return sorted(first.items())


def human_size(count: float) -> str:
    for unit in ("B", "KB", "MB"):
        if count < 1024:
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} GB"


def count_by_rule(findings: Iterable[Finding]) -> dict[str, int]:
    return dict(sorted(Counter(f.rule_id for f in findings).items()))


def count_by_stage(suppressed: Iterable[Finding]) -> dict[str, int]:
    """How many matches each pipeline stage suppressed (entropy, allowlist, …)."""
    stages = Counter(f.suppressed_by.stage for f in suppressed if f.suppressed_by is not None)
    return dict(sorted(stages.items()))


def errors(report: Report) -> list[Skipped]:
    """What could not be scanned: the scan is incomplete."""
    return [item for item in report.skipped if item.error]


def skipped(report: Report) -> list[Skipped]:
    return [item for item in report.skipped if not item.error]


def scanned(report: Report) -> str:
    """``9 file(s)``, or ``9 blob(s)`` for a history scan, which counts contents."""
    return f"{report.files} {'blob(s)' if report.mode == 'history' else 'file(s)'}"


def in_history(report: Report) -> bool:
    return report.mode == "history" or any(f.commit is not None for f in report.findings)
