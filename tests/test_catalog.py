from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.checks import check_rules
from leakguard.errors import RuleError
from leakguard.rules import builtin_patterns_dir, load_rules, parse_rule_file
from leakguard.scan import scan_text

CATALOG = """\
services = [
  { id = "acme", name = "Acme", alphabet = "hex", length = 32 },
  { id = "acme", name = "Acme", credential = "app secret", keywords = ["acme", "acm_app"], alphabet = "base62", length = [24, 30] },
  { id = "widgetly", name = "Widgetly", credential = "server token", alphabet = "uuid" },
  { id = "okay", name = "Okay", credential = "API token", alphabet = "base64url", length = 40, prefix = "00" },
]

[defaults]
severity = "critical"
tags = ["demo"]
"""

TOKEN = "3f9a0c1e5b7d2468ace13579bdf02468"


def _load(tmp_path: Path, text: str = CATALOG) -> list:  # type: ignore[type-arg]
    path = tmp_path / "catalog.toml"
    path.write_text(text)
    return list(load_rules([path], cache_dir=None))


def test_entries_expand_into_rules_with_ids_types_and_defaults(tmp_path: Path) -> None:
    rules = {rule.id: rule for rule in _load(tmp_path)}
    assert sorted(rules) == ["acme-api-key", "acme-app-secret", "okay-api-token",
                             "widgetly-server-token"]
    rule = rules["acme-app-secret"]
    assert rule.type == "ACME_APP_SECRET"
    assert rule.keywords == ("acme", "acm_app")
    assert rule.specificity == 50
    assert rule.severity == "critical"
    assert rule.tags == ("demo", "catalog", "acme")
    assert rule.validator == "service_token"
    assert rule.source.endswith("catalog.toml:3")
    assert "24-30 base62" in rule.description


def test_generated_vectors_pass_rules_check_and_are_stable(tmp_path: Path) -> None:
    rules = _load(tmp_path)
    assert [str(problem) for problem in check_rules(rules)] == []
    assert all(len(rule.examples) >= 3 and len(rule.counterexamples) >= 5 for rule in rules)
    again = _load(tmp_path)
    assert [r.examples for r in rules] == [r.examples for r in again]
    tokens = {r.examples[0].secret for r in rules}
    assert len(tokens) == len(rules)  # seeded per rule, not one shared draw


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        (f'ACME_API_KEY = "{TOKEN}"', True),
        (f"export ACME_API_KEY={TOKEN}", True),
        (f'acmeApiKeyProd: "{TOKEN}"', True),
        (f'{{"acme": {{"api_key": "{TOKEN}"}}}}', True),
        (f"[acme]\ntoken = {TOKEN}", True),
        (f'client = acme.Client(\n    api_key="{TOKEN}",\n)', True),
        (f'headers.put("X-Acme-Key", "{TOKEN}")', True),
        (f'ACME_API_KEY_ID = "{TOKEN}"', False),        # another setting
        (f'ACME_MONKEY = "{TOKEN}"', False),            # 'key' inside a word
        (f'ACME_URL = "{TOKEN}"', False),               # not a credential name
        (f'PACME_API_KEY = "{TOKEN}"', False),          # service word inside a word
        (f'ACME_API_KEY = "{TOKEN}0"', False),          # too long
        (f'ACME_API_KEY = "{TOKEN}.example.org"', False),
        (f'# acme\n\n\n\napi_key = "{TOKEN}"', False),  # too far below the name
        ('ACME_API_KEY = "0123456789abcdef0123456789abcdef"', False),
        ('ACME_API_KEY = "$(vault read -field=key secret/acme)"', False),
        (f'acme_next_token = "{TOKEN}"', False),        # a cursor, not a credential
    ],
)
def test_catalog_regex_needs_the_service_in_the_name_or_just_above(
    tmp_path: Path, text: str, reported: bool
) -> None:
    rules = [r for r in _load(tmp_path) if r.id == "acme-api-key"]
    findings = scan_text(text, rules)
    assert bool(findings) is reported, findings
    if reported:
        assert findings[0].secret == TOKEN


