from __future__ import annotations

import random
import shutil
import string
from pathlib import Path

import pytest

from leakguard.matcher import compile_rule_regex
from leakguard.models import Rule
from leakguard.prefilter import OTHER_DIGIT_RUNS, KeywordIndex, lowercase, widened
from leakguard.rules import builtin_patterns_dir, load_rules


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


def _random_text(rng: random.Random, words: list[str], size: int) -> str:
    pieces: list[str] = []
    length = 0
    while length < size:
        length += len(pieces[-1]) if pieces else 0
        roll = rng.random()
        if roll < 0.05:
            pieces.append(rng.choice(words).upper() if rng.random() < 0.3 else rng.choice(words))
        elif roll < 0.07:
            pieces.append(rng.choice(["é", "ß", "İ", "\u2603", "?"]))
        else:
            pieces.append(rng.choice(string.ascii_letters + string.digits + " _-.:=\"'\n"))
    return "".join(pieces)


@pytest.mark.parametrize("seed", range(6))
def test_native_scanner_reports_the_same_hits(seed: int) -> None:
    pytest.importorskip("hyperscan")
    rules = [
        _rule("a", "ghp_", "github_pat_"), _rule("b", "xoxb-", "ghp_"), _rule("c"),
        _rule("d", "password=", "pwd=", "passwd"), _rule("e", "aaaa"), _rule("f", "-us1", "key-"),
        _rule("g", "?sig="),
    ]
    words = ["ghp_", "github_pat_", "xoxb-", "password=", "pwd=", "passwd", "aaaaaa", "-us1", "key-",
             "?sig=", "?sig=?sig="]
    rng = random.Random(seed)
    text = _random_text(rng, words, 40_000 if seed % 2 else 3_000)
    if seed % 3 == 0:
        text = text.encode("ascii", "ignore").decode()  # the pure-ASCII path
    portable = KeywordIndex(rules, fast_after=10**12).hits(text)
    native = KeywordIndex(rules, fast_after=0).hits(text)
    # "c" has no keyword: the native side may narrow it to where its regex can
    # match (tested with real rules below); every keyword hit must agree
    assert {n: p for n, p in native.items() if n != 2} == {
        n: p for n, p in portable.items() if n != 2
    }
    assert portable == KeywordIndex(rules, fast_after=10**12).hits(lowercase(text))
    assert any(portable.values())


def test_native_scanner_steps_aside_when_a_keyword_holds_a_question_mark() -> None:
    pytest.importorskip("hyperscan")
    rules = [_rule("q", "?key=")]
    assert KeywordIndex(rules, fast_after=0).hits("url é?KEY=1 and ?key=2") == {0: [5, 16]}
    assert KeywordIndex(rules, fast_after=0).hits("url e?KEY=1 and ?key=2") == {0: [5, 16]}


def test_the_shape_prefilter_never_hides_a_personal_data_match() -> None:
    """Rules without keywords (phone, card, SSN, IBAN, IP), and those whose
    keywords are too common (e-mail's "@", a URL's "https://"), are skipped
    where hyperscan's approximate regex finds nothing: it must find
    everything the real regex does, on ASCII and non-ASCII text alike."""
    from pii_vectors import CARD, EMAIL, IBAN, IPV4, PHONE, SSN

    from leakguard.models import Fragment
    from leakguard.rules import builtin_patterns_dir, load_rules
    from leakguard.scan import Engine

    rules = load_rules(
        [builtin_patterns_dir() / "pii.toml", builtin_patterns_dir() / "uris.toml"], cache_dir=None
    )
    assert any(not rule.keywords for rule in rules)
    assert {rule.id for rule in rules if rule.prefilter == "shape"} >= {
        "pii-email", "http-basic-auth-uri"
    }
    uri = "https://ci-reader:Zq8NINfj2AKv@nexus.acme.io/simple"
    lines = [f"call {PHONE} now", f"card: {CARD}", f"ssn: {SSN}", f"iban {IBAN}",
             f"client_ip = '{IPV4}'", "version 1.2.3.4 of nothing", "x = 12345678901234",
             f"mail {EMAIL}", "@property", f"pip install -i {uri} x"]
    texts = ["\n".join(lines), "\n".join(f"filler {n}" for n in range(3000)) + "\n" + "\n".join(lines),
             "ünïcode " + "\n".join(lines),
             "\u0662\u0660\u0662\u0664 " + "\n".join(lines)]  # Arabic-Indic digits: Python's \d
    # values on consecutive short lines: more lines apart than a window
    # reaches, yet fewer characters apart than the scanner's thinning spacing
    filler = "\n".join(f"filler {n}" for n in range(600))
    texts.append("\n".join([filler, *[SSN] * 8, *[CARD] * 8, *[IPV4] * 8, *[EMAIL] * 8]))
    # values written in other scripts' digits, which Python's \d matches too
    arabic_indic = str.maketrans({str(d): chr(0x0660 + d) for d in range(10)})
    fullwidth = str.maketrans({str(d): chr(0xFF10 + d) for d in range(10)})
    foreign = [f"ssn: {SSN.translate(arabic_indic)}", f"card: {CARD.translate(fullwidth)}"]
    texts.append("\n".join(foreign))

    def findings(engine: Engine, text: str) -> list[tuple[str, int, str]]:
        scanned = engine.scan_fragment(Fragment("data.txt", text))
        return sorted((f.rule_id, f.line, f.secret) for f in scanned.findings)

    portable, native = Engine(rules), Engine(rules)
    native.index = KeywordIndex(rules, fast_after=0)
    for text in texts:
        expected = findings(portable, text)
        assert expected and findings(native, text) == expected
    assert {"pii-email", "http-basic-auth-uri"} <= {rule for rule, _, _ in findings(native, texts[0])}
    assert {secret for _, _, secret in findings(portable, texts[-1])} >= {
        SSN.translate(arabic_indic), CARD.translate(fullwidth)
    }


