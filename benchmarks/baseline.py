"""A baseline costs hash lookups, not rescans.

Builds a git repository with N synthetic findings, records them all in a
baseline, and times the same scan with the baseline (everything known: clean)
and without it (--no-baseline: every finding reported).

    python benchmarks/baseline.py [--findings N] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import string
import subprocess
import sys

from _common import WORK, median_time, table

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Benchmark", "GIT_AUTHOR_EMAIL": "bench@users.noreply.leakguard.test",
    "GIT_COMMITTER_NAME": "Benchmark", "GIT_COMMITTER_EMAIL": "bench@users.noreply.leakguard.test",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    repo = WORK / "baseline-repo"
    shutil.rmtree(repo, ignore_errors=True)
    (repo / "src").mkdir(parents=True)
    rng = random.Random(11)
    alphabet = string.ascii_letters + string.digits
    per_file = 5
    for number in range(args.findings // per_file):
        lines = [f"value_{line} = {line}\n" for line in range(40)]
        for slot in range(per_file):
            token = "ghp_" + "".join(rng.choices(alphabet, k=36))
            lines.insert(slot * 8, f'TOKEN_{slot} = "{token}"\n')
        (repo / "src" / f"module_{number:05d}.py").write_text("".join(lines))
    env = {**os.environ, **GIT_ENV}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "fixtures"]):
        subprocess.run(["git", *command], cwd=repo, check=True, env=env)
    leakguard = [sys.executable, "-m", "leakguard"]
    subprocess.run([*leakguard, "baseline", "create"], cwd=repo, check=True, capture_output=True)
    scan = [*leakguard, "scan", ".", "-f", "json"]
    without = median_time([*scan, "--no-baseline"], repeat=args.repeat, cwd=repo)
    with_baseline = median_time(scan, repeat=args.repeat, cwd=repo)
    assert with_baseline.returncode == 0 and without.returncode == 1
    rows = [
        ["without baseline (all reported)", without.label(), without.returncode],
        [f"with a baseline of {args.findings} entries", with_baseline.label(),
         with_baseline.returncode],
    ]
    print(table(["scan", "median", "exit code"], rows))
    if without.seconds and with_baseline.seconds:
        print(f"cost of the baseline: {with_baseline.seconds / without.seconds:.2f}x the scan")


if __name__ == "__main__":
    main()
