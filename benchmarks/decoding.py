"""What decoding encoded text costs: a file holding a 5 MB base64 blob against
the same file without it, leakguard alone.

Three blobs: one line of base64 of binary data (an embedded image), the same
wrapped at 76 characters (MIME, PEM-like: 70,000 segments to look at), and
base64 of text (which is decoded, up to the per-file budget, and scanned).
Each is also timed with decoding turned off (``decode_depth = 0``), to show
what the decoding itself adds.

    python benchmarks/decoding.py [--repeat N]
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import textwrap
from pathlib import Path

from _common import WORK, leakguard, median_time, ratio, table

MB = 1024 * 1024
SETTINGS = {
    "service": "billing",
    "region": "eu-west-1",
    "retries": 3,
    "endpoints": {"api": "https://billing.internal/api", "health": "/healthz"},
}


def _document(blob: str) -> str:
    return json.dumps({**SETTINGS, "logo": blob}, indent=2) + "\n"


def _blobs(rng: random.Random) -> dict[str, str]:
    binary = base64.b64encode(rng.randbytes(5 * MB * 3 // 4)).decode()
    words = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit"]
    prose = " ".join(rng.choices(words, k=5 * MB * 3 // 4 // 6))
    return {
        "binary, one line": binary,
        "binary, 76-column lines": "\n".join(textwrap.wrap(binary, 76)),
        "text, one line": base64.b64encode(prose.encode()).decode(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = WORK / "decoding"
    folder.mkdir(parents=True, exist_ok=True)
    no_decoding = folder / "no-decoding.toml"
    no_decoding.write_text("decode_depth = 0\n")
    base = folder / "settings-without-blob.json"
    base.write_text(_document(""))
    scan = leakguard("--no-git", "--max-file-size", "64MB", "-f", "json", "-j", "1")
    plain = (*scan.prefix, "--config", str(no_decoding))

    def seconds(argv: list[str]) -> float | None:
        return median_time(argv, repeat=args.repeat, timeout=300).seconds

    without = seconds(scan.argv(base))
    rows = []
    for index, (name, blob) in enumerate(_blobs(random.Random(20261128)).items()):
        path: Path = folder / f"settings-with-blob-{index}.json"
        path.write_text(_document(blob))
        decoded = seconds(scan.argv(path))
        undecoded = seconds([*plain, str(path), *scan.suffix])
        rows.append([
            name, f"{path.stat().st_size / MB:.1f}",
            f"{decoded:.2f}s" if decoded else "timeout",
            f"{undecoded:.2f}s" if undecoded else "timeout",
            ratio(decoded, without), ratio(decoded, undecoded),
        ])
    print(f"the file without the blob: {without:.2f}s" if without else "timeout")
    print(table(
        ["5 MB base64 blob", "MB", "decoding on", "decoding off", "vs no blob", "on vs off"],
        rows,
    ))


if __name__ == "__main__":
    main()
