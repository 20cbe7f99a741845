"""History scans: which commits (and other objects) to read, spread over worker
processes, each finding attributed to the earliest commit that introduced it.

What each commit *added* is scanned (``git log -p -U0``), not whole blobs: on a
real history that is ~30x less text (see ARCHITECTURE.md).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from leakguard import git, sources, state
from leakguard.errors import UsageError
from leakguard.models import Finding, Origin
from leakguard.parallel import scan_produced, scan_units
from leakguard.scan import Engine, EngineSettings, ScanResult, scan

INCLUDES = ("messages", "tags", "stashes", "reflog", "unreachable")
DEFAULT_INCLUDES = frozenset({"messages"})


@dataclass(frozen=True)
class HistoryRequest:
    repository: Path = Path(".")
    revisions: tuple[str, ...] = ()  # revision ranges; none: every ref
    branch: str | None = None
    since: str | None = None
    max_commits: int | None = None
    include: frozenset[str] = DEFAULT_INCLUDES
    jobs: int = 1
    since_last_scan: bool = False
    state_file: Path | None = None
    tag_refs: tuple[str, ...] = ()  # annotated tags whose messages are read too (a push's)


@dataclass
class HistoryOutcome:
    result: ScanResult
    commits: int = 0
    notes: list[str] = field(default_factory=list)


Progress = Callable[[int, int, ScanResult], None]  # commits done, of total, part


def revision_arguments(request: HistoryRequest) -> list[str]:
    if request.revisions and request.branch:
        raise UsageError("give revision ranges or --branch, not both")
    # every ref but the stash, which --include stashes scans as such
    everything = ["--exclude=refs/stash", "--all"]
    arguments = list(request.revisions) or ([request.branch] if request.branch else everything)
    if request.since:
        arguments.append(f"--since={request.since}")
    if request.max_commits:
        arguments.append(f"--max-count={request.max_commits}")
    return arguments


def select_commits(
    repo: git.Repository, request: HistoryRequest, exclude: Sequence[str] = ()
) -> list[tuple[str, Origin]]:
    """Commits to scan, oldest first, each with where it was found. Commits a
    ref reaches come first, so they win attribution over reflog or stash
    copies of the same change."""
    arguments = revision_arguments(request)
    not_these = ["--not", *exclude] if exclude else []
    units: list[tuple[str, Origin]] = [
        (sha, "commit") for sha in git.rev_list(repo.root, [*arguments, *not_these])
    ]
    seen = {sha for sha, _ in units}

    def add(shas: Sequence[str], origin: Origin) -> None:
        for sha in shas:
            if sha not in seen:
                seen.add(sha)
                units.append((sha, origin))

    include = request.include
    if "reflog" in include:
        add(git.rev_list(repo.root, ["--exclude=refs/stash", "--all", "--reflog", *not_these]),
            "reflog")
    if "stashes" in include:
        for stash in git.stash_commits(repo.root):
            # the stash commit (working tree changes), its index commit and
            # its untracked-files commit; the first parent is a normal commit
            add([stash, *git.parents(repo.root, stash)[1:]], "stash")
    if "unreachable" in include:
        tips = git.dangling_objects(repo.root)[0]
        if tips:
            add(git.rev_list(repo.root, [*tips, "--not", "--all"]), "unreachable")
    return units


def run_history(
    request: HistoryRequest,
    settings: EngineSettings,
    *,
    max_size: int,
    settings_digest: str,
    progress: Progress | None = None,
) -> HistoryOutcome:
    unknown = set(request.include) - set(INCLUDES)
    if unknown:
        raise UsageError(
            f"unknown --include value(s): {', '.join(sorted(unknown))} "
            f"(known: {', '.join(INCLUDES)})"
        )
    repo = git.open_repository(request.repository)
    outcome = HistoryOutcome(ScanResult())
    if repo.shallow:
        outcome.notes.append(
            "shallow clone: commits before the shallow boundary are not in this repository "
            "and were not scanned (fetch with --unshallow for a complete audit)"
        )
    if not repo.has_commits:
        outcome.notes.append("the repository has no commits yet: nothing in history to scan")
        return outcome
    state_path = request.state_file or state.default_path(repo.git_dir)
    previous = state.load(state_path, settings_digest) if request.since_last_scan else None
    exclude = git.existing_commits(repo.root, previous.tips) if previous else []
    if previous:
        outcome.notes.append(
            f"incremental: skipping commits already scanned ({len(exclude)} ref tips recorded)"
        )
    tips = git.ref_tips(repo.root)
    units = select_commits(repo, request, exclude)
    outcome.commits = len(units)
    order = {sha: index for index, (sha, _) in enumerate(units)}
    messages, marker = "messages" in request.include, secrets.token_hex(8)
    produce = partial(
        sources.commits, repo.root, max_size=max_size, messages=messages, marker=marker
    )
    done = 0

    def advanced(size: int, part: ScanResult) -> None:
        nonlocal done
        done += size
        if progress:
            progress(done, len(units), part)

    batch_size = _batch_size(len(units), request.jobs)
    if len(units) > batch_size:  # workers run git log on batches of commits
        result = scan_units(
            settings, units, produce, jobs=request.jobs, batch_size=batch_size, on_part=advanced
        )
    else:  # a few commits (a shallow clone's one, holding the whole tree): split their files
        # commits without a parent add their whole tree: read it, not a patch of it
        whole = all(not git.parents(repo.root, sha) for sha, _ in units)
        parts = sources.commit_parts(
            repo.root, units, messages=messages, marker=marker, trees=whole
        )
        result = scan_produced(
            settings, parts, partial(sources.section_fragments, max_size=max_size, root=repo.root),
            size_of=sources.part_size, jobs=request.jobs, on_part=advanced,
        )
        advanced(len(units), ScanResult())
    engine = Engine.from_settings(settings)
    if not request.revisions and not request.branch:  # every ref: those that hold no commit too
        result.merge(scan(engine, sources.ref_objects(repo.root, max_size=max_size)))
    elif request.tag_refs:  # a push's tags
        objects = sources.ref_objects(repo.root, max_size=max_size, refs=request.tag_refs)
        result.merge(scan(engine, objects))
    if "tags" in request.include:
        result.merge(scan(engine, sources.tag_messages(repo.root)))
    elif request.tag_refs:
        result.merge(scan(engine, sources.tag_messages(repo.root, request.tag_refs)))
    if "unreachable" in request.include:
        blobs = git.dangling_objects(repo.root)[1]
        result.merge(scan(engine, sources.blobs(repo.root, blobs, max_size=max_size)))
    result.finish(partial(_introduction_rank, order))
    outcome.result = result
    if request.since_last_scan and not result.errors:
        state.save(state_path, state.ScanState(settings_digest, tuple(tips)))
    return outcome


def _introduction_rank(order: dict[str, int], finding: Finding) -> tuple[int, str, int]:
    """Earliest commit first; findings without a commit (tags, blobs) last."""
    position = order.get(finding.commit.sha, len(order)) if finding.commit else len(order)
    return (position, finding.path, finding.line)


def _batch_size(commits: int, jobs: int) -> int:
    """Small enough that a few huge commits cannot leave a core idle, large
    enough that starting ``git log`` per batch stays cheap."""
    return max(4, min(128, commits // max(1, jobs * 8) or 4))
