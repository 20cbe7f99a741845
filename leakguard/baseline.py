"""Content fingerprints, and the baseline file of known findings.

The baseline holds hashes, never secrets, and no line numbers in its identity:
editing other lines never brings a known finding back, changing the secret
does. Its layout is one entry per line, sorted, every entry line ending in a
comma before a fixed closing line, so that two branches adding entries merge
as plain line additions (and with ``merge=union``, even neighbouring ones).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from leakguard.errors import BaselineError
from leakguard.models import Decision, Finding

BASELINE_NAME = ".leakguard-baseline.json"
BASELINE_VERSION = 1
LABELS = ("unreviewed", "real", "false-positive", "accepted")
_HEADER = '{"version": %d, "entries": [\n'
_END = '{"end": "leakguard baseline"}\n]}\n'
UNION_ATTRIBUTE = f"{BASELINE_NAME} merge=union"


def fingerprint(rule_id: str, path: str, secret: str) -> str:
    """A finding's identity: rule, repository-relative path and secret value.

    No line number, so editing other lines never brings a known finding back;
    a one-way hash, so the baseline can be committed without the secret.
    """
    if "\n" in secret:  # re-indenting a multi-line key must not make it new
        secret = " ".join(secret.split())
    material = "\0".join((rule_id, path, secret)).encode("utf-8", "surrogatepass")
    return _sha256(material)


def _sha256(data: bytes) -> str:
    """SHA-256 (hex, first 32 digits)."""
    digest: str = _sha256_constructor()(data).hexdigest()
    return digest[:32]


@functools.cache
def _sha256_constructor() -> Callable[[bytes], Any]:
    """From CPython's built-in module where it has one: importing hashlib
    loads OpenSSL, 2-3 ms of a hook run. Found once: looking it up per
    finding was 2% of judging 50,000 matches."""
    import importlib

    for name in ("_sha256", "_sha2", "hashlib"):  # CPython <= 3.11, 3.12+, anywhere
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        constructor: Callable[[bytes], Any] = module.sha256
        return constructor
    raise RuntimeError("no SHA-256 implementation")  # pragma: no cover - hashlib always exists


class Entry(NamedTuple):
    """One known finding. Only ``fingerprint`` identifies it; the rest are
    hints for the humans who review it."""

    fingerprint: str
    rule_id: str
    path: str
    line: int = 0
    commit: str | None = None
    label: str = "unreviewed"
    reason: str = ""
    added: str = ""

    def record(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint, "rule_id": self.rule_id, "path": self.path,
            "line": self.line, "commit": self.commit, "label": self.label,
            "reason": self.reason, "added": self.added,
        }


class Baseline:
    """A loaded baseline: its file and its entries by fingerprint."""

    def __init__(self, path: Path, entries: Mapping[str, Entry]) -> None:
        self.path = path
        self.entries = entries

    def __contains__(self, fingerprint: object) -> bool:
        return fingerprint in self.entries


def entry_for(finding: Finding, today: str | None = None) -> Entry:
    import datetime

    return Entry(
        fingerprint=finding.fingerprint,
        rule_id=finding.rule_id,
        path=finding.path,
        line=finding.line,
        commit=finding.commit.sha if finding.commit else None,
        added=today or datetime.date.today().isoformat(),
    )


def load(path: Path) -> Baseline:
    """Read a baseline; any malformation is an error naming the file (and the
    line), never a silently empty baseline that would let everything through
    — or hide nothing it should."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise BaselineError(f"{path}: baseline file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc}") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"{path}:{exc.lineno}:{exc.colno}: the baseline is not valid JSON ({exc.msg}); "
            "after a merge conflict, keep both sides' entry lines"
        ) from exc
    if not isinstance(document, dict) or document.get("version") != BASELINE_VERSION:
        raise BaselineError(f"{path}: not a leakguard baseline (version {BASELINE_VERSION})")
    records = document.get("entries")
    if not isinstance(records, list):
        raise BaselineError(f"{path}: 'entries' must be an array")
    entries: dict[str, Entry] = {}
    for number, record in enumerate(records, start=1):
        if isinstance(record, dict) and set(record) == {"end"}:
            continue
        entry = _entry(record, path, number)
        entries[entry.fingerprint] = entry  # union merges may repeat an entry
    return Baseline(path, entries)