def test_uuid_services_take_uuids_and_dash_alphabets_refuse_them(tmp_path: Path) -> None:
    rules = {rule.id: rule for rule in _load(tmp_path)}
    uuid = "5e2f0c1a-9b7d-4c3e-8a1f-2d4b6c8e0f13"
    assert scan_text(f'WIDGETLY_SERVER_TOKEN="{uuid}"', [rules["widgetly-server-token"]])
    wide = _load(tmp_path, 'services = [{ id = "wide", name = "Wide", alphabet = "base64url", '
                           "length = [30, 40] }]\n")
    assert scan_text('WIDE_API_KEY="Qm3zR8vL2kP9tX4wN7yBf5Hj-Kx7mP2qR9s"', wide)
    assert not scan_text(f'WIDE_API_KEY="{uuid}"', wide)


def test_catalog_rules_lose_to_a_dedicated_rule_on_the_same_text(tmp_path: Path) -> None:
    shipped = load_rules([builtin_patterns_dir()], cache_dir=None)
    okay = _load(tmp_path, 'services = [{ id = "okay", name = "Okay", credential = "API token", '
                           'alphabet = "word", length = 40 }]\n')
    line = 'OKAY_API_TOKEN = "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"'
    assert [f.rule_id for f in scan_text(line, okay)] == ["okay-api-token"]
    dedicated = [r for r in shipped if r.id == "github-pat"]
    assert [f.rule_id for f in scan_text(line, [*dedicated, *okay])] == ["github-pat"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('{ id = "acme", name = "Acme", alphabet = "hex", length = 32, colour = "red" }', "unknown key(s): colour"),
        ('{ id = "acme", alphabet = "hex", length = 32 }', "missing required key 'name'"),
        ('{ id = "acme", name = "Acme", alphabet = "hexx", length = 32 }', "unknown alphabet 'hexx'"),
        ('{ id = "acme", name = "Acme", alphabet = "hex" }', "'length' must be an integer"),
        ('{ id = "acme", name = "Acme", alphabet = "hex", length = [40, 20] }', "min ≤ max"),
        ('{ id = "acme", name = "Acme", alphabet = "hex", length = 4 }', "within 8..200"),
        ('{ id = "acme", name = "Acme", credential = "account id", alphabet = "hex", length = 32 }', "last word must say what it is"),
        ('{ id = "acme", name = "Acme", keywords = ["ac"], alphabet = "hex", length = 32 }', "keyword 'ac'"),
        ('{ id = "acme", name = "Acme", keywords = [], alphabet = "hex", length = 32 }', "non-empty array"),
        ('{ id = "acme", name = "Acme", alphabet = "hex", length = 32, prefix = "a b" }', "prefix"),
        ('{ id = "acme", name = "Acme", alphabet = "hex", length = 32, severity = "dire" }', "'severity' must be one of"),
    ],
)
def test_bad_entries_name_file_line_and_service(tmp_path: Path, entry: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'services = [\n  { id = "fine", name = "Fine", alphabet = "hex", length = 32 },\n'
        f"  {entry},\n]\n"
    )
    with pytest.raises(RuleError) as raised:
        parse_rule_file(path, path.read_bytes())
    text = str(raised.value)
    assert f"{path}:3:" in text
    assert "'acme" in text
    assert message in text


def test_bad_id_and_non_table_entries_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('services = [{ id = "Bad Id", name = "x", alphabet = "hex", length = 32 }]\n')
    with pytest.raises(RuleError, match=r"bad\.toml:1: service 'Bad Id': 'id' must be"):
        parse_rule_file(path, path.read_bytes())
    path.write_text('services = "acme"\n')
    with pytest.raises(RuleError, match="'services' must be an array"):
        parse_rule_file(path, path.read_bytes())


def test_expanded_rules_are_cached(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(CATALOG)
    cache = tmp_path / "cache"
    first = load_rules([path], cache_dir=cache)
    assert len(list(cache.glob("rules-*.pickle"))) == 1
    assert load_rules([path], cache_dir=cache) == first
