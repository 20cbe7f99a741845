"""Offline checks that confirm (or reject) what a regex matched.

A validator looks at one candidate and returns a ``Verdict``: whether it is
plausible at all, and optionally how confident we are and why. Rules name a
validator by its key in ``VALIDATORS``, the one registry; each family of
checks lives in its own module of this package.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from leakguard.validators.base import VALID, Candidate, Validator, Verdict
from leakguard.validators.generic import basic_auth, generic_value, jwt
from leakguard.validators.national_ids import (
    ca_sin,
    es_dni,
    es_nie,
    in_aadhaar,
    nl_bsn,
    pl_pesel,
    uk_nino,
)
from leakguard.validators.pii import (
    credit_card,
    date_of_birth,
    email,
    iban,
    ipv4,
    ipv6,
    passport,
    phone,
    us_ssn,
)
from leakguard.validators.service import service_token

VALIDATORS: Mapping[str, Validator] = MappingProxyType(
    {
        "basic_auth": basic_auth,
        "generic_value": generic_value,
        "jwt": jwt,
        # personal data
        "email": email,
        "phone": phone,
        "credit_card": credit_card,
        "us_ssn": us_ssn,
        "iban": iban,
        "ipv4": ipv4,
        "ipv6": ipv6,
        "date_of_birth": date_of_birth,
        "passport": passport,
        "uk_nino": uk_nino,
        "ca_sin": ca_sin,
        "in_aadhaar": in_aadhaar,
        "es_dni": es_dni,
        "es_nie": es_nie,
        "nl_bsn": nl_bsn,
        "pl_pesel": pl_pesel,
        "service_token": service_token,
    }
)

__all__ = ["VALID", "VALIDATORS", "Candidate", "Validator", "Verdict"]
