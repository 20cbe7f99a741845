"""History scans over real repositories: what every commit added, attributed
to the commit that introduced it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Repo, Run, code_notebook
from vectors import GITHUB_TOKEN, OTHER_GITHUB_TOKEN

from leakguard.parallel import PARALLEL_AFTER

Runner = Callable[..., Run]
THIRD_TOKEN = "ghp_Zr8wQ3nV6kX1tY4mB7pL2sD9fH5jC0aE3uGi"


def _history(run: Runner, repo: Repo, *args: str) -> tuple[int, list[dict[str, Any]], dict[str, Any]]:
    result = run("scan", "--history", *args, "-f", "json", "-j", "1", cwd=repo.path)
    document = result.json()
    return result.code, document["findings"], document


def _where(findings: list[dict[str, Any]]) -> list[tuple[str, str, int, str]]:
    return sorted(
        (f["origin"], f["path"], f["line"], (f["commit"] or {}).get("sha", "")) for f in findings
    )


def test_secret_added_then_deleted_is_found_at_the_commit_that_added_it(repo: Repo, run: Runner) -> None:
    repo.write("app.py", "x = 1\n")
    repo.commit("start")
    repo.write("app.py", f"x = 1\ntoken = '{GITHUB_TOKEN}'\n")
    added = repo.commit("add token")
    repo.write("app.py", "x = 1\n")
    repo.commit("remove token")
    code, findings, _ = _history(run, repo)
    assert code == 1
    assert _where(findings) == [("commit", "app.py", 2, added)]
    [finding] = findings
    assert finding["commit"]["author"] == "Test Author"
    assert finding["commit"]["email"] == "author@users.noreply.leakguard.test"
    assert finding["commit"]["date"] == "2026-01-02T03:04:05+00:00"
    assert finding["secret"] != GITHUB_TOKEN


def test_all_branches_are_scanned_by_default(repo: Repo, run: Runner) -> None:
    repo.write("a.txt", "base\n")
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("feature.env", f"TOKEN={GITHUB_TOKEN}\n")
    on_feature = repo.commit("feature work")
    repo.git("checkout", "-q", "main")
    _, findings, _ = _history(run, repo)
    assert _where(findings) == [("commit", "feature.env", 1, on_feature)]
    assert _history(run, repo, "--branch", "main")[1] == []


def _resolve_a_conflict_with_a_token(repo: Repo) -> str:
    """Two branches change one line; the merge's resolution types a token."""
    repo.conflicting_merge("config.ini", "[auth]\nvalue = none\n", "[auth]\nvalue = feature\n",
                           "[auth]\nvalue = main\n")
    repo.write("config.ini", f"[auth]\nvalue = {GITHUB_TOKEN}\n")
    resolution = repo.commit("merge feature")
    assert len(repo.git("rev-list", "--parents", "-n1", "HEAD").split()) == 3
    return resolution


def test_conflict_resolution_in_a_merge_commit_is_scanned(repo: Repo, run: Runner) -> None:
    resolution = _resolve_a_conflict_with_a_token(repo)
    _, findings, _ = _history(run, repo)
    assert _where(findings) == [("commit", "config.ini", 2, resolution)]


@pytest.mark.parametrize("driver", ["custom", "odd=name"])
def test_merging_again_runs_no_merge_driver_or_filter_of_the_repository(
    repo: Repo, run: Runner, tmp_path: Path, driver: str
) -> None:
    """--remerge-diff merges each merge commit again: git would run the merge
    driver a .gitattributes line names, and with merge.renormalize the clean
    and smudge filters (both reproduced running code before they were
    overridden)."""
    resolution = _resolve_a_conflict_with_a_token(repo)
    marker = tmp_path / "pwned"
    (repo.path / ".git" / "info" / "attributes").write_text(f"* merge={driver} filter=evil\n")
    for key, value in ((f"merge.{driver}.driver", f"touch {marker}; cp %B %A"),
                       ("filter.evil.clean", f"touch {marker}; cat"),
                       ("filter.evil.smudge", f"touch {marker}; cat"),
                       ("merge.renormalize", "true")):
        repo.git("config", key, value)
    code, findings, _ = _history(run, repo)
    assert not marker.exists()
    assert code == 1 and _where(findings) == [("commit", "config.ini", 2, resolution)]


