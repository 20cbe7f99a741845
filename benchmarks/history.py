"""History throughput: leakguard --history vs betterleaks git vs git's own floor.

Builds (once, cached under benchmarks/.work/) a realistic repository: the
successive released versions of a few PyPI packages' sdists committed one
after another, each version split into several commits, with a few synthetic
credentials planted along the way. Then times, on that repository:

- leakguard `scan --history` (all refs, default jobs), with its defaults and
  with personal data off (secrets only, the job betterleaks does),
- betterleaks' Go binary, `betterleaks git`,
- git's floor: `git log -p -U0 --all` to /dev/null, in one process and split
  over two processes,
- an incremental leakguard rescan (`--since-last-scan`) after one new commit,
- both tools on a depth-1 clone of it (CI's usual checkout: one commit that
  adds the whole tree).

    python benchmarks/history.py [--repeat N] [--repo PATH]

`--repo PATH` times an existing clone instead (e.g. a well-known project).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    WORK,
    betterleaks_binary,
    download_sdist,
    leakguard_config,
    median_times,
    ratio,
    run,
    table,
)

MB = 1024 * 1024
PACKAGES = {
    "requests": ["2.0.0", "2.2.1", "2.4.3", "2.6.2", "2.8.1", "2.10.0", "2.12.5", "2.14.2",
                 "2.16.5", "2.18.4", "2.20.1", "2.22.0", "2.24.0", "2.26.0", "2.28.2", "2.31.0",
                 "2.32.3"],
    "flask": ["0.12.5", "1.0.4", "1.1.4", "2.0.3", "2.1.3", "2.2.5", "2.3.3", "3.0.3", "3.1.0"],
    "sqlalchemy": ["1.3.24", "1.4.0", "1.4.25", "1.4.54", "2.0.0", "2.0.20", "2.0.36"],
    "django": ["3.2", "3.2.25", "4.0", "4.1", "4.2", "4.2.16", "5.0", "5.1", "5.2"],
}
FILES_PER_COMMIT = 60
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Benchmark", "GIT_AUTHOR_EMAIL": "bench@users.noreply.leakguard.test",
    "GIT_COMMITTER_NAME": "Benchmark", "GIT_COMMITTER_EMAIL": "bench@users.noreply.leakguard.test",
}


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    completed = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True,
        env={**os.environ, **GIT_ENV, **(env or {})},
    )
    return completed.stdout


def planted_secrets(rng: random.Random) -> list[str]:
    """Synthetic credentials both tools know, generated here so that no
    credential-shaped literal sits in this file."""
    base62 = string.ascii_letters + string.digits
    github = "ghp_" + "".join(rng.choices(base62, k=36))
    aws_id = "AKIA" + "".join(rng.choices(string.ascii_uppercase + "234567", k=16))
    aws_secret = "".join(rng.choices(base62 + "+/", k=40))
    slack = ("https://hooks.slack.com/services/T" + "".join(rng.choices(string.ascii_uppercase, k=8))
             + "/B" + "".join(rng.choices(string.ascii_uppercase, k=8)) + "/"
             + "".join(rng.choices(base62, k=24)))
    return [
        f'GITHUB_TOKEN = "{github}"\n',
        f"aws_access_key_id = {aws_id}\naws_secret_access_key = {aws_secret}\n",
        f'SLACK_WEBHOOK = "{slack}"\n',
    ]


def build(repo: Path) -> None:
    """Commit every version of every package, in chunks of files."""
    if (repo / ".git").is_dir() and git(repo, "rev-list", "--all", "--count").strip() != "0":
        return
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    rng = random.Random(20261128)
    secrets = planted_secrets(rng)
    day = 0
    sdists = WORK / "sdists"
    jobs = [(package, version) for version_index in range(max(map(len, PACKAGES.values())))
            for package, versions in PACKAGES.items() if version_index < len(versions)
            for version in [versions[version_index]]]
    for number, (package, version) in enumerate(jobs):
        archive = download_sdist(package, version, sdists)
        target = repo / package
        shutil.rmtree(target, ignore_errors=True)
        with tempfile.TemporaryDirectory() as scratch:
            shutil.unpack_archive(archive, scratch)
            [top] = list(Path(scratch).iterdir())
            shutil.copytree(top, target)
        if number % 11 == 5 and secrets:
            (target / "leaked_settings.py").write_text(secrets.pop())
        status = git(repo, "status", "--porcelain", "-z", "-uall").split("\0")
        changed = [entry[3:] for entry in status if entry]
        for start in range(0, len(changed), FILES_PER_COMMIT):
            day += 1
            stamp = f"{1577836800 + day * 3600} +0000"
            git(repo, "add", "-A", "-f", "--", *changed[start : start + FILES_PER_COMMIT])
            part = start // FILES_PER_COMMIT + 1
            git(repo, "commit", "-q", "--allow-empty", "-m", f"{package} {version} part {part}",
                env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})


def blob_megabytes(repo: Path) -> float:
    output = subprocess.run(
        ["git", "cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectsize)"],
        cwd=repo, capture_output=True, text=True, check=True,
    ).stdout
    return sum(int(size) for kind, size in (line.split() for line in output.splitlines())
               if kind == "blob") / MB


def git_floor_two_processes(repo: Path) -> float:
    """git's patch generation split over two processes, as a two-core tool could."""
    commits = git(repo, "rev-list", "--all").split()
    halves = [commits[::2], commits[1::2]]
    began = time.perf_counter()
    processes = [
        subprocess.Popen(
            ["git", "log", "--no-walk=unsorted", "--stdin", "-p", "-U0", "--no-color",
             "--no-ext-diff", "--no-textconv"],
            cwd=repo, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
        )
        for _ in halves
    ]
    for process, half in zip(processes, halves, strict=True):
        assert process.stdin is not None
        process.stdin.write(("\n".join(half) + "\n").encode())
        process.stdin.close()
    for process in processes:
        process.wait()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--repo", type=Path, help="time this repository instead of building one")
    args = parser.parse_args()
    repo = args.repo or WORK / "history-repo"
    if args.repo is None:
        build(repo)
    commits = int(git(repo, "rev-list", "--all", "--count"))
    print(f"repository: {repo}  commits: {commits}  unique blob content: "
          f"{blob_megabytes(repo):.0f} MB")
    out = WORK / "history-out"
    out.mkdir(parents=True, exist_ok=True)
    leakguard = history_scan(repo, out / "leakguard.json")
    # the job betterleaks does: secrets only, personal data off
    secrets_only = history_scan(
        repo, out / "leakguard-secrets.json", "--config", str(leakguard_config(secrets_only=True))
    )
    commands = {"leakguard --history": leakguard, "leakguard --history, secrets only": secrets_only}
    binary = betterleaks_binary()
    if binary:
        commands["betterleaks git"] = betterleaks_git(binary, repo, out / "betterleaks.json")
    commands["git log -p -U0 --all (1 process)"] = [
        "sh", "-c",
        f"git -C '{repo}' log -p -U0 --all --no-color --no-ext-diff --no-textconv > /dev/null",
    ]
    # in turns, run after run: this machine's speed drifts by 10-30% over
    # minutes, and timing each tool in a block of its own let that decide
    timings = median_times(commands, repeat=args.repeat, timeout=3600)
    two = sorted(git_floor_two_processes(repo) for _ in range(args.repeat))[args.repeat // 2]
    scanned = json.loads((out / "leakguard.json").read_text())
    added_mb = scanned["summary"]["bytes_scanned"] / MB
    reference = timings.get("betterleaks git")
    rows = []
    for name, timing in timings.items():
        seconds = timing.seconds
        rows.append([name, timing.label(), f"{added_mb / seconds:.1f}" if seconds else "n/a",
                     ratio(reference.seconds if reference else None, seconds)])
    rows.append(["git log -p -U0 (2 processes)", f"{two:.2f}s", f"{added_mb / two:.1f}",
                 ratio(reference.seconds if reference else None, two)])
    print(f"added text scanned by leakguard: {added_mb:.1f} MB; "
          f"findings: leakguard {len(scanned['findings'])} "
          f"({len(json.loads((out / 'leakguard-secrets.json').read_text())['findings'])} "
          "with personal data off)"
          + (f", betterleaks {len(json.loads((out / 'betterleaks.json').read_text()))}" if binary else ""))
    print(table(["tool", "median", "MB/s of added text", "speed vs betterleaks"], rows))
    lg = timings["leakguard --history"].seconds
    print(f"leakguard vs two-process git floor: {ratio(two, lg)} of the floor's speed")

    # incremental: a full --since-last-scan run records state, one commit later
    # the rescan only reads that commit
    state = out / "state.json"
    state.unlink(missing_ok=True)
    incremental = [*leakguard, "--since-last-scan", "--state-file", str(state)]
    run(incremental, timeout=3600)
    (repo / "incremental.txt").write_text(f"run at {time.time()}\n")
    git(repo, "add", "incremental.txt")
    git(repo, "commit", "-q", "-m", "one more commit")
    again = run(incremental, timeout=3600)
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    print(f"incremental rescan after one new commit: {again.label()}")
    if binary:
        shallow_clone(repo, out, binary, repeat=args.repeat)


def history_scan(repo: Path, report: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "leakguard", "scan", "--history", str(repo), "-f", "json",
            "-o", str(report), "--progress", "never", *extra]


def betterleaks_git(binary: str, repo: Path, report: Path) -> list[str]:
    return [binary, "git", str(repo), "--no-banner", "-l", "error", "-o", str(report)]


def shallow_clone(repo: Path, out: Path, binary: str, *, repeat: int) -> None:
    """CI's usual checkout: a depth-1 clone, whose one commit adds the whole tree."""
    clone = WORK / "history-shallow"
    if clone.exists():
        shutil.rmtree(clone)
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)],
                   check=True, capture_output=True)
    tools = {
        "leakguard --history": history_scan(clone, out / "shallow.json"),
        "betterleaks git": betterleaks_git(binary, clone, out / "shallow-betterleaks.json"),
    }
    timings = median_times(tools, repeat=repeat, timeout=3600)
    added_mb = json.loads((out / "shallow.json").read_text())["summary"]["bytes_scanned"] / MB
    reference = timings["betterleaks git"].seconds
    print(f"depth-1 clone (one commit, {added_mb:.1f} MB of text):")
    print(table(["tool", "median", "speed vs betterleaks"],
                [[name, timing.label(), ratio(reference, timing.seconds)]
                 for name, timing in timings.items()]))


if __name__ == "__main__":
    main()
