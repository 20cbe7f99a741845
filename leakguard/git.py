"""The only module that runs git.

Every call goes through ``run()``, which pins the options that make git's
output machine-readable and stops the scanned repository's own configuration
from running code (fsmonitor, hooks, diff drivers, pagers): scanning an
untrusted clone must be safe.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from leakguard.errors import GitError

SAFE_CONFIG = (
    "-c", "core.quotepath=off",
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.pager=cat",
    "-c", "diff.external=",
    "-c", "color.ui=false",
    "-c", "log.showSignature=false",
    # settings that would hide content from a scan or change the paths it
    # reads: a low threshold makes every larger file "binary", showRoot=false
    # drops the first commit's patch, prefixes and relative paths move names
    "-c", "core.bigFileThreshold=512m",
    "-c", "log.showRoot=true",
    "-c", "diff.noprefix=false",
    "-c", "diff.mnemonicPrefix=false",
    "-c", "diff.relative=false",
    "-c", "diff.interHunkContext=0",  # context lines between hunks (a blank one as "")
    "-c", "diff.suppressBlankEmpty=false",
    # another encoding (UTF-16) turns the NUL-separated fields history is
    # parsed by into something else, and messages are read as UTF-8
    "-c", "i18n.logOutputEncoding=UTF-8",
    # --remerge-diff merges again: renormalising runs the repository's
    # clean/smudge filter commands (merge drivers: see merge_driver_overrides)
    "-c", "merge.renormalize=false",
)


def _environment(config: Sequence[tuple[str, str]] = ()) -> dict[str, str]:
    """The environment every git call runs in; ``config`` adds settings
    through git's own variables, which take any name (``-c`` splits on "=",
    which a subsection name may hold)."""
    env = dict(os.environ)
    first = int(env.get("GIT_CONFIG_COUNT", "0") or 0)  # the caller's own come first
    for number, (key, value) in enumerate(config, first):
        env[f"GIT_CONFIG_KEY_{number}"], env[f"GIT_CONFIG_VALUE_{number}"] = key, value
    if config:
        env["GIT_CONFIG_COUNT"] = str(first + len(config))
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",  # never refresh (write) the user's index
        GIT_PAGER="cat",
        PAGER="cat",
        LC_ALL="C",
        # refs/replace/* would show another commit's content in place of the
        # real one, and a graft file another commit's parents (so another
        # diff): an audit reads the objects as they are
        GIT_NO_REPLACE_OBJECTS="1",
        GIT_GRAFT_FILE=os.devnull,
    )
    for variable in ("GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS"):
        env.pop(variable, None)
    return env


# Options for every command that prints patches: added lines only, no
# repository-configured programs (external diff drivers, textconv filters).
PATCH_OPTIONS = (
    "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "--find-renames", "--full-index"
)
EMPTY_SHA = "0" * 40


def run(args: Sequence[str], cwd: Path, *, input: bytes | None = None) -> bytes:
    """Run ``git ARGS`` in ``cwd`` and return its stdout; any failure is a
    ``GitError`` carrying git's own message."""
    return _checked(args, cwd, input).stdout


def _checked(
    args: Sequence[str], cwd: Path, input: bytes | None = None, answers: tuple[int, ...] = (0,)
) -> subprocess.CompletedProcess[bytes]:
    """``git ARGS`` run to completion; an exit status other than ``answers``
    (commands that answer a question with 1) is a ``GitError``."""
    completed = _completed(args, cwd, input)
    if completed.returncode not in answers:
        raise GitError(f"git {args[0]} failed in {cwd}: {_message(completed)}")
    return completed


def _completed(
    args: Sequence[str], cwd: Path, input: bytes | None
) -> subprocess.CompletedProcess[bytes]:
    command = ["git", *SAFE_CONFIG, *args]
    try:
        return subprocess.run(
            command, cwd=cwd, input=input, capture_output=True, env=_environment(), check=False
        )
    except FileNotFoundError as exc:
        raise GitError(
            "git is not installed or not on PATH (use --no-git to scan files without it)"
        ) from exc
    except OSError as exc:
        raise GitError(f"cannot run git in {cwd}: {exc.strerror}") from exc


