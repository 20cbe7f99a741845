"""How a secret is shown: masked by default, everywhere it is printed."""

from __future__ import annotations

from collections.abc import Iterable

REDACT_MODES = ("full", "partial")
MASK = "*****"


def mask(secret: str, mode: str = "full") -> str:
    """``full`` hides everything (and the length); ``partial`` keeps a short
    prefix such as ``ghp_`` for triage, and only on values long enough that the
    prefix gives nothing away."""
    if mode == "partial" and len(secret) >= 12:
        return secret[: min(4, len(secret) // 4)] + MASK
    return MASK


def mask_in_line(line: str, secret: str, mode: str = "full") -> str:
    """The line with every occurrence of ``secret`` masked. A secret that spans
    lines (a private key) is masked from where it starts on this line."""
    if not secret:
        return line
    first_line = secret.split("\n", 1)[0]
    if first_line != secret and first_line and first_line in line:
        return line[: line.index(first_line)] + mask(secret, mode)
    return line.replace(secret, mask(secret, mode))


# the shortest part of a value, cut off where a long line was clipped, that is
# still masked at the clipped line's start or end
MIN_CUT = 4


def mask_values(line: str, values: Iterable[str], mode: str = "full") -> str:
    """The line with every occurrence of each of ``values`` masked (longest
    first, so that one holding another goes whole), and also the part of one
    that a clipped line starts or ends with."""
    for value in sorted(set(values), key=len, reverse=True):
        if not value:
            continue
        line = line.replace(value, mask(value, mode))
        for cut in range(len(value) - 1, MIN_CUT - 1, -1):
            if line.endswith(value[:cut]):
                line = line[: len(line) - cut] + MASK
                break
        for cut in range(len(value) - 1, MIN_CUT - 1, -1):
            if line.startswith(value[-cut:]):
                line = MASK + line[cut:]
                break
    return line
