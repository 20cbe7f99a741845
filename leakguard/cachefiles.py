"""Files in leakguard's cache folder: derived data (parsed rules, compiled
regexes, hyperscan databases) that only ever saves time.

Writes are atomic and best effort: a read-only home or a full disk costs the
next run the time the file would have saved, nothing else.

Every new set of rule files, rule set or ``regex`` version adds entries and
nothing ever reads the old ones again, so writing also clears out, at most
once a day, entries nobody has used for a month: by the later of the file's
access and modification times (``relatime`` mounts refresh access times once
a day; on ``noatime`` ones an entry in use is rebuilt once a month).
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

UNUSED_FOR = 30 * 24 * 3600  # seconds without use before an entry is removed
PRUNE_EVERY = 24 * 3600  # seconds between two clear-outs
MARKER = ".last-pruned"  # its modification time is the last clear-out's


def store(path: Path, data: bytes, *, cache_dir: Path) -> bool:
    """Write ``data`` to ``path`` (inside ``cache_dir``) through a temporary
    file, so a reader never sees a torn file; a failure leaves no file behind
    and returns False. Clears out ``cache_dir`` when that is due."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):  # it may never have been written
            temporary.unlink()
        return False
    prune(cache_dir)
    return True


def prune(cache_dir: Path, now: float | None = None) -> int:
    """Remove the entries of ``cache_dir`` (and its sub-folders, when that
    empties them) unused for ``UNUSED_FOR`` seconds, unless the last clear-out
    was under ``PRUNE_EVERY`` seconds ago. Returns how many files went."""
    now = time.time() if now is None else now
    marker = cache_dir / MARKER
    try:
        if now - marker.stat().st_mtime < PRUNE_EVERY:
            return 0
    except OSError:  # never pruned
        pass
    try:
        marker.touch()
        os.utime(marker, (now, now))
    except OSError:  # read-only: nothing can be removed either
        return 0
    removed = 0
    for folder, _, names in os.walk(cache_dir, topdown=False):
        for name in names:
            path = os.path.join(folder, name)
            with contextlib.suppress(OSError):  # gone already, or not ours to remove
                info = os.stat(path)
                if name != MARKER and now - max(info.st_atime, info.st_mtime) > UNUSED_FOR:
                    os.unlink(path)
                    removed += 1
        if folder != str(cache_dir):
            with contextlib.suppress(OSError):  # still holds entries
                os.rmdir(folder)
    return removed