def _message(completed: subprocess.CompletedProcess[bytes]) -> str:
    return completed.stderr.decode("utf-8", "replace").strip() or "no message"


def find_root(path: Path) -> Path | None:
    """The work tree containing ``path``, found by looking for ``.git`` (a folder,
    or a file in worktrees and submodules) without starting a process."""
    current = path if path.is_dir() else path.parent
    for candidate in (current, *current.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def is_ignored(root: Path, relative: str) -> bool:
    """Whether ``.gitignore`` excludes ``relative`` or a folder above it."""
    return _checked(["check-ignore", "-q", "--", relative], root, answers=(0, 1)).returncode == 0


def ignored(root: Path, pathspecs: Sequence[str]) -> list[str]:
    """Untracked paths ``.gitignore`` excludes (a wholly ignored folder once,
    as ``name/``), relative to ``root``."""
    output = run(["ls-files", "-z", "--others", "--ignored", "--exclude-standard",
                  "--directory", "--", *pathspecs], root)
    return [os.fsdecode(raw) for raw in output.split(b"\0") if raw]


class Listing(NamedTuple):
    """What ``ls_files`` found: paths, and folders git could not look into
    (their untracked files are unknown) with git's reason."""

    paths: list[str]
    unlisted: list[tuple[str, str]]


# git lists what it can and only warns about a folder it cannot open, exit 0
_UNLISTED = re.compile(rb"^warning: could not open directory '(.*)': (.*)$", re.MULTILINE)


def ls_files(root: Path, pathspecs: Sequence[str]) -> Listing:
    """Tracked files plus untracked ones that ``.gitignore`` does not exclude,
    relative to ``root``. Submodules are listed too (as folders)."""
    args = ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *pathspecs]
    completed = _checked(args, root)  # stderr too: its warnings
    seen: set[str] = set()
    paths = []
    for raw in completed.stdout.split(b"\0"):
        if raw:
            name = os.fsdecode(raw)
            if name not in seen:  # a conflicted file is listed once per stage
                seen.add(name)
                paths.append(name)
    unlisted = [
        (os.fsdecode(folder).rstrip("/"), reason.decode("utf-8", "replace").strip())
        for folder, reason in _UNLISTED.findall(completed.stderr)
    ]
    return Listing(paths, unlisted)


def run_ok(args: Sequence[str], cwd: Path) -> bool:
    """Whether ``git ARGS`` succeeds (for questions like "is this a commit?")."""
    try:
        run(args, cwd)
    except GitError:
        return False
    return True


class Repository(NamedTuple):
    """What a history scan needs to know about the repository it reads."""

    root: Path  # the work tree, or the git dir of a bare repository
    git_dir: Path
    bare: bool
    shallow: bool
    has_commits: bool


def open_repository(path: Path) -> Repository:
    """Discover the repository containing ``path`` (bare ones too), with
    GitPython: it is only imported for history scans, never by the hook."""
    import git as gitpython  # GitPython, ~80 ms to import

    try:
        repo = gitpython.Repo(path, search_parent_directories=True)
    except (gitpython.InvalidGitRepositoryError, gitpython.NoSuchPathError) as exc:
        raise GitError(f"{path} is not inside a git repository") from exc
    try:
        git_dir = Path(repo.git_dir).resolve()
        root = Path(repo.working_tree_dir).resolve() if repo.working_tree_dir else git_dir
        bare = repo.bare
    finally:
        repo.close()
    shallow = run(["rev-parse", "--is-shallow-repository"], root).strip() == b"true"
    has_commits = run_ok(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], root) or bool(
        run(["for-each-ref", "--count=1", "--format=%(objectname)"], root).strip()
    )
    return Repository(root, git_dir, bare, shallow, has_commits)


def staged_patch(root: Path, paths: Sequence[str] = (), *, text: bool = False) -> bytes:
    """What ``git commit`` would record, as a patch of the index against HEAD
    (against the empty tree before the first commit): content comes from the
    index, so a partly staged file is judged by what is committed. With
    ``text``, binary-looking files are diffed as text; ``paths`` limits it."""
    extra = ["--text"] if text else []
    return run(["diff", "--cached", *PATCH_OPTIONS, "--find-copies", *extra,
                *_pathspecs(paths)], root)


