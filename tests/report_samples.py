"""The hand-made findings every report format renders (tests/reporters/), and
golden-file comparison.

Golden files (tests/reporters/golden/) are the exact output of each format
for these findings, in a files scan and a history scan. After an intended
change of a format, regenerate them and review the diff:

    LEAKGUARD_UPDATE_GOLDEN=1 python -m pytest tests/reporters
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from vectors import GITHUB_TOKEN, OTHER_GITHUB_TOKEN, PASSWORD

from leakguard import __version__
from leakguard.baseline import fingerprint
from leakguard.models import CommitInfo, Decision, Finding, Rule, Skipped
from leakguard.reporters import REGISTRY, Report, ReportOptions, renderer

GOLDEN = Path(__file__).parent / "reporters" / "golden"
EXTENSIONS = {
    "text": "txt", "json": "json", "jsonl": "jsonl", "sarif": "sarif", "csv": "csv",
    "junit": "xml", "github": "txt", "markdown": "md", "filter-repo": "txt",
}
# every format but the one whose purpose is to hold the secrets in clear
MASKED_FORMATS = tuple(name for name in REGISTRY if name != "filter-repo")
MODES = ("files", "history")

# Synthetic values, generated for this suite (never real credentials).
KEY_BODY = (
    "t+xB/Qq2IrKTeVdCxHuE2p9sORKiEOdyZXvl8mSmsWWemvwnYZfyNOB+uc1X99oA",
    "mpTXfblwXhAsKHJNrvUbmDGKGMAvWCQLbm1dDC8/LPzDZq//49Eyqii9vWLspxre",
)
PRIVATE_KEY = "\n".join(
    ["-----BEGIN RSA PRIVATE KEY-----", *KEY_BODY, "-----END RSA PRIVATE KEY-----"]
)
ACME_KEY = "acme_s3if8yREII2zr7X9s0Dfl5s95X4vk2rd"
NOTEBOOK_TOKEN = "gZGAwNP7EkBjC03LCgQIoFLR"
EMAIL = "marta.quist@quistmail.test"
WEAK_PASSWORD = "q7Rw2Lm9Xc4V"
PLANTED = (
    GITHUB_TOKEN, OTHER_GITHUB_TOKEN, PASSWORD, PRIVATE_KEY, ACME_KEY, NOTEBOOK_TOKEN, EMAIL,
    WEAK_PASSWORD,
)

OLD_COMMIT = CommitInfo(
    sha="1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b", author="Ada Lovelace",
    email="ada@users.noreply.leakguard.test", date="2025-11-03T10:00:00+00:00",
    summary="Add deployment settings",
)
NEW_COMMIT = CommitInfo(
    sha="9f8e7d6c5b4a39281706f5e4d3c2b1a098765432", author="Grace Hopper",
    email="grace@users.noreply.leakguard.test", date="2026-01-02T03:04:05+00:00",
    summary="Import user data",
)


def _rule(rule_id: str, description: str, kind: str, category: str, severity: str,
          source: str, remediation: str = "") -> Rule:
    return Rule(id=rule_id, description=description, kind=kind,  # type: ignore[arg-type]
                type=category, severity=severity,  # type: ignore[arg-type]
                regex="(x)", source=source, remediation=remediation)


# The rules that ran; acme-api-key is deliberately missing (a finding whose
# rule the report does not know still gets a fallback remediation).
RULES = (
    _rule("github-pat", "GitHub personal access token (classic)", "secret", "GITHUB_TOKEN", "critical",
          "patterns/github.toml:14", "Revoke the token on GitHub, then use a fine-grained one."),
    _rule("generic-password", "Hard-coded password", "secret", "PASSWORD", "high",
          "patterns/generic.toml:21"),
    _rule("private-key-rsa", "RSA private key", "secret", "PRIVATE_KEY", "critical",
          "patterns/keys.toml:24", "Generate a new key pair and revoke this one."),
    _rule("generic-token", "Hard-coded access token", "secret", "GENERIC_TOKEN", "info",
          "patterns/generic.toml:112"),
    _rule("email-address", "Email address", "pii", "EMAIL", "low", "patterns/pii.toml:10"),
)


def finding(rule_id: str, path: str, line: int, secret: str, line_text: str,
            **fields: object) -> Finding:
    """A finding as the engine would make it; the column is where the secret
    sits in ``line_text``."""
    rule = next((r for r in RULES if r.id == rule_id), None)
    first_line = secret.split("\n", 1)[0]
    column = line_text.index(first_line) + 1
    last_line = secret.rsplit("\n", 1)[-1]
    lines = secret.count("\n")
    values: dict[str, object] = {
        "rule_id": rule_id,
        "description": rule.description if rule else "ACME internal API key",
        "kind": rule.kind if rule else "secret",
        "type": rule.type if rule else "ACME_KEY",
        "path": path, "line": line, "column": column, "end_line": line + lines,
        "end_column": (column if not lines else 1) + len(last_line),
        "secret": secret, "entropy": 4.25, "confidence": "high", "severity": "critical",
        "fingerprint": fingerprint(rule_id, path, secret), "line_text": line_text,
    }
    values.update(fields)
    return Finding(**values)  # type: ignore[arg-type]


def findings() -> list[Finding]:
    return [
        finding("github-pat", "src/settings.py", 12, GITHUB_TOKEN,
                f'GITHUB_TOKEN = "{GITHUB_TOKEN}"'),
        finding("generic-password", "config/app prod.yml", 3, PASSWORD,
                f"  password: {PASSWORD}", confidence="low", severity="high"),
        finding("private-key-rsa", "keys/deploy:v2,old|new.pem", 1, PRIVATE_KEY,
                "-----BEGIN RSA PRIVATE KEY-----"),
        finding("acme-api-key", "@team/notes.md", 7, ACME_KEY,
                f"acme key `{ACME_KEY}` <b>|x|</b>", confidence="medium", severity="medium"),
        finding("email-address", "data/users.csv", 4, EMAIL, f"3,Marta Quist,{EMAIL}",
                severity="low", row=3, field="email"),
        finding("generic-token", "analysis.ipynb", 1, NOTEBOOK_TOKEN,
                f'token = "{NOTEBOOK_TOKEN}"\x1b[2J\x07', severity="info", confidence="low",
                cell=2),
    ]


def suppressed() -> list[Finding]:
    return [
        finding("github-pat", "tests/fixture.py", 2, OTHER_GITHUB_TOKEN,
                f"t = '{OTHER_GITHUB_TOKEN}'  # leakguard:allow",
                suppressed_by=Decision("pragma", "leakguard:allow on this line")),
        finding("generic-password", "src/settings.py", 20, WEAK_PASSWORD,
                f'PASSWORD = "{WEAK_PASSWORD}"', confidence="low", severity="high",
                suppressed_by=Decision("entropy", "entropy 2.50 is below the rule's minimum 2.8")),
    ]


def sample_report(mode: str = "files") -> Report:
    found, hidden = findings(), suppressed()
    if mode == "history":
        commits = [OLD_COMMIT] * 3 + [NEW_COMMIT] * 3
        found = [f._replace(commit=c, origin="commit") for f, c in zip(found, commits, strict=True)]
        hidden = [f._replace(commit=OLD_COMMIT, origin="commit") for f in hidden]
    return Report(
        findings=found, suppressed=hidden,
        skipped=[Skipped("logo.png", "binary file"),
                 Skipped("dump.sql", "rule generic-password timed out on a window; "
                         "scanned in part", error=True)],
        files=9, bytes=1_234_567, seconds=0.25, mode=mode, rules=RULES,
    )


def render(fmt: str, report: Report, **options: object) -> str:
    stream = io.StringIO()
    renderer(fmt)(report, stream, ReportOptions(**options))  # type: ignore[arg-type]
    return stream.getvalue()


def normalise(text: str, *temporary: Path) -> str:
    """Golden files hold neither this version's number nor temporary paths."""
    for path in temporary:
        text = text.replace(str(path), "<tmp>")
    return text.replace(f'"{__version__}"', '"<version>"')


def assert_golden(name: str, text: str) -> None:
    """Compare ``text`` with tests/reporters/golden/NAME (or write it there when
    regenerating: see the module docstring)."""
    path = GOLDEN / name
    if os.environ.get("LEAKGUARD_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return
    assert path.exists(), f"no golden file {name}; see tests/report_samples.py"
    assert text == path.read_bytes().decode("utf-8"), f"{name} changed"


def golden_name(fmt: str, mode: str) -> str:
    return f"{fmt}-{mode}.{EXTENSIONS[fmt]}"
