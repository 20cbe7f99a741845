"""Command line: parse arguments, call one function per subcommand, render,
return the exit code. The one place errors become messages and exit codes."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from leakguard import __version__
from leakguard.errors import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    LeakguardError,
    UsageError,
)

if TYPE_CHECKING:  # the hook's start-up imports only what a run needs
    from leakguard.config import FailPolicy
    from leakguard.models import Finding, Rule, Skipped


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so errors share one boundary."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}\n{self.format_usage().rstrip()}")


def _size(text: str) -> int:
    from leakguard.config import parse_size

    value = parse_size(text)
    if value is None or value <= 0:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 1048576 or 2MB)")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="leakguard",
        description="Find secrets and personal data before they leave through git.",
    )
    parser.add_argument("--version", action="version", version=f"leakguard {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    scan = commands.add_parser("scan", help="scan files, folders or standard input")
    scan.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                      help="files or folders to scan ('-' for standard input; default: .)")
    scan.add_argument("--no-git", action="store_true",
                      help="scan every file, ignoring .gitignore and git entirely")
    _add_common(scan)
    _add_report(scan)
    scan.add_argument("--max-file-size", type=_size, metavar="SIZE",
                      help="skip files larger than this (default 2MB)")
    scan.add_argument("--jobs", "-j", type=_positive, metavar="N",
                      help="worker processes (default: the number of cores)")
    scan.set_defaults(handler=_scan)

    redact = commands.add_parser(
        "redact", help="write a copy of a file with every secret and personal value replaced"
    )
    redact.add_argument("input", metavar="INPUT",
                        help="a text file, notebook (.ipynb), CSV/TSV or JSONL file")
    redact.add_argument("--output", "-o", metavar="OUTPUT",
                        help="where to write the sanitised copy")
    redact.add_argument("--in-place", action="store_true",
                        help="replace INPUT itself (atomically) instead of writing -o OUTPUT")
    redact.add_argument("--pseudonymize", action="store_true",
                        help="replace each value by a keyed token (same value, same token) "
                             "instead of [REDACTED:type]")
    redact.add_argument("--key-file", metavar="K",
                        help="secret key for --pseudonymize (never written to the output)")
    _add_common(redact)
    redact.set_defaults(handler=_redact)

    rules = commands.add_parser("rules", help="list or check rules")
    rule_commands = rules.add_subparsers(dest="rules_command", metavar="ACTION",
                                         parser_class=_Parser)
    listing = rule_commands.add_parser("list", help="one line per rule: id, kind, description")
    _add_common(listing)
    listing.set_defaults(handler=_rules_list)
    check = rule_commands.add_parser(
        "check", help="lint rule files and run every example and counterexample"
    )
    check.add_argument("paths", nargs="*", metavar="PATH",
                       help="rule files or folders (default: the rules in use)")
    check.add_argument("--config", metavar="FILE", help="configuration file")
    check.set_defaults(handler=_rules_check)
    return parser


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE",
                        help="configuration file (default: .leakguard.toml or pyproject.toml)")
    parser.add_argument("--rules", action="append", default=[], metavar="FILE",
                        help="add the rules of this file or folder (repeatable)")


def _add_report(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", "-f", choices=("text", "json"),
                        help="report format (default: text, or the config's report.format)")
    parser.add_argument("--output", "-o", metavar="FILE",
                        help="write the report to FILE (created owner-only) instead of stdout")
    parser.add_argument("--redact", choices=("full", "partial"),
                        help="how secrets are masked (default: full)")
    parser.add_argument("--show-secrets", action="store_true",
                        help="print secrets in clear (dangerous: logs keep them)")
    parser.add_argument("--show-suppressed", action="store_true",
                        help="also list what filters, allowlists and pragmas suppressed, and why")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="color the text report (default: when writing to a terminal)")


def _use_color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and "NO_COLOR" not in os.environ


def _open_output(path: str) -> TextIO:
    """Reports hold locations of secrets: create them readable by the owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "w", encoding="utf-8")


