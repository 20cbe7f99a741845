from __future__ import annotations

import json

import pytest
from report_samples import (
    MODES,
    NEW_COMMIT,
    assert_golden,
    golden_name,
    normalise,
    render,
    sample_report,
)


@pytest.mark.parametrize("mode", MODES)
def test_golden(mode: str) -> None:
    text = render("json", sample_report(mode), show_suppressed=True)
    assert_golden(golden_name("json", mode), normalise(text))


def test_version_one_contract_keeps_every_documented_field() -> None:
    document = json.loads(render("json", sample_report()))
    assert document["version"] == 1 and document["tool"]["name"] == "leakguard"
    for record in document["findings"]:
        assert set(record) >= {
            "rule_id", "kind", "type", "description", "path", "line", "column", "end_line",
            "end_column", "secret", "fingerprint", "confidence", "severity", "entropy",
            "origin", "commit", "remediation",
        }
    summary = document["summary"]
    assert summary["findings"] == 6 and summary["by_kind"] == {"pii": 1, "secret": 5}
    assert summary["suppressed"] == 2 and summary["suppressed_by_stage"] == {"entropy": 1, "pragma": 1}
    assert summary["skipped"] == [{"path": "logo.png", "reason": "binary file"}]
    assert [error["path"] for error in summary["errors"]] == ["dump.sql"]
    assert "suppressed" not in document


def test_history_findings_carry_their_commit() -> None:
    document = json.loads(render("json", sample_report("history")))
    assert document["mode"] == "history"
    commit = document["findings"][-1]["commit"]
    assert commit == {"sha": NEW_COMMIT.sha, "author": NEW_COMMIT.author, "email": NEW_COMMIT.email,
                      "date": NEW_COMMIT.date, "summary": NEW_COMMIT.summary}


def test_suppressed_list_says_why() -> None:
    document = json.loads(render("json", sample_report(), show_suppressed=True))
    reasons = {record["suppressed_by"]["stage"] for record in document["suppressed"]}
    assert reasons == {"entropy", "pragma"}
