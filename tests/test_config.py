from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Repo, Run
from vectors import GITHUB_TOKEN

from leakguard.config import Config, discover, load, parse_size
from leakguard.errors import ConfigError

Runner = Callable[..., Run]


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_no_config_means_defaults(tmp_path: Path) -> None:
    assert discover(tmp_path) is None
    assert load(None) == Config()


def test_dotfile_and_pyproject_are_found(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert discover(tmp_path) is None
    _write(tmp_path / "pyproject.toml", "[tool.leakguard]\nmax_file_size = '1MB'\n")
    assert discover(tmp_path) == tmp_path / "pyproject.toml"
    assert load(tmp_path / "pyproject.toml").max_file_size == 1024 * 1024


def test_both_config_files_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.leakguard]\n")
    _write(tmp_path / ".leakguard.toml", "")
    with pytest.raises(ConfigError, match=r"both \.leakguard\.toml and"):
        discover(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 'red'\n", ":1: 'colour' is not a known setting"),
        ("max_file_size = 'huge'\n", ":1: 'max_file_size' must be a size"),
        ("[allowlist]\npaths = 'tests/'\n", ":2: 'allowlist.paths' must be an array of strings, not a string"),
        ("[allowlist]\nfolders = []\n", ":2: 'allowlist.folders' is not a known setting"),
        ("[report]\nformat = 'xml'\n", ":2: 'report.format' must be one of text, json"),
        ("default_rules = 'yes'\n", ":1: 'default_rules' must be true or false, not a string"),
        ("[pii]\nenabled = 1\n", ":2: 'pii.enabled' must be true or false, not an integer"),
        ("allowlist = 3\n", ":1: 'allowlist' must be a table, not an integer"),
        ("max_file_size = = 1\n", ":1:17: invalid TOML"),
    ],
)
def test_config_errors_name_file_line_key_and_type(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path / ".leakguard.toml", text)
    with pytest.raises(ConfigError) as raised:
        load(path)
    assert str(raised.value).startswith(str(path))
    assert message in str(raised.value)


def test_pyproject_errors_use_the_full_key(tmp_path: Path) -> None:
    path = _write(tmp_path / "pyproject.toml", "[tool.leakguard]\nbogus = 1\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml:2: 'tool.leakguard.bogus'"):
        load(path)


@pytest.mark.parametrize(
    ("text", "size"), [("512", 512), ("4KB", 4096), ("2MB", 2 * 1024 * 1024), ("1 gib", 1 << 30)]
)
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


def test_config_allowlist_and_disabled_rules_apply(tmp_path: Path, run: Runner) -> None:
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "token.txt").write_text(f"{GITHUB_TOKEN}\n")
    (tmp_path / "app.py").write_text(f"t = '{GITHUB_TOKEN}'\n")
    config = _write(tmp_path / ".leakguard.toml", "[allowlist]\npaths = ['fixtures/*']\n")
    result = run("scan", str(tmp_path), "--no-git", "-f", "json", "--config", str(config))
    assert [f["path"] for f in result.json()["findings"]] == ["app.py"]
    _write(config, "disable_rules = ['github-pat']\n")
    assert run("scan", str(tmp_path), "--no-git", "--config", str(config)).code == 0


def test_config_is_discovered_at_the_scan_root(tmp_path: Path, run: Runner) -> None:
    (tmp_path / "app.py").write_text(f"t = '{GITHUB_TOKEN}'\n")
    _write(tmp_path / ".leakguard.toml", "[allowlist]\nregexes = ['^ghp_Ky9']\n")
    assert run("scan", ".", "--no-git", cwd=tmp_path).code == 0


def test_unknown_disabled_rule_is_an_error(tmp_path: Path, run: Runner) -> None:
    config = _write(tmp_path / "c.toml", "disable_rules = ['no-such-rule']\n")
    result = run("scan", str(tmp_path), "--no-git", "--config", str(config))
    assert result.code == 2 and "no-such-rule" in result.err


def test_custom_rules_in_config(tmp_path: Path, run: Runner) -> None:
    config = _write(tmp_path / "c.toml", """
default_rules = false
[[rules]]
id = "acme-key"
description = "ACME internal key"
type = "ACME_KEY"
keywords = ["acme_"]
regex = '''\\b(acme_[0-9a-f]{12})\\b'''
examples = ['k = acme_4f9a8c7e6d5b']
counterexamples = ['acme_123']
""")
    (tmp_path / "a.txt").write_text(f"k = acme_4f9a8c7e6d5b\nt = {GITHUB_TOKEN}\n")
    result = run("scan", str(tmp_path / "a.txt"), "--no-git", "-f", "json", "--config", str(config))
    assert [f["rule_id"] for f in result.json()["findings"]] == ["acme-key"]
    check = run("rules", "check", "--config", str(config))
    assert check.code == 0 and "1 rule(s)" in check.out


