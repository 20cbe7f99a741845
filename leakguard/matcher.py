"""Run candidate rules' regexes near their keyword hits and extract secrets.

Windows: a rule runs on the lines around each keyword hit (merged when they
overlap) rather than the whole fragment, clipped to a few kilobytes on very
long lines so that minified code costs time proportional to its hits. Rules
that are multi-line by nature (private keys) run from their first hit to the
end of the fragment. Rules without keywords, selected where hyperscan found
their shape, run only as far around it as their longest match reaches.
"""

from __future__ import annotations

import functools
import pickle
import re
import signal
import threading
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from leakguard import cachefiles
from leakguard.models import Rule

if TYPE_CHECKING:  # imported on first use: a clean staged change needs no regex
    import regex

CONTEXT_LINES = 2
MAX_REACH = 2048
SMALL_TEXT = 4096
# The shape scanner keeps one reported end per this many characters of a line
# (a long digit run reports an end per digit); windows around ends reach past
# the ends it dropped.
SHAPE_SPACING = 64
# A window around shape ends searches this much past the widest match that
# could hold one, and keeps no match ending there: a regex's lookahead and its
# longer alternatives read on, and the end of a window is not the end of the text.
READ_ON = 16
# Rules whose longest match is longer than this (or unbounded) get line windows.
MAX_SHAPED_WIDTH = 512


class RawMatch(NamedTuple):
    """A regex match of one rule: the secret's span and the whole match's span."""

    rule_number: int
    secret: str
    start: int
    end: int
    match_start: int
    match_end: int


class Timeout(NamedTuple):
    """A rule whose regex gave up on a window: that window was not fully scanned."""

    rule_id: str
    start: int
    end: int


@functools.lru_cache(maxsize=4096)
def compile_rule_regex(source: str) -> regex.Pattern[str]:
    """Compile a rule's pattern, once per process.

    ``regex`` keeps its own cache, but of 500 patterns: the shipped rules
    outnumber it, so going through all of them (``rules check``, the test
    suite) evicted every pattern before its next use and recompiled it, at a
    few milliseconds each for the catalog's patterns.

    VERSION1 would change the meaning of some classic syntax, so rules are read
    with the module's ``re``-compatible default (VERSION0).
    """
    import regex

    return regex.compile(source)


def cached_rule_regex(source: str, cache_dir: Path | None) -> regex.Pattern[str]:
    """``compile_rule_regex`` through a cache of compiled patterns kept in
    ``cache_dir`` between runs.

    ``regex`` parses and compiles in pure Python: 1-4 ms per rule, so a worker
    of a large scan spent ~0.4 s compiling the hundred rules it met, and the
    hook a tenth of its budget. A pickled pattern holds the compiled code and
    loads in ~50 microseconds. One file per pattern: no two processes ever
    rewrite the same file with different content.
    """
    if cache_dir is None:
        return compile_rule_regex(source)
    import regex

    data = source.encode("utf-8", "surrogatepass")
    name = f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}.pickle"
    # the compiled code is the regex module's own: another version compiles again
    path = cache_dir / f"regex-{regex.__version__}" / name
    try:
        stored_source, compiled = pickle.loads(path.read_bytes())
        if stored_source == source and isinstance(compiled, regex.Pattern):
            return compiled
    except Exception:  # missing or torn: compile it again
        pass
    compiled = compile_rule_regex(source)
    pickled = pickle.dumps((source, compiled), protocol=pickle.HIGHEST_PROTOCOL)
    cachefiles.store(path, pickled, cache_dir=cache_dir)
    return compiled


