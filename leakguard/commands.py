"""One function per subcommand's work: configuration, rules, sources, scan.

Nothing here prints or exits; ``cli.py`` renders the result and picks the
exit code.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from leakguard import __version__, git, sources
from leakguard import baseline as baseline_module
from leakguard import config as config_module
from leakguard.config import Config
from leakguard.errors import ConfigError, GitError, UsageError
from leakguard.filters import below_confidence
from leakguard.models import Finding, Rule
from leakguard.rules import builtin_patterns_dir, default_cache_dir, load_rules
from leakguard.scan import Engine, EngineSettings, ScanResult, scan

if TYPE_CHECKING:  # history scans' modules load only for history scans
    from leakguard.history import HistoryRequest, Progress

Mode = Literal["files", "staged", "history", "pre-push", "commit-msg"]


class ScanRequest(NamedTuple):
    """What the user asked for on the command line."""

    paths: tuple[str, ...] = (".",)
    mode: Mode = "files"
    use_git: bool = True
    config: str | None = None
    rule_files: tuple[str, ...] = ()
    max_file_size: int | None = None
    jobs: int | None = None
    repository: Path = Path(".")  # staged, history and pre-push scans
    history: HistoryRequest | None = None  # history and pre-push scans
    baseline: str | None = None  # --baseline FILE
    use_baseline: bool = True  # False: report known findings too
    push_lines: str = ""  # a pre-push hook's standard input
    push_remote: str = ""  # and its first argument: the remote's name (or URL)
    staged_files: tuple[str, ...] = ()  # --staged FILE…: the pre-commit framework's files
    min_confidence: str | None = None  # --min-confidence: overrides the config


class ScanOutcome:
    """What a scan found and the settings it ran with; filled in as it runs."""

    def __init__(self, config: Config, result: ScanResult, mode: Mode, root: Path) -> None:
        self.config = config
        self.result = result
        self.mode = mode
        self.root = root  # the repository (or scan) root config and baseline live in
        self.notes: list[str] = []
        self.commits = 0
        self.baseline: Path | None = None  # the baseline that was applied


def load_config(explicit: str | None, start: Path) -> Config:
    """``--config FILE`` if given, else the project's own file, else defaults."""
    if explicit is not None:
        return config_module.load(Path(explicit))
    return config_module.load(config_module.discover(start))


def config_start(paths: Sequence[str], use_git: bool) -> Path:
    """Where the project's config is looked for: the repository root of the
    first scanned path; outside git, that path's own folder (the project
    being scanned, not wherever the command happens to run); for standard
    input, the current folder."""
    real = [path for path in paths if path != "-"]
    if not real:
        return Path.cwd()
    root, scan_root = sources.scan_roots(real, use_git=True)
    return root if root is not None else scan_root


def select_rules(
    config: Config, extra_files: Sequence[str] = (), *, examples: bool = False
) -> tuple[Rule, ...]:
    """The shipped rules (unless replaced), the config's rule files and inline
    rules, and ``--rules`` files, minus what the config disables."""
    files = [builtin_patterns_dir()] if config.default_rules else []
    files.extend(config.rule_files)
    files.extend(Path(name) for name in extra_files)
    rules = (
        list(load_rules(files, cache_dir=default_cache_dir(), examples=examples))
        if files
        else []
    )
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
        allowlist=config.allowlist._replace(paths=config.allowlist_paths),
        pii=config.pii,
        regex_timeout=config.regex_timeout,
        decode_depth=config.decode_depth,
        cache_dir=default_cache_dir(),
    )