PII_RULE = """
[[rules]]
id = "demo-employee-id"
description = "Employee id"
kind = "pii"
type = "NATIONAL_ID"
severity = "medium"
keywords = ["emp-"]
regex = '''\\b(EMP-[0-9]{6})\\b'''
examples = ['id EMP-482913']
counterexamples = ['EMP-12']
"""


@pytest.mark.parametrize(
    ("config", "flag", "code"),
    [
        ("", None, 1),
        ("[fail_on]\nkinds = ['secret']\n", None, 0),   # PII warn-only
        ("[fail_on]\nseverity = 'high'\n", None, 0),    # medium PII does not fail
        ("", "secret", 0),
        ("", "pii", 1),
        ("", "none", 0),
        ("[fail_on]\nkinds = ['secret']\n", "pii,secret", 1),  # the flag wins over the config
    ],
)
def test_fail_on_policy(tmp_path: Path, run: Runner, config: str, flag: str | None, code: int) -> None:
    (tmp_path / "staff.csv").write_text("name,id\nA,EMP-482913\n")
    config_file = _write(tmp_path / "c.toml", config + PII_RULE)
    args = ["scan", str(tmp_path / "staff.csv"), "--no-git", "--config", str(config_file)]
    result = run(*args, *(["--fail-on", flag] if flag else []))
    assert result.code == code
    assert "EMP-" not in result.out and "demo-employee-id" in result.out  # reported either way


def test_bad_fail_on_is_a_usage_error(tmp_path: Path, run: Runner) -> None:
    result = run("scan", str(tmp_path), "--no-git", "--fail-on", "severity=huge")
    assert result.code == 2 and "--fail-on" in result.err


def test_info_findings_never_fail_by_default(tmp_path: Path, run: Runner) -> None:
    config = _write(tmp_path / "c.toml", PII_RULE.replace('severity = "medium"', 'severity = "info"'))
    (tmp_path / "staff.csv").write_text("A,EMP-482913\n")
    result = run("scan", str(tmp_path / "staff.csv"), "--no-git", "--config", str(config))
    assert result.code == 0 and "demo-employee-id" in result.out


def test_pii_test_data_setting_is_checked(tmp_path: Path) -> None:
    path = _write(tmp_path / ".leakguard.toml", "[pii]\ntest_data = 'hide'\n")
    with pytest.raises(ConfigError, match=r":2: 'pii.test_data' must be one of report, skip"):
        load(path)
    _write(path, "[pii]\ntest_data = 'skip'\n")
    assert load(path).pii.test_data == "skip"


PII_CONFIG = """
[pii]
paths = ["data/*", "notebooks/*"]
exclude = ["data/public/*"]
"""


def test_a_team_switches_pii_checks_per_path(repo: Repo, run: Runner) -> None:
    from pii_vectors import EMAIL

    repo.write(".leakguard.toml", PII_CONFIG)
    for name in ("data/users.txt", "data/public/list.txt", "docs/team.md", "notebooks/a.txt"):
        repo.write(name, f"contact {EMAIL}\n")
    repo.write("docs/settings.py", f'TOKEN = "{GITHUB_TOKEN}"\n')
    result = run("scan", str(repo.path), "-f", "json")
    found = sorted((f["path"], f["kind"]) for f in result.json()["findings"])
    assert found == [("data/users.txt", "pii"), ("docs/settings.py", "secret"),
                     ("notebooks/a.txt", "pii")]


def test_pii_can_be_switched_off(repo: Repo, run: Runner) -> None:
    from pii_vectors import EMAIL

    repo.write(".leakguard.toml", "[pii]\nenabled = false\n")
    repo.write("data/users.txt", f"contact {EMAIL}\n")
    assert run("scan", str(repo.path)).code == 0


def test_outside_git_the_config_of_the_scanned_folder_applies(
    tmp_path: Path, repo: Repo, run: Runner
) -> None:
    """Not the config of wherever the command runs: scanning /tmp/x from
    inside a repository must not inherit that repository's allowlist."""
    _write(repo.path / ".leakguard.toml", "[allowlist]\npaths = ['*.py']\n")
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "app.py").write_text(f"t = '{GITHUB_TOKEN}'\n")
    assert run("scan", str(target), cwd=repo.path).code == 1
    _write(target / ".leakguard.toml", "[allowlist]\npaths = ['*.py']\n")
    assert run("scan", str(target), cwd=repo.path).code == 0
