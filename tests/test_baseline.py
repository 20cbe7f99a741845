"""The baseline: known findings stay quiet, new ones do not, and the file
never holds a secret."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import GIT_ENV, Repo, Run
from vectors import GITHUB_TOKEN, OTHER_GITHUB_TOKEN

from leakguard.baseline import BASELINE_NAME, Entry, load, render
from leakguard.errors import BaselineError

Runner = Callable[..., Run]
THIRD = "ghp_Zr8wQ3nV6kX1tY4mB7pL2sD9fH5jC0aE3uGi"


def _findings(run: Runner, repo: Repo, *args: str) -> list[tuple[str, int]]:
    result = run("scan", ".", "-f", "json", *args, cwd=repo.path)
    return [(f["path"], f["line"]) for f in result.json()["findings"]]


@pytest.fixture
def baselined(repo: Repo, run: Runner) -> Repo:
    repo.write("settings.py", f"A = 1\nTOKEN = '{GITHUB_TOKEN}'\nB = 2\n")
    repo.commit("start")
    created = run("baseline", "create", cwd=repo.path)
    assert created.code == 0, created.err
    assert "1 added" in created.out
    return repo


def test_a_baselined_finding_stays_quiet(baselined: Repo, run: Runner) -> None:
    assert run("scan", ".", cwd=baselined.path).code == 0
    assert _findings(run, baselined, "--no-baseline") == [("settings.py", 2)]


def test_moving_the_secret_or_adding_lines_above_keeps_it_quiet(baselined: Repo, run: Runner) -> None:
    baselined.write("settings.py", "# new header\n\n\nA = 1\nB = 2\n\n" + f"TOKEN = '{GITHUB_TOKEN}'\n")
    assert _findings(run, baselined) == []


def test_changing_the_secret_on_that_line_brings_it_back(baselined: Repo, run: Runner) -> None:
    baselined.write("settings.py", f"A = 1\nTOKEN = '{OTHER_GITHUB_TOKEN}'\nB = 2\n")
    assert _findings(run, baselined) == [("settings.py", 2)]


def test_a_second_secret_in_the_same_file_is_reported(baselined: Repo, run: Runner) -> None:
    baselined.write("settings.py", f"A = 1\nTOKEN = '{GITHUB_TOKEN}'\nB = '{THIRD}'\n")
    assert _findings(run, baselined) == [("settings.py", 3)]


def test_the_baseline_holds_no_secret(baselined: Repo, run: Runner) -> None:
    text = (baselined.path / BASELINE_NAME).read_text()
    for secret in (GITHUB_TOKEN, GITHUB_TOKEN[4:], GITHUB_TOKEN[-12:]):
        assert secret not in text
    [entry] = json.loads(text)["entries"][:-1]
    assert (entry["rule_id"], entry["path"], entry["line"], entry["label"]) == (
        "github-pat", "settings.py", 2, "unreviewed")


def test_suppressed_by_the_baseline_is_visible(baselined: Repo, run: Runner) -> None:
    result = run("scan", ".", "-f", "json", "--show-suppressed", cwd=baselined.path)
    [hidden] = [s for s in result.json()["suppressed"] if s["suppressed_by"]["stage"] == "baseline"]
    assert "in the baseline .leakguard-baseline.json (unreviewed)" in hidden["suppressed_by"]["reason"]


def test_a_scan_never_rewrites_the_baseline(baselined: Repo, run: Runner) -> None:
    path = baselined.path / BASELINE_NAME
    before = path.read_bytes()
    baselined.write("other.py", f"X = '{THIRD}'\n")
    assert run("scan", ".", cwd=baselined.path).code == 1
    assert path.read_bytes() == before


def test_update_adds_and_prunes(baselined: Repo, run: Runner) -> None:
    baselined.write("other.py", f"X = '{THIRD}'\n")
    added = run("baseline", "update", cwd=baselined.path)
    assert added.code == 0 and "1 added, 0 removed, 1 kept" in added.out
    assert "+ other.py:1  github-pat" in added.out
    baselined.write("settings.py", "A = 1\n")
    kept = run("baseline", "update", cwd=baselined.path)
    assert "0 added, 0 removed, 2 kept" in kept.out
    pruned = run("baseline", "update", "--prune", cwd=baselined.path)
    assert "0 added, 1 removed, 1 kept" in pruned.out and "- settings.py:2" in pruned.out


def test_create_refuses_to_overwrite(baselined: Repo, run: Runner) -> None:
    assert run("baseline", "create", cwd=baselined.path).code == 2
    assert run("baseline", "create", "--force", cwd=baselined.path).code == 0


def test_two_branches_adding_entries_merge_cleanly(baselined: Repo, run: Runner) -> None:
    assert (baselined.path / ".gitattributes").read_text() == f"{BASELINE_NAME} merge=union\n"
    baselined.commit("baseline")
    baselined.git("checkout", "-q", "-b", "one")
    baselined.write("aaa.py", f"X = '{OTHER_GITHUB_TOKEN}'\n")
    assert run("baseline", "update", cwd=baselined.path).code == 0
    baselined.commit("one")
    baselined.git("checkout", "-q", "main")
    baselined.git("checkout", "-q", "-b", "two")
    baselined.write("aab.py", f"Y = '{THIRD}'\n")
    assert run("baseline", "update", cwd=baselined.path).code == 0
    baselined.commit("two")
    merged = subprocess.run(["git", "merge", "-q", "--no-edit", "one"], cwd=baselined.path,
                            capture_output=True, text=True, env={**GIT_ENV, "PATH": "/usr/bin:/bin"},
                            check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    entries = load(baselined.path / BASELINE_NAME).entries
    assert sorted(e.path for e in entries.values()) == ["aaa.py", "aab.py", "settings.py"]
    assert run("scan", ".", cwd=baselined.path).code == 0


def test_history_baseline(repo: Repo, run: Runner) -> None:
    repo.write("a.py", f"T = '{GITHUB_TOKEN}'\n")
    commit = repo.commit("leak")
    repo.write("a.py", "T = None\n")
    repo.commit("fix")
    assert run("scan", "--history", cwd=repo.path).code == 1
    assert run("baseline", "create", "--history", cwd=repo.path).code == 0
    entry = json.loads((repo.path / BASELINE_NAME).read_text())["entries"][0]
    assert entry["commit"] == commit
    assert run("scan", "--history", cwd=repo.path).code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", ":1:2: the baseline is not valid JSON"),
     ('{"version": 9, "entries": []}', "not a leakguard baseline"),
     ('{"version": 1, "entries": [{"fingerprint": "short"}]}', "entry 1: 'fingerprint'"),
     ('{"version": 1, "entries": [{"fingerprint": "' + "a" * 32 + '", "label": "meh"}]}', "'label' must be one of")],
)
def test_a_malformed_baseline_exits_two_naming_the_file(
    repo: Repo, run: Runner, content: str, message: str
) -> None:
    (repo.path / BASELINE_NAME).write_text(content)
    result = run("scan", ".", cwd=repo.path)
    assert result.code == 2
    assert str(repo.path / BASELINE_NAME) in result.err and message in result.err


def test_an_explicit_missing_baseline_is_an_error(repo: Repo, run: Runner) -> None:
    result = run("scan", ".", "--baseline", "nope.json", cwd=repo.path)
    assert result.code == 2 and "nope.json: baseline file not found" in result.err


def test_render_is_sorted_one_entry_per_line_and_round_trips(tmp_path: Path) -> None:
    entries = [Entry("b" * 32, "r2", "z.py", 3), Entry("a" * 32, "r1", "a.py", 1, label="accepted")]
    text = render(entries)
    lines = text.splitlines()
    assert lines[1].startswith('{"fingerprint": "aaaa') and lines[2].startswith('{"fingerprint": "bbbb')
    assert all(line.endswith(",") for line in lines[1:3])
    path = tmp_path / "b.json"
    path.write_text(text)
    assert sorted(load(path).entries.values(), key=lambda e: e.path) == sorted(entries, key=lambda e: e.path)


def test_load_rejects_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="not found"):
        load(tmp_path / "absent.json")


def test_audit_labels_entries_and_they_persist(baselined: Repo, run: Runner) -> None:
    baselined.write("other.py", f"X = '{THIRD}'\n")
    assert run("baseline", "update", cwd=baselined.path).code == 0
    answers = b"f\nfixture from the docs\nx\na\nrotated 2026-01\n"
    walked = run("baseline", "audit", "--interactive", cwd=baselined.path, stdin=answers)
    assert walked.code == 0
    assert "TOKEN = '*****'" in walked.out and GITHUB_TOKEN not in walked.out
    report = run("baseline", "audit", "--report", cwd=baselined.path)
    assert "2 baseline entries: 0 unreviewed, 0 real, 1 false-positive, 1 accepted" in report.out
    assert "fixture from the docs" in report.out and "rotated 2026-01" in report.out
    # labels survive an update
    assert run("baseline", "update", cwd=baselined.path).code == 0
    labels = {e.path: e.label for e in load(baselined.path / BASELINE_NAME).entries.values()}
    assert labels == {"other.py": "false-positive", "settings.py": "accepted"}
