from __future__ import annotations

import base64
import random

import pytest
from vectors import GITHUB_TOKEN, OTHER_GITHUB_TOKEN

from leakguard.models import Finding, Fragment, Rule
from leakguard.rules import builtin_patterns_dir, load_rules
from leakguard.scan import Engine, LineIndex, scan, scan_text

RULES = load_rules([builtin_patterns_dir()], cache_dir=None)
GITHUB = [rule for rule in RULES if rule.id == "github-pat"]


def _rule(**overrides: object) -> Rule:
    fields: dict[str, object] = {
        "id": "demo-token", "description": "Demo", "kind": "secret", "type": "DEMO",
        "regex": r"\b(demo_[0-9a-f]{16})\b", "keywords": ("demo_",),
    }
    fields.update(overrides)
    return Rule(**fields)  # type: ignore[arg-type]


def test_finding_has_position_and_metadata() -> None:
    text = f'# settings\nTOKEN = "{GITHUB_TOKEN}"\n'
    [finding] = scan_text(text, GITHUB, path="app/settings.py")
    assert (finding.rule_id, finding.type, finding.kind) == ("github-pat", "GITHUB_TOKEN", "secret")
    assert (finding.path, finding.line, finding.column) == ("app/settings.py", 2, 10)
    assert (finding.end_line, finding.end_column) == (2, 10 + len(GITHUB_TOKEN))
    assert finding.secret == GITHUB_TOKEN
    assert finding.confidence == "high" and finding.severity == "critical"


def test_fingerprint_ignores_the_line_but_not_path_or_secret() -> None:
    [first] = scan_text(f"x = '{GITHUB_TOKEN}'", GITHUB, path="a.py")
    [moved] = scan_text(f"\n\n\n# moved\nx = '{GITHUB_TOKEN}'", GITHUB, path="a.py")
    [other_path] = scan_text(f"x = '{GITHUB_TOKEN}'", GITHUB, path="b.py")
    [other_secret] = scan_text(f"x = '{OTHER_GITHUB_TOKEN}'", GITHUB, path="a.py")
    assert first.fingerprint == moved.fingerprint
    assert first.line != moved.line
    assert len({first.fingerprint, other_path.fingerprint, other_secret.fingerprint}) == 3


def test_one_finding_per_fingerprint() -> None:
    text = f"a = '{GITHUB_TOKEN}'\nb = '{GITHUB_TOKEN}'\nc = '{OTHER_GITHUB_TOKEN}'\n"
    findings = scan_text(text, GITHUB)
    assert [f.line for f in findings] == [1, 3]


def test_provider_rule_wins_over_generic_on_the_same_value() -> None:
    text = f'api_key = "{GITHUB_TOKEN}"'
    findings = scan_text(text, RULES, include_suppressed=True)
    reported = [f for f in findings if not f.suppressed]
    assert [f.rule_id for f in reported] == ["github-pat"]
    generic = [f for f in findings if f.rule_id == "generic-api-key"]
    assert generic and generic[0].suppressed_by is not None
    assert generic[0].suppressed_by.stage == "specificity"
    assert "github-pat" in generic[0].suppressed_by.reason


