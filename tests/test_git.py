from __future__ import annotations

import random

import pytest
from conftest import Repo

from leakguard import git
from leakguard.errors import GitError
from leakguard.git import COMMIT_FIELDS, log_patches, split_log

SEPARATOR = b"\0\0marker\0"


def _commit(sha: bytes, message: bytes, patch: bytes) -> bytes:
    fields = [sha, b"Author", b"a@example.test", b"2026-01-02T03:04:05+00:00", b"1767323045",
              b"0" * 40]
    return SEPARATOR + b"\0".join([*fields, message]) + b"\0" + patch


SECTION_A = b"diff --git a/a.py b/a.py\nindex 1..2 100644\n--- a/a.py\n+++ b/a.py\n@@ -0,0 +1 @@\n+x = 1\n"
# a file whose added lines talk about diffs: only a line *starting* "diff --git" is a header
SECTION_B = b"diff --git a/b.md b/b.md\n--- a/b.md\n+++ b/b.md\n@@ -1 +1,2 @@\n-old\n+run diff --git a/x b/x\n+ diff --git\n"
SECTION_C = b"diff --git a/c.bin b/c.bin\nnew file mode 100644\nBinary files /dev/null and b/c.bin differ\n"
LOG = (
    _commit(b"1" * 40, b"first\n\ndiff --git in a message is not a file\n", b"\n" + SECTION_A + SECTION_B)
    + _commit(b"2" * 40, b"empty commit\n", b"")
    + _commit(b"3" * 40, b"binary\n", b"\n" + SECTION_C)
    + _commit(b"4" * 40, b"patch without a blank line first\n", SECTION_B)
)
EXPECTED: list[object] = [
    (b"1" * 40, "first"), SECTION_A, SECTION_B,
    (b"2" * 40, "empty commit"),
    (b"3" * 40, "binary"), SECTION_C,
    (b"4" * 40, "patch without a blank line first"), SECTION_B,
]


def _summary(items: list[tuple[bytes, ...] | bytes]) -> list[object]:
    out: list[object] = []
    for item in items:
        if isinstance(item, tuple):
            assert len(item) == COMMIT_FIELDS
            out.append((item[0], item[-1].decode().split("\n")[0]))
        else:
            out.append(item)
    return out


def _chunks(data: bytes, sizes: random.Random | int) -> list[bytes]:
    chunks, start = [], 0
    while start < len(data):
        size = sizes if isinstance(sizes, int) else sizes.randint(1, 40)
        chunks.append(data[start : start + size])
        start += size
    return chunks


@pytest.mark.parametrize("size", [1, 2, 3, 7, 11, len(SEPARATOR), 64, 1 << 20])
def test_split_log_whatever_the_chunks(size: int) -> None:
    assert _summary(list(split_log(_chunks(LOG, size), SEPARATOR))) == EXPECTED


@pytest.mark.parametrize("seed", range(20))
def test_split_log_random_chunks(seed: int) -> None:
    chunks = _chunks(LOG, random.Random(seed))
    assert _summary(list(split_log(chunks, SEPARATOR))) == EXPECTED


def test_split_log_of_nothing() -> None:
    assert list(split_log([], SEPARATOR)) == [] and list(split_log([b""], SEPARATOR)) == []


def test_log_patches_from_a_real_repository(repo: Repo) -> None:
    repo.write("a.txt", "one\n")
    repo.write("spaced name.txt", "two\n")
    first = repo.commit("first\n\ndiff --git a/fake b/fake")
    repo.write("a.txt", "one\nthree\n")
    second = repo.commit("second")
    items = list(log_patches(repo.path, [first, second], "m4rker"))
    headers = [item for item in items if isinstance(item, tuple)]
    sections = [item for item in items if isinstance(item, bytes)]
    assert [h[0].decode() for h in headers] == [first, second]
    assert headers[0][6].startswith(b"first\n\ndiff --git a/fake b/fake")
    assert (headers[0][5], headers[1][5]) == (b"", first.encode())  # parents
    assert [s.split(b"\n", 1)[0] for s in sections] == [
        b"diff --git a/a.txt b/a.txt",
        b"diff --git a/spaced name.txt b/spaced name.txt",
        b"diff --git a/a.txt b/a.txt",
    ]
    assert sections[-1].endswith(b"\n+three\n") and b"@@ -1,0 +2 @@" in sections[-1]