def _scan(args: argparse.Namespace) -> int:
    from leakguard.commands import ScanRequest, run_scan
    from leakguard.reporters import Report, ReportOptions, renderer

    request = ScanRequest(
        paths=tuple(args.paths),
        use_git=not args.no_git,
        config=args.config,
        rule_files=tuple(args.rules),
        max_file_size=args.max_file_size,
        jobs=args.jobs,
    )
    config, result = run_scan(request)
    if args.show_secrets:
        print("leakguard: warning: --show-secrets prints secrets in clear", file=sys.stderr)
    report = Report(
        findings=result.findings,
        suppressed=result.suppressed,
        skipped=result.skipped,
        files=result.files,
        bytes=result.bytes,
        seconds=result.seconds,
    )
    fmt = args.format or config.report.format
    stream = _open_output(args.output) if args.output else sys.stdout
    try:
        options = ReportOptions(
            redact=args.redact or config.report.redact,
            show_secrets=args.show_secrets,
            show_suppressed=args.show_suppressed,
            color=fmt == "text" and _use_color(args.color, stream),
        )
        renderer(fmt)(report, stream, options)
    finally:
        if stream is not sys.stdout:
            stream.close()
    return exit_code(result.findings, result.errors, config.fail_on)


def _redact(args: argparse.Namespace) -> int:
    from leakguard.redact import RedactRequest, run_redact

    result = run_redact(
        RedactRequest(
            input=args.input,
            output=args.output,
            in_place=args.in_place,
            pseudonymize=args.pseudonymize,
            key_file=args.key_file,
            config=args.config,
            rule_files=tuple(args.rules),
        )
    )
    total = sum(result.replaced.values())
    kinds = ", ".join(f"{name} {count}" for name, count in sorted(result.replaced.items()))
    print(f"Redacted {result.input} -> {result.output}: {total} value(s) replaced"
          + (f" ({kinds})" if kinds else ""))
    return EXIT_CLEAN


def exit_code(findings: Sequence[Finding], errors: Sequence[Skipped], policy: FailPolicy) -> int:
    """1 when a finding fails the policy, else 2 if anything could not be
    scanned (an incomplete scan is never reported clean), else 0."""
    if any(policy.fails(finding) for finding in findings):
        return EXIT_FINDINGS
    return EXIT_ERROR if errors else EXIT_CLEAN


def _active_rules(args: argparse.Namespace) -> tuple[Rule, ...]:
    from leakguard.commands import config_start, load_config, select_rules

    config = load_config(args.config, config_start(["."], True))
    return select_rules(config, getattr(args, "rules", ()))


def _rules_list(args: argparse.Namespace) -> int:
    for rule in _active_rules(args):
        print(f"{rule.id}\t{rule.kind}\t{rule.description}")
    return EXIT_CLEAN


def _rules_check(args: argparse.Namespace) -> int:
    from leakguard.checks import check_rules
    from leakguard.rules import load_rules

    paths = [Path(path) for path in args.paths]
    rules = load_rules(paths) if paths else _active_rules(args)
    problems = check_rules(rules)
    for problem in problems:
        print(problem)
    examples = sum(len(r.examples) + len(r.counterexamples) for r in rules)
    print(f"{len(rules)} rule(s), {examples} example(s): {len(problems)} problem(s)")
    return EXIT_FINDINGS if problems else EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in arguments
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")  # non-UTF-8 file names
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(arguments)
        except SystemExit as exit_:  # --help and --version
            return int(exit_.code or 0)
        if not getattr(args, "handler", None):
            parser.print_help(sys.stderr)
            return EXIT_ERROR
        return int(args.handler(args))
    except LeakguardError as error:
        print(f"leakguard: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("leakguard: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # the reader went away (``| head``): nothing left to say to it
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return EXIT_ERROR
    except Exception as error:  # the error boundary: never a bare traceback
        if debug:
            traceback.print_exc()
        print(
            f"leakguard: internal error: {type(error).__name__}: {error}\n"
            "leakguard: this is a bug; rerun with --debug and report the traceback",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
