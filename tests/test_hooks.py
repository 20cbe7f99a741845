"""Git hook integration: `leakguard install`, pre-push ranges, and the
pre-commit framework running our `.pre-commit-hooks.yaml` end to end."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import GIT_ENV, Repo, Run
from vectors import GITHUB_TOKEN

from leakguard import hooks

Runner = Callable[..., Run]
ROOT = Path(__file__).resolve().parent.parent


def test_install_writes_executable_hooks(repo: Repo, run: Runner) -> None:
    result = run("install", cwd=repo.path)
    assert result.code == 0
    for hook in ("pre-commit", "commit-msg", "pre-push"):
        path = repo.path / ".git" / "hooks" / hook
        assert path.stat().st_mode & stat.S_IXUSR
        assert hooks.MARKER in path.read_text() and sys.executable in path.read_text()
    assert run("install", cwd=repo.path).code == 0  # rewriting our own hook is fine


def test_install_refuses_a_foreign_hook_unless_forced(repo: Repo, run: Runner) -> None:
    foreign = repo.path / ".git" / "hooks" / "pre-commit"
    foreign.write_text("#!/bin/sh\necho theirs\n")
    refused = run("install", "--hook", "pre-commit", cwd=repo.path)
    assert refused.code == 2 and "--force" in refused.err
    assert foreign.read_text() == "#!/bin/sh\necho theirs\n"
    assert not (repo.path / ".git" / "hooks" / "pre-push").exists()  # nothing half-done
    forced = run("install", "--force", cwd=repo.path)
    assert forced.code == 0 and "replaced" in forced.out
    backup = repo.path / ".git" / "hooks" / "pre-commit.leakguard-backup"
    assert backup.read_text() == "#!/bin/sh\necho theirs\n"


def test_install_honours_core_hooks_path(repo: Repo, run: Runner) -> None:
    repo.git("config", "core.hooksPath", ".githooks")
    assert run("install", cwd=repo.path).code == 0
    assert (repo.path / ".githooks" / "pre-commit").is_file()


def test_commit_msg_hook_blocks_a_secret_in_the_message(repo: Repo, run: Runner) -> None:
    """The pre-commit hook cannot see the message, which is written after it
    runs: the commit-msg hook reads the file git wrote it to."""
    repo.write("a.txt", "a\n")
    repo.commit("start")
    assert run("install", "--hook", "commit-msg", cwd=repo.path).code == 0

    def commit(message: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "commit", "-q", "--allow-empty", "--cleanup=strip", "-m", message],
            cwd=repo.path, capture_output=True, text=True, env={**os.environ, **GIT_ENV},
            check=False,
        )

    blocked = commit(f"fix deploy\n\ntoken was {GITHUB_TOKEN}")
    assert blocked.returncode != 0 and "(commit message):3:11" in blocked.stdout + blocked.stderr
    assert GITHUB_TOKEN not in blocked.stdout + blocked.stderr
    # `git commit -m` keeps a "#" line in the message (cleanup "whitespace")
    kept = subprocess.run(
        ["git", "commit", "-q", "--allow-empty", "-m", f"release\n# deploy token {GITHUB_TOKEN}"],
        cwd=repo.path, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=False,
    )
    assert kept.returncode != 0 and "(commit message):2:" in kept.stdout + kept.stderr
    assert commit("a clean message").returncode == 0
    assert repo.git("log", "-1", "--format=%s").strip() == "a clean message"


@pytest.mark.parametrize(
    ("stage", "commit", "blocked"),
    [
        ((), ("-a",), True),  # git commit -a: a temporary index holds the change
        ((), ("app.py",), True),  # git commit PATH: another temporary index
        (("notes.py",), ("app.py",), False),  # the staged leak is not in this commit
    ],
)
def test_installed_hook_judges_the_index_git_commits(
    repo: Repo, run: Runner, stage: tuple[str, ...], commit: tuple[str, ...], blocked: bool
) -> None:
    """`git commit -a` and `git commit PATH` build a temporary index and name it
    in GIT_INDEX_FILE for the hook: the hook must read that index, not the
    usual one (which would let the leak through, or block a clean commit)."""
    repo.write("app.py", "x = 1\n")
    repo.write("notes.py", "y = 1\n")
    repo.commit("start")
    assert run("install", "--hook", "pre-commit", cwd=repo.path).code == 0
    leaking = "notes.py" if stage else "app.py"
    repo.write(leaking, f"token = '{GITHUB_TOKEN}'\n")
    if stage:
        repo.write("app.py", "x = 2\n")
        repo.git("add", *stage)
    committed = subprocess.run(
        ["git", "commit", "-q", "-m", "change", *commit], cwd=repo.path, capture_output=True,
        text=True, env={**os.environ, **GIT_ENV}, check=False,
    )
    assert (committed.returncode != 0) is blocked, committed.stderr
    assert ("github-pat" in committed.stdout + committed.stderr) is blocked
    assert GITHUB_TOKEN not in committed.stdout + committed.stderr
    assert repo.git("rev-list", "--count", "HEAD").strip() == ("1" if blocked else "2")


def test_install_outside_a_repository_is_an_error(tmp_path: Path, run: Runner) -> None:
    assert run("install", cwd=tmp_path).code == 2


def _bare_remote(repo: Repo, tmp_path: Path) -> Path:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    repo.git("remote", "add", "origin", str(remote))
    return remote


def _push(repo: Repo, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "push", "-q", *args], cwd=repo.path, capture_output=True,
                          text=True, env={**os.environ, **GIT_ENV}, check=False)


def test_pre_push_hook_blocks_only_new_commits_with_secrets(
    repo: Repo, run: Runner, tmp_path: Path
) -> None:
    _bare_remote(repo, tmp_path)
    repo.write("a.txt", "a\n")
    repo.commit("clean start")
    assert run("install", "--hook", "pre-push", cwd=repo.path).code == 0
    assert _push(repo, "origin", "main").returncode == 0
    repo.write("b.py", f"t = '{GITHUB_TOKEN}'\n")
    repo.commit("leak")
    blocked = _push(repo, "origin", "main")
    assert blocked.returncode != 0
    assert "github-pat" in blocked.stdout + blocked.stderr
    assert GITHUB_TOKEN not in blocked.stdout + blocked.stderr
    repo.write("b.py", "t = 'clean'\n")
    repo.commit("fix")  # the leak is still in the pushed commits: still blocked
    assert _push(repo, "origin", "main").returncode != 0
    repo.git("reset", "-q", "--hard", "HEAD~2")
    repo.write("c.txt", "fine\n")
    repo.commit("clean work")
    assert _push(repo, "origin", "main").returncode == 0


def test_pushing_to_another_remote_scans_what_that_remote_lacks(
    repo: Repo, run: Runner, tmp_path: Path
) -> None:
    """A secret already on one remote (a private one) is still blocked on
    its way to another (a public mirror): the hook excluded every remote's
    tracking branches, so the push to the mirror scanned nothing."""
    _bare_remote(repo, tmp_path)
    repo.write("s.py", f"t = '{GITHUB_TOKEN}'\n")
    repo.commit("secret, pushed before the hook")
    assert _push(repo, "origin", "main").returncode == 0
    assert run("install", "--hook", "pre-push", cwd=repo.path).code == 0
    mirror = tmp_path / "mirror.git"
    subprocess.run(["git", "init", "-q", "--bare", str(mirror)], check=True)
    repo.git("remote", "add", "mirror", str(mirror))
    blocked = _push(repo, "mirror", "main")
    assert blocked.returncode != 0 and "github-pat" in blocked.stdout + blocked.stderr
    assert _push(repo, str(mirror), "main").returncode != 0  # by URL: nothing is known
    repo.git("checkout", "-q", "-b", "feature")  # a new branch to the remote that has it all
    repo.write("f.py", "x = 1\n")
    repo.commit("clean work")
    assert _push(repo, "origin", "feature").returncode == 0


def test_a_pushed_tag_message_is_scanned(repo: Repo, run: Runner, tmp_path: Path) -> None:
    """An annotated tag's message leaves with the tag: a token in it passed
    the pre-push hook, which read commits only."""
    _bare_remote(repo, tmp_path)
    repo.write("a.txt", "a\n")
    repo.commit("start")
    assert run("install", "--hook", "pre-push", cwd=repo.path).code == 0
    assert _push(repo, "origin", "main").returncode == 0
    repo.git("tag", "light")
    repo.git("tag", "-a", "v1", "-m", "release notes, nothing to hide")
    assert _push(repo, "origin", "light", "v1").returncode == 0
    repo.git("tag", "-a", "v2", "-m", f"release notes {GITHUB_TOKEN}")
    blocked = _push(repo, "origin", "v2")
    assert blocked.returncode != 0 and "(tag v2)" in blocked.stdout + blocked.stderr
    assert GITHUB_TOKEN not in blocked.stdout + blocked.stderr
    zeros = "0" * 40
    lines = f"refs/tags/v2 {'1' * 40} refs/tags/v2 {zeros}\n(delete) {zeros} refs/tags/v1 {'2' * 40}\n"
    assert hooks.pushed_tags(lines, {}) == ["refs/tags/v2"]
    framework = {"PRE_COMMIT_TO_REF": "1" * 40, "PRE_COMMIT_LOCAL_BRANCH": "refs/tags/v3"}
    assert hooks.pushed_tags("", framework) == ["refs/tags/v3"]
    assert hooks.pushed_tags("", {**framework, "PRE_COMMIT_LOCAL_BRANCH": "refs/heads/x"}) == []


def test_a_pushed_tag_of_a_blob_is_scanned(repo: Repo, run: Runner, tmp_path: Path) -> None:
    _bare_remote(repo, tmp_path)
    repo.write("a.txt", "a\n")
    repo.commit("start")
    assert _push(repo, "origin", "main").returncode == 0
    assert run("install", "--hook", "pre-push", cwd=repo.path).code == 0
    blob = repo.git("hash-object", "-w", "--stdin", input_text=f"key {GITHUB_TOKEN}\n").strip()
    repo.git("tag", "key", blob)
    blocked = _push(repo, "origin", "key")
    assert blocked.returncode != 0 and "refs/tags/key:1:5" in blocked.stdout + blocked.stderr


def test_push_revisions(repo: Repo) -> None:
    repo.write("a.txt", "a\n")
    first = repo.commit("one")
    repo.write("a.txt", "b\n")
    second = repo.commit("two")
    zeros = "0" * 40
    update = f"refs/heads/main {second} refs/heads/main {first}\n"
    assert hooks.push_revisions(repo.path, update, {}) == [second, "--not", first]
    new_branch = f"refs/heads/x {second} refs/heads/x {zeros}\n"
    # what that remote's tracking branches have was pushed to it; to a remote
    # we know nothing of, everything is new
    assert hooks.push_revisions(repo.path, new_branch, {}, "origin") == [
        second, "--not", "--remotes=origin"
    ]
    assert hooks.push_revisions(repo.path, new_branch, {}) == [second, "--not"]
    named = {"PRE_COMMIT_REMOTE_NAME": "origin"}
    assert hooks.push_revisions(repo.path, new_branch, named)[-1] == "--remotes=origin"
    deletion = f"(delete) {zeros} refs/heads/x {first}\n"
    assert hooks.push_revisions(repo.path, deletion, {}) == []
    framework = {"PRE_COMMIT_FROM_REF": first, "PRE_COMMIT_TO_REF": second}
    assert hooks.push_revisions(repo.path, "", framework) == [second, "--not", first]


@pytest.fixture
def pre_commit_env(tmp_path: Path) -> dict[str, str]:
    """pre-commit's own cache in the test's folder; it installs leakguard from
    this checkout into a fresh environment (from the package registry)."""
    executable = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which(
        "pre-commit"
    )
    if executable is None:
        pytest.fail("pre-commit is not installed; install the test extra: pip install -e '.[test]'")
    return {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
            "PRE_COMMIT_EXECUTABLE": executable}


def _try_repo(repo: Repo, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [env["PRE_COMMIT_EXECUTABLE"], "try-repo", str(ROOT), *args, "--verbose"],
        cwd=repo.path, capture_output=True, text=True, env=env, check=False, timeout=900,
    )


def test_pre_commit_framework_blocks_a_planted_secret(
    repo: Repo, pre_commit_env: dict[str, str]
) -> None:
    repo.write("README.md", "hello\n")
    repo.commit("start")
    repo.write("config.env", f"GITHUB_TOKEN={GITHUB_TOKEN}\n")
    repo.git("add", "config.env")
    blocked = _try_repo(repo, pre_commit_env, "leakguard")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1, output
    assert "config.env:1:14" in output and "github-pat" in output
    assert GITHUB_TOKEN not in output
    repo.write("config.env", "GITHUB_TOKEN=${GITHUB_TOKEN}\n")
    repo.git("add", "config.env")
    clean = _try_repo(repo, pre_commit_env, "leakguard")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout
    # `pre-commit run --all-files`, as CI runs it: nothing staged, a secret
    # committed without the hook
    repo.write("config.env", f"GITHUB_TOKEN={GITHUB_TOKEN}\n")
    repo.git("add", "config.env")
    repo.git("commit", "-q", "--no-verify", "-m", "token")
    everything = _try_repo(repo, pre_commit_env, "leakguard", "--all-files")
    assert everything.returncode == 1 and "config.env:1:14" in everything.stdout
    message = repo.write("message.txt", f"deploy with {GITHUB_TOKEN}\n")
    stage = ("--hook-stage", "commit-msg", "--commit-msg-filename", str(message))
    blocked = _try_repo(repo, pre_commit_env, "leakguard-commit-msg", *stage)
    assert blocked.returncode == 1 and "(commit message):1:13" in blocked.stdout
    assert GITHUB_TOKEN not in blocked.stdout + blocked.stderr
