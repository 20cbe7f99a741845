from __future__ import annotations

import base64

import pytest

from leakguard.validators import VALIDATORS, Candidate
from leakguard.validators.generic import assigned_name, looks_like_words


def _candidate(line: str, secret: str) -> Candidate:
    start = line.index(secret)
    return Candidate(secret, line, start, start + len(secret))


@pytest.mark.parametrize(
    ("line", "secret", "valid"),
    [
        ('DB_PASSWORD = "Y5ub&iheyEd7P4"', "Y5ub&iheyEd7P4", True),
        ("API_KEY=Kx7mP2qR9sT4vW1yZ3bC5dF8", "Kx7mP2qR9sT4vW1yZ3bC5dF8", True),
        ("password = ${DB_PASSWORD}", "${DB_PASSWORD}", False),
        ('password: "{{vault_password}}"', "{{vault_password}}", False),
        ("password = get_password()", "get_password()", False),
        ("password = settings.DB_PASSWORD", "settings.DB_PASSWORD", False),
        ("password = DEFAULT_PASSWORD", "DEFAULT_PASSWORD", False),
        ('password = "changeme123"', "changeme123", False),
        ('"ClientToken": "3f1c9a52-7d4e-4b8a-9c21-5e6f7a8b9c0d"', "3f1c9a52-7d4e-4b8a-9c21-5e6f7a8b9c0d", False),
        ('"NextToken": "Kx7mP2qR9sT4vW1yZ3bC5dF8"', "Kx7mP2qR9sT4vW1yZ3bC5dF8", False),
        ('"output_token": "LastEvaluatedStreamArn"', "LastEvaluatedStreamArn", False),
        ('version = "20240101.12345"', "20240101.12345", False),
    ],
)
def test_generic_value(line: str, secret: str, valid: bool) -> None:
    verdict = VALIDATORS["generic_value"](_candidate(line, secret))
    assert verdict.valid is valid, verdict.reason
    assert valid or verdict.reason


@pytest.mark.parametrize(
    ("line", "name"),
    [('DB_PASSWORD = "x"', "DB_PASSWORD"), ('"api_key": "x"', "api_key"),
     ("<password>x", "password"), ("no assignment x", "")],
)
def test_assigned_name(line: str, name: str) -> None:
    assert assigned_name(_candidate(line, "x")) == name


@pytest.mark.parametrize(
    ("value", "words"),
    [("LastEvaluatedBackupArn", True), ("serverlessrepo:applicationId", True),
     ("PKCS7PrivateKeyTypes", True), ("Kx7mP2qR9sT4vW1yZ3bC5dF8", False),
     ("4f9a8c7e6d5b4a3f2e1d", False)],
)
def test_looks_like_words(value: str, words: bool) -> None:
    assert looks_like_words(value) is words


@pytest.mark.parametrize(
    ("plain", "valid"),
    [("deploy:Kx7mP2qR9s", True), ("user:password", False), ("no-colon", False), (":nouser", False)],
)
def test_basic_auth(plain: str, valid: bool) -> None:
    encoded = base64.b64encode(plain.encode()).decode()
    assert VALIDATORS["basic_auth"](Candidate(encoded, encoded, 0, len(encoded))).valid is valid
