"""Git LFS: what a commit of a pointer file stands for is read from the store.

git-lfs is not needed to make what it leaves behind: its clean filter
stores the content under ``.git/lfs/objects`` and stages a pointer, which is
what ``_track`` does by hand.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Repo, Run
from pii_vectors import EMAIL
from vectors import GITHUB_TOKEN, OTHER_GITHUB_TOKEN

from leakguard.lfs import object_path, pointer_oid

Runner = Callable[..., Run]


def _pointer(content: bytes) -> tuple[str, bytes]:
    oid = hashlib.sha256(content).hexdigest()
    text = f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {len(content)}\n"
    return oid, text.encode()


def _track(repo: Repo, name: str, content: bytes, *, store: Path | None = None) -> str:
    """Stage ``content`` at ``name`` the way git-lfs does; the content's oid."""
    oid, pointer = _pointer(content)
    stored = object_path(store or repo.path / ".git" / "lfs", oid)
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(content)
    repo.write(name, pointer)
    repo.git("add", name)
    return oid


def _where(document: dict[str, Any]) -> list[tuple[str, int, str]]:
    return sorted((f["path"], f["line"], f["rule_id"]) for f in document["findings"])


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (_pointer(b"x")[1], hashlib.sha256(b"x").hexdigest()),
        # keys after the version are sorted; extensions come before the oid
        (b"version https://git-lfs.github.com/spec/v1\next-0-foo sha256:" + b"1" * 64
         + b"\noid sha256:" + b"a" * 64 + b"\nsize 3\n", "a" * 64),
        (b"oid sha256:" + b"a" * 64 + b"\n", None),  # no version line: a file's own text
        (_pointer(b"x")[1].upper(), None),
        (_pointer(b"x")[1] + b"#" * 1024, None),  # longer than any pointer
    ],
)
def test_pointer_oid(data: bytes, expected: str | None) -> None:
    assert pointer_oid(data) == expected


def test_a_staged_lfs_data_file_is_scanned_with_its_rows(repo: Repo, run: Runner) -> None:
    repo.commit("start")
    _track(repo, "data/users.csv", f"id,email\n1,{EMAIL}\n".encode())
    _track(repo, "notes.txt", f"x = 1\ntoken = {GITHUB_TOKEN}\n".encode())
    result = run("scan", "--staged", "-f", "json", cwd=repo.path)
    assert result.code == 1
    document = result.json()
    assert _where(document) == [("data/users.csv", 2, "pii-email"), ("notes.txt", 2, "github-pat")]
    [row] = [f for f in document["findings"] if f["path"] == "data/users.csv"]
    assert (row["row"], row["field"], row["origin"]) == (1, "email", "staged")


def test_a_changed_lfs_file_reports_only_what_is_new(repo: Repo, run: Runner) -> None:
    _track(repo, "model/config.txt", f"a = 1\nold = {GITHUB_TOKEN}\n".encode())
    repo.commit("first version")
    _track(repo, "model/config.txt",
           f"a = 1\nold = {GITHUB_TOKEN}\nb = 2\nnew = {OTHER_GITHUB_TOKEN}\n".encode())
    result = run("scan", "--staged", "-f", "json", cwd=repo.path)
    assert _where(result.json()) == [("model/config.txt", 4, "github-pat")]


def test_content_missing_from_the_store_is_said_not_scanned(repo: Repo, run: Runner) -> None:
    oid, pointer = _pointer(f"token = {GITHUB_TOKEN}\n".encode())
    repo.write("weights.bin", pointer)  # a pointer copied without its content
    repo.git("add", "weights.bin")
    result = run("scan", "--staged", "-f", "json", cwd=repo.path)
    assert result.code == 0
    reasons = {s["path"]: s["reason"] for s in result.json()["summary"]["skipped"]}
    assert reasons == {"weights.bin": f"Git LFS content {oid[:12]} is not in this clone's LFS store"}


def test_history_reads_lfs_content_in_the_first_commit_and_later_ones(
    repo: Repo, run: Runner
) -> None:
    _track(repo, "fixtures.json", f'{{"token": "{GITHUB_TOKEN}"}}\n'.encode())
    first = repo.commit("add fixtures")
    _track(repo, "fixtures.json",
           f'{{"token": "{GITHUB_TOKEN}"}}\n{{"other": "{OTHER_GITHUB_TOKEN}"}}\n'.encode())
    second = repo.commit("more fixtures")
    result = run("scan", "--history", "-f", "json", cwd=repo.path)
    assert result.code == 1
    found = sorted((f["commit"]["sha"], f["line"]) for f in result.json()["findings"])
    assert found == sorted([(first, 1), (second, 2)])


def test_the_store_lfs_storage_names_is_read(repo: Repo, run: Runner) -> None:
    repo.git("config", "lfs.storage", "elsewhere")
    _track(repo, "notes.txt", f"token = {GITHUB_TOKEN}\n".encode(),
           store=repo.path / ".git" / "elsewhere")
    assert _where(run("scan", "--staged", "-f", "json", cwd=repo.path).json()) == [
        ("notes.txt", 1, "github-pat")
    ]


def test_a_file_that_only_mentions_an_oid_is_scanned_as_itself(repo: Repo, run: Runner) -> None:
    repo.write("docs/lfs.md", f"oid sha256:{'a' * 64}\nkey = {GITHUB_TOKEN}\n")
    repo.git("add", "docs/lfs.md")
    assert _where(run("scan", "--staged", "-f", "json", cwd=repo.path).json()) == [
        ("docs/lfs.md", 2, "github-pat")
    ]


def test_a_shallow_clone_reads_lfs_content_of_its_one_commit(
    repo: Repo, run: Runner, tmp_path: Path
) -> None:
    """Its commit's files are read whole from the tree, pointers included;
    git-lfs fetches the content of what it checked out into the clone's store."""
    _track(repo, "data/users.csv", f"id,email\n1,{EMAIL}\n".encode())
    repo.commit("dataset")
    repo.write("later.txt", "clean\n")
    repo.commit("later")
    clone = repo.shallow_clone(tmp_path / "shallow")
    shutil.copytree(repo.path / ".git" / "lfs", clone.path / ".git" / "lfs")
    result = run("scan", "--history", "-f", "json", cwd=clone.path)
    assert [(f["path"], f["row"], f["field"]) for f in result.json()["findings"]] == [
        ("data/users.csv", 1, "email")
    ]


def test_a_changed_lfs_data_file_over_the_size_limit_is_read_by_rows(
    repo: Repo, run: Runner
) -> None:
    """Too large to compare with its old content, but a data file is read by
    rows whatever its size: all of it, old rows too (more, never less)."""
    rows = "".join(f"{n},user{n}\n" for n in range(300))
    _track(repo, "data/users.csv", f"id,name\n{rows}".encode())
    repo.commit("dataset")
    _track(repo, "data/users.csv", f"id,name\n{rows}301,{EMAIL}\n".encode())
    result = run("scan", "--staged", "--max-file-size", "2KB", "-f", "json", cwd=repo.path)
    assert [(f["path"], f["row"]) for f in result.json()["findings"]] == [("data/users.csv", 301)]
