from __future__ import annotations

import pytest

from leakguard.validators import Candidate
from leakguard.validators.context import label, labelled, words

DOB = label("dob", "birth*", "born", "date of birth")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("customerDateOfBirth", " customer date of birth "), ("date_of_birth", " date of birth "),
     ("Date of Birth:", " date of birth "), ("SSN#", " ssn ")],
)
def test_words(text: str, expected: str) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    ("before", "field", "expected"),
    [
        ("dob: ", None, True),
        ('"date_of_birth": "', None, True),
        ("Birthdate (dd/mm/yyyy) = ", None, True),
        ("born_on: ", None, True),
        ("", "customer_dob", True),
        ("", "birthDate", True),
        ("dob: 1985-03-14, created: ", None, False),
        ("adobe release ", None, False),
        ("", "created_at", False),
        ("the date of a birthday party was set to be ", None, False),
        ("dob(", None, False),
    ],
)
def test_labelled(before: str, field: str | None, expected: bool) -> None:
    value = "1985-03-14"
    line = before + value
    candidate = Candidate(value, line, len(before), len(line), field)
    assert labelled(candidate, DOB) is expected
