"""Redaction across every format: masking lives in reporters/common.py, and no
format may print a planted secret unless --show-secrets asks for it."""

from __future__ import annotations

import pytest
from report_samples import (
    EMAIL,
    MASKED_FORMATS,
    MODES,
    PLANTED,
    finding,
    render,
    sample_report,
)
from vectors import GITHUB_TOKEN, OTHER_GITHUB_TOKEN

from leakguard.masking import MASK, mask_line
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
    """Three values on one line (two tokens, a suppressed address), as the
    engine reports them: each finding knows where every value on its line is."""
    line = f'creds = {{"a": "{GITHUB_TOKEN}", "b": "{OTHER_GITHUB_TOKEN}", "m": "{EMAIL}"}}'
    hidden = tuple(
        (line.index(value), line.index(value) + len(value))
        for value in (GITHUB_TOKEN, OTHER_GITHUB_TOKEN, EMAIL)
    )
    return Report(
        findings=[
            finding("github-pat", "app.py", 3, GITHUB_TOKEN, line, hidden=hidden),
            finding("github-pat", "app.py", 3, OTHER_GITHUB_TOKEN, line, hidden=hidden),
        ],
        suppressed=[finding("email-address", "app.py", 3, EMAIL, line, hidden=hidden,
                            suppressed_by=Decision("validator", "a test address"))],
    )


@pytest.mark.parametrize("fmt", MASKED_FORMATS)
@pytest.mark.parametrize("redact", ["full", "partial"])
def test_a_line_shown_for_one_finding_masks_the_others_on_it(fmt: str, redact: str) -> None:
    """Each finding's line used to mask only its own value: the other token
    and the address on the line were printed in clear."""
    assert_hidden(render(fmt, _one_line_report(), redact=redact))
    assert_hidden(render(fmt, _one_line_report(), redact=redact, show_suppressed=True))


@pytest.mark.parametrize("fmt", MASKED_FORMATS)
def test_a_value_in_a_commit_summary_is_masked_wherever_the_commit_is_printed(fmt: str) -> None:
    """A token pasted into a commit message's first line is found in the
    message, and was printed in clear as the summary of every finding of
    that commit (text headings, JSON and SARIF commit records)."""
    import io

    from leakguard.reporters import Output, ReportOptions, write_reports

    report = sample_report("history")
    leaky = report.findings[0].commit._replace(summary=f"add {GITHUB_TOKEN} for deploys")
    report = report._replace(
        findings=[f._replace(commit=leaky) if f.commit else f for f in report.findings]
    )
    for redact in ("full", "partial"):
        stream = io.StringIO()
        write_reports(report, [Output(fmt)], ReportOptions(redact=redact), stream)
        assert_hidden(stream.getvalue())
    shown = io.StringIO()
    write_reports(report, [Output(fmt)], ReportOptions(show_secrets=True), shown)
    assert fmt in ("csv", "github", "junit", "markdown") or GITHUB_TOKEN in shown.getvalue()


def test_a_summary_keeps_values_judged_not_to_be_secrets() -> None:
    """A version number a rule rejected is no secret to hide in a summary;
    an allowlisted token still is one."""
    from leakguard.reporters.common import mask_commit_summaries

    report = sample_report("history")
    commit = report.findings[0].commit
    assert commit is not None
    leaky = commit._replace(summary=f"Release 1.2.3.4 with {OTHER_GITHUB_TOKEN}")
    version = finding("pii-ipv4", "setup.py", 1, "1.2.3.4", "version = '1.2.3.4'",
                      suppressed_by=Decision("validator", "a version"), commit=leaky)
    allowed = finding("github-pat", "t.py", 1, OTHER_GITHUB_TOKEN, f"t = '{OTHER_GITHUB_TOKEN}'",
                      suppressed_by=Decision("allowlist", "a fixture"), commit=leaky)
    masked = mask_commit_summaries(report._replace(suppressed=[version, allowed]), "full")
    assert {f.commit.summary for f in masked.suppressed if f.commit} == {
        f"Release 1.2.3.4 with {MASK}"
    }


@pytest.mark.parametrize(
    ("line", "secret", "hidden", "shown"),
    [
        ("a=SECRET b=OTHER", "SECRET", ((2, 8), (11, 16)), f"a={MASK} b={MASK}"),
        ("a=SECRET b=SECRET", "SECRET", ((2, 8),), f"a={MASK} b={MASK}"),  # by value too
        ("CRET, then more", "SECRET", ((0, 4),), f"{MASK}, then more"),  # a clipped start
        ("k=LONGSECRET", "LONGSECRET", ((2, 12), (6, 12)), f"k={MASK}"),  # overlapping
        ("k=v", "SECRET", ((2, 40),), f"k={MASK}"),  # reaching past the end
        ("plain", "SECRET", (), "plain"),
    ],
)
def test_mask_line(line: str, secret: str, hidden: tuple[tuple[int, int], ...], shown: str) -> None:
    assert mask_line(line, secret, hidden) == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [("plain\ttext", "plain\ttext"), ("\x1b[31mred", "\\x1b[31mred"), ("bell\x07", "bell\\x07"), ("c1\x9b", "c1\\x9b")],
)
def test_printable_escapes_control_characters(text: str, shown: str) -> None:
    assert printable(text) == shown
