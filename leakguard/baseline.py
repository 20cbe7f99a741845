"""Content fingerprints, and the baseline file of accepted findings."""

from __future__ import annotations

import hashlib


def fingerprint(rule_id: str, path: str, secret: str) -> str:
    """A finding's identity: rule, repository-relative path and secret value.

    No line number, so editing other lines never brings a known finding back;
    a one-way hash, so the baseline can be committed without the secret.
    """
    if "\n" in secret:  # re-indenting a multi-line key must not make it new
        secret = " ".join(secret.split())
    material = "\0".join((rule_id, path, secret)).encode("utf-8", "surrogatepass")
    return hashlib.sha256(material).hexdigest()[:32]
