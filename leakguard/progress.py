"""A one-line progress display on stderr for long scans, only on a terminal."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from leakguard.scan import ScanResult


class Progress:
    """Commits done of total, throughput and time left, redrawn in place."""

    def __init__(self, stream: TextIO, label: str = "commits") -> None:
        self.stream = stream
        self.label = label
        self.began = time.monotonic()
        self.bytes = 0
        self.shown = False

    def update(self, done: int, total: int, added_bytes: int) -> None:
        self.bytes += added_bytes
        elapsed = max(time.monotonic() - self.began, 1e-6)
        rate = self.bytes / elapsed / (1024 * 1024)
        remaining = elapsed / done * (total - done) if done else 0.0
        percent = 100 * done // total if total else 100
        minutes, seconds = divmod(int(remaining), 60)
        self.stream.write(
            f"\r{self.label} {done}/{total} ({percent}%)  {rate:.1f} MB/s  "
            f"ETA {minutes}:{seconds:02d} "
        )
        self.stream.flush()
        self.shown = True

    def update_from_part(self, done: int, total: int, part: ScanResult) -> None:
        self.update(done, total, part.bytes)

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