def _pathspecs(paths: Sequence[str]) -> list[str]:
    """``paths`` as literal pathspecs (no glob, no magic), after ``--``."""
    return ["--", *(f":(literal){path}" for path in paths)] if paths else []


def looks_like_text(root: Path, shas: Sequence[str], limit: int) -> set[str]:
    """Those of ``shas`` (blobs) no larger than ``limit`` bytes with no NUL in
    their first 8,000 bytes: git's own test for text, before attributes."""
    return {sha for sha, data in small_blobs(root, shas, limit).items()
            if b"\0" not in data[:8000]}


def small_blobs(root: Path, shas: Sequence[str], limit: int) -> dict[str, bytes]:
    """The contents of those of ``shas`` (blobs) no larger than ``limit``
    bytes; larger ones are left unread."""
    return {
        sha: data for sha, data in blob_contents(root, shas, limit).items() if data is not None
    }


def blob_contents(
    root: Path, shas: Iterable[str], limit: int, sizes: Mapping[str, int] | None = None
) -> dict[str, bytes | None]:
    """The content of each of ``shas`` that is a blob (two git calls, one
    when ``sizes`` are known already), None for one larger than ``limit``
    bytes, left unread."""
    ordered = sorted(set(shas))
    if sizes is None:
        sizes = blob_sizes(root, ordered)
    small = [sha for sha in ordered if sizes.get(sha, limit + 1) <= limit]
    found: dict[str, bytes | None] = {sha: None for sha in ordered if sha in sizes}
    found.update(zip(small, blobs(root, small), strict=True))
    return found


def blob_sizes(root: Path, shas: Sequence[str]) -> dict[str, int]:
    """The size of each of ``shas`` that is a blob."""
    if not shas:
        return {}
    checked = run(["cat-file", "--batch-check"], root, input="\n".join(shas).encode() + b"\n")
    return {
        fields[0].decode(): int(fields[2])
        for fields in (line.split() for line in checked.splitlines())
        if len(fields) == 3 and fields[1] == b"blob"
    }


def lfs_store(root: Path) -> Path:
    """Where Git LFS keeps this repository's content: ``lfs.storage`` when it
    is set (a relative one inside the git directory), else ``lfs`` in the
    git directory worktrees share."""
    common = Path(os.fsdecode(run(["rev-parse", "--git-common-dir"], root).rstrip(b"\n")))
    common = common if common.is_absolute() else root / common
    configured = _completed(["config", "--get", "lfs.storage"], root, None)
    if configured.returncode == 0 and configured.stdout.strip():
        return common / os.fsdecode(configured.stdout.rstrip(b"\n"))  # an absolute one wins
    return common / "lfs"


def binary_by_attribute(root: Path, paths: Sequence[str]) -> set[str]:
    """Those of ``paths`` that git shows as binary because of their ``diff``
    attribute (``-diff``, ``binary``, a diff driver), whatever they hold: a
    ``.gitattributes`` line must not hide a text file from a scan."""
    if not paths:
        return set()
    request = b"".join(os.fsencode(path) + b"\0" for path in paths)
    fields = run(["check-attr", "-z", "--stdin", "diff"], root, input=request).split(b"\0")
    return {
        os.fsdecode(fields[index])
        for index in range(0, len(fields) - 2, 3)
        if fields[index + 2] not in (b"unspecified", b"set")
    }


def rev_list(root: Path, args: Sequence[str]) -> list[str]:
    """Commit ids selected by ``args``, oldest first: parents before children,
    otherwise by commit time, so a cherry-picked copy comes after its original."""
    output = run(["rev-list", "--date-order", "--reverse", *args, "--"], root)
    return [line.decode("ascii") for line in output.split()]


COMMIT_FIELDS = 7  # sha, author, email, author date, committer time, parents, full message
# what ``log_patches`` yields: a commit's fields, or one file's section of its patch
LogItem = tuple[bytes, ...] | bytes


