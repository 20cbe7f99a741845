"""`leakguard scan --staged`: what the next commit adds, read from the index."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import GIT_ENV, Repo, Run, code_notebook
from vectors import GITHUB_TOKEN, OTHER_GITHUB_TOKEN

Runner = Callable[..., Run]


def _staged(run: Runner, repo: Repo) -> tuple[int, list[dict[str, Any]], dict[str, Any]]:
    result = run("scan", "--staged", "-f", "json", cwd=repo.path)
    document = result.json()
    return result.code, document["findings"], document


def test_first_commit_in_an_empty_repository(repo: Repo, run: Runner) -> None:
    repo.write("app.py", f"x = 1\ntoken = '{GITHUB_TOKEN}'\n")
    repo.git("add", "app.py")
    code, findings, _ = _staged(run, repo)
    assert code == 1
    assert [(f["path"], f["line"], f["origin"], f["commit"]) for f in findings] == [
        ("app.py", 2, "staged", None)
    ]


def test_the_index_not_the_working_tree_is_judged(repo: Repo, run: Runner) -> None:
    repo.write("a.py", "x = 1\n")
    repo.commit("start")
    repo.write("a.py", f"x = 1\ntoken = '{GITHUB_TOKEN}'\n")
    repo.git("add", "a.py")
    repo.write("a.py", "x = 1\n")  # removed from the working tree, still staged
    assert _staged(run, repo)[0] == 1
    repo.git("add", "a.py")
    repo.write("a.py", f"x = 1\ntoken = '{GITHUB_TOKEN}'\n")  # only in the working tree
    assert _staged(run, repo)[:2] == (0, [])


def test_an_old_secret_elsewhere_in_a_touched_file_does_not_block(repo: Repo, run: Runner) -> None:
    repo.write("settings.py", f"OLD = '{GITHUB_TOKEN}'\n" + "".join(f"V{n} = {n}\n" for n in range(20)))
    repo.commit("legacy")
    text = (repo.path / "settings.py").read_text().replace("V10 = 10", "V10 = 11")
    repo.write("settings.py", text)
    repo.git("add", "settings.py")
    assert _staged(run, repo)[:2] == (0, [])
    repo.write("settings.py", text.replace("V15 = 15", f"NEW = '{OTHER_GITHUB_TOKEN}'"))
    repo.git("add", "settings.py")
    code, findings, _ = _staged(run, repo)
    assert code == 1 and [(f["path"], f["line"]) for f in findings] == [("settings.py", 17)]


def test_files_given_limit_the_change_and_untouched_ones_are_read_whole(
    repo: Repo, run: Runner
) -> None:
    """The pre-commit framework passes file names: the staged ones are judged
    by what they add, one the change does not touch is scanned whole
    (`pre-commit run --all-files` in CI, with nothing staged), one not named
    is left out."""
    repo.write("touched.py", f"OLD = '{GITHUB_TOKEN}'\n")
    repo.write("committed.env", f"TOKEN={OTHER_GITHUB_TOKEN}\n")
    repo.write("other.py", "x = 1\n")
    repo.commit("start")
    repo.write("touched.py", f"OLD = '{GITHUB_TOKEN}'\nx = 2\n")
    repo.write("other.py", f"x = '{GITHUB_TOKEN}'\n")
    repo.git("add", "touched.py", "other.py")
    result = run("scan", "--staged", "touched.py", "committed.env", "-f", "json", cwd=repo.path)
    assert result.code == 1
    assert [(f["path"], f["line"], f["origin"]) for f in result.json()["findings"]] == [
        ("committed.env", 1, "file")
    ]
    both = run("scan", "--staged", ".", "touched.py", cwd=repo.path)
    assert both.code == 2 and "not both" in both.err


def test_renames_copies_deletes_and_binaries(repo: Repo, run: Runner) -> None:
    repo.write("old.py", f"TOKEN = '{GITHUB_TOKEN}'\n" + "".join(f"v{n} = {n}\n" for n in range(10)))
    repo.write("doomed.py", f"TOKEN = '{OTHER_GITHUB_TOKEN}'\n")
    repo.commit("start")
    repo.git("mv", "old.py", "renamed.py")
    repo.git("rm", "-q", "doomed.py")
    repo.write("blob.bin", b"\x00\x01" + GITHUB_TOKEN.encode())
    repo.git("add", "blob.bin")
    code, findings, document = _staged(run, repo)
    assert (code, findings) == (0, [])
    assert {"path": "blob.bin", "reason": "binary file"} in document["summary"]["skipped"]
    renamed = (repo.path / "renamed.py").read_text() + f"NEW = '{OTHER_GITHUB_TOKEN}'\n"
    repo.write("renamed.py", renamed)
    repo.git("add", "renamed.py")
    assert [(f["path"], f["line"]) for f in _staged(run, repo)[1]] == [("renamed.py", 12)]


def test_odd_paths_and_encodings(repo: Repo, run: Runner) -> None:
    names = ["with space.txt", "new\nline.txt", "caf\u00e9.txt"]
    for name in names:
        repo.write(name, f"t = {GITHUB_TOKEN}\n")
    latin = "latin\udce9.txt"  # a non-UTF-8 file name
    (repo.path / latin).write_bytes("caf\u00e9 ".encode("latin-1") + GITHUB_TOKEN.encode())
    repo.git("add", "--all")
    _, findings, _ = _staged(run, repo)
    assert sorted(f["path"] for f in findings) == sorted([*names, latin])


def test_submodules_are_skipped_with_a_note(repo: Repo, run: Runner, tmp_path: Path) -> None:
    inner = Repo(tmp_path / "inner")
    inner.path.mkdir()
    inner.git("init", "-q")
    inner.write("x.txt", f"{GITHUB_TOKEN}\n")
    inner.commit("inner")
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner.path), "lib")
    code, findings, document = _staged(run, repo)
    assert (code, findings) == (0, [])
    assert {"path": "lib", "reason": "submodule (scan it separately)"} in document["summary"]["skipped"]


def test_staged_scan_redacts_in_text_output(repo: Repo, run: Runner) -> None:
    repo.write("a.env", f"GITHUB_TOKEN={GITHUB_TOKEN}\n")
    repo.git("add", "a.env")
    result = run("scan", "--staged", cwd=repo.path)
    assert result.code == 1 and "a.env:1:14" in result.out and GITHUB_TOKEN not in result.out


def test_staged_in_a_linked_worktree(repo: Repo, run: Runner, tmp_path: Path) -> None:
    repo.write("a.txt", "a\n")
    repo.commit("start")
    worktree = Repo(tmp_path / "wt")
    repo.git("worktree", "add", "-q", "-b", "side", str(worktree.path))
    worktree.write("b.py", f"t = '{GITHUB_TOKEN}'\n")
    worktree.git("add", "b.py")
    assert [f["path"] for f in _staged(run, worktree)[1]] == ["b.py"]
    assert _staged(run, repo)[1] == []


def test_a_broken_index_is_an_environment_error(repo: Repo, run: Runner) -> None:
    repo.write("a.txt", "a\n")
    repo.git("add", "a.txt")
    (repo.path / ".git" / "index").write_bytes(b"garbage")
    result = run("scan", "--staged", cwd=repo.path)
    assert result.code == 2 and "git diff failed" in result.err


def test_git_commit_is_blocked_by_the_installed_hook(repo: Repo, run: Runner) -> None:
    result = run("install", cwd=repo.path)
    assert result.code == 0, result.err
    repo.write("a.py", f"t = '{GITHUB_TOKEN}'\n")
    repo.git("add", "a.py")
    blocked = subprocess.run(["git", "commit", "-m", "leak"], cwd=repo.path, capture_output=True,
                             text=True, env={**GIT_ENV, "PATH": "/usr/bin:/bin"}, check=False)
    assert blocked.returncode != 0
    assert "github-pat" in blocked.stdout + blocked.stderr
    assert GITHUB_TOKEN not in blocked.stdout + blocked.stderr
    repo.write("a.py", "t = 'clean'\n")
    repo.git("add", "a.py")
    repo.git("commit", "-q", "-m", "clean")


def test_staged_notebook_reports_only_new_cells_with_their_number(repo: Repo, run: Runner) -> None:
    from pii_vectors import EMAIL, OTHER_EMAIL

    repo.write("analysis.ipynb", code_notebook("x = 1\n", f"owner = '{EMAIL}'\n"))
    repo.commit("notebook")
    repo.write("analysis.ipynb", code_notebook("x = 1\n", f"owner = '{EMAIL}'\n",
                                           f"cc = '{OTHER_EMAIL}'\n"))
    repo.git("add", "analysis.ipynb")
    _, findings, _ = _staged(run, repo)
    assert [(f["path"], f["type"], f.get("cell"), f["line"]) for f in findings] == [
        ("analysis.ipynb", "EMAIL", 3, 1)
    ]


def test_staged_notebook_metadata_reports_only_what_is_new(repo: Repo, run: Runner) -> None:
    """A token in a notebook's metadata passed the hook (only cells were
    read); an old one there still does not block."""
    import json

    def notebook(**metadata: str) -> str:
        return json.dumps({"cells": [], "metadata": metadata, "nbformat": 4,
                           "nbformat_minor": 5}, indent=1)

    repo.write("run.ipynb", notebook(old=GITHUB_TOKEN))
    repo.commit("notebook")
    repo.write("run.ipynb", notebook(old=GITHUB_TOKEN, new=OTHER_GITHUB_TOKEN))
    repo.git("add", "run.ipynb")
    code, findings, _ = _staged(run, repo)
    assert code == 1
    assert [(f["path"], f.get("field"), f["line"]) for f in findings] == [
        ("run.ipynb", "metadata", 3)
    ]


def test_staged_sqlite_database_reports_new_rows_with_their_column(
    repo: Repo, run: Runner
) -> None:
    """A SQLite fixture is binary to git: its rows passed the hook unread."""
    import sqlite3

    from pii_vectors import EMAIL, OTHER_EMAIL

    def insert(*rows: tuple[int, str]) -> None:
        connection = sqlite3.connect(repo.path / "db.sqlite3")
        connection.execute("CREATE TABLE IF NOT EXISTS users (id INTEGER, email TEXT)")
        connection.executemany("INSERT INTO users VALUES (?, ?)", rows)
        connection.commit()
        connection.close()

    insert((1, EMAIL))
    repo.commit("fixture")
    insert((2, OTHER_EMAIL))
    repo.git("add", "db.sqlite3")
    _, findings, _ = _staged(run, repo)
    assert [(f["path"], f.get("row"), f.get("field")) for f in findings] == [
        ("db.sqlite3", 2, "users.email")
    ]


def test_staged_data_file_reports_new_rows_with_their_field(repo: Repo, run: Runner) -> None:
    from pii_vectors import EMAIL, OTHER_EMAIL

    repo.write("users.csv", f"id,contact\n1,{EMAIL}\n2,none\n")
    repo.commit("users")
    repo.write("users.csv", f"id,contact\n1,{EMAIL}\n2,none\n3,{OTHER_EMAIL}\n")
    repo.git("add", "users.csv")
    _, findings, _ = _staged(run, repo)
    assert [(f["path"], f["line"], f.get("row"), f.get("field")) for f in findings] == [
        ("users.csv", 4, 3, "contact")
    ]


def test_a_one_row_change_to_a_large_data_file_is_that_row_under_its_header(
    repo: Repo, run: Runner
) -> None:
    """Only the header line is read beside the added lines: a change deep in
    a data file keeps its column, and the rows around it are not read."""
    from pii_vectors import LABELLED_PHONE

    rows = [f"user{n},none" for n in range(5000)]
    repo.write("contacts.csv", "name,phone\n" + "\n".join(rows) + "\n")
    repo.commit("contacts")
    rows[2500] = f"user2500,{LABELLED_PHONE}"
    repo.write("contacts.csv", "name,phone\n" + "\n".join(rows) + "\n")
    repo.git("add", "contacts.csv")
    _, findings, _ = _staged(run, repo)
    assert [(f["path"], f["line"], f.get("row"), f.get("field")) for f in findings] == [
        ("contacts.csv", 2502, 2501, "phone")
    ]


def test_gitattributes_cannot_hide_a_text_file_as_binary(repo: Repo, run: Runner) -> None:
    """`-diff` or `binary` makes git print 'Binary files differ' for any file:
    a text file so marked is still scanned (only its new lines); a real binary
    so marked is still skipped."""
    repo.write(".gitattributes", "*.env -diff\n*.dat binary\nweird name.cfg binary\n")
    repo.write("old.env", f"OLD = '{GITHUB_TOKEN}'\n")
    repo.commit("start")
    repo.write("old.env", f"OLD = '{GITHUB_TOKEN}'\nNEW = '{OTHER_GITHUB_TOKEN}'\n")
    repo.write("weird name.cfg", f"key = {OTHER_GITHUB_TOKEN}\n")
    repo.write("blob.dat", b"\x00\x01" + GITHUB_TOKEN.encode())
    repo.git("add", "--all")
    code, findings, document = _staged(run, repo)
    assert code == 1
    assert sorted((f["path"], f["line"]) for f in findings) == [
        ("old.env", 2), ("weird name.cfg", 1),
    ]
    assert {"path": "blob.dat", "reason": "binary file"} in document["summary"]["skipped"]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-16", None), ("utf-16-be", b"\xfe\xff"), ("utf-32", None),
     ("utf-16-le", b""), ("utf-16-be", b"")],  # the last two: no byte-order mark (.NET)
)
def test_wide_text_is_not_taken_for_binary(
    repo: Repo, run: Runner, encoding: str, bom: bytes | None
) -> None:
    """UTF-16 and UTF-32 hold NULs, so git shows them as binary (Windows
    tools save PowerShell scripts and registry exports so, .NET writes UTF-16
    without a byte-order mark): their new lines are still scanned, an old
    secret in them still does not block, and a binary with NULs is still
    skipped."""
    def save(name: str, text: str) -> None:  # "utf-16"/"utf-32" write their own mark
        repo.write(name, (bom or b"") + text.replace("\n", "\r\n").encode(encoding))

    save("deploy.ps1", f"$old = '{GITHUB_TOKEN}'\nWrite-Host start\n")
    repo.commit("start")
    save("deploy.ps1", f"$old = '{GITHUB_TOKEN}'\nWrite-Host start\n$new = '{OTHER_GITHUB_TOKEN}'\n")
    save("fresh.reg", f"\"token\"=\"{GITHUB_TOKEN}\"\n")
    repo.write("blob.bin", b"\x00\x01" + GITHUB_TOKEN.encode())
    repo.git("add", "--all")
    code, findings, document = _staged(run, repo)
    assert code == 1
    assert sorted((f["path"], f["line"], f["secret"]) for f in findings) == [
        ("deploy.ps1", 3, "*****"), ("fresh.reg", 1, "*****"),
    ]
    assert {"path": "blob.bin", "reason": "binary file"} in document["summary"]["skipped"]


@pytest.mark.parametrize(
    ("key", "value"),
    [("core.bigFileThreshold", "10"), ("diff.noprefix", "true"),
     ("diff.mnemonicPrefix", "true"), ("diff.relative", "true")],
)
def test_repository_config_cannot_hide_or_move_a_staged_secret(
    repo: Repo, run: Runner, key: str, value: str
) -> None:
    repo.write("app/settings.py", "DEBUG = False\n")
    repo.commit("start")
    repo.git("config", key, value)
    repo.write("app/settings.py", f"DEBUG = False\nTOKEN = '{GITHUB_TOKEN}'\n")
    repo.git("add", "--all")
    code, findings, _ = _staged(run, repo)
    assert code == 1
    assert [(f["path"], f["line"]) for f in findings] == [("app/settings.py", 2)]


def test_context_between_hunks_does_not_shift_line_numbers(repo: Repo, run: Runner) -> None:
    repo.write("app.py", "a = 1\nb = 2\n\nc = 3\nd = 4\ne = 5\n")
    repo.commit("start")
    repo.git("config", "diff.interHunkContext", "5")
    repo.git("config", "diff.suppressBlankEmpty", "true")
    repo.write("app.py", f"a = 1\nb = 20\n\nc = 3\nd = '{GITHUB_TOKEN}'\ne = 5\n")
    repo.git("add", "--all")
    _, findings, _ = _staged(run, repo)
    assert [(f["path"], f["line"]) for f in findings] == [("app.py", 5)]


def _rsa_key() -> str:
    """A throwaway RSA private key, made for the test."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()


def test_added_text_over_the_size_limit_is_scanned_in_pieces(repo: Repo, run: Runner) -> None:
    """A staged dump over the size limit passed the hook with a note, which
    the pre-commit framework does not show when a hook passes: the added
    text (in memory already) is scanned in overlapping pieces of the limit,
    so a key written across a cut is found whole, with real line numbers."""
    filler = "insert into t values (1);\n"
    key = _rsa_key()
    before_key = 4096 // len(filler) - 10  # the key straddles the first 4 KB
    repo.write("dump.sql", filler * before_key + key + filler * 400 + f"-- {GITHUB_TOKEN}\n")
    repo.git("add", "dump.sql")
    result = run("scan", "--staged", "--max-file-size", "4KB", "-f", "json", cwd=repo.path)
    assert result.code == 1
    findings = result.json()["findings"]
    key_lines = key.count("\n")
    assert sorted((f["rule_id"].startswith("private-key"), f["line"]) for f in findings) == [
        (False, before_key + key_lines + 401), (True, before_key + 1),
    ]
    assert [f["end_line"] for f in findings if f["rule_id"].startswith("private-key")] == [
        before_key + key_lines
    ]
    assert result.json()["summary"]["skipped"] == []
