from __future__ import annotations

import pickle
import random
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest

from leakguard.matcher import (
    CONTEXT_LINES,
    MAX_REACH,
    READ_ON,
    SHAPE_SPACING,
    SMALL_TEXT,
    cached_rule_regex,
    compile_rule_regex,
    longest_match,
    windows,
    windows_around_ends,
)
from leakguard.models import Fragment, Rule
from leakguard.scan import Engine, scan

SLOW = r"(a|aa)+(b)"  # backtracks exponentially on a run of "a" without a "b"


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


@pytest.mark.parametrize("seed", range(40))
def test_many_hits_get_the_union_of_their_own_windows(seed: int) -> None:
    """Hits that share a line are skipped without searching for lines; the
    windows must still be exactly those each hit would get on its own."""
    chance = random.Random(seed)
    lengths = [chance.choice([0, 3, 40, 300, MAX_REACH - 5, 3 * MAX_REACH]) for _ in range(60)]
    text = "\n".join("k" * length for length in lengths)
    positions = sorted(chance.sample(range(len(text)), chance.randint(1, 200)))
    alone = [windows(text, [position], multiline=False)[0] for position in positions]
    merged: list[tuple[int, int]] = []
    for start, end in alone:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    assert len(text) > SMALL_TEXT
    assert windows(text, positions, multiline=False) == merged


@pytest.mark.parametrize(("pattern", "longest"), [
    (r"\b(\d{3}-\d{2}-\d{4})\b", 11),
    (r"(?<![\w.])(\d{4})([ -])\d{4}\2\d{4}(?![\w])", 14),  # a back-reference as wide as its group
    (r"(?:\+\d{1,3}[ .-]?)?\(?\d{3}\)?", 10),
    (r"[a-z]+@[a-z]+", None),  # unbounded
    (r"x{600}", None),  # too wide to be worth it
    (r"\p{Lu}{2}\d", None),  # the regex module's syntax: not measured
    (r"(?:token){i<=12}", None),  # fuzzy: up to 12 more characters, not a literal "{i<=12}"
    (r"(?:pass){1<=e<=2}", None),
    (r"[[:digit:]]{3}", 4),  # POSIX class: read as a set and "]", longer, never shorter
])
def test_the_longest_match_of_a_pattern(pattern: str, longest: int | None) -> None:
    assert longest_match(pattern) == longest


def test_windows_around_shape_ends_reach_the_widest_match_both_ways() -> None:
    width = 20
    first, second, far = 1000, 1030, 5000
    spans = windows_around_ends(10_000, [first, second, far], width)
    # the first two overlap and merge; each keeps matches ending within its
    # reach (dropped ends included) and reads on past it
    assert spans == [
        (first - width, second + SHAPE_SPACING + 2 * width + READ_ON, second + SHAPE_SPACING + width),
        (far - width, far + SHAPE_SPACING + 2 * width + READ_ON, far + SHAPE_SPACING + width),
    ]
    # at the text's end a match may end anywhere: there is nothing to read on to
    assert windows_around_ends(far + 50, [far], width) == [(far - width, far + 50, far + 50)]


@pytest.mark.parametrize("seed", range(8))
def test_windows_around_shape_ends_find_what_a_whole_search_finds_there(seed: int) -> None:
    """A long line of digit groups, and a card-like rule whose shape was found
    at some of them: every match holding one of those shapes is found, and
    nothing else is reported that a search of the whole line would not
    report (no number cut short at a window's end)."""
    rule = Rule("card", "d", "pii", "T", r"\b(?<![\d-])(\d{3,5}(?:-\d{3,5}){2,3})(?![\w-])")
    rng = random.Random(seed)
    text = " ".join(
        "-".join(str(rng.randint(100, 99999)) for _ in range(rng.randint(1, 7)))
        for _ in range(3000)
    )
    assert len(text) > SMALL_TEXT and "\n" not in text
    shape = compile_rule_regex(r"\d{3,5}-\d{3,5}-\d{3,5}")
    ends = sorted({m.end() for m in shape.finditer(text, overlapped=True) if rng.random() < 0.1})
    whole = [m.span(1) for m in compile_rule_regex(rule.regex).finditer(text)]
    found = [(m.start, m.end) for m in Engine([rule]).matcher.run(text, {0: ends}, [])]
    assert set(found) <= set(whole)
    holding = [(start, end) for start, end in whole if any(start < at <= end for at in ends)]
    assert holding and set(holding) <= set(found)


