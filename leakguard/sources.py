"""Turn what the user asked to scan into ``Fragment``s (or ``Skipped`` notes).

Listing and reading are separate steps so that a parallel scan can hand each
worker a share of the listed files to read and scan itself.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, NamedTuple

from leakguard import (
    archives,
    databases,
    diff,
    formats,
    git,
    keystores,
    lfs,
    parquet,
    pickles,
    spreadsheets,
    xls,
)
from leakguard.filters import path_matches
from leakguard.models import CommitInfo, Fragment, LineRuns, Origin, Skipped

BINARY_SNIFF = 8192
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BOM_STARTS = tuple(bom for bom, _ in _BOMS)


class FileEntry(NamedTuple):
    """A file to read: where it is on disk, the path findings will show, and
    its size and mode when the listing knows them (-1 and 0: ask the file
    system)."""

    location: str
    display: str
    size: int = -1
    mode: int = 0


_DATA_KINDS = ("csv", "jsonl")  # read by rows, whatever their size


def scan_roots(paths: Sequence[str], *, use_git: bool) -> tuple[Path | None, Path]:
    """The repository root (None outside git or with ``--no-git``) and the
    folder that display paths are relative to."""
    first = Path(paths[0]).resolve() if paths else Path.cwd()
    root = git.find_root(first) if use_git else None
    if root is not None:
        return root, root
    return None, first if first.is_dir() else first.parent


def list_files(
    paths: Sequence[str], *, use_git: bool, allowlist: Sequence[str] = ()
) -> Iterator[FileEntry | Skipped]:
    """Every file under ``paths``; inside a git work tree (unless ``use_git`` is
    off) what git tracks or would track, so ``.gitignore`` is honoured. Display
    paths are relative to the repository root, so ``scan src/`` and ``scan .``
    agree; outside git, to each scanned folder."""
    for argument in paths:
        target = Path(argument)
        if not target.exists() and not target.is_symlink():
            yield Skipped(argument, "no such file or folder", error=True)
            continue
        root = git.find_root(target.resolve()) if use_git else None
        entries = (
            _git_entries(root, target.resolve()) if root is not None else _walk(target)
        )
        for entry in entries:
            if isinstance(entry, FileEntry):
                pattern = path_matches(entry.display, allowlist)
                if pattern:
                    yield Skipped(entry.display, f"allowlisted path ({pattern})")
                    continue
            yield entry


def ignored_by_git(paths: Sequence[str]) -> list[str]:
    """What a listing through git left out under the folders in ``paths``:
    paths ``.gitignore`` excludes (a wholly ignored folder counts once)."""
    left_out = []
    for argument in paths:
        target = Path(argument).resolve()
        root = git.find_root(target) if target.is_dir() else None
        if root is not None:
            relative = target.relative_to(root).as_posix()
            if relative == ".":
                left_out += git.ignored(root, [])
            elif not git.is_ignored(root, relative):  # an ignored one is scanned whole
                left_out += git.ignored(root, [f":(literal){relative}"])
    return left_out


def _git_entries(root: Path, target: Path) -> Iterator[FileEntry | Skipped]:
    relative = target.relative_to(root).as_posix()
    if not target.is_dir():
        # A file named on the command line is scanned even if .gitignore
        # excludes it: the user asked for it explicitly.
        yield FileEntry(str(target), relative)
        return
    if relative != "." and git.is_ignored(root, relative):
        # So is a folder .gitignore excludes (a build output, a data dump),
        # whole: below it git lists nothing.
        yield from _walk(target, prefix=f"{relative}/")
        return
    spec = [] if relative == "." else [f":(literal){relative}"]
    listing = git.ls_files(root, spec)
    for folder, reason in listing.unlisted:
        yield Skipped(folder, f"cannot list folder: {reason}", error=True)
    for name in listing.paths:
        location = root / name
        if location.is_dir() and not location.is_symlink():
            yield Skipped(name, "submodule (scan it separately)")
        elif location.exists() or location.is_symlink():
            yield FileEntry(str(location), name)


def _walk(target: Path, prefix: str = "") -> Iterator[FileEntry | Skipped]:
    """Every file under ``target`` but in ``.git`` folders, displayed relative
    to it after ``prefix``: a folder's files by name, then its folders. A
    folder that cannot be listed is an error (os.walk passes over it in
    silence: a scan would have reported a tree it never saw as clean)."""
    if not target.is_dir():
        yield FileEntry(str(target), target.as_posix().removeprefix("./"))
        return
    top = os.fspath(target)
    # (location ending in a separator, display prefix): joined by hand, as
    # relpath and join were half of listing 21,000 files
    pending = [(top if top.endswith(os.sep) else top + os.sep, prefix)]
    while pending:
        location, shown = pending.pop()
        try:
            with os.scandir(location) as listing:
                entries = sorted(listing, key=_name)
        except OSError as exc:
            yield Skipped(shown.rstrip("/") or ".", f"cannot list folder: {exc.strerror}",
                          error=True)
            continue
        folders = []
        for entry in entries:
            if _is_folder(entry):
                if entry.name != ".git":
                    folders.append(entry.name)
            else:
                yield FileEntry(location + entry.name, shown + entry.name, *_status(entry))
        pending.extend((location + name + os.sep, shown + name + "/") for name in reversed(folders))


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:  # gone since it was listed: reading it will say so
        return False


def _status(entry: os.DirEntry[str]) -> tuple[int, int]:
    """The size and mode the listing saw (its own lstat: batching needs the
    size, and asking again where files are read would double the system
    calls); (-1, 0) when it is gone, for reading to say so."""
    try:
        status = entry.stat(follow_symlinks=False)
    except OSError:
        return -1, 0
    return status.st_size, status.st_mode


def listed_size(entry: FileEntry | Fragment | Skipped) -> int:
    """The size on disk of a listed file (of a fragment: its text), or 0 when
    it is skipped or cannot be read (reading reports why)."""
    if isinstance(entry, Skipped):
        return 0
    if isinstance(entry, Fragment):
        return len(entry.text)
    if entry.size >= 0:
        return entry.size
    try:
        return os.stat(entry.location).st_size
    except OSError:
        return 0


PARQUET_FACTOR = 64  # how many times the size limit a Parquet file may be


def _parquet_name(path: str) -> bool:
    return path.lower().endswith(".parquet")


def read(entry: FileEntry, *, max_size: int) -> Iterator[Fragment | Skipped]:
    """One file's fragments: notebooks by cell; CSV/TSV/JSONL streamed row by
    row, so the size limit applies to each row rather than the whole file;
    anything else whole."""
    structure = formats.kind(entry.display)
    if structure in _DATA_KINDS:
        yield from read_data_file(entry, max_size=max_size)
        return
    # a Parquet file is read whole but scanned a column chunk at a time, each
    # held to the size limit: datasets are larger than source files
    factor = PARQUET_FACTOR if _parquet_name(entry.display) else 1
    data = _read_bytes(entry, max_size=max_size * factor)
    if isinstance(data, Skipped):
        yield data
    else:
        yield from content_fragments(entry.display, data, None, "file", max_size)


def files_at(root: Path, names: Sequence[str], *, max_size: int) -> Iterator[Fragment | Skipped]:
    """Files named relative to ``root``, read whole from the work tree."""
    for name in names:
        location = root / name
        if location.is_file() or location.is_symlink():
            yield from read(FileEntry(str(location), name), max_size=max_size)


def read_data_file(entry: FileEntry, *, max_size: int) -> Iterator[Fragment | Skipped]:
    """A data file of any size, read as a stream of lines."""
    display = entry.display
    # asked again, just before opening: open() follows a link the listing did not see
    info = _regular_file(entry._replace(mode=0))
    if isinstance(info, Skipped):
        yield info
        return
    try:
        with open(entry.location, "rb") as handle:
            encoding = stream_encoding(handle.read(BINARY_SNIFF))
            if encoding is None:
                yield Skipped(display, "binary file")
                return
            handle.seek(0)
            # lines end at "\n" only, as the engine counts them; "\r" is kept
            stream = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="\n")
            yield from formats.data_fragments(display, stream, max_record=max_size)
    except OSError as exc:
        yield Skipped(display, f"cannot read: {exc.strerror}", error=True)


def stream_encoding(head: bytes) -> str | None:
    """How to decode a stream from its first bytes, or None for binary: a BOM
    decides; else UTF-8 when the head is UTF-8, Latin-1 when it is not."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    if b"\0" in head:
        return bomless_utf16(head)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason != "unexpected end of data":  # not merely a character cut at the end
            return "latin-1"
    return "utf-8"


