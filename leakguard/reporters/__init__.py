"""Report formats. Each module exposes ``render(report, stream, options)``; the
registry maps a format name to its module, imported only when used so that a
hook run never pays for formats it does not print.

One scan can write several reports: ``--format`` picks the one on standard
output (or in the single plain ``--output FILE``), and each ``--output
FORMAT=FILE`` adds another. Every file is created readable by its owner only,
because even a masked report says where the secrets are.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from typing import NamedTuple, Protocol, TextIO

from leakguard.errors import ReportError, UsageError
from leakguard.models import Finding, Rule, Skipped

REGISTRY: dict[str, str] = {
    "text": "leakguard.reporters.text",
    "json": "leakguard.reporters.json",
    "jsonl": "leakguard.reporters.jsonl",
    "sarif": "leakguard.reporters.sarif",
    "csv": "leakguard.reporters.csv",
    "junit": "leakguard.reporters.junit",
    "github": "leakguard.reporters.github",
    "markdown": "leakguard.reporters.markdown",
    "filter-repo": "leakguard.reporters.filter_repo",
}

# Formats whose whole point is to hold the secrets in clear: never on a
# terminal or in a CI log, always in an owner-only file, always with a warning.
CLEARTEXT_FORMATS = frozenset({"filter-repo"})


class ReportOptions(NamedTuple):
    redact: str = "full"
    show_secrets: bool = False
    show_suppressed: bool = False
    color: bool = False


class Report(NamedTuple):
    """Everything a format may print about one scan. ``rules`` are the rules
    that ran (descriptions and remediation for the formats that show them)."""

    findings: Sequence[Finding]
    suppressed: Sequence[Finding] = ()
    skipped: Sequence[Skipped] = ()
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    mode: str = "files"  # files | staged | history | pre-push
    notes: Sequence[str] = ()
    commits: int = 0  # history scans: how many commits were read
    rules: Sequence[Rule] = ()


class Renderer(Protocol):
    def __call__(self, report: Report, stream: TextIO, options: ReportOptions) -> None: ...


def renderer(name: str) -> Renderer:
    module = importlib.import_module(REGISTRY[name])
    render: Renderer = module.render
    return render


class Output(NamedTuple):
    """One report to write: a format and a file (``None``: standard output)."""

    format: str
    path: str | None = None


def plan_outputs(main_format: str, specs: Sequence[str]) -> tuple[Output, ...]:
    """The reports asked for by ``--format`` and the ``--output`` values.

    ``FILE`` sends the main report to FILE instead of standard output;
    ``FORMAT=FILE`` (FORMAT a known format name, so a file name holding ``=``
    still works) adds a report. Two reports never share a file.
    """
    if main_format not in REGISTRY:
        raise UsageError(f"unknown report format '{main_format}' (known: {', '.join(REGISTRY)})")
    main_path: str | None = None
    extra: list[Output] = []
    for spec in specs:
        name, equals, path = spec.partition("=")
        if equals and name in REGISTRY:
            if not path:
                raise UsageError(f"--output {spec}: a file name must follow '{name}='")
            extra.append(Output(name, path))
        elif main_path is not None:
            raise UsageError(
                f"--output {spec}: only one --output FILE without a format; "
                "add more reports as --output FORMAT=FILE"
            )
        elif not spec:
            raise UsageError("--output needs a file name")
        else:
            main_path = spec
    outputs = (Output(main_format, main_path), *extra)
    paths = [os.path.abspath(output.path) for output in outputs if output.path]
    if len(set(paths)) != len(paths):
        raise UsageError("two reports cannot be written to the same --output file")
    for output in outputs:
        if output.format in CLEARTEXT_FORMATS and output.path is None:
            raise UsageError(
                f"--format {output.format} writes the secrets in clear: send it to a file "
                f"with --output FILE or --output {output.format}=FILE (created owner-only)"
            )
    return outputs


def warnings(outputs: Sequence[Output], options: ReportOptions) -> list[str]:
    """What the user must hear on stderr before secrets are written anywhere."""
    said: list[str] = []
    if options.show_secrets:
        said.append("--show-secrets prints secrets in clear (logs and reports keep them)")
    said.extend(
        f"{output.path} holds the leaked secrets in clear, for git filter-repo "
        "--replace-text: keep it private and delete it once history is rewritten"
        for output in outputs
        if output.format in CLEARTEXT_FORMATS
    )
    return said


def open_output(path: str) -> TextIO:
    """Reports hold locations of secrets: create them readable by the owner only
    (an existing file is narrowed too, before anything is written to it)."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)
    except OSError as error:
        raise ReportError(f"cannot write report {path}: {error.strerror}") from error
    # undecodable file names reach reports as surrogates: escape, never crash
    return os.fdopen(descriptor, "w", encoding="utf-8", errors="backslashreplace", newline="")


def use_color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and "NO_COLOR" not in os.environ


def write_reports(
    report: Report,
    outputs: Sequence[Output],
    options: ReportOptions,
    stdout: TextIO,
    color: str = "auto",
) -> None:
    """Render every planned report; only a text report on a terminal gets color."""
    if not options.show_secrets:
        from leakguard.reporters.common import mask_commit_summaries

        report = mask_commit_summaries(report, options.redact)
    for output in outputs:
        render = renderer(output.format)
        if output.path is None:
            colored = output.format == "text" and use_color(color, stdout)
            render(report, stdout, options._replace(color=colored))
            continue
        with open_output(output.path) as stream:
            colored = output.format == "text" and color == "always"
            render(report, stream, options._replace(color=colored))
