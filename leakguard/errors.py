"""Errors the user can act on. Only ``cli.py`` turns them into messages and exit codes."""

from __future__ import annotations

import sys

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


# import name -> the distribution that provides it (pyproject's dependencies)
DEPENDENCIES = {
    "ahocorasick": "pyahocorasick",
    "regex": "regex",
    "git": "gitpython",
    "phonenumbers": "phonenumbers",
    "tomli": "tomli",
}


def missing_dependency(error: BaseException) -> str | None:
    """What to tell the user when ``error`` is one of leakguard's own
    dependencies failing to import (an install without them, or a Python that
    is not the one leakguard was installed into): an environment problem,
    not a bug. None for any other error."""
    if not isinstance(error, ModuleNotFoundError) or not error.name:
        return None
    package = DEPENDENCIES.get(error.name.split(".")[0])
    if package is None:
        return None
    return (
        f"the Python package {package!r} is not installed for {sys.executable}; "
        "install leakguard with its dependencies (pip install leakguard, or "
        "pip install . in a clone) and run it from that environment"
    )

