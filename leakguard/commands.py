"""One function per subcommand's work: configuration, rules, sources, scan.

Nothing here prints or exits; ``cli.py`` renders the result and picks the
exit code.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from leakguard import config as config_module
from leakguard import sources
from leakguard.config import Config
from leakguard.errors import ConfigError, UsageError
from leakguard.models import Rule, Skipped
from leakguard.parallel import default_jobs, scan_units
from leakguard.rules import builtin_patterns_dir, default_cache_dir, load_rules
from leakguard.scan import Engine, EngineSettings, ScanResult, scan


@dataclass(frozen=True)
class ScanRequest:
    """What the user asked for on the command line."""

    paths: tuple[str, ...] = (".",)
    use_git: bool = True
    config: str | None = None
    rule_files: tuple[str, ...] = ()
    max_file_size: int | None = None
    jobs: int | None = None


def load_config(explicit: str | None, start: Path) -> Config:
    """``--config FILE`` if given, else the project's own file, else defaults."""
    if explicit is not None:
        return config_module.load(Path(explicit))
    return config_module.load(config_module.discover(start))


def config_start(paths: Sequence[str], use_git: bool) -> Path:
    """Where the project's config is looked for: the repository root of the
    first scanned path, or the current folder."""
    real = [path for path in paths if path != "-"]
    root, _ = sources.scan_roots(real, use_git=True) if real else (None, Path.cwd())
    return root if root is not None else Path.cwd()


def select_rules(config: Config, extra_files: Sequence[str] = ()) -> tuple[Rule, ...]:
    """The shipped rules (unless replaced), the config's rule files and inline
    rules, and ``--rules`` files, minus what the config disables."""
    files = [builtin_patterns_dir()] if config.default_rules else []
    files.extend(config.rule_files)
    files.extend(Path(name) for name in extra_files)
    rules = list(load_rules(files, cache_dir=default_cache_dir())) if files else []
    known = {rule.id for rule in rules}
    for rule in config.custom_rules:
        if rule.id in known:
            raise ConfigError(f"{rule.source}: rule '{rule.id}': duplicate id")
        known.add(rule.id)
        rules.append(rule)
    unknown = [rule_id for rule_id in config.disable_rules if rule_id not in known]
    if unknown:
        raise ConfigError(
            f"{config.source}: disable_rules names unknown rule id(s): {', '.join(unknown)}"
        )
    disabled = set(config.disable_rules)
    tags = set(config.disable_tags)
    selected = tuple(
        rule for rule in rules if rule.id not in disabled and not tags.intersection(rule.tags)
    )
    if not selected:
        raise ConfigError(f"{config.source or 'configuration'}: no rules left to run")
    return selected


def engine_settings(config: Config, rules: tuple[Rule, ...]) -> EngineSettings:
    """Listing already skips allowlisted files; the engine applies the same
    paths to sources that do not list files (history, staged changes)."""
    return EngineSettings(
        rules=rules,
        allowlist=replace(config.allowlist, paths=config.allowlist_paths),
        pii=config.pii,
        regex_timeout=config.regex_timeout,
    )


def run_scan(request: ScanRequest) -> tuple[Config, ScanResult]:
    """Scan files, folders and ``-`` (stdin) as asked."""
    began = time.perf_counter()
    if "-" in request.paths and len(request.paths) > 1:
        raise UsageError("'-' (standard input) cannot be combined with paths")
    config = load_config(request.config, config_start(request.paths, request.use_git))
    if request.max_file_size is not None:
        config = replace(config, max_file_size=request.max_file_size)
    settings = engine_settings(config, select_rules(config, request.rule_files))
    if request.paths == ("-",):
        result = scan(Engine.from_settings(settings), sources.stdin())
    else:
        listed = list(
            sources.list_files(
                request.paths, use_git=request.use_git, allowlist=config.allowlist_paths
            )
        )
        entries = [item for item in listed if isinstance(item, sources.FileEntry)]
        result = scan_units(
            settings,
            entries,
            partial(sources.read_entries, max_size=config.max_file_size),
            jobs=request.jobs or default_jobs(),
        )
        result.skipped.extend(item for item in listed if isinstance(item, Skipped))
    result.sort()
    result.rules = settings.rules
    result.seconds = time.perf_counter() - began
    return config, result
