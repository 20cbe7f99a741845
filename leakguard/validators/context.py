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
