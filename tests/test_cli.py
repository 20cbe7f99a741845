from __future__ import annotations

import argparse
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Repo, Run
from vectors import GITHUB_TOKEN, OTHER_GITHUB_TOKEN

from leakguard import commands
from leakguard.cli import build_parser
from leakguard.parallel import PARALLEL_AFTER

Runner = Callable[..., Run]


def test_clean_folder_exits_zero(tmp_path: Path, run: Runner) -> None:
    (tmp_path / "app.py").write_text("print('hello')\n")
    result = run("scan", str(tmp_path), "--no-git")
    assert result.code == 0
    assert "No leaks found" in result.out


def test_planted_secret_exits_one_and_is_masked(tmp_path: Path, run: Runner) -> None:
    (tmp_path / "settings.py").write_text(f'TOKEN = "{GITHUB_TOKEN}"\n')
    result = run("scan", str(tmp_path), "--no-git")
    assert result.code == 1
    assert "settings.py:1:10" in result.out and "github-pat" in result.out
    assert GITHUB_TOKEN not in result.out + result.err
    assert GITHUB_TOKEN[:8] not in result.out


@pytest.mark.parametrize("fmt", ["text", "sarif", "junit"])
def test_values_sharing_a_line_are_all_masked(tmp_path: Path, run: Runner, fmt: str) -> None:
    """The formats that show a finding's line showed the other values on it
    in clear (two tokens in one literal: each line masked only its own)."""
    email = "maria.gonzalez84@gmail.com"
    (tmp_path / "creds.py").write_text(
        f'CREDS = {{"a": "{GITHUB_TOKEN}", "b": "{OTHER_GITHUB_TOKEN}", "mail": "{email}"}}\n'
    )
    result = run("scan", str(tmp_path), "--no-git", "-f", fmt, "--show-suppressed")
    assert result.code == 1 and "github-pat" in result.out
    for value in (GITHUB_TOKEN, OTHER_GITHUB_TOKEN, email):
        assert value not in result.out + result.err


def test_a_token_in_notebook_metadata_is_found(tmp_path: Path, run: Runner) -> None:
    import json

    (tmp_path / "run.ipynb").write_text(json.dumps({
        "cells": [{"cell_type": "code", "source": "x = 1", "metadata": {}, "outputs": []}],
        "metadata": {"env": {"TOKEN": GITHUB_TOKEN}}, "nbformat": 4, "nbformat_minor": 5,
    }))
    result = run("scan", str(tmp_path), "--no-git")
    assert result.code == 1
    assert "run.ipynb:4:" in result.out and "(metadata, line 4)" in result.out


