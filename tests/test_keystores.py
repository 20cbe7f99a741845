"""Binary key stores are reported as files that are secrets themselves."""

from __future__ import annotations

import hashlib
import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Repo, Run

from leakguard.keystores import PKCS12, kind_of, text_of

Runner = Callable[..., Run]

# A PKCS#12 bundle of a throwaway EC key made for this test (Python
# `cryptography`, password "changeit"); it has never been used anywhere.
PFX = bytes.fromhex(
    "308201b60201033082016c06092a864886f70d010701a082015d04820159308201553082015106092a864886"
    "f70d010701a08201420482013e3082013a30820136060b2a864886f70d010c0a0102a081f73081f4305f0609"
    "2a864886f70d01050d3052303106092a864886f70d01050c302404106751a5bf59179e8e4487faf0470bda5c"
    "02024e20300c06082a864886f70d02090500301d060960864801650304012a0410cde150eaf79fb11138c015"
    "bbb9d6c04f04819034d2d700a6b765bb95b688f19383dab5aed8f3dc208bb82f1cb486cce3c49a65787b0785"
    "ca0fa005038ab8cb9a5e7db097c168de8b03730c134b50aa8bf70cc5ae0193e510434fd99c859e0c09a18a80"
    "e5b8ed4d1fef168a081f95779d25787afef6797a18db88cec8f0b0a3d76f48495027369020ad0e14656c3748"
    "e63b0b9c8f70b09f3262a3c2b31da3032f08d7aa312d302b06092a864886f70d010914311e1e1c006c006500"
    "61006b00670075006100720064002d007400650073007430413031300d060960864801650304020105000420"
    "0bbbf36c0fad38c741bdd8d5eff13bc9b4c26cd2ca1c044a1b2b432cc3aa9b810408df25c9915a876fa20202"
    "0800"
)
NOISE = random.Random(7).randbytes(200)
JKS = b"\xfe\xed\xfe\xed\x00\x00\x00\x02\x00\x00\x00\x01" + NOISE
KDBX = b"\x03\xd9\xa2\x9a\x67\xfb\x4b\xb5\x01\x00\x04\x00" + NOISE
# DER that is no key store: a certificate-like SEQUENCE of SEQUENCEs
DER_CERTIFICATE = bytes.fromhex("308201a2308201480201") + NOISE


@pytest.mark.parametrize(
    ("data", "kind"),
    [(PFX, PKCS12), (JKS, "Java key store (JKS)"), (KDBX, "KeePass 2 database"),
     (DER_CERTIFICATE, None), (NOISE, None), (b"plain text\n", None)],
)
def test_kind_of(data: bytes, kind: str | None) -> None:
    assert kind_of(data) == kind


def _found(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted((f["path"], f["rule_id"], f["secret"]) for f in document["findings"])


def test_a_folder_scan_reports_key_stores_by_content(tmp_path: Path, run: Runner) -> None:
    (tmp_path / "client.p12").write_bytes(PFX)
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "truststore").write_bytes(JKS)  # no telling name
    (tmp_path / "cert.der").write_bytes(DER_CERTIFICATE)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("secrets/passwords.kdbx", KDBX)
    (tmp_path / "backup.zip").write_bytes(buffer.getvalue())
    result = run("scan", str(tmp_path), "--no-git", "-f", "json", "--show-secrets")
    assert result.code == 1
    assert _found(result.json()) == sorted([
        ("client.p12", "binary-keystore", hashlib.sha256(PFX).hexdigest()),
        ("conf/truststore", "binary-keystore", hashlib.sha256(JKS).hexdigest()),
        ("backup.zip!secrets/passwords.kdbx", "binary-keystore", hashlib.sha256(KDBX).hexdigest()),
    ])
    text = run("scan", str(tmp_path), "--no-git").out
    assert "leakguard: binary PKCS#12 key bundle, SHA-256 *****" in text


def test_the_hook_and_history_report_a_committed_key_store(repo: Repo, run: Runner) -> None:
    repo.write("deploy/signing.pfx", PFX)
    repo.git("add", "deploy/signing.pfx")
    staged = run("scan", "--staged", "-f", "json", cwd=repo.path)
    assert (staged.code, [f["path"] for f in staged.json()["findings"]]) == (
        1, ["deploy/signing.pfx"]
    )
    commit = repo.commit("signing key")
    history = run("scan", "--history", "-f", "json", cwd=repo.path).json()["findings"]
    assert [(f["path"], f["commit"]["sha"], f["line"]) for f in history] == [
        ("deploy/signing.pfx", commit, 1)
    ]


def test_the_line_a_key_store_stands_for() -> None:
    assert text_of(PKCS12, PFX) == (
        f"leakguard: binary PKCS#12 key bundle, SHA-256 {hashlib.sha256(PFX).hexdigest()}\n"
    )
