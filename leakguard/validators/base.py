"""What a validator sees and what it answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from leakguard.models import Confidence


@dataclass(frozen=True)
class Candidate:
    """What a validator sees: the secret, its line, and where it sits in that line."""

    secret: str
    line: str
    start: int
    end: int

    @property
    def before(self) -> str:
        return self.line[: self.start]

    @property
    def after(self) -> str:
        return self.line[self.end :]


@dataclass(frozen=True)
class Verdict:
    valid: bool
    reason: str = ""
    confidence: Confidence | None = None


Validator = Callable[[Candidate], Verdict]

VALID = Verdict(True)
