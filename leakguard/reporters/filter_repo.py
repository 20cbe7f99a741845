"""A replacement file for ``git filter-repo --replace-text FILE``: every leaked
value, in clear, so that history can be rewritten without it.

It necessarily holds the secrets, so it is never written to standard output
(see ``CLEARTEXT_FORMATS``), its file is owner-only and the CLI warns. The
file format has no comments: every line is an expression, so nothing but the
replacements is written.
"""

from __future__ import annotations

from typing import TextIO

from leakguard.reporters import Report, ReportOptions

# Lines of a multi-line secret (a private key) shorter than this, or armor
# lines, are left alone: replacing "-----END RSA PRIVATE KEY-----" everywhere
# would rewrite documentation, and the key's body lines are what leaked.
MIN_LINE = 16


def _literals(secret: str) -> list[str]:
    if "\n" not in secret and "\r" not in secret:
        return [secret]
    lines = (line.strip() for line in secret.replace("\r", "\n").split("\n"))
    return [line for line in lines if len(line) >= MIN_LINE and not line.startswith("-----")]


def render(report: Report, stream: TextIO, options: ReportOptions) -> None:
    replacements: dict[str, str] = {}
    for finding in report.findings:
        for literal in _literals(finding.secret):
            replacements.setdefault(literal, f"***REMOVED:{finding.rule_id}***")
    for literal, replacement in sorted(replacements.items()):
        # ``literal:`` keeps a value that starts with ``regex:`` or ``glob:``
        # literal; filter-repo splits at the last ``==>``, which is ours
        stream.write(f"literal:{literal}==>{replacement}\n")
