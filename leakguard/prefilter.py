"""One keyword pass over the text picks the rules worth running.

A rule's regex only runs when one of its keywords occurs, and then only near
that occurrence; this is what makes the engine fast, so keywords should be
specific (``ghp_``, a provider's name), never common words.

Two interchangeable backends find the keywords: pyahocorasick (portable, the
default, ~45 MB/s here) and Hyperscan (~500 MB/s, where its wheel exists),
which large scans use because at those sizes the keyword pass is the
engine's biggest cost. Both report every occurrence, case-insensitively.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from typing import Any

import ahocorasick

from leakguard.models import Rule

# str.lower() maps a few non-ASCII characters to two code points ("İ" -> "i̇"),
# which would shift every position after them; keywords are ASCII, so folding
# only ASCII keeps offsets aligned with the original text.
_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}

Hits = dict[int, list[int]]
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def lowercase(text: str) -> str:
    """Lowercase ``text`` without changing its length (ASCII folding fallback)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return text.translate(_ASCII_LOWER)


class KeywordIndex:
    """The keywords of a rule set, ready to be found in any text."""

    def __init__(self, rules: Sequence[Rule], *, fast: bool = False) -> None:
        by_keyword: dict[str, list[int]] = {}
        for number, rule in enumerate(rules):
            for keyword in rule.keywords:
                by_keyword.setdefault(keyword, []).append(number)
        self.always = tuple(number for number, rule in enumerate(rules) if not rule.keywords)
        self._keywords = list(by_keyword.items())
        self._automaton = ahocorasick.Automaton()
        for keyword, numbers in self._keywords:
            self._automaton.add_word(keyword, (len(keyword), tuple(numbers)))
        if self._keywords:
            self._automaton.make_automaton()
        self._hyperscan = _hyperscan_database(self._keywords) if fast and self._keywords else None

    @property
    def backend(self) -> str:
        return "hyperscan" if self._hyperscan is not None else "ahocorasick"

    def hits(self, text: str) -> Hits:
        """Map each candidate rule number to the start offsets of its keyword hits
        (ascending); rules without keywords map to an empty list."""
        found: Hits = {number: [] for number in self.always}
        if not self._keywords:
            return found
        if self._hyperscan is not None:
            self._hyperscan_hits(text, found)
        else:
            self._automaton_hits(lowercase(text), found)
        return found

    def _automaton_hits(self, lowered: str, found: Hits) -> None:
        for end, (length, numbers) in self._automaton.iter(lowered):
            _record(found, end - length + 1, numbers)

    def _hyperscan_hits(self, text: str, found: Hits) -> None:
        keywords = self._keywords
        unordered: list[tuple[int, int]] = []

        def on_match(keyword: int, _start: int, end: int, _flags: int, _context: Any) -> None:
            unordered.append((end, keyword))

        assert self._hyperscan is not None
        ascii_only = text.isascii()
        data = text.encode("ascii" if ascii_only else "utf-8", "surrogatepass")
        self._hyperscan.scan(data, match_event_handler=on_match)
        if not unordered:
            return
        unordered.sort()
        # Hyperscan reports byte offsets; they are character offsets only in ASCII
        to_char = None if ascii_only else _byte_to_char(text)
        for end, keyword in unordered:
            word, numbers = keywords[keyword]
            start = end - len(word)
            _record(found, start if to_char is None else to_char(start), numbers)


def _record(found: Hits, start: int, numbers: Sequence[int]) -> None:
    for number in numbers:
        positions = found.get(number)
        if positions is None:
            found[number] = [start]
        else:
            positions.append(start)


def _byte_to_char(text: str) -> Callable[[int], int]:
    """Map UTF-8 byte offsets of ``text`` to character offsets, through the
    runs of non-ASCII characters (each adds bytes beyond its characters)."""
    byte_starts: list[int] = []  # byte offset just after each non-ASCII run
    extra: list[int] = []  # extra bytes accumulated up to there
    total = 0
    for run in _NON_ASCII.finditer(text):
        total += len(run.group().encode("utf-8", "surrogatepass")) - len(run.group())
        byte_starts.append(run.end() + total)
        extra.append(total)

    def to_char(offset: int) -> int:
        index = bisect.bisect_right(byte_starts, offset) - 1
        return offset - (extra[index] if index >= 0 else 0)

    return to_char


def _hyperscan_database(keywords: Sequence[tuple[str, list[int]]]) -> Any | None:
    """A Hyperscan database of the keywords as caseless literals, or None
    where Hyperscan is not installed (then pyahocorasick does the work)."""
    try:
        import hyperscan
    except ImportError:
        return None
    database = hyperscan.Database()
    compile_: Callable[..., None] = database.compile
    compile_(
        expressions=[keyword.encode("ascii", "backslashreplace") for keyword, _ in keywords],
        ids=list(range(len(keywords))),
        elements=len(keywords),
        flags=[hyperscan.HS_FLAG_CASELESS] * len(keywords),
        literal=True,
    )
    return database
