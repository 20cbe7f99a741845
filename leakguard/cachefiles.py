"""Files in leakguard's cache folder: derived data (parsed rules, compiled
regexes, hyperscan databases) that only ever saves time.

Writes are atomic and best effort: a read-only home or a full disk costs the
next run the time the file would have saved, nothing else.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def store(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file, so a reader never
    sees a torn file; a failure leaves no file behind and returns False."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):  # it may never have been written
            temporary.unlink()
        return False
    return True
