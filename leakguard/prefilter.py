"""One Aho-Corasick pass over the lowercased text picks the rules worth running.

A rule's regex only runs when one of its keywords occurs, and then only near
that occurrence; this is what makes the engine fast, so keywords should be
specific (``ghp_``, a provider's name), never common words.
"""

from __future__ import annotations

from collections.abc import Sequence

import ahocorasick

from leakguard.models import Rule

# str.lower() maps a few non-ASCII characters to two code points ("İ" -> "i̇"),
# which would shift every position after them; keywords are ASCII, so folding
# only ASCII keeps offsets aligned with the original text.
_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


def lowercase(text: str) -> str:
    """Lowercase ``text`` without changing its length (ASCII folding fallback)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return text.translate(_ASCII_LOWER)


class KeywordIndex:
    """The automaton of every rule keyword, built once per rule set."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        by_keyword: dict[str, list[int]] = {}
        for number, rule in enumerate(rules):
            for keyword in rule.keywords:
                by_keyword.setdefault(keyword, []).append(number)
        self.always = tuple(number for number, rule in enumerate(rules) if not rule.keywords)
        self._automaton = ahocorasick.Automaton()
        for keyword, numbers in by_keyword.items():
            self._automaton.add_word(keyword, (len(keyword), tuple(numbers)))
        self._empty = not by_keyword
        if not self._empty:
            self._automaton.make_automaton()

    def hits(self, lowered: str) -> dict[int, list[int]]:
        """Map each candidate rule number to the start offsets of its keyword hits
        (in ascending order); rules without keywords map to an empty list."""
        found: dict[int, list[int]] = {number: [] for number in self.always}
        if self._empty:
            return found
        for end, (length, numbers) in self._automaton.iter(lowered):
            start = end - length + 1
            for number in numbers:
                positions = found.get(number)
                if positions is None:
                    found[number] = [start]
                else:
                    positions.append(start)
        return found