class Matcher:
    """Compiles each rule's regex the first time it is needed and runs it."""

    def __init__(
        self, rules: Sequence[Rule], *, timeout: float = 2.0, cache_dir: Path | None = None
    ) -> None:
        self.rules = rules
        self.timeout = timeout
        self._cache_dir = cache_dir
        self._compiled: dict[int, regex.Pattern[str]] = {}
        self._widths: dict[int, int | None] = {}
        self.watchdog = Watchdog(timeout)

    def pattern(self, number: int) -> regex.Pattern[str]:
        compiled = self._compiled.get(number)
        if compiled is None:
            compiled = cached_rule_regex(self.rules[number].regex, self._cache_dir)
            self._compiled[number] = compiled
        return compiled

    def width(self, number: int) -> int | None:
        """The longest match of a rule's regex, if it is bounded and short."""
        if number not in self._widths:
            self._widths[number] = longest_match(self.rules[number].regex)
        return self._widths[number]

    def run(
        self, text: str, hits: dict[int, list[int]], timeouts: list[Timeout]
    ) -> list[RawMatch]:
        """The matches of every candidate rule; timeouts are appended to
        ``timeouts`` so the caller can report the fragment as partly scanned."""
        found: list[RawMatch] = []
        search = self.watchdog.search if self.watchdog.active else self._search
        for number, positions in hits.items():
            rule = self.rules[number]
            pattern, group = self.pattern(number), rule.secret_group
            # a rule without keywords has positions only where hyperscan found its shape
            width = self.width(number) if positions and not rule.keywords else None
            if width is None or len(text) <= SMALL_TEXT:
                lines = windows(text, positions, multiline=rule.multiline)
                spans = [(start, end, end) for start, end in lines]
            else:
                spans = windows_around_ends(len(text), positions, width)
            for start, end, last_end in spans:
                matches: list[regex.Match[str]] = []  # those before a timeout are kept
                try:
                    search(pattern, text, start, end, matches)
                except (TimeoutError, Expired):
                    timeouts.append(Timeout(rule.id, start, end))
                for match in matches:
                    if match.end() > last_end:  # read past the text the window vouches for
                        continue
                    secret = match.group(group)
                    if secret:
                        secret_start, secret_end = match.span(group)
                        found.append(RawMatch(
                            number, secret, secret_start, secret_end, match.start(), match.end(),
                        ))
        return found

    def _search(
        self, pattern: regex.Pattern[str], text: str, start: int, end: int,
        into: list[regex.Match[str]],
    ) -> None:
        into.extend(pattern.finditer(text, start, end, timeout=self.timeout))


class Expired(BaseException):
    """Raised by a watchdog's signal handler into a search that ran too long
    (a BaseException: nothing on the way may take it for an ordinary error)."""


