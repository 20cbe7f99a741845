from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from conftest import Repo, Run
from pii_vectors import EMAIL

from leakguard import parallel, sources
from leakguard.models import Fragment, Origin, Skipped
from leakguard.sources import FileEntry, decode, list_files, read_file


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"plain ascii\n", "plain ascii\n"),
        ("caf\u00e9 = 1\r\nnext\r\n".encode(), "caf\u00e9 = 1\nnext\n"),
        ("caf\u00e9".encode("latin-1"), "caf\u00e9"),
        (codecs.BOM_UTF8 + b"bom", "bom"),
        ("wide text".encode("utf-16"), "wide text"),
        ("wide text, no mark\r\n".encode("utf-16-le"), "wide text, no mark\n"),
        ("wide text, no mark".encode("utf-16-be"), "wide text, no mark"),
        (bytes(range(256)) * 8, None),  # NULs beside bytes no text has
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", None),
    ],
)
def test_decode(data: bytes, text: str | None) -> None:
    assert decode(data) == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_data_file_in_utf16_without_a_mark_is_read_by_rows(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "users.csv"
    path.write_bytes(f"id,email\r\n1,{EMAIL}\r\n".encode(encoding))
    fragments = [item for item in sources.read(_entry(path), max_size=1024)
                 if isinstance(item, Fragment)]
    assert EMAIL in "".join(fragment.text for fragment in fragments)


def _entry(path: Path) -> FileEntry:
    return FileEntry(str(path), path.name)


@pytest.mark.parametrize(
    ("listed", "limit", "expected"),
    [(5000, 10_000, 5000), (10, 10_000, 5000), (10, 1000, 1001), (5000, 1000, 1001)],
)
def test_a_file_is_read_whole_or_to_one_byte_past_the_limit(
    tmp_path: Path, listed: int, limit: int, expected: int
) -> None:
    """Read with the size it was listed with: one that grew since is read on,
    to the limit and a byte, so growing past it is seen."""
    path = tmp_path / "grown.txt"
    path.write_bytes(bytes(range(256)) * 19 + b"x" * 136)  # 5000 bytes
    assert sources._read_up_to(str(path), listed, limit) == path.read_bytes()[:expected]


def test_a_file_swapped_for_a_link_or_a_fifo_is_not_followed_or_waited_on(
    tmp_path: Path,
) -> None:
    """Between listing and reading a file can become something else: a link
    to a file outside the tree is not followed, and a FIFO does not hang."""
    secret = tmp_path / "outside.txt"
    secret.write_text("elsewhere")
    (tmp_path / "link").symlink_to(secret)
    with pytest.raises(OSError):
        sources._read_up_to(str(tmp_path / "link"), 9, 1024)
    os.mkfifo(tmp_path / "fifo")
    assert sources._read_up_to(str(tmp_path / "fifo"), 0, 1024) == b""


def test_what_the_listing_saw_is_read_without_asking_again(tmp_path: Path) -> None:
    """A listed file carries the listing's size and mode: links and FIFOs
    are skipped from it, as when the file system is asked where it is read."""
    (tmp_path / "a.txt").write_text("plain\n")
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    os.mkfifo(tmp_path / "pipe")
    listed = {entry.display: entry for entry in list_files([str(tmp_path)], use_git=False)
              if isinstance(entry, FileEntry)}
    assert all(entry.mode and entry.size >= 0 for entry in listed.values())
    reasons = {name: [item.reason if isinstance(item, Skipped) else item.text
                      for item in sources.read(entry, max_size=1024)]
               for name, entry in listed.items()}
    assert reasons == {
        "a.txt": ["plain\n"],
        "link.txt": ["symbolic link (its target is scanned where it lives)"],
        "pipe": ["not a regular file"],
    }


@pytest.mark.parametrize("name", ["notes.txt", "rows.csv"])
def test_a_listed_file_swapped_for_a_link_before_it_is_read_is_not_followed(
    tmp_path: Path, name: str
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("elsewhere\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / name).write_text("here\n")
    [entry] = list_files([str(tree)], use_git=False)
    assert isinstance(entry, FileEntry) and entry.mode
    (tree / name).unlink()
    (tree / name).symlink_to(outside)
    [item] = list(sources.read(entry, max_size=1024))
    assert isinstance(item, Skipped)
    assert "elsewhere" not in item.reason


def test_a_folder_that_cannot_be_listed_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., Run]
) -> None:
    """os.walk passes over a folder it cannot list; a scan must not report
    a tree it never saw as clean. (The permission error is raised by hand:
    these tests may run as root, whom no folder refuses.)"""
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "a.py").write_text("x = 1\n")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.py").write_text("y = 2\n")
    listing = os.scandir

    def refusing(path: str) -> Any:
        if os.path.basename(os.path.normpath(path)) == "locked":
            raise PermissionError(13, "Permission denied", path)
        return listing(path)

    monkeypatch.setattr(sources.os, "scandir", refusing)
    listed = list(list_files([str(tmp_path)], use_git=False))
    assert [(item.path, item.error) if isinstance(item, Skipped) else item.display
            for item in listed] == [("locked", True), "open/a.py"]
    result = run("scan", str(tmp_path), "--no-git", "--jobs", "1")
    assert result.code == 2 and "error: locked: cannot list folder: Permission denied" in result.out


