from __future__ import annotations

import pytest

from leakguard.validators import Candidate
from leakguard.validators.context import amid_numbers, label, labelled, words

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


@pytest.mark.parametrize(
    ("line", "value", "expected"),
    [
        ("-.53.63-.01 1.08.58 1.23.82.72 1.21 1.87.87", "1.23.82.72", True),  # SVG path data
        ("08-2.12 0 0 .67-.21 2.2.82.64-.18 1.32-.27", "2.2.82.64", True),
        ('transform="matrix(1 0 0 1 689.249 1404)">', "1 689.249 1404", True),  # two before
        ("4 0 0 50 -1 18 14 0.0000 4 165 720 825 3225 header", "720 825 3225", True),
        ("mpmath.mpf((0, 672202249456079, -55, 50))", "672202249456079", True),
        ("2024-03-01 12:00:01 GET /login from 145.254.33.17", "145.254.33.17", False),
        ("12:00:01 145.254.33.17 200 5123", "145.254.33.17", False),  # numbers after only
        ("call 415 555 2671 now", "415 555 2671", False),
        ('card = "4111111111111111"', "4111111111111111", False),
        ("ip 52.84.150.39 port 443", "52.84.150.39", False),
    ],
)
def test_amid_numbers(line: str, value: str, expected: bool) -> None:
    start = line.index(value)
    assert amid_numbers(Candidate(value, line, start, start + len(value))) is expected


def test_a_data_field_is_a_value_whatever_its_neighbours() -> None:
    line = "1 2 3 52.84.150.39 4 5"
    start = line.index("52")
    assert not amid_numbers(Candidate("52.84.150.39", line, start, start + 12, field="ip"))
