"""National identifiers: check digits, structure, and the label they need."""

from __future__ import annotations

import pytest

from leakguard.validators import VALIDATORS, Candidate


def _valid(name: str, line: str, value: str, field: str | None = None) -> bool:
    start = line.index(value)
    return VALIDATORS[name](Candidate(value, line, start, start + len(value), field)).valid


@pytest.mark.parametrize(
    ("name", "line", "value", "valid"),
    [
        ("uk_nino", "NI number: JG 10 37 59 B", "JG 10 37 59 B", True),
        ("uk_nino", "national insurance no PW481736C", "PW481736C", True),
        ("uk_nino", "nino: QQ123456C", "QQ123456C", False),
        ("uk_nino", "nino: GB123456A", "GB123456A", False),
        ("uk_nino", "nino: DA123456A", "DA123456A", False),
        ("uk_nino", "code JG103759B", "JG103759B", False),
        ("ca_sin", "SIN: 583 478 243", "583 478 243", True),
        ("ca_sin", "sin 604-000-885", "604-000-885", True),
        ("ca_sin", "SIN: 583 478 244", "583 478 244", False),
        ("ca_sin", "SIN: 846 454 283", "846 454 283", False),
        ("ca_sin", "math.sin(583478243)", "583478243", False),
        ("in_aadhaar", "Aadhaar: 6236 6712 7680", "6236 6712 7680", True),
        ("in_aadhaar", "Aadhaar: 6236 6712 7681", "6236 6712 7681", False),
        ("in_aadhaar", "aadhaar: 1236 6712 7680", "1236 6712 7680", False),
        ("es_dni", "DNI: 37080875E", "37080875E", True),
        ("es_dni", "DNI: 37080875F", "37080875F", False),
        ("es_dni", "ref 37080875E", "37080875E", False),
        ("es_nie", "NIE: Y6234363C", "Y6234363C", True),
        ("es_nie", "NIE: Y6234363D", "Y6234363D", False),
        ("nl_bsn", "BSN: 633875004", "633875004", True),
        ("nl_bsn", "burgerservicenummer 1705.86.492", "1705.86.492", True),
        ("nl_bsn", "BSN: 633875005", "633875005", False),
        ("pl_pesel", "PESEL: 85031408319", "85031408319", True),
        ("pl_pesel", "pesel 02270924024", "02270924024", True),
        ("pl_pesel", "PESEL: 85031408318", "85031408318", False),
        ("pl_pesel", "PESEL: 85133108310", "85133108310", False),
    ],
)
def test_national_ids(name: str, line: str, value: str, valid: bool) -> None:
    assert _valid(name, line, value) is valid


@pytest.mark.parametrize(
    ("name", "value", "field"),
    [("nl_bsn", "633875004", "bsn"), ("in_aadhaar", "626846563217", "aadhaar_no"),
     ("pl_pesel", "85031408319", "PESEL"), ("ca_sin", "583478243", "social_insurance_number")],
)
def test_a_column_name_is_a_label(name: str, value: str, field: str) -> None:
    assert _valid(name, value, value, field)
    assert not _valid(name, value, value, "amount")
