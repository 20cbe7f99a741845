from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run
from vectors import GITHUB_TOKEN, PASSWORD

Runner = Callable[..., Run]


def fingerprint_of(run: Runner, folder: Path, rule_id: str, *, suppressed: bool = False) -> str:
    """The fingerprint of ``rule_id``'s reported (or suppressed) match in ``folder``."""
    document = run("scan", str(folder), "--no-git", "-f", "json", "--show-suppressed").json()
    [found] = [f["fingerprint"] for f in document["suppressed" if suppressed else "findings"]
               if f["rule_id"] == rule_id]
    return str(found)


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    (tmp_path / "settings.py").write_text(
        f'# config\nTOKEN = "{GITHUB_TOKEN}"\npassword = "{PASSWORD}"\n'
        f'API_TOKEN = "ghp_{"x" * 36}"  # a placeholder\n'
    )
    return tmp_path


def test_rule_id_describes_the_rule(run: Runner) -> None:
    result = run("explain", "github-pat")
    assert result.code == 0
    for expected in ("rule github-pat:", "github.toml:", "keywords      ghp_", r"regex         \b(ghp_",
                     "min entropy   3.5 bits/char", "validator     github_checksum", "remediation   Revoke"):
        assert expected in result.out


def test_reported_finding_shows_each_stage(planted: Path, run: Runner) -> None:
    fingerprint = fingerprint_of(run, planted, "github-pat")
    result = run("explain", fingerprint[:10], str(planted), "--no-git")
    assert result.code == 0
    out = result.out
    assert out.startswith(f"finding {fingerprint}: reported")
    assert "location      settings.py:2:10" in out
    assert "keyword       'ghp_' selected the rule" in out
    assert "regex match   2:10-2:50; secret (group 1) 2:10-2:50" in out
    assert "rule minimum 3.5: passes" in out
    assert "decision      reported" in out
    assert GITHUB_TOKEN not in out + result.err


def test_validator_and_match_span_of_an_assignment_rule(planted: Path, run: Runner) -> None:
    fingerprint = fingerprint_of(run, planted, "generic-password")
    out = run("explain", fingerprint, str(planted), "--no-git").out
    assert "keyword       'password" in out
    assert "regex match   3:1-3:" in out and "secret (group secret) 3:13-3:27" in out
    assert "validator     generic_value: accepted" in out


def test_suppressed_finding_says_which_stage_and_why(planted: Path, run: Runner) -> None:
    out = run("explain", fingerprint_of(run, planted, "github-pat", suppressed=True), str(planted), "--no-git").out
    assert ": suppressed" in out.splitlines()[0]
    assert "decision      suppressed at stage 'placeholder': contains the placeholder word 'xxxxxx'" in out
    assert "rule minimum 3.5: below the minimum" in out


def test_secret_only_with_show_secrets(planted: Path, run: Runner) -> None:
    fingerprint = fingerprint_of(run, planted, "github-pat")
    assert "secret        *****" in run("explain", fingerprint, str(planted), "--no-git").out
    shown = run("explain", fingerprint, str(planted), "--no-git", "--show-secrets")
    assert GITHUB_TOKEN in shown.out and "warning" in shown.err
    partial = run("explain", fingerprint, str(planted), "--no-git", "--redact", "partial")
    assert "secret        ghp_*****" in partial.out


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("github-pta", "did you mean github-pat"),
        ("zz", "neither a rule id in use nor a finding fingerprint"),
        ("0123456789abcdef", "no finding with fingerprint 0123456789abcdef"),
    ],
)
def test_unknown_targets_are_clear_errors(planted: Path, run: Runner, target: str, message: str) -> None:
    result = run("explain", target, str(planted), "--no-git")
    assert result.code == 2 and message in result.err and result.out == ""


def test_decoding_path_and_companion_are_explained(tmp_path: Path, run: Runner) -> None:
    import base64

    encoded = base64.b64encode(f'{{"token": "{GITHUB_TOKEN}"}}'.encode()).decode()
    (tmp_path / "values.yaml").write_text(f"data: {encoded}\n")
    (tmp_path / "aws.env").write_text(
        "AWS_ACCESS_KEY_ID=AKIA4ZQHHTD55KQ5NWAO\n"
        "AWS_SECRET_ACCESS_KEY=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\n"
    )
    decoded = run("explain", fingerprint_of(run, tmp_path, "github-pat"), str(tmp_path), "--no-git").out
    assert "decoded from  base64 (the location is the encoded text's)" in decoded
    assert "validator     github_checksum: accepted (the GitHub CRC32 checksum matches)" in decoded
    paired = run("explain", fingerprint_of(run, tmp_path, "aws-secret-access-key"), str(tmp_path), "--no-git").out
    assert "companion     aws-access-key-id at 1:19" in paired
    assert "confidence    high" in paired