def test_what_an_octopus_merge_adds_is_scanned(repo: Repo, run: Runner) -> None:
    """git skips --remerge-diff for merges of more than two parents (a
    warning on stderr, exit 0): a token an octopus merge added was never
    read. Its branches' own content stays with the commits that added it."""
    repo.write("base.txt", "base\n")
    repo.commit("base")
    for branch in ("one", "two", "three"):
        repo.git("checkout", "-q", "-b", branch, "main")
        repo.write(f"{branch}.py", f"{branch} = 1\n" if branch != "two" else
                   f"two = '{OTHER_GITHUB_TOKEN}'\n")
        repo.commit(branch)
        if branch == "two":
            on_branch = repo.git("rev-parse", "HEAD").strip()
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-commit", "one", "two", "three")
    repo.write("evil.py", f"token = '{GITHUB_TOKEN}'\n")
    octopus = repo.commit("octopus")
    assert len(repo.git("rev-list", "--parents", "-n1", "HEAD").split()) == 4
    code, findings, _ = _history(run, repo)
    assert code == 1
    assert _where(findings) == sorted([
        ("commit", "evil.py", 1, octopus), ("commit", "two.py", 1, on_branch)
    ])


def test_renames_and_cherry_picks_do_not_duplicate_findings(repo: Repo, run: Runner) -> None:
    repo.write("old/settings.py", f"TOKEN = '{GITHUB_TOKEN}'\nA = 1\nB = 2\nC = 3\n")
    introduced = repo.commit("settings")
    (repo.path / "new").mkdir()
    repo.git("mv", "old/settings.py", "new/settings.py")
    repo.commit("move settings")
    repo.git("checkout", "-q", "-b", "hotfix")
    repo.write("hotfix.py", f"OTHER = '{OTHER_GITHUB_TOKEN}'\n")
    original = repo.commit("hotfix")
    repo.git("checkout", "-q", "main")
    repo.write("unrelated.txt", "main moved on\n")
    repo.commit("unrelated")
    repo.git("cherry-pick", "hotfix", env={"GIT_COMMITTER_DATE": "2026-03-04T05:06:07+00:00"})
    assert repo.git("rev-parse", "HEAD").strip() != original
    _, findings, _ = _history(run, repo)
    assert _where(findings) == sorted([
        ("commit", "hotfix.py", 1, original),
        ("commit", "old/settings.py", 1, introduced),
    ])


def test_binary_and_non_utf8_paths(repo: Repo, run: Runner) -> None:
    repo.write("image.bin", b"\x00\x01\x02" + GITHUB_TOKEN.encode())
    (repo.path / "caf\xe9 file.txt".encode("latin-1").decode("utf-8", "surrogateescape")).write_bytes(
        f"t={GITHUB_TOKEN}\n".encode()
    )
    commit = repo.commit("odd files")
    code, findings, document = _history(run, repo)
    assert code == 1
    assert [(f["path"], f["commit"]["sha"]) for f in findings] == [("caf\udce9 file.txt", commit)]
    assert {"path": "image.bin", "reason": "binary file"} in document["summary"]["skipped"]


def test_commit_messages_are_scanned_by_default(repo: Repo, run: Runner) -> None:
    repo.write("a.txt", "a\n")
    commit = repo.commit(f"debugging with {GITHUB_TOKEN}")
    _, findings, _ = _history(run, repo)
    assert _where(findings) == [("message", "(commit message)", 1, commit)]
    assert _history(run, repo, "--include", "no-messages")[1] == []


