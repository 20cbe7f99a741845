"""What offline validation, composite rules and decoding change on real code.

Scans each tree four times with this checkout's leakguard:

  A  the shipped rules with this branch's validators and companions removed,
     decoding off (what the engine did before)
  B  validators on                    C  B + composite rules (companions)
  D  C + decoding (the default)

and prints findings by confidence (high/medium/low), how many of A's findings
B drops or changes, what C and D add, and how many of D's findings a
validator judged (with --details: each one and the validator's reason). Trees are folders (unpacked sdists, for
example those of benchmarks/precision.py); nothing is downloaded here.

    python benchmarks/confidence.py TREE [TREE...] [--details]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from _common import ROOT, leakguard, run, table

# what this branch added to the shipped rules (validators that existed before
# it, generic_value, basic_auth and jwt, stay in every variant)
NEW_VALIDATORS = (
    "github_checksum", "npm_checksum", "grafana_checksum", "age_secret_key", "pypi_macaroon",
    "private_key", "putty_key", "aws_access_key_id",
)
LINE = re.compile(
    rf"^(?:validator = \"(?:{'|'.join(NEW_VALIDATORS)})\"|companion = .*)\n", re.MULTILINE
)
Finding = dict[str, object]


def _variant_configs(folder: Path) -> dict[str, Path]:
    stripped = folder / "patterns"
    stripped.mkdir()
    keep_companions = folder / "patterns-companions"
    keep_companions.mkdir()
    for source in (ROOT / "patterns").glob("*.toml"):
        text = source.read_text()
        (stripped / source.name).write_text(LINE.sub("", text))
        validators_only = re.sub(r"^companion = .*\n", "", text, flags=re.MULTILINE)
        (keep_companions / source.name).write_text(validators_only)
    configs = {}
    for name, rules, depth in (("A", stripped, 0), ("B", keep_companions, 0),
                               ("C", ROOT / "patterns", 0), ("D", ROOT / "patterns", 3)):
        config = folder / f"{name}.toml"
        config.write_text(
            f'default_rules = false\nrule_files = ["{rules}"]\ndecode_depth = {depth}\n'
        )
        configs[name] = config
    return configs


def _scan(tree: Path, config: Path) -> tuple[list[Finding], list[Finding], float]:
    """(findings, suppressed) at any confidence. The scan asks for high
    confidence only, so the others come back suppressed with the validator's
    reason in the decision; they are counted as findings again here."""
    tool = leakguard("--no-git", "-f", "json", "--show-suppressed", "--min-confidence", "high",
                     "--config", str(config))
    timing = run(tool.argv(tree), cwd=ROOT, timeout=3600)
    if timing.returncode not in (0, 1):
        raise SystemExit(f"leakguard failed on {tree} (exit {timing.returncode})")
    document = json.loads(timing.stdout)
    suppressed = document.get("suppressed", [])
    by_confidence = [f for f in suppressed if f["suppressed_by"]["stage"] == "confidence"]
    rest = [f for f in suppressed if f["suppressed_by"]["stage"] != "confidence"]
    return document["findings"] + by_confidence, rest, timing.seconds or 0.0


def _by_confidence(findings: list[Finding]) -> str:
    counts = Counter(str(f["confidence"]) for f in findings)
    return "/".join(str(counts.get(level, 0)) for level in ("high", "medium", "low"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("trees", nargs="+", type=Path)
    parser.add_argument("--details", action="store_true", help="list every change")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="leakguard-confidence-"))
    try:
        configs = _variant_configs(folder)
        rows, details = [], []
        for tree in args.trees:
            found = {name: _scan(tree, config) for name, config in configs.items()}
            before = {f["fingerprint"]: f for f in found["A"][0]}
            after = {f["fingerprint"]: f for f in found["B"][0]}
            suppressed_b = {f["fingerprint"]: f for f in found["B"][1]}
            dropped = [f for key, f in before.items() if key in suppressed_b]
            changed = [(f, after[key]) for key, f in before.items()
                       if key in after and after[key]["confidence"] != f["confidence"]]
            paired = [f for f in found["C"][0] if f.get("companion")]
            decoded = [f for f in found["D"][0] if f.get("decoded_from")]
            validated = [f for f in found["D"][0] if f.get("validation")]
            rows.append([
                tree.name, len(before), _by_confidence(found["A"][0]),
                _by_confidence(found["B"][0]), len(dropped), len(changed),
                _by_confidence(found["C"][0]), len(paired),
                _by_confidence(found["D"][0]), len(decoded), _by_confidence(validated),
                f"{found['C'][2]:.1f}s / {found['D'][2]:.1f}s",
            ])
            for finding in dropped:
                reason = suppressed_b[finding["fingerprint"]]["suppressed_by"]["reason"]
                details.append(f"{tree.name}: dropped {finding['rule_id']} {finding['path']}:"
                               f"{finding['line']} ({reason})")
            for old, new in changed:
                why = new.get("suppressed_by", {"reason": ""})["reason"]  # type: ignore[index]
                details.append(f"{tree.name}: {old['rule_id']} {old['path']}:{old['line']} "
                               f"{old['confidence']} -> {new['confidence']} {why}")
            for finding in validated:
                details.append(f"{tree.name}: {finding['rule_id']} {finding['path']}:"
                               f"{finding['line']} {finding['confidence']}: {finding['validation']}")
            for finding in paired + decoded:
                details.append(f"{tree.name}: {finding['rule_id']} {finding['path']}:"
                               f"{finding['line']} {finding['confidence']} "
                               f"companion={finding.get('companion')} "
                               f"decoded_from={finding.get('decoded_from')}")
        print(table(
            ["tree", "A findings", "A h/m/l", "B h/m/l", "B drops", "B changes", "C h/m/l",
             "C paired", "D h/m/l", "D decoded", "D validated h/m/l", "time C / D"],
            rows,
        ))
        if args.details:
            print("\n".join(details))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