def test_read_file_skips_huge_files(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2048)
    result = read_file(_entry(big), max_size=1024)
    assert isinstance(result, Skipped) and not result.error
    assert "size limit" in result.reason


def test_read_file_skips_binary(tmp_path: Path) -> None:
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02" * 10)
    result = read_file(_entry(binary), max_size=1024)
    assert isinstance(result, Skipped) and result.reason == "binary file"


def test_unreadable_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    result = read_file(_entry(tmp_path / "vanished.txt"), max_size=1024)
    assert isinstance(result, Skipped) and result.error
    assert "cannot read" in result.reason


def test_special_files_are_skipped(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = read_file(_entry(fifo), max_size=1024)
    assert isinstance(result, Skipped) and result.reason == "not a regular file"


def test_symlinks_are_not_followed(tmp_path: Path) -> None:
    (tmp_path / "target.txt").write_text("x")
    (tmp_path / "link.txt").symlink_to(tmp_path / "target.txt")
    result = read_file(_entry(tmp_path / "link.txt"), max_size=1024)
    assert isinstance(result, Skipped) and "symbolic link" in result.reason


def test_read_file_returns_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"one\r\ntwo\r\n")
    assert read_file(_entry(path), max_size=1024) == Fragment("a.txt", "one\ntwo\n")


def _displays(items: list[FileEntry | Skipped]) -> list[str]:
    return sorted(item.display for item in items if isinstance(item, FileEntry))


def test_git_listing_honours_gitignore_and_is_repo_relative(repo: Repo) -> None:
    repo.write(".gitignore", "build/\n*.log\n")
    repo.write("src/app.py", "x = 1\n")
    repo.write("src/debug.log", "ignored\n")
    repo.write("build/out.txt", "ignored\n")
    repo.write("notes.txt", "untracked but not ignored\n")
    repo.commit("init", ".gitignore", "src/app.py")
    everything = list(list_files([str(repo.path)], use_git=True))
    assert _displays(everything) == [".gitignore", "notes.txt", "src/app.py"]
    from_subdir = list(list_files([str(repo.path / "src")], use_git=True))
    assert _displays(from_subdir) == ["src/app.py"]


def test_explicit_file_is_scanned_even_if_ignored(repo: Repo) -> None:
    repo.write(".gitignore", "*.log\n")
    log = repo.write("debug.log", "x\n")
    assert _displays(list(list_files([str(log)], use_git=True))) == ["debug.log"]


def test_no_git_scans_everything_but_the_git_folder(repo: Repo) -> None:
    repo.write(".gitignore", "*.log\n")
    repo.write("debug.log", "x\n")
    repo.commit("init")
    listed = _displays(list(list_files([str(repo.path)], use_git=False)))
    assert listed == [".gitignore", "debug.log"]


def test_allowlisted_paths_are_reported_as_skipped(tmp_path: Path) -> None:
    (tmp_path / "package-lock.json").write_text("{}")
    (tmp_path / "app.js").write_text("x")
    items = list(list_files([str(tmp_path)], use_git=False, allowlist=("package-lock.json",)))
    assert _displays(items) == ["app.js"]
    assert [item.reason for item in items if isinstance(item, Skipped)] == [
        "allowlisted path (package-lock.json)"
    ]


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    [item] = list(list_files([str(tmp_path / "nope")], use_git=False))
    assert isinstance(item, Skipped) and item.error


