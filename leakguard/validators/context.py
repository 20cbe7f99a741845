"""Context words: is a value *labelled* as what a rule thinks it is?

A nine-digit number is an SSN when the text calls it one right before it
(``SSN: 123456789``, ``"ssn": "…"``) or when its data-file column or JSON key
is named so (``ssn``, ``customerSSN``). "Right before" means: on the same
line, with nothing but label syntax between the word and the value; a word
further back that labels a different value (in ``dob: <date>, created:
<date>`` the second date) does not count.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from leakguard.validators.base import Candidate

REACH = 48  # characters before a value that may hold its label

_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_NOT_WORD = re.compile(r"[^a-z0-9]+")

# What may stand between a label and its value once punctuation is dropped:
# "passport no", "date of birth (dd/mm/yyyy)", "ssn #", "born on".
_FILLER = frozenset(
    {
        "no", "num", "number", "nr", "nbr", "n", "is", "on", "of", "was", "date", "id",
        "code", "value", "the", "a", "dd", "mm", "yyyy", "yy", "mmm", "card", "in", "at",
        "da", "de", "nummer", "numero", "to", "field", "str", "string", "text", "key", "e",
        "g", "eg", "ie", "data", "info", "val",
    }
)
_MAX_FILLER = 4


def words(text: str) -> str:
    """``customerDateOfBirth`` / ``date_of_birth`` / ``Date of Birth:`` all
    become ``… date of birth``: lower-case words separated by single spaces."""
    spaced = _CAMEL.sub(r"\1 \2", text).lower()
    return " " + _NOT_WORD.sub(" ", spaced).strip() + " "


Label = tuple[str, ...]


def labelled(candidate: Candidate, phrases: Label) -> bool:
    """Whether one of ``phrases`` (see ``label``) names the value, through its
    field or the text just before it."""
    pattern = compiled(phrases)
    if candidate.field and pattern.search(words(candidate.field)):
        return True
    raw = candidate.before[-REACH:].rstrip(" \t\"'")
    if raw.endswith("(") and raw[-2:-1].isalnum():
        return False  # sin(…), dob(…): a call's argument, not a labelled value
    before = words(raw)
    found = list(pattern.finditer(before))
    if not found:
        return False
    gap = before[found[-1].end() :].split()
    return len(gap) <= _MAX_FILLER and all(token in _FILLER for token in gap)


def label(*phrases: str) -> Label:
    """Context words for ``labelled``: each phrase is matched as whole words
    (``dob``), or as a word prefix when it ends with ``*`` (``birth*`` also
    matches ``birthdate``). Compiled on first use: the hook imports every
    validator and runs few of them."""
    return phrases


@functools.cache
def compiled(phrases: Label) -> re.Pattern[str]:
    parts = []
    for phrase in phrases:
        prefix = phrase.endswith("*")
        body = re.escape(phrase.rstrip("*").lower()).replace(r"\ ", " ")
        parts.append(f" {body}" + ("[a-z0-9]*" if prefix else "(?= )"))
    return re.compile("|".join(parts))


# a number as it sits in data: 12, -0.5, .67, 1.08.58 (compressed SVG path
# numbers), 1e-3, 3-.21
_NUMBER = re.compile(r"[-+]?[\d.]*\d[\d.eE+-]*")
_GAP = re.compile(r"[\s,;()\[\]{}]+")


def amid_numbers(candidate: Candidate) -> bool:
    """Whether the value is one item of a run of numbers: a number on each
    side, or two before it (``matrix(1 0 0 1 689.249 1404)``, SVG path data,
    a tuple or a table of numbers). A data file's field is a value on its
    own whatever its neighbours."""
    if candidate.field:
        return False
    before = _numbers_next_to(reversed(_GAP.split(candidate.before[-REACH:])))
    after = _numbers_next_to(iter(_GAP.split(candidate.after[:REACH])))
    return before >= 2 or (before >= 1 and after >= 1)


def _numbers_next_to(tokens: Iterator[str]) -> int:
    """How many of ``tokens`` (nearest first, up to two) are numbers; the
    first may be empty (a gap touches the value)."""
    count = 0
    for index, token in enumerate(tokens):
        if index == 0 and not token:
            continue
        if count == 2 or not _NUMBER.fullmatch(token):
            break
        count += 1
    return count
