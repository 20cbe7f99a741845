"""The data that flows through the pipeline: fragments in, findings out.

Plain frozen records with no I/O, so every stage can be tested with literals.
They are NamedTuples rather than frozen dataclasses: a dataclass costs ~1 ms
to define, and the pre-commit hook's start-up defines dozens (change one with
``record._replace(field=value)``).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Literal, NamedTuple, overload

Kind = Literal["secret", "pii"]
# Where a fragment came from: a file, the staged change, standard input, or in
# a history scan a commit's diff, its message, a tag message, a stash, a
# commit only the reflog reaches, or an object nothing reaches any more.
Origin = Literal[
    "file", "staged", "stdin", "commit", "message", "tag", "stash", "reflog", "unreachable",
    "ref",  # a blob or tree a ref points at, not through a commit
]
Confidence = Literal["high", "medium", "low"]
Severity = Literal["critical", "high", "medium", "low", "info"]
# What selects a rule for a text: its keywords, or (with the native scanner)
# the shape of its regex, for rules whose keywords are common characters
Prefilter = Literal["keywords", "shape"]

KINDS: tuple[Kind, ...] = ("secret", "pii")
CONFIDENCES: tuple[Confidence, ...] = ("high", "medium", "low")
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")
PREFILTERS: tuple[Prefilter, ...] = ("keywords", "shape")


class CommitInfo(NamedTuple):
    """The commit that introduced a fragment (history and message scans only)."""

    sha: str
    author: str
    email: str
    date: str
    summary: str = ""


class FieldSpan(NamedTuple):
    """Where a data-file value starts in a fragment's text: its row (1-based,
    the header excluded) and its column name or JSON key path (None between
    values). Spans are sorted by ``start``; a span lasts until ``end``."""

    start: int
    end: int
    row: int
    field: str | None = None


class LineRuns(Sequence[int]):
    """The real line numbers of a text made of runs of consecutive lines (a
    diff's added lines), held as one (first line, length) pair per run rather
    than one number per line: history scans parse millions of added lines and
    ask for the numbers of a handful. Equal to another ``LineRuns`` with the
    same numbers (like ``range``, never to a tuple). Immutable."""

    __slots__ = ("_ends", "_firsts", "_starts")

    def __init__(self, runs: Iterable[tuple[int, int]] = ()) -> None:
        """``runs``: (first line, number of lines) pairs, in increasing order."""
        kept = [(first, length) for first, length in runs if length > 0]
        self._firsts = tuple(first for first, _ in kept)
        # the text's line index where each run begins, and where the next would
        self._ends = tuple(itertools.accumulate(length for _, length in kept))
        self._starts = (0, *self._ends)[:-1]

    @classmethod
    def of(cls, numbers: Iterable[int]) -> LineRuns:
        """The runs of a list of increasing line numbers."""
        runs: list[list[int]] = []
        for number in numbers:
            if runs and runs[-1][0] + runs[-1][1] == number:
                runs[-1][1] += 1
            else:
                runs.append([number, 1])
        return cls((first, length) for first, length in runs)

    def runs(self) -> list[tuple[int, int]]:
        """(first line, number of lines) of each run, in order."""
        return [(first, end - start)
                for first, start, end in zip(self._firsts, self._starts, self._ends, strict=True)]

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[int, ...]: ...
    def __getitem__(self, index: int | slice) -> int | tuple[int, ...]:
        if isinstance(index, slice):
            return tuple(self)[index]
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError("line index out of range")
        run = bisect.bisect_right(self._starts, position) - 1
        return self._firsts[run] + position - self._starts[run]

    def __iter__(self) -> Iterator[int]:
        for first, start, end in zip(self._firsts, self._starts, self._ends, strict=True):
            yield from range(first, first + end - start)

    def index(self, value: object, start: int = 0, stop: int | None = None) -> int:
        """The text's line index of real line ``value``."""
        if isinstance(value, int):
            run = bisect.bisect_right(self._firsts, value) - 1
            if run >= 0:
                found = self._starts[run] + value - self._firsts[run]
                if start <= found < self._ends[run] and (stop is None or found < stop):
                    return found
        raise ValueError(f"line {value!r} is not among the runs")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LineRuns):
            return NotImplemented
        return tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"LineRuns.of({tuple(self)!r})"


