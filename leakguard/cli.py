"""Command line: parse arguments, call one function per subcommand, render,
return the exit code. The one place errors become messages and exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
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
    missing_dependency,
)

if TYPE_CHECKING:  # the hook's start-up imports only what a run needs
    from leakguard.commands import Mode, ScanRequest
    from leakguard.config import FailPolicy
    from leakguard.history import HistoryRequest
    from leakguard.models import Finding, Rule, Skipped
    from leakguard.progress import Progress


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so errors share one boundary."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}\n{self.format_usage().rstrip()}")

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse makes a formatter for every option it adds (to check its
        # metavar) and sizes it with shutil, whose import (bz2, lzma…) is ~3 ms
        # of every hook run; os measures the terminal just as well
        formatter: Callable[..., argparse.HelpFormatter] = self.formatter_class
        return formatter(prog=self.prog, width=_help_width())


def _help_width() -> int:
    """What argparse would use: $COLUMNS, else the terminal's width, else 80;
    less two columns of margin (and never so narrow that wrapping fails)."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        try:
            columns = os.get_terminal_size().columns  # standard output's
        except (ValueError, OSError):
            columns = 80
    return max(columns, 12) - 2


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


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; given ``argv``, only the subcommand it names gets
    its options (the others keep their one-line help): the hook pays for
    ``scan``'s options alone."""
    parser = _Parser(
        prog="leakguard",
        description="Find secrets and personal data before they leave through git.",
    )
    parser.add_argument("--version", action="version", version=f"leakguard {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    chosen = next((word for word in argv if not word.startswith("-")), None) if argv else None
    for name, (summary, build) in _COMMANDS.items():
        command = commands.add_parser(name, help=summary)
        if argv is None or name == chosen:
            build(command)
    return parser


def _build_scan(scan: argparse.ArgumentParser) -> None:
    scan.description = (
        "Scan files and folders (default), the staged change (--staged), git "
        "history (--history), or the commits a push sends (--pre-push)."
    )
    _add_targets(scan, hooks=True)
    _add_report(scan)
    scan.add_argument("--baseline", metavar="FILE",
                      help="known findings to leave out (default: .leakguard-baseline.json "
                      "at the repository root, when present)")
    scan.add_argument("--no-baseline", action="store_true", help="report known findings too")
    scan.add_argument("--min-confidence", choices=("high", "medium", "low"), metavar="LEVEL",
                      help="report only findings at least this sure: high, medium or low "
                      "(default: the config's min_confidence, or [hook] min_confidence in "
                      "--staged and --pre-push mode; low); the rest are suppressed")
    scan.add_argument("--fail-on", metavar="POLICY",
                      help="which findings fail the scan: kinds (secret, pii), severity=LEVEL, "
                      "confidence=LEVEL, or none; comma-separated (default: any secret or pii)")
    scan.set_defaults(handler=_scan)


def _build_baseline(baseline: argparse.ArgumentParser) -> None:
    baseline_commands = baseline.add_subparsers(dest="baseline_command", metavar="ACTION",
                                                parser_class=_Parser)
    for action, text in (("create", "write a baseline of everything found now"),
                         ("update", "add new findings to the baseline (--prune drops gone ones)")):
        writer = baseline_commands.add_parser(action, help=text)
        _add_targets(writer, hooks=False)
        writer.add_argument("-o", "--output", metavar="FILE",
                            help="the baseline file (default: .leakguard-baseline.json at the "
                            "repository root)")
        if action == "create":
            writer.add_argument("--force", action="store_true", help="overwrite an existing file")
        else:
            writer.add_argument("--prune", action="store_true",
                                help="drop entries whose finding is no longer found")
        writer.set_defaults(handler=_baseline_write, create=action == "create")
    audit = baseline_commands.add_parser(
        "audit", help="label entries real / false positive / accepted (interactive on a terminal)"
    )
    _add_targets(audit, hooks=False)
    audit.add_argument("--baseline", metavar="FILE", help="the baseline file")
    audit.add_argument("--report", action="store_true",
                       help="print a summary of the entries instead of asking")
    audit.add_argument("--interactive", action="store_true",
                       help="ask even when standard input is not a terminal")
    audit.add_argument("--all", action="store_true", help="also revisit labelled entries")
    audit.set_defaults(handler=_baseline_audit)


def _build_install(install: argparse.ArgumentParser) -> None:
    install.add_argument("--hook", choices=("pre-commit", "commit-msg", "pre-push", "all"),
                         default="all", help="which hook to write (default: all three)")
    install.add_argument("--force", action="store_true",
                         help="replace a hook leakguard did not write (keeping a backup)")
    install.add_argument("repository", nargs="?", default=".", help="default: .")
    install.set_defaults(handler=_install)


def _build_explain(explain: argparse.ArgumentParser) -> None:
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


def _build_redact(redact: argparse.ArgumentParser) -> None:
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


def _build_rules(rules: argparse.ArgumentParser) -> None:
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


# name -> (one-line help, what adds its options)
_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "scan": ("scan files, the staged change or git history", _build_scan),
    "baseline": ("record, update and review known findings", _build_baseline),
    "install": (
        "write plain git hooks (pre-commit, commit-msg, pre-push) into this repository",
        _build_install,
    ),
    "explain": ("show how a finding was decided, or what a rule looks for", _build_explain),
    "redact": (
        "write a copy of a file with every secret and personal value replaced", _build_redact
    ),
    "rules": ("list or check rules", _build_rules),
}

