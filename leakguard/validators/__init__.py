"""Offline checks that confirm (or reject) what a regex matched.

A validator looks at one candidate and returns a ``Verdict``: whether it is
plausible at all, and optionally how confident we are and why. Rules name a
validator by its key in ``VALIDATORS``, the one registry; each family of
checks lives in its own module of this package, imported only when one of
its checks first runs (the pre-commit hook's start-up is counted in
milliseconds, and most runs need one family at most).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from leakguard.validators.base import VALID, Candidate, Validator, Verdict

# name -> (module of this package, function)
_WHERE: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        # secrets: token checksums, structure, the generic detectors
        "age_secret_key": ("checksums", "age_secret_key"),
        "github_checksum": ("checksums", "github_checksum"),
        "grafana_checksum": ("checksums", "grafana_checksum"),
        "npm_checksum": ("checksums", "npm_checksum"),
        "pypi_macaroon": ("checksums", "pypi_macaroon"),
        "aws_access_key_id": ("structure", "aws_access_key_id"),
        "jwt": ("structure", "jwt"),
        "private_key": ("keys", "private_key"),
        "putty_key": ("keys", "putty_key"),
        "basic_auth": ("generic", "basic_auth"),
        "generic_value": ("generic", "generic_value"),
        "service_token": ("service", "service_token"),
        # personal data
        "email": ("pii", "email"),
        "phone": ("pii", "phone"),
        "credit_card": ("pii", "credit_card"),
        "us_ssn": ("pii", "us_ssn"),
        "iban": ("pii", "iban"),
        "ipv4": ("pii", "ipv4"),
        "ipv6": ("pii", "ipv6"),
        "date_of_birth": ("pii", "date_of_birth"),
        "passport": ("pii", "passport"),
        "uk_nino": ("national_ids", "uk_nino"),
        "ca_sin": ("national_ids", "ca_sin"),
        "in_aadhaar": ("national_ids", "in_aadhaar"),
        "es_dni": ("national_ids", "es_dni"),
        "es_nie": ("national_ids", "es_nie"),
        "nl_bsn": ("national_ids", "nl_bsn"),
        "pl_pesel": ("national_ids", "pl_pesel"),
    }
)


class _Registry(Mapping[str, Validator]):
    """Names to validators, each module imported on first lookup."""

    def __getitem__(self, name: str) -> Validator:
        module, function = _WHERE[name]
        found: Validator = getattr(importlib.import_module(f"{__name__}.{module}"), function)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(_WHERE)

    def __len__(self) -> int:
        return len(_WHERE)

    def __contains__(self, name: object) -> bool:
        return name in _WHERE


VALIDATORS: Mapping[str, Validator] = _Registry()

__all__ = ["VALID", "VALIDATORS", "Candidate", "Validator", "Verdict"]
