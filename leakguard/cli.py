"""Command line: parse arguments, call one function per subcommand, render,
return the exit code. The one place errors become messages and exit codes."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

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

    explain = commands.add_parser(
        "explain", help="show how a finding was decided, or what a rule looks for"
    )
    explain.add_argument("target", metavar="FINGERPRINT|RULE-ID",
                         help="a finding's fingerprint (or its first characters) or a rule id")
    explain.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                         help="where the finding is (default: .); rescanned to find it")
    explain.add_argument("--no-git", action="store_true",
                         help="scan every file, ignoring .gitignore and git entirely")
    _add_common(explain)
    explain.add_argument("--redact", choices=("full", "partial"), default="full",
                         help="how the secret is masked (default: full)")
    explain.add_argument("--show-secrets", action="store_true",
                         help="print the secret in clear (dangerous: logs keep it)")
    explain.set_defaults(handler=_explain)

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
    from leakguard.reporters import REGISTRY

    parser.add_argument("--format", "-f", choices=tuple(REGISTRY), metavar="FORMAT",
                        help=f"report format: {', '.join(REGISTRY)} "
                             "(default: text, or the config's report.format)")
    parser.add_argument("--output", "-o", action="append", default=[], metavar="[FORMAT=]FILE",
                        help="write the report to FILE instead of stdout; FORMAT=FILE adds "
                             "another report (repeatable); files are created owner-only")
    parser.add_argument("--redact", choices=("full", "partial"),
                        help="how secrets are masked (default: full)")
    parser.add_argument("--show-secrets", action="store_true",
                        help="print secrets in clear (dangerous: logs keep them)")
    parser.add_argument("--show-suppressed", action="store_true",
                        help="also list what filters, allowlists and pragmas suppressed, and why")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="color the text report (default: when writing to a terminal)")


def _scan(args: argparse.Namespace) -> int:
    from leakguard import reporters
    from leakguard.commands import ScanRequest, run_scan

    # a mistyped --output must not cost a whole scan: check it before scanning
    reporters.plan_outputs(args.format or "text", args.output)
    request = ScanRequest(
        paths=tuple(args.paths),
        use_git=not args.no_git,
        config=args.config,
        rule_files=tuple(args.rules),
        max_file_size=args.max_file_size,
        jobs=args.jobs,
    )
    config, result = run_scan(request)
    outputs = reporters.plan_outputs(args.format or config.report.format, args.output)
    options = reporters.ReportOptions(
        redact=args.redact or config.report.redact,
        show_secrets=args.show_secrets,
        show_suppressed=args.show_suppressed,
    )
    for warning in reporters.warnings(outputs, options):
        print(f"leakguard: warning: {warning}", file=sys.stderr)
    report = reporters.Report(
        findings=result.findings,
        suppressed=result.suppressed,
        skipped=result.skipped,
        files=result.files,
        bytes=result.bytes,
        seconds=result.seconds,
        rules=result.rules,
    )
    reporters.write_reports(report, outputs, options, sys.stdout, args.color)
    return exit_code(result.findings, result.errors, config.fail_on)


def _explain(args: argparse.Namespace) -> int:
    from leakguard.commands import ScanRequest
    from leakguard.explain import explain

    if args.show_secrets:
        print("leakguard: warning: --show-secrets prints secrets in clear", file=sys.stderr)
    request = ScanRequest(
        paths=tuple(args.paths), use_git=not args.no_git, config=args.config,
        rule_files=tuple(args.rules),
    )
    sys.stdout.write(
        explain(args.target, request, show_secrets=args.show_secrets, redact=args.redact)
    )
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
