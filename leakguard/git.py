"""The only module that runs git.

Every call goes through ``run()``, which pins the options that make git's
output machine-readable and stops the scanned repository's own configuration
from running code (fsmonitor, hooks, diff drivers, pagers): scanning an
untrusted clone must be safe.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from leakguard.errors import GitError

SAFE_CONFIG = (
    "-c", "core.quotepath=off",
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.pager=cat",
    "-c", "diff.external=",
    "-c", "color.ui=false",
    "-c", "log.showSignature=false",
)


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",  # never refresh (write) the user's index
        GIT_PAGER="cat",
        PAGER="cat",
        LC_ALL="C",
    )
    for variable in ("GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS"):
        env.pop(variable, None)
    return env


def run(args: Sequence[str], cwd: Path, *, input: bytes | None = None) -> bytes:
    """Run ``git ARGS`` in ``cwd`` and return its stdout; any failure is a
    ``GitError`` carrying git's own message."""
    command = ["git", *SAFE_CONFIG, *args]
    try:
        completed = subprocess.run(
            command, cwd=cwd, input=input, capture_output=True, env=_environment(), check=False
        )
    except FileNotFoundError as exc:
        raise GitError(
            "git is not installed or not on PATH (use --no-git to scan files without it)"
        ) from exc
    except OSError as exc:
        raise GitError(f"cannot run git in {cwd}: {exc.strerror}") from exc
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip() or "no message"
        raise GitError(f"git {args[0]} failed in {cwd}: {message}")
    return completed.stdout


def find_root(path: Path) -> Path | None:
    """The work tree containing ``path``, found by looking for ``.git`` (a folder,
    or a file in worktrees and submodules) without starting a process."""
    current = path if path.is_dir() else path.parent
    for candidate in (current, *current.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def ls_files(root: Path, pathspecs: Sequence[str]) -> list[str]:
    """Tracked files plus untracked ones that ``.gitignore`` does not exclude,
    relative to ``root``. Submodules are listed too (as folders)."""
    output = run(
        ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *pathspecs],
        root,
    )
    seen: set[str] = set()
    paths = []
    for raw in output.split(b"\0"):
        if raw:
            name = os.fsdecode(raw)
            if name not in seen:  # a conflicted file is listed once per stage
                seen.add(name)
                paths.append(name)
    return paths