class Watchdog:
    """A CPU-time limit on every regex search, kept by a signal.

    The ``regex`` module's own ``timeout`` reads the process's CPU clock, a
    system call, at the start of every search: 270,000 of them in a 316 MB
    folder scan, 6% of its time. The module also checks for signals at every
    search and every few hundred steps, so a virtual-time interval timer that
    ticks every half limit can stop a search instead: one that was already
    running at the previous tick has had at least half the limit, at most
    all of it.

    Active between ``with`` and its end (``scan`` holds it for a whole scan),
    and only where it can be: in the main thread (signals go there), on a
    system with interval timers, and when nobody else has a handler or a
    timer on that signal, or blocks it; elsewhere ``active`` stays False and
    searches use the module's timeout. Leaving restores the signal's handler
    and stops the timer.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.active = False
        self._depth = 0
        self._search = 0  # the search running, or the last one
        self._seen = -1  # the search running at the last tick
        self._searching = False
        self._previous: Any = None

    def __enter__(self) -> Watchdog:
        self._depth += 1
        if self._depth == 1:
            self.active = self._start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self.active:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
            signal.signal(signal.SIGVTALRM, self._previous)
            self.active = False

    def _start(self) -> bool:
        if (
            not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGVTALRM) is not signal.SIG_DFL
            or signal.getitimer(signal.ITIMER_VIRTUAL)[0] > 0
            # a blocked signal would never arrive: no search would ever stop
            or signal.SIGVTALRM in signal.pthread_sigmask(signal.SIG_BLOCK, [])
        ):
            return False
        self._previous = signal.signal(signal.SIGVTALRM, self._tick)
        signal.siginterrupt(signal.SIGVTALRM, False)  # system calls restart after a tick
        signal.setitimer(signal.ITIMER_VIRTUAL, self.seconds / 2, self.seconds / 2)
        return True

    def _tick(self, signum: int, frame: object) -> None:
        if self._searching and self._search == self._seen:
            raise Expired
        self._seen = self._search

    def search(
        self, pattern: regex.Pattern[str], text: str, start: int, end: int,
        into: list[regex.Match[str]],
    ) -> None:
        """Every match of ``pattern`` in ``text[start:end]`` onto ``into``;
        ``Expired`` when the search runs past the limit."""
        self._search += 1
        self._searching = True
        try:
            into.extend(pattern.finditer(text, start, end))
        finally:
            self._searching = False


def windows(text: str, positions: Sequence[int], *, multiline: bool) -> list[tuple[int, int]]:
    """The merged spans of ``text`` worth searching for hits at ``positions``.

    Small texts and keyword-less rules are searched whole: below a few
    kilobytes the bookkeeping costs more than the regex saves.
    """
    length = len(text)
    if not positions or length <= SMALL_TEXT:
        return [(0, length)]
    if multiline:
        return [(_line_start(text, positions[0], CONTEXT_LINES), length)]
    spans: list[tuple[int, int]] = []
    # Hits further along the line of the last one handled get a window inside
    # its window (starting no earlier, ending at the same newline) unless that
    # window was cut short at MAX_REACH: skip them without searching for lines.
    same_window_until = -1
    for position in positions:
        if position <= same_window_until:
            continue
        ceiling = min(length, position + MAX_REACH)
        own_line_end = text.find("\n", position, ceiling)
        if own_line_end < 0:
            end = ceiling
        else:
            end = _line_end(text, own_line_end + 1, CONTEXT_LINES - 1, ceiling)
        if end < ceiling or ceiling == length:
            same_window_until = own_line_end if own_line_end >= 0 else length
        else:
            same_window_until = -1
        if spans and position <= spans[-1][1]:
            # its window starts inside the last one (starts never go back):
            # no need to search for where
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
            continue
        start = _line_start(text, position, CONTEXT_LINES, floor=max(0, position - MAX_REACH))
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


def windows_around_ends(
    length: int, ends: Sequence[int], width: int
) -> list[tuple[int, int, int]]:
    """Windows for the ends of shape matches (ascending) of a rule whose
    matches are at most ``width`` long: (start, end, last end kept).

    A match holding a shape that ends at ``e`` starts no earlier than
    ``e - width``; it ends no later than ``e + width``, or ``SHAPE_SPACING``
    more for the ends the scanner dropped after ``e``. The regex reads on past
    that by another ``width`` and ``READ_ON`` (a longer alternative or a
    lookahead must see the real text, not the window's end), and matches
    ending there are dropped: a window around their own shape vouches for
    them. The regex also sees the text before a window's start, so its
    lookbehinds and word boundaries hold there.
    """
    spans: list[tuple[int, int, int]] = []
    for at in ends:
        start = max(0, at - width)
        last_end = min(length, at + SHAPE_SPACING + width)
        end = min(length, last_end + width + READ_ON)
        if end == length:
            last_end = length
        if spans and start <= spans[-1][1]:
            previous = spans[-1]
            spans[-1] = (previous[0], max(previous[1], end), max(previous[2], last_end))
        else:
            spans.append((start, end, last_end))
    return spans


def longest_match(pattern: str) -> int | None:
    """The length of the longest text ``pattern`` can match, if that is at
    most ``MAX_SHAPED_WIDTH``; None when unbounded, longer, or not readable by
    Python's own parser (syntax only the ``regex`` module knows). Fuzzy
    matching (``{e<=2}``), which Python's parser would read as literal text
    and so measure short, is not measured either."""
    import warnings

    if _FUZZY.search(pattern):
        return None
    try:
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_parse as parser
    try:
        with warnings.catch_warnings():  # "possible nested set": measured all the same
            warnings.simplefilter("ignore")
            _, longest = parser.parse(pattern).getwidth()
    except Exception:  # its own syntax: regex reads it, re does not
        return None
    return int(longest) if longest <= MAX_SHAPED_WIDTH else None


# a fuzzy constraint of the regex module: {e<=1}, {i<3}, {1<=e<=2}, {2i+2d+1s<=4}
_FUZZY = re.compile(r"\{[^}]*[eisd]\s*[<=]")


def _line_start(text: str, position: int, lines_before: int, floor: int = 0) -> int:
    """Start of the line ``lines_before`` lines above ``position``, never before
    ``floor``: searches are bounded so a 10 MB single line costs O(hits)."""
    start = position
    for _ in range(lines_before + 1):
        newline = text.rfind("\n", floor, start)
        if newline < 0:
            return floor
        start = newline
    return start + 1


def _line_end(text: str, position: int, lines_after: int, ceiling: int | None = None) -> int:
    """End (exclusive, before the newline) of the line ``lines_after`` lines
    below ``position``, never past ``ceiling``."""
    limit = len(text) if ceiling is None else ceiling
    end = position
    for _ in range(lines_after + 1):
        newline = text.find("\n", end, limit)
        if newline < 0:
            return limit
        end = newline + 1
    return end - 1