def log_patches(
    root: Path,
    shas: Sequence[str],
    marker: str,
    *,
    patch: bool = True,
    text: bool = False,
    paths: Sequence[str] = (),
    first_parent: bool = False,
) -> Iterator[LogItem]:
    """Metadata, message and patch of each commit in ``shas``, in that order,
    as git produces them (so git generates patches on one core while the
    caller scans on another): each commit's fields as a tuple (sha, author,
    email, author date, committer time, full message), then its patch one
    file's section at a time (see ``split_log``).

    Merges show ``--remerge-diff``: what their resolution added beyond the
    automatic merge, which is where a secret typed into a conflict hides.
    git skips that for octopus merges (more than two parents, see the
    parents field): ``first_parent`` diffs merges against their first
    parent instead, everything the merge brought in (more, never less).
    Without ``patch``, only the fields; with ``text``, binary-looking files
    are diffed as text; ``paths`` limits the patch to those files.
    """
    if not shas:  # `git log --stdin` given no commit reads HEAD's history
        return
    fields = "%x00".join(("%H", "%an", "%ae", "%aI", "%ct", "%P", "%B"))
    merges = "--diff-merges=first-parent" if first_parent else "--remerge-diff"
    diff = ["-p", *PATCH_OPTIONS, merges] if patch else ["--no-patch"]
    command = [
        "log", "--no-walk=unsorted", "--stdin", *diff, *(["--text"] if text else []),
        f"--format=%x00%x00{marker}%x00{fields}%x00", *_pathspecs(paths),
    ]
    output = stream(
        command, root, input="\n".join(shas).encode("ascii") + b"\n",
        config=merge_driver_overrides(root) if patch else (),
    )
    waiting = deque(shas)
    for item in split_log(output, f"\0\0{marker}\0".encode()):
        if isinstance(item, tuple):
            sha = item[0].decode("ascii", "replace")
            while paths and waiting and waiting[0] != sha:
                waiting.popleft()  # limited to paths, git leaves out commits not touching them
            if not waiting or waiting.popleft() != sha:
                raise _out_of_step(root, sha)
        yield item
    if waiting and not paths:
        raise _out_of_step(root, waiting[0])


def merge_driver_overrides(root: Path) -> list[tuple[str, str]]:
    """Every merge driver the repository's configuration defines, set to
    ``true``: ``--remerge-diff`` merges each merge commit's parents again,
    which runs a configured driver's command for the files a
    ``.gitattributes`` line assigns it (an untrusted clone's code). ``true``
    keeps the first parent's side, so the remerge diff still shows at least
    what the resolution added."""
    completed = _checked(  # 1: there is none
        ["config", "-z", "--name-only", "--get-regexp", r"^merge\..+\.driver$"], root,
        answers=(0, 1),
    )
    return [(os.fsdecode(name), "true") for name in completed.stdout.split(b"\0") if name]


def _out_of_step(root: Path, sha: str) -> GitError:
    """git log printed something other than the commits asked for, in order:
    reading on could report a commit it never saw as clean."""
    return GitError(
        f"git log printed output leakguard cannot read in {root} (at commit {sha[:40]!r}); "
        "is a setting in the repository's configuration changing its format?"
    )


_SECTION = b"\ndiff --git "


def split_log(chunks: Iterable[bytes], separator: bytes) -> Iterator[LogItem]:
    """``git log -p`` output whose commits each start with ``separator`` and
    ``COMMIT_FIELDS`` NUL-terminated fields → each commit's fields, then each
    file's section of its patch (from ``diff --git`` to its last newline).

    Sections are cut as the chunks arrive: memory holds one file's patch and
    a chunk, not a whole commit (a shallow clone's one commit is the whole
    tree, gigabytes in a large repository).
    """
    section = bytearray()
    for piece in _commit_pieces(chunks, separator):
        if isinstance(piece, tuple):  # a new commit: the last one's last section is whole
            if section.startswith(_SECTION[1:]):
                yield bytes(section)
            section = bytearray(b"\n")  # so that a patch's first "diff --git" is found too
            yield piece
            continue
        searched = max(0, len(section) - len(_SECTION) + 1)
        section += piece
        while (following := section.find(_SECTION, searched)) >= 0:
            if section.startswith(_SECTION[1:]):  # not what comes before the first file
                yield _copy(section, following + 1)
            del section[: following + 1]
            searched = 0
    if section.startswith(_SECTION[1:]):
        yield bytes(section)


