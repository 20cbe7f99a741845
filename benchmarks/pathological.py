"""Adversarial inputs must finish in bounded time.

Builds a few hostile files (a 10 MB single line, a 5 MB base64 blob, minified
JavaScript dense with keyword hits, a storm of `password=` assignments, a
token prefix followed by a megabyte without a word boundary) and times
leakguard on each, next to betterleaks and detect-secrets when installed.

    python benchmarks/pathological.py [--repeat N]
"""

from __future__ import annotations

import argparse
import base64
import random
import string
from collections.abc import Callable
from pathlib import Path

from _common import WORK, betterleaks, detect_secrets, leakguard, median_time, table

MB = 1024 * 1024


def single_line(size: int, rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + "+/=;:,. "
    return "".join(rng.choices(alphabet, k=size))


def base64_blob(size: int, rng: random.Random) -> str:
    raw = rng.randbytes(size * 3 // 4)
    return '{"image": "data:image/png;base64,' + base64.b64encode(raw).decode() + '"}\n'


def minified_js(size: int, rng: random.Random) -> str:
    parts = []
    total = 0
    while total < size:
        name = "".join(rng.choices(string.ascii_lowercase, k=6))
        part = (
            f'var {name}={{apiKey:e.apiKey,token:t.token||"",password:n,'
            f'secret:r.secret}};function {name}_(e){{return e.key+"{name}"}};'
        )
        parts.append(part)
        total += len(part)
    return "".join(parts)


def password_storm(size: int, rng: random.Random) -> str:
    lines = []
    total = 0
    while total < size:
        value = "".join(rng.choices(string.ascii_letters, k=rng.randint(3, 12)))
        line = f"password={value} token: {value} api_key = '{value}'\n"
        lines.append(line)
        total += len(line)
    return "".join(lines)


def unbounded_token(size: int, rng: random.Random) -> str:
    return "ghp_" + "".join(rng.choices(string.ascii_letters + string.digits, k=size)) + "\n"


CASES: dict[str, tuple[Callable[[int, random.Random], str], int]] = {
    "10MB-single-line.txt": (single_line, 10 * MB),
    "5MB-base64-blob.json": (base64_blob, 5 * MB),
    "2MB-minified.js": (minified_js, 2 * MB),
    "5MB-password-storm.env": (password_storm, 5 * MB),
    "1MB-unbounded-token.txt": (unbounded_token, MB),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = WORK / "pathological"
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261128)
    tools = [
        leakguard("--no-git", "--max-file-size", "64MB", "-f", "json"),
        betterleaks("--max-target-megabytes", "64"),
        detect_secrets(),
    ]
    rows = []
    for name, (build, size) in CASES.items():
        path: Path = folder / name
        if not path.exists():
            path.write_text(build(size, rng))
        megabytes = path.stat().st_size / MB
        row: list[object] = [name, f"{megabytes:.1f}"]
        for tool in tools:
            if tool is None:
                row.append("not installed")
                continue
            timing = median_time(tool.argv(path), repeat=args.repeat, timeout=120)
            if timing.seconds is None:
                row.append("timeout (>120s)")
            else:
                row.append(f"{timing.seconds:.2f}s ({megabytes / timing.seconds:.1f} MB/s)")
        rows.append(row)
    print(table(["input", "MB", "leakguard", "betterleaks", "detect-secrets"], rows))


if __name__ == "__main__":
    main()
