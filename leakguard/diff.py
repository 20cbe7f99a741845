"""Pure parser: unified diff bytes → the added lines of each file, with their
real line numbers in the new version.

Works on what ``git diff --cached -U0`` and ``git log -p -U0`` print. Paths
come from the ``+++``/``rename to`` headers, unquoted with git's C-style
quoting, so names with spaces, newlines or non-UTF-8 bytes survive.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@[^\n]*\n", re.MULTILINE)
_ESCAPES = {
    ord("a"): 7, ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("v"): 11, ord("f"): 12,
    ord("r"): 13, ord('"'): 34, ord("\\"): 92,
}


@dataclass(frozen=True)
class FilePatch:
    """One file's change: its new path, the added lines, and what kind of change."""

    path: str
    added: tuple[tuple[int, bytes], ...] = ()
    old_path: str | None = None
    binary: bool = False
    deleted: bool = False
    submodule: bool = False

    @property
    def added_bytes(self) -> int:
        return sum(len(line) + 1 for _, line in self.added)


def unquote(raw: bytes) -> bytes:
    """Undo git's C-style quoting of a path (``"a/caf\\303\\251"``)."""
    if not (len(raw) >= 2 and raw.startswith(b'"') and raw.endswith(b'"')):
        return raw
    body = raw[1:-1]
    out = bytearray()
    index = 0
    while index < len(body):
        byte = body[index]
        if byte != 92 or index + 1 >= len(body):  # not a backslash
            out.append(byte)
            index += 1
            continue
        following = body[index + 1]
        if 48 <= following <= 55:  # \ooo octal byte
            out.append(int(body[index + 1 : index + 4], 8))
            index += 4
        else:
            out.append(_ESCAPES.get(following, following))
            index += 2
    return bytes(out)


def _header_path(value: bytes, prefix: bytes) -> bytes | None:
    """The path of a ``---``/``+++`` line's value, without its ``a/``/``b/``."""
    value = value.rstrip(b"\t")  # git appends a tab to names with spaces
    if value == b"/dev/null":
        return None
    path = unquote(value)
    return path[len(prefix) :] if path.startswith(prefix) else path


def _split_git_header(rest: bytes) -> bytes:
    """The new path from ``diff --git a/X b/Y`` when no other header names it
    (binary files, pure mode changes): quoted names are unambiguous; unquoted
    ones split where the two halves are equal."""
    if rest.startswith(b'"'):
        end = rest.index(b'"', 1)
        while rest[end - 1] == 92:  # an escaped quote
            end = rest.index(b'"', end + 1)
        second = rest[end + 2 :]
        return _header_path(second, b"b/") or b""
    half = (len(rest) - 1) // 2
    first, second = rest[:half], rest[half + 1 :]
    if first[2:] == second[2:]:
        return second[2:]
    marker = rest.rfind(b" b/")
    return rest[marker + 3 :] if marker >= 0 else rest


def split_files(patch: bytes) -> Iterator[bytes]:
    """The per-file sections of a multi-file patch, each starting at ``diff --git``."""
    starts = [m.start() for m in re.finditer(rb"^diff --git ", patch, re.MULTILINE)]
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(patch)
        yield patch[start:end]


def parse_file(section: bytes) -> FilePatch:
    """One ``diff --git`` section → a ``FilePatch``."""
    first_hunk = _HUNK.search(section)
    header = section[: first_hunk.start()] if first_hunk else section
    lines = header.split(b"\n")
    new_path: bytes | None = _split_git_header(lines[0][len(b"diff --git ") :])
    old_path: bytes | None = None
    deleted = binary = submodule = False
    for line in lines[1:]:
        if line.startswith(b"+++ "):
            target = _header_path(line[4:], b"b/")
            deleted = target is None
            new_path = target or new_path  # a deleted file keeps its old name
        elif line.startswith(b"rename from ") or line.startswith(b"copy from "):
            old_path = unquote(line.split(b" ", 2)[2])
        elif line.startswith(b"rename to ") or line.startswith(b"copy to "):
            new_path = unquote(line.split(b" ", 2)[2])
        elif line.startswith(b"deleted file mode"):
            deleted = True
        elif line.startswith(b"Binary files ") or line.startswith(b"GIT binary patch"):
            binary = True
        elif b"160000" in line and line.startswith((b"index ", b"new file mode", b"deleted file")):
            submodule = True  # a gitlink: the "content" is another repository's commit
    path = os.fsdecode(new_path or b"")
    if deleted or binary or submodule or first_hunk is None:
        return FilePatch(
            path, (), os.fsdecode(old_path) if old_path else None, binary, deleted, submodule
        )
    return FilePatch(path, tuple(_added_lines(section, first_hunk.start())),
                     os.fsdecode(old_path) if old_path else None)


def _added_lines(section: bytes, start: int) -> Iterator[tuple[int, bytes]]:
    """(line number, content) of every ``+`` line, numbered from the hunk headers."""
    for hunk in _HUNK.finditer(section, start):
        number = int(hunk.group(1))
        position = hunk.end()
        while position < len(section):
            end = section.find(b"\n", position)
            if end < 0:
                end = len(section)
            line = section[position:end]
            if not line or line[:1] not in b"+- \\":
                break
            if line.startswith(b"+"):
                yield number, line[1:].rstrip(b"\r")
                number += 1
            elif line.startswith(b" "):
                number += 1
            position = end + 1


def parse(patch: bytes) -> Iterator[FilePatch]:
    """Every file of a multi-file patch."""
    for section in split_files(patch):
        yield parse_file(section)
