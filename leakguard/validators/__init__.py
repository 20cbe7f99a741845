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
from leakguard.validators.service import service_token

VALIDATORS: Mapping[str, Validator] = MappingProxyType(
    {
        "basic_auth": basic_auth,
        "generic_value": generic_value,
        "jwt": jwt,
        "service_token": service_token,
    }
)

__all__ = ["VALID", "VALIDATORS", "Candidate", "Validator", "Verdict"]
