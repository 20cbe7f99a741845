from __future__ import annotations

import itertools
import random

import pytest

from leakguard.entropy import distinct_ratio, longest_run, longest_sequence, shannon


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", 0.0), ("aaaa", 0.0), ("ab", 1.0), ("abcd", 2.0), ("0123456789abcdef", 4.0)],
)
def test_shannon(value: str, expected: float) -> None:
    assert shannon(value) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "run"),
    [("", 0), ("a", 1), ("abc", 1), ("abbbc", 3), ("xxxxxxxx", 8), ("a\n\n\nb", 3), ("ééx", 2)],
)
def test_longest_run(value: str, run: int) -> None:
    assert longest_run(value) == run


@pytest.mark.parametrize(
    ("value", "length"),
    [("", 0), ("a", 1), ("a1b2", 1), ("xabcdx", 4), ("98765", 5), ("~\x7f", 2), ("\x00\x7f", 1),
     ("αβγδ", 4), ("zyx\u03b1", 3)],
)
def test_longest_sequence(value: str, length: int) -> None:
    assert longest_sequence(value) == length


def test_distinct_ratio() -> None:
    assert distinct_ratio("abab") == 0.5
    assert distinct_ratio("") == 0.0


def _by_character(value: str) -> tuple[int, int]:
    """Both measures, a character at a time: what the fast ones must equal."""
    run = sequence = 0
    for start in range(len(value)):
        for end in range(start + 1, len(value) + 1):
            piece = value[start:end]
            if len(set(piece)) == 1:
                run = max(run, len(piece))
            steps = {ord(b) - ord(a) for a, b in itertools.pairwise(piece)}
            if len(piece) == 1 or steps in ({1}, {-1}):
                sequence = max(sequence, len(piece))
    return run, sequence


@pytest.mark.parametrize("seed", range(5))
def test_runs_and_sequences_agree_with_a_character_by_character_count(seed: int) -> None:
    chance = random.Random(seed)
    alphabet = "aabcdxyz0123456789~\x7f\x00\n" + ("é€αβγ" if seed % 2 else "")
    for _ in range(300):
        value = "".join(chance.choice(alphabet) for _ in range(chance.randint(0, 24)))
        assert (longest_run(value), longest_sequence(value)) == _by_character(value), value
