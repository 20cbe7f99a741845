"""Binary key stores: files whose whole content is secret material.

A PKCS#12 bundle (``.p12``, ``.pfx``), a Java key store (JKS, JCEKS) or a
KeePass database holds private keys or passwords behind a password, often a
tool's default (``changeit``) or one that sits beside it in the repository:
committing one leaks it however it is encrypted. They are binary, so no rule
reads them as text. They are recognised by their first bytes and stand for
one line of text, ``leakguard: binary <kind>, SHA-256 <digest>``, which a
rule in ``patterns/keys.toml`` reports: the digest is the finding's value (a
baseline remembers that content; the file itself is the secret).
"""

from __future__ import annotations

_MAGIC = (
    (b"\xfe\xed\xfe\xed", "Java key store (JKS)"),
    (b"\xce\xce\xce\xce", "Java key store (JCEKS)"),
    (b"\x03\xd9\xa2\x9a\x67\xfb\x4b\xb5", "KeePass 2 database"),
    (b"\x03\xd9\xa2\x9a\x65\xfb\x4b\xb5", "KeePass 1 database"),
)
PKCS12 = "PKCS#12 key bundle"
# PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo, ... }, and
# authSafe's contentType is id-data (1.2.840.113549.1.7.1) or id-signedData
_VERSION_3 = b"\x02\x01\x03"
_CONTENT_TYPES = (b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01",
                  b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02")


def kind_of(data: bytes) -> str | None:
    """What kind of key store ``data`` is, if it is one."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return PKCS12 if _pfx(data) else None


def _pfx(data: bytes) -> bool:
    """A DER (or BER) PFX: its outer SEQUENCE, version 3, then the authSafe
    ContentInfo with its content type, in the first few dozen bytes."""
    if len(data) < 24 or data[0] != 0x30:
        return False
    length = data[1]
    header = 2 if length < 0x80 or length == 0x80 else 2 + (length & 0x7F)
    if data[header : header + 3] != _VERSION_3:
        return False
    following = data[header + 3 : header + 3 + 24]
    return any(content_type in following for content_type in _CONTENT_TYPES)


def text_of(kind: str, data: bytes) -> str:
    """The line a key store stands for."""
    import hashlib  # loading OpenSSL costs the hook milliseconds: only for a key store

    return f"leakguard: binary {kind}, SHA-256 {hashlib.sha256(data).hexdigest()}\n"