@pytest.mark.parametrize("damage", ["none", "torn", "another pattern", "not a folder"])
def test_compiled_regexes_are_kept_and_a_bad_cache_costs_only_time(
    tmp_path: Path, damage: str
) -> None:
    source = r"\b(tok_[0-9a-f]{8})\b"
    cache = tmp_path / "cache"
    first = cached_rule_regex(source, cache)
    [stored] = cache.glob("regex-*/*.pickle")
    if damage == "torn":
        stored.write_bytes(stored.read_bytes()[:40])
    elif damage == "another pattern":  # a name collision: the file holds another source
        stored.write_bytes(pickle.dumps((r"(other)", compile_rule_regex(r"(other)"))))
    elif damage == "not a folder":
        shutil.rmtree(cache)
        cache.write_text("a file where the cache folder should be")
    compile_rule_regex.cache_clear()
    again = cached_rule_regex(source, cache)
    assert again.pattern == first.pattern == source
    assert again.search("x tok_0a1b2c3d y").group(1) == "tok_0a1b2c3d"  # type: ignore[union-attr]
    # loaded from the cache, or compiled again when the cache was no use
    assert compile_rule_regex.cache_info().currsize == (0 if damage == "none" else 1)
    if damage in ("torn", "another pattern"):  # and put right for the next run
        assert pickle.loads(stored.read_bytes())[0] == source


def test_a_regex_loaded_from_the_cache_still_times_out(tmp_path: Path) -> None:
    rule = Rule("slow", "slow", "secret", "SLOW", SLOW, keywords=("a",))
    fragment = Fragment("slow.txt", "a" * 40 + "c")
    for _ in range(2):  # compiled and stored, then loaded
        compile_rule_regex.cache_clear()
        engine = Engine([rule], regex_timeout=0.001, cache_dir=tmp_path)
        result = scan(engine, [fragment])
        assert ["timed out" in item.reason for item in result.skipped] == [True]
    assert compile_rule_regex.cache_info().currsize == 0


def _slow_engine(timeout: float = 0.05) -> tuple[Engine, Fragment]:
    rule = Rule("slow", "slow", "secret", "SLOW", SLOW, keywords=("a",))
    return Engine([rule], regex_timeout=timeout), Fragment("slow.txt", "a" * 40 + "c")


@pytest.mark.parametrize(
    "where", ["main thread", "another thread", "beside a foreign handler", "with it blocked"]
)
def test_a_runaway_search_is_stopped_wherever_the_scan_runs(where: str) -> None:
    """In the main thread a signal stops it (the watchdog); in another thread,
    or when the program already uses the signal, the regex module's own
    timeout does. Either way the scan says it is incomplete, and the
    program's signal handling is as it was."""
    engine, fragment = _slow_engine()
    outcome: list[tuple[bool, list[str]]] = []

    def run() -> None:
        with engine.matcher.watchdog as watchdog:
            result = scan(engine, [fragment])
            outcome.append((watchdog.active, [item.reason for item in result.skipped]))

    def foreign(signum: int, frame: object) -> None:
        pass

    before = signal.getsignal(signal.SIGVTALRM)
    if where == "another thread":
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
    elif where == "beside a foreign handler":
        signal.signal(signal.SIGVTALRM, foreign)
        try:
            run()
        finally:
            signal.signal(signal.SIGVTALRM, before)
    elif where == "with it blocked":
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGVTALRM])
        try:
            run()
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGVTALRM])
    else:
        run()
    [(active, reasons)] = outcome
    assert active is (where == "main thread")
    assert reasons == ["rule slow timed out on a window; scanned in part"]
    assert signal.getsignal(signal.SIGVTALRM) is before
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)


def test_the_watchdog_stops_only_a_search_running_across_two_ticks() -> None:
    """Searches of ~20 ms under a 100 ms limit: the timer ticks every 50 ms,
    mostly during a search, and none is stopped; the limit is a search's, not
    the scan's (these searches take several limits together)."""
    rule = Rule("words", "words", "secret", "WORDS", r"(?:[a-z]+[ ,]){4}(\d{7})",
                keywords=("lorem",))
    engine = Engine([rule], regex_timeout=0.1)
    text = "lorem ipsum, dolor sit amet 12 " * 8000
    fragments = [Fragment(f"f{n}.txt", f"{text}{n}") for n in range(30)]
    began = time.process_time()
    with engine.matcher.watchdog as watchdog:
        assert watchdog.active
        result = scan(engine, fragments)
    assert time.process_time() - began > 0.3  # several ticks happened
    assert result.skipped == [] and result.findings == []


@pytest.mark.parametrize("threaded", [False, True])
def test_matches_found_before_a_timeout_are_kept(threaded: bool) -> None:
    """The window is reported as scanned in part, and what it had shown by
    then is still reported (watchdog or the module's own timeout)."""
    rule = Rule("tok", "tok", "secret", "TOK", r"\btok_(\w+)|(?:a|aa)+b", keywords=("tok_",))
    engine = Engine([rule], regex_timeout=0.05)
    fragment = Fragment("slow.txt", "tok_kept1 " + "a" * 40 + "c")
    results = []
    if threaded:
        thread = threading.Thread(target=lambda: results.append(scan(engine, [fragment])))
        thread.start()
        thread.join()
    else:
        results.append(scan(engine, [fragment]))
    [result] = results
    assert [f.secret for f in result.findings] == ["kept1"]
    assert [item.reason for item in result.skipped] == [
        "rule tok timed out on a window; scanned in part"
    ]
