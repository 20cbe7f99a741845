"""What to do about a finding: the rule's own ``remediation`` text (rule files
carry it, usually in their ``[defaults]``), else a hint chosen by the finding's
``type`` and ``kind``, so a user's rule without one still gets advice."""

from __future__ import annotations

from leakguard.models import Finding, Rule

_BY_TYPE = {
    "PASSWORD": (
        "Change this password wherever it is used, then read it from the environment "
        "or a secret manager instead of the code."
    ),
    "PRIVATE_KEY": (
        "Treat the key pair as compromised: revoke it where it is trusted (certificates, "
        "authorized_keys, deploy keys), generate a new pair and keep it out of the repository."
    ),
    "JWT": (
        "Revoke the token's session at its issuer, and rotate the signing key if the token "
        "is long-lived."
    ),
    "DATABASE_CREDENTIALS": (
        "Change the password of this database user, then build the URL from environment "
        "variables."
    ),
}

_SECRET = (
    "Revoke or rotate this credential at the service that issued it, then load it from "
    "the environment or a secret manager."
)

_PII = (
    "Remove the personal data or replace it with synthetic values; data that must stay "
    "belongs in a path listed in [pii].paths, outside version control where possible."
)

PURGE_HINT = (
    "These values are in git history: deleting them from today's files leaves them in "
    "every clone. Rotate each credential first (treat it as public), then purge it: rerun "
    "this scan with --format filter-repo --output replacements.txt, run "
    "git filter-repo --replace-text replacements.txt in a fresh clone, force-push every "
    "branch and tag, and have collaborators re-clone. Delete replacements.txt afterwards."
)


def hint(kind: str, category: str, own: str = "") -> str:
    """One line of advice for a finding of ``kind`` and ``category`` (its
    ``type``); ``own`` is the rule's remediation text, which wins when set."""
    if own:
        return own
    if kind == "pii":
        return _PII
    return _BY_TYPE.get(category, _SECRET)


def for_rule(rule: Rule) -> str:
    return hint(rule.kind, rule.type, rule.remediation)


def for_finding(finding: Finding, rule: Rule | None = None) -> str:
    """``rule`` is the rule that produced ``finding``, when the report knows it."""
    return hint(finding.kind, finding.type, rule.remediation if rule else "")
