"""Pre-commit hook latency: the wall time a developer waits at `git commit`.

Builds a repository with some history and a ~50-line staged change holding
one planted key, then times, as the hook would run them:

- leakguard `scan --staged` (Python start-up and imports included), installed
  in a fresh virtual environment as the pre-commit framework installs it,
- betterleaks' Go binary, `betterleaks git --staged`,
- `detect-secrets-hook` on the staged files (how pre-commit runs it).

    python benchmarks/hook_latency.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import string
import subprocess
import sys
from pathlib import Path

from _common import ROOT, WORK, betterleaks_binary, console_script, median_times, ratio, table

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Benchmark", "GIT_AUTHOR_EMAIL": "bench@users.noreply.leakguard.test",
    "GIT_COMMITTER_NAME": "Benchmark", "GIT_COMMITTER_EMAIL": "bench@users.noreply.leakguard.test",
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, **GIT_ENV})


def build(repo: Path) -> list[str]:
    """A project of 200 source files and 20 commits; then a staged change of
    ~50 lines over three files, one of which adds a key."""
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    rng = random.Random(7)
    words = ["value", "count", "result", "items", "config", "user", "total", "index"]
    for commit in range(20):
        for number in range(10):
            module = repo / "src" / f"module_{commit:02d}_{number}.py"
            module.parent.mkdir(exist_ok=True)
            module.write_text("".join(
                f"def {rng.choice(words)}_{line}(x):\n    return x * {line}\n" for line in range(60)
            ))
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"commit {commit}")
    staged = []
    for number in range(3):
        path = repo / "src" / f"feature_{number}.py"
        lines = [f"{rng.choice(words)}_{line} = {line}\n" for line in range(16)]
        if number == 1:
            token = "ghp_" + "".join(rng.choices(string.ascii_letters + string.digits, k=36))
            lines.insert(8, f'GITHUB_TOKEN = "{token}"\n')
        path.write_text("".join(lines))
        staged.append(str(path.relative_to(repo)))
    git(repo, "add", *staged)
    return staged


def hook_environment() -> Path:
    """A virtual environment holding only leakguard (and its dependencies),
    rebuilt from this checkout, like the one pre-commit creates for the hook."""
    venv = WORK / "hook-venv"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--force-reinstall", "--no-deps", str(ROOT)],
        check=True, capture_output=True,
    )
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(ROOT)], check=True,
                   capture_output=True)
    return venv


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    repo = WORK / "hook-repo"
    staged = build(repo)
    venv = hook_environment()
    tools: dict[str, list[str]] = {
        "leakguard scan --staged": [str(venv / "bin" / "leakguard"), "scan", "--staged"],
    }
    binary = betterleaks_binary()
    if binary:
        tools["betterleaks git --staged"] = [binary, "git", "--staged", "--no-banner", "-l",
                                             "error", "."]
    hook = console_script("detect-secrets-hook")
    if hook:
        tools["detect-secrets-hook"] = [hook, *staged]
    timings = median_times(tools, repeat=args.repeat, cwd=repo)
    reference = timings.get("betterleaks git --staged")
    rows = [
        [name, f"{timing.seconds * 1000:.0f} ms" if timing.seconds else "timeout",
         timing.returncode, ratio(timing.seconds, reference.seconds if reference else None)]
        for name, timing in timings.items()
    ]
    print(f"staged: {len(staged)} files, ~50 added lines, one planted key; median of {args.repeat}")
    print(table(["hook", "wall time", "exit code", "time vs betterleaks"], rows))


if __name__ == "__main__":
    main()