def _regular_file(entry: FileEntry) -> int | Skipped:
    """The file's size, or why it is not a regular file we can read. What the
    listing saw stands: a file replaced by a link since then fails to open
    (O_NOFOLLOW), one that grew past the limit is caught as it is read."""
    display = entry.display
    size, mode = entry.size, entry.mode
    if not mode:
        try:
            info = os.lstat(entry.location)
        except OSError as exc:
            return Skipped(display, f"cannot read: {exc.strerror}", error=True)
        size, mode = info.st_size, info.st_mode
    if stat.S_ISLNK(mode):
        return Skipped(display, "symbolic link (its target is scanned where it lives)")
    if not stat.S_ISREG(mode):
        return Skipped(display, "not a regular file")
    return size


def read_file(entry: FileEntry, *, max_size: int) -> Fragment | Skipped:
    """Read one file as text, or say why it was not scanned."""
    data = _read_bytes(entry, max_size=max_size)
    return data if isinstance(data, Skipped) else _as_text(entry.display, data)


def _as_text(display: str, data: bytes) -> Fragment | Skipped:
    text = decode(data)
    if text is None:
        return Skipped(display, "binary file", size=len(data))
    return Fragment(display, text)


def _read_bytes(entry: FileEntry, *, max_size: int) -> bytes | Skipped:
    """One file's content within the size limit, or why it was not read."""
    display = entry.display
    size = _regular_file(entry)
    if isinstance(size, Skipped):
        return size
    if size > max_size:
        return Skipped(
            display, f"larger than the size limit ({size} > {max_size} bytes)",
            size=size, too_large=True,
        )
    try:
        data = _read_up_to(entry.location, size, max_size)
    except OSError as exc:
        return Skipped(display, f"cannot read: {exc.strerror}", error=True)
    if len(data) > max_size:  # grew since stat
        return Skipped(display, "larger than the size limit", size=len(data), too_large=True)
    return data


# How a file the listing saw as a regular one is opened: if it has become a
# symbolic link since, O_NOFOLLOW fails, and O_NONBLOCK keeps a FIFO from
# blocking the scan. Plain descriptors because open() adds an fstat, an isatty
# ioctl and a seek per file, and reading "up to the limit" through it
# allocated a limit-sized buffer (mmap, mremap, munmap): ten system calls a
# file where five do, half the time of a scan of 20,000 small files.
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
)


def _read_up_to(location: str, size: int, limit: int) -> bytes:
    """The content of a file ``size`` bytes long when listed: all of it, or
    ``limit + 1`` bytes if it grew past ``limit`` since."""
    descriptor = os.open(location, _OPEN_FLAGS)
    try:
        parts = []
        left = limit + 1
        wanted = min(size + 1, left)
        while left > 0:
            part = os.read(descriptor, wanted)
            if not part:
                break
            parts.append(part)
            left -= len(part)
            wanted = left
    finally:
        os.close(descriptor)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def decode(data: bytes) -> str | None:
    """Bytes → text with LF line endings, or None for binary content.

    UTF-8 first; a BOM selects UTF-16/32; anything else is read as Latin-1,
    which never fails and keeps ASCII secrets intact in legacy encodings.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _normalise(data.decode(encoding))
            except UnicodeDecodeError:
                return None
    if b"\0" in data[:BINARY_SNIFF]:
        wide = bomless_utf16(data)
        try:
            return _normalise(data.decode(wide)) if wide else None
        except UnicodeDecodeError:
            return None
    return _plain_text(data)


def _plain_text(data: bytes) -> str:
    """UTF-8, else Latin-1 (which never fails), with LF line endings."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return _normalise(text)


# printable ASCII and the usual whitespace: what the other half of UTF-16
# text's bytes hold when it is mostly ASCII
_PRINTABLE = bytes([9, 10, 13, *range(32, 127)])


