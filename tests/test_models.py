from __future__ import annotations

import bisect

import pytest

from leakguard.models import Fragment, LineRuns

NUMBERS = (4, 5, 6, 12, 40, 41)


def test_line_runs_are_a_sequence_of_their_numbers() -> None:
    runs = LineRuns([(4, 3), (12, 1), (40, 2)])
    assert tuple(runs) == NUMBERS and len(runs) == 6
    assert [runs[index] for index in range(6)] == list(NUMBERS)
    assert runs[-1] == 41 and runs[1:3] == (5, 6)
    assert runs == LineRuns.of(NUMBERS) and hash(runs) == hash(LineRuns.of(NUMBERS))
    assert runs != NUMBERS  # like range: only equal to its own kind


@pytest.mark.parametrize("index", [6, -7])
def test_line_runs_index_out_of_range(index: int) -> None:
    with pytest.raises(IndexError):
        LineRuns.of(NUMBERS)[index]


@pytest.mark.parametrize(("line", "index"), [(4, 0), (6, 2), (12, 3), (41, 5)])
def test_line_runs_find_a_line(line: int, index: int) -> None:
    assert LineRuns.of(NUMBERS).index(line) == index


@pytest.mark.parametrize("line", [3, 7, 11, 13, 42, "4"])
def test_line_runs_miss_a_line_outside_every_run(line: object) -> None:
    with pytest.raises(ValueError, match="not among"):
        LineRuns.of(NUMBERS).index(line)


@pytest.mark.parametrize("value", [0, 4, 7, 12, 39, 41, 50])
def test_line_runs_bisect_like_the_tuple(value: int) -> None:
    runs = LineRuns.of(NUMBERS)
    assert bisect.bisect_left(runs, value) == bisect.bisect_left(NUMBERS, value)
    assert bisect.bisect_right(runs, value) == bisect.bisect_right(NUMBERS, value)


def test_empty_and_zero_length_runs() -> None:
    assert tuple(LineRuns()) == () and len(LineRuns([(3, 0)])) == 0
    assert tuple(LineRuns([(3, 0), (5, 2)])) == (5, 6)


def test_a_fragment_numbers_its_lines_through_runs() -> None:
    fragment = Fragment("a.py", "a\nb\nc", line_numbers=LineRuns([(10, 1), (20, 2)]))
    assert [fragment.real_line(index) for index in range(3)] == [10, 20, 21]
