"""National identity numbers: structure, check digits, and a label.

Every one of these is a short run of digits (and letters) that random data
produces easily, so each validator wants both its check digit and a context
word naming it (``NINO``, ``BSN``, ``Aadhaar``…) next to the value or as its
column; the rules' keywords make sure the validator only runs where such a
word occurs.
"""

from __future__ import annotations

import datetime
import re

from leakguard.validators.base import Candidate, Verdict
from leakguard.validators.check_digits import eleven_proof, luhn, pesel, spanish_letter, verhoeff
from leakguard.validators.context import label, labelled
from leakguard.validators.pii import digits_of

_NINO_LABEL = label("nino", "national insurance*", "ni number", "ni no", "nino number", "nin")
_SIN_LABEL = label("sin", "social insurance*", "nas", "sin number", "sin no")
_AADHAAR_LABEL = label("aadhaar*", "aadhar*", "adhaar*", "uidai", "uid")
_DNI_LABEL = label("dni", "nif", "documento*", "d n i", "cif")
_NIE_LABEL = label("nie", "nif", "extranjero*", "n i e")
_BSN_LABEL = label("bsn", "burgerservicenummer", "sofi*", "burger service*")
_PESEL_LABEL = label("pesel")

_NINO_PREFIX_BANNED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_NINO_EXAMPLES = frozenset({"AB123456C", "AA123456A", "QQ123456C"})


def _unlabelled(name: str) -> Verdict:
    return Verdict(False, f"no '{name}' label next to the value")


def _compact(value: str) -> str:
    return re.sub(r"[\s.-]", "", value).upper()


def uk_nino(candidate: Candidate) -> Verdict:
    """Two prefix letters (never D F I Q U V, the second never O, and a few
    pairs never issued), six digits, a suffix A-D."""
    value = _compact(candidate.secret)
    if len(value) != 9 or value[8] not in "ABCD":
        return Verdict(False, "a NINO is two letters, six digits and A-D")
    first, second = value[0], value[1]
    if first in "DFIQUV" or second in "DFIOQUV" or value[:2] in _NINO_PREFIX_BANNED:
        return Verdict(False, f"prefix {value[:2]} is never issued")
    if value in _NINO_EXAMPLES:
        return Verdict(False, "the specimen NINO printed in guidance")
    if not labelled(candidate, _NINO_LABEL):
        return _unlabelled("national insurance number")
    return Verdict(True, "valid prefix and suffix, labelled")


def ca_sin(candidate: Candidate) -> Verdict:
    """Nine digits passing Luhn; 0 and 8 are never the first digit."""
    digits = digits_of(candidate.secret)
    if len(digits) != 9 or digits[0] in "08":
        return Verdict(False, "a SIN is nine digits not starting with 0 or 8")
    if not luhn(digits):
        return Verdict(False, "fails the Luhn check")
    if len(set(digits)) <= 2:
        return Verdict(False, "too few distinct digits")
    if not labelled(candidate, _SIN_LABEL):
        return _unlabelled("SIN")
    return Verdict(True, "Luhn check, labelled")


def in_aadhaar(candidate: Candidate) -> Verdict:
    """Twelve digits, the first 2-9, the last a Verhoeff check digit."""
    digits = digits_of(candidate.secret)
    if len(digits) != 12 or digits[0] in "01":
        return Verdict(False, "an Aadhaar number is twelve digits starting with 2-9")
    if not verhoeff(digits):
        return Verdict(False, "fails the Verhoeff check")
    if len(set(digits)) <= 2:
        return Verdict(False, "too few distinct digits")
    if not labelled(candidate, _AADHAAR_LABEL):
        return _unlabelled("Aadhaar")
    return Verdict(True, "Verhoeff check, labelled")


def es_dni(candidate: Candidate) -> Verdict:
    """Eight digits and the letter their value modulo 23 selects."""
    value = _compact(candidate.secret)
    if not re.fullmatch(r"\d{8}[A-Z]", value):
        return Verdict(False, "a DNI is eight digits and a letter")
    if spanish_letter(int(value[:8])) != value[8]:
        return Verdict(False, "the control letter does not match")
    if len(set(value[:8])) <= 2:
        return Verdict(False, "too few distinct digits")
    if not labelled(candidate, _DNI_LABEL):
        return _unlabelled("DNI")
    return Verdict(True, "control letter, labelled")


def es_nie(candidate: Candidate) -> Verdict:
    """X, Y or Z (read as 0, 1, 2), seven digits, and the DNI control letter."""
    value = _compact(candidate.secret)
    if not re.fullmatch(r"[XYZ]\d{7}[A-Z]", value):
        return Verdict(False, "an NIE is X/Y/Z, seven digits and a letter")
    number = int(str("XYZ".index(value[0])) + value[1:8])
    if spanish_letter(number) != value[8]:
        return Verdict(False, "the control letter does not match")
    if not labelled(candidate, _NIE_LABEL):
        return _unlabelled("NIE")
    return Verdict(True, "control letter, labelled")


def nl_bsn(candidate: Candidate) -> Verdict:
    """Nine digits passing the eleven-proof."""
    digits = digits_of(candidate.secret)
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not eleven_proof(digits):
        return Verdict(False, "fails the eleven-proof")
    if len(set(digits)) <= 2:
        return Verdict(False, "too few distinct digits")
    if not labelled(candidate, _BSN_LABEL):
        return _unlabelled("BSN")
    return Verdict(True, "eleven-proof, labelled")


def pl_pesel(candidate: Candidate) -> Verdict:
    """Eleven digits: a birth date (the month carries the century), a serial
    and a weighted check digit."""
    digits = digits_of(candidate.secret)
    if len(digits) != 11 or not pesel(digits):
        return Verdict(False, "fails the PESEL check digit")
    year, month, day = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    century = {0: 1900, 1: 2000, 2: 2100, 3: 2200, 4: 1800}.get(month // 20)
    if century is None:
        return Verdict(False, "the month field encodes no century")
    try:
        datetime.date(century + year, month % 20, day)
    except ValueError:
        return Verdict(False, "the birth date it encodes does not exist")
    if not labelled(candidate, _PESEL_LABEL):
        return _unlabelled("PESEL")
    return Verdict(True, "check digit and birth date, labelled")