def run_scan(request: ScanRequest, progress: Progress | None = None) -> ScanOutcome:
    """Scan what was asked: files and folders (``-`` for stdin), the staged
    change, git history, or the commits a push sends."""
    began = time.perf_counter()
    if request.mode in ("staged", "history", "pre-push", "commit-msg"):
        start = _repository_root(request)
    else:
        start = config_start(request.paths, request.use_git)
    config = load_config(request.config, start)
    if request.max_file_size is not None:
        config = config._replace(max_file_size=request.max_file_size)
    settings = engine_settings(config, select_rules(config, request.rule_files))
    outcome = ScanOutcome(config, ScanResult(), request.mode, root=start)
    if request.mode == "staged":
        engine = Engine.from_settings(settings)
        files = tuple(_relative_to(start, name) for name in request.staged_files)
        outcome.result = scan(
            engine, sources.staged(start, max_size=config.max_file_size, files=files)
        )
    elif request.mode in ("history", "pre-push"):
        _scan_history(request, start, config, settings, outcome, progress)
    elif request.mode == "commit-msg":
        message = sources.commit_message(Path(request.paths[0]))
        outcome.result = scan(Engine.from_settings(settings), [message])
    elif request.paths == ("-",):
        outcome.result = scan(Engine.from_settings(settings), sources.stdin())
    else:
        outcome.result = _scan_files(request, config, settings)
        left_out = sources.ignored_by_git(request.paths) if request.use_git else []
        if left_out:
            outcome.notes.append(
                f"{len(left_out)} path(s) .gitignore excludes were not scanned "
                f"(such as {left_out[0]}); --no-git scans them"
            )
    if request.mode in ("files", "staged", "commit-msg"):
        outcome.result.finish()  # history attributes findings to commits itself
    minimum = min_confidence(request, config)
    outcome.result.suppress_where(lambda finding: below_confidence(finding, minimum))
    if request.use_baseline:
        _apply_baseline(request, outcome)
    outcome.result.rules = settings.rules  # reports describe the rules that ran
    outcome.result.seconds = time.perf_counter() - began
    return outcome


def min_confidence(request: ScanRequest, config: Config) -> str:
    """``--min-confidence``, else the hook's own minimum in hook modes, else the
    config's ``min_confidence``."""
    if request.min_confidence:
        return request.min_confidence
    if request.mode in ("staged", "pre-push", "commit-msg") and config.hook_min_confidence:
        return config.hook_min_confidence
    return config.min_confidence


def baseline_path(request: ScanRequest, config: Config, root: Path) -> tuple[Path, bool]:
    """The baseline in force and whether it was named explicitly: ``--baseline``,
    else the config's ``baseline``, else ``.leakguard-baseline.json`` at the root."""
    if request.baseline:
        return Path(request.baseline), True
    if config.baseline:
        return (config.root or root) / config.baseline, True
    return root / baseline_module.BASELINE_NAME, False


def _apply_baseline(request: ScanRequest, outcome: ScanOutcome) -> None:
    path, explicit = baseline_path(request, outcome.config, outcome.root)
    if not explicit and not path.is_file():
        return
    known = baseline_module.load(path)
    result = outcome.result
    result.findings, hidden = baseline_module.subtract(result.findings, known)
    result.suppressed.extend(hidden)
    outcome.baseline = path

def _scan_history(
    request: ScanRequest,
    start: Path,
    config: Config,
    settings: EngineSettings,
    outcome: ScanOutcome,
    progress: Progress | None,
) -> None:
    from dataclasses import replace  # HistoryRequest: history scans only

    from leakguard import history, hooks
    from leakguard.parallel import default_jobs

    history_request = replace(
        request.history or history.HistoryRequest(), repository=start,
        jobs=request.jobs or default_jobs(),
    )
    if request.mode == "pre-push":
        revisions = hooks.push_revisions(
            start, request.push_lines, os.environ, request.push_remote
        )
        if not revisions:
            outcome.notes.append("nothing to push: no commits scanned")
            return
        history_request = replace(
            history_request, revisions=tuple(revisions),
            tag_refs=tuple(hooks.pushed_tags(request.push_lines, os.environ)),
        )
    found = history.run_history(
        history_request,
        settings._replace(cache_matches=True),
        max_size=config.max_file_size,
        # only an incremental scan compares it: repr() of every rule costs ~15 ms
        settings_digest=(
            settings_digest(settings, config, history_request)
            if history_request.since_last_scan else ""
        ),
        progress=progress,
    )
    outcome.result, outcome.notes, outcome.commits = found.result, found.notes, found.commits


