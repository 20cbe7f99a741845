"""The repository's own hygiene, checked by the suite CI runs: types, lint,
and leakguard scanning itself clean with its own configuration."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> list[str]:
    """The tool installed next to this Python (the test extra), else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return [str(beside)]
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; install the test extra: pip install -e '.[test]'")
    return [found]


def test_mypy_strict_passes() -> None:
    completed = subprocess.run(
        [*_tool("mypy")], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_ruff_passes() -> None:
    completed = subprocess.run(
        [*_tool("ruff"), "check", "leakguard", "tests", "benchmarks"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize("where", [["."], ["--history"]], ids=["work tree", "history"])
def test_repository_scans_itself_clean(where: list[str]) -> None:
    """History too: commit messages are scanned, and a test vector quoted in
    one is a leak like any other (the suite runs from a clone, as CI does)."""
    completed = subprocess.run(
        [sys.executable, "-m", "leakguard", "scan", *where],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize(
    "script", sorted(p.name for p in (ROOT / "benchmarks").glob("[!_]*.py")), ids=str
)
def test_benchmark_starts(script: str) -> None:
    """CI never runs the benchmarks, so an import they lost (a module split,
    a renamed function) would only show on the day someone measures."""
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--help"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("usage:")