def test_range_limits_the_scan_to_new_commits(repo: Repo, run: Runner) -> None:
    repo.write("a.py", f"t = '{GITHUB_TOKEN}'\n")
    base = repo.commit("old leak")
    repo.write("b.py", f"t = '{OTHER_GITHUB_TOKEN}'\n")
    new = repo.commit("new leak")
    _, findings, _ = _history(run, repo, "--range", f"{base}..HEAD")
    assert _where(findings) == [("commit", "b.py", 1, new)]
    _, positional, _ = _history(run, repo, f"{base}..HEAD")
    assert positional == findings
    assert _where(_history(run, repo, "--max-commits", "1")[1]) == [("commit", "b.py", 1, new)]


@pytest.mark.parametrize(("include", "origin"), [("tags", "tag"), ("stashes", "stash"), ("reflog", "reflog"), ("unreachable", "unreachable")])
def test_audit_completeness(repo: Repo, run: Runner, include: str, origin: str) -> None:
    repo.write("a.txt", "a\n")
    repo.commit("start")
    if include == "tags":
        repo.git("tag", "-a", "v1", "-m", f"release notes {GITHUB_TOKEN}")
    elif include == "stashes":
        repo.write("a.txt", f"a\nstashed {GITHUB_TOKEN}\n")
        repo.git("stash", "push", "-q")
    else:
        repo.write("a.txt", f"a\nforce-pushed away {GITHUB_TOKEN}\n")
        repo.commit("oops", "a.txt")
        repo.git("reset", "-q", "--hard", "HEAD~1")
        if include == "unreachable":
            repo.git("reflog", "expire", "--expire=now", "--all")
    assert _history(run, repo, "--include", "no-messages")[1] == []
    _, findings, _ = _history(run, repo, "--include", f"{include},no-messages")
    assert [f["origin"] for f in findings] == [origin]


def test_unreachable_blob_is_scanned(repo: Repo, run: Runner) -> None:
    repo.write("a.txt", "a\n")
    repo.commit("start")
    repo.write("draft.txt", f"{GITHUB_TOKEN}\n")
    repo.git("add", "draft.txt")
    repo.git("rm", "-q", "--cached", "draft.txt")
    _, findings, _ = _history(run, repo, "--include", "unreachable")
    assert [(f["origin"], f["path"][:18]) for f in findings] == [("unreachable", "(unreachable blob ")]


def test_empty_repository_is_clean_with_a_note(repo: Repo, run: Runner) -> None:
    code, findings, document = _history(run, repo)
    assert (code, findings) == (0, [])
    assert any("no commits" in note for note in document["summary"]["notes"])


def test_shallow_clone_is_scanned_and_flagged(repo: Repo, run: Runner, tmp_path: Path) -> None:
    repo.write("a.py", f"t = '{GITHUB_TOKEN}'\n")
    repo.commit("old leak")
    repo.write("b.py", "clean\n")
    repo.commit("later")
    code, findings, document = _history(run, repo.shallow_clone(tmp_path / "shallow"))
    assert any("shallow" in note for note in document["summary"]["notes"])
    # the boundary commit's whole tree counts as added: the old leak is still seen
    assert [f["path"] for f in findings] == ["a.py"] and code == 1


def test_data_files_and_notebooks_are_read_with_their_structure(repo: Repo, run: Runner) -> None:
    """A CSV header labels the values under it: history read a data file's
    added lines alone, so a phone number only its column names as one passed
    (the hook and folder scans found it). New rows and cells are reported at
    their commit with their row, column or cell; old ones are not again."""
    from pii_vectors import EMAIL, LABELLED_PHONE, OTHER_EMAIL

    repo.write("people.csv", f"name,phone\nAna Lima,{LABELLED_PHONE}\n")
    repo.write("analysis.ipynb", code_notebook("x = 1\n", f"send_to = '{EMAIL}'\n"))
    first = repo.commit("data")
    repo.write("people.csv", f"name,phone\nAna Lima,{LABELLED_PHONE}\nJo Berg,n/a\n"
                             f"Li Wei,{LABELLED_PHONE.replace('4567', '4568')}\n")
    repo.write("analysis.ipynb", code_notebook("x = 1\n", f"send_to = '{EMAIL}'\n",
                                           f"cc = '{OTHER_EMAIL}'\n"))
    second = repo.commit("more data")
    code, findings, _ = _history(run, repo)
    assert code == 1
    assert sorted(
        (f["path"], f["commit"]["sha"], f["line"], f.get("row"), f.get("field"), f.get("cell"))
        for f in findings
    ) == [
        ("analysis.ipynb", first, 1, None, "source", 2),
        ("analysis.ipynb", second, 1, None, "source", 3),
        ("people.csv", first, 2, 1, "phone", None),
        ("people.csv", second, 4, 3, "phone", None),
    ]
    # a depth-1 clone's one commit adds the whole tree: read the same way
    shallow = _history(run, repo.shallow_clone(repo.path.parent / "shallow"))[1]
    assert sorted((f["path"], f["line"], f.get("field"), f.get("cell")) for f in shallow) == [
        ("analysis.ipynb", 1, "source", 2), ("analysis.ipynb", 1, "source", 3),
        ("people.csv", 2, "phone", None), ("people.csv", 4, "phone", None),
    ]