def _copy(buffer: bytearray, end: int) -> bytes:
    """``buffer[:end]`` as bytes, copied once (slicing a bytearray copies twice)."""
    with memoryview(buffer) as view:
        return bytes(view[:end])


def _commit_pieces(chunks: Iterable[bytes], separator: bytes) -> Iterator[LogItem]:
    """Each commit's fields, then its patch in pieces as they arrive."""
    pending = bytearray()
    in_patch = False
    for chunk in chunks:
        pending += chunk
        while True:
            if not in_patch:
                start = pending.find(separator)
                end = start + len(separator) if start >= 0 else -1
                for _ in range(COMMIT_FIELDS):
                    end = pending.find(b"\0", end) + 1 if end > 0 else -1
                if end <= 0:  # not all of the fields have arrived
                    break
                yield tuple(bytes(pending[start + len(separator) : end - 1]).split(b"\0"))
                del pending[:end]
                in_patch = True
            boundary = pending.find(separator)
            if boundary >= 0:
                yield _copy(pending, boundary)
                del pending[:boundary]
                in_patch = False
                continue
            # all but a tail the next chunk could complete a separator with
            cut = max(0, len(pending) - len(separator) + 1)
            if cut:
                yield _copy(pending, cut)
                del pending[:cut]
            break
    if in_patch:
        yield bytes(pending)


def stream(
    args: Sequence[str],
    cwd: Path,
    *,
    input: bytes = b"",
    config: Sequence[tuple[str, str]] = (),
) -> Iterator[bytes]:
    """Run ``git ARGS`` and yield its output as it comes; a failure (checked
    once the output ends) is a ``GitError`` with git's message.

    A thread drains git's output as fast as git writes it, so git generates
    patches on one core while the caller scans on another, instead of
    waiting on a full 64 KB pipe whenever the caller is busy."""
    import queue  # history scans only: tempfile drags random and hashlib into the hook
    import tempfile
    import threading

    command = ["git", *SAFE_CONFIG, *args]
    with tempfile.TemporaryFile() as errors:  # a pipe could fill up and stall git
        try:
            process = subprocess.Popen(
                command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=errors, env=_environment(config),
            )
        except OSError as exc:
            raise GitError(f"cannot run git in {cwd}: {exc.strerror}") from exc
        assert process.stdin is not None and process.stdout is not None
        descriptor = process.stdout.fileno()
        chunks: queue.SimpleQueue[bytes] = queue.SimpleQueue()

        def drain() -> None:
            while chunk := os.read(descriptor, 1 << 20):  # whatever git has written
                chunks.put(chunk)
            chunks.put(b"")  # the end

        reader = threading.Thread(target=drain, name="git-output", daemon=True)
        with process:
            try:
                process.stdin.write(input)
                process.stdin.close()
                reader.start()
                while chunk := chunks.get():
                    yield chunk
            finally:
                if process.poll() is None:  # the caller stopped early
                    process.kill()
                if reader.is_alive():
                    reader.join()
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip() or "no message"
            raise GitError(f"git {args[0]} failed in {cwd}: {message}")


def ref_objects(root: Path, refs: Sequence[str] = ()) -> list[tuple[str, str, str]]:
    """(ref name, object, "blob" or "tree") of every ref (or of ``refs``)
    that points at a blob or a tree rather than a commit, directly or
    through an annotated tag (git.git keeps its maintainers' keys so): what
    no commit holds."""
    fields = "%(refname)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)"
    found = []
    for line in run(["for-each-ref", f"--format={fields}", "--", *refs], root).splitlines():
        parts = line.split(b"\0")
        if len(parts) != 5:
            continue
        name, kind, sha, peeled_kind, peeled = (os.fsdecode(part) for part in parts)
        if kind == "tag":
            kind, sha = peeled_kind, peeled
        if kind == "tag":  # a tag of a tag: followed to what it finally names
            chain = inner_tags(root, sha)
            kind, sha = (chain[-1].kind, chain[-1].target) if chain else ("", "")
        if kind in ("blob", "tree"):
            found.append((name, sha, kind))
    return found


