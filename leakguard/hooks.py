"""Plain git hooks for teams without the pre-commit framework: install them,
and read what a pre-push hook is being asked to push."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from leakguard import git
from leakguard.errors import UsageError

MARKER = "# leakguard hook"
HOOK_COMMANDS = {
    "pre-commit": "scan --staged",
    "commit-msg": 'scan --commit-msg "$1"',  # the file git wrote the message to
    # git passes the remote's name and URL: what that remote has is not
    # scanned again, and only that
    "pre-push": 'scan --pre-push "$@"',
}


@dataclass(frozen=True)
class Installed:
    hook: str
    path: Path
    action: str  # "installed", "updated", "replaced (backup at …)"


def script(hook: str, python: str = sys.executable) -> str:
    """The hook file: the absolute interpreter path, so GUI git clients with
    another PATH run the same leakguard as the terminal."""
    return (
        "#!/bin/sh\n"
        f"{MARKER} ({hook}): written by `leakguard install`; delete this file to remove it.\n"
        f'exec "{python}" -m leakguard {HOOK_COMMANDS[hook]}\n'
    )


def install(root: Path, hooks: Sequence[str], *, force: bool) -> list[Installed]:
    """Write the hooks; a hook file leakguard did not write is left alone
    unless ``force``, and then kept as ``<hook>.leakguard-backup``."""
    directory = git.hooks_dir(root)
    planned = []
    for hook in hooks:
        path = directory / hook
        foreign = path.exists() and MARKER not in path.read_text(encoding="utf-8", errors="replace")
        if foreign and not force:
            raise UsageError(
                f"{path} exists and was not written by leakguard; "
                "rerun with --force to replace it (the old hook is kept as a backup)"
            )
        planned.append((hook, path, foreign))
    directory.mkdir(parents=True, exist_ok=True)
    done = []
    for hook, path, foreign in planned:
        action = "updated" if path.exists() else "installed"
        if foreign:
            backup = path.with_name(f"{hook}.leakguard-backup")
            os.replace(path, backup)
            action = f"replaced (the previous hook is at {backup})"
        path.write_text(script(hook), encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        done.append(Installed(hook, path, action))
    return done


def _push_lines(lines: str) -> list[list[str]]:
    """A pre-push hook's input: ``<local ref> <local sha> <remote ref>
    <remote sha>`` per line."""
    return [parts for parts in (line.split() for line in lines.splitlines()) if len(parts) == 4]


def pushed_tags(lines: str, environment: Mapping[str, str]) -> list[str]:
    """The tags a push sends (full ref names; under the pre-commit framework,
    PRE_COMMIT_LOCAL_BRANCH): annotated ones carry a message, which leaves
    with them."""
    refs = [local_ref for local_ref, local, _, _ in _push_lines(lines) if local.strip("0")]
    if environment.get("PRE_COMMIT_TO_REF", "").strip("0"):
        refs.append(environment.get("PRE_COMMIT_LOCAL_BRANCH", ""))
    return [ref for ref in refs if ref.startswith("refs/tags/")]


def push_revisions(
    root: Path, lines: str, environment: Mapping[str, str], remote: str = ""
) -> list[str]:
    """Revision arguments for the commits a push sends.

    Under the pre-commit framework the range arrives in PRE_COMMIT_FROM_REF /
    PRE_COMMIT_TO_REF (and the remote in PRE_COMMIT_REMOTE_NAME); as a plain
    git hook, one ``<local ref> <local sha> <remote ref> <remote sha>`` line
    per ref on standard input, and ``remote`` is the hook's first argument.
    A new branch sends what the remote's tracking branches do not have (all
    of it, to a remote we know nothing of: a public mirror of a private
    repository must not be trusted with what the private one holds); a
    deleted one sends nothing.
    """
    remote = remote or environment.get("PRE_COMMIT_REMOTE_NAME", "")
    pushes: list[tuple[str, str]] = []  # (local sha, remote sha)
    target = environment.get("PRE_COMMIT_TO_REF")
    if target:
        pushes.append((target, environment.get("PRE_COMMIT_FROM_REF") or git.EMPTY_SHA))
    pushes += [(local, remote_sha) for _, local, _, remote_sha in _push_lines(lines)]
    wanted = [local for local, _ in pushes if local.strip("0")]
    if not wanted:
        return []
    remote_tips = [tip for local, tip in pushes if local.strip("0") and tip.strip("0")]
    known_remote = git.existing_commits(root, remote_tips)
    everything_new = len(known_remote) < len(remote_tips) or len(remote_tips) < len(wanted)
    # a new branch, or a remote tip we have not fetched: whatever that
    # remote's tracking branches have was pushed there before
    tracked = [f"--remotes={remote}"] if everything_new and remote else []
    return [*wanted, "--not", *known_remote, *tracked]
