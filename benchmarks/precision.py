"""Findings on real code that holds no live secrets, for all three tools.

Downloads pinned sdists of large, popular Python projects (once, into
benchmarks/.work/), scans each tree with leakguard, betterleaks and
detect-secrets, and prints how many findings each reports. Every leakguard
finding is listed with --details, so each one can be judged.

    python benchmarks/precision.py [--details] [--only django,requests]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from _common import (
    TREES,
    WORK,
    betterleaks_binary,
    checkout_env,
    detect_secrets,
    ensure_trees,
    leakguard_in_tree,
    run,
    table,
    tree_size,
)


def leakguard_findings(tree: Path) -> list[dict[str, object]]:
    timing = run(leakguard_in_tree("--show-secrets").argv(tree), cwd=TREES, env=checkout_env(),
                 timeout=1800)
    if timing.returncode not in (0, 1):
        raise SystemExit(f"leakguard failed on {tree} (exit {timing.returncode})")
    findings: list[dict[str, object]] = json.loads(timing.stdout)["findings"]
    return findings


def betterleaks_count(tree: Path) -> int | None:
    binary = betterleaks_binary()
    if binary is None:
        return None
    report = WORK / f"betterleaks-{tree.name}.json"
    report.unlink(missing_ok=True)
    subprocess.run(
        [binary, "fs", "--no-banner", "--no-color", "-l", "error", "-o", str(report), str(tree)],
        capture_output=True, check=False, timeout=1800,
    )
    document = json.loads(report.read_text())
    return len(document["findings"] if isinstance(document, dict) else document)


def detect_secrets_count(tree: Path) -> int | None:
    tool = detect_secrets()
    if tool is None:
        return None
    completed = subprocess.run(
        tool.argv("."), cwd=tree, capture_output=True, check=False, timeout=3600,
    )
    results = json.loads(completed.stdout)["results"]
    return sum(len(found) for found in results.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated package names")
    parser.add_argument("--details", action="store_true", help="list every leakguard finding")
    parser.add_argument("--no-detect-secrets", action="store_true",
                        help="skip detect-secrets (minutes per tree)")
    args = parser.parse_args()
    trees = ensure_trees([n for n in args.only.split(",") if n] or None)
    rows = []
    details = []
    for name, tree in trees.items():
        files, size = tree_size(tree)
        found = leakguard_findings(tree)
        by_rule = Counter(str(f["rule_id"]) for f in found)
        ds = None if args.no_detect_secrets else detect_secrets_count(tree)
        rows.append([name, files, f"{size / 1e6:.1f}", len(found), betterleaks_count(tree),
                     "skipped" if ds is None else ds,
                     ", ".join(f"{rule} {count}" for rule, count in by_rule.most_common())])
        details.extend(
            f"  {name}/{f['path']}:{f['line']}  {f['rule_id']}  {str(f['secret'])[:60]!r}"
            for f in found
        )
        print(f"scanned {name}", file=sys.stderr)
    print(table(["tree", "files", "MB", "leakguard", "betterleaks", "detect-secrets",
                 "leakguard by rule"], rows))
    if args.details and details:
        print("\nleakguard findings:")
        print("\n".join(details))


if __name__ == "__main__":
    main()
