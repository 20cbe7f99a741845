from __future__ import annotations

import io

from leakguard.progress import Progress


def test_progress_line_shows_counts_rate_and_eta() -> None:
    stream = io.StringIO()
    display = Progress(stream)
    display.update(5, 20, 2 * 1024 * 1024)
    line = stream.getvalue()
    assert line.startswith("\rcommits 5/20 (25%)") and "MB/s" in line and "ETA" in line
    display.close()
    assert stream.getvalue().endswith("\r\033[K")


def test_nothing_is_written_when_nothing_was_shown() -> None:
    stream = io.StringIO()
    Progress(stream).close()
    assert stream.getvalue() == ""
