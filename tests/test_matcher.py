from __future__ import annotations

from leakguard.matcher import CONTEXT_LINES, MAX_REACH, SMALL_TEXT, windows


def test_small_text_is_searched_whole() -> None:
    text = "a\nb\nc"
    assert windows(text, [2], multiline=False) == [(0, len(text))]


def test_window_covers_lines_around_the_hit() -> None:
    lines = [f"line {n:04d}" for n in range(1000)]
    text = "\n".join(lines)
    hit = text.index("line 0500")
    [(start, end)] = windows(text, [hit], multiline=False)
    covered = text[start:end].split("\n")
    assert covered == lines[500 - CONTEXT_LINES : 500 + CONTEXT_LINES + 1]


def test_overlapping_windows_merge() -> None:
    text = "\n".join(f"line {n:04d}" for n in range(1000))
    first, second = text.index("line 0500"), text.index("line 0502")
    assert len(windows(text, [first, second], multiline=False)) == 1


def test_windows_on_one_huge_line_stay_bounded() -> None:
    text = "x" * (SMALL_TEXT * 100)
    [(start, end)] = windows(text, [len(text) // 2], multiline=False)
    assert end - start <= 2 * MAX_REACH


def test_multiline_window_runs_to_the_end() -> None:
    text = "\n".join(f"line {n:04d}" for n in range(1000))
    hit = text.index("line 0500")
    assert windows(text, [hit], multiline=True) == [(text.index("line 0498"), len(text))]