class TagObject(NamedTuple):
    """One annotated tag object: what it names, its own name, its header
    lines and its message."""

    sha: str
    target: str
    kind: str  # the target's type
    name: str
    header: str
    message: str


def inner_tags(root: Path, sha: str) -> list[TagObject]:
    """The tag object ``sha`` and the tags it names in turn, down to the first
    that names something else (git warns of a "nested tag", and allows it:
    what only such a chain reaches, and each tag's message, would otherwise
    go unread). Bounded, in case of a cycle no git would make."""
    chain: list[TagObject] = []
    while sha and len(chain) < 64:
        [data] = objects_of_type(root, [sha], "tag")
        tag = _tag_object(sha, data)
        chain.append(tag)
        sha = tag.target if tag.kind == "tag" else ""
    return chain


def _tag_object(sha: str, data: bytes) -> TagObject:
    header, _, message = data.partition(b"\n\n")
    fields = dict(line.split(b" ", 1) for line in header.split(b"\n") if b" " in line)
    return TagObject(
        sha, fields.get(b"object", b"").decode("ascii", "replace"),
        fields.get(b"type", b"").decode("ascii", "replace"),
        os.fsdecode(fields.get(b"tag", b"")), header.decode("utf-8", "replace"),
        message.decode("utf-8", "replace"),
    )


def ref_tips(root: Path) -> list[str]:
    """The commits every ref (and HEAD) points at: what a finished scan covered."""
    output = run(["for-each-ref", "--format=%(objectname) %(objecttype)"], root)
    tips = {line.split()[0].decode() for line in output.splitlines() if line.endswith(b"commit")}
    with contextlib.suppress(GitError):  # no commit yet: HEAD names an unborn branch
        tips.add(run(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], root).strip().decode())
    return sorted(tips)


def existing_commits(root: Path, shas: Sequence[str]) -> list[str]:
    """Those of ``shas`` that still exist (a force-push and gc can drop some)."""
    if not shas:
        return []
    # not run(): a missing object is an answer here, not a failure
    output = _completed(
        ["cat-file", "--batch-check=%(objectname) %(objecttype)"], root,
        "\n".join(shas).encode() + b"\n",
    ).stdout
    return [line.split()[0].decode() for line in output.splitlines() if line.endswith(b" commit")]


class Tag(NamedTuple):
    name: str
    tagger: str
    email: str
    date: str
    message: str


def annotated_tags(root: Path, refs: Sequence[str] = ("refs/tags",)) -> list[Tag]:
    """Annotated tags under ``refs`` (prefixes or full names) and their
    messages (lightweight tags have none)."""
    separator = "%00"
    fields = separator.join(
        ("%(objecttype)", "%(*objecttype)", "%(*objectname)", "%(refname:short)",
         "%(taggername)", "%(taggeremail)", "%(taggerdate:iso-strict)", "%(contents)")
    )
    output = run(["for-each-ref", f"--format={fields}%00%00", "--", *refs], root)
    tags = []
    for record in output.split(b"\0\0"):
        parts = record.lstrip(b"\n").split(b"\0")
        if len(parts) >= 8 and parts[0] == b"tag":
            name, tagger, email, date, message = (os.fsdecode(part) for part in parts[3:8])
            tags.append(Tag(name, tagger, email.strip("<>"), date, message))
            if parts[1] == b"tag":  # a tag of a tag: the messages down its chain
                for inner in inner_tags(root, parts[2].decode("ascii")):
                    tags.append(_inner_tag(name, inner))
    return tags


def _inner_tag(outer: str, inner: TagObject) -> Tag:
    """A tag reached through the tag ``outer``, named after both."""
    line = next((line for line in inner.header.split("\n") if line.startswith("tagger ")), "")
    person, _, when = line.removeprefix("tagger ").rpartition("> ")
    tagger, _, email = person.partition(" <")
    seconds, _, offset = when.partition(" ")
    date = ""
    if seconds.isdigit() and len(offset) == 5:
        import datetime  # nested tags only
        zone = datetime.timezone(datetime.timedelta(
            hours=int(offset[1:3]), minutes=int(offset[3:])) * (-1 if offset[0] == "-" else 1))
        date = datetime.datetime.fromtimestamp(int(seconds), zone).isoformat()
    return Tag(f"{outer} → {inner.name}", tagger, email, date, inner.message)


