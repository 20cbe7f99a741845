"""Report formats. Each module exposes ``render(report, stream, options)``; the
registry maps a format name to its module, imported only when used so that a
hook run never pays for formats it does not print."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, TextIO

from leakguard.models import Finding, Skipped

REGISTRY: dict[str, str] = {
    "text": "leakguard.reporters.text",
    "json": "leakguard.reporters.json",
}


@dataclass(frozen=True)
class ReportOptions:
    redact: str = "full"
    show_secrets: bool = False
    show_suppressed: bool = False
    color: bool = False


@dataclass(frozen=True)
class Report:
    """Everything a format may print about one scan."""

    findings: Sequence[Finding]
    suppressed: Sequence[Finding] = ()
    skipped: Sequence[Skipped] = ()
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    mode: str = "files"  # files | staged | history | pre-push
    notes: Sequence[str] = field(default_factory=tuple)
    commits: int = 0


class Renderer(Protocol):
    def __call__(self, report: Report, stream: TextIO, options: ReportOptions) -> None: ...


def renderer(name: str) -> Renderer:
    module = importlib.import_module(REGISTRY[name])
    render: Renderer = module.render
    return render
