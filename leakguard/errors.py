"""Errors the user can act on. Only ``cli.py`` turns them into messages and exit codes."""

from __future__ import annotations

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERNAL = 3


class LeakguardError(Exception):
    """A usage, configuration or environment problem (exit code 2)."""

    exit_code = EXIT_ERROR


class UsageError(LeakguardError):
    """The command line asks for something that cannot be done."""


class ConfigError(LeakguardError):
    """A configuration file is malformed; the message names the file and key."""


class RuleError(LeakguardError):
    """A rule file is malformed; the message names the file, line and rule id."""


class GitError(LeakguardError):
    """git failed or the repository is in a state we cannot read."""


class BaselineError(LeakguardError):
    """The baseline file cannot be read or written."""


class ReportError(LeakguardError):
    """A report file cannot be written; the message names the file."""