def _scan_files(request: ScanRequest, config: Config, settings: EngineSettings) -> ScanResult:
    from leakguard.parallel import default_jobs, scan_produced

    if "-" in request.paths:
        raise UsageError("'-' (standard input) cannot be combined with paths")
    # listed as the workers scan: listing 20,000 files takes a fifth of a second
    listed = sources.list_files(
        request.paths, use_git=request.use_git, allowlist=config.allowlist_paths
    )
    items = sources.split_large_data_files(listed, max_size=config.max_file_size)
    return scan_produced(
        settings, items, partial(sources.read_entries, max_size=config.max_file_size),
        size_of=sources.listed_size, jobs=request.jobs or default_jobs(),
    )


def _relative_to(root: Path, name: str) -> str:
    """A file named on the command line, as a path from the repository root
    (git's paths); one outside it is kept as given."""
    try:
        return Path(name).resolve().relative_to(root).as_posix()
    except ValueError:
        return name


def _repository_root(request: ScanRequest) -> Path:
    """The work tree a git-mode scan reads: the given folder, else the current one."""
    where = request.repository.resolve()
    root = git.find_root(where)
    if root is None:
        # a bare repository has no work tree to find; history scans still work
        if request.mode == "history" and (where / "HEAD").is_file():
            return where
        # a folder that does not exist was taken for a revision: say so
        missing = [name for name in (request.history.revisions if request.history else ())
                   if os.sep in name and not Path(name).exists()]
        hint = f" (and no folder {missing[0]!r} exists)" if missing else ""
        raise GitError(f"{where} is not inside a git work tree{hint}")
    return root


def settings_digest(settings: EngineSettings, config: Config, request: HistoryRequest) -> str:
    """What an incremental scan's results depend on: rules, filters, limits,
    what is included, and leakguard's own version."""
    import hashlib  # history scans only

    material = repr((__version__, settings, config.max_file_size, sorted(request.include)))
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()


class BaselineWritten(NamedTuple):
    path: Path
    changes: baseline_module.Changes
    attributes_added: bool


def write_baseline(
    request: ScanRequest, *, output: str | None, create: bool, prune: bool, force: bool
) -> BaselineWritten:
    """``baseline create`` / ``baseline update``: scan without the baseline and
    record what is found (hashes and hints only)."""
    outcome = run_scan(request._replace(use_baseline=False))
    errors = outcome.result.errors
    if errors:
        raise UsageError(
            f"the scan was incomplete ({len(errors)} error(s), first: {errors[0].path}: "
            f"{errors[0].reason}); a baseline must not be written from a partial scan"
        )
    path = Path(output) if output else baseline_path(request, outcome.config, outcome.root)[0]
    if create and path.exists() and not force:
        raise UsageError(f"{path} exists; use `leakguard baseline update`, or --force to overwrite")
    if not create and not path.exists():
        raise UsageError(f"{path} does not exist; create it with `leakguard baseline create`")
    existing = {} if create else baseline_module.load(path).entries
    changes = baseline_module.update(existing, outcome.result.findings, prune=prune)
    baseline_module.save(path, [*changes.kept, *changes.added])
    in_repository = (outcome.root / ".git").exists() and path.parent == outcome.root
    added_attribute = in_repository and baseline_module.ensure_union_merge(outcome.root)
    return BaselineWritten(path, changes, added_attribute)


def baseline_context(
    request: ScanRequest,
) -> tuple[Path, baseline_module.Baseline, dict[str, Finding]]:
    """The baseline in force and, for each entry still present in the scanned
    files, the finding it stands for (to show masked context in an audit)."""
    outcome = run_scan(request._replace(use_baseline=False))
    path = baseline_path(request, outcome.config, outcome.root)[0]
    known = baseline_module.load(path)
    found = {f.fingerprint: f for f in outcome.result.findings if f.fingerprint in known}
    return path, known, found
