"""The small state file behind ``--since-last-scan``: the ref tips a finished
history scan covered, under which rules and settings.

Kept inside the repository's git folder by default (never in the work tree),
written only after a complete scan, and ignored when the rules or settings
changed: a new rule must see old commits.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

STATE_VERSION = 1


@dataclass(frozen=True)
class ScanState:
    settings_digest: str
    tips: tuple[str, ...]


def default_path(git_dir: Path) -> Path:
    return git_dir / "leakguard" / "scan-state.json"


def load(path: Path, settings_digest: str) -> ScanState | None:
    """The recorded state, or None when there is none, it cannot be read, or it
    was made with other rules or settings (then everything is rescanned:
    failing towards scanning more, never less)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(document, dict)
        or document.get("version") != STATE_VERSION
        or document.get("settings_digest") != settings_digest
        or not isinstance(document.get("tips"), list)
        or not all(isinstance(tip, str) for tip in document["tips"])
    ):
        return None
    return ScanState(settings_digest, tuple(document["tips"]))


def save(path: Path, scan_state: ScanState) -> None:
    """Write atomically: a crash leaves the old state, not half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    document = {
        "version": STATE_VERSION,
        "settings_digest": scan_state.settings_digest,
        "tips": sorted(scan_state.tips),
    }
    temporary.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, path)
