"""Redaction across every format: masking lives in reporters/common.py, and no
format may print a planted secret unless --show-secrets asks for it."""

from __future__ import annotations

import pytest
from report_samples import MASKED_FORMATS, MODES, PLANTED, render, sample_report
from vectors import GITHUB_TOKEN

from leakguard.reporters.common import printable

WINDOW = 10


def needles(secret: str) -> set[str]:
    """Every 10-character piece of the secret's sensitive lines (a partial mask
    keeps at most 4 characters, so none of these may appear)."""
    lines = [line for line in secret.split("\n") if not line.startswith("-----")]
    return {line[i : i + WINDOW] for line in lines for i in range(len(line) - WINDOW + 1)}


def assert_hidden(text: str) -> None:
    for secret in PLANTED:
        leaked = [needle for needle in needles(secret) if needle in text]
        assert not leaked, f"{secret[:4]}… leaked: {leaked[:3]}"


@pytest.mark.parametrize("fmt", MASKED_FORMATS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("redact", ["full", "partial"])
@pytest.mark.parametrize("show_suppressed", [False, True])
def test_no_format_prints_a_planted_secret(fmt: str, mode: str, redact: str, show_suppressed: bool) -> None:
    assert_hidden(render(fmt, sample_report(mode), redact=redact, show_suppressed=show_suppressed))


@pytest.mark.parametrize("fmt", MASKED_FORMATS)
def test_show_secrets_prints_them_so_the_check_above_can_fail(fmt: str) -> None:
    text = render(fmt, sample_report(), show_secrets=True)
    assert GITHUB_TOKEN in text
    with pytest.raises(AssertionError):
        assert_hidden(text)


@pytest.mark.parametrize("fmt", MASKED_FORMATS)
def test_partial_redaction_keeps_a_short_prefix_for_triage(fmt: str) -> None:
    assert "ghp_*****" in render(fmt, sample_report(), redact="partial")


@pytest.mark.parametrize(
    ("text", "shown"),
    [("plain\ttext", "plain\ttext"), ("\x1b[31mred", "\\x1b[31mred"), ("bell\x07", "bell\\x07"), ("c1\x9b", "c1\\x9b")],
)
def test_printable_escapes_control_characters(text: str, shown: str) -> None:
    assert printable(text) == shown
