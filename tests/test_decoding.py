"""Encoded segments are decoded, recursively and within a budget, and what
they hide is reported at the encoded segment's place with its decoding path."""

from __future__ import annotations

import base64
import gzip
import json
import quopri
import random
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run
from vectors import GITHUB_TOKEN, PASSWORD

from leakguard.decoding import layers
from leakguard.models import Finding, Fragment
from leakguard.rules import builtin_patterns_dir, load_rules
from leakguard.scan import Engine, scan

Runner = Callable[..., Run]
SHIPPED = load_rules([builtin_patterns_dir()], cache_dir=None)
SECRET_TEXT = f'{{"token": "{GITHUB_TOKEN}"}}'


def _b64(text: str, urlsafe: bool = False) -> str:
    encode = base64.urlsafe_b64encode if urlsafe else base64.b64encode
    return encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("encoded", "kind"),
    [
        (_b64(SECRET_TEXT), "base64"),
        (_b64(SECRET_TEXT + "??>>"), "base64"),                   # '+' and '/' in the encoding
        (_b64(SECRET_TEXT + "??>>", urlsafe=True), "base64url"),  # '-' and '_' instead
        (SECRET_TEXT.encode().hex(), "hex"),
        (SECRET_TEXT.encode().hex().upper(), "hex"),
        (urllib.parse.quote(SECRET_TEXT), "percent"),
    ],
)
def test_each_encoding_decodes(encoded: str, kind: str) -> None:
    found = list(layers(f"value = {encoded}\n"))
    assert [(layer.path, GITHUB_TOKEN in layer.text) for layer in found] == [((kind,), True)]
    assert found[0].start == len("value = ")
    assert found[0].end == len("value = ") + len(encoded)


def test_json_string_escapes_decode() -> None:
    text = 'settings: "{\\"api_key\\": \\"' + GITHUB_TOKEN + '\\"}"\n'
    (layer,) = layers(text)
    assert layer.path == ("json",)
    assert layer.text == '{"api_key": "' + GITHUB_TOKEN + '"}'
    assert text[layer.start : layer.end].startswith("{\\")


def test_unicode_escapes_decode() -> None:
    escaped = "".join(f"\\u{ord(c):04x}" for c in "password=" + PASSWORD)
    (layer,) = layers(f'x = "{escaped}"')
    assert layer.text == "password=" + PASSWORD


def test_quoted_printable_decodes() -> None:
    body = quopri.encodestring(f"db_password={PASSWORD} and more text to wrap around the line limit of seventy six characters".encode()).decode()
    assert "=3D" in body and "=\n" in body  # an escape and a soft line break
    (layer,) = layers("Content-Transfer-Encoding: quoted-printable\n\n" + body)
    assert layer.path == ("quoted-printable",)
    assert f"db_password={PASSWORD}" in layer.text


def test_nested_encodings_report_their_path() -> None:
    inner = json.dumps({"config": json.dumps({"password": PASSWORD})})
    found = list(layers(json.dumps({"blob": _b64(inner)})))
    assert [layer.path for layer in found] == [("base64",), ("base64", "json")]
    assert found[1].text == json.dumps({"password": PASSWORD})
    assert found[0].start == found[1].start  # both placed on the outer segment


def test_depth_is_bounded() -> None:
    text = SECRET_TEXT
    for _ in range(4):
        text = _b64(text)
    assert len(list(layers(text, depth=3))) == 3
    assert len(list(layers(text, depth=4))) == 4
    assert list(layers(text, depth=0)) == []


def test_the_budget_caps_decoded_bytes() -> None:
    blob = _b64("lorem ipsum dolor sit amet " * 4000)  # ~108 KB of text
    (whole,) = layers(blob)
    (capped,) = layers(blob, budget=1000)
    assert len(whole.text) == 108000
    assert 990 <= len(capped.text) <= 1000


@pytest.mark.parametrize(
    "text",
    [
        base64.b64encode(random.Random(1).randbytes(3000)).decode(),  # binary (an image)
        "da39a3ee5e6b4b0d3255bfef95601890afd80709",                     # a hash: hex of binary
        "some_rather_long_snake_case_identifier_name = SOME_LONG_CONSTANT_NAME_HERE",
        "CamelCaseNamesLikeThisOneHere AbstractSingletonProxyFactoryBean",
        "colour=FF0000 background=00FF00",
        "url = 'postgres://app:p%40ss-Q7zR9w@db.internal/app'",         # URI escapes stay
    ],
)
def test_what_is_not_encoded_text_is_left_alone(text: str) -> None:
    assert list(layers(text)) == []


def test_segments_the_raw_scan_matched_are_skipped() -> None:
    text = f"a = {_b64(SECRET_TEXT)}"
    assert list(layers(text, skip=[(4, 10)])) == []
    assert len(list(layers(text, skip=[(0, 3)]))) == 1


def _scan(text: str, depth: int = 3) -> tuple[list[Finding], list[Finding]]:
    """(reported, suppressed) findings of the shipped rules on ``text``."""
    result = scan(Engine(SHIPPED, decode_depth=depth), [Fragment("config.json", text)])
    return result.findings, result.suppressed


