"""Token formats that carry their own checksum: a typo, a truncated paste or a
made-up value fails it, a real token passes.

How sure each algorithm is decides what a failure does. Where the algorithm
is a published standard (Bech32), a failure drops the match; where it is
known only from the provider's description (GitHub's CRC32, reused by npm;
Grafana's), a failure keeps the match at low confidence, so a mistake here
can never hide a live token.
"""

from __future__ import annotations

import base64
import binascii
import zlib

from leakguard.validators.base import Candidate, Verdict

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def base62(number: int, width: int) -> str:
    """``number`` in base 62 (digits, upper case, lower case), zero-padded."""
    digits = ""
    while number:
        number, remainder = divmod(number, 62)
        digits = BASE62[remainder] + digits
    return digits.rjust(width, "0")


def crc32_base62(body: str) -> str:
    """The six-character checksum GitHub and npm append to a token's random part."""
    return base62(zlib.crc32(body.encode("ascii", "replace")), 6)


_RANDOM = 30  # characters of randomness before the 6-character checksum


def _prefixed_crc32(secret: str, family: str) -> Verdict:
    """``<prefix>_`` + 30 random base62 characters + CRC32 of those 30 in base62."""
    body = secret.split("_", 1)[-1]
    if len(body) != _RANDOM + 6:
        return Verdict(True, f"no checksum in a {family} token of this length")
    if crc32_base62(body[:_RANDOM]) == body[_RANDOM:]:
        return Verdict(True, f"the {family} CRC32 checksum matches", "high")
    return Verdict(
        True,
        f"the {family} CRC32 checksum does not match (a mistyped, truncated or made-up token)",
        "low",
    )


def github_checksum(candidate: Candidate) -> Verdict:
    """``ghp_``/``gho_``/``ghu_``/``ghs_``/``ghr_`` tokens end in a CRC32 checksum."""
    return _prefixed_crc32(candidate.secret, "GitHub")


def npm_checksum(candidate: Candidate) -> Verdict:
    """npm's ``npm_`` tokens follow GitHub's format, checksum included."""
    return _prefixed_crc32(candidate.secret, "npm")


def grafana_checksum(candidate: Candidate) -> Verdict:
    """Grafana service-account tokens: ``glsa_`` + 32 characters + ``_`` + the
    CRC32 of everything before that underscore as 8 hex digits. Both byte
    orders are accepted: the hex is of the checksum's little-endian bytes in
    Grafana's generator, and a reader that assumes the other order must not
    turn real tokens into low-confidence ones."""
    head, _, checksum = candidate.secret.rpartition("_")
    if len(checksum) != 8:
        return Verdict(True, "no checksum in a Grafana token of this shape")
    value = zlib.crc32(head.encode("ascii", "replace"))
    expected = {f"{value:08x}", value.to_bytes(4, "little").hex()}
    if checksum.lower() in expected:
        return Verdict(True, "the Grafana CRC32 checksum matches", "high")
    return Verdict(True, "the Grafana CRC32 checksum does not match", "low")


# Bech32 (BIP 173): the alphabet, and the generator of its BCH checksum.
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _polymod(values: list[int]) -> int:
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for bit, generator in enumerate(_GENERATOR):
            if (top >> bit) & 1:
                checksum ^= generator
    return checksum


def bech32_decode(text: str) -> tuple[str, list[int]] | None:
    """(human-readable part, 5-bit data without the checksum), or None when the
    string is not Bech32 or its checksum fails. Bech32m strings fail too."""
    if text.lower() != text and text.upper() != text:
        return None
    text = text.lower()
    hrp, separator, data = text.rpartition("1")
    if not separator or not hrp or len(data) < 6:
        return None
    try:
        values = [BECH32.index(char) for char in data]
    except ValueError:
        return None
    expanded = [ord(char) >> 5 for char in hrp] + [0] + [ord(char) & 31 for char in hrp]
    if _polymod(expanded + values) != 1:
        return None
    return hrp, values[:-6]


def _bytes_from_5bit(values: list[int]) -> bytes | None:
    accumulator = bits = 0
    result = bytearray()
    for value in values:
        accumulator = (accumulator << 5) | value
        bits += 5
        if bits >= 8:
            bits -= 8
            result.append((accumulator >> bits) & 0xFF)
    if bits >= 5 or (accumulator & ((1 << bits) - 1)):
        return None  # non-zero padding: not a canonical encoding
    return bytes(result)


def age_secret_key(candidate: Candidate) -> Verdict:
    """An age identity is the Bech32 encoding of a 32-byte X25519 scalar under
    the prefix ``AGE-SECRET-KEY-``. Bech32 is a published standard whose
    checksum catches any single typo, so a failure is not a key."""
    decoded = bech32_decode(candidate.secret)
    if decoded is None:
        return Verdict(False, "the Bech32 checksum fails: not an age secret key")
    hrp, values = decoded
    key = _bytes_from_5bit(values)
    if hrp != "age-secret-key-" or key is None or len(key) != 32:
        return Verdict(False, "Bech32, but not a 32-byte age secret key")
    return Verdict(True, "the Bech32 checksum matches a 32-byte age secret key", "high")


# Macaroon v2 field types (libmacaroons' binary format, which PyPI uses).
_EOS, _LOCATION, _IDENTIFIER, _SIGNATURE = 0, 1, 2, 6


def _macaroon_fields(data: bytes) -> list[tuple[int, bytes]] | None:
    """Every (type, value) of a v2 binary macaroon, section ends as (0, b'')."""
    if not data or data[0] != 2:
        return None
    fields: list[tuple[int, bytes]] = []
    position = 1
    while position < len(data):
        kind = data[position]
        position += 1
        if kind == _EOS:
            fields.append((_EOS, b""))
            continue
        length = shift = 0
        while True:  # a base-128 varint
            if position >= len(data) or shift > 28:
                return None
            byte = data[position]
            position += 1
            length |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        if position + length > len(data):
            return None
        fields.append((kind, data[position : position + length]))
        position += length
    return fields


def pypi_macaroon(candidate: Candidate) -> Verdict:
    """A PyPI token is ``pypi-`` and a base64url v2 macaroon: located at
    pypi.org (or test.pypi.org), with an identifier and a 32-byte signature.
    Macaroons carry no checksum, but a made-up string almost never parses."""
    body = candidate.secret.split("-", 1)[-1]
    try:
        data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (ValueError, binascii.Error):
        return Verdict(True, "not base64url: not a PyPI macaroon", "low")
    fields = _macaroon_fields(data)
    if fields is None:
        return Verdict(True, "does not decode as a macaroon", "low")
    found = dict(field for field in fields if field[0] != _EOS)
    location = found.get(_LOCATION, b"")
    signature = fields[-1] if fields else (0, b"")
    if location not in (b"pypi.org", b"test.pypi.org") or _IDENTIFIER not in found:
        return Verdict(True, "a macaroon, but not one issued by PyPI", "low")
    if signature[0] != _SIGNATURE or len(signature[1]) != 32:
        return Verdict(True, "a PyPI macaroon without its 32-byte signature (truncated?)", "low")
    return Verdict(True, f"a {location.decode()} macaroon with a signature", "high")
