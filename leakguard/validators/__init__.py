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
from leakguard.validators.checksums import (
    age_secret_key,
    github_checksum,
    grafana_checksum,
    npm_checksum,
    pypi_macaroon,
)
from leakguard.validators.generic import basic_auth, generic_value
from leakguard.validators.keys import private_key, putty_key
from leakguard.validators.structure import aws_access_key_id, jwt

VALIDATORS: Mapping[str, Validator] = MappingProxyType(
    {
        "age_secret_key": age_secret_key,
        "aws_access_key_id": aws_access_key_id,
        "basic_auth": basic_auth,
        "generic_value": generic_value,
        "github_checksum": github_checksum,
        "grafana_checksum": grafana_checksum,
        "jwt": jwt,
        "npm_checksum": npm_checksum,
        "private_key": private_key,
        "putty_key": putty_key,
        "pypi_macaroon": pypi_macaroon,
    }
)

__all__ = ["VALID", "VALIDATORS", "Candidate", "Validator", "Verdict"]