def test_data_files_stream_past_the_size_limit_row_by_row(tmp_path: Path) -> None:
    from leakguard.sources import read

    path = tmp_path / "big.jsonl"
    path.write_text("".join(f'{{"n": {n}, "email": "u{n}@mail.de"}}\n' for n in range(3000)))
    items = list(read(FileEntry(str(path), "big.jsonl"), max_size=1024))
    fragments = [item for item in items if isinstance(item, Fragment)]
    assert not any(isinstance(item, Skipped) for item in items)
    assert "".join(f.text for f in fragments) == path.read_text()
    assert fragments[-1].spans[-1].row == 3000


def test_a_data_row_over_the_size_limit_is_a_skip_note(tmp_path: Path) -> None:
    from leakguard.sources import read

    path = tmp_path / "wide.csv"
    path.write_text("a,b\n1,2\n" + "x" * 5000 + "\n3,4\n")
    items = list(read(FileEntry(str(path), "wide.csv"), max_size=1024))
    assert isinstance(items[-1], Skipped) and "size limit" in items[-1].reason


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("email\nana@gmail.com\r\n".encode("utf-16"), "email\nana@gmail.com\r\n"),
        ("n\ncaf\u00e9\n".encode("latin-1"), "n\ncaf\u00e9\n"),
    ],
)
def test_data_files_in_other_encodings(tmp_path: Path, data: bytes, text: str) -> None:
    from leakguard.sources import read

    path = tmp_path / "x.csv"
    path.write_bytes(data)
    items = list(read(FileEntry(str(path), "x.csv"), max_size=1024))
    assert "".join(i.text for i in items if isinstance(i, Fragment)) == text


def test_binary_data_file_is_skipped(tmp_path: Path) -> None:
    from leakguard.sources import read

    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\x00\x01")
    [item] = list(read(FileEntry(str(path), "x.csv"), max_size=1024))
    assert isinstance(item, Skipped) and item.reason == "binary file"


def test_notebooks_are_read_by_cell(tmp_path: Path) -> None:
    import json

    from leakguard.sources import read

    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "source": "a = 1", "outputs": []},
                                          {"cell_type": "markdown", "source": "b"}]}))
    items = list(read(FileEntry(str(path), "nb.ipynb"), max_size=1024))
    assert [(i.cell, i.text) for i in items if isinstance(i, Fragment)] == [(1, "a = 1"), (2, "b")]


def test_large_data_files_are_read_here_and_the_rest_left_to_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "SPLIT_DATA_AFTER", 100)
    big = tmp_path / "big.csv"
    big.write_text("id,mail\n" + "".join(f"{n},{EMAIL if n == 70 else 'x'}\n" for n in range(90)))
    small = tmp_path / "small.csv"
    small.write_text("id\n1\n")
    code = tmp_path / "big.py"
    code.write_text("x = 1\n" * 50)
    entries = [_entry(path) for path in (big, small, code)]
    items = list(sources.split_large_data_files(entries, max_size=1 << 20))
    assert items[-2:] == entries[1:]  # small data and any code: read by a worker
    fragments = [item for item in items[:-2] if isinstance(item, Fragment)]
    assert fragments and len(fragments) == len(items) - 2
    assert list(sources.read_entries(items, max_size=1 << 20))[: len(fragments)] == fragments
    read_by_worker = list(sources.read(entries[0], max_size=1 << 20))
    assert [f.text for f in fragments] == [f.text for f in read_by_worker if isinstance(f, Fragment)]


def test_a_large_data_file_spread_over_workers_keeps_rows_and_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., Run]
) -> None:
    monkeypatch.setattr(sources, "SPLIT_DATA_AFTER", 1024)
    monkeypatch.setattr(parallel, "PARALLEL_AFTER", 1024)
    rows = [f"{n},{EMAIL if n % 700 == 5 else 'nobody'},{n * 7}\n" for n in range(3000)]
    (tmp_path / "people.csv").write_text("id,contact,amount\n" + "".join(rows))
    spread = run("scan", "--no-git", "--jobs", "2", "-f", "json", str(tmp_path))
    alone = run("scan", "--no-git", "--jobs", "1", "-f", "json", str(tmp_path))
    assert spread.code == alone.code == 1
    found = [(f["line"], f["row"], f["field"]) for f in spread.json()["findings"]]
    assert found == [(f["line"], f["row"], f["field"]) for f in alone.json()["findings"]]
    assert (7, 6, "contact") in found