@pytest.mark.parametrize(
    ("line", "stage"),
    [
        ("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "placeholder"),
        ("ghp_EXAMPLE0000000000000000000000000000a", "placeholder"),
        ("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "placeholder"),
    ],
)
def test_suppressed_matches_carry_their_reason(line: str, stage: str) -> None:
    [finding] = scan_text(line, GITHUB, include_suppressed=True)
    assert finding.suppressed_by is not None and finding.suppressed_by.stage == stage
    assert scan_text(line, GITHUB) == []


@pytest.mark.parametrize(
    ("text", "suppressed"),
    [
        (f"t = '{GITHUB_TOKEN}'  # leakguard:allow", True),
        (f"t = '{GITHUB_TOKEN}'  // leakguard:allow github-pat", True),
        (f"t = '{GITHUB_TOKEN}'  # leakguard:allow aws-access-key-id", False),
        (f"t = '{GITHUB_TOKEN}'  # leakguard:allow because it is revoked", False),
        (f"# leakguard:allow-next-line github-pat\nt = '{GITHUB_TOKEN}'", True),
        (f"# leakguard:allow-next-line\n\nt = '{GITHUB_TOKEN}'", False),
        (f"<!-- leakguard:allow -->{GITHUB_TOKEN}", True),
    ],
)
def test_inline_pragma(text: str, suppressed: bool) -> None:
    [finding] = scan_text(text, GITHUB, include_suppressed=True)
    assert finding.suppressed == suppressed
    if suppressed:
        assert finding.suppressed_by is not None and finding.suppressed_by.stage == "pragma"


def test_keyword_hit_far_from_match_is_not_searched() -> None:
    """The regex runs on lines around keyword hits: a token whose keyword is
    nowhere near is not a candidate of that rule (bounded cost on big files)."""
    rule = _rule(regex=r"(?s)demo_.*?\b([0-9a-f]{16})\b")
    filler = "\n".join(f"line {n} of filler text that mentions nothing" for n in range(200))
    near = f"demo_ marker\nvalue 4f9a8c7e6d5b4a3f\n{filler}"
    far = f"demo_ marker\n{filler}\nvalue 4f9a8c7e6d5b4a3f"
    assert [f.secret for f in scan_text(near, [rule])] == ["4f9a8c7e6d5b4a3f"]
    assert scan_text(far, [rule]) == []


def test_rules_without_keywords_always_run() -> None:
    rule = _rule(keywords=(), regex=r"\b(zz[0-9a-f]{16})\b")
    assert [f.secret for f in scan_text("id zz4f9a8c7e6d5b4a3f", [rule])] == ["zz4f9a8c7e6d5b4a3f"]


def test_multiline_rule_sees_the_whole_rest_of_the_text() -> None:
    rule = _rule(
        keywords=("begin demo",), multiline=True,
        regex=r"BEGIN DEMO\n((?:[0-9a-f]{16}\n){3,})END DEMO",
    )
    body = "".join("4f9a8c7e6d5b4a3f\n" for _ in range(500))
    text = "x" * 5000 + "\nBEGIN DEMO\n" + body + "END DEMO\n"
    [finding] = scan_text(text, [rule])
    assert finding.line == 3 and finding.end_line == 502


def test_real_line_numbers_of_non_contiguous_lines() -> None:
    fragment = Fragment("a.py", f"first = 1\nt = '{GITHUB_TOKEN}'", line_numbers=(10, 42))
    [finding] = scan(Engine(GITHUB), [fragment]).findings
    assert finding.line == 42


def test_a_regex_timeout_marks_the_scan_incomplete() -> None:
    rule = _rule(keywords=("a",), regex=r"(a|aa)+(b)")
    result = scan(Engine([rule], regex_timeout=0.001), [Fragment("slow.txt", "a" * 40 + "c")])
    assert result.findings == []
    assert [item.error for item in result.skipped] == [True]
    assert "timed out" in result.skipped[0].reason


def test_non_ascii_text_keeps_columns_aligned() -> None:
    text = f"İstanbul İzmir = '{GITHUB_TOKEN}'"
    [finding] = scan_text(text, GITHUB)
    assert text[finding.column - 1 :].startswith(GITHUB_TOKEN)


def test_pii_rules_follow_the_path_policy() -> None:
    from leakguard.config import PiiPolicy

    rule = _rule(kind="pii")
    fragment_in = Fragment("data/users.csv", "demo_4f9a8c7e6d5b4a3f")
    fragment_out = Fragment("docs/readme.md", "demo_4f9a8c7e6d5b4a3f")
    engine = Engine([rule], pii=PiiPolicy(paths=("data/*",)))
    assert len(scan(engine, [fragment_in]).findings) == 1
    assert scan(engine, [fragment_out]).findings == []


def test_personal_data_turned_off_leaves_its_rules_out_of_the_engine() -> None:
    from leakguard.config import PiiPolicy

    secret, pii = _rule(), _rule(id="pii-demo", kind="pii", keywords=())
    engine = Engine([secret, pii], pii=PiiPolicy(enabled=False))
    assert engine.rules == (secret,) and engine.index.always == ()
    assert [f.rule_id for f in scan(engine, [Fragment("a.py", "demo_4f9a8c7e6d5b4a3f")]).findings] == ["demo-token"]


@pytest.mark.parametrize(
    ("text", "keyword", "span"),
    [
        # the keyword inside the match, and the whole match beyond the secret
        ("demo_3f9a1c7e5b2d8046", "demo_", (1, 1, 1, 22)),
        ('x = 1\n  key: "demo_3f9a1c7e5b2d8046"', "demo_", (2, 9, 2, 30)),
    ],
)
def test_finding_records_keyword_and_whole_match_span(text: str, keyword: str, span: tuple[int, ...]) -> None:
    [finding] = scan_text(text, [_rule()])
    assert finding.keyword == keyword and finding.match_span == span


def test_match_span_covers_more_than_the_secret() -> None:
    rule = _rule(regex=r'token\s*=\s*"(demo_[0-9a-f]{16})"', keywords=("token",))
    [finding] = scan_text('\n token = "demo_3f9a1c7e5b2d8046"', [rule])
    assert finding.keyword == "token"
    assert finding.match_span == (2, 2, 2, 33) and (finding.column, finding.end_column) == (11, 32)

# --- personal data: context, data-file spans, test data ------------------------------

PII = [rule for rule in RULES if rule.kind == "pii"]


def _types(findings: list[Finding]) -> list[tuple[str, str]]:
    return sorted((f.type, f.secret) for f in findings)


def test_every_pii_type_is_found_in_one_text() -> None:
    from pii_vectors import CARD, DOB, EMAIL, IBAN, IPV4, PHONE, SSN

    text = (f"to {EMAIL}\ncall {PHONE}\ncard {CARD}\nssn {SSN}\niban {IBAN}\n"
            f"from {IPV4}\ndob: {DOB}\npassport number: 533918274\nNINO: JG 10 37 59 B\n")
    assert _types(scan_text(text, PII)) == sorted([
        ("EMAIL", EMAIL), ("PHONE", PHONE), ("CREDIT_CARD", CARD), ("US_SSN", SSN),
        ("IBAN", IBAN), ("IPV4", IPV4), ("DATE_OF_BIRTH", DOB), ("PASSPORT", "533918274"),
        ("NATIONAL_ID", "JG 10 37 59 B"),
    ])


def test_a_header_keyword_labels_the_whole_chunk() -> None:
    from leakguard.models import FieldSpan

    text = "Ana,1985-03-14\nBo,2020-01-15\n"
    spans = (FieldSpan(0, 0, 1), FieldSpan(0, 3, 1, "name"), FieldSpan(4, 14, 1, "dob"),
             FieldSpan(15, 15, 2), FieldSpan(15, 17, 2, "name"), FieldSpan(18, 28, 2, "created"))
    labelled = Fragment("p.csv", text, start_line=2, spans=spans, context="name,dob\n")
    [finding] = scan(Engine(PII), [labelled]).findings
    assert (finding.type, finding.row, finding.field, finding.line) == ("DATE_OF_BIRTH", 1, "dob", 2)
    bare = Fragment("p.csv", text, start_line=2, spans=spans)
    assert scan(Engine(PII), [bare]).findings == []


@pytest.mark.parametrize(("mode", "reported"), [("report", True), ("skip", False)])
def test_published_test_cards_follow_the_test_data_setting(mode: str, reported: bool) -> None:
    from pii_vectors import TEST_CARD

    from leakguard.config import PiiPolicy

    engine = Engine(PII, pii=PiiPolicy(test_data=mode))
    result = scan(engine, [Fragment("checkout_test.py", f"card = '{TEST_CARD}'\n")])
    if reported:
        [finding] = result.findings
        assert (finding.type, finding.severity) == ("CREDIT_CARD", "low")
    else:
        assert result.findings == []
        assert result.suppressed[0].suppressed_by.stage == "test-data"  # type: ignore[union-attr]


def test_a_mostly_pii_column_is_one_finding_with_a_count() -> None:
    from leakguard import formats

    rows = "".join(f"{n},user.{n}@gmail.com\n" for n in range(30))
    text = "id,email\n" + rows + "30,none\n"
    result = scan(Engine(PII), formats.fragments("users.csv", text))
    [finding] = result.findings
    assert (finding.occurrences, finding.field, finding.row, finding.line) == (30, "email", 1, 2)


def test_a_few_emails_in_a_column_stay_separate() -> None:
    from leakguard import formats

    values = [f"user.{n}@gmail.com" if n < 3 else "-" for n in range(30)]
    text = "id,email\n" + "".join(f"{n},{value}\n" for n, value in enumerate(values))
    result = scan(Engine(PII), formats.fragments("users.csv", text))
    assert [(f.occurrences, f.row) for f in result.findings] == [(None, 1), (None, 2), (None, 3)]


@pytest.mark.parametrize(
    "text", ["", "\n", "one line", "a\nbb\n\nccc\n", "\n\nx\n" * 40, "İ\nü\r\nend"]
)
def test_line_index_agrees_with_splitting_the_text(text: str) -> None:
    starts = [0] + [at + 1 for at, char in enumerate(text) if char == "\n"]
    lines = LineIndex(text)
    offsets = list(range(len(text) + 1))
    random.Random(len(text)).shuffle(offsets)  # asked in any order, not only forwards
    for offset in offsets:
        index = max(i for i, start in enumerate(starts) if start <= offset)
        end = starts[index + 1] - 1 if index + 1 < len(starts) else len(text)
        assert lines.locate(offset) == (index, starts[index], end)
        assert lines.previous_line(starts[index]) == (
            text[starts[index - 1] : starts[index] - 1] if index else ""
        )
    assert lines.count == len(starts)
    assert [lines.start_of(index) for index in range(len(starts))] == starts


def test_a_full_match_cache_starts_over_and_still_finds_everything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from leakguard import scan as scan_module

    monkeypatch.setattr(scan_module, "CACHED_TEXTS", 2)
    texts = [f"TOKEN_{n} = '{GITHUB_TOKEN}'\n" if n % 2 else f"plain = {n}\n" for n in range(6)]
    fragments = [Fragment(f"f{n}.py", text) for n, text in enumerate(texts + texts)]
    cached = Engine(GITHUB, cache_matches=True)
    expected = scan(Engine(GITHUB), fragments).findings
    assert scan(cached, fragments).findings == expected and len(expected) == 6
    assert len(cached._cache or {}) <= 2 and len(cached._layers or {}) <= 2


@pytest.mark.parametrize(
    "line",
    [
        # two tokens and an address in one literal
        f'creds = {{"a": "{GITHUB_TOKEN}", "b": "{OTHER_GITHUB_TOKEN}", '
        '"mail": "maria.gonzalez84@gmail.com"}',
        # a token beside another one's base64: decoded, it is a finding too
        f'x = ["{GITHUB_TOKEN}", "'
        + base64.b64encode(f"token={OTHER_GITHUB_TOKEN}".encode()).decode() + '"]',
        # a minified line, clipped for the report through the other token
        "z" * 700 + f' a="{OTHER_GITHUB_TOKEN}"' + " " * 118 + f'b="{GITHUB_TOKEN}"' + "q" * 900,
    ],
)
def test_the_line_shown_for_a_finding_hides_every_value_on_it(line: str) -> None:
    """What the engine records for a finding's line lets a report mask not
    only its secret but every value found there (encoded ones included, and
    the part of one where the line was clipped)."""
    from leakguard.masking import mask_line

    encoded = base64.b64encode(f"token={OTHER_GITHUB_TOKEN}".encode()).decode()
    values = [GITHUB_TOKEN, OTHER_GITHUB_TOKEN, "maria.gonzalez84@gmail.com", encoded]
    findings = scan_text(line + "\n", RULES, include_suppressed=True)
    assert {f.secret for f in findings} >= {GITHUB_TOKEN, OTHER_GITHUB_TOKEN}
    for finding in findings:
        shown = mask_line(finding.line_text, finding.secret, finding.hidden)
        for value in values:
            pieces = {value[i : i + 8] for i in range(len(value) - 7)}
            assert not [piece for piece in pieces if piece in shown], (finding.rule_id, shown)
