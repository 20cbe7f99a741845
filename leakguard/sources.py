"""Turn what the user asked to scan into ``Fragment``s (or ``Skipped`` notes).

Listing and reading are separate steps so that a parallel scan can hand each
worker a share of the listed files to read and scan itself.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from leakguard import git
from leakguard.filters import path_matches
from leakguard.models import Fragment, Skipped

BINARY_SNIFF = 8192
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class FileEntry:
    """A file to read: where it is on disk and the path findings will show."""

    location: str
    display: str


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


def _git_entries(root: Path, target: Path) -> Iterator[FileEntry | Skipped]:
    relative = target.relative_to(root).as_posix()
    if not target.is_dir():
        # A file named on the command line is scanned even if .gitignore
        # excludes it: the user asked for it explicitly.
        yield FileEntry(str(target), relative)
        return
    spec = [] if relative == "." else [f":(literal){relative}"]
    for name in git.ls_files(root, spec):
        location = root / name
        if location.is_dir() and not location.is_symlink():
            yield Skipped(name, "submodule (scan it separately)")
        elif location.exists() or location.is_symlink():
            yield FileEntry(str(location), name)


def _walk(target: Path) -> Iterator[FileEntry | Skipped]:
    if not target.is_dir():
        yield FileEntry(str(target), target.as_posix().removeprefix("./"))
        return
    for folder, folders, names in os.walk(target):
        folders[:] = sorted(name for name in folders if name != ".git")
        # one relpath per folder, not per file: it was a third of listing time
        relative = Path(os.path.relpath(folder, target)).as_posix()
        prefix = "" if relative == "." else relative + "/"
        for name in sorted(names):
            yield FileEntry(os.path.join(folder, name), prefix + name)


def read_file(entry: FileEntry, *, max_size: int) -> Fragment | Skipped:
    """Read one file as text, or say why it was not scanned."""
    display = entry.display
    try:
        info = os.lstat(entry.location)
    except OSError as exc:
        return Skipped(display, f"cannot read: {exc.strerror}", error=True)
    if stat.S_ISLNK(info.st_mode):
        return Skipped(display, "symbolic link (its target is scanned where it lives)")
    if not stat.S_ISREG(info.st_mode):
        return Skipped(display, "not a regular file")
    if info.st_size > max_size:
        return Skipped(
            display, f"larger than the size limit ({info.st_size} > {max_size} bytes)",
            size=info.st_size,
        )
    try:
        with open(entry.location, "rb") as handle:
            data = handle.read(max_size + 1)
    except OSError as exc:
        return Skipped(display, f"cannot read: {exc.strerror}", error=True)
    if len(data) > max_size:  # grew since stat
        return Skipped(display, "larger than the size limit", size=len(data))
    text = decode(data)
    if text is None:
        return Skipped(display, "binary file", size=len(data))
    return Fragment(display, text)


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
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return _normalise(text)


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n") if "\r" in text else text


def files(
    paths: Sequence[str], *, use_git: bool, max_size: int, allowlist: Sequence[str] = ()
) -> Iterator[Fragment | Skipped]:
    """``list_files`` then ``read_file``, in one stream."""
    for entry in list_files(paths, use_git=use_git, allowlist=allowlist):
        yield entry if isinstance(entry, Skipped) else read_file(entry, max_size=max_size)


def read_entries(entries: Iterable[FileEntry], *, max_size: int) -> Iterator[Fragment | Skipped]:
    for entry in entries:
        yield read_file(entry, max_size=max_size)


def stdin(stream: BinaryIO | None = None, *, name: str = "<stdin>") -> Iterator[Fragment | Skipped]:
    """Standard input as one fragment."""
    data = (stream or sys.stdin.buffer).read()
    text = decode(data)
    if text is None:
        yield Skipped(name, "binary input")
    else:
        yield Fragment(name, text, origin="stdin")
