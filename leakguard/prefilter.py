"""One Aho-Corasick pass over the lowercased text picks the rules worth running.

A rule's regex only runs when one of its keywords occurs, and then only near
that occurrence; this is what makes the engine fast, so keywords should be
specific (``ghp_``, a provider's name), never common words.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ahocorasick

from leakguard import cachefiles
from leakguard.matcher import SHAPE_SPACING
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


# The native scanner costs ~5 ms to start with its databases cached (importing
# hyperscan, loading them) and saves ~50 ns per character, mostly the regexes of
# rules without keywords: worth it once a scan has read ~100 KB (measured on
# requests' sources), not for a pre-commit run on a small change.
FAST_AFTER = 128 * 1024


class KeywordIndex:
    """The automaton of every rule keyword, built once per rule set.

    pyahocorasick scans 80-160 MB/s with the shipped keywords; when the
    optional ``hyperscan`` package is installed, it takes over once
    ``fast_after`` characters have been scanned (over 1 GB/s, and faster on
    small files too). Both report the same hits. Its compiled databases are
    kept in ``cache_dir``: compiling them costs ~70 ms, loading them nothing.
    """

    def __init__(
        self,
        rules: Sequence[Rule],
        *,
        fast_after: int = FAST_AFTER,
        cache_dir: Path | None = None,
    ) -> None:
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
        self._by_keyword = tuple((k, tuple(n)) for k, n in by_keyword.items())
        # rules the native scanner selects by their regex's shape: those
        # without keywords, and those whose keywords are too common ("@")
        self._shaped = tuple(
            number for number, rule in enumerate(rules)
            if rule.keywords and rule.prefilter == "shape"
        )
        self._patterns = tuple(
            (number, rules[number].shape or rules[number].regex)
            for number in (*self.always, *self._shaped)
        )
        self._until_fast = fast_after
        self._cache_dir = cache_dir
        self._fast: _FastScanner | bool | None = False  # False: not built yet
        self._shapes: _ShapeScanner | None = None
        self._keywords: tuple[tuple[int, tuple[int, ...]], ...] = ()  # the native scanner's
        self._unshaped: tuple[int, ...] = ()  # shaped rules hyperscan could not take

    def hits(self, text: str) -> dict[int, list[int]]:
        """Map each candidate rule number to the start offsets of its keyword hits
        in ``text``, case-insensitively (in ascending order); rules without
        keywords map to an empty list."""
        fast = self._fast_scanner(len(text))
        data, shapes = b"", None
        if fast is not None:
            # hyperscan reads bytes: one byte per character keeps byte offsets
            # equal to character offsets, for both of its scanners
            data = _as_bytes(text, digits=self._shapes is not None and self._shapes.digits_in(text))
            shapes = self._shapes.scan(data) if self._shapes else None
        # rules without keywords run everywhere, unless the native scanner has
        # shown their regex cannot match here
        found: dict[int, list[int]] = (
            {number: [] for number in self.always} if shapes is None else shapes
        )
        for number in self._unshaped:  # selected by their keywords after all
            found.pop(number, None)
        if self._empty:
            return found
        if fast is not None:
            ends = fast.scan(text, data)
            keywords = self._keywords
            for end, word in ends:
                length, numbers = keywords[word]
                _add(found, numbers, end - length)
        else:
            for end, (length, numbers) in self._automaton.iter(lowercase(text)):
                _add(found, numbers, end - length + 1)
        for positions in found.values():
            positions.sort()  # keywords of different lengths end in one order, start in another
        return found

    def keyword_rules(self, text: str) -> set[int]:
        """The rules whose keywords occur in ``text`` (a CSV header, which
        labels every row), whatever selects them in the text itself."""
        if self._empty:
            return set()
        return {n for _, (_, numbers) in self._automaton.iter(lowercase(text)) for n in numbers}

    def _fast_scanner(self, size: int) -> _FastScanner | None:
        if self._fast is False:
            self._until_fast -= size
            if self._until_fast > 0:
                return None
            shapes = (
                _ShapeScanner.build(self._patterns, self._cache_dir) if self._patterns else None
            )
            self._unshaped = tuple(
                n for n in self._shaped if shapes is None or n in shapes.unjudged
            )
            by_shape = set(self._shaped) - set(self._unshaped)
            keywords = [
                (word, tuple(n for n in numbers if n not in by_shape))
                for word, numbers in self._by_keyword
            ]
            keywords = [(word, numbers) for word, numbers in keywords if numbers]
            self._keywords = tuple((len(word), numbers) for word, numbers in keywords)
            self._fast = _FastScanner.build([word for word, _ in keywords], self._cache_dir)
            self._shapes = shapes if self._fast is not None else None
        return self._fast if isinstance(self._fast, _FastScanner) else None


def _add(found: dict[int, list[int]], numbers: tuple[int, ...], start: int) -> None:
    for number in numbers:
        positions = found.get(number)
        if positions is None:
            found[number] = [start]
        else:
            positions.append(start)


class _FastScanner:
    """hyperscan over the keywords as case-insensitive literals; None when it
    is not installed.

    Text is handed over one byte per character (``_as_bytes``: "?" for a
    non-ASCII character), so byte offsets stay character offsets (no
    lower-casing: the database ignores ASCII case, and keywords are ASCII).
    In such text, a hit of one of the few keywords that hold a "?"
    themselves is kept only if the text really has "?" there.
    """

    def __init__(self, database: Any, questioned: tuple[tuple[int, str], ...]):
        self._database = database
        # keyword number -> offsets of its "?" characters, from the keyword's end
        self._questions = {
            number: tuple(index - len(word) for index, char in enumerate(word) if char == "?")
            for number, word in questioned
        }

    @classmethod
    def build(cls, words: Sequence[str], cache_dir: Path | None = None) -> _FastScanner | None:
        if not all(word.isascii() for word in words):
            return None
        if not words:  # every rule is selected by its shape: still hyperscan's job
            import importlib.util

            return cls(None, ()) if importlib.util.find_spec("hyperscan") else None
        database = _database(
            [word.encode("ascii") for word in words], "caseless-literal", cache_dir
        )
        if database is None:
            return None
        questioned = tuple((number, word) for number, word in enumerate(words) if "?" in word)
        return cls(database, questioned)

    def scan(self, text: str, data: bytes) -> list[tuple[int, int]]:
        """(end offset, keyword number) of every hit in ``text``, given as
        ``data`` (its ASCII encoding with "?" replacements)."""
        ends: list[tuple[int, int]] = []
        if self._database is None:
            return ends

        def on_match(word: int, start: int, end: int, flags: int, context: object) -> None:
            ends.append((end, word))

        self._database.scan(data, match_event_handler=on_match)
        if not self._questions or text.isascii():
            return ends
        questions = self._questions
        return [
            (end, word)
            for end, word in ends
            if word not in questions or all(text[end + at] == "?" for at in questions[word])
        ]


OTHER_DIGITS = "leakguard.other-digits"  # the name of the error handler below
# What a decimal digit of another script is handed to hyperscan as: any ASCII
# digit serves a shape's ``\d``, and this one is in every digit class a shape
# narrows to (a card number's first digit, ``[2-689]``, is not 0, 1 or 7).
OTHER_DIGIT = "5"


# Where the decimal digits of scripts other than ASCII start, each the first of
# ten (Unicode keeps them in runs of 0-9), as of this Unicode version: a superset
# of an older Python's. Checked against Python's own tables by the tests.
OTHER_DIGIT_RUNS = (
    0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50,
    0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450,
    0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0,
    0x11F50, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6,
    0x1E140, 0x1E2F0, 0x1E4F0, 0x1E950, 0x1FBF0,
)
OTHER_DIGIT_RUNS_UNICODE = (15, 1, 0)


def other_digits_expression() -> bytes:
    """A hyperscan expression for the UTF-8 form of any digit in ``OTHER_DIGIT_RUNS``."""
    last_bytes: dict[bytes, list[int]] = {}
    for first in OTHER_DIGIT_RUNS:
        for code in range(first, first + 10):
            encoded = chr(code).encode("utf-8")
            last_bytes.setdefault(encoded[:-1], []).append(encoded[-1])
    return b"|".join(
        b"".join(b"\\x%02x" % byte for byte in prefix)
        + b"[" + b"".join(b"\\x%02x" % byte for byte in lasts) + b"]"
        for prefix, lasts in last_bytes.items()
    )


def _as_bytes(text: str, *, digits: bool) -> bytes:
    """``text`` one byte per character, for hyperscan: ASCII as it is, any
    other character "?", and with ``digits`` a decimal digit of another
    script ``OTHER_DIGIT`` (shapes read digits, and Python's ``\\d`` matches them all; to
    the keyword literals it is just another character that is not theirs).
    One encoding serves both scanners."""
    if text.isascii():
        return text.encode("ascii")
    return text.encode("ascii", OTHER_DIGITS if digits else "replace")


def _other_digits(error: UnicodeError) -> tuple[str, int]:
    """Encoding error handler: a decimal digit of another script (Arabic-Indic,
    Devanagari, fullwidth…, which Python's ``\\d`` matches) becomes
    ``OTHER_DIGIT``, any other character "?"; one byte per character keeps
    offsets aligned."""
    assert isinstance(error, UnicodeEncodeError)
    run = error.object[error.start : error.end]
    # runs of letters (whole words of other scripts) are the common case
    if run.isalpha() or not any(map(str.isdecimal, run)):
        return "?" * len(run), error.end
    return "".join(OTHER_DIGIT if char.isdecimal() else "?" for char in run), error.end


# Bounded repeats longer than this are opened up in the shapes handed to
# hyperscan: {0,62} costs it dozens of automaton states, {0,} one.
WIDEN_REPEATS_OVER = 8
_QUANTIFIER = re.compile(r"\{(\d*)(,?)(\d*)\}")


def widened(pattern: str, limit: int = WIDEN_REPEATS_OVER) -> str:
    """``pattern`` with every bounded range of more than ``limit`` opened up
    (``{m,n}`` and ``{,n}`` become ``{m,}`` and ``{0,}``): it matches
    everything ``pattern`` matches, so as a prefilter it misses nothing, and
    hyperscan scans the shipped shapes in ~60% of the time. An exact count
    ``{n}`` stays: opened, it matches at every character of a long run past
    the n-th, and each is a call back into Python (a card shape's ``\\d{11}``
    reported 270,000 ends in the dirscan trees instead of 47,000).

    Repeats inside character classes and escapes are text, not repeats, and
    those inside lookarounds are left alone: a wider negative lookaround
    would reject more.
    """
    out: list[str] = []
    index, in_class, previous = 0, False, ""
    lookarounds: list[bool] = []  # per open group: is it (inside) a lookaround?
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index, previous = index + 2, "atom"
            continue
        if in_class:  # a "]" first in the class (or after "[^") is a member
            in_class = char != "]" or previous == "["
            previous = "[" if char == "^" and previous == "[" else "class" if in_class else "atom"
        elif char == "[":
            in_class, previous = True, "["
        elif char == "(":
            inside = bool(lookarounds and lookarounds[-1])
            lookarounds.append(inside or pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), index))
            previous = "("
        elif char == ")":
            if lookarounds:
                lookarounds.pop()
            previous = "atom"
        elif char == "{" and previous == "atom" and not (lookarounds and lookarounds[-1]):
            repeat = _QUANTIFIER.match(pattern, index)
            if repeat:
                low, comma, high = repeat.groups()
                bound = int(high) if comma and high else 0  # an exact {n} stays exact
                out.append("{%s,}" % (low or "0") if bound > limit else repeat.group())
                index = repeat.end()
                continue
        else:
            previous = "|" if char == "|" else "atom"
        out.append(char)
        index += 1
    return "".join(out)


class _ShapeScanner:
    """hyperscan over the regexes of rules without keywords (personal data:
    phone and card numbers, IP addresses…), in prefilter mode: it may report
    places the real regex rejects, never miss one it accepts. A rule it finds
    nothing for is skipped for that text; one it cannot compile always runs.

    hyperscan reads bytes with ASCII classes, Python reads characters with
    Unicode ones, so other text is handed over one byte per character: a
    decimal digit of any script as ``OTHER_DIGIT`` (Python's ``\\d`` matches them all), any
    other non-ASCII character as "?". Offsets stay character offsets, and
    anything the real regex matches still matches: a "?" is never a word
    character, and where a rule's regex asks for a non-word character beside
    its match, a non-ASCII one is a "?" to hyperscan too."""

    # keep one reported end per stretch of this many characters of a line: a
    # long digit run reports an end per digit, and windows reach past them
    SPACING = SHAPE_SPACING

    def __init__(self, database: Any, numbers: tuple[int, ...], unjudged: tuple[int, ...]):
        self._database = database
        self._numbers = numbers  # hyperscan id -> rule number
        self.unjudged = unjudged  # rules it could not compile
        # codecs keeps handlers by name for the process: registering again is harmless
        codecs.register_error(OTHER_DIGITS, _other_digits)
        self._digits: Any = None  # None: every non-ASCII text may hold other digits

    def digits_in(self, text: str) -> bool:
        """Whether ``text`` may hold a decimal digit of another script. Handing
        each run of non-ASCII characters to a Python error handler that looks
        for them cost 6% of a folder scan of code with translations; hyperscan
        finds their UTF-8 form in a twentieth of the time, and most texts have
        none."""
        if text.isascii():
            return False
        if self._digits is None:
            return True
        found: list[int] = []  # one at most: the expression reports its first match only

        def on_match(pattern: int, start: int, end: int, flags: int, context: object) -> None:
            found.append(end)

        self._digits.scan(text.encode("utf-8", "surrogatepass"), match_event_handler=on_match)
        return bool(found)

    @classmethod
    def build(
        cls, patterns: Sequence[tuple[int, str]], cache_dir: Path | None = None
    ) -> _ShapeScanner | None:
        shapes = [(number, widened(pattern).encode("utf-8")) for number, pattern in patterns]
        database = _database([shape for _, shape in shapes], "prefilter", cache_dir)
        if database is not None:
            return cls(database, tuple(number for number, _ in shapes), ()).with_digits(cache_dir)
        # a construct hyperscan does not know even approximately: find which
        # rules it can take, and let the others run everywhere
        usable = {
            number for number, shape in shapes if _database([shape], "prefilter") is not None
        }
        taken = [(number, shape) for number, shape in shapes if number in usable]
        failed = tuple(number for number, _ in shapes if number not in usable)
        if not taken:
            return None
        database = _database([shape for _, shape in taken], "prefilter", cache_dir)
        if database is None:
            return None
        return cls(database, tuple(number for number, _ in taken), failed).with_digits(cache_dir)

    def with_digits(self, cache_dir: Path | None) -> _ShapeScanner:
        """This scanner, finding other scripts' digits with hyperscan where
        ``OTHER_DIGIT_RUNS`` covers Python's Unicode version."""
        import unicodedata

        version = tuple(int(part) for part in unicodedata.unidata_version.split("."))
        if version <= OTHER_DIGIT_RUNS_UNICODE:
            self._digits = _database([other_digits_expression()], "first-match", cache_dir)
        return self

    def scan(self, data: bytes) -> dict[int, list[int]]:
        """Rule number -> end offsets of possible matches in a text given as
        ``data`` (``_as_bytes(text, digits=True)``); rules it cannot judge map
        to an empty list: search everywhere."""
        found: dict[int, list[int]] = {number: [] for number in self.unjudged}
        numbers = self._numbers
        spacing = self.SPACING

        def on_match(pattern: int, start: int, end: int, flags: int, context: object) -> None:
            positions = found.setdefault(numbers[pattern], [])
            # an end on the line of the last kept one shares its window; one
            # on a later line may lie beyond the lines that window covers
            if (
                not positions
                or end - positions[-1] >= spacing
                or data.find(b"\n", positions[-1], end) >= 0
            ):
                positions.append(end)

        self._database.scan(data, match_event_handler=on_match)
        return found


def _database(expressions: list[bytes], kind: str, cache_dir: Path | None = None) -> Any:
    """A hyperscan block-mode database of ``expressions`` (ids are their
    positions): ``caseless-literal`` keywords, ``prefilter`` regexes, or
    ``first-match`` regexes (each reported once at most). Loaded
    from ``cache_dir`` when an earlier run compiled the same; None when
    hyperscan is missing or cannot compile them."""
    try:
        import hyperscan
    except ImportError:
        return None
    import hashlib  # large scans only, like hyperscan itself

    version = getattr(hyperscan, "__version__", "")
    digest = hashlib.sha256(f"{version}\0{kind}\0".encode())
    for expression in expressions:
        digest.update(expression + b"\0")
    cached = cache_dir / f"hyperscan-{digest.hexdigest()[:32]}.db" if cache_dir else None
    if cached is not None:
        try:
            database = hyperscan.loadb(cached.read_bytes(), mode=hyperscan.HS_MODE_BLOCK)
            database.scratch = hyperscan.Scratch(database)
            return database
        except Exception:  # missing, torn, or built for another CPU: compile it again
            pass
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    flag = {
        "caseless-literal": hyperscan.HS_FLAG_CASELESS,
        "prefilter": hyperscan.HS_FLAG_PREFILTER,
        "first-match": hyperscan.HS_FLAG_SINGLEMATCH,
    }[kind]
    try:
        database.compile(
            expressions=expressions,
            ids=list(range(len(expressions))),
            elements=len(expressions),
            flags=[flag] * len(expressions),
            literal=kind == "caseless-literal",
        )
    except Exception:  # an old binding without literal mode, a CPU it does not support
        return None
    if cache_dir is not None and cached is not None:
        cachefiles.store(cached, hyperscan.dumpb(database), cache_dir=cache_dir)
    return database

