from __future__ import annotations

import pytest

from leakguard.entropy import distinct_ratio, longest_run, longest_sequence, shannon


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", 0.0), ("aaaa", 0.0), ("ab", 1.0), ("abcd", 2.0), ("0123456789abcdef", 4.0)],
)
def test_shannon(value: str, expected: float) -> None:
    assert shannon(value) == pytest.approx(expected)


@pytest.mark.parametrize(("value", "run"), [("", 0), ("abc", 1), ("abbbc", 3), ("xxxxxxxx", 8)])
def test_longest_run(value: str, run: int) -> None:
    assert longest_run(value) == run


@pytest.mark.parametrize(("value", "length"), [("", 0), ("a1b2", 1), ("xabcdx", 4), ("98765", 5)])
def test_longest_sequence(value: str, length: int) -> None:
    assert longest_sequence(value) == length


def test_distinct_ratio() -> None:
    assert distinct_ratio("abab") == 0.5
    assert distinct_ratio("") == 0.0
