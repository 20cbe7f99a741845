"""Checksummed token formats, with tokens the tests build themselves: a valid
checksum gives high confidence, one changed character does not."""

from __future__ import annotations

import base64
import random
import string
import zlib

import pytest

from leakguard.validators import VALIDATORS, Candidate, Verdict

ALPHANUMERIC = string.ascii_letters + string.digits
# written out independently of the module under test
DIGITS_UPPER_LOWER = string.digits + string.ascii_uppercase + string.ascii_lowercase


def _check(validator: str, secret: str) -> Verdict:
    return VALIDATORS[validator](Candidate(secret, f"TOKEN={secret}", 6, 6 + len(secret)))


def _base62(number: int) -> str:
    digits = []
    for _ in range(6):
        number, remainder = divmod(number, 62)
        digits.append(DIGITS_UPPER_LOWER[remainder])
    return "".join(reversed(digits))


def _github_style(prefix: str, seed: int) -> str:
    body = "".join(random.Random(seed).choices(ALPHANUMERIC, k=30))
    return f"{prefix}_{body}{_base62(zlib.crc32(body.encode()))}"


def _flip(token: str, index: int) -> str:
    """``token`` with the character at ``index`` replaced by another one of its alphabet."""
    char = token[index]
    replacement = "A" if char != "A" else "B"
    return token[:index] + replacement + token[index + 1 :]


@pytest.mark.parametrize(
    ("validator", "prefix"),
    [("github_checksum", p) for p in ("ghp", "gho", "ghu", "ghs", "ghr")] + [("npm_checksum", "npm")],
)
@pytest.mark.parametrize("seed", range(5))
def test_crc32_base62_tokens(validator: str, prefix: str, seed: int) -> None:
    token = _github_style(prefix, seed)
    assert _check(validator, token).confidence == "high"
    for index in (len(prefix) + 1, len(prefix) + 15, len(token) - 1):
        verdict = _check(validator, _flip(token, index))
        assert verdict.valid and verdict.confidence == "low", verdict
        assert "does not match" in verdict.reason


def test_github_tokens_of_another_length_are_left_alone() -> None:
    long_refresh = "ghr_" + "".join(random.Random(7).choices(ALPHANUMERIC, k=76))
    assert _check("github_checksum", long_refresh).confidence is None


@pytest.mark.parametrize("little_endian", [False, True])
def test_grafana_service_account_tokens(little_endian: bool) -> None:
    head = "glsa_" + "".join(random.Random(3).choices(ALPHANUMERIC, k=32))
    crc = zlib.crc32(head.encode())
    checksum = crc.to_bytes(4, "little" if little_endian else "big").hex()
    token = f"{head}_{checksum}"
    assert _check("grafana_checksum", token).confidence == "high"
    assert _check("grafana_checksum", _flip(token, 10)).confidence == "low"


# Bech32 (BIP 173), encoded here from the specification
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _polymod(values: list[int]) -> int:
    generator = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            check ^= generator[i] if (top >> i) & 1 else 0
    return check


def _bech32(hrp: str, data: bytes, constant: int = 1) -> str:
    bits = "".join(f"{byte:08b}" for byte in data)
    bits += "0" * (-len(bits) % 5)
    values = [int(bits[i : i + 5], 2) for i in range(0, len(bits), 5)]
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    polymod = _polymod([*expanded, *values, 0, 0, 0, 0, 0, 0]) ^ constant
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32[v] for v in values + checksum)


@pytest.mark.parametrize("seed", range(5))
def test_age_secret_keys(seed: int) -> None:
    key = _bech32("age-secret-key-", random.Random(seed).randbytes(32)).upper()
    assert key.startswith("AGE-SECRET-KEY-1") and len(key) == 74
    assert _check("age_secret_key", key).confidence == "high"
    flipped = key[:30] + ("Q" if key[30] != "Q" else "P") + key[31:]
    assert not _check("age_secret_key", flipped).valid


@pytest.mark.parametrize(
    "key",
    [
        _bech32("age-secret-key-", bytes(range(32)), constant=0x2BC830A3).upper(),  # Bech32m
        _bech32("age-secret-key-", bytes(range(31))).upper(),                      # 31 bytes
        _bech32("age-public-key-", bytes(range(32))).upper(),                      # another prefix
        _bech32("age-secret-key-", bytes(range(32))).lower()[:-1] + "Q",           # mixed case
    ],
)
def test_age_secret_key_shapes_that_are_not_keys(key: str) -> None:
    assert not _check("age_secret_key", key).valid


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte, number = number & 0x7F, number >> 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _field(kind: int, value: bytes) -> bytes:
    return bytes([kind]) + _varint(len(value)) + value


def _macaroon(location: bytes, signature: bytes, identifier: bytes = b"5b0c2f3f-8d1e-4a7b-9c6d-0e2f1a3b5c7d") -> str:
    caveat = b'{"permissions": "user", "version": 1}'
    data = (
        b"\x02" + _field(1, location) + _field(2, identifier) + b"\x00"
        + _field(2, caveat) + b"\x00" + b"\x00" + _field(6, signature)
    )
    return "pypi-" + base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.mark.parametrize(
    ("token", "confidence"),
    [
        (_macaroon(b"pypi.org", random.Random(1).randbytes(32)), "high"),
        (_macaroon(b"test.pypi.org", random.Random(2).randbytes(32)), "high"),
        (_macaroon(b"pypi.org", random.Random(3).randbytes(31)), "low"),
        (_macaroon(b"example.org", random.Random(4).randbytes(32)), "low"),
        (_macaroon(b"pypi.org", random.Random(5).randbytes(32))[:-20], "low"),
        ("pypi-AgEIcHlwaS5vcmc" + "x" * 60, "low"),
    ],
)
def test_pypi_macaroons(token: str, confidence: str) -> None:
    verdict = _check("pypi_macaroon", token)
    assert verdict.valid and verdict.confidence == confidence, verdict
