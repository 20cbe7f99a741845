"""Private keys: does the armoured body really decode as a key of the type its
header declares? A key whose numbers agree (an RSA modulus that is the product
of its primes, an Ed25519 seed next to its own public key) is real key material;
a body that does not decode is a fixture, a truncated paste or random text.

Failures lower the confidence rather than drop the match: a damaged key can
still give away key material. Encrypted keys are noted (medium confidence):
they are only as safe as their passphrase.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Callable

from leakguard.validators import der
from leakguard.validators.base import Candidate, Verdict

_ARMOUR = re.compile(
    r"-{4,5} ?BEGIN ([A-Z0-9 ]+?) ?-{4,5}(.*?)-{4,5} ?END \1 ?-{4,5}", re.DOTALL
)
# string-literal glue between the lines of a key pasted into code: `\n" + "`
_GLUE = re.compile(r"""(?:\\{1,2}[rn])+|["'`]\s*\+?\s*["'`]|["'`]\s*\+?\s*$""", re.MULTILINE)
_HEADER = re.compile(r"^[ \t]*([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$")
_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/=]")

OID_NAMES = {
    "1.2.840.113549.1.1.1": "RSA",
    "1.2.840.113549.1.1.10": "RSA-PSS",
    "1.2.840.10040.4.1": "DSA",
    "1.2.840.10045.2.1": "EC",
    "1.3.101.110": "X25519",
    "1.3.101.111": "X448",
    "1.3.101.112": "Ed25519",
    "1.3.101.113": "Ed448",
    "1.2.840.113549.1.5.13": "PBES2",
    "1.2.840.10045.3.1.7": "P-256",
    "1.3.132.0.34": "P-384",
    "1.3.132.0.35": "P-521",
    "1.3.132.0.10": "secp256k1",
}

KeyCheck = Callable[[bytes], str]  # a description of the key, or DerError


def private_key(candidate: Candidate) -> Verdict:
    """Decode a PEM, OpenSSH, PGP or SSH2 private key block and check it."""
    text = candidate.secret
    if text.startswith("LS0tLS1"):  # the whole PEM, base64-encoded again
        try:
            text = base64.b64decode(_NOT_BASE64.sub("", text) + "==").decode("ascii", "replace")
        except (ValueError, binascii.Error):
            return Verdict(True, "the base64 around the key does not decode", "low")
    armour = _ARMOUR.search(_GLUE.sub("\n", text))
    if armour is None:
        return Verdict(True, "no BEGIN/END block to decode", "low")
    label, inside = armour.group(1), armour.group(2)
    headers, body, crc = _split_body(inside)
    if "ENCRYPTED" in headers.get("proc-type", ""):
        cipher = headers.get("dek-info", "?").split(",", 1)[0]
        return Verdict(True, f"{label} encrypted with {cipher}: only as safe as its passphrase",
                       "medium")
    try:
        data = base64.b64decode(body, validate=True)
    except (ValueError, binascii.Error):
        return Verdict(True, f"the {label} body is not valid base64", "low")
    check = _CHECKS.get(label)
    if check is None and label not in _PGP_LABELS:
        return Verdict(True, f"no structural check for a {label}")
    try:
        description = check(data) if check else _pgp(data, crc)
    except (der.DerError, ValueError, IndexError) as exc:
        return Verdict(True, f"the body does not decode as a {label}: {exc}", "low")
    if description.startswith("encrypted"):
        return Verdict(True, f"{label} {description}: only as safe as its passphrase", "medium")
    return Verdict(True, description, "high")


def _split_body(inside: str) -> tuple[dict[str, str], str, str | None]:
    """(RFC 1421/4880 headers, the base64 body, the PGP ``=XXXX`` checksum)."""
    headers: dict[str, str] = {}
    body: list[str] = []
    crc = None
    for raw in inside.splitlines():
        line = raw.strip()
        if not line:
            continue
        header = _HEADER.match(line)
        if header and not body:
            headers[header.group(1).lower()] = header.group(2)
        elif len(line) == 5 and line.startswith("=") and body:
            crc = line[1:]
        else:
            body.append(_NOT_BASE64.sub("", line))
    return headers, "".join(body), crc


def _rsa_numbers(sequence: list[der.Element], first: int) -> str:
    n, e, d, p, q = (element.integer() for element in sequence[first : first + 5])
    if n != p * q or not 1 < e < n or not 1 < d < n:
        raise ValueError("the modulus is not the product of the key's primes")
    return f"an RSA-{n.bit_length()} private key whose modulus is the product of its primes"


def _pkcs1(data: bytes) -> str:
    sequence = der.parse(data).children()
    if len(sequence) < 9 or sequence[0].integer() not in (0, 1):
        raise ValueError("not an RSAPrivateKey sequence")
    return _rsa_numbers(sequence, 1)


def _sec1(data: bytes, curve: str = "an unnamed curve") -> str:
    """SEC1 ECPrivateKey; PKCS#8 names the curve outside it, in ``curve``."""
    sequence = der.parse(data).children()
    if sequence[0].integer() != 1 or sequence[1].tag != der.OCTET_STRING:
        raise ValueError("not an ECPrivateKey sequence")
    if not 16 <= len(sequence[1].value) <= 66:
        raise ValueError(f"a {len(sequence[1].value)}-byte private scalar")
    for element in sequence[2:]:
        if element.tag == 0xA0:  # [0] parameters: the named curve
            curve = _oid_name(der.parse(element.value))
    return f"an EC private key on {curve}"


def _oid_name(element: der.Element) -> str:
    oid = element.oid()
    return OID_NAMES.get(oid, oid)


def _dsa(data: bytes) -> str:
    sequence = der.parse(data).children()
    if len(sequence) != 6 or sequence[0].integer() != 0:
        raise ValueError("not a DSAPrivateKey sequence")
    p, _q, g, y, x = (element.integer() for element in sequence[1:])
    if pow(g, x, p) != y:
        raise ValueError("the public value does not match the private one")
    return f"a DSA-{p.bit_length()} private key whose public value matches"


def _pkcs8(data: bytes) -> str:
    sequence = der.parse(data).children()
    if sequence[0].integer() not in (0, 1) or sequence[2].tag != der.OCTET_STRING:
        raise ValueError("not a PrivateKeyInfo sequence")
    algorithm = sequence[1].children()
    name = _oid_name(algorithm[0])
    inner = sequence[2].value
    if name in ("RSA", "RSA-PSS"):
        return "PKCS#8: " + _pkcs1(inner)
    if name == "EC":
        return "PKCS#8: " + _sec1(inner, _oid_name(algorithm[1]))
    if name == "DSA":
        x = der.parse(inner).integer()
        p, _q, g = (element.integer() for element in algorithm[1].children())
        if not 0 < x < p or pow(g, x, p) == 1:
            raise ValueError("the private value is out of range")
        return f"PKCS#8: a DSA-{p.bit_length()} private key"
    if name in ("Ed25519", "X25519", "Ed448", "X448"):
        key = der.parse(inner)
        size = 32 if name.endswith("25519") else (57 if name == "Ed448" else 56)
        if key.tag != der.OCTET_STRING or len(key.value) != size:
            raise ValueError(f"not a {size}-byte {name} key")
        return f"PKCS#8: an {name} private key"
    return f"PKCS#8: a private key of algorithm {name}"


def _pkcs8_encrypted(data: bytes) -> str:
    sequence = der.parse(data).children()
    algorithm = _oid_name(sequence[0].children()[0])
    if sequence[1].tag != der.OCTET_STRING or not sequence[1].value:
        raise ValueError("no encrypted data")
    return f"encrypted PKCS#8 ({algorithm})"


class _Wire:
    """The SSH wire format: big-endian uint32s and length-prefixed strings."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.position = 0

    def uint32(self) -> int:
        if self.position + 4 > len(self.data):
            raise ValueError("truncated")
        value = int.from_bytes(self.data[self.position : self.position + 4], "big")
        self.position += 4
        return value

    def string(self) -> bytes:
        length = self.uint32()
        if self.position + length > len(self.data):
            raise ValueError("truncated")
        value = self.data[self.position : self.position + length]
        self.position += length
        return value

    def mpint(self) -> int:
        return int.from_bytes(self.string(), "big", signed=True)


_OPENSSH_MAGIC = b"openssh-key-v1\0"


def _openssh(data: bytes) -> str:
    if not data.startswith(_OPENSSH_MAGIC):
        raise ValueError("no openssh-key-v1 magic")
    wire = _Wire(data[len(_OPENSSH_MAGIC) :])
    cipher, kdf = wire.string().decode(), wire.string().decode()
    wire.string()  # kdf options
    if wire.uint32() != 1:
        raise ValueError("not exactly one key")
    public_type = _Wire(wire.string()).string().decode()
    private = wire.string()
    if cipher != "none":
        return f"encrypted OpenSSH {public_type} key ({cipher}, {kdf})"
    section = _Wire(private)
    if section.uint32() != section.uint32():
        raise ValueError("the check integers differ (damaged or encrypted)")
    key_type = section.string().decode()
    if key_type != public_type:
        raise ValueError(f"private {key_type} under a {public_type} public key")
    return "an OpenSSH " + _openssh_key(key_type, section)


def _openssh_key(key_type: str, section: _Wire) -> str:
    if key_type == "ssh-ed25519":
        public, secret = section.string(), section.string()
        if len(public) != 32 or len(secret) != 64 or secret[32:] != public:
            raise ValueError("the Ed25519 seed and public key do not belong together")
        return "Ed25519 private key matching its public key"
    if key_type == "ssh-rsa":
        n, e, d, _iqmp, p, q = (section.mpint() for _ in range(6))
        if n != p * q or not 1 < e < n or not 1 < d < n:
            raise ValueError("the modulus is not the product of the key's primes")
        return f"RSA-{n.bit_length()} private key whose modulus is the product of its primes"
    if key_type == "ssh-dss":
        p, _q, g, y, x = (section.mpint() for _ in range(5))
        if pow(g, x, p) != y:
            raise ValueError("the public value does not match the private one")
        return f"DSA-{p.bit_length()} private key whose public value matches"
    if key_type.startswith("ecdsa-sha2-"):
        curve, point, scalar = section.string().decode(), section.string(), section.mpint()
        if not point or point[0] != 4 or scalar <= 0:
            raise ValueError("not an uncompressed point and a positive scalar")
        return f"ECDSA private key on {curve}"
    return f"{key_type} private key"


_SSH2_MAGIC = 0x3F6FF9EB


def _ssh2(data: bytes) -> str:
    """SSH.COM (SECSH) private key: magic, length, key type, cipher, key blob."""
    wire = _Wire(data)
    if wire.uint32() != _SSH2_MAGIC:
        raise ValueError("no SSH2 private key magic")
    wire.uint32()
    key_type = wire.string().decode("ascii", "replace")
    cipher = wire.string().decode("ascii", "replace")
    if not wire.string():
        raise ValueError("no key data")
    family = key_type.split("{", 1)[0]
    if cipher != "none":
        return f"encrypted SSH2 {family} key ({cipher})"
    return f"an SSH2 {family} private key"


def crc24(data: bytes) -> int:
    """The OpenPGP armour checksum (RFC 4880, 6.1)."""
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def _pgp(data: bytes, checksum: str | None) -> str:
    if checksum is not None:
        expected = base64.b64encode(crc24(data).to_bytes(3, "big")).decode()
        if checksum != expected:
            raise ValueError("the armour's CRC-24 checksum does not match")
    if not data or not data[0] & 0x80:
        raise ValueError("not an OpenPGP packet")
    first = data[0]
    tag = first & 0x3F if first & 0x40 else (first >> 2) & 0x0F
    if tag != 5:
        raise ValueError(f"the first packet is of type {tag}, not a secret key")
    checked = "its CRC-24 checksum matches" if checksum else "no armour checksum to check"
    return f"an OpenPGP secret key packet ({checked})"


def putty_key(candidate: Candidate) -> Verdict:
    """A PuTTY ``.ppk`` file: without a passphrase its Private-MAC is an HMAC
    over the key that anyone can recompute (v2: SHA-1 keyed with the SHA-1 of a
    fixed string; v3: SHA-256 with an empty key)."""
    fields: dict[str, str] = {}
    blobs: dict[str, list[str]] = {"public": [], "private": []}
    current: list[str] | None = None
    version = "3"
    for raw in candidate.secret.splitlines():
        line = raw.strip()
        name, colon, value = line.partition(":")
        if colon:  # a header: base64 lines never hold a colon
            if name.startswith("PuTTY-User-Key-File-"):
                version, name = name[-1], "Algorithm"
            fields[name] = value.strip()
            current = {"Public-Lines": blobs["public"],
                       "Private-Lines": blobs["private"]}.get(name)
        elif current is not None:
            current.append(line)
    try:
        public = base64.b64decode("".join(blobs["public"]), validate=True)
        private = base64.b64decode("".join(blobs["private"]), validate=True)
        mac = bytes.fromhex(fields.get("Private-MAC", ""))
    except (ValueError, binascii.Error):
        return Verdict(True, "the key lines are not base64", "low")
    if fields.get("Encryption", "none") != "none":
        return Verdict(True, f"PuTTY key encrypted with {fields['Encryption']}: only as safe "
                       "as its passphrase", "medium")
    message = b"".join(
        len(part).to_bytes(4, "big") + part
        for part in (fields.get("Algorithm", "").encode(), b"none",
                     fields.get("Comment", "").encode(), public, private)
    )
    if version == "2":
        key = hashlib.sha1(b"putty-private-key-file-mac-key").digest()
        computed = hmac.new(key, message, hashlib.sha1).digest()
    else:
        computed = hmac.new(b"", message, hashlib.sha256).digest()
    if hmac.compare_digest(computed, mac):
        return Verdict(True, "the PuTTY key's Private-MAC matches", "high")
    return Verdict(True, "the PuTTY key's Private-MAC does not match (edited or made up)", "low")


_CHECKS: dict[str, KeyCheck] = {
    "RSA PRIVATE KEY": _pkcs1,
    "EC PRIVATE KEY": _sec1,
    "DSA PRIVATE KEY": _dsa,
    "PRIVATE KEY": _pkcs8,
    "ENCRYPTED PRIVATE KEY": _pkcs8_encrypted,
    "OPENSSH PRIVATE KEY": _openssh,
    "SSH2 ENCRYPTED PRIVATE KEY": _ssh2,
}
_PGP_LABELS = ("PGP PRIVATE KEY BLOCK", "PGP SECRET KEY BLOCK")  # checked with their CRC-24
