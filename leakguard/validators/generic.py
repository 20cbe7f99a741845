"""Validators for the generic detectors: is an assigned value a literal secret,
and does a basic-auth header really decode to user:password?"""

from __future__ import annotations

import base64
import binascii
import re

from leakguard.validators.base import VALID, Candidate, Verdict

# Values that point somewhere else instead of being a secret: environment and
# template lookups, function calls, attribute paths, format placeholders.
_REFERENCE = re.compile(
    r"""
      ^\$\{.*\}$ | ^\$\(.*\)$ | ^\$[A-Za-z_][A-Za-z0-9_]*$   # ${VAR} $(cmd) $VAR
    | \{\{.*\}\} | \{%.*%\} | ^<%.*%>$ | ^\#\{.*\}$           # {{ jinja }} {% %} <% %> #{ruby}
    | ^%\(?[A-Za-z_]*\)?[sd]$ | ^%[A-Za-z_][A-Za-z0-9_]*%$    # %s %(name)s %VAR%
    | ^<[^<>]*>$ | ^\[[^\[\]]*\]$                             # <YOUR_KEY> [token]
    | ^\{[A-Za-z_][A-Za-z0-9_.]*\}$                           # {placeholder}
    | (?:getenv|environ|process\.env|ENV\[|os\.env|System\.getenv|secrets\.|vault\.|Secret\()
    | ^[A-Za-z_][A-Za-z0-9_]*\(.*\)?$                         # call(...)
    | ^(?:[A-Za-z_$][A-Za-z0-9_$]*\.)+[A-Za-z_$][A-Za-z0-9_$]*(?:\(\))?$   # a.b.c
    | ^(?:null|none|nil|true|false|undefined|required|optional|string|str|bytes)$
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Substrings that mark a value someone typed in as a stand-in.
_PLACEHOLDER_WORDS = (
    "changeme", "change_me", "change-me", "changeit", "placeholder", "example", "sample",
    "dummy", "fake", "redacted", "replace", "insert", "your", "<", ">", "xxxx", "****",
    "....", "todo", "fixme", "secret", "password", "passwd", "token", "notreal", "not_real",
    "foobar", "test", "mock", "demo", "default", "hidden", "masked", "enter_", "put_",
    "lorem", "ipsum", "abcdef", "qwerty", "12345", "s3cr3t", "p@ss", "p@55", "passw0rd",
    "hunter2", "letmein", "tiger",  # scott/tiger: Oracle's and SQLAlchemy's sample login
)
# The same words typed with digits and symbols for letters ("superS3cret",
# "P@ssword"): undone before looking for the longer placeholder words.
_LEET = str.maketrans({"3": "e", "0": "o", "1": "i", "4": "a", "@": "a", "$": "s", "5": "s",
                       "7": "t"})
_LEET_WORDS = ("secret", "password", "passwd", "changeme", "example", "sample", "dummy",
               "placeholder")
# Stored password hashes (Django's ``algorithm$iterations$salt$hash``, modular
# crypt ``$2b$…``, ``$argon2id$…``): what a password becomes, not the password.
_PASSWORD_HASH = re.compile(
    r"""^(?:(?:pbkdf2_sha(?:1|256)|argon2|bcrypt(?:_sha256)?|scrypt|sha1|md5|unsalted_md5
        |unsalted_sha1|crypt)\$|\$(?:2[abxy]?|1|5|6|7|y|argon2(?:id|i|d)|scrypt|pbkdf2(?:-sha\d+)?)\$)""",
    re.VERBOSE,
)

# Names whose value is an identifier or a cursor, not a credential, even though
# they end in "token" or "key": pagination and idempotency tokens, CSRF nonces,
# CloudFormation type names ("AWS::IAM::AccessKey").
_NOT_CREDENTIAL_NAME = re.compile(
    r"""::|(?:next|page|pagination|continuation|client|idempotency|request|lock|change|update
        |lifecycle|purchase|verification|copy|input|output|cursor|marker|csrf|xsrf|sync|resume
        |cancel|upload|task|query|job|reservation|confirmation|invite|invitation|reset|unsubscribe
        |example|sample|dummy|fake|mock|placeholder)[_.-]?(?:token|key)""",
    re.VERBOSE | re.IGNORECASE,
)
NAME_REACH = 200  # how far back on the line an assigned name is looked for
_ASSIGNED_NAME = re.compile(
    r"""([\w.:/-]+)["'`]?\s*(?::=|=>|->|[=:>])\s*["'`]?$""",
)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# CamelCase, snake_case and dotted words (``LastEvaluatedBackupArn``,
# ``serverlessrepo:applicationId``, ``PKCS7PrivateKeyTypes``): names, not secrets.
_WORD_PIECE = re.compile(r"[A-Z]{2,}[0-9]*(?![a-z])|[A-Z]?[a-z]+|[A-Z]|[0-9]+|[._:/\[\]-]")

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# SCREAMING_SNAKE_CASE: a constant's name used as a stand-in value.
_CONSTANT_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
# A bare word, or a word and a few digits (pass, admin123): what demo
# credentials look like, the same test the URI rules apply.
_DEMO_PASSWORD = re.compile(r"^(?:[A-Za-z]{1,12}|[A-Za-z]{1,10}[0-9]{1,4})$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/]{16,}={0,2}$")
_ESCAPE = re.compile(r"\\(?:x[0-9a-f]{2}|[0-7]{1,3}|.)")
_QUOTES = "\"'`"


def assigned_name(candidate: Candidate) -> str:
    """The name a value is assigned to on its line (``DB_PASSWORD``), or ''."""
    found = _ASSIGNED_NAME.search(candidate.before[-NAME_REACH:])
    return found.group(1) if found else ""


def looks_like_words(value: str) -> bool:
    """Whether ``value`` reads as words and names rather than random characters."""
    pieces = _WORD_PIECE.findall(value)
    if "".join(pieces) != value:
        return False
    return len(value) / len(pieces) >= 3.5


def generic_value(candidate: Candidate) -> Verdict:
    """The generic ``password = …`` detector's judgement on the assigned value."""
    value = candidate.secret
    name = assigned_name(candidate)
    if name and _NOT_CREDENTIAL_NAME.search(name):
        return Verdict(False, f"'{name}' names an identifier or cursor, not a credential")
    if name.lower().startswith("urn:"):
        return Verdict(False, f"'{name}:…' is part of a URN, not an assignment")
    if _REFERENCE.search(value):
        return Verdict(False, "the value is a reference (variable, call, template), not a literal")
    lowered = value.lower()
    for word in _PLACEHOLDER_WORDS:
        if word in lowered:
            return Verdict(False, f"the value looks like a placeholder ('{word}')")
    unleet = _ESCAPE.sub("", lowered).translate(_LEET)
    for word in _LEET_WORDS:
        if word in unleet:
            return Verdict(False, f"the value looks like a placeholder ('{word}' in disguise)")
    if _PASSWORD_HASH.match(value):
        return Verdict(False, "a stored password hash, not the password")
    quoted = candidate.before[-1:] in _QUOTES if candidate.before else False
    if not quoted and _IDENTIFIER.match(value):
        has_digit = any(char.isdigit() for char in value)
        if "_" in value or not has_digit or value.isupper() or value.islower():
            return Verdict(False, "an unquoted identifier is a variable, not a literal")
    if not any(char.isalpha() for char in value):
        return Verdict(False, "the value has no letters (a number, date or version)")
    if _UUID.match(value):
        return Verdict(False, "a UUID is an identifier, not a credential")
    if _CONSTANT_NAME.match(value):
        return Verdict(False, "an upper-case constant name, not a secret")
    if _is_base64_prose(value):
        return Verdict(False, "base64 of plain text, not a random credential")
    if value.startswith("eyJ") and "." not in value:
        return Verdict(False, "base64-encoded JSON (a cursor or state blob), not a credential")
    if looks_like_words(value):
        return Verdict(False, "the value reads as words or a name, not a random secret")
    return VALID


def _is_base64_prose(value: str) -> bool:
    """Base64 that decodes to a sentence: a fixture someone typed, since a
    real token decodes to random bytes or to structured data."""
    if len(value) % 4 or not _BASE64.match(value):
        return False
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    letters = sum(char.isalpha() for char in decoded)
    return decoded.isprintable() and decoded.count(" ") >= 2 and letters >= 0.6 * len(decoded)


def basic_auth(candidate: Candidate) -> Verdict:
    """``Authorization: Basic`` carries base64 of ``user:password``."""
    try:
        decoded = base64.b64decode(candidate.secret, validate=True).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return Verdict(False, "not base64 of UTF-8 text")
    user, colon, password = decoded.partition(":")
    if not colon or not user or not password or not decoded.isprintable():
        return Verdict(False, "does not decode to user:password")
    if _DEMO_PASSWORD.match(password):
        return Verdict(False, f"a demo password ({user}:{password[:2]}…): a bare word")
    verdict = generic_value(Candidate(password, password, 0, len(password)))
    if not verdict.valid and "placeholder" in verdict.reason:
        return Verdict(False, f"the password {verdict.reason.removeprefix('the value ')}")
    return Verdict(True, "decodes to user:password", "high")