def _add_targets(parser: argparse.ArgumentParser, *, hooks: bool) -> None:
    """What to scan: paths, or git history (and for ``scan``, the hook modes)."""
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files or folders to scan ('-' for standard input; default: .); "
                        "with --history: revision ranges (default: every ref) and/or the "
                        "repository folder")
    modes = parser.add_mutually_exclusive_group()
    if hooks:
        modes.add_argument("--staged", action="store_const", const="staged", dest="mode",
                           help="scan what the next commit adds (the pre-commit hook); "
                           "FILEs limit it, and one it does not touch is scanned whole")
    modes.add_argument("--history", action="store_const", const="history", dest="mode",
                       help="scan what every commit added (default: all refs)")
    if hooks:
        modes.add_argument("--pre-push", action="store_const", const="pre-push", dest="mode",
                           help="scan the commits being pushed (the pre-push hook)")
        modes.add_argument("--commit-msg", action="store_const", const="commit-msg",
                           dest="mode", help="scan the message file PATH a commit is about "
                           "to be made with (the commit-msg hook)")
    parser.add_argument("--no-git", action="store_true",
                        help="scan every file, ignoring .gitignore and git entirely")
    history = parser.add_argument_group("history options")
    history.add_argument("--range", action="append", default=[], metavar="A..B",
                         help="scan only these commits, e.g. origin/main..HEAD for a pull request")
    history.add_argument("--branch", metavar="NAME", help="scan one branch instead of every ref")
    history.add_argument("--since", metavar="DATE",
                         help="only commits after DATE (anything git understands)")
    history.add_argument("--max-commits", type=_positive, metavar="N",
                         help="only the N most recent commits")
    history.add_argument("--include", action="append", default=[], metavar="WHAT",
                         help="also scan: messages (default on), tags, stashes, reflog, "
                         "unreachable, all; comma-separated, 'no-messages' to skip messages")
    history.add_argument("--since-last-scan", action="store_true",
                         help="skip commits a previous complete scan covered (state kept in "
                         ".git/leakguard/ or --state-file)")
    history.add_argument("--state-file", metavar="PATH",
                         help="where --since-last-scan keeps its state")
    history.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                         help="progress on stderr (default: when stderr is a terminal)")
    _add_common(parser)
    parser.add_argument("--max-file-size", type=_size, metavar="SIZE",
                        help="skip files larger than this (default 2MB)")
    parser.add_argument("--jobs", "-j", type=_positive, metavar="N",
                        help="worker processes (default: the number of cores)")


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
    from leakguard.commands import run_scan
    from leakguard.config import FailPolicy

    # a mistyped --output must not cost a whole scan: check it before scanning
    reporters.plan_outputs(args.format or "text", args.output)
    policy = FailPolicy.parse(args.fail_on) if args.fail_on else None
    request = _scan_request(args)
    display = _progress(args.progress) if request.mode in ("history", "pre-push") else None
    try:
        outcome = run_scan(request, display.update_from_part if display else None)
    finally:
        if display:
            display.close()
    config, result = outcome.config, outcome.result
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
        mode=outcome.mode,
        notes=tuple(outcome.notes),
        commits=outcome.commits,
        rules=result.rules,
    )
    reporters.write_reports(report, outputs, options, sys.stdout, args.color)
    return exit_code(result.findings, result.errors, policy or config.fail_on)


def _scan_request(args: argparse.Namespace) -> ScanRequest:
    from leakguard.commands import ScanRequest

    mode: Mode = args.mode or "files"
    history_options = (args.range, args.branch, args.since, args.max_commits,
                       args.since_last_scan, args.state_file)
    if mode != "history" and any(history_options):
        raise UsageError("--range, --branch, --since, --max-commits, --since-last-scan and "
                         "--state-file go with --history")
    paths = tuple(args.paths)
    repository, revisions = ".", [*getattr(args, "range", [])]
    push_remote, staged_files = "", ()
    if mode == "pre-push":
        # git passes the remote's name (or URL) and URL; the range comes on stdin
        push_remote, paths = (paths[0] if paths else ""), ()
    if mode in ("history", "pre-push"):
        for path in paths:
            if Path(path).is_dir():
                repository = path
            else:
                revisions.append(path)
        paths = ()
    elif mode == "staged":
        if len(paths) == 1 and Path(paths[0]).is_dir():  # the repository folder
            repository, paths = paths[0], ()
        elif any(Path(path).is_dir() for path in paths):
            raise UsageError("--staged takes the repository folder, or files (those the "
                             "pre-commit framework passes), not both")
        staged_files, paths = paths, ()
    elif mode == "commit-msg" and (len(paths) != 1 or not Path(paths[0]).is_file()):
        raise UsageError("--commit-msg takes one argument: the commit message file")
    return ScanRequest(
        paths=paths or (".",),
        mode=mode,
        use_git=not args.no_git,
        config=args.config,
        rule_files=tuple(args.rules),
        max_file_size=args.max_file_size,
        jobs=args.jobs,
        repository=Path(repository),
        baseline=getattr(args, "baseline", None),
        use_baseline=not getattr(args, "no_baseline", False),
        history=(
            _history_request(args, repository, revisions)
            if mode in ("history", "pre-push")
            else None
        ),
        push_lines=sys.stdin.read() if mode == "pre-push" and not sys.stdin.isatty() else "",
        push_remote=push_remote,
        staged_files=staged_files,
        min_confidence=getattr(args, "min_confidence", None),
    )


