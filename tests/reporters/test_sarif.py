from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
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

from leakguard.models import Rule
from leakguard.reporters import Report
from leakguard.reporters.sarif import FINGERPRINT_KEY

# SARIF 2.1.0's schema as Microsoft ships it (see sarif-2.1.0.LICENSE.md)
SCHEMA = json.loads((Path(__file__).parent / "sarif-2.1.0.json").read_text(encoding="utf-8"))


def validate(document: Any) -> None:
    validator = jsonschema.validators.validator_for(SCHEMA)
    validator.check_schema(SCHEMA)
    validator(SCHEMA).validate(document)


@pytest.mark.parametrize("mode", MODES)
def test_golden(mode: str) -> None:
    text = render("sarif", sample_report(mode), show_suppressed=True)
    assert_golden(golden_name("sarif", mode), normalise(text))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("show_suppressed", [False, True])
def test_output_is_valid_sarif_2_1_0(mode: str, show_suppressed: bool) -> None:
    validate(json.loads(render("sarif", sample_report(mode), show_suppressed=show_suppressed)))


def test_the_schema_check_can_fail() -> None:
    document = json.loads(render("sarif", sample_report()))
    document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    with pytest.raises(jsonschema.ValidationError):
        validate(document)


def test_clean_scan_is_valid_with_no_rules_and_no_results() -> None:
    document = json.loads(render("sarif", Report(findings=())))
    validate(document)
    run = document["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []
    assert run["invocations"][0]["executionSuccessful"] is True


def test_one_rule_entry_per_rule_that_fired_with_help_and_severity() -> None:
    run = json.loads(render("sarif", sample_report()))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert ids == sorted({result["ruleId"] for result in run["results"]})
    github = rules[ids.index("github-pat")]
    assert github["help"]["text"] == "Revoke the token on GitHub, then use a fine-grained one."
    assert github["properties"]["security-severity"] == "9.5"
    assert github["shortDescription"]["text"] == "GitHub personal access token (classic)"
    assert rules[ids.index("email-address")]["help"]["text"].startswith("Remove the personal data")
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_results_are_located_relative_to_the_repository_with_fingerprints() -> None:
    report = sample_report()
    run = json.loads(render("sarif", report))["runs"][0]
    by_fingerprint = {r["partialFingerprints"][FINGERPRINT_KEY]: r for r in run["results"]}
    assert set(by_fingerprint) == {f.fingerprint for f in report.findings}
    key = next(f for f in report.findings if f.rule_id == "private-key-rsa")
    location = by_fingerprint[key.fingerprint]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "keys/deploy%3Av2%2Cold%7Cnew.pem", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 1, "startColumn": 1, "endLine": 4, "endColumn": 30}
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["invocations"][0]["executionSuccessful"] is False  # dump.sql timed out


def test_commit_data_is_in_the_result_properties() -> None:
    run = json.loads(render("sarif", sample_report("history")))["runs"][0]
    assert run["results"][-1]["properties"]["commit"]["sha"] == NEW_COMMIT.sha


def test_suppressed_results_carry_sarif_suppressions() -> None:
    run = json.loads(render("sarif", sample_report(), show_suppressed=True))["runs"][0]
    kinds = sorted(s["kind"] for r in run["results"] for s in r.get("suppressions", []))
    assert kinds == ["external", "inSource"]


def test_rule_data_comes_from_the_rule_when_the_report_knows_it() -> None:
    report = sample_report()
    own = Rule(id="github-pat", description="Own words", kind="secret", type="GITHUB_TOKEN",
               regex="(x)", severity="low")
    run = json.loads(render("sarif", Report(findings=report.findings[:1], rules=(own,))))["runs"][0]
    [rule] = run["tool"]["driver"]["rules"]
    assert rule["shortDescription"]["text"] == "Own words"
    assert rule["properties"]["security-severity"] == "3.0"


@pytest.mark.parametrize(
    ("path", "uri", "member"),
    [("dumps/backup.zip!config/.env", "dumps/backup.zip", "config/.env"),
     ("a.tar.gz!b.zip!c.txt", "a.tar.gz", "b.zip!c.txt"),
     ("docs/wow!.md", "docs/wow%21.md", None)],  # a "!" in a plain file's name
)
def test_a_finding_in_an_archive_points_at_the_archive(path: str, uri: str, member: str | None) -> None:
    """Code-scanning UIs open files of the repository: an archive member's
    result is located at the archive, with the member and its place in the
    properties."""
    report = sample_report()
    finding = report.findings[0]._replace(path=path)
    document = json.loads(render("sarif", report._replace(findings=(finding,))))
    validate(document)
    [result] = document["runs"][0]["results"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == uri
    if member is None:
        assert "member" not in result["properties"]
        assert physical["region"]["startLine"] == finding.line
    else:
        assert physical["region"] == {"startLine": 1}
        assert result["properties"]["member"] == {
            "path": member, "startLine": finding.line, "startColumn": finding.column,
            "endLine": finding.end_line, "endColumn": finding.end_column,
        }
