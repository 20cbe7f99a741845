from __future__ import annotations

import pytest

from leakguard.parallel import PARALLEL_AFTER, worth_spreading


@pytest.mark.parametrize(
    ("sizes", "spread"),
    [
        ([], False),
        ([PARALLEL_AFTER], False),  # exactly the limit: one process
        ([PARALLEL_AFTER, 1], True),
        ([1024] * 84, False),  # a small tree of many files
        ([PARALLEL_AFTER // 2] * 3, True),
    ],
)
def test_worth_spreading_only_past_the_limit(sizes: list[int], spread: bool) -> None:
    assert worth_spreading(sizes, lambda size: size) is spread


def test_sizes_are_read_only_until_the_limit_is_passed() -> None:
    sized: list[int] = []

    def size_of(size: int) -> int:
        sized.append(size)
        return size

    assert worth_spreading([3, 3, 3, 3], size_of, limit=5)
    assert sized == [3, 3]