def test_the_runs_of_other_scripts_digits_hold_every_digit_python_knows() -> None:
    """``\\d`` matches every decimal digit of this Python's Unicode tables:
    hyperscan must hand each of them to the shapes as a digit."""
    import sys

    listed = {code for first in OTHER_DIGIT_RUNS for code in range(first, first + 10)}
    known = {code for code in range(0x80, sys.maxunicode + 1) if chr(code).isdecimal()}
    assert known <= listed


@pytest.mark.parametrize(("text", "digits"), [
    ("plain ASCII 0123", False),
    ("ünïcode, “quotes” and 漢字 without a digit of their own", False),
    ("a fullwidth \uff14 among 漢字", True),
    ("Arabic-Indic \u0662\u0660 after ü", True),
    ("Tai Tham \u1a85", True),
    ("an astral one, \U0001d7d9 (mathematical bold one)", True),
    ("a lone surrogate \ud800 and é", False),
])
def test_other_scripts_digits_are_found_before_a_text_is_handed_to_hyperscan(
    text: str, digits: bool
) -> None:
    pytest.importorskip("hyperscan")
    ssn = Rule("ssn", "d", "pii", "T", r"\b(\d{3}-\d{2}-\d{4})\b")
    index = KeywordIndex([ssn], fast_after=0)
    index.hits("warm up: builds the scanners")
    assert index._shapes is not None
    assert index._shapes.digits_in(text) is digits


@pytest.mark.parametrize("damage", ["none", "torn", "not a folder"])
def test_compiled_scanners_are_kept_and_a_bad_cache_costs_only_time(
    tmp_path: Path, damage: str
) -> None:
    pytest.importorskip("hyperscan")
    ssn = Rule("ssn", "d", "pii", "T", r"\b(\d{3}-\d{2}-\d{4})\b")
    rules = [_rule("a", "ghp_"), _rule("b", "xoxb-", "ghp_"), ssn]
    text = "x GHP_1 then xoxb-2, ssn 123-45-6789 and 12-3456"
    expected = KeywordIndex(rules, fast_after=0).hits(text)
    cache = tmp_path / "cache"
    assert KeywordIndex(rules, fast_after=0, cache_dir=cache).hits(text) == expected
    # not the whole stat: reading a file may update its access time
    stored = {path: _written(path) for path in cache.glob("hyperscan-*.db")}
    assert len(stored) == 3  # the keywords, the shapes of rules without any, other digits
    if damage == "torn":
        for path in stored:
            path.write_bytes(path.read_bytes()[:64])
    elif damage == "not a folder":
        shutil.rmtree(cache)
        cache.write_text("a file where the cache folder should be")
    assert KeywordIndex(rules, fast_after=0, cache_dir=cache).hits(text) == expected
    if damage == "none":  # loaded, not compiled and written again
        assert {path: _written(path) for path in stored} == stored
    elif damage == "torn":  # compiled again and replaced
        assert all(path.stat().st_size == size for path, (_, _, size) in stored.items())


def _written(path: Path) -> tuple[int, int, int]:
    """What writing a file changes: its inode (a replaced file), its modification time, its size."""
    status = path.stat()
    return status.st_ino, status.st_mtime_ns, status.st_size


def test_rules_without_keywords_alone_are_still_selected_by_their_shape() -> None:
    pytest.importorskip("hyperscan")
    ssn = Rule("ssn", "d", "pii", "T", r"\b(\d{3}-\d{2}-\d{4})\b")
    assert KeywordIndex([ssn]).hits("no number here") == {0: []}
    native = KeywordIndex([ssn], fast_after=0)
    assert native.hits("no number here") == {}
    assert native.hits("ssn 123-45-6789") == {0: [15]}