def bomless_utf16(head: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` for text in UTF-16 without a byte-order mark
    (.NET's and Windows' APIs write it so), else None: mostly ASCII, so every
    other byte is NUL and the rest printable. Arrays of 16-bit numbers have
    NUL halves too, but not printable other halves."""
    sample = head[:BINARY_SNIFF]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 16:
        return None
    low, high = sample[0::2], sample[1::2]
    for text, zeros, encoding in ((low, high, "utf-16-le"), (high, low, "utf-16-be")):
        unprintable = len(text.translate(None, _PRINTABLE))
        if zeros.count(0) >= 0.95 * len(zeros) and unprintable <= 0.05 * len(text):
            return encoding
    return None


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n") if "\r" in text else text


def files(
    paths: Sequence[str], *, use_git: bool, max_size: int, allowlist: Sequence[str] = ()
) -> Iterator[Fragment | Skipped]:
    """``list_files`` then ``read_file``, in one stream."""
    for entry in list_files(paths, use_git=use_git, allowlist=allowlist):
        if isinstance(entry, Skipped):
            yield entry
        else:
            yield from read(entry, max_size=max_size)


def read_entries(
    entries: Iterable[FileEntry | Fragment | Skipped], *, max_size: int
) -> Iterator[Fragment | Skipped]:
    """The fragments of listed files; what is already read or skipped passes through."""
    for entry in entries:
        if isinstance(entry, FileEntry):
            yield from read(entry, max_size=max_size)
        else:
            yield entry


# A data file larger than this is read where files are listed and handed out
# by chunks of rows, rather than read whole by one worker: reading rows runs
# at hundreds of MB/s, scanning them at tens, so a large CSV uses every core.
SPLIT_DATA_AFTER = 8 * 1024 * 1024


def split_large_data_files(
    entries: Iterable[FileEntry | Skipped], *, max_size: int
) -> Iterator[FileEntry | Fragment | Skipped]:
    """``entries`` with each data file over ``SPLIT_DATA_AFTER`` bytes read
    into its fragments."""
    for entry in entries:
        if (
            isinstance(entry, FileEntry)
            and formats.kind(entry.display) in _DATA_KINDS
            and listed_size(entry) > SPLIT_DATA_AFTER
        ):
            yield from read_data_file(entry, max_size=max_size)
        else:
            yield entry


def stdin(stream: BinaryIO | None = None, *, name: str = "<stdin>") -> Iterator[Fragment | Skipped]:
    """Standard input as one fragment."""
    data = (stream or sys.stdin.buffer).read()
    text = decode(data)
    if text is None:
        yield Skipped(name, "binary input")
    else:
        yield Fragment(name, text, origin="stdin")


def patch_fragments(
    patches: Iterable[diff.FilePatch],
    *,
    origin: Origin,
    max_size: int,
    commit: CommitInfo | None = None,
) -> Iterator[Fragment | Skipped]:
    """The added lines of each changed file as one fragment with real line
    numbers; deleted files add nothing, binaries and submodules are noted."""
    for patch in patches:
        if patch.deleted or not patch.path:
            continue
        if patch.submodule:
            yield Skipped(patch.path, "submodule (scan it separately)")
        elif patch.binary:
            yield Skipped(patch.path, "binary file")
        elif patch.numbers:
            for first, piece in pieces(patch.text, max_size):
                # the first piece says whether it is text at all, and in what encoding
                text = decode(piece) if first == 0 else _plain_text(piece)
                if text is None:
                    yield Skipped(patch.path, "binary file", size=len(patch.text))
                    break
                yield _numbered(patch, text, first, origin, commit)


# Pieces of added text over the size limit overlap by this much, so that a
# secret written across a cut (a private key block) is whole in one of them.
OVERLAP = 64 * 1024


def pieces(data: bytes, limit: int) -> Iterator[tuple[int, bytes]]:
    """``data`` (lines joined by newlines) in pieces of whole lines of at most
    ``limit`` bytes (a longer line is a piece of its own), with the index of
    each piece's first line. Each piece after the first starts at the line
    where the previous one's last ``OVERLAP`` bytes begin (half a piece at
    most, so that each moves on by at least the other half).

    A change's added text over the size limit is scanned in such pieces
    rather than left out: git has put it in memory already, and a
    pre-commit hook's note that a file went unread is never seen when the
    commit passes."""
    start, line = 0, 0
    while True:
        if start + limit >= len(data):
            yield line, data[start:]
            return
        end = data.rfind(b"\n", start + 1, start + limit + 1)
        if end < 0 and data[start : start + 1] == b"\n":  # an empty line before a long one
            end = start
        elif end < 0:  # one line longer than the limit
            end = data.find(b"\n", start + limit)
            end = len(data) if end < 0 else end
        yield line, data[start:end]
        if end >= len(data):
            return
        following = data.rfind(b"\n", start, max(start, end - min(OVERLAP, limit // 2))) + 1
        following = end + 1 if following <= start else following
        line += data.count(b"\n", start, following)
        start = following


def _numbered(
    patch: diff.FilePatch, text: str, first: int, origin: Origin, commit: CommitInfo | None
) -> Fragment:
    """Added text from the patch's ``first`` line on, with its real line numbers."""
    numbers = patch.numbers
    count = text.count("\n") + 1
    if first == 0 and count == len(numbers):
        mine: Sequence[int] = numbers
    else:
        mine = LineRuns.of(numbers[index] for index in range(first, first + count))
    contiguous = mine[-1] - mine[0] + 1 == len(mine)
    return Fragment(
        patch.path, text, origin, start_line=mine[0],
        line_numbers=None if contiguous else mine, commit=commit,
    )


def staged(
    root: Path, *, max_size: int, files: Sequence[str] = ()
) -> Iterator[Fragment | Skipped]:
    """What the next commit adds: the added lines of ``git diff --cached``;
    for notebooks and data files, the new cells and rows with their
    structure, read from the index.

    ``files`` (repository-relative, as the pre-commit framework passes them)
    limit that to those files, and one of them the change does not touch is
    scanned whole from the work tree: ``pre-commit run --all-files`` (or
    ``--files``), in CI with nothing staged, asks for exactly that, and a
    staged-only scan reported a committed secret's repository as clean."""
    patches = list(diff.parse(git.staged_patch(root, files)))
    if files:
        touched = {patch.path for patch in patches} | {p.old_path for p in patches if p.old_path}
        untouched = [name for name in files if name not in touched]
        yield from files_at(root, untouched, max_size=max_size)
    marked = _hidden_text(root, [p for p in patches if p.binary and not p.deleted], max_size)
    if marked:  # text an attribute made "binary": diffed again as text
        again = {p.path: p for p in diff.parse(git.staged_patch(root, sorted(marked), text=True))}
        patches = [again.get(patch.path, patch) if patch.path in marked else patch
                   for patch in patches]
    contents = _binary_versions(root, patches, max_size)
    patches = _wide_text(root, patches, contents, max_size)
    structured = _structured_contents(
        root, [patch for patch in patches if _structured(patch)], max_size
    )
    store = _LfsStore(root)
    for patch in patches:
        rows: Sequence[Fragment | Skipped] | None = _binary_content(
            root, patch, contents, "staged", max_size
        )
        if rows is None:
            rows = _lfs_content(root, patch, store, "staged", max_size)
        if rows is None and _structured(patch):
            rows = _structured_change(patch, structured, "staged")
        if rows is not None:
            yield from rows
            continue
        yield from patch_fragments([patch], origin="staged", max_size=max_size)


def _structured(patch: diff.FilePatch) -> bool:
    """A change to a notebook or data file, read with its structure (see
    ``_structured_change``)."""
    return bool(formats.kind(patch.path) and patch.numbers and patch.blob and not patch.binary)


MESSAGE_PATH = "(commit message)"


class PatchSection(NamedTuple):
    """One file's part of a commit's patch, not yet parsed: what history scans
    hand to worker processes when a commit is too big for one."""

    data: bytes
    origin: Origin
    commit: CommitInfo


def commits(
    root: Path,
    units: Sequence[tuple[str, Origin]],
    *,
    max_size: int,
    messages: bool,
    marker: str,
) -> Iterator[Fragment | Skipped]:
    """What each commit in ``units`` added (and, with ``messages``, its
    message), tagged with the commit and with where the commit was found."""
    parts = commit_parts(root, units, messages=messages, marker=marker)
    return section_fragments(parts, max_size=max_size, root=root)


def commit_parts(
    root: Path,
    units: Sequence[tuple[str, Origin]],
    *,
    messages: bool,
    marker: str,
    trees: bool = False,
) -> Iterator[Fragment | PatchSection | TreeFile]:
    """Each commit's message (with ``messages``) and the sections of its patch,
    one per file, as git produces them; ``section_fragments`` parses them.
    With ``trees`` (commits without parents), the files of each tree instead."""
    origins = dict(units)
    octopuses: list[str] = []  # merges of more than two parents: git skips their remerge diff
    log = git.log_patches(root, [sha for sha, _ in units], marker, patch=not trees)
    yield from _log_parts(root, log, origins, messages=messages, trees=trees, octopuses=octopuses)
    if octopuses and not trees:  # what they brought in, against their first parent
        log = git.log_patches(root, octopuses, marker, first_parent=True)
        yield from _log_parts(root, log, origins, messages=False, trees=False, octopuses=[])


def _log_parts(
    root: Path,
    log: Iterable[git.LogItem],
    origins: dict[str, Origin],
    *,
    messages: bool,
    trees: bool,
    octopuses: list[str],
) -> Iterator[Fragment | PatchSection | TreeFile]:
    """``commit_parts`` of one ``git log``; octopus merges are noted in ``octopuses``."""
    commit: CommitInfo | None = None
    origin: Origin = "commit"
    for item in log:
        if isinstance(item, bytes):
            if commit is not None:
                yield PatchSection(item, origin, commit)
            continue
        sha, author, email, date, _time, parents, message = item
        text = message.decode("utf-8", "replace")
        commit = CommitInfo(
            sha.decode(), author.decode("utf-8", "replace"), email.decode("utf-8", "replace"),
            date.decode(), text.split("\n", 1)[0],
        )
        origin = origins.get(commit.sha, "commit")
        if len(parents.split()) > 2:
            octopuses.append(commit.sha)
        if messages and text.strip():
            yield Fragment(MESSAGE_PATH, text, "message", commit=commit)
        if trees:
            for entry in git.tree_entries(root, commit.sha):
                yield TreeFile(entry, origin, commit)


class TreeFile(NamedTuple):
    """A file of a root commit's tree, not yet read: a commit without a
    parent (a shallow clone's one commit) adds every line of every file, so
    its files are read whole instead of from a patch."""

    entry: git.TreeEntry
    origin: Origin
    commit: CommitInfo | None  # None: a tree a ref points at (``ref_objects``)


def section_fragments(
    parts: Iterable[Fragment | PatchSection | TreeFile], *, max_size: int, root: Path
) -> Iterator[Fragment | Skipped]:
    """The fragments of ``commit_parts`` (with or without ``trees``): patch
    sections parsed, tree files read (in one git call), the rest as it is."""
    files: list[TreeFile] = []
    binaries: list[tuple[diff.FilePatch, PatchSection]] = []
    structured: list[tuple[diff.FilePatch, PatchSection]] = []
    store = _LfsStore(root)
    for part in parts:
        if isinstance(part, Fragment):
            yield part
        elif isinstance(part, TreeFile):
            files.append(part)
        else:
            patch = diff.parse_file(part.data)
            if patch.binary and not patch.deleted:
                binaries.append((patch, part))
                continue
            content = _lfs_content(root, patch, store, part.origin, max_size, part.commit)
            if content is not None:
                yield from content
            elif _structured(patch):
                structured.append((patch, part))
            else:
                yield from patch_fragments(
                    [patch], origin=part.origin, max_size=max_size, commit=part.commit
                )
    yield from _tree_fragments(root, files, max_size=max_size, store=store)
    yield from _binary_patches(root, binaries, max_size=max_size)
    yield from _structured_patches(root, structured, max_size=max_size)


# Structured files' versions are read this many bytes at a time: a batch of
# commits may change many data files, each up to the size limit.
STRUCTURED_READ = 32 * 1024 * 1024


def _structured_patches(
    root: Path, changes: Sequence[tuple[diff.FilePatch, PatchSection]], *, max_size: int
) -> Iterator[Fragment | Skipped]:
    """Notebooks and data files a commit changed, read as the staged scan
    reads them, with their structure (a CSV header names, and labels,
    every value under it; a patch's added lines alone lose it): a data
    file's added lines as rows under its header (``_data_rows``); a
    notebook's new cells, both versions compared. Without an old notebook
    to compare with (over the size limit, or the automatic merge a merge's
    remerge diff is against, which git does not keep), every cell counts as
    new: the earliest commit that holds a finding is the one reported. A
    change whose needed version cannot be read as text within the size limit
    is scanned by its added lines."""
    sizes = git.blob_sizes(
        root, sorted({name for patch, _ in changes for name in _structured_versions(patch)})
    )
    group: list[tuple[diff.FilePatch, PatchSection]] = []
    taken = 0
    for index, change in enumerate(changes):
        group.append(change)
        taken += sum(sizes.get(name, 0) for name in _structured_versions(change[0]))
        if taken < STRUCTURED_READ and index + 1 < len(changes):
            continue
        contents = _structured_contents(root, [patch for patch, _ in group], max_size, sizes)
        for patch, part in group:
            found = _structured_change(patch, contents, part.origin)
            if found is None:
                yield from patch_fragments(
                    [patch], origin=part.origin, max_size=max_size, commit=part.commit
                )
            else:
                yield from _placed(found, part.commit)
        group, taken = [], 0


def _structured_versions(patch: diff.FilePatch) -> list[str]:
    """The blobs a structured change is read from: both versions of a
    notebook, a data file's new version when the change leaves out its
    header."""
    if formats.kind(patch.path) == "notebook":
        return [name for name in (patch.blob, patch.old_blob) if name]
    return [patch.blob] if _needs_header(patch) and patch.blob else []


def _structured_contents(
    root: Path, patches: Sequence[diff.FilePatch], max_size: int,
    sizes: dict[str, int] | None = None,
) -> dict[str, bytes | None]:
    """The versions ``_structured_change`` reads, by blob: notebooks within
    the size limit, data files (for their header only) up to
    ``PIECED_TREE_FILE`` times it."""
    notebooks = [name for patch in patches if formats.kind(patch.path) == "notebook"
                 for name in _structured_versions(patch)]
    data_files = [name for patch in patches if formats.kind(patch.path) != "notebook"
                  for name in _structured_versions(patch)]
    contents = git.blob_contents(root, notebooks, max_size, sizes)
    contents.update(git.blob_contents(root, data_files, max_size * PIECED_TREE_FILE, sizes))
    return contents


def _structured_change(
    patch: diff.FilePatch, contents: dict[str, bytes | None], origin: Origin
) -> list[Fragment] | None:
    """One structured change's fragments, or None to read its added lines."""
    new = contents.get(patch.blob)
    if formats.kind(patch.path) != "notebook":
        return _data_rows(patch, new, origin)
    text = decode(new) if new is not None else None
    if text is None:
        return None
    old = contents.get(patch.old_blob) if patch.old_blob else None
    previous = (decode(old) if old is not None else None) or ""
    return list(formats.changed_fragments(patch.path, text, previous, set(patch.numbers), origin))


def _needs_header(patch: diff.FilePatch) -> bool:
    """Whether a data file's change leaves out its header (line 1), which
    then comes from the new version."""
    return formats.kind(patch.path) != "jsonl" and (not patch.numbers or patch.numbers[0] != 1)


def _data_rows(
    patch: diff.FilePatch, new: bytes | None, origin: Origin
) -> list[Fragment] | None:
    """A data file's added lines as its rows under its header (see
    ``formats.added_rows``): the header is the change's own first line, or
    the new version's (``new``); None when that is not at hand or the lines
    are not text."""
    text = decode(patch.text)
    if text is None or not patch.numbers:
        return None
    header = ""
    if _needs_header(patch):
        if new is None:
            return None
        header = (decode(new.split(b"\n", 1)[0]) or "").rstrip("\r") + "\n"
    elif formats.kind(patch.path) != "jsonl":
        header = text.split("\n", 1)[0] + "\n"
    numbers = patch.numbers
    runs = numbers.runs() if isinstance(numbers, LineRuns) else LineRuns.of(numbers).runs()
    lines = text.split("\n")
    fragments: list[Fragment] = []
    done = 0
    for first, count in runs:
        run = "\n".join(lines[done : done + count])
        fragments.extend(formats.added_rows(patch.path, header, run, first, origin))
        done += count
    return fragments


def _hidden_text(root: Path, binaries: Sequence[diff.FilePatch], max_size: int) -> set[str]:
    """The paths of those files git showed as binary that hold text: a
    ``.gitattributes`` line (``-diff``, ``binary``, a diff driver) made them
    so. Asking git about attributes first leaves a repository full of
    ``*.png binary`` images unread."""
    marked = git.binary_by_attribute(root, sorted({patch.path for patch in binaries}))
    candidates = [patch for patch in binaries if patch.path in marked and patch.blob]
    text = git.looks_like_text(root, sorted({patch.blob for patch in candidates}), max_size)
    return {patch.path for patch in candidates if patch.blob in text}


def _binary_patches(
    root: Path, binaries: Sequence[tuple[diff.FilePatch, PatchSection]], *, max_size: int
) -> Iterator[Fragment | Skipped]:
    """Files git showed as binary: those a ``.gitattributes`` line made so
    are diffed again as text (for their commit and path alone); what really
    is binary is still found so, by its NULs."""
    import secrets  # history scans only: it loads random and hmac

    marked = _hidden_text(root, [patch for patch, _ in binaries], max_size)
    patches = []
    for patch, part in binaries:
        if patch.path in marked:
            marker = secrets.token_hex(8)  # binary content may hold any fixed marker
            sections = git.log_patches(
                root, [part.commit.sha], marker, text=True, paths=[patch.path]
            )
            again = [diff.parse_file(s) for s in sections if isinstance(s, bytes)]
            patch = next((p for p in again if p.path == patch.path), patch)
        patches.append(patch)
    contents = _binary_versions(root, patches, max_size)
    for patch, (_, part) in zip(
        _wide_text(root, patches, contents, max_size), binaries, strict=True
    ):
        rows = _binary_content(root, patch, contents, part.origin, max_size, part.commit)
        if rows is not None:
            yield from rows
            continue
        yield from patch_fragments([patch], origin=part.origin, max_size=max_size,
                                   commit=part.commit)


def _binary_versions(
    root: Path, patches: Sequence[diff.FilePatch], max_size: int
) -> dict[str, bytes | None]:
    """The new versions of the files git showed as binary (two git calls):
    text behind a byte-order mark, SQLite databases and archives are read
    from them. None for one over the size limit, left unread."""
    found: dict[str, bytes | None] = {}
    for parquet_files in (False, True):  # Parquet files may be larger (see PARQUET_FACTOR)
        names = {
            patch.blob for patch in patches
            if patch.binary and not patch.deleted and patch.blob
            and _parquet_name(patch.path) == parquet_files
        }
        found.update(git.blob_contents(
            root, names, max_size * (PARQUET_FACTOR if parquet_files else 1)
        ))
    return found


def _binary_content(
    root: Path, patch: diff.FilePatch, contents: dict[str, bytes | None], origin: Origin,
    max_size: int, commit: CommitInfo | None = None,
) -> list[Fragment | Skipped] | None:
    """What a binary change adds to a SQLite database (its rows, see
    ``databases``), an archive (its members, see ``archives``) or as a key
    store; a note naming one over the size limit (it may be any of those:
    not just counted); None for any other (``contents``: ``_binary_versions``)."""
    if not patch.binary or patch.deleted or patch.blob not in contents:
        return None
    new = contents[patch.blob]
    if new is None:
        return [Skipped(patch.path, "binary file larger than the size limit, not opened",
                        too_large=True)]
    if not _structured_binary(patch.path, new):
        return None
    limit = max_size * (PARQUET_FACTOR if _parquet_name(patch.path) else 1)
    old = git.small_blobs(root, [patch.old_blob], limit).get(patch.old_blob) \
        if patch.old_blob else None
    return list(_placed(content_fragments(patch.path, new, old, origin, max_size), commit))


def _placed(
    items: Iterable[Fragment | Skipped], commit: CommitInfo | None, origin: Origin | None = None
) -> Iterator[Fragment | Skipped]:
    """``items`` with their fragments attributed to ``commit`` (and ``origin``)."""
    for item in items:
        if isinstance(item, Fragment):
            item = item._replace(commit=commit, origin=origin or item.origin)
        yield item


def _structured_binary(path: str, data: bytes) -> bool:
    """Binary content ``content_fragments`` makes text of: a database, an
    archive, a key store, a pickle, a Parquet file, a legacy Excel workbook."""
    return bool(
        databases.is_database(path, data) or archives.kind_of(data) or keystores.kind_of(data)
        or pickles.kind_of(data) or parquet.is_parquet(data) or xls.is_workbook(data)
    )


def _parquet_columns(
    path: str, data: bytes, before: bytes | None, origin: Origin, max_size: int
) -> Iterator[Fragment | Skipped]:
    """A Parquet file's text columns: each row group's values not seen
    before in the column, one per line, in texts of up to the size limit,
    named and labelled by the column's path (see ``parquet``); all of them
    together up to ``PARQUET_FACTOR`` times the limit. With ``before``, only
    values that version's column did not hold."""
    budget = max_size * PARQUET_FACTOR
    try:
        found = parquet.columns(data, budget)
    except parquet.Unreadable as exc:
        yield Skipped(path, f"Parquet file that cannot be read ({exc})")
        return
    seen: dict[str, set[str]] = {}
    if before is not None and parquet.is_parquet(before):
        with contextlib.suppress(parquet.Unreadable):  # then every value counts as new
            for column in parquet.columns(before, budget):
                seen.setdefault(column.name, set()).update(column.values)
    problems: dict[str, dict[str, None]] = {}  # problem -> the columns it hit, in order
    texts = 0
    for column in found:
        known = seen.setdefault(column.name, set())
        values = [value for value in dict.fromkeys(column.values) if value not in known]
        known.update(values)
        for text in _joined_within(values, max_size):
            texts += 1
            yield Fragment(path, text, origin, field=column.name, context=column.name)
        if column.problem:
            problems.setdefault(column.problem, {})[column.name] = None
    if problems:
        listed = "; ".join(f"{problem}: {', '.join(names)}" for problem, names in problems.items())
        yield Skipped(path, f"Parquet columns not read ({listed})")
    elif not texts and before is None:
        yield Skipped(path, "Parquet file without text values", size=len(data))


def _workbook_sheets(
    path: str, data: bytes, before: bytes | None, origin: Origin, max_size: int,
    *, legacy: bool = False,
) -> Iterator[Fragment | Skipped]:
    """A workbook's sheets as data files' rows, shown as ``book.xlsx!Sheet1``
    (see ``spreadsheets``, and ``xls`` for a ``legacy`` one); with
    ``before``, the rows that version's sheet of the same name did not have."""
    book = xls if legacy else spreadsheets
    limit = max_size * archives.BUDGET_FACTOR
    try:
        found = book.sheets(data, limit)
    except spreadsheets.Unreadable as exc:
        yield Skipped(path, f"workbook whose sheets cannot be read ({exc})")
        return
    earlier: dict[str, str] = {}
    if before is not None and book.is_workbook(before):
        with contextlib.suppress(spreadsheets.Unreadable):  # then every row counts as new
            earlier = dict(book.sheets(before, limit))
    for name, text in found:
        shown = f"{path}{archives.SEPARATOR}{name}"
        if name in earlier:
            _, numbers = formats.lines_not_in(text, earlier[name])
            yield from formats.changed_fragments(shown, text, earlier[name], set(numbers), origin)
        else:
            yield from formats.data_fragments(
                shown, io.StringIO(text, newline="\n"), origin, max_record=max_size
            )


def _joined_within(values: Sequence[str], limit: int) -> Iterator[str]:
    """``values`` one per line, in texts of at most ``limit`` characters (a
    longer value alone)."""
    taken: list[str] = []
    size = 0
    for value in values:
        if taken and size + len(value) > limit:
            yield "\n".join(taken)
            taken, size = [], 0
        taken.append(value)
        size += len(value) + 1
    if taken:
        yield "\n".join(taken)


def _pickled(
    path: str, data: bytes, before: bytes | None, origin: Origin, max_size: int
) -> Iterator[Fragment | Skipped]:
    """A pickle's strings, one per line (see ``pickles``); with ``before``,
    those it did not hold."""
    found, problem = pickles.values(data, max_size)
    if before is not None and pickles.kind_of(before):
        old = set(pickles.values(before, max_size)[0])
        found = [value for value in found if value not in old]
    if found:
        yield Fragment(path, "\n".join(found), origin, field=pickles.FIELD)
    if problem:
        yield Skipped(path, f"{pickles.kind_of(data)}: {problem}, rest not scanned",
                      too_large=problem.startswith("larger"))


def _members_of(path: str, data: bytes | None, max_size: int) -> dict[str, bytes]:
    """The member files of an earlier version of an archive, by path."""
    if data is None or not archives.kind_of(data):
        return {}
    try:
        found = archives.members(path, data, max_size=max_size)
    except archives.Unreadable:
        return {}
    return {item.path: item.data for item in found if isinstance(item, archives.Member)}


def content_fragments(
    path: str, data: bytes, before: bytes | None, origin: Origin, max_size: int,
    *, member: bool = False,
) -> Iterator[Fragment | Skipped]:
    """The fragments of a file's content read from somewhere other than the
    disk (a blob, the LFS store, an archive): a database's rows, an archive's
    members, the line a key store stands for (see ``keystores``), a
    notebook's cells, a data file's rows, or its text. With
    ``before`` (the content it replaces), only what that lacked: new rows,
    new cells, new lines, changed members. A binary member of an archive is
    passed over without a note: a build's archives hold thousands. (Archives
    inside archives are opened by ``archives.members``, to its depth: a
    member is never opened again here, or an archive that holds itself would
    never end.)"""
    if archives.kind_of(data) and not member:
        try:
            found = archives.members(path, data, max_size=max_size)
        except archives.Unreadable as exc:
            if decode(data) is None:  # else text that starts like an archive: read below
                yield Skipped(path, f"archive that cannot be read ({exc})")
                return
        else:
            old_members = _members_of(path, before, max_size)
            workbook = spreadsheets.is_workbook(data)
            if workbook:
                yield from _workbook_sheets(path, data, before, origin, max_size)
            for item in found:
                inside = item.path.removeprefix(path + archives.SEPARATOR)
                if workbook and spreadsheets.read_as_sheets(inside):
                    continue  # read as the sheets' rows
                if isinstance(item, Skipped):
                    yield item
                elif old_members.get(item.path) != item.data:
                    yield from content_fragments(
                        item.path, item.data, old_members.get(item.path), origin, max_size,
                        member=True,
                    )
            return
    store = keystores.kind_of(data)
    if store is not None:  # the whole file is the secret: one line stands for it
        yield Fragment(path, keystores.text_of(store, data), origin)
        return
    if databases.is_database(path, data):
        earlier = before if before is not None and databases.is_database(path, before) else None
        yield from databases.fragments(path, data, origin, max_record=max_size, before=earlier)
        return
    if pickles.kind_of(data):
        yield from _pickled(path, data, before, origin, max_size)
        return
    if parquet.is_parquet(data):
        yield from _parquet_columns(path, data, before, origin, max_size)
        return
    if xls.is_workbook(data):
        yield from _workbook_sheets(path, data, before, origin, max_size, legacy=True)
        return
    text = decode(data)
    if text is None:
        if not member:
            yield Skipped(path, "binary file", size=len(data))
        return
    if before is None:
        yield from formats.fragments(path, text, origin)
        return
    before_text = decode(before) or ""
    added, numbers = formats.lines_not_in(text, before_text)
    if formats.kind(path):
        yield from formats.changed_fragments(path, text, before_text, set(numbers), origin)
    else:
        yield from patch_fragments(
            [diff.FilePatch(path, added.encode("utf-8"), numbers)], origin=origin,
            max_size=max_size,
        )


class _LfsStore:
    """The repository's Git LFS store, located on first use (one git call,
    only for a repository that has pointers in the change)."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._path: Path | None = None

    def object(self, oid: str) -> Path:
        if self._path is None:
            self._path = git.lfs_store(self._root)
        return lfs.object_path(self._path, oid)


def _lfs_content(
    root: Path, patch: diff.FilePatch, store: _LfsStore, origin: Origin, max_size: int,
    commit: CommitInfo | None = None,
) -> list[Fragment | Skipped] | None:
    """What a change to a Git LFS pointer adds to the content it stands for
    (see ``lfs``), or None when the change is not to a pointer."""
    if (
        patch.binary or patch.deleted or not patch.blob
        or len(patch.text) > lfs.MAX_POINTER or lfs.ADDED_HINT not in patch.text
    ):
        return None
    names = [name for name in (patch.blob, patch.old_blob) if name]
    pointers = git.small_blobs(root, names, lfs.MAX_POINTER)
    oid = lfs.pointer_oid(pointers.get(patch.blob, b""))
    if oid is None:
        return None
    old_oid = lfs.pointer_oid(pointers.get(patch.old_blob, b"")) if patch.old_blob else None
    return list(_lfs_read(store, oid, old_oid, patch.path, origin, max_size, commit))


def _lfs_read(
    store: _LfsStore, oid: str, old_oid: str | None, path: str, origin: Origin,
    max_size: int, commit: CommitInfo | None,
) -> Iterator[Fragment | Skipped]:
    """The content ``oid`` names, shown at ``path``: whole (as a file is
    read: notebooks by cell, data files by row), or, when the content it
    replaces (``old_oid``) is in the store too, the lines that one lacks."""
    location = store.object(oid)
    if not location.is_file():
        yield Skipped(path, f"Git LFS content {oid[:12]} is not in this clone's LFS store")
        return
    entry = FileEntry(str(location), path)
    previous = store.object(old_oid) if old_oid else None
    if previous is not None and previous.is_file():
        new = _read_bytes(entry, max_size=max_size)
        if not isinstance(new, Skipped):
            old = _read_bytes(FileEntry(str(previous), path), max_size=max_size)
            before = b"" if isinstance(old, Skipped) else old  # unreadable: all of it is new
            yield from _placed(content_fragments(path, new, before, origin, max_size), commit)
            return
        if not (new.too_large and formats.kind(path) in _DATA_KINDS):
            yield new
            return
    # all of it is new here, or a data file too large to compare, read by rows
    # whatever its size (its old rows too: more, never less)
    yield from _placed(read(entry, max_size=max_size), commit, origin)


def _wide_text(
    root: Path, patches: Sequence[diff.FilePatch], contents: dict[str, bytes | None],
    max_size: int,
) -> list[diff.FilePatch]:
    """``patches`` with the binary ones that hold wide text (UTF-16 or UTF-32
    behind a byte-order mark, as Windows tools save PowerShell scripts and
    registry exports, or UTF-16 without one, as .NET writes it) turned into
    patches of their added lines; ``contents``:
    ``_binary_versions``. Their NULs make git show them as binary, so the
    added lines are worked out here: the new version's lines the old one
    does not have."""

    def text(data: bytes) -> str | None:
        wide = data.startswith(_BOM_STARTS) or bomless_utf16(data) is not None
        return decode(data) if wide else None

    new = {name: text(data) for name, data in contents.items() if data is not None}
    # the old versions of those that are text, to tell their new lines
    olds = sorted({patch.old_blob for patch in patches if new.get(patch.blob) and patch.old_blob})
    old = {name: text(data) for name, data in git.small_blobs(root, olds, max_size).items()}
    result = []
    for patch in patches:
        found = new.get(patch.blob) if patch.binary and not patch.deleted else None
        if found is None:
            result.append(patch)
            continue
        # an old version too large, or not text, leaves every line as added
        added, numbers = formats.lines_not_in(found, old.get(patch.old_blob) or "")
        result.append(patch._replace(binary=False, blob="", old_blob="",
                                     text=added.encode("utf-8"), numbers=numbers))
    return result


# A tree file over the size limit (a depth-1 clone's commit adds every file) is
# read and scanned in pieces up to this many times the limit: its blob is read
# whole, and a binary one is known only once it has been.
PIECED_TREE_FILE = 64


def _tree_fragments(
    root: Path, files: Sequence[TreeFile], *, max_size: int, store: _LfsStore | None = None
) -> Iterator[Fragment | Skipped]:
    """What a patch adding each file would give: its lines from 1 on (text
    over the size limit in ``pieces``, as a patch's, up to ``PIECED_TREE_FILE``
    times the limit); a submodule, a binary or a file past that is noted."""
    wanted = []
    for file in files:
        entry = file.entry
        if entry.size < 0:
            yield Skipped(entry.path, "submodule (scan it separately)")
        elif entry.size > max_size * PIECED_TREE_FILE:
            reason = f"added text larger than the size limit ({entry.size} > {max_size} bytes)"
            yield Skipped(entry.path, reason, size=entry.size, too_large=True)
        elif entry.size:
            wanted.append(file)
    contents = git.blobs(root, [file.entry.sha for file in wanted])
    store = store or _LfsStore(root)
    for file, data in zip(wanted, contents, strict=True):
        # over the limit: text is read in pieces, a Parquet file by column
        # (below), other binary content is read whole or not at all
        if len(data) > max_size and not parquet.is_parquet(data):
            if b"\0" in data[:BINARY_SNIFF] or _structured_binary(file.entry.path, data):
                reason = f"larger than the size limit ({len(data)} > {max_size} bytes)"
                yield Skipped(file.entry.path, reason, size=len(data), too_large=True)
                continue
            lines = data.removesuffix(b"\n")
            added = diff.FilePatch(file.entry.path, lines, LineRuns([(1, lines.count(b"\n") + 1)]))
            yield from patch_fragments([added], origin=file.origin, max_size=max_size,
                                       commit=file.commit)
            continue
        oid = lfs.pointer_oid(data)
        if oid is not None:
            yield from _lfs_read(store, oid, None, file.entry.path, file.origin, max_size,
                                 file.commit)
            continue
        # a database's rows, an archive's members, a notebook's cells, a data
        # file's rows (a CSV header labels its columns), or the text
        yield from _placed(
            content_fragments(file.entry.path, data, None, file.origin, max_size), file.commit
        )


def part_size(part: Fragment | PatchSection | TreeFile) -> int:
    if isinstance(part, Fragment):
        return len(part.text)
    return part.entry.size if isinstance(part, TreeFile) else len(part.data)


def blobs(root: Path, shas: Sequence[str], *, max_size: int) -> Iterator[Fragment | Skipped]:
    """Whole blobs nothing references any more (``git add`` then reset, …)."""
    for sha in shas:
        data = git.blob(root, sha)
        name = f"(unreachable blob {sha[:12]})"
        if len(data) > max_size:
            yield Skipped(name, "larger than the size limit", size=len(data), too_large=True)
            continue
        text = decode(data)
        if text is None:
            yield Skipped(name, "binary blob", size=len(data))
        else:
            yield Fragment(name, text, "unreachable")


SCISSORS = "------------------------ >8 ------------------------"


def commit_message(path: Path) -> Fragment | Skipped:
    """The message a commit is about to be made with (a commit-msg hook's
    file): under ``git commit -v``, everything from the scissors line on is
    dropped (never committed). Comment lines are kept: whether git strips
    them depends on how the message was given (``git commit -m`` keeps a
    "#" line, as do ``--cleanup=whitespace`` and ``verbatim`` and another
    ``core.commentChar``), which the hook is not told; the template's
    comments hold nothing a rule reports. Lines keep their numbers."""
    try:
        text = decode(path.read_bytes())
    except OSError as exc:
        return Skipped(str(path), f"cannot read: {exc.strerror}", error=True)
    if text is None:
        return Skipped(str(path), "binary file")
    kept = []
    for line in text.split("\n"):
        if line.startswith("#") and SCISSORS in line:
            break
        kept.append(line)
    return Fragment(MESSAGE_PATH, "\n".join(kept), "message")


def ref_objects(
    root: Path, *, max_size: int, refs: Sequence[str] = ()
) -> Iterator[Fragment | Skipped]:
    """Blobs and trees refs (every ref, or ``refs``) point at directly
    (``git tag keys <blob>``): pushed and cloned with the tags, in no
    commit; each file is named ``<ref>`` or ``<ref>:<path>``."""
    found = git.ref_objects(root, refs)
    sizes = git.blob_sizes(root, [sha for _, sha, kind in found if kind == "blob"])
    files: list[TreeFile] = []
    for name, sha, kind in found:
        if kind == "blob":
            files.append(TreeFile(git.TreeEntry(name, sha, sizes.get(sha, 0)), "ref", None))
        else:
            files.extend(TreeFile(entry._replace(path=f"{name}:{entry.path}"), "ref", None)
                         for entry in git.tree_entries(root, sha))
    yield from _tree_fragments(root, files, max_size=max_size)


def tag_messages(
    root: Path, refs: Sequence[str] = ("refs/tags",)
) -> Iterator[Fragment | Skipped]:
    """Annotated tags' messages (of every tag, or of ``refs``); the path
    names the tag."""
    for tag in git.annotated_tags(root, refs):
        yield Fragment(f"(tag {tag.name})", tag.message, "tag")
