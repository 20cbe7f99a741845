"""Output planning and writing (leakguard/reporters/__init__.py), end to end
through the CLI: several reports from one scan, owner-only files, warnings."""

from __future__ import annotations

import json
import stat
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run
from report_samples import EXTENSIONS
from vectors import GITHUB_TOKEN, PASSWORD

from leakguard.errors import ReportError, UsageError
from leakguard.reporters import (
    REGISTRY,
    Output,
    ReportOptions,
    open_output,
    plan_outputs,
    warnings,
)

Runner = Callable[..., Run]


@pytest.mark.parametrize(
    ("fmt", "specs", "planned"),
    [
        ("text", [], [Output("text")]),
        ("json", ["r.json"], [Output("json", "r.json")]),
        ("text", ["sarif=r.sarif", "junit=r.xml"], [Output("text"), Output("sarif", "r.sarif"), Output("junit", "r.xml")]),
        ("text", ["all.txt", "json=r.json"], [Output("text", "all.txt"), Output("json", "r.json")]),
        ("text", ["a=b.txt"], [Output("text", "a=b.txt")]),  # not a format name: a file name
        ("csv", ["filter-repo=purge.txt"], [Output("csv"), Output("filter-repo", "purge.txt")]),
    ],
)
def test_plan_outputs(fmt: str, specs: list[str], planned: list[Output]) -> None:
    assert list(plan_outputs(fmt, specs)) == planned


@pytest.mark.parametrize(
    ("fmt", "specs", "message"),
    [
        ("text", ["a.txt", "b.txt"], "only one --output FILE without a format"),
        ("text", ["sarif="], "a file name must follow 'sarif='"),
        ("text", ["r.json", "json=./r.json"], "same --output file"),
        ("filter-repo", [], "writes the secrets in clear"),
        ("yaml", [], "unknown report format 'yaml'"),
        ("text", [""], "--output needs a file name"),
    ],
)
def test_plan_outputs_refuses(fmt: str, specs: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        plan_outputs(fmt, specs)


def test_warnings_name_each_cleartext_file_and_show_secrets() -> None:
    outputs = plan_outputs("text", ["filter-repo=purge.txt"])
    assert warnings(outputs, ReportOptions()) == [
        "purge.txt holds the leaked secrets in clear, for git filter-repo --replace-text: "
        "keep it private and delete it once history is rewritten"
    ]
    assert len(warnings(outputs, ReportOptions(show_secrets=True))) == 2
    assert warnings(plan_outputs("json", []), ReportOptions()) == []


def test_open_output_narrows_an_existing_file_and_names_an_unwritable_one(tmp_path: Path) -> None:
    existing = tmp_path / "old.json"
    existing.write_text("old")
    existing.chmod(0o644)
    with open_output(str(existing)) as stream:
        stream.write("new")
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600 and existing.read_text() == "new"
    with pytest.raises(ReportError, match=r"missing/report\.json"):
        open_output(str(tmp_path / "missing" / "report.json"))


def plant(folder: Path) -> None:
    (folder / "settings.py").write_text(f'TOKEN = "{GITHUB_TOKEN}"\npassword = "{PASSWORD}"\n')


def test_one_scan_writes_every_format_owner_only_and_masked(tmp_path: Path, run: Runner) -> None:
    plant(tmp_path)
    out = tmp_path / "reports"
    out.mkdir()
    formats = [name for name in REGISTRY if name != "filter-repo"]
    specs = [f"--output={name}={out / ('report.' + name + '.' + EXTENSIONS[name])}" for name in formats]
    result = run("scan", str(tmp_path / "settings.py"), "--no-git", *specs)
    assert result.code == 1
    assert "settings.py:1:10" in result.out  # the terminal report is still printed
    files = sorted(out.iterdir())
    assert len(files) == len(formats)
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
        text = path.read_text(encoding="utf-8")
        assert GITHUB_TOKEN not in text and PASSWORD not in text, path.name
        assert "settings.py" in text or path.name.endswith(".jsonl"), path.name
    assert GITHUB_TOKEN not in result.out + result.err
    json.loads((out / "report.sarif.sarif").read_text())
    ET.parse(out / "report.junit.xml")


def test_filter_repo_file_holds_the_secrets_owner_only_with_a_warning(tmp_path: Path, run: Runner) -> None:
    plant(tmp_path)
    purge = tmp_path / "purge.txt"
    result = run("scan", str(tmp_path / "settings.py"), "--no-git", "-o", f"filter-repo={purge}")
    assert result.code == 1 and "warning" in result.err and str(purge) in result.err
    assert stat.S_IMODE(purge.stat().st_mode) == 0o600
    assert f"literal:{GITHUB_TOKEN}==>***REMOVED:github-pat***" in purge.read_text()
    assert GITHUB_TOKEN not in result.out


def test_filter_repo_is_never_printed(tmp_path: Path, run: Runner) -> None:
    plant(tmp_path)
    result = run("scan", str(tmp_path), "--no-git", "-f", "filter-repo")
    assert result.code == 2 and "--output" in result.err and GITHUB_TOKEN not in result.out


def test_a_bad_output_spec_fails_before_scanning(tmp_path: Path, run: Runner) -> None:
    result = run("scan", str(tmp_path / "does-not-exist"), "-o", "a.txt", "-o", "b.txt")
    assert result.code == 2 and "only one --output FILE" in result.err


def test_an_unwritable_report_is_a_clear_error(tmp_path: Path, run: Runner) -> None:
    plant(tmp_path)
    result = run("scan", str(tmp_path / "settings.py"), "--no-git", "-o", str(tmp_path / "no" / "r.txt"))
    assert result.code == 2 and "cannot write report" in result.err and "Traceback" not in result.err


def test_config_may_choose_any_format_but_filter_repo(tmp_path: Path, run: Runner) -> None:
    plant(tmp_path)
    (tmp_path / "lg.toml").write_text('[report]\nformat = "markdown"\n')
    result = run("scan", str(tmp_path / "settings.py"), "--no-git", "--config", str(tmp_path / "lg.toml"))
    assert result.out.startswith("## leakguard: 2 leak(s) found")
    (tmp_path / "lg.toml").write_text('[report]\nformat = "filter-repo"\n')
    refused = run("scan", str(tmp_path / "settings.py"), "--no-git", "--config", str(tmp_path / "lg.toml"))
    assert refused.code == 2 and "format" in refused.err


def test_stdout_report_has_no_color_unless_asked(tmp_path: Path, run: Runner) -> None:
    plant(tmp_path)
    assert "\x1b[" not in run("scan", str(tmp_path), "--no-git").out
    assert "\x1b[" in run("scan", str(tmp_path), "--no-git", "--color", "always").out
