"""JWTs signed in the test (HMAC with the standard library, ECDSA and RSA with
``cryptography``) and AWS key ids built from their alphabet."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import time

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from leakguard.validators import VALIDATORS, Candidate, Verdict

HOUR = 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _json(data: object) -> str:
    return _b64(json.dumps(data).encode())


def _hs256(payload: dict[str, object], header: dict[str, object] | None = None) -> str:
    signing_input = f"{_json(header or {'alg': 'HS256', 'typ': 'JWT'})}.{_json(payload)}"
    signature = hmac.new(b"k" * 32, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _es256(payload: dict[str, object]) -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    signing_input = f"{_json({'alg': 'ES256'})}.{_json(payload)}"
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    return f"{signing_input}.{_b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def _rs256(payload: dict[str, object]) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signing_input = f"{_json({'alg': 'RS256'})}.{_json(payload)}"
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{_b64(signature)}"


def _jwt(token: str) -> Verdict:
    return VALIDATORS["jwt"](Candidate(token, token, 0, len(token)))


NOW = int(time.time())


@pytest.mark.parametrize(
    ("token", "confidence", "reason"),
    [
        (_hs256({"sub": "u1", "exp": NOW + HOUR}), "high", "signed with HS256"),
        (_hs256({"sub": "u1"}), "high", "signed with HS256"),
        (_es256({"sub": "device-7"}), "high", "signed with ES256"),
        (_rs256({"sub": "svc"}), "high", "signed with RS256"),
        (_hs256({"sub": "u1", "exp": NOW - HOUR}), "low", "expired on"),
        (f"{_json({'alg': 'none'})}.{_json({'sub': 'admin'})}.", "medium", "alg: none"),
        # a signature of the wrong size for its algorithm: made up, or truncated
        (_hs256({"sub": "u1"}).rsplit(".", 1)[0] + "." + _b64(b"s" * 20), "low", "cannot come from"),
        (_hs256({"sub": "u1"}, {"alg": "RS256"}), "low", "cannot come from"),
    ],
)
def test_jwt_confidence(token: str, confidence: str, reason: str) -> None:
    verdict = _jwt(token)
    assert verdict.valid and verdict.confidence == confidence, verdict
    assert reason in verdict.reason


@pytest.mark.parametrize(
    "token",
    [
        f"{_json({'typ': 'JWT'})}.{_json({'sub': 'u1'})}.{_b64(b'x' * 32)}",   # no alg
        f"eyJub3QganNvbg.{_json({'x': 1})}.{_b64(b'x' * 32)}",                  # header not JSON
        f"{_json({'alg': 'HS256'})}.{_json(['a list'])}.{_b64(b'x' * 32)}",     # payload not an object
        f"{_json({'alg': 'HS256'})}.{_json({'sub': 'u1'})}.",                   # signed, no signature
        "only.two",
    ],
)
def test_jwt_rejects_what_is_not_a_token(token: str) -> None:
    assert not _jwt(token).valid


def test_jwt_expiry_is_judged_against_the_given_time() -> None:
    from leakguard.validators.structure import jwt

    token = _hs256({"exp": 2_000_000_000})
    candidate = Candidate(token, token, 0, len(token))
    assert jwt(candidate, now=1_900_000_000).confidence == "high"
    assert jwt(candidate, now=2_100_000_000).confidence == "low"


BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@pytest.mark.parametrize(
    ("prefix", "confidence"),
    [("AKIA", "high"), ("ASIA", "medium"), ("ABIA", "medium"), ("ACCA", "medium")],
)
def test_aws_access_key_ids(prefix: str, confidence: str) -> None:
    key = prefix + "".join(random.Random(prefix).choices(BASE32, k=16))
    verdict = VALIDATORS["aws_access_key_id"](Candidate(key, key, 0, 20))
    assert verdict.valid and verdict.confidence == confidence


@pytest.mark.parametrize("key", ["AIDA" + "Q" * 16, "AKIA" + "0" * 16, "AKIA" + "Q" * 15])
def test_aws_shapes_that_are_not_credentials(key: str) -> None:
    assert not VALIDATORS["aws_access_key_id"](Candidate(key, key, 0, len(key))).valid