def _entry(record: object, path: Path, number: int) -> Entry:
    where = f"{path}: entry {number}"
    if not isinstance(record, dict):
        raise BaselineError(f"{where}: must be an object")
    fingerprint = record.get("fingerprint")
    if not isinstance(fingerprint, str) or len(fingerprint) != 32:
        raise BaselineError(f"{where}: 'fingerprint' must be a 32-character hash")
    label = record.get("label", "unreviewed")
    if label not in LABELS:
        raise BaselineError(f"{where}: 'label' must be one of {', '.join(LABELS)}")
    try:
        return Entry(
            fingerprint=fingerprint,
            rule_id=str(record.get("rule_id", "")),
            path=str(record.get("path", "")),
            line=int(record.get("line") or 0),
            commit=record.get("commit") if isinstance(record.get("commit"), str) else None,
            label=label,
            reason=str(record.get("reason", "")),
            added=str(record.get("added", "")),
        )
    except (TypeError, ValueError) as exc:
        raise BaselineError(f"{where}: {exc}") from exc


def render(entries: Iterable[Entry]) -> str:
    """The file's text: sorted, one entry per line, each line ending in a comma."""
    lines = [
        json.dumps(entry.record(), ensure_ascii=False, sort_keys=False) + ",\n"
        for entry in sorted(entries, key=lambda entry: (entry.path, entry.rule_id,
                                                        entry.fingerprint))
    ]
    return _HEADER % BASELINE_VERSION + "".join(lines) + _END


def save(path: Path, entries: Iterable[Entry]) -> None:
    """Write atomically (temporary file, fsync, rename)."""
    text = render(entries)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror}") from exc


def subtract(
    findings: Sequence[Finding], baseline: Baseline
) -> tuple[list[Finding], list[Finding]]:
    """Split findings into new ones and known ones (suppressed, with the
    entry's label and reason as the decision)."""
    new, known = [], []
    for finding in findings:
        entry = baseline.entries.get(finding.fingerprint)
        if entry is None:
            new.append(finding)
            continue
        why = f"in the baseline {baseline.path.name} ({entry.label}"
        why += f": {entry.reason})" if entry.reason else ")"
        known.append(finding._replace(suppressed_by=Decision("baseline", why)))
    return new, known


class Changes(NamedTuple):
    added: tuple[Entry, ...]
    removed: tuple[Entry, ...]
    kept: tuple[Entry, ...]


def update(existing: Mapping[str, Entry], found: Sequence[Finding], *, prune: bool) -> Changes:
    """New findings become entries; existing entries keep their labels; with
    ``prune``, entries whose finding is gone are dropped."""
    seen = {finding.fingerprint for finding in found}
    added = tuple(
        entry_for(finding) for finding in _unique(found) if finding.fingerprint not in existing
    )
    removed = tuple(e for f, e in existing.items() if prune and f not in seen)
    kept = tuple(e for f, e in existing.items() if not (prune and f not in seen))
    return Changes(added, removed, kept)


def _unique(findings: Sequence[Finding]) -> list[Finding]:
    seen: dict[str, Finding] = {}
    for finding in findings:
        seen.setdefault(finding.fingerprint, finding)
    return list(seen.values())


def ensure_union_merge(root: Path) -> bool:
    """Add ``merge=union`` for the baseline to the repository's .gitattributes
    (returns whether it was added): two branches adding neighbouring entries
    then merge without a conflict."""
    attributes = root / ".gitattributes"
    try:
        current = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    except (OSError, UnicodeDecodeError):
        return False
    if UNION_ATTRIBUTE in current.splitlines():
        return False
    separator = "" if not current or current.endswith("\n") else "\n"
    attributes.write_text(current + separator + UNION_ATTRIBUTE + "\n", encoding="utf-8")
    return True
