"""Self-describing formats: a JWT says what signs it and when it expires, an
AWS key id says what kind of credential it names. Reading that tells how
likely a match is to be a live credential, without asking anyone.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from datetime import datetime, timezone

from leakguard.models import Confidence
from leakguard.validators.base import Candidate, Verdict


def _b64url(part: str) -> bytes:
    return base64.urlsafe_b64decode((part + "=" * (-len(part) % 4)).encode("ascii"))


# Signature sizes in bytes that each JWS algorithm produces (RFC 7518, RFC 8037);
# RSA signatures are as long as the modulus, so any size from 1024 bits up fits.
_SIGNATURE_BYTES = {
    "HS256": (32,), "HS384": (48,), "HS512": (64,),
    "ES256": (64,), "ES256K": (64,), "ES384": (96,), "ES512": (132,),
    "EdDSA": (64, 114), "Ed25519": (64,), "Ed448": (114,),
}


def jwt(candidate: Candidate, now: float | None = None) -> Verdict:
    """A JWT is three base64url parts; header and payload are JSON objects and
    the header names its ``alg``. Unsigned (``alg: none``) tokens, expired
    ones and signatures of the wrong size for their algorithm are noted."""
    parts = candidate.secret.split(".")
    if len(parts) != 3:
        return Verdict(False, "a JWT has three dot-separated parts")
    try:
        header = json.loads(_b64url(parts[0]))
        payload = json.loads(_b64url(parts[1]))
        signature = _b64url(parts[2])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return Verdict(False, "header or payload is not base64url-encoded JSON")
    if not isinstance(header, dict) or "alg" not in header or not isinstance(payload, dict):
        return Verdict(False, "the header has no 'alg', or the payload is not an object")
    algorithm = str(header["alg"])
    if algorithm.lower() == "none":
        return Verdict(True, "unsigned JWT (alg: none)", "medium")
    if not signature:
        return Verdict(False, f"alg {algorithm} but no signature: not a usable token")
    sizes = _SIGNATURE_BYTES.get(algorithm)
    rsa = algorithm[:2] in ("RS", "PS")
    if (sizes and len(signature) not in sizes) or (rsa and len(signature) < 128):
        return Verdict(
            True, f"a {len(signature)}-byte signature cannot come from alg {algorithm}", "low"
        )
    expires = payload.get("exp")
    if isinstance(expires, (int, float)) and not isinstance(expires, bool):
        moment = time.time() if now is None else now
        if expires < moment:
            when = datetime.fromtimestamp(min(max(expires, 0), 253402300799), timezone.utc)
            return Verdict(True, f"signed with {algorithm}, expired on {when:%Y-%m-%d}", "low")
    return Verdict(True, f"header and payload decode as JSON, signed with {algorithm}", "high")


# IAM unique-id prefixes that name credentials, and what each one is.
_AWS_KEY_KINDS: dict[str, tuple[str, Confidence]] = {
    "AKIA": ("a long-term IAM access key id", "high"),
    "ASIA": ("a temporary STS access key id (valid for hours at most)", "medium"),
    "ABIA": ("an STS service bearer token id (short-lived)", "medium"),
    "ACCA": ("a context-specific credential id", "medium"),
}
_BASE32 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def aws_access_key_id(candidate: Candidate) -> Verdict:
    """Four letters of type and 16 characters of the base32 alphabet; the type
    says whether the key lives until someone deletes it or for hours."""
    secret = candidate.secret
    kind = _AWS_KEY_KINDS.get(secret[:4])
    if kind is None or len(secret) != 20 or not set(secret[4:]) <= _BASE32:
        return Verdict(False, "not an AWS credential prefix and 16 base32 characters")
    description, confidence = kind
    return Verdict(True, f"{secret[:4]}: {description}", confidence)
