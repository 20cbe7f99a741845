from __future__ import annotations

import json
from pathlib import Path

import pytest

from leakguard.state import ScanState, default_path, load, save


def test_round_trip(tmp_path: Path) -> None:
    path = default_path(tmp_path / ".git")
    save(path, ScanState("digest", ("b" * 40, "a" * 40)))
    assert load(path, "digest") == ScanState("digest", ("a" * 40, "b" * 40))
    assert json.loads(path.read_text())["version"] == 1


@pytest.mark.parametrize(
    "content",
    ["not json", "[]", '{"version": 1, "settings_digest": "other", "tips": []}',
     '{"version": 2, "settings_digest": "digest", "tips": []}',
     '{"version": 1, "settings_digest": "digest", "tips": [1]}'],
)
def test_unusable_state_means_a_full_scan(tmp_path: Path, content: str) -> None:
    path = tmp_path / "state.json"
    path.write_text(content)
    assert load(path, "digest") is None


def test_missing_state_means_a_full_scan(tmp_path: Path) -> None:
    assert load(tmp_path / "absent.json", "digest") is None