def test_a_root_commit_read_whole_gives_what_its_patch_adds(repo: Repo) -> None:
    """A commit without a parent adds every line of every file: reading its
    tree must give what parsing its patch gives."""
    repo.write("plain.py", "a = 1\nb = 2\n")
    repo.write("crlf.txt", "one\r\ntwo\r\n")
    repo.write("no newline.txt", "last line")
    repo.write("caf\u00e9/data.csv", "id,mail\n1,x\n")
    repo.write("empty.txt", "")
    repo.write("image.bin", b"\x89PNG\x00\x01\x02")
    repo.write("big.txt", "x" * 300 + "\n")
    (repo.path / "link").symlink_to("plain.py")
    sha = repo.commit("everything")
    units: list[tuple[str, Origin]] = [(sha, "commit")]

    def read(
        parts: Iterable[Fragment | sources.PatchSection | sources.TreeFile],
    ) -> tuple[list[str], list[tuple[str, str]]]:
        items = list(sources.section_fragments(parts, max_size=200, root=repo.path))
        texts = sorted(repr((f.path, f.text.rstrip("\n"), f.start_line, f.line_numbers, f.commit))
                       for f in items if isinstance(f, Fragment))
        skipped = sorted((s.path, s.reason.split(" (")[0]) for s in items if isinstance(s, Skipped))
        return texts, skipped

    whole = read(sources.commit_parts(repo.path, units, messages=True, marker="m4rk", trees=True))
    patched = read(sources.commit_parts(repo.path, units, messages=True, marker="m4rk"))
    assert whole == patched
    # over the size limit: read in pieces (a line longer than the limit is one)
    assert any(t.startswith(f"('big.txt', '{'x' * 300}', 1, None,") for t in whole[0])
    assert whole[1] == [("image.bin", "binary file")]


def test_a_commit_message_file_as_git_may_keep_it(tmp_path: Path) -> None:
    """Under `git commit -v`, the diff below the scissors line is never
    committed; comment lines may be (`git commit -m` keeps them), so they
    are read; every line keeps its number."""
    from leakguard.sources import SCISSORS, commit_message

    path = tmp_path / "COMMIT_EDITMSG"
    path.write_text(
        "subject\n\nbody line\n# Please enter the commit message\n"
        f"# {SCISSORS}\n# Do not modify or remove the line above.\n+token = 'x'\n"
    )
    message = commit_message(path)
    assert isinstance(message, Fragment)
    assert (message.path, message.origin) == ("(commit message)", "message")
    assert message.text == "subject\n\nbody line\n# Please enter the commit message"
    missing = commit_message(tmp_path / "gone")
    assert isinstance(missing, Skipped) and missing.error


@pytest.mark.parametrize("seed", range(8))
def test_pieces_hold_every_line_whole_within_the_limit(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Added text over the size limit is scanned in pieces: together they
    hold every line, each line whole where it is, each piece within the
    limit (a longer line alone), in order."""
    import random

    chance = random.Random(seed)
    monkeypatch.setattr(sources, "OVERLAP", chance.choice([0, 5, 10, 1000]))
    for _ in range(300):
        lines = [b"x" * chance.choice([0, 1, 3, 8, 20, 45]) for _ in range(chance.randint(1, 40))]
        data, limit = b"\n".join(lines), chance.randint(1, 60)
        covered: set[int] = set()
        firsts = []
        for first, piece in sources.pieces(data, limit):
            got = piece.split(b"\n")
            assert got == lines[first : first + len(got)]
            assert len(piece) <= limit or (len(got) == 1 and len(piece) > limit)
            covered.update(range(first, first + len(got)))
            firsts.append(first)
        assert covered == set(range(len(lines)))
        assert firsts == sorted(set(firsts))
    assert list(sources.pieces(b"a\nb", 10)) == [(0, b"a\nb")]
