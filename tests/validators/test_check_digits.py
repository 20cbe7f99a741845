from __future__ import annotations

import pytest

from leakguard.validators.check_digits import (
    eleven_proof,
    iban_mod97,
    luhn,
    luhn_digit,
    pesel,
    spanish_letter,
    verhoeff,
    verhoeff_digit,
)


@pytest.mark.parametrize(
    ("check", "value", "valid"),
    [
        (luhn, "4526018159083012", True),
        (luhn, "4526018159083013", False),
        (luhn, "583478243", True),
        (iban_mod97, "DE44500105175407324931", True),
        (iban_mod97, "DE44500105175407324932", False),
        (iban_mod97, "FR7630006000011234567890189", True),
        (verhoeff, "623667127680", True),
        (verhoeff, "623667127608", False),
        (eleven_proof, "633875004", True),
        (eleven_proof, "633875005", False),
        (eleven_proof, "000000000", False),
        (pesel, "85031408319", True),
        (pesel, "85031408318", False),
    ],
)
def test_checks(check: object, value: str, valid: bool) -> None:
    assert check(value) is valid  # type: ignore[operator]


@pytest.mark.parametrize("partial", ["452601815908301", "7992739871", "1"])
def test_generated_check_digits_pass(partial: str) -> None:
    assert luhn(partial + luhn_digit(partial))
    assert verhoeff(partial + verhoeff_digit(partial))


def test_single_digit_errors_and_transpositions_fail_verhoeff() -> None:
    good = "623667127680"
    for index in range(len(good) - 1):
        swapped = good[:index] + good[index + 1] + good[index] + good[index + 2 :]
        assert swapped == good or not verhoeff(swapped)


@pytest.mark.parametrize(("number", "letter"), [(37080875, "E"), (0, "T"), (22, "E")])
def test_spanish_letter(number: int, letter: str) -> None:
    assert spanish_letter(number) == letter
