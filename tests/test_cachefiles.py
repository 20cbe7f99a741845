from __future__ import annotations

import os
from pathlib import Path

import pytest

from leakguard.cachefiles import MARKER, PRUNE_EVERY, prune, store

NOW = 2_000_000_000.0
DAY = 24 * 3600


def _entry(path: Path, *, used: float, written: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"cached")
    os.utime(path, (used, written))
    return path


def test_prune_removes_what_nobody_used_for_a_month(tmp_path: Path) -> None:
    old = _entry(tmp_path / "rules-old.pickle", used=NOW - 40 * DAY, written=NOW - 40 * DAY)
    read_lately = _entry(tmp_path / "hyperscan-a.db", used=NOW - DAY, written=NOW - 90 * DAY)
    new = _entry(tmp_path / "rules-new.pickle", used=NOW - 40 * DAY, written=NOW - 2 * DAY)
    stale_version = _entry(tmp_path / "regex-1.0" / "a.pickle", used=0, written=0)
    mixed = tmp_path / "regex-2.0"
    _entry(mixed / "b.pickle", used=0, written=0)
    kept_in_mixed = _entry(mixed / "c.pickle", used=NOW, written=NOW)
    assert prune(tmp_path, now=NOW) == 3
    assert not old.exists() and not stale_version.parent.exists()
    assert read_lately.exists() and new.exists() and kept_in_mixed.exists()
    assert sorted(p.name for p in mixed.iterdir()) == ["c.pickle"]
    assert (tmp_path / MARKER).stat().st_mtime == NOW


@pytest.mark.parametrize(
    ("last", "removed"), [(NOW - PRUNE_EVERY + 60, 0), (NOW - PRUNE_EVERY - 60, 1)]
)
def test_prune_runs_at_most_once_a_day(tmp_path: Path, last: float, removed: int) -> None:
    _entry(tmp_path / MARKER, used=last, written=last)
    _entry(tmp_path / "rules-old.pickle", used=0, written=0)
    assert prune(tmp_path, now=NOW) == removed


def test_storing_clears_out_the_cache_when_due(tmp_path: Path) -> None:
    unused = _entry(tmp_path / "rules-old.pickle", used=0, written=0)
    assert store(tmp_path / "regex-3.0" / "new.pickle", b"compiled", cache_dir=tmp_path)
    assert (tmp_path / "regex-3.0" / "new.pickle").read_bytes() == b"compiled"
    assert not unused.exists()
    _entry(tmp_path / "rules-older.pickle", used=0, written=0)
    assert store(tmp_path / "other.pickle", b"x", cache_dir=tmp_path)
    assert (tmp_path / "rules-older.pickle").exists()  # pruned a moment ago


def test_a_failed_store_leaves_nothing_and_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "regex-3.0"
    blocker.write_bytes(b"a file where the folder should be")
    assert not store(blocker / "new.pickle", b"compiled", cache_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["regex-3.0"]

