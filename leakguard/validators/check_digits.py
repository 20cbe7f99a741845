"""Check-digit algorithms: pure arithmetic on digit strings, shared by the
personal-data validators (and by token checksums later)."""

from __future__ import annotations

# Verhoeff's dihedral-group tables (multiplication, permutation, inverse).
_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def luhn(digits: str) -> bool:
    """The Luhn (mod 10) check used by payment cards and Canadian SINs."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def luhn_digit(partial: str) -> str:
    """The digit that makes ``partial + digit`` pass Luhn (for generators)."""
    for digit in "0123456789":
        if luhn(partial + digit):
            return digit
    raise AssertionError("unreachable: one digit always completes a Luhn number")


def iban_mod97(iban: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to
    numbers (A=10 … Z=35); a valid IBAN leaves remainder 1 modulo 97."""
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return int(number) % 97 == 1


def verhoeff(digits: str) -> bool:
    """Verhoeff's check (Indian Aadhaar): catches every single-digit error
    and every transposition of adjacent digits."""
    check = 0
    for position, char in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[position % 8][ord(char) - 48]]
    return check == 0


def verhoeff_digit(partial: str) -> str:
    for digit in "0123456789":
        if verhoeff(partial + digit):
            return digit
    raise AssertionError("unreachable: one digit always completes a Verhoeff number")


def eleven_proof(digits: str) -> bool:
    """The Dutch "elfproef" for a 9-digit BSN: weights 9…2 and -1, sum
    divisible by 11 (and not zero)."""
    if len(digits) != 9:
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(weight * (ord(char) - 48) for weight, char in zip(weights, digits, strict=True))
    return total != 0 and total % 11 == 0


def pesel(digits: str) -> bool:
    """Poland's PESEL: weights 1,3,7,9 repeating over ten digits; the last
    digit is (10 - sum mod 10) mod 10."""
    if len(digits) != 11:
        return False
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    total = sum(weight * (ord(char) - 48) for weight, char in zip(weights, digits, strict=False))
    return (10 - total % 10) % 10 == ord(digits[10]) - 48


SPANISH_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def spanish_letter(number: int) -> str:
    """The control letter of a Spanish DNI (and of an NIE after its prefix
    letter becomes a digit): the number modulo 23 indexes a fixed alphabet."""
    return SPANISH_LETTERS[number % 23]
