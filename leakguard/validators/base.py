"""What a validator sees and what it answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from leakguard.models import Confidence, Severity


class Candidate(NamedTuple):
    """What a validator sees: the secret, its line, and where it sits in that
    line; ``field`` names the data-file column or JSON key it came from, which
    is context too (a ``dob`` column makes a date a date of birth)."""

    secret: str
    line: str
    start: int
    end: int
    field: str | None = None

    @property
    def before(self) -> str:
        return self.line[: self.start]

    @property
    def after(self) -> str:
        return self.line[self.end :]


class Verdict(NamedTuple):
    """``test_data`` marks a published test value (a payment network's test
    card): reported at ``severity`` (lowered), or dropped when the
    configuration says test data is skipped."""

    valid: bool
    reason: str = ""
    confidence: Confidence | None = None
    severity: Severity | None = None
    test_data: bool = False


Validator = Callable[[Candidate], Verdict]

VALID = Verdict(True)
