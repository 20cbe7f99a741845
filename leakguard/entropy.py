"""Measures of how random a string looks. Pure functions."""

from __future__ import annotations

import itertools
import math
from collections import Counter


def shannon(value: str) -> float:
    """Shannon entropy in bits per character (0.0 for the empty string)."""
    if not value:
        return 0.0
    length = len(value)
    return -sum(
        (count / length) * math.log2(count / length) for count in Counter(value).values()
    )


def longest_run(value: str) -> int:
    """Length of the longest run of one repeated character."""
    best = run = 0
    previous = ""
    for char in value:
        run = run + 1 if char == previous else 1
        previous = char
        best = max(best, run)
    return best


def longest_sequence(value: str) -> int:
    """Length of the longest ascending or descending run by code point
    (``abcdef``, ``987654``), the mark of a typed-in placeholder."""
    best = up = down = 1 if value else 0
    for previous, char in itertools.pairwise(value):
        step = ord(char) - ord(previous)
        up = up + 1 if step == 1 else 1
        down = down + 1 if step == -1 else 1
        best = max(best, up, down)
    return best


def distinct_ratio(value: str) -> float:
    """Share of distinct characters; low for ``abababab``-style fillers."""
    return len(set(value)) / len(value) if value else 0.0
