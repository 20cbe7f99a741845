"""The catalog rules' validator: a service token assigned to a credential name.

The regex of a catalog rule (see ``leakguard/catalog.py``) finds a token of
the right shape assigned to a name that starts with the service's word, or
to a credential-looking name just below a section about the service; this
validator then checks what is shared by every service, compiled once rather
than in each of hundreds of rule regexes: the name ends with a credential
word, it is not a cursor or identifier, and the value is not a stand-in.
"""

from __future__ import annotations

import re

from leakguard.catalog import CREDENTIAL_NAME_END
from leakguard.validators.base import VALID, Candidate, Verdict
from leakguard.validators.generic import _NOT_CREDENTIAL_NAME, looks_like_words

# The name right before the value: ``NAME = "``, ``"name": '``, ``NAME=``,
# ``<Name>``, ``ENV["NAME"] = "``, ``("NAME", "``.
_NAME_BEFORE = re.compile(
    r"""([\w.-]+)(?:["'`]?\]?[ \t]*(?::=|=>|[=:>])|["'`][ \t]*,)[ \t]*["'`]?$"""
)
_CREDENTIAL_NAME = re.compile(CREDENTIAL_NAME_END)
NAME_REACH = 120


# For provider tokens whose shape (alphabet, length) the regex already checks:
# only the signs of a stand-in remain to look for. Narrower than the generic
# list, because a random token may well contain "token" or "pass" by chance
# far less often than a typed-in value does.
_SERVICE_PLACEHOLDERS = (
    "your", "xxxx", "example", "sample", "dummy", "fake", "placeholder", "redacted",
    "changeme", "replace", "insert", "todo", "fixme", "notreal", "lorem", "test", "demo",
    "mock", "0000", "1234", "abcd",
)


def service_token_value(value: str) -> str | None:
    """Why ``value`` is not a plausible provider token, or None when it is."""
    lowered = value.lower()
    for word in _SERVICE_PLACEHOLDERS:
        if word in lowered:
            return f"the value looks like a placeholder ('{word}')"
    if looks_like_words(value):
        return "the value reads as words or a name, not a random token"
    return None


def service_token(candidate: Candidate) -> Verdict:
    """A catalog rule's judgement: a service token assigned to a credential name."""
    found = _NAME_BEFORE.search(candidate.before[-NAME_REACH:])
    name = found.group(1) if found else ""
    if not _CREDENTIAL_NAME.search(name):
        return Verdict(False, f"'{name}' does not name a credential (key, token, secret, …)")
    if _NOT_CREDENTIAL_NAME.search(name):
        return Verdict(False, f"'{name}' names an identifier or cursor, not a credential")
    reason = service_token_value(candidate.secret)
    return Verdict(False, reason) if reason else VALID