def test_a_secret_in_base64_in_json_is_found_at_the_encoded_segment() -> None:
    inner = json.dumps({"config": json.dumps({"password": PASSWORD})})
    encoded = _b64(inner)
    text = '{\n  "name": "svc",\n  "blob": "' + encoded + '"\n}\n'
    (finding,), _ = _scan(text)
    assert finding.rule_id == "generic-password"
    assert finding.secret == PASSWORD
    assert finding.decoded_from == "base64 → json"
    assert (finding.path, finding.line, finding.column) == ("config.json", 3, 12)
    assert (finding.end_line, finding.end_column) == (3, 12 + len(encoded))
    assert not finding.suppressed


def test_decoding_can_be_turned_off() -> None:
    assert _scan(f"blob: {_b64(SECRET_TEXT)}\n", depth=0) == ([], [])
    reported, _ = _scan(f"blob: {_b64(SECRET_TEXT)}\n")
    assert [f.rule_id for f in reported] == ["github-pat"]


def test_a_pragma_on_the_encoded_line_covers_what_it_decodes_to() -> None:
    reported, suppressed = _scan(f"blob: {_b64(SECRET_TEXT)}  # leakguard:allow\n")
    assert reported == []
    (finding,) = [f for f in suppressed if f.rule_id == "github-pat"]
    assert finding.suppressed_by is not None and finding.suppressed_by.stage == "pragma"


def test_the_same_secret_raw_and_encoded_is_one_finding() -> None:
    text = f"token: {GITHUB_TOKEN}\nblob: {_b64(SECRET_TEXT)}\n"
    reported, _ = _scan(text)
    assert [(f.line, f.decoded_from) for f in reported] == [(1, None)]


def test_cli_reports_the_decoding_path(tmp_path: Path, run: Runner) -> None:
    (tmp_path / "values.yaml").write_text(f"secret:\n  data: {_b64(SECRET_TEXT)}\n")
    result = run("scan", "--no-git", ".", "-f", "json", cwd=tmp_path)
    (finding,) = result.json()["findings"]
    assert finding["decoded_from"] == "base64"
    assert (finding["line"], finding["column"]) == (2, 9)
    text = run("scan", "--no-git", ".", cwd=tmp_path)
    assert "decoded from base64" in text.out and GITHUB_TOKEN not in text.out
    (tmp_path / ".leakguard.toml").write_text("decode_depth = 0\n")
    assert run("scan", "--no-git", ".", cwd=tmp_path).code == 0


@pytest.mark.parametrize("escaped", [False, True])
def test_a_wrapped_block_is_one_segment(escaped: bool) -> None:
    import textwrap

    encoded = _b64(SECRET_TEXT + " and some more text to need a few lines " * 3)
    lines = textwrap.wrap(encoded, 40)
    text = json.dumps({"blob": "\n".join(lines)}) if escaped else "blob: |\n  " + "\n  ".join(lines) + "\n"
    (layer,) = layers(text)
    assert GITHUB_TOKEN in layer.text
    assert text[layer.start : layer.start + 40] == lines[0]
    wrapped_binary = "\n".join(textwrap.wrap(base64.b64encode(random.Random(2).randbytes(30000)).decode(), 76))
    assert list(layers(wrapped_binary)) == []


def test_with_the_match_cache_each_copy_is_still_reported_at_its_path() -> None:
    text = f"blob: {_b64(SECRET_TEXT)}\n"
    engine = Engine(SHIPPED, cache_matches=True)
    result = scan(engine, [Fragment("a.yaml", text), Fragment("b.yaml", text)])
    assert [(f.path, f.decoded_from) for f in result.findings] == [
        ("a.yaml", "base64"), ("b.yaml", "base64")
    ]


def _gzip_b64(text: str | bytes, *, urlsafe: bool = False) -> str:
    data = text.encode() if isinstance(text, str) else text
    encode = base64.urlsafe_b64encode if urlsafe else base64.b64encode
    return encode(gzip.compress(data, mtime=0)).decode()


@pytest.mark.parametrize("urlsafe", [False, True])
def test_base64_of_gzip_is_unpacked(urlsafe: bool) -> None:
    """Helm keeps releases so, and configurations carry compressed payloads:
    compressed text has no telltale of its own, gzip's magic does."""
    release = json.dumps({"chart": "svc", "config": {"token": GITHUB_TOKEN}, "n": list(range(80))})
    encoded = _gzip_b64(release, urlsafe=urlsafe)
    assert urlsafe is ("-" in encoded or "_" in encoded)  # the case is really tried
    text = f"kind: Secret\ndata:\n  release: {encoded}\n"
    (finding,), _ = _scan(text)
    assert (finding.rule_id, finding.decoded_from, finding.line) == (
        "github-pat", "base64 → gzip", 3
    )


@pytest.mark.parametrize(
    "encoded",
    [
        _gzip_b64(bytes(range(256)) * 4),  # binary inside
        "H4sI" + "A" * 60,  # the magic, then nothing gzip can read
    ],
)
def test_base64_of_gzip_that_holds_no_text_is_left_alone(encoded: str) -> None:
    assert list(layers(f"blob: {encoded}\n")) == []


def test_base64_of_gzip_unpacks_no_further_than_the_budget() -> None:
    """Ten megabytes pack into ten kilobytes: the budget stops the unpacking."""
    bomb = _gzip_b64("a" * 10_000_000)
    [layer] = layers(f"blob: {bomb}\n", budget=4096)
    assert layer.path == ("base64 → gzip",) and len(layer.text) == 4096
