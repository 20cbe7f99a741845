"""Archives: zip, tar and compressed files are scanned by their member files."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import random
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import zstandard
from conftest import Repo, Run
from pii_vectors import EMAIL
from vectors import GITHUB_TOKEN, OTHER_GITHUB_TOKEN

from leakguard.archives import Member, Unreadable, kind_of, members
from leakguard.models import Skipped

Runner = Callable[..., Run]


def _zip(files: dict[str, bytes], *, encrypted: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("folder/", b"")
        for name, content in files.items():
            archive.writestr(name, content)
    data = bytearray(buffer.getvalue())
    if encrypted:  # zipfile writes no encrypted member: set the flag that says one is
        name = encrypted.encode()
        for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
            start = data.find(signature)
            while data[start + name_at : start + name_at + len(name)] != name:
                start = data.find(signature, start + 1)
            data[start + flag_at] |= 0x1
    return bytes(data)


def _tar(files: dict[str, bytes], mode: str = "w:gz") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:  # type: ignore[call-overload]
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def _listed(items: list[Member | Skipped]) -> list[tuple[str, bytes | str]]:
    return [(item.path, item.data if isinstance(item, Member) else item.reason)
            for item in items]


@pytest.mark.parametrize(
    ("data", "kind"),
    [(_zip({}), "zip"), (_zip({"a": b"x"}), "zip"), (_tar({}), "gzip"),
     (_tar({"a": b"x"}, "w"), "tar"),
     (bz2.compress(b"x"), "bzip2"), (lzma.compress(b"x"), "xz"),
     (zstandard.ZstdCompressor().compress(b"x"), "zstd"), (b"PK but not", None),
     (b"plain text", None)],
)
def test_kind_of(data: bytes, kind: str | None) -> None:
    assert kind_of(data) == kind


def test_members_of_a_zip_nested_archives_opened() -> None:
    inner = _tar({"deep/.env": b"KEY=1\n"})
    data = _zip({"config/app.env": b"A=1\n", "logo.png": b"\x89PNG\0", "inner.tar.gz": inner})
    assert _listed(members("backup.zip", data, max_size=1024)) == [
        ("backup.zip!config/app.env", b"A=1\n"),
        ("backup.zip!logo.png", b"\x89PNG\0"),
        ("backup.zip!inner.tar.gz!deep/.env", b"KEY=1\n"),
    ]


@pytest.mark.parametrize(
    ("name", "data", "shown"),
    [("dump.sql.gz", gzip.compress(b"insert 1;\n"), "dump.sql.gz!dump.sql"),
     ("dump.sql.bz2", bz2.compress(b"insert 1;\n"), "dump.sql.bz2!dump.sql"),
     ("notes.xz", lzma.compress(b"insert 1;\n"), "notes.xz!notes"),
     # ZSTD: datasets and backups (.jsonl.zst, .tar.zst), frames one after another
     ("rows.jsonl.zst", zstandard.ZstdCompressor().compress(b"insert ")
      + zstandard.ZstdCompressor().compress(b"1;\n"), "rows.jsonl.zst!rows.jsonl")],
)
def test_a_single_compressed_file_is_its_one_member(name: str, data: bytes, shown: str) -> None:
    assert _listed(members(name, data, max_size=1024)) == [(shown, b"insert 1;\n")]


def test_limits_bound_what_an_archive_costs() -> None:
    """Each member within the size limit (whatever its header says), all of
    them within a budget: a bomb is reported, not unpacked."""
    data = _zip({"big.txt": b"x" * 5000, "small.txt": b"ok", "secret.env": b"K=1"},
                encrypted="secret.env")
    assert _listed(members("a.zip", data, max_size=1000)) == [
        ("a.zip!big.txt", "larger than the size limit (5000 > 1000 bytes)"),
        ("a.zip!small.txt", b"ok"),
        ("a.zip!secret.env", "encrypted archive member"),
    ]
    for name, bomb in (("bomb.txt.gz", gzip.compress(b"x" * 10_000_000)),
                       ("bomb.txt.zst", zstandard.ZstdCompressor().compress(b"x" * 10_000_000))):
        [refused] = members(name, bomb, max_size=1000)
        assert (refused.path, refused.reason) == (
            f"{name}!bomb.txt", "larger than the size limit once unpacked (> 1000 bytes)"
        )
    many = _tar({f"f{n}.txt": b"y" * 900 for n in range(40)}, "w")  # 36 KB > 16 x 1 KB
    listed = members("many.tar", many, max_size=1000)
    assert sum(isinstance(item, Member) for item in listed) == 17
    assert isinstance(listed[-1], Skipped) and "the rest not scanned" in listed[-1].reason


@pytest.mark.parametrize(
    "data", [b"\x1f\x8b not gzip at all", _zip({"a": b"x"})[:40], b"\x28\xb5\x2f\xfd\0damaged"]
)
def test_a_damaged_archive_cannot_be_read(data: bytes) -> None:
    with pytest.raises(Unreadable):
        members("broken.gz", data, max_size=1000)


def test_an_archive_damaged_part_way_keeps_what_came_before() -> None:
    data = _tar({"a.txt": b"first\n", "b.txt": b"second\n", "c.bin": random.Random(1).randbytes(20_000)})
    listed = _listed(members("t.tar.gz", data[:-2000], max_size=100_000))
    assert listed[:2] == [("t.tar.gz!a.txt", b"first\n"), ("t.tar.gz!b.txt", b"second\n")]
    assert listed[2][0] == "t.tar.gz" and str(listed[2][1]).startswith("archive damaged part-way")


def test_a_damaged_archive_inside_one_is_a_note_and_text_stays_text() -> None:
    data = _zip({"inner.zip": _zip({"a": b"x"})[:40], "ok.txt": b"fine", "note.txt": b"BZh!"})
    assert _listed(members("outer.zip", data, max_size=1000)) == [
        ("outer.zip!inner.zip", "archive that cannot be read (File is not a zip file)"),
        ("outer.zip!ok.txt", b"fine"),
        ("outer.zip!note.txt", b"BZh!"),
    ]


def test_text_that_starts_like_an_archive_is_scanned_as_text(tmp_path: Path, run: Runner) -> None:
    """"BZh" starts a bzip2 stream, and a sentence; a file that cannot be read
    as an archive but is text is text (and a damaged archive is a note)."""
    (tmp_path / "notes.txt").write_text(f"BZh, said the note: {GITHUB_TOKEN}\n")
    (tmp_path / "broken.zip").write_bytes(_zip({"a": b"x"})[:40])
    result = run("scan", str(tmp_path), "--no-git", "-f", "json")
    assert _findings(result.json()) == [("notes.txt", 1, "github-pat")]
    skipped = {s["path"]: s["reason"] for s in result.json()["summary"]["skipped"]}
    assert skipped["broken.zip"].startswith("archive that cannot be read")


def _findings(document: dict[str, Any]) -> list[tuple[str, int, str]]:
    return sorted((f["path"], f["line"], f["rule_id"]) for f in document["findings"])


def test_a_folder_scan_reads_archives(tmp_path: Path, run: Runner) -> None:
    (tmp_path / "backup.zip").write_bytes(_zip({
        "config/.env": f"X=1\nGITHUB_TOKEN={GITHUB_TOKEN}\n".encode(),
        "users.csv": f"id,email\n1,{EMAIL}\n".encode(),
        "report.docx": _zip({"word/document.xml": f"<w:t>{EMAIL}</w:t>".encode()}),
    }))
    (tmp_path / "dump.sql.gz").write_bytes(
        gzip.compress(f"insert into t values ('{OTHER_GITHUB_TOKEN}');\n".encode())
    )
    result = run("scan", str(tmp_path), "--no-git", "-f", "json")
    assert result.code == 1
    document = result.json()
    assert _findings(document) == [
        ("backup.zip!config/.env", 2, "github-pat"),
        ("backup.zip!report.docx!word/document.xml", 1, "pii-email"),
        ("backup.zip!users.csv", 2, "pii-email"),
        ("dump.sql.gz!dump.sql", 1, "github-pat"),
    ]
    [row] = [f for f in document["findings"] if f["path"] == "backup.zip!users.csv"]
    assert (row["row"], row["field"]) == (1, "email")


def test_a_staged_archive_reports_only_what_its_members_add(repo: Repo, run: Runner) -> None:
    repo.write("configs.zip", _zip({"a.env": f"A={GITHUB_TOKEN}\n".encode()}))
    repo.commit("configs")
    repo.write("configs.zip", _zip({
        "a.env": f"A={GITHUB_TOKEN}\n".encode(),
        "b.env": f"B=1\nB={OTHER_GITHUB_TOKEN}\n".encode(),
    }))
    repo.git("add", "configs.zip")
    result = run("scan", "--staged", "-f", "json", cwd=repo.path)
    assert _findings(result.json()) == [("configs.zip!b.env", 2, "github-pat")]


def test_history_reads_archives_in_commits(repo: Repo, run: Runner) -> None:
    repo.write("README.md", "x\n")
    repo.commit("start")
    repo.write("exports/users.tar.gz", _tar({"users.csv": f"id,email\n1,{EMAIL}\n".encode()}))
    commit = repo.commit("export")
    result = run("scan", "--history", "-f", "json", cwd=repo.path)
    assert [(f["path"], f["commit"]["sha"]) for f in result.json()["findings"]] == [
        ("exports/users.tar.gz!users.csv", commit)
    ]


def test_a_staged_archive_over_the_size_limit_is_named(repo: Repo, run: Runner) -> None:
    """Too large to open in the hook: said by name, as a large file is, not
    counted among the binaries."""
    noise = random.Random(2).randbytes(6000)
    repo.write("big.zip", _zip({"noise.bin": noise, "a.env": f"A={GITHUB_TOKEN}\n".encode()}))
    repo.git("add", "big.zip")
    result = run("scan", "--staged", "--max-file-size", "4KB", cwd=repo.path)
    assert result.code == 0
    assert "not scanned, over the size limit: big.zip" in result.out
    assert run("scan", "--staged", cwd=repo.path).code == 1


def test_archives_nested_deeper_than_the_depth_are_not_opened(tmp_path: Path, run: Runner) -> None:
    """An archive within an archive within an archive... (or one that holds
    itself) ends at the depth: the innermost is a binary member, passed over."""
    data = _zip({"deep.env": f"T={GITHUB_TOKEN}\n".encode()})
    for level in range(5):
        data = _zip({f"level{level}.zip": data})
    (tmp_path / "nest.zip").write_bytes(data)
    result = run("scan", str(tmp_path), "--no-git", "-f", "json")
    assert (result.code, result.json()["findings"]) == (0, [])
    (tmp_path / "nest.zip").write_bytes(_zip({"l1.zip": _zip({"deep.env": f"T={GITHUB_TOKEN}\n".encode()})}))
    assert _findings(run("scan", str(tmp_path), "--no-git", "-f", "json").json()) == [
        ("nest.zip!l1.zip!deep.env", 1, "github-pat")
    ]