def stash_commits(root: Path) -> list[str]:
    """Every stash entry's commit (``refs/stash`` and its reflog)."""
    if not run_ok(["rev-parse", "--verify", "--quiet", "refs/stash"], root):
        return []
    output = run(["log", "--walk-reflogs", "--format=%H", "refs/stash"], root)
    return [line.decode() for line in output.split()]


def dangling_objects(root: Path) -> tuple[list[str], list[str]]:
    """Commits and blobs nothing at all points to: the tips of histories no ref
    reaches (force-pushed away, rebased), and blobs ``git add``-ed but never
    committed. Blobs of those lost commits are covered by their diffs."""
    output = run(["fsck", "--no-reflogs", "--no-progress"], root)
    found: dict[str, list[str]] = {"commit": [], "blob": []}
    for line in output.decode("ascii", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in ("unreachable", "dangling") and parts[1] in found:
            found[parts[1]].append(parts[2])
    return found["commit"], found["blob"]


def parents(root: Path, sha: str) -> list[str]:
    output = run(["rev-list", "--parents", "--max-count=1", sha, "--"], root)
    return [part.decode() for part in output.split()[1:]]


def blob(root: Path, sha: str) -> bytes:
    return run(["cat-file", "blob", sha], root)


class TreeEntry(NamedTuple):
    """A file of a commit's tree; ``size`` is -1 for a submodule (a gitlink)."""

    path: str
    sha: str
    size: int


def tree_entries(root: Path, commit: str) -> list[TreeEntry]:
    """Every file of ``commit``'s tree, submodules included."""
    completed = _checked(["ls-tree", "-r", "-z", "-l", "--full-tree", commit], root)
    entries = []
    for record in completed.stdout.split(b"\0"):
        if record:
            meta, _, path = record.partition(b"\t")
            _mode, kind, sha, size = meta.split()
            if kind == b"blob" and not size.isdigit():  # git could not read it ("BAD")
                raise GitError(
                    f"git ls-tree failed in {root}: {sha.decode()}: {_message(completed)}"
                )
            entries.append(
                TreeEntry(os.fsdecode(path), sha.decode(), int(size) if kind == b"blob" else -1)
            )
    return entries


def blobs(root: Path, shas: Sequence[str]) -> list[bytes]:
    """The contents of the blobs ``shas``, in order, from one ``git cat-file --batch``."""
    return objects_of_type(root, shas, "blob")


def objects_of_type(root: Path, shas: Sequence[str], kind: str) -> list[bytes]:
    """The contents of ``shas``, in order, each of which must be a ``kind``."""
    if not shas:
        return []
    request = "\n".join(shas).encode("ascii") + b"\n"
    completed = _completed(["cat-file", "--batch"], root, request)
    output, contents, position = completed.stdout, [], 0
    for sha in shas:
        header_end = output.find(b"\n", position)
        header = output[position:header_end].split() if header_end >= 0 else []
        # "<sha> <type> <size>"; an object git cannot read is "<sha> missing"
        if completed.returncode or len(header) != 3 or header[1] != kind.encode():
            raise GitError(f"git cat-file failed in {root}: {sha}: {_message(completed)}")
        size = int(header[2])
        contents.append(output[header_end + 1 : header_end + 1 + size])
        position = header_end + 1 + size + 1  # the content, then a newline
    return contents


def hooks_dir(root: Path) -> Path:
    """Where git runs hooks from for this repository (honours core.hooksPath
    and worktrees). Not through ``run()``: its safety options point
    core.hooksPath at /dev/null, which is exactly what must not be asked here."""
    output = subprocess.run(
        ["git", "rev-parse", "--git-path", "hooks"], cwd=root, capture_output=True,
        env=_environment(), check=False,
    )
    if output.returncode != 0:
        raise GitError(f"{root} is not inside a git repository")
    path = Path(os.fsdecode(output.stdout.strip()))
    return path if path.is_absolute() else (root / path)