def test_a_token_in_a_sqlite_fixture_is_found(tmp_path: Path, run: Runner) -> None:
    import sqlite3

    connection = sqlite3.connect(tmp_path / "db.sqlite3")
    connection.execute("CREATE TABLE settings (key TEXT, value TEXT)")
    connection.execute("INSERT INTO settings VALUES ('deploy', ?)", (GITHUB_TOKEN,))
    connection.commit()
    connection.close()
    (tmp_path / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0" + GITHUB_TOKEN.encode() + b"\0")
    result = run("scan", str(tmp_path), "--no-git", "-f", "json")
    assert result.code == 1
    assert [(f["path"], f.get("row"), f.get("field")) for f in result.json()["findings"]] == [
        ("db.sqlite3", 1, "settings.value")
    ]
    assert {"path": "Thumbs.db", "reason": "binary file"} in result.json()["summary"]["skipped"]


def test_what_gitignore_left_out_is_counted(repo: Repo, run: Runner) -> None:
    """A folder scan through git honours .gitignore and says what it left
    out: an audit must not read as if it had seen every file."""
    repo.write(".gitignore", ".env\nbuild/\n")
    repo.write(".env", f"TOKEN={GITHUB_TOKEN}\n")
    repo.write("build/out.txt", "x\n")
    repo.write("app.py", "x = 1\n")
    result = run("scan", ".", cwd=repo.path)
    assert result.code == 0
    assert "note: 2 path(s) .gitignore excludes were not scanned" in result.out
    assert "note:" not in run("scan", "app.py", cwd=repo.path).out  # a file: asked for
    assert run("scan", ".", "--no-git", cwd=repo.path).code == 1


@pytest.mark.parametrize("folder", ["build", "build/cache/v1"])
def test_a_named_ignored_folder_is_scanned_whole(repo: Repo, run: Runner, folder: str) -> None:
    """As a named ignored file is. Below an ignored folder git lists nothing
    (and `ls-files --ignored --directory` fails two levels down): the scan
    must neither come back empty nor stop."""
    repo.write(".gitignore", "build/\n")
    repo.write("build/cache/v1/settings.py", f"TOKEN = '{GITHUB_TOKEN}'\n")
    repo.write("app.py", "x = 1\n")
    result = run("scan", folder, "-f", "json", cwd=repo.path)
    assert result.code == 1, result.err
    document = result.json()
    assert [f["path"] for f in document["findings"]] == ["build/cache/v1/settings.py"]
    assert document["summary"]["files_scanned"] == 1
    assert "note:" not in run("scan", folder, cwd=repo.path).out


@pytest.mark.parametrize("through_git", [True, False])
def test_a_folder_the_user_cannot_read_makes_the_scan_incomplete(
    repo: Repo, through_git: bool
) -> None:
    """git lists what it can and only warns about a folder it cannot open
    (exit 0), and os.walk passes over one in silence: a token there was "No
    leaks found". Run as a user the folder refuses (as root, in a user
    namespace, where root's files are as anybody's)."""
    repo.write("app.py", "x = 1\n")
    repo.commit("start")
    locked = repo.path / "volumes" / "db"
    locked.mkdir(parents=True)
    (locked / "settings.py").write_text(f"TOKEN = '{GITHUB_TOKEN}'\n")
    locked.chmod(0)
    command = [sys.executable, "-m", "leakguard", "scan", ".", *([] if through_git else ["--no-git"])]
    if os.geteuid() == 0:
        probe = shutil.which("unshare") and subprocess.run(
            ["unshare", "--user", "true"], capture_output=True, check=False
        )
        if not probe or probe.returncode != 0:  # no util-linux, or no user namespaces
            pytest.skip("as root, refusing a folder needs a user namespace, not allowed here")
        command = ["unshare", "--user", *command]
    try:
        result = subprocess.run(command, cwd=repo.path, capture_output=True, text=True, check=False)
    finally:
        locked.chmod(0o755)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "error: volumes/db: cannot list folder: Permission denied" in result.stdout


def test_partial_redaction_keeps_only_a_prefix(tmp_path: Path, run: Runner) -> None:
    (tmp_path / "settings.py").write_text(f'TOKEN = "{GITHUB_TOKEN}"\n')
    result = run("scan", str(tmp_path), "--no-git", "--redact", "partial", "-f", "json")
    [finding] = result.json()["findings"]
    assert finding["secret"].startswith("ghp_") and GITHUB_TOKEN[4:10] not in result.out


def test_show_secrets_is_explicit_and_warns(tmp_path: Path, run: Runner) -> None:
    (tmp_path / "settings.py").write_text(f'TOKEN = "{GITHUB_TOKEN}"\n')
    result = run("scan", str(tmp_path), "--no-git", "--show-secrets")
    assert GITHUB_TOKEN in result.out
    assert "warning" in result.err


def test_json_report_contract(tmp_path: Path, run: Runner) -> None:
    (tmp_path / "a.env").write_text(f"X=1\nGITHUB_TOKEN={GITHUB_TOKEN}\n")
    result = run("scan", str(tmp_path), "--no-git", "--format", "json")
    document = result.json()
    assert result.code == 1
    assert document["version"] == 1
    [finding] = document["findings"]
    assert set(finding) >= {
        "rule_id", "kind", "type", "description", "path", "line", "column", "end_line",
        "secret", "fingerprint", "confidence", "severity", "commit",
    }
    assert (finding["path"], finding["line"], finding["column"]) == ("a.env", 2, 14)
    assert (finding["kind"], finding["type"], finding["commit"]) == ("secret", "GITHUB_TOKEN", None)
    assert finding["secret"] != GITHUB_TOKEN
    assert document["summary"]["findings"] == 1
    assert document["summary"]["files_scanned"] == 1


def test_stdin(run: Runner) -> None:
    result = run("scan", "-", "-f", "json", stdin=f"token={GITHUB_TOKEN}\n".encode())
    assert result.code == 1
    assert result.json()["findings"][0]["path"] == "<stdin>"


def test_paths_are_repository_relative_whatever_the_scan_root(repo: Repo, run: Runner) -> None:
    repo.write("src/app/config.py", f"TOKEN = '{GITHUB_TOKEN}'\n")
    repo.commit("add config")
    whole = run("scan", ".", "-f", "json", cwd=repo.path).json()["findings"]
    sub = run("scan", "src", "-f", "json", cwd=repo.path).json()["findings"]
    deep = run("scan", str(repo.path / "src" / "app"), "-f", "json").json()["findings"]
    assert [f["path"] for f in whole] == ["src/app/config.py"]
    assert [f["fingerprint"] for f in whole] == [f["fingerprint"] for f in sub]
    assert [f["fingerprint"] for f in sub] == [f["fingerprint"] for f in deep]


def test_gitignored_files_are_skipped_unless_no_git(repo: Repo, run: Runner) -> None:
    repo.write(".gitignore", "secrets.txt\n")
    repo.write("secrets.txt", f"{GITHUB_TOKEN}\n")
    repo.commit("ignore")
    assert run("scan", str(repo.path)).code == 0
    assert run("scan", str(repo.path), "--no-git").code == 1


def test_binary_huge_and_odd_encodings_are_reported_not_fatal(tmp_path: Path, run: Runner) -> None:
    (tmp_path / "image.dat").write_bytes(b"\x00\x01" * 100)
    (tmp_path / "big.txt").write_text("y" * 5000)
    (tmp_path / "legacy.txt").write_bytes("caf\u00e9 ".encode("latin-1") + GITHUB_TOKEN.encode())
    (tmp_path / "windows.txt").write_bytes(f"a\r\nt={OTHER_GITHUB_TOKEN}\r\n".encode())
    result = run("scan", str(tmp_path), "--no-git", "--max-file-size", "4KB", "-f", "json")
    document = result.json()
    assert result.code == 1
    assert sorted((f["path"], f["line"]) for f in document["findings"]) == [
        ("legacy.txt", 1), ("windows.txt", 2)
    ]
    reasons = {item["path"]: item["reason"] for item in document["summary"]["skipped"]}
    assert reasons["image.dat"] == "binary file"
    assert "size limit" in reasons["big.txt"]


def test_a_path_that_cannot_be_scanned_is_never_clean(tmp_path: Path, run: Runner) -> None:
    result = run("scan", str(tmp_path / "missing"), "--no-git")
    assert result.code == 2
    assert "no such file" in result.out


@pytest.mark.parametrize(
    "args",
    [("scan", "--format", "xml"), ("scan", "--jobs", "0"), ("frobnicate",), ("scan", "--max-file-size", "big")],
)
def test_usage_errors_exit_two(args: tuple[str, ...], run: Runner) -> None:
    result = run(*args)
    assert result.code == 2
    assert result.err.startswith("leakguard: error:")


def test_no_command_prints_help_and_exits_two(run: Runner) -> None:
    result = run()
    assert result.code == 2 and "usage:" in result.err


def test_help_exits_zero(run: Runner) -> None:
    assert run("--help").code == 0


def test_broken_config_exits_two_naming_the_file(tmp_path: Path, run: Runner) -> None:
    config = tmp_path / "lg.toml"
    config.write_text("max_file_size = [1]\n")
    result = run("scan", str(tmp_path), "--no-git", "--config", str(config))
    assert result.code == 2
    assert f"{config}:1: 'max_file_size'" in result.err


def test_broken_rule_file_exits_two_naming_file_line_and_rule(tmp_path: Path, run: Runner) -> None:
    rules = tmp_path / "mine.toml"
    rules.write_text("# mine\n[[rules]]\nid = 'mine'\ndescription = 'x'\ntype = 'X'\nregex = '(a'\n")
    result = run("scan", str(tmp_path), "--no-git", "--rules", str(rules))
    assert result.code == 2
    assert f"{rules}:2: rule 'mine': regex does not compile" in result.err


def test_internal_errors_exit_three_without_traceback(
    tmp_path: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(commands, "run_scan", explode)
    result = run("scan", str(tmp_path))
    assert result.code == 3
    assert "internal error: RuntimeError: boom" in result.err
    assert "Traceback" not in result.err
    debug = run("--debug", "scan", str(tmp_path))
    assert debug.code == 3 and "Traceback" in debug.err


def test_report_file_is_owner_only(tmp_path: Path, run: Runner) -> None:
    (tmp_path / "a.py").write_text(f"t = '{GITHUB_TOKEN}'\n")
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    result = run("scan", str(tmp_path / "a.py"), "--no-git", "-f", "json", "-o", str(report))
    assert result.code == 1 and result.out == ""
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert GITHUB_TOKEN not in report.read_text()


def test_parallel_and_serial_scans_agree(tmp_path: Path, run: Runner) -> None:
    # enough text that two jobs really start worker processes
    filler = "".join(f"row_{n} = {n * 7919 % 10007}\n" for n in range(PARALLEL_AFTER // 1000))
    for number in range(120):
        secret = GITHUB_TOKEN if number == 7 else OTHER_GITHUB_TOKEN if number == 99 else "none"
        (tmp_path / f"file{number:03d}.py").write_text(f"value = '{secret}'\n{filler}")
    assert sum(path.stat().st_size for path in tmp_path.iterdir()) > PARALLEL_AFTER
    serial = run("scan", str(tmp_path), "--no-git", "-j", "1", "-f", "json").json()
    parallel = run("scan", str(tmp_path), "--no-git", "-j", "2", "-f", "json").json()
    assert serial["findings"] == parallel["findings"]
    assert [f["path"] for f in serial["findings"]] == ["file007.py", "file099.py"]
    assert serial["summary"]["files_scanned"] == parallel["summary"]["files_scanned"] == 120


def test_rules_list_prints_one_rule_per_line(run: Runner) -> None:
    result = run("rules", "list")
    lines = result.out.splitlines()
    assert result.code == 0 and len(lines) >= 100
    assert all(len(line.split("\t")) == 3 for line in lines)
    assert "github-pat\tsecret\tGitHub personal access token (classic)" in lines


def test_rules_check_on_shipped_rules(run: Runner) -> None:
    result = run("rules", "check")
    assert result.code == 0, result.out
    assert result.out.rstrip().endswith("0 problem(s)")


def test_module_entry_point_runs() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "leakguard", "--version"], capture_output=True, text=True,
        check=False, env={**os.environ},
    )
    assert completed.returncode == 0
    assert completed.stdout.startswith("leakguard ")


def _notebook(source: str, output: str) -> str:
    import json

    return json.dumps({"cells": [
        {"cell_type": "markdown", "source": "# notes", "metadata": {}},
        {"cell_type": "code", "source": ["x = 1\n", source], "metadata": {}, "execution_count": 1,
         "outputs": [{"output_type": "stream", "name": "stdout", "text": [output]}]},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


def test_reports_show_cell_row_and_field_and_pii_apart_from_secrets(
    tmp_path: Path, run: Runner
) -> None:
    from pii_vectors import EMAIL, OTHER_EMAIL, PHONE

    (tmp_path / "nb.ipynb").write_text(_notebook(f"to = '{EMAIL}'\n", f"call {PHONE}\n"))
    (tmp_path / "users.csv").write_text(f"id,contact\n1,{OTHER_EMAIL}\n")
    (tmp_path / "settings.py").write_text(f'TOKEN = "{GITHUB_TOKEN}"\n')
    document = run("scan", str(tmp_path), "--no-git", "-f", "json").json()
    where = sorted((f["path"], f["type"], f["line"], f.get("cell"), f.get("row"), f.get("field"))
                   for f in document["findings"])
    assert where == [
        ("nb.ipynb", "EMAIL", 2, 2, None, "source"),
        ("nb.ipynb", "PHONE", 1, 2, None, "outputs[0].text"),
        ("settings.py", "GITHUB_TOKEN", 1, None, None, None),
        ("users.csv", "EMAIL", 2, None, 1, "contact"),
    ]
    text = run("scan", str(tmp_path), "--no-git").out
    assert "nb.ipynb:2:7 (cell 2, line 2)" in text
    assert "nb.ipynb:1:6 (cell 2, line 1, outputs[0].text)" in text
    assert "users.csv:2:3 (row 1, field contact)" in text
    assert text.index("Secrets (1)") < text.index("Personal data (3)")
    assert EMAIL not in text and PHONE not in text


def test_a_column_level_finding_shows_its_count(tmp_path: Path, run: Runner) -> None:
    rows = "".join(f"{n},user.{n}@gmail.com\n" for n in range(40))
    (tmp_path / "users.csv").write_text("id,email\n" + rows)
    result = run("scan", str(tmp_path), "--no-git", "-f", "json")
    [finding] = result.json()["findings"]
    assert (finding["count"], finding["field"], finding["row"]) == (40, "email", 1)
    assert "(column email: 40 values, first in row 1)" in run("scan", str(tmp_path), "--no-git").out


@pytest.mark.parametrize(("header", "found"), [("name,ssn", True), ("name,order_number", False)])
def test_bare_ssns_are_found_by_their_column_only(
    tmp_path: Path, run: Runner, header: str, found: bool
) -> None:
    """Nine bare digits are an SSN in an SSN column, not in every number column."""
    (tmp_path / "people.csv").write_text(f"{header}\nana,536228137\nbo,412719035\n")
    document = run("scan", str(tmp_path), "--no-git", "-f", "json").json()
    kinds = [(f["type"], f["field"], f["row"]) for f in document["findings"]]
    assert kinds == ([("US_SSN", "ssn", 1), ("US_SSN", "ssn", 2)] if found else [])


MIXED_CONFIDENCE = (
    f'TOKEN = "{GITHUB_TOKEN}"\n'            # checksum matches: high
    f'OTHER = "{OTHER_GITHUB_TOKEN}"\n'      # checksum fails: low
    'DB_PASSWORD = "Y5ub&iheyEd7P4"\n'       # the generic detector: low
)


def _confidences(result: Run) -> tuple[list[str], list[tuple[str, str]]]:
    document = result.json()
    return (
        [f["confidence"] for f in document["findings"]],
        [(f["confidence"], f["suppressed_by"]["stage"]) for f in document.get("suppressed", [])],
    )


@pytest.mark.parametrize(
    ("minimum", "reported"),
    [("low", ["high", "low", "low"]), ("medium", ["high"]), ("high", ["high"])],
)
def test_min_confidence_suppresses_what_is_less_sure(
    tmp_path: Path, run: Runner, minimum: str, reported: list[str]
) -> None:
    (tmp_path / "app.py").write_text(MIXED_CONFIDENCE)
    result = run("scan", ".", "--no-git", "-f", "json", "--show-suppressed",
                 "--min-confidence", minimum, cwd=tmp_path)
    findings, suppressed = _confidences(result)
    assert findings == reported
    assert [item for item in suppressed if item[1] == "confidence"] == [
        ("low", "confidence")] * (3 - len(reported))


def test_min_confidence_reason_says_why(tmp_path: Path, run: Runner) -> None:
    (tmp_path / "app.py").write_text(MIXED_CONFIDENCE)
    result = run("scan", ".", "--no-git", "--show-suppressed", "--min-confidence", "high",
                 cwd=tmp_path)
    assert "suppressed (confidence): low confidence is below the minimum high" in result.out
    assert "checksum does not match" in result.out


def test_min_confidence_from_the_config_and_the_flag_wins(tmp_path: Path, run: Runner) -> None:
    (tmp_path / "app.py").write_text(MIXED_CONFIDENCE)
    (tmp_path / ".leakguard.toml").write_text('min_confidence = "high"\n')
    assert _confidences(run("scan", ".", "--no-git", "-f", "json", cwd=tmp_path))[0] == ["high"]
    flag = run("scan", ".", "--no-git", "-f", "json", "--min-confidence", "low", cwd=tmp_path)
    assert len(_confidences(flag)[0]) == 3


def test_the_hook_minimum_applies_to_staged_scans_only(repo: Repo, run: Runner) -> None:
    repo.write(".leakguard.toml", '[hook]\nmin_confidence = "high"\n')
    repo.write("app.py", MIXED_CONFIDENCE)
    repo.git("add", "app.py", ".leakguard.toml")
    staged = run("scan", "--staged", "-f", "json", cwd=repo.path)
    files = run("scan", ".", "-f", "json", cwd=repo.path)
    assert _confidences(staged)[0] == ["high"]
    assert sorted(_confidences(files)[0]) == ["high", "low", "low"]


def test_a_bad_min_confidence_is_a_usage_error(run: Runner) -> None:
    result = run("scan", ".", "--min-confidence", "certain")
    assert result.code == 2 and "--min-confidence" in result.err


def test_json_says_why_a_validator_gave_its_confidence(tmp_path: Path, run: Runner) -> None:
    (tmp_path / "app.py").write_text(MIXED_CONFIDENCE)
    findings = run("scan", ".", "--no-git", "-f", "json", cwd=tmp_path).json()["findings"]
    reasons = {f["confidence"]: f.get("validation") for f in findings if f["rule_id"] == "github-pat"}
    assert reasons == {
        "high": "the GitHub CRC32 checksum matches",
        "low": "the GitHub CRC32 checksum does not match (a mistyped, truncated or made-up token)",
    }


def _command_help(parser: argparse.ArgumentParser, command: str) -> str:
    (subcommands,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return str(subcommands.choices[command].format_help())


@pytest.mark.parametrize(
    ("argv", "command"),
    [(["scan", "--staged"], "scan"), (["--debug", "baseline", "create"], "baseline"),
     (["install"], "install"), (["explain", "abc"], "explain"), (["redact", "x"], "redact"),
     (["rules", "list"], "rules")],
)
def test_parser_built_for_one_command_has_all_its_options(argv: list[str], command: str) -> None:
    assert _command_help(build_parser(argv), command) == _command_help(build_parser(), command)
    # and the stub every other command gets is not what this one got
    assert _command_help(build_parser(argv), command) != _command_help(build_parser([]), command)


def _help_lines(columns: int) -> list[str]:
    completed = subprocess.run(
        [sys.executable, "-m", "leakguard", "scan", "--help"], capture_output=True, text=True,
        check=True, env={**os.environ, "COLUMNS": str(columns)},
    )
    return completed.stdout.splitlines()


def test_help_follows_the_terminal_width() -> None:
    narrow, wide = _help_lines(60), _help_lines(120)
    assert len(narrow) > len(wide)
    assert 100 < max(len(line) for line in wide) <= 118


def test_a_staged_scan_leaves_unneeded_modules_unloaded(repo: Repo) -> None:
    """The hook's start-up is its latency: modules it has no use for stay out."""
    probe = (
        "import sys\n"
        "from leakguard.cli import main\n"
        "main(['scan', '--staged'])\n"
        "print(' '.join(sorted(m for m in ('shutil', 'git', 'phonenumbers', 'hyperscan')"
        " if m in sys.modules)))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False,
        cwd=repo.path, env={**os.environ},
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[-1] == ""  # the report, then no module


def test_the_command_delivers_its_whole_report_before_exiting(tmp_path: Path) -> None:
    """The console command skips the interpreter's teardown: nothing it wrote
    may be lost, on a pipe or in a report file."""
    (tmp_path / "contacts.txt").write_text(
        "".join(f"write to lena.{n}@gmail.com today\n" for n in range(2000))
    )
    report = tmp_path / "report.json"
    # as on a developer's machine: output buffered, not written through
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    completed = subprocess.run(
        [sys.executable, "-m", "leakguard", "scan", str(tmp_path / "contacts.txt"), "--no-git",
         "-f", "json", "-o", f"json={report}"],
        capture_output=True, check=False, env=buffered,
    )
    assert completed.returncode == 1, completed.stderr
    import json

    for document in (json.loads(completed.stdout), json.loads(report.read_text())):
        assert len(document["findings"]) == 2000
    text = subprocess.run(  # the text report: many small writes, the summary last
        [sys.executable, "-m", "leakguard", "scan", str(tmp_path / "contacts.txt"), "--no-git"],
        capture_output=True, text=True, check=False, env=buffered,
    )
    assert text.stdout.count("pii-email") > 2000
    assert "Findings by rule: pii-email 2000" in text.stdout.splitlines()[-2]


@pytest.mark.parametrize(
    ("blocked", "command", "package"),
    [("ahocorasick", ["scan", "."], "pyahocorasick"), ("git", ["scan", "--history"], "gitpython")],
)
def test_a_missing_dependency_is_an_environment_error(
    repo: Repo, blocked: str, command: list[str], package: str
) -> None:
    """Run from a Python without leakguard's dependencies: exit 2 and what to
    install, never an internal error (3) and never "clean"."""
    repo.write("settings.py", f'TOKEN = "{GITHUB_TOKEN}"\n')
    repo.git("add", ".")
    repo.git("commit", "-q", "-m", "settings")
    probe = (
        "import sys\n"
        f"sys.modules[{blocked!r}] = None  # as if it were not installed\n"
        "from leakguard.cli import main\n"
        f"sys.exit(main({command!r}))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False,
        cwd=repo.path, env={**os.environ},
    )
    assert completed.returncode == 2, completed.stderr
    assert f"the Python package '{package}' is not installed" in completed.stderr
    assert "internal error" not in completed.stderr
