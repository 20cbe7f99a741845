from __future__ import annotations

import pytest
from vectors import GITHUB_TOKEN, OTHER_GITHUB_TOKEN

from leakguard.models import Fragment, Skipped
from leakguard.parallel import BATCH_BYTES, PARALLEL_AFTER, SMALLEST_BATCH, _batches, scan_produced
from leakguard.rules import builtin_patterns_dir, load_rules
from leakguard.scan import Engine, EngineSettings, ScanResult, scan


@pytest.mark.parametrize("files", [3, 90])  # 0.2 MB: scanned here; 6 MB: spread
def test_work_made_here_scans_alike_spread_or_not(files: int) -> None:
    rules = load_rules([builtin_patterns_dir() / "github.toml"], cache_dir=None, examples=False)
    filler = "".join(f"row_{n} = {n * 7919 % 10007}\n" for n in range(4000))
    items: list[Fragment | Skipped] = [
        Fragment(f"m{n:02d}.py", f"{filler}t = '{GITHUB_TOKEN if n % 2 else OTHER_GITHUB_TOKEN}'\n")
        for n in range(files)
    ]
    items.append(Skipped("blob.bin", "binary file"))
    parts: list[ScanResult] = []
    result = scan_produced(
        EngineSettings(rules), iter(items), list, size_of=_size, jobs=2,
        on_part=lambda _, part: parts.append(part),
    )
    expected = scan(Engine(rules), items)
    result.finish()
    expected.finish()
    assert [f.path for f in result.findings] == [f.path for f in expected.findings]
    assert len(result.findings) == files and result.bytes == expected.bytes
    assert [s.path for s in result.skipped] == ["blob.bin"]
    # spread: handed out in batches; else one part
    spread = expected.bytes > PARALLEL_AFTER
    assert len(parts) > 1 if spread else len(parts) == 1


@pytest.mark.parametrize("jobs", [2, 8])
def test_batches_shrink_once_the_end_is_in_sight(jobs: int) -> None:
    """Full batches while more is coming; then shares of what is left, so no
    worker is left scanning a last big batch alone. Nothing lost or reordered."""
    sizes = [(n * 7919) % 300_000 for n in range(600)]  # ~90 MB in files up to 300 KB
    batches = list(_batches(sizes, lambda size: size, jobs))
    assert [size for batch in batches for size in batch] == sizes
    totals = [sum(batch) for batch in batches]
    assert all(total < BATCH_BYTES + 300_000 for total in totals)  # one file past the size
    assert all(total >= BATCH_BYTES for total in totals[:8])
    last = totals[-2 * jobs :]  # what the workers finish on
    assert all(total < BATCH_BYTES // 2 for total in last)
    assert all(total >= SMALLEST_BATCH for total in last[:-1])


def _size(item: Fragment | Skipped) -> int:
    return len(item.text) if isinstance(item, Fragment) else 0


def test_one_job_scans_everything_here_however_big() -> None:
    items: list[Fragment | Skipped] = [
        Fragment("big.txt", "x" * (PARALLEL_AFTER + 1)), Fragment("token.py", f"t = '{GITHUB_TOKEN}'")
    ]
    rules = load_rules([builtin_patterns_dir() / "github.toml"], cache_dir=None, examples=False)
    parts: list[ScanResult] = []
    result = scan_produced(
        EngineSettings(rules), iter(items), list, size_of=_size, jobs=1,
        on_part=lambda _, part: parts.append(part),
    )
    assert len(parts) == 1 and [f.path for f in result.findings] == ["token.py"]