def _history_request(
    args: argparse.Namespace, repository: str, revisions: list[str]
) -> HistoryRequest:
    from leakguard.history import DEFAULT_INCLUDES, INCLUDES, HistoryRequest

    include = set(DEFAULT_INCLUDES)
    for value in ",".join(args.include).split(","):
        value = value.strip()
        if value == "all":
            include.update(INCLUDES)
        elif value == "no-messages":
            include.discard("messages")
        elif value:
            include.add(value)
    return HistoryRequest(
        repository=Path(repository),
        revisions=tuple(revisions),
        branch=args.branch,
        since=args.since,
        max_commits=args.max_commits,
        include=frozenset(include),
        since_last_scan=args.since_last_scan,
        state_file=Path(args.state_file) if args.state_file else None,
    )


def _progress(choice: str) -> Progress | None:
    from leakguard.progress import Progress

    if choice == "never" or (choice == "auto" and not sys.stderr.isatty()):
        return None
    return Progress(sys.stderr)


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


def _baseline_write(args: argparse.Namespace) -> int:
    from leakguard.commands import write_baseline

    written = write_baseline(
        _scan_request(args), output=args.output, create=args.create,
        prune=getattr(args, "prune", False), force=getattr(args, "force", False),
    )
    changes = written.changes
    verb = "wrote" if args.create else "updated"
    print(f"{verb} {written.path}: {len(changes.added)} added, {len(changes.removed)} removed, "
          f"{len(changes.kept)} kept")
    for entry in changes.added:
        print(f"  + {entry.path}:{entry.line}  {entry.rule_id}")
    for entry in changes.removed:
        print(f"  - {entry.path}:{entry.line}  {entry.rule_id}")
    if written.attributes_added:
        print("added `.leakguard-baseline.json merge=union` to .gitattributes, so branches that "
              "each add entries merge cleanly")
    return EXIT_CLEAN


def _baseline_audit(args: argparse.Namespace) -> int:
    from leakguard import audit
    from leakguard import baseline as baseline_module
    from leakguard.commands import baseline_context

    path, known, context = baseline_context(_scan_request(args))
    entries = list(known.entries.values())
    if args.report or not (args.interactive or sys.stdin.isatty()):
        for line in audit.report(entries):
            print(line)
        return EXIT_CLEAN

    def ask(prompt: str) -> str:
        print(prompt, end="", flush=True)
        return sys.stdin.readline()

    labelled = audit.walk(entries, context, ask, print, everything=args.all)
    baseline_module.save(path, labelled)
    print(f"saved {path}")
    return EXIT_CLEAN


def _install(args: argparse.Namespace) -> int:
    from leakguard import git, hooks
    from leakguard.errors import GitError

    root = git.find_root(Path(args.repository).resolve())
    if root is None:
        raise GitError(f"{args.repository} is not inside a git work tree")
    wanted = list(hooks.HOOK_COMMANDS) if args.hook == "all" else [args.hook]
    for done in hooks.install(root, wanted, force=args.force):
        print(f"{done.hook}: {done.action} at {done.path}")
    return EXIT_CLEAN


def _active_rules(args: argparse.Namespace) -> tuple[Rule, ...]:
    from leakguard.commands import config_start, load_config, select_rules

    config = load_config(args.config, config_start(["."], True))
    return select_rules(config, getattr(args, "rules", ()), examples=True)


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


def entry() -> NoReturn:
    """The ``leakguard`` command: ``main``, then an immediate exit. The
    interpreter's own teardown (freeing every module and object one by one)
    is ~5 ms of a pre-commit hook's ~80; everything main wrote is flushed
    first, and report files are closed by then."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away (``| head``), as in main
        code = max(code, EXIT_ERROR)
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in arguments
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")  # non-UTF-8 file names
    try:
        parser = build_parser(arguments)
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
        missing = missing_dependency(error)
        if missing is not None:
            print(f"leakguard: error: {missing}", file=sys.stderr)
            return EXIT_ERROR
        if debug:
            import traceback

            traceback.print_exc()
        print(
            f"leakguard: internal error: {type(error).__name__}: {error}\n"
            "leakguard: this is a bug; rerun with --debug and report the traceback",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
