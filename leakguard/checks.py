"""``leakguard rules check``: lint, then run every rule's examples and
counterexamples through the whole pipeline with that rule alone."""

from __future__ import annotations

from collections.abc import Sequence

from leakguard.models import Example, Rule
from leakguard.rules import LintProblem, lint
from leakguard.scan import scan_text

SNIPPET_PATH = "snippet.txt"


def check_rules(rules: Sequence[Rule]) -> list[LintProblem]:
    problems = lint(rules)
    for rule in rules:
        problems.extend(check_examples(rule))
    return problems


def check_examples(rule: Rule) -> list[LintProblem]:
    problems = []
    for example in rule.examples:
        message = _example_problem(rule, example)
        if message:
            problems.append(LintProblem(rule.source, rule.id, message))
    for counterexample in rule.counterexamples:
        findings = [
            f for f in scan_text(counterexample.text, [rule], path=SNIPPET_PATH)
            if f.rule_id == rule.id
        ]
        if findings:
            problems.append(
                LintProblem(
                    rule.source,
                    rule.id,
                    f"counterexample {_short(counterexample.text)} is reported "
                    f"(secret {_short(findings[0].secret)})",
                )
            )
    return problems


def _example_problem(rule: Rule, example: Example) -> str | None:
    everything = scan_text(example.text, [rule], path=SNIPPET_PATH, include_suppressed=True)
    reported = [f for f in everything if not f.suppressed]
    if not reported:
        suppressed = [f for f in everything if f.suppressed_by is not None]
        if suppressed and suppressed[0].suppressed_by is not None:
            decision = suppressed[0].suppressed_by
            return (
                f"example {_short(example.text)} is suppressed "
                f"({decision.stage}: {decision.reason})"
            )
        return f"example {_short(example.text)} is not detected"
    if example.secret is not None and example.secret not in {f.secret for f in reported}:
        found = ", ".join(_short(f.secret) for f in reported)
        return f"example {_short(example.text)} extracts {found}, expected {_short(example.secret)}"
    return None


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