def test_a_data_row_typed_into_a_merge_resolution_keeps_its_column(
    repo: Repo, run: Runner
) -> None:
    """A merge's remerge diff is against an automatic merge git does not
    keep: the new version alone still gives the row its column name."""
    from pii_vectors import LABELLED_PHONE

    repo.conflicting_merge("people.csv", "name,phone\nAna Lima,n/a\n",
                           "name,phone\nAna Lima,unknown\n", "name,phone\nAna Lima,none\n")
    repo.write("people.csv", f"name,phone\nAna Lima,{LABELLED_PHONE}\n")
    resolution = repo.commit("merge feature")
    _, findings, _ = _history(run, repo)
    assert [(f["path"], f["line"], f.get("field"), f["commit"]["sha"]) for f in findings] == [
        ("people.csv", 2, "phone", resolution)
    ]


def test_a_change_to_a_data_file_over_the_size_limit_keeps_its_header(
    repo: Repo, run: Runner
) -> None:
    """Only the new version's first line is needed beside the added lines:
    a data file over the size limit is read the same way."""
    from pii_vectors import EMAIL

    rows = "".join(f"{n},none\n" for n in range(40))
    repo.write("users.csv", f"id,contact\n{rows}")
    repo.commit("users")
    repo.write("users.csv", f"id,contact\n{rows}41,{EMAIL}\n")
    added = repo.commit("one more")
    result = run("scan", "--history", "--max-file-size", "200", "-f", "json", "-j", "1",
                 cwd=repo.path)
    assert [(f["path"], f["line"], f["commit"]["sha"], f.get("field")) for f in result.json()[
        "findings"]] == [("users.csv", 42, added, "contact")]


def test_added_text_over_the_size_limit_is_scanned_in_pieces(
    repo: Repo, run: Runner, tmp_path: Path
) -> None:
    """What a commit adds past the size limit is scanned in pieces, as the
    hook scans it; in a depth-1 clone's one commit too (read from its tree),
    where binary content over the limit is named as not scanned."""
    filler = "insert into t values (1);\n"
    repo.write("README", "start\n")
    repo.commit("start")
    repo.write("dump.sql", filler * 300 + f"-- {GITHUB_TOKEN}\n")
    repo.write("logo.bin", b"\0" * 5000)
    added = repo.commit("dump")
    result = run("scan", "--history", "--max-file-size", "4KB", "-f", "json", "-j", "1",
                 cwd=repo.path)
    assert _where(result.json()["findings"]) == [("commit", "dump.sql", 301, added)]
    shallow = repo.shallow_clone(tmp_path / "shallow")
    result = run("scan", "--history", "--max-file-size", "4KB", "-f", "json", "-j", "1",
                 cwd=shallow.path)
    assert [(f["path"], f["line"]) for f in result.json()["findings"]] == [("dump.sql", 301)]
    assert [(s["path"], s["reason"].split(" (")[0]) for s in result.json()["summary"][
        "skipped"]] == [("logo.bin", "larger than the size limit")]


