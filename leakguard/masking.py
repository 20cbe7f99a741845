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


def mask_line(
    line: str, secret: str, hidden: Iterable[tuple[int, int]] = (), mode: str = "full"
) -> str:
    """A finding's line as reports show it: the values at ``hidden`` (its
    own and any other found on the line, encoded ones too, as offsets into
    ``line``) masked, then any occurrence of ``secret`` left."""
    parts: list[str] = []
    position = 0
    for start, end in sorted(hidden):
        start, end = max(start, position), min(end, len(line))
        if start >= end:  # within one masked already
            continue
        parts += [line[position:start], mask(line[start:end], mode)]
        position = end
    parts.append(line[position:])
    return mask_in_line("".join(parts), secret, mode)