def test_log_patches_fails_when_git_does_not_print_the_commits_asked_for(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Output git printed for other commits, or none at all, is an error:
    reading on would call commits clean that were never read."""
    repo.write("a.txt", "one\n")
    first = repo.commit("first")
    repo.write("b.txt", "two\n")
    second = repo.commit("second")
    with pytest.raises(GitError, match="cannot read"):
        list(log_patches(repo.path, [first, first], "m4rker"))  # git prints it once
    # a setting that changes git's output, were it not pinned: UTF-16 output
    # holds no NUL-separated fields to find
    repo.git("config", "i18n.logOutputEncoding", "UTF-16")
    assert [i for i in log_patches(repo.path, [first], "m4rker") if isinstance(i, tuple)]
    pairs = zip(git.SAFE_CONFIG[::2], git.SAFE_CONFIG[1::2], strict=True)  # ("-c", "a=b")
    unpinned = tuple(part for pair in pairs if "logOutputEncoding" not in pair[1] for part in pair)
    monkeypatch.setattr(git, "SAFE_CONFIG", unpinned)
    with pytest.raises(GitError, match="cannot read"):
        list(log_patches(repo.path, [first, second], "m4rker"))
    repo.git("config", "--unset", "i18n.logOutputEncoding")
    # limited to paths, git leaves out the commits that do not touch them
    items = list(log_patches(repo.path, [first, second], "m4rker", paths=["b.txt"]))
    assert [item[0].decode() for item in items if isinstance(item, tuple)] == [second]


def test_log_patches_streams_sections_in_small_chunks(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """git's output arriving a few bytes at a time gives the same items."""
    for number in range(5):
        repo.write(f"f{number}.txt", f"line {number}\n" * 50)
    sha = repo.commit("five files")
    whole = list(log_patches(repo.path, [sha], "m4rker"))
    real_stream = git.stream

    def trickle(*args: object, **kwargs: object) -> object:
        for chunk in real_stream(*args, **kwargs):  # type: ignore[arg-type]
            yield from _chunks(chunk, 5)

    monkeypatch.setattr(git, "stream", trickle)
    assert list(log_patches(repo.path, [sha], "m4rker")) == whole
    assert len(whole) == 6


def test_tree_entries_and_blobs_of_a_real_commit(repo: Repo) -> None:
    repo.write("a b.txt", "one\n")
    repo.write("empty.txt", "")
    other = repo.commit("first")
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{other},lib")  # a gitlink
    repo.git("commit", "--quiet", "-m", "with a submodule")  # not `add --all`: no lib/ here
    sha = repo.git("rev-parse", "HEAD").strip()
    entries = {entry.path: entry for entry in git.tree_entries(repo.path, sha)}
    assert sorted(entries) == ["a b.txt", "empty.txt", "lib"]
    assert (entries["a b.txt"].size, entries["empty.txt"].size, entries["lib"].size) == (4, 0, -1)
    contents = git.blobs(repo.path, [entries["a b.txt"].sha, entries["empty.txt"].sha])
    assert contents == [b"one\n", b""]
    with pytest.raises(GitError, match="cat-file failed"):
        git.blobs(repo.path, ["0" * 40])


def test_looks_like_text_is_gits_test_within_a_size_limit(repo: Repo) -> None:
    repo.write("text.txt", "plain\n")
    repo.write("binary.bin", b"\x89PNG\x00data")
    repo.write("late.txt", b"x" * 8000 + b"\x00")  # a NUL past the first 8,000 bytes
    repo.write("big.txt", "y" * 500)
    sha = repo.commit("files")
    blob = {entry.path: entry.sha for entry in git.tree_entries(repo.path, sha)}
    found = git.looks_like_text(repo.path, sorted(blob.values()), 10_000)
    assert found == {blob["text.txt"], blob["late.txt"], blob["big.txt"]}
    assert blob["big.txt"] not in git.looks_like_text(repo.path, [blob["big.txt"]], 100)


def test_extra_settings_follow_those_the_caller_gave_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings passed through GIT_CONFIG_* come after any the user's own
    environment passes the same way, which keep their numbers."""
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "user.name")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "someone")
    env = git._environment([("merge.odd=name.driver", "true")])
    assert env["GIT_CONFIG_COUNT"] == "2"
    assert (env["GIT_CONFIG_KEY_0"], env["GIT_CONFIG_VALUE_0"]) == ("user.name", "someone")
    assert (env["GIT_CONFIG_KEY_1"], env["GIT_CONFIG_VALUE_1"]) == ("merge.odd=name.driver", "true")
    monkeypatch.delenv("GIT_CONFIG_COUNT")
    assert "GIT_CONFIG_COUNT" not in git._environment()
