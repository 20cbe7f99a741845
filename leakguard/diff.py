"""Pure parser: unified diff bytes → the added lines of each file, with their
real line numbers in the new version.

Works on what ``git diff --cached -U0`` and ``git log -p -U0`` print. Paths
come from the ``+++``/``rename to`` headers, unquoted with git's C-style
quoting, so names with spaces, newlines or non-UTF-8 bytes survive.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from leakguard.models import LineRuns

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@[^\n]*\n", re.MULTILINE)
# On a section with a newline put in front, so that every pattern starts with
# a literal the regex engine can search for quickly (no MULTILINE ^): hunk
# headers, and a line break with the lines that are not added lines after it
# (hunk headers, removed lines, "\ No newline at end of file") and the "+"
# of the next added line.
_HUNK_HEADER = re.compile(rb"\n@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_LINE_BREAKS = re.compile(rb"\n(?:[^+\n][^\n]*\n)*\+")
_ESCAPES = {
    ord("a"): 7, ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("v"): 11, ord("f"): 12,
    ord("r"): 13, ord('"'): 34, ord("\\"): 92,
}


class FilePatch(NamedTuple):
    """One file's change: its new path, the added lines (joined by newlines,
    with their line numbers in the new version), and what kind of change."""

    path: str
    text: bytes = b""
    numbers: Sequence[int] = ()
    old_path: str | None = None
    binary: bool = False
    deleted: bool = False
    submodule: bool = False
    # the versions' object names, from the index line ("" for none: an added
    # file has no old version)
    blob: str = ""
    old_blob: str = ""

    @property
    def added(self) -> tuple[tuple[int, bytes], ...]:
        """(line number, content) pairs: convenient, not fast."""
        return tuple(zip(self.numbers, self.text.split(b"\n"), strict=True)) if self.numbers else ()


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
    marker = b"\ndiff --git "
    start = 0 if patch.startswith(marker[1:]) else patch.find(marker) + 1
    if start == 0 and not patch.startswith(marker[1:]):
        return
    while True:
        following = patch.find(marker, start)
        if following < 0:
            yield patch[start:]
            return
        yield patch[start : following + 1]
        start = following + 1


def parse_file(section: bytes) -> FilePatch:
    """One ``diff --git`` section → a ``FilePatch``."""
    first_hunk = _HUNK.search(section)
    header = section[: first_hunk.start()] if first_hunk else section
    lines = header.split(b"\n")
    new_path: bytes | None = _split_git_header(lines[0][len(b"diff --git ") :])
    old_path: bytes | None = None
    deleted = binary = submodule = False
    blob = old_blob = ""
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
        elif line.startswith(b"index ") and b".." in line:
            names = line[6:].split(b" ", 1)[0].decode("ascii", "replace")
            old_blob, _, blob = names.partition("..")
            old_blob = "" if not old_blob.strip("0") else old_blob
    path = os.fsdecode(new_path or b"")
    renamed_from = os.fsdecode(old_path) if old_path else None
    if deleted or binary or submodule or first_hunk is None:
        return FilePatch(
            path, old_path=renamed_from, binary=binary, deleted=deleted, submodule=submodule,
            blob=blob if binary else "", old_blob=old_blob if binary else "",
        )
    text, numbers = _added(section, first_hunk.start())
    if b"\r" in text:  # CRLF files: the \r belongs to the line ending
        text = text.replace(b"\r\n", b"\n").removesuffix(b"\r")
    return FilePatch(path, text, numbers, renamed_from, blob=blob, old_blob=old_blob)


def _added(section: bytes, start: int) -> tuple[bytes, LineRuns]:
    """The added lines (without their ``+``, joined by newlines) and their line
    numbers in the new version.

    In a ``-U0`` patch every hunk line is removed, added or a header, so one
    C-speed substitution over the whole section turns each run of other lines
    and the ``+`` after it into a newline (history scans read hundreds of
    megabytes of them), and the hunk headers give the numbers as runs. When
    the count of added lines disagrees with the headers (context lines), the
    careful path reads line by line.
    """
    body = b"\n" + section[start:]
    # a final "+" ends the last run of other lines like an added line would
    body += b"+" if body.endswith(b"\n") else b"\n+"
    runs = [
        (int(first), int(count or b"1")) for first, count in _HUNK_HEADER.findall(body)
    ]
    kept, found = _LINE_BREAKS.subn(b"\n", body)  # "\nline\nline…\n"
    numbers = LineRuns(runs)
    if found - 1 == len(numbers):
        return kept[1:-1], numbers
    return _with_context(body[1:-1])


def _with_context(body: bytes) -> tuple[bytes, LineRuns]:
    """Line by line, for hunks with context lines (``-U3``)."""
    lines: list[bytes] = []
    numbers: list[int] = []
    number = 0
    for line in body.split(b"\n"):
        hunk = _HUNK.match(line + b"\n")
        if hunk:
            number = int(hunk.group(1))
        elif line.startswith(b"+"):
            lines.append(line[1:])
            numbers.append(number)
            number += 1
        elif line.startswith(b" "):
            number += 1
    return b"\n".join(lines), LineRuns.of(numbers)


def parse(patch: bytes) -> Iterator[FilePatch]:
    """Every file of a multi-file patch."""
    for section in split_files(patch):
        yield parse_file(section)