class Fragment(NamedTuple):
    """A piece of text to scan and where it came from.

    ``line_numbers`` maps the fragment's n-th line (0-based) to its real line
    number when the text is a concatenation of non-contiguous lines (the added
    lines of a diff); otherwise lines are numbered from ``start_line``.

    Structured files add ``cell`` (a notebook cell), ``field`` (a fixed key),
    or ``spans`` (rows and fields of data-file text, located per match), and
    ``context``: text that describes this one without being part of it (a
    CSV header). Its keywords select rules for the whole fragment, and it is
    never reported.
    """

    path: str
    text: str
    origin: Origin = "file"
    start_line: int = 1
    line_numbers: Sequence[int] | None = None
    commit: CommitInfo | None = None
    cell: int | None = None
    row: int | None = None
    field: str | None = None
    spans: Sequence[FieldSpan] = ()
    context: str = ""

    def real_line(self, index: int) -> int:
        """The real line number of the fragment's ``index``-th line (0-based)."""
        if self.line_numbers is not None and index < len(self.line_numbers):
            return self.line_numbers[index]
        return self.start_line + index


class Skipped(NamedTuple):
    """A source item that was not scanned, and why. ``error`` ones fail closed;
    ``too_large`` ones (text, or perhaps text, over the size limit) may hold
    a leak, so reports name them where they only count other skips."""

    path: str
    reason: str
    error: bool = False
    size: int = 0
    too_large: bool = False


class Example(NamedTuple):
    """A rule's test vector; ``secret`` (optional) is the value it must extract."""

    text: str
    secret: str | None = None


class Allowlist(NamedTuple):
    """Conditions under which a match is known not to be a leak.

    ``regexes`` apply to the secret, ``line_regexes`` to the whole line,
    ``paths`` are glob patterns and ``path_regexes`` regexes on the
    repository-relative path, and
    ``stopwords`` are case-insensitive substrings of the secret.
    """

    description: str = ""
    regexes: tuple[str, ...] = ()
    line_regexes: tuple[str, ...] = ()
    path_regexes: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    stopwords: tuple[str, ...] = ()
    commits: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (
            self.regexes or self.line_regexes or self.paths or self.path_regexes
            or self.stopwords or self.commits
        )


class Companion(NamedTuple):
    """What a composite rule looks for near its match: a finding of one of
    ``rules``, or a line matching ``regex`` (named ``name`` in reports), at
    most ``within_lines`` lines away. Present, it sets the finding's
    confidence; ``required`` suppresses findings without one."""

    rules: tuple[str, ...] = ()
    regex: str | None = None
    name: str = ""
    within_lines: int = 5
    confidence: Confidence = "high"
    required: bool = False


class Rule(NamedTuple):
    """One detector, loaded from a pattern file. The regex is compiled lazily."""

    id: str
    description: str
    kind: Kind
    type: str
    regex: str
    keywords: tuple[str, ...] = ()
    secret_group: int | str = 1
    min_entropy: float = 0.0
    validator: str | None = None
    specificity: int = 50
    severity: Severity = "high"
    confidence: Confidence = "medium"
    tags: tuple[str, ...] = ()
    multiline: bool = False
    allowlist: Allowlist = Allowlist()
    examples: tuple[Example, ...] = ()
    counterexamples: tuple[Example, ...] = ()
    source: str = ""
    remediation: str = ""
    companion: Companion | None = None
    prefilter: Prefilter = "keywords"
    # a regex every match contains, which hyperscan selects the rule by
    # (default: the regex itself, approximated): see patterns/README.md
    shape: str | None = None

    @property
    def family(self) -> str:
        """The pattern file a rule came from, e.g. ``github`` for github.toml."""
        name = self.source.rsplit("/", 1)[-1].split(":", 1)[0]
        return name.removesuffix(".toml") or "custom"


class Decision(NamedTuple):
    """Why a match was suppressed: the pipeline stage and a human reason."""

    stage: str
    reason: str


class Finding(NamedTuple):
    """What reporters and the baseline see. ``secret`` never leaves unredacted
    unless the user asks for it. ``occurrences`` is set on a column-level finding:
    how many distinct values of a data-file column it stands for."""

    rule_id: str
    description: str
    kind: Kind
    type: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    secret: str
    entropy: float
    confidence: Confidence
    severity: Severity
    fingerprint: str
    origin: Origin = "file"
    commit: CommitInfo | None = None
    cell: int | None = None
    row: int | None = None
    field: str | None = None
    decoded_from: str | None = None
    occurrences: int | None = None
    # the other half of a composite finding: its rule id (or name) and where
    # it is, never its value
    companion: str | None = None
    line_text: str = ""
    # where values sit in line_text (this finding's and any other's, and
    # encoded ones), as (start, end) offsets: what reports mask
    hidden: tuple[tuple[int, int], ...] = ()
    validation: str = ""
    suppressed_by: Decision | None = None
    # the keyword that selected the rule, and the whole regex match as
    # (line, column, end_line, end_column): what ``explain`` shows
    keyword: str = ""
    match_span: tuple[int, int, int, int] | None = None

    @property
    def suppressed(self) -> bool:
        return self.suppressed_by is not None