def test_detached_head_and_worktree(repo: Repo, run: Runner, tmp_path: Path) -> None:
    repo.write("a.py", f"t = '{GITHUB_TOKEN}'\n")
    commit = repo.commit("leak")
    repo.git("checkout", "-q", "--detach", "HEAD")
    assert _where(_history(run, repo)[1]) == [("commit", "a.py", 1, commit)]
    worktree = tmp_path / "wt"
    repo.git("worktree", "add", "-q", str(worktree), "main")
    assert _where(_history(run, Repo(worktree))[1]) == [("commit", "a.py", 1, commit)]


def test_a_bad_revision_is_a_git_error_not_clean(repo: Repo, run: Runner) -> None:
    repo.write("a.txt", "a\n")
    repo.commit("start")
    result = run("scan", "--history", "--range", "nope..HEAD", cwd=repo.path)
    assert result.code == 2
    assert "git rev-list failed" in result.err and "nope" in result.err


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(("parent", "failing"), [(False, "git ls-tree"), (True, "git log")])
def test_a_corrupt_object_fails_the_scan_with_gits_message(
    repo: Repo, run: Runner, jobs: str, parent: bool, failing: str
) -> None:
    """git failing midway through a big commit (whose files are being handed
    to workers) is an environment error, never a clean or partial report.
    A commit without a parent is read as a tree, one with a parent as a patch."""
    if parent:
        repo.write("README", "first\n")
        repo.commit("first")
    rows = "".join(f"row_{n} = {n}\n" for n in range(PARALLEL_AFTER // 800))
    for number in range(80):
        repo.write(f"m{number:02d}.py", rows + f"last = {number}\n")
    repo.write("z.py", f"t = '{GITHUB_TOKEN}'\n")
    repo.commit("everything at once")
    blob = repo.git("rev-parse", "HEAD:m40.py").strip()
    stored = repo.path / ".git" / "objects" / blob[:2] / blob[2:]
    stored.chmod(0o644)
    stored.write_bytes(b"not a zlib stream")
    result = run("scan", "--history", "-f", "json", "-j", jobs, cwd=repo.path)
    assert result.code == 2
    assert f"{failing} failed" in result.err and blob in result.err
    assert result.out == ""


def test_outside_a_repository_is_an_error(tmp_path: Path, run: Runner) -> None:
    assert run("scan", "--history", cwd=tmp_path).code == 2
    assert run("scan", "--staged", cwd=tmp_path).code == 2
    # a folder that does not exist is taken for a revision: the error says so
    mistyped = run("scan", "--history", str(tmp_path / "no" / "repo"), cwd=tmp_path)
    assert mistyped.code == 2 and f"no folder '{tmp_path / 'no' / 'repo'}' exists" in mistyped.err


def test_parallel_history_agrees_with_serial(repo: Repo, run: Runner) -> None:
    for number in range(40):
        repo.write(f"f{number}.py", f"v = {number}\n" + (f"t = '{GITHUB_TOKEN}'\n" if number == 17 else ""))
        repo.commit(f"commit {number}")
    serial = run("scan", "--history", "-f", "json", "-j", "1", cwd=repo.path).json()["findings"]
    parallel = run("scan", "--history", "-f", "json", "-j", "2", cwd=repo.path).json()["findings"]
    assert serial == parallel and [f["path"] for f in serial] == ["f17.py"]


def test_one_big_commit_is_split_across_workers_with_the_same_findings(
    repo: Repo, run: Runner
) -> None:
    """A shallow clone's one commit holds the whole tree: its files are spread
    over the workers instead of the commits."""
    filler = "".join(f"row_{n} = {n * 7919 % 10007}\n" for n in range(PARALLEL_AFTER // 1000))
    for number in range(80):
        secret = {7: GITHUB_TOKEN, 51: OTHER_GITHUB_TOKEN}.get(number, "none")
        repo.write(f"m{number:02d}.py", f"{filler}t = '{secret}'\n")
    only = repo.commit("everything at once")
    serial = run("scan", "--history", "-f", "json", "-j", "1", cwd=repo.path).json()
    spread = run("scan", "--history", "-f", "json", "-j", "2", cwd=repo.path).json()
    assert serial["summary"]["bytes_scanned"] > PARALLEL_AFTER
    assert spread["findings"] == serial["findings"]
    assert _where(spread["findings"]) == [
        ("commit", "m07.py", filler.count("\n") + 1, only),
        ("commit", "m51.py", filler.count("\n") + 1, only),
    ]
    assert spread["summary"]["commits_scanned"] == 1


def test_incremental_scan_only_reads_new_commits(repo: Repo, run: Runner, tmp_path: Path) -> None:
    repo.write("a.py", f"t = '{GITHUB_TOKEN}'\n")
    repo.commit("old leak")
    first = run("scan", "--history", "--since-last-scan", "-f", "json", cwd=repo.path).json()
    assert first["summary"]["commits_scanned"] == 1 and len(first["findings"]) == 1
    assert (repo.path / ".git" / "leakguard" / "scan-state.json").is_file()
    repo.write("b.py", f"t = '{OTHER_GITHUB_TOKEN}'\n")
    new = repo.commit("new leak")
    second = run("scan", "--history", "--since-last-scan", "-f", "json", cwd=repo.path).json()
    assert second["summary"]["commits_scanned"] == 1
    assert [(f["path"], f["commit"]["sha"]) for f in second["findings"]] == [("b.py", new)]
    again = run("scan", "--history", "--since-last-scan", "-f", "json", cwd=repo.path).json()
    assert again["summary"]["commits_scanned"] == 0 and again["findings"] == []
    # a rules change invalidates the state: everything is scanned again
    extra = tmp_path / "extra.toml"
    extra.write_text(
        "[[rules]]\nid = 'demo-extra'\ndescription = 'x'\ntype = 'DEMO'\nkeywords = ['zzdemo']\n"
        "regex = '''(zzdemo[0-9]{6})'''\nexamples = ['zzdemo123456']\ncounterexamples = ['zzdemo']\n"
    )
    rescan = run("scan", "--history", "--since-last-scan", "--rules", str(extra), "-f", "json",
                 cwd=repo.path).json()
    assert rescan["summary"]["commits_scanned"] == 2


def test_untrusted_repository_config_runs_no_code(repo: Repo, run: Runner, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = f"touch {marker}"
    repo.write(".gitattributes", "*.py diff=evil\n")
    repo.write("a.py", f"t = '{GITHUB_TOKEN}'\n")
    repo.commit("start")
    repo.write("a.py", f"t = '{GITHUB_TOKEN}'\nu = '{OTHER_GITHUB_TOKEN}'\n")
    repo.git("add", "a.py")
    # configured after the last command of our own: git itself would run them
    for key, value in (("core.fsmonitor", evil), ("diff.external", evil), ("core.pager", evil),
                       ("diff.evil.textconv", evil), ("diff.evil.command", evil)):
        repo.git("config", key, value)
    (repo.path / ".git" / "hooks" / "post-checkout").write_text(f"#!/bin/sh\n{evil}\n")
    staged = run("scan", "--staged", "-f", "json", cwd=repo.path)
    history = run("scan", "--history", "-f", "json", cwd=repo.path)
    files = run("scan", ".", "-f", "json", cwd=repo.path)
    assert not marker.exists()
    assert [f["line"] for f in staged.json()["findings"]] == [2]
    assert history.code == 1 and files.code == 1


@pytest.mark.parametrize("first", [True, False])
def test_gitattributes_cannot_hide_history_as_binary(repo: Repo, run: Runner, first: bool) -> None:
    """A text file marked `-diff` is scanned at the commit that added the
    secret, whether that commit is read as a patch or (a root) as a tree."""
    repo.write(".gitattributes", "*.env -diff\n*.dat binary\n")
    repo.write("blob.dat", b"\x00\x01" + GITHUB_TOKEN.encode())
    if not first:
        repo.write("a.env", "X = 1\n")
        repo.commit("start")
    repo.write("a.env", f"X = 1\nTOKEN = '{GITHUB_TOKEN}'\n")
    added = repo.commit("add token")
    code, findings, document = _history(run, repo)
    assert code == 1
    assert _where(findings) == [("commit", "a.env", 2, added)]
    assert {"path": "blob.dat", "reason": "binary file"} in document["summary"]["skipped"]


@pytest.mark.parametrize("first", [True, False])
def test_text_behind_a_byte_order_mark_is_read_in_history(
    repo: Repo, run: Runner, first: bool
) -> None:
    """A UTF-16 file (NULs: binary to git) is scanned at each commit for the
    lines it gained, whether the commit is read as a patch or as a tree."""
    if not first:
        repo.write("readme.txt", "hello\n")
        repo.commit("start")
    repo.write("deploy.ps1", f"$a = '{GITHUB_TOKEN}'\r\nWrite-Host a\r\n".encode("utf-16"))
    added = repo.commit("script")
    repo.write("deploy.ps1", f"$a = '{GITHUB_TOKEN}'\r\nWrite-Host a\r\n"
                             f"$b = '{OTHER_GITHUB_TOKEN}'\r\n".encode("utf-16"))
    changed = repo.commit("more")
    code, findings, _ = _history(run, repo)
    assert code == 1
    assert _where(findings) == sorted([
        ("commit", "deploy.ps1", 1, added), ("commit", "deploy.ps1", 3, changed)
    ])


@pytest.mark.parametrize("first", [True, False])
def test_sqlite_rows_are_read_in_history(repo: Repo, run: Runner, first: bool) -> None:
    """Each commit's new rows of a SQLite database, read as a patch's binary
    or as a tree's file."""
    import sqlite3

    if not first:
        repo.write("readme.txt", "hello\n")
        repo.commit("start")
    connection = sqlite3.connect(repo.path / "app.db")
    connection.execute("CREATE TABLE tokens (id INTEGER, value TEXT)")
    connection.execute("INSERT INTO tokens VALUES (1, ?)", (GITHUB_TOKEN,))
    connection.commit()
    added = repo.commit("fixture")
    connection.execute("INSERT INTO tokens VALUES (2, ?)", (OTHER_GITHUB_TOKEN,))
    connection.commit()
    connection.close()
    more = repo.commit("more")
    code, findings, _ = _history(run, repo)
    assert code == 1
    assert sorted((f["path"], f.get("row"), f["commit"]["sha"]) for f in findings) == sorted([
        ("app.db", 1, added), ("app.db", 2, more)
    ])


def test_blobs_and_trees_a_ref_points_at_are_scanned(repo: Repo, run: Runner) -> None:
    """`git tag keys <blob>` (git.git keeps its maintainers' keys so) puts
    content in the repository, pushed and cloned with the tags, that no
    commit holds: no history scan read it, even with every --include."""
    repo.write("a.txt", "a\n")
    repo.commit("start")
    blob = repo.git("hash-object", "-w", "--stdin", input_text=f"key {GITHUB_TOKEN}\n").strip()
    inner = repo.git("hash-object", "-w", "--stdin", input_text=f"k={OTHER_GITHUB_TOKEN}\n")
    tree = repo.git("mktree", input_text=f"100644 blob {inner.strip()}\tcreds.txt\n").strip()
    repo.git("tag", "key", blob)
    repo.git("tag", "-a", "-m", "the key", "signed-key", blob)
    repo.git("tag", "bundle", tree)
    code, findings, _ = _history(run, repo)
    assert code == 1
    assert _where(findings) == [
        ("ref", "refs/tags/bundle:creds.txt", 1, ""), ("ref", "refs/tags/key", 1, ""),
        ("ref", "refs/tags/signed-key", 1, ""),
    ]
    # a range or a branch reads commits only
    assert _history(run, repo, "--branch", "main")[1] == []


def test_a_tag_of_a_tag_is_followed_to_its_end(repo: Repo, run: Runner) -> None:
    """git allows a tag of a tag (with a warning): with the inner tag's ref
    deleted, only the chain reaches the blob and the inner tag's message,
    and both were left unread (one level of peeling)."""
    repo.write("a.txt", "a\n")
    repo.commit("start")
    blob = repo.git("hash-object", "-w", "--stdin", input_text=f"key {GITHUB_TOKEN}\n").strip()
    repo.git("tag", "-a", "-m", "inner", "inner", blob)
    repo.git("tag", "-a", "-m", "outer", "outer", "inner")
    repo.git("tag", "-a", "-m", f"notes {OTHER_GITHUB_TOKEN}", "inner-note", "HEAD")
    repo.git("tag", "-a", "-m", "release", "release", "inner-note")
    repo.git("tag", "-d", "inner", "inner-note")
    code, findings, _ = _history(run, repo, "--include", "tags")
    assert code == 1
    assert sorted((f["origin"], f["path"]) for f in findings) == [
        ("ref", "refs/tags/outer"), ("tag", "(tag release → inner-note)")
    ]


def test_repository_config_cannot_hide_the_first_commit(repo: Repo, run: Runner) -> None:
    """log.showRoot=false drops the first commit's patch from git log."""
    repo.write("first.py", f"token = '{GITHUB_TOKEN}'\n")
    first = repo.commit("first")
    for number in range(10):  # enough commits to be read as patches, in batches
        repo.write("counter.txt", f"{number}\n")
        repo.commit(f"count {number}")
    repo.git("config", "log.showRoot", "false")
    code, findings, _ = _history(run, repo)
    assert code == 1
    assert _where(findings) == [("commit", "first.py", 1, first)]


@pytest.mark.parametrize("encoding", ["UTF-16", "ISO-8859-1"])
def test_repository_config_cannot_reencode_history_out_of_reach(
    repo: Repo, run: Runner, encoding: str
) -> None:
    """i18n.logOutputEncoding re-encodes git log's output: as UTF-16, the
    NUL-separated fields history is read by were not found, and the scan said
    "No leaks found" over a leaked token in a file and in a message."""
    repo.write("app.py", "x = 1\n")
    repo.commit("start")
    repo.write("app.py", f"x = 1\ntoken = '{GITHUB_TOKEN}'\n")
    added = repo.commit(f"add {GITHUB_TOKEN}")
    repo.git("config", "i18n.logOutputEncoding", encoding)
    code, findings, _ = _history(run, repo)
    assert code == 1
    assert _where(findings) == [
        ("commit", "app.py", 2, added), ("message", "(commit message)", 1, added)
    ]


def test_a_replace_ref_cannot_stand_in_for_a_commit(repo: Repo, run: Runner) -> None:
    """`git replace` makes git show another commit in place of one: the
    audit reads the real one."""
    repo.write("app.py", "x = 1\n")
    repo.commit("start")
    repo.write("app.py", f"x = 1\ntoken = '{GITHUB_TOKEN}'\n")
    real = repo.commit("add token")
    repo.git("checkout", "-q", "HEAD~1")
    repo.write("app.py", "x = 1\ny = 2\n")
    decoy = repo.commit("add token")
    repo.git("checkout", "-q", "main")
    repo.git("replace", real, decoy)
    code, findings, _ = _history(run, repo)
    assert code == 1
    assert _where(findings) == [("commit", "app.py", 2, real)]


def test_a_graft_file_cannot_rewrite_a_commits_parents(repo: Repo, run: Runner) -> None:
    """.git/info/grafts (deprecated, still read by git) can give a commit
    other parents, so another diff: the audit diffs against the real ones."""
    repo.write("app.py", "x = 1\n")
    repo.commit("start")
    repo.write("app.py", f"x = 1\ntoken = '{GITHUB_TOKEN}'\n")
    real = repo.commit("add token")
    (repo.path / ".git" / "info").mkdir(exist_ok=True)
    (repo.path / ".git" / "info" / "grafts").write_text(f"{real} {real}\n")  # its own parent
    code, findings, _ = _history(run, repo)
    assert code == 1
    assert _where(findings) == [("commit", "app.py", 2, real)]
