from __future__ import annotations

import random
import string

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


@pytest.mark.parametrize("fast", [False, True])
def test_hits_map_rules_to_keyword_offsets(fast: bool) -> None:
    index = KeywordIndex([_rule("a", "ghp_"), _rule("b", "xoxb-", "ghp_"), _rule("c")], fast=fast)
    hits = index.hits("x GHP_1 then xoxb-2")
    assert hits == {0: [2], 1: [2, 13], 2: []}


@pytest.mark.parametrize("fast", [False, True])
def test_no_keyword_no_candidate(fast: bool) -> None:
    index = KeywordIndex([_rule("a", "ghp_")], fast=fast)
    assert index.hits("nothing to see") == {}


def test_hyperscan_is_the_fast_backend_here() -> None:
    """The dependency is installed on Linux x86-64, where CI runs."""
    assert KeywordIndex([_rule("a", "ghp_")], fast=True).backend == "hyperscan"
    assert KeywordIndex([_rule("a", "ghp_")]).backend == "ahocorasick"


def test_both_backends_find_the_same_hits() -> None:
    rng = random.Random(3)
    keywords = ["".join(rng.choices(string.ascii_lowercase + "_-.", k=rng.randint(2, 6)))
                for _ in range(300)]
    rules = [_rule(f"r{n}", *keywords[n * 3 : n * 3 + 3]) for n in range(100)]
    texts = ["".join(rng.choices(string.ascii_letters + " _-.\n", k=5000)) for _ in range(20)]
    texts.append("mixed ünïcode " + texts[0])  # non-ASCII: the portable path, same answer
    slow, fast = KeywordIndex(rules), KeywordIndex(rules, fast=True)
    for text in texts:
        assert fast.hits(text) == slow.hits(text)