def test_a_rule_selected_by_shape_wakes_where_its_shape_is_not_where_its_keyword_is() -> None:
    pytest.importorskip("hyperscan")
    mail = Rule("mail", "d", "pii", "EMAIL", r"\b([a-z]+@[a-z]+\.com)\b", keywords=("@",),
                prefilter="shape")
    token = _rule("token", "ghp_")
    text = "@property\ndef f(): pass\n# ghp_ and jo@acme.com\n"
    portable = KeywordIndex([mail, token]).hits(text)
    native = KeywordIndex([mail, token], fast_after=0).hits(text)
    assert portable == {0: [0, text.index("@acme")], 1: [text.index("ghp_")]}
    # the decorator's "@" no longer wakes it; where its shape ends does
    assert native == {0: [text.index(".com") + 4], 1: [text.index("ghp_")]}
    # a CSV header's keywords still label every row, whatever selects the rule
    assert KeywordIndex([mail, token], fast_after=0).keyword_rules("id,@,ghp_") == {0, 1}


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"a{0,62}b", r"a{0,}b"),
        (r"\d{12,19}", r"\d{12,}"),
        (r"x{32}", r"x{32}"),  # exact: opened, it matches at every character past the 32nd
        (r"x{,20}", r"x{0,}"),
        (r"(?:ab){1,20}", r"(?:ab){1,}"),
        (r"[]a]{0,20}", r"[]a]{0,}"),
        (r"[^]a]{0,20}", r"[^]a]{0,}"),
        (r"a{1,8}b{3}c{5,}", r"a{1,8}b{3}c{5,}"),  # short or open already
        (r"[{0,99}]", r"[{0,99}]"),  # in a class: characters
        (r"\{0,99}", r"\{0,99}"),  # escaped: text
        (r"{0,99}", r"{0,99}"),  # nothing to repeat: text
        (r"(?<!a{0,20})b", r"(?<!a{0,20})b"),  # a wider negative lookaround rejects more
        (r"(?=(?:a{0,20}))b|c{0,20}", r"(?=(?:a{0,20}))b|c{0,}"),
    ],
)
def test_widened_opens_long_bounded_repeats(pattern: str, expected: str) -> None:
    assert widened(pattern) == expected


SHAPED = [
    rule for rule in load_rules([builtin_patterns_dir()], cache_dir=None)
    if not rule.keywords or rule.prefilter == "shape"
]


def test_widened_shapes_match_whatever_the_rules_match() -> None:
    """hyperscan is handed a rule's ``shape`` (which lint finds inside every
    example's match) or its regex, widened: still found in every example."""
    assert {rule.id for rule in SHAPED if rule.shape} >= {"pii-email", "pii-phone"}
    for rule in SHAPED:
        shape = compile_rule_regex(widened(rule.shape or rule.regex))
        for example in rule.examples:
            assert shape.search(example.text), (rule.id, example.text)


# what personal data is made of, and what it is mistaken for: numbers with
# every separator, prefixes, addresses, other scripts' digits and letters
_PIECES = [
    *"0123456789", " ", "-", ".", "+", "(", ")", "/", ":", "@", "_", "%", "x", "ext", "e",
    "DE", "GB", "ab", "Z", "\t", "\u00a0", "é", "\u0663", "\uff17", "mail.com",
    "00", "1 ", "415 ", "867-", "2301", "4526 0181 5908 3012", "536-22-8137", "2001:db8::",
    "81.2.69.", "DE44 5001 0517 5407 3249 31", "jo@", "@telia.se",
]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("lines_per_line", [1, 40])
def test_the_shape_prefilter_agrees_with_the_regexes_on_random_text(
    seed: int, lines_per_line: int
) -> None:
    """Random text made of what phone, card, SSN, IBAN, IP and e-mail
    matches are made of, longer than a window so that where the shape ends
    decides which lines are searched: hyperscan must select every match the
    regexes find when they search everything. Joined into long lines, only
    the widest match around each shape is searched."""
    pytest.importorskip("hyperscan")
    from leakguard.models import Fragment
    from leakguard.scan import Engine

    rng = random.Random(seed)

    def piece() -> str:
        return rng.choice(_PIECES) if rng.random() < 0.6 else rng.choice(string.digits) * 4

    # a made-up line among plain ones: a shape missed on it is not made up
    # for by a window around another line's
    lines = [
        "".join(piece() for _ in range(rng.randint(2, 16))) if rng.random() < 0.1
        else "plain words on a line of their own"
        for _ in range(3000)
    ]
    text = "\n".join(
        " ".join(lines[at : at + lines_per_line]) for at in range(0, len(lines), lines_per_line)
    )
    portable, native = Engine(SHAPED), Engine(SHAPED)
    native.index = KeywordIndex(SHAPED, fast_after=0)

    def matches(engine: Engine) -> list[tuple[str, int, int, str]]:
        scanned = engine.scan_fragment(Fragment("data.txt", text))
        return sorted((f.rule_id, f.line, f.column, f.secret) for f in scanned.findings)

    expected = matches(portable)
    assert len({rule for rule, *_ in expected}) >= 4  # the text exercises most rules
    assert matches(native) == expected
