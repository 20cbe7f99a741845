"""Directory-scan speed: leakguard, betterleaks and detect-secrets on the same trees.

The trees are the pinned sdists of benchmarks/precision.py (downloaded once
into benchmarks/.work/) plus one combined tree holding all of them. Each
tool scans each tree from a cold process; the median of --repeat runs (after
one warm-up) is reported with files/s, MB/s (over every regular file in the
tree, the same denominator for every tool) and leakguard's speed relative to
each peer (peer time / leakguard time: above 1.0x leakguard is faster).
leakguard runs twice: with its defaults (secrets and personal data), and
with personal data off, the job its peers do; the peers' speed-up is given
against both. detect-secrets takes minutes per tree, so it runs once, with a time limit.

    python benchmarks/dirscan.py [--repeat 5] [--only django,requests] [--no-combined]
"""

from __future__ import annotations

import argparse
import os
import sys

from _common import (
    WORK,
    Timing,
    betterleaks,
    checkout_env,
    combined_tree,
    detect_secrets,
    ensure_trees,
    leakguard_in_tree,
    median_times,
    ratio,
    run,
    table,
    tree_size,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per tool and tree")
    parser.add_argument("--only", default="", help="comma-separated package names")
    parser.add_argument("--no-combined", action="store_true", help="skip the combined tree")
    parser.add_argument("--ds-timeout", type=float, default=1200,
                        help="seconds before detect-secrets is given up on a tree")
    parser.add_argument("--no-detect-secrets", action="store_true")
    args = parser.parse_args()

    trees = ensure_trees([n for n in args.only.split(",") if n] or None)
    targets = dict(trees)
    if not args.no_combined and len(trees) > 1:
        targets["all (combined)"] = combined_tree(trees)
    report = WORK / "betterleaks-dirscan.json"
    lg = leakguard_in_tree()
    secrets_only = leakguard_in_tree(secrets_only=True)
    bl = betterleaks("-o", str(report))
    ds = None if args.no_detect_secrets else detect_secrets()
    env = checkout_env()
    print(f"jobs: leakguard default ({os.cpu_count()} cores), betterleaks default; "
          f"median of {args.repeat} after a warm-up", file=sys.stderr)

    rows = []
    for name, tree in targets.items():
        files, size = tree_size(tree)
        commands = {"leakguard": lg.argv(tree), "leakguard, secrets only": secrets_only.argv(tree)}
        if bl is not None:
            commands["betterleaks"] = bl.argv(tree)
        # in turns, run after run, so that the machine's drift hits them alike
        times: dict[str, Timing] = median_times(commands, repeat=args.repeat, cwd=WORK, env=env)
        if ds is not None:
            times["detect-secrets"] = run(ds.argv("."), cwd=tree, timeout=args.ds_timeout)
        for tool, timing in times.items():
            seconds = timing.seconds
            rows.append([
                name if tool == "leakguard" else "", tool,
                f"{files}", f"{size / 1e6:.1f}",
                timing.label() if seconds is not None else f">{args.ds_timeout:.0f}s",
                f"{files / seconds:,.0f}" if seconds else "-",
                f"{size / 1e6 / seconds:.1f}" if seconds else "-",
                *(
                    ("", "") if tool.startswith("leakguard") else
                    (_speed_up(seconds, times["leakguard"], args.ds_timeout),
                     _speed_up(seconds, times["leakguard, secrets only"], args.ds_timeout))
                ),
            ])
        print(f"timed {name}", file=sys.stderr)
    print(table(["tree", "tool", "files", "MB", "time", "files/s", "MB/s",
                 "leakguard speed-up", "secrets-only speed-up"], rows))


def _speed_up(peer: float | None, leakguard: Timing, timeout: float) -> str:
    """How many times faster leakguard is than a peer (">" when the peer timed out)."""
    if peer is None:
        return f">{ratio(timeout, leakguard.seconds)}"
    return ratio(peer, leakguard.seconds)


if __name__ == "__main__":
    main()
