"""``leakguard explain``: why a finding was reported or suppressed, or what a
rule looks for. A finding is found again by rescanning with every suppressed
match kept, then each pipeline stage's part in it is spelt out: the keyword
that selected the rule, the regex span, entropy against the rule's minimum,
the validator's verdict and the filter that decided. Secrets stay masked
unless asked for."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from leakguard import remediation
from leakguard.commands import ScanRequest, config_start, load_config, run_scan, select_rules
from leakguard.errors import UsageError
from leakguard.masking import mask
from leakguard.models import Example, Finding, Rule

FINGERPRINT = re.compile(r"[0-9a-f]{6,64}")
# the filters that run before the validator: when one of them decides, the
# validator never sees the match
_BEFORE_VALIDATOR = frozenset({"placeholder", "entropy"})


def explain(
    target: str, request: ScanRequest, *, show_secrets: bool = False, redact: str = "full"
) -> str:
    """The explanation of rule ``target``, or of the finding(s) whose
    fingerprint starts with ``target`` among ``request``'s paths."""
    config = load_config(request.config, config_start(request.paths, request.use_git))
    rules = {rule.id: rule for rule in select_rules(config, request.rule_files)}
    if target in rules:
        return describe_rule(rules[target])
    prefix = target.lower()
    if not FINGERPRINT.fullmatch(prefix):
        close = difflib.get_close_matches(target, list(rules), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise UsageError(
            f"'{target}' is neither a rule id in use nor a finding fingerprint "
            f"(at least 6 hex characters){hint}"
        )
    result = run_scan(request).result
    found = [f for f in (*result.findings, *result.suppressed) if f.fingerprint.startswith(prefix)]
    if not found:
        raise UsageError(
            f"no finding with fingerprint {target} in {', '.join(request.paths)} "
            "(explain rescans the same paths the report came from)"
        )
    return "\n".join(
        describe_finding(finding, rules.get(finding.rule_id), show_secrets=show_secrets,
                         redact=redact)
        for finding in found
    )


def _rows(rows: Sequence[tuple[str, str]]) -> list[str]:
    return [f"  {label:<13} {value}" for label, value in rows]


def _allowlist(rule: Rule) -> str:
    allow = rule.allowlist
    parts = [
        f"{name}: {', '.join(values)}"
        for name, values in (
            ("regexes", allow.regexes), ("line regexes", allow.line_regexes),
            ("path regexes", allow.path_regexes),
            ("paths", allow.paths), ("stopwords", allow.stopwords), ("commits", allow.commits),
        )
        if values
    ]
    return "; ".join(parts) or "none"


def _count(items: Sequence[Example], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def describe_rule(rule: Rule) -> str:
    rows = [
        ("defined at", rule.source or "(inline)"),
        ("kind, type", f"{rule.kind}, {rule.type}"),
        ("severity", f"{rule.severity}; confidence {rule.confidence}; "
                     f"specificity {rule.specificity}"),
        ("tags", ", ".join(rule.tags) or "none"),
        ("keywords", ", ".join(rule.keywords) or "none: the rule runs on every text"),
        ("regex", rule.regex),
        ("secret group", str(rule.secret_group)),
        ("multiline", "yes: searched from the first keyword to the end" if rule.multiline
         else "no"),
        ("min entropy", f"{rule.min_entropy:g} bits/char" if rule.min_entropy else "none"),
        ("validator", rule.validator or "none"),
        ("allowlist", _allowlist(rule)),
        ("examples", f"{_count(rule.examples, 'example')}, "
                     f"{_count(rule.counterexamples, 'counterexample')}"),
        ("remediation", remediation.for_rule(rule)),
    ]
    return "\n".join([f"rule {rule.id}: {rule.description}", *_rows(rows)]) + "\n"


def _span(line: int, column: int, end_line: int, end_column: int) -> str:
    return f"{line}:{column}-{end_line}:{end_column}"


def _validator(finding: Finding, rule: Rule | None) -> str:
    name = rule.validator if rule else None
    if not name:
        return "none"
    decision = finding.suppressed_by
    if decision is not None and decision.stage == "validator":
        return f"{name}: rejected ({decision.reason})"
    if decision is not None and decision.stage in _BEFORE_VALIDATOR:
        return f"{name}: not run (an earlier filter decided)"
    return f"{name}: accepted" + (f" ({finding.validation})" if finding.validation else "")


def _entropy(finding: Finding, rule: Rule | None) -> str:
    minimum = rule.min_entropy if rule else 0.0
    if not minimum:
        return f"{finding.entropy:g} bits/char (the rule sets no minimum)"
    verdict = "passes" if finding.entropy >= minimum else "below the minimum"
    return f"{finding.entropy:g} bits/char, rule minimum {minimum:g}: {verdict}"


def describe_finding(
    finding: Finding, rule: Rule | None, *, show_secrets: bool = False, redact: str = "full"
) -> str:
    decision = finding.suppressed_by
    status = "suppressed" if decision else "reported"
    rows = [("location", f"{finding.path}:{finding.line}:{finding.column}")]
    if finding.commit is not None:
        commit = finding.commit
        rows.append(("commit", f"{commit.sha} by {commit.author} <{commit.email}> "
                               f"on {commit.date}"))
    rows += [
        ("rule", f"{finding.rule_id}: {finding.description}"
                 + (f" ({rule.source})" if rule and rule.source else "")),
        ("keyword", f"'{finding.keyword}' selected the rule" if finding.keyword
         else "none near the match" + ("" if rule and rule.keywords
                                       else " (the rule has no keywords)")),
    ]
    secret_span = _span(finding.line, finding.column, finding.end_line, finding.end_column)
    if finding.match_span is not None:
        group = rule.secret_group if rule else "?"
        rows.append(("regex match", f"{_span(*finding.match_span)}; "
                                    f"secret (group {group}) {secret_span}"))
    else:
        rows.append(("secret span", secret_span))
    rows += [
        ("secret", finding.secret if show_secrets else mask(finding.secret, redact)),
        ("entropy", _entropy(finding, rule)),
        ("validator", _validator(finding, rule)),
        ("confidence", f"{finding.confidence}; severity {finding.severity}"),
        *([("decoded from", f"{finding.decoded_from} (the location is the encoded text's)")]
          if finding.decoded_from else []),
        *([("companion", finding.companion)] if finding.companion else []),
        ("decision", f"suppressed at stage '{decision.stage}': {decision.reason}" if decision
         else "reported: no filter, allowlist or pragma objected"),
        ("remediation", remediation.for_finding(finding, rule)),
    ]
    header = f"finding {finding.fingerprint}: {status}"
    return "\n".join([header, *_rows(rows)]) + "\n"
