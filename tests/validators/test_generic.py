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


@pytest.mark.parametrize(
    ("line", "secret", "valid"),
    [
        ("DATADOG_API_KEY=3f9a0c1e5b7d2468ace13579bdf02468", "3f9a0c1e5b7d2468ace13579bdf02468", True),
        ("DATADOG_API_KEY=af9a0c1e5b7d2468ace13579bdf02468", "af9a0c1e5b7d2468ace13579bdf02468", True),  # unquoted lower-case is fine here
        ('ACME_TOKEN = "Kx7mP2qR9sT4vW1yZ3bC5dF8gH0j"', "Kx7mP2qR9sT4vW1yZ3bC5dF8gH0j", True),
        ('ACME_TOKEN = "YourAcmeTokenGoesHereNow"', "YourAcmeTokenGoesHereNow", False),
        ('ACME_TOKEN = "ThisIsTheAcmeServiceTokenName"', "ThisIsTheAcmeServiceTokenName", False),
        ('acme_next_token = "Kx7mP2qR9sT4vW1yZ3bC5dF8gH0j"', "Kx7mP2qR9sT4vW1yZ3bC5dF8gH0j", False),
        ('ACME_KEY = "9f3a1234c0e58b7d6a2f4c1e9b8d7a60"', "9f3a1234c0e58b7d6a2f4c1e9b8d7a60", False),
    ],
)
def test_service_token(line: str, secret: str, valid: bool) -> None:
    verdict = VALIDATORS["service_token"](_candidate(line, secret))
    assert verdict.valid is valid, verdict.reason


@pytest.mark.parametrize(
    ("line", "secret", "reason"),
    [
        ("ADMIN_PASSWORD = 'pbkdf2_sha256$30000$Vo0VlMnkR4Bk$qEvtdyZRWTcOsCn='", "pbkdf2_sha256$30000$Vo0VlMnkR4Bk$qEvtdyZRWTcOsCn=", "password hash"),
        ("password: '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW'", "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", "password hash"),
        ('"PASSWORD": "superS3cret",', "superS3cret", "in disguise"),
        ('password = "Pa$$w0rd_2024"', "Pa$$w0rd_2024", "in disguise"),
        ("PASSWORD = 'tiger^5HHH'", "tiger^5HHH", "placeholder"),
        ("<code>urn:ietf:params:oauth:grant-type:jwt-bearer</code>", "grant-type:jwt-bearer", "URN"),
    ],
)
def test_generic_value_rejects_hashes_disguised_placeholders_and_urns(
    line: str, secret: str, reason: str
) -> None:
    verdict = VALIDATORS["generic_value"](_candidate(line, secret))
    assert not verdict.valid
    assert reason in verdict.reason


@pytest.mark.parametrize(
    ("line", "secret", "reason"),
    [
        ('"password": "pass\\0word",', "pass\\0word", "in disguise"),
        ("'aws_secret_access_key': 'FROM_CREDS_FILE_2',", "FROM_CREDS_FILE_2", "constant name"),
        ('"token": "eW91J3JlIG5vdCBzdXBwb3NlZCB0byBkZWNvZGUgdGhpcyE="', "eW91J3JlIG5vdCBzdXBwb3NlZCB0byBkZWNvZGUgdGhpcyE=", "base64 of plain text"),
    ],
)
def test_generic_value_rejects_escaped_words_constants_and_encoded_prose(
    line: str, secret: str, reason: str
) -> None:
    verdict = VALIDATORS["generic_value"](_candidate(line, secret))
    assert not verdict.valid
    assert reason in verdict.reason


@pytest.mark.parametrize(
    ("credentials", "valid"),
    [("user:pass", False), ("admin:admin123", False), ("svc-build:K7mP2qR9sT4vW", True)],
)
def test_basic_auth_drops_demo_passwords(credentials: str, valid: bool) -> None:
    secret = base64.b64encode(credentials.encode()).decode()
    verdict = VALIDATORS["basic_auth"](_candidate(f"Authorization: Basic {secret}", secret))
    assert verdict.valid is valid, verdict.reason


def test_every_registered_validator_resolves_to_a_function() -> None:
    assert len(VALIDATORS) >= 25
    for name in VALIDATORS:
        assert callable(VALIDATORS[name]), name
    assert "nope" not in VALIDATORS
