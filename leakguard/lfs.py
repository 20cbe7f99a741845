"""Git LFS: the content behind pointer files.

A file tracked by Git LFS is committed as a pointer of three short lines (the
spec's version, the content's SHA-256 and its size); the content itself goes
to the LFS store (``.git/lfs/objects/ab/cd/abcd…``) and to the LFS server,
pushed beside the commits. Datasets and fixtures are what teams put in LFS,
so a scan of commits that read only the pointers would pass every leak in
them: the content is read from the local store instead, when it is there.
"""

from __future__ import annotations

import re
from pathlib import Path

SPEC_LINE = b"version https://git-lfs.github.com/spec/v1\n"
# The spec's pointers are small (its limit is 1024 bytes) and keep the oid
# line in this form; anything else is the file's own text.
MAX_POINTER = 1024
_OID = re.compile(rb"^oid sha256:([0-9a-f]{64})$", re.MULTILINE)
# in a change's added lines: a new pointer, or a pointer to new content
ADDED_HINT = b"oid sha256:"


def pointer_oid(data: bytes) -> str | None:
    """The content's SHA-256 when ``data`` is an LFS pointer, else None."""
    if len(data) > MAX_POINTER or not data.startswith(SPEC_LINE):
        return None
    found = _OID.search(data)
    return found.group(1).decode("ascii") if found else None


def object_path(store: Path, oid: str) -> Path:
    """Where the store keeps the content with this SHA-256."""
    return store / "objects" / oid[:2] / oid[2:4] / oid
