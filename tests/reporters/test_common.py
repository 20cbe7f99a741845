"""Redaction across every format: masking lives in reporters/common.py, and no
format may print a planted secret unless --show-secrets asks for it."""

from __future__ import annotations

import pytest
from report_samples import (
    EMAIL,
    MASKED_FORMATS,
    MODES,
    PLANTED,
    WEAK_PASSWORD,
    finding,
    render,
    sample_report,
)
from vectors import GITHUB_TOKEN, OTHER_GITHUB_TOKEN

from leakguard.masking import MASK, mask_values
from leakguard.models import Decision
from leakguard.reporters import Report
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


def _one_line_report() -> Report:
    """Three values on one line (two tokens, a suppressed address), and a
    long line clipped through the middle of a password."""
    line = f'creds = {{"a": "{GITHUB_TOKEN}", "b": "{OTHER_GITHUB_TOKEN}", "m": "{EMAIL}"}}'
    clipped = "x" * 40 + f' token = "{GITHUB_TOKEN}" password = "{WEAK_PASSWORD[:7]}'
    return Report(
        findings=[
            finding("github-pat", "app.py", 3, GITHUB_TOKEN, line),
            finding("github-pat", "app.py", 3, OTHER_GITHUB_TOKEN, line),
            finding("github-pat", "min.js", 1, GITHUB_TOKEN, clipped),
            finding("generic-password", "min.js", 1, WEAK_PASSWORD, f'"{WEAK_PASSWORD}"'),
        ],
        suppressed=[finding("email-address", "app.py", 3, EMAIL, line,
                            suppressed_by=Decision("validator", "a test address"))],
    )


@pytest.mark.parametrize("fmt", MASKED_FORMATS)
@pytest.mark.parametrize("redact", ["full", "partial"])
def test_a_line_shown_for_one_finding_masks_the_others_on_it(fmt: str, redact: str) -> None:
    """Each finding's line used to mask only its own value: the other token
    and the address on the line were printed in clear."""
    assert_hidden(render(fmt, _one_line_report(), redact=redact))
    assert_hidden(render(fmt, _one_line_report(), redact=redact, show_suppressed=True))


@pytest.mark.parametrize(
    ("line", "values", "shown"),
    [
        ("a=XSECRETX b=SECRET", ["SECRET"], f"a=X{MASK}X b={MASK}"),
        ("k=LONGSECRET", ["SECRET", "LONGSECRET"], f"k={MASK}"),  # the longer one whole
        ("cut off at LONGSEC", ["LONGSECRET"], f"cut off at {MASK}"),  # clipped line's end
        ("CRET and more", ["LONGSECRET"], f"{MASK} and more"),  # clipped line's start
        ("ends in LON", ["LONGSECRET"], "ends in LON"),  # too short a part to tell
        ("nothing here", ["LONGSECRET", ""], "nothing here"),
    ],
)
def test_mask_values(line: str, values: list[str], shown: str) -> None:
    assert mask_values(line, values) == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [("plain\ttext", "plain\ttext"), ("\x1b[31mred", "\\x1b[31mred"), ("bell\x07", "bell\\x07"), ("c1\x9b", "c1\\x9b")],
)
def test_printable_escapes_control_characters(text: str, shown: str) -> None:
    assert printable(text) == shown
