from __future__ import annotations

import pytest

from leakguard.models import Rule
from leakguard.prefilter import KeywordIndex, lowercase


def _rule(rule_id: str, *keywords: str) -> Rule:
    return Rule(rule_id, "d", "secret", "T", r"(x)", keywords=keywords)


@pytest.mark.parametrize("text", ["ABC def", "İstanbul GHP_", "ß straße", ""])
def test_lowercase_keeps_length(text: str) -> None:
    lowered = lowercase(text)
    assert len(lowered) == len(text)
    assert lowered == lowered.lower() or "İ" in text


def test_hits_map_rules_to_keyword_offsets() -> None:
    index = KeywordIndex([_rule("a", "ghp_"), _rule("b", "xoxb-", "ghp_"), _rule("c")])
    hits = index.hits(lowercase("x GHP_1 then xoxb-2"))
    assert hits == {0: [2], 1: [2, 13], 2: []}


def test_no_keyword_no_candidate() -> None:
    index = KeywordIndex([_rule("a", "ghp_")])
    assert index.hits("nothing to see") == {}
