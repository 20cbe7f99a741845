"""Expand compact service entries into rules: the long tail at one line each.

Many services issue keys that have no prefix of their own and are only
recognisable as "a token of this alphabet and length assigned to a name that
says which service it belongs to". A pattern file describes each of them in
one line under ``services``::

    services = [
      { id = "algolia", name = "Algolia", credential = "admin API key",
        alphabet = "hex", length = 32 },
    ]

and this module turns each entry into a rule table (the same shape as a
``[[rules]]`` entry, which ``rules.py`` then validates like any other): the
regex, a type, a minimum entropy, and examples and counterexamples generated
deterministically from the service id, so ``rules check`` exercises every
entry. Nothing here reads files; errors name the file, line and service id.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from leakguard.entropy import longest_run, longest_sequence, shannon
from leakguard.errors import RuleError

SERVICE_KEYS = frozenset(
    {
        "id", "name", "credential", "keywords", "alphabet", "length", "prefix", "type",
        "severity", "confidence", "min_entropy", "tags",
    }
)
# ``[defaults]`` of the file that apply to services (the rest describe rules)
INHERITED = ("severity", "confidence", "tags")
SPECIFICITY = 50
SERVICE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
KEYWORD = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
PREFIX = re.compile(r"^[A-Za-z0-9_.$-]*$")
MIN_LENGTH = 8
MAX_LENGTH = 200


@dataclass(frozen=True)
class Alphabet:
    """A token alphabet: its regex class (inside ``[]``) and the characters
    generated examples are drawn from."""

    pattern: str
    chars: str
    dash: bool = False  # may hold '-', so a UUID could match: exclude those


_LOWER = "abcdefghijklmnopqrstuvwxyz"
_UPPER = _LOWER.upper()
_DIGITS = "0123456789"
ALPHABETS: Mapping[str, Alphabet] = {
    "hex": Alphabet("0-9a-f", _DIGITS + "abcdef"),
    "hex-upper": Alphabet("0-9A-F", _DIGITS + "ABCDEF"),
    "hex-any": Alphabet("0-9a-fA-F", _DIGITS + "abcdef"),
    "alnum-lower": Alphabet("a-z0-9", _LOWER + _DIGITS),
    "alnum-upper": Alphabet("A-Z0-9", _UPPER + _DIGITS),
    "base62": Alphabet("A-Za-z0-9", _UPPER + _LOWER + _DIGITS),
    "word": Alphabet("A-Za-z0-9_", _UPPER + _LOWER + _DIGITS + "_"),
    "base64url": Alphabet("A-Za-z0-9_-", _UPPER + _LOWER + _DIGITS + "_-", dash=True),
    "base64": Alphabet("A-Za-z0-9+/", _UPPER + _LOWER + _DIGITS + "+/"),
    "digits": Alphabet("0-9", _DIGITS),
    "uuid": Alphabet("0-9a-fA-F-", _DIGITS + "abcdef"),
}

# The last word of a credential's name must say it is a credential, and the
# same words are what the validator expects at the end of the assigned name.
CREDENTIAL_WORDS = (
    "key", "keys", "token", "tokens", "secret", "secrets", "password", "passwd", "pass",
    "pwd", "auth", "credential", "credentials", "creds", "pat", "apikey",
)
_CRED = (
    r"(?i:(?:api|access|secret|auth|app|client|private|master|admin|service|server|write"
    r"|read|ingest|license|account|bot|user|personal|project|org|team|signing|webhook"
    r"|management|deploy|upload|publish)?"
    r"(?:keys?|tokens?|secrets?|password|passwd|pass|pwd|auth|credentials?|creds?|pat))"
)
# What may follow the credential word inside the name (``API_KEY_V2``,
# ``apiKeyProd``); anything else (``KEY_ID``, ``TOKEN_URL``) is another setting.
_SUFFIX = (
    r"(?:[_.-]?(?i:v?[0-9]{1,3}|live|prod|production|test|dev|staging|sandbox|value|str"
    r"|string|b64|base64|hex))?"
)
# A name starts here, and a credential word starts a name part (after a
# separator, or a camelCase hump).
_PART = r"(?:(?<![A-Za-z0-9])|(?<=[a-z0-9])(?=[A-Z]))"
_ASSIGN = (
    r"(?:[\"'`]?\]?[ \t]*(?::=|=>|[=:>])[ \t]*|[\"'`][ \t]*,[ \t]*(?=[\"'`]))"
)
_TERMINATOR = r"(?:(?<=[\"'`])|(?=[\s,;)}\]&#<]|\Z))"
# Where a section about the service opens, with its credentials on the next
# lines: a YAML/JSON key, an INI/TOML table, a dict or a constructor call.
_OPEN = (
    r"[\w.-]*(?:[\"'`]?[ \t]*:[ \t]*(?=\n)|[\"'`]?[ \t]*(?::|=>?)[ \t]*(?:\{|dict\()"
    r"|[\"'`]?[ \t]*\{|\]|\()"
)
_BELOW = r"[^\n]{0,120}?(?:\n[^\n]{0,120}?){0,2}?"
# What the validator checks on the assigned name (shared, compiled once):
# it ends with a credential word and an allowed suffix.
CREDENTIAL_NAME_END = _PART + _CRED + _SUFFIX + "$"
# The regex itself only asks that a name below a section look like a
# credential at all, so a plain setting above it (``site: …``) cannot hide it.
_LOOSE_CRED = r"(?i:key|token|secret|pass|pwd|auth|cred|pat)"
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


@dataclass(frozen=True)
class Service:
    """One validated catalog entry."""

    id: str
    name: str
    credential: str
    keywords: tuple[str, ...]
    alphabet: str
    length: tuple[int, int]
    prefix: str
    type: str
    fields: Mapping[str, Any]

    @property
    def rule_id(self) -> str:
        return f"{self.id}-{_slug(self.credential, '-')}"


def service_lines(text: str, entries: Sequence[object]) -> list[int]:
    """1-based line of each entry's ``id = "…"``, in order; tomllib keeps no
    positions, and an error without a line is hard to act on."""
    lines: list[int] = []
    position = 0
    for entry in entries:
        service_id = entry.get("id") if isinstance(entry, dict) else None
        found = None
        if isinstance(service_id, str):
            found = re.compile(r"\bid\s*=\s*[\"']" + re.escape(service_id) + r"[\"']").search(
                text, position
            )
        if found is None:
            lines.append(0)
            continue
        position = found.end()
        lines.append(text.count("\n", 0, found.start()) + 1)
    return lines


def expand_services(
    entries: object, origin: str, text: str, defaults: Mapping[str, Any]
) -> Iterator[tuple[dict[str, Any], str]]:
    """Yield ``(rule table, location)`` for every catalog entry of a file."""
    if not isinstance(entries, list):
        raise RuleError(f"{origin}: 'services' must be an array of tables")
    inherited = {key: defaults[key] for key in INHERITED if key in defaults}
    for entry, line in zip(entries, service_lines(text, entries), strict=True):
        location = f"{origin}:{line}" if line else origin
        service = parse_service(entry, location, inherited)
        try:
            table = rule_table(service)
        except RuleError as exc:
            raise RuleError(f"{location}: {exc}") from exc
        yield table, location


def parse_service(entry: object, location: str, inherited: Mapping[str, Any]) -> Service:
    if not isinstance(entry, dict):
        raise RuleError(f"{location}: each services entry must be a table")
    service_id = entry.get("id")

    def fail(message: str) -> RuleError:
        return RuleError(f"{location}: service '{service_id or '?'}': {message}")

    unknown = set(entry) - SERVICE_KEYS
    if unknown:
        raise fail(f"unknown key(s): {', '.join(sorted(unknown))}")
    if not isinstance(service_id, str) or not SERVICE_ID.match(service_id):
        raise fail("'id' must be lower-case letters, digits and '-'")
    name = _string(entry, "name", fail)
    credential = _string(entry, "credential", fail, "API key")
    last_word = _slug(credential, " ").split(" ")[-1]
    if last_word not in CREDENTIAL_WORDS:
        raise fail(
            f"the credential's last word must say what it is "
            f"({', '.join(CREDENTIAL_WORDS[:6])}, …), not '{last_word}'"
        )
    keywords_raw = entry.get("keywords", [service_id.replace("-", "")])
    if not isinstance(keywords_raw, list) or not keywords_raw or not all(
        isinstance(word, str) for word in keywords_raw
    ):
        raise fail("'keywords' must be a non-empty array of strings")
    keywords = tuple(word.lower() for word in keywords_raw)
    for word in keywords:
        if not KEYWORD.match(word) or len(word) < 3:
            raise fail(
                f"keyword '{word}' must be 3+ characters of letters, digits, '_', '.' or '-'"
            )
    alphabet = _string(entry, "alphabet", fail)
    if alphabet not in ALPHABETS:
        raise fail(f"unknown alphabet '{alphabet}' (known: {', '.join(ALPHABETS)})")
    length = _length(entry.get("length", 36 if alphabet == "uuid" else None), fail)
    prefix = _string(entry, "prefix", fail, "")
    if not PREFIX.match(prefix):
        raise fail(f"prefix {prefix!r} may hold only letters, digits and '_', '.', '$', '-'")
    rule_type = _string(
        entry, "type", fail, _slug(f"{service_id} {credential}", "_").upper()
    )
    fields = {**inherited, **{k: entry[k] for k in ("severity", "confidence", "tags",
                                                     "min_entropy") if k in entry}}
    return Service(service_id, name, credential, keywords, alphabet, length, prefix,
                   rule_type, fields)


def _string(entry: Mapping[str, Any], key: str, fail: Any, default: str | None = None) -> str:
    value = entry.get(key, default)
    if value is None:
        raise fail(f"missing required key '{key}'")
    if not isinstance(value, str):
        raise fail(f"'{key}' must be a string, not {type(value).__name__}")
    return value


def _length(value: object, fail: Any) -> tuple[int, int]:
    if isinstance(value, int) and not isinstance(value, bool):
        low = high = value
    elif (
        isinstance(value, list) and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        low, high = value
    else:
        raise fail("'length' must be an integer or [min, max]")
    if not MIN_LENGTH <= low <= high <= MAX_LENGTH:
        raise fail(f"'length' must lie within {MIN_LENGTH}..{MAX_LENGTH}, min ≤ max")
    return low, high


def _slug(text: str, separator: str) -> str:
    return separator.join(re.findall(r"[a-z0-9]+", text.lower()))


def token_pattern(service: Service) -> str:
    """The regex of the token itself: prefix, alphabet, length."""
    if service.alphabet == "uuid":
        body = _UUID
    else:
        alphabet = ALPHABETS[service.alphabet]
        low, high = service.length
        count = f"{{{low}}}" if low == high else f"{{{low},{high}}}"
        body = f"[{alphabet.pattern}]{count}"
        if service.alphabet in ("base64", "base64url"):
            body += "={0,2}"
        if alphabet.dash and not service.prefix:
            body = rf"(?!{_UUID}(?![\w-])){body}"
    return re.escape(service.prefix) + body


def regex_for(service: Service) -> str:
    """Token assigned to a name that starts with the service word, or to a
    credential-looking name at most two lines below a section that opens with
    the service word. That the name ends with a credential word is left to
    the ``service_token`` validator: the checks every catalog rule shares
    would triple the size, and the compile time, of each rule's regex."""
    words = "|".join(re.escape(word) for word in service.keywords)
    in_name = rf"(?<![A-Za-z0-9])(?=(?i:{words}))[\w.-]{{1,64}}"
    below = (
        rf"(?<![A-Za-z0-9])(?i:{words}){_OPEN}{_BELOW}(?<![\w.-])"
        rf"[\w.-]{{0,24}}?{_LOOSE_CRED}[\w.-]{{0,16}}"
    )
    value = rf"(?P<q>[\"'`]?)(?P<secret>{token_pattern(service)})(?P=q){_TERMINATOR}"
    return f"(?:{in_name}|{below}){_ASSIGN}{value}"


def default_min_entropy(service: Service) -> float:
    """Three quarters of what a random token of this shape carries, so typed-in
    fillers of the right length fall below it."""
    if service.alphabet == "uuid":
        return 3.0
    size = len(set(ALPHABETS[service.alphabet].chars))
    return round(0.75 * min(math.log2(size), math.log2(service.length[0])), 2)


def rule_table(service: Service) -> dict[str, Any]:
    """The ``[[rules]]`` table for one service."""
    fields = service.fields
    min_entropy = fields.get("min_entropy", default_min_entropy(service))
    length = service.length
    shape = "UUID" if service.alphabet == "uuid" else (
        f"{service.prefix}{'…' if service.prefix else ''}"
        f"{length[0] if length[0] == length[1] else f'{length[0]}-{length[1]}'} "
        f"{service.alphabet}"
    )
    examples, counterexamples = generate_vectors(service, float(min_entropy))
    return {
        "id": service.rule_id,
        "description": f"{service.name} {service.credential} ({shape}) next to the "
                       f"{service.name} name",
        "kind": "secret",
        "type": service.type,
        "keywords": list(service.keywords),
        "regex": regex_for(service),
        "secret_group": "secret",
        "min_entropy": min_entropy,
        "validator": "service_token",
        "specificity": SPECIFICITY,
        "severity": fields.get("severity", "high"),
        "confidence": fields.get("confidence", "medium"),
        "tags": [*fields.get("tags", []), "catalog", service.id],
        "examples": examples,
        "counterexamples": counterexamples,
    }


# ------------------------------------------------------------ test vectors

def generate_vectors(
    service: Service, min_entropy: float
) -> tuple[list[dict[str, str]], list[str]]:
    """Examples and counterexamples, the same on every run: the random source is
    seeded by the rule id, so a changed entry changes only its own vectors."""
    rng = random.Random(f"leakguard-catalog:{service.rule_id}")
    low, high = service.length
    token = _plausible_token(service, rng, (low + high) // 2, min_entropy)
    word = service.keywords[0]
    cred_words = _slug(service.credential, " ").split(" ")
    rest = _without_overlap(re.split(r"[_.-]", word), cred_words)
    separator = "" if word[-1] in "_.-" else "_"
    name = f"{word}{separator}{'_'.join(rest)}" if rest else word
    env_name = name.upper()
    snake = "_".join(cred_words)
    section = word if separator else f"{word}config"
    if word.isalnum():
        third = f"const {_camel([word, *rest])} = '{token}';"
    else:
        third = f'{{"{name}": "{token}"}}'
    examples = [
        {"text": f'{env_name} = "{token}"', "secret": token},
        {"text": f"{section}:\n  {snake}: {token}\n", "secret": token},
        {"text": third, "secret": token},
    ]
    counterexamples = [
        f'{env_name} = os.environ["{env_name}"]',
        f"{env_name}=${{{env_name}}}",
        f'OTHER_SERVICE_{"_".join(cred_words).upper()} = "{token}"',
        f'{word.upper()}{separator}ACCOUNT_ID = "{token}"',
        f'# {word} settings\n\n\n\n{snake} = "{token}"',
    ]
    if service.alphabet != "uuid":
        shorter = _body(service, rng, low - 1)
        longer = _body(service, rng, high + 1)
        counterexamples += [
            f'{env_name} = "{service.prefix}{shorter}"',
            f'{env_name} = "{service.prefix}{longer}"',
        ]
    return examples, counterexamples


def _without_overlap(name_parts: Sequence[str], cred_words: Sequence[str]) -> list[str]:
    """The credential words still to add after the service word: ``segment_write``
    + ``write key`` gives ``segment_write_key``, not ``…_write_write_key``."""
    parts = [part.lower() for part in name_parts if part]
    for size in range(min(len(parts), len(cred_words)), 0, -1):
        if parts[-size:] == list(cred_words[:size]):
            return list(cred_words[size:])
    return list(cred_words)


def _camel(parts: Sequence[str]) -> str:
    parts = [part for part in parts if part]
    return parts[0] + "".join(part.capitalize() for part in parts[1:])


def _body(service: Service, rng: random.Random, length: int) -> str:
    if service.alphabet == "uuid":
        digits = "".join(rng.choice("0123456789abcdef") for _ in range(32))
        digits = digits[:12] + "4" + digits[13:16] + rng.choice("89ab") + digits[17:]
        return "-".join(
            (digits[:8], digits[8:12], digits[12:16], digits[16:20], digits[20:])
        )
    chars = ALPHABETS[service.alphabet].chars
    return "".join(rng.choice(chars) for _ in range(length))


def _plausible_token(
    service: Service, rng: random.Random, length: int, min_entropy: float
) -> str:
    """A random token that no filter mistakes for a placeholder: generated
    examples must test the regex, not the luck of the draw."""
    from leakguard.filters import PLACEHOLDER_WORDS
    from leakguard.validators.service import service_token_value

    for _ in range(1000):
        body = _body(service, rng, length)
        token = service.prefix + body
        lowered = token.lower()
        if (
            shannon(token) >= min_entropy + 0.2
            and longest_run(token) < 4
            and longest_sequence(lowered) < 5
            and not any(word in lowered for word in PLACEHOLDER_WORDS)
            and service_token_value(token) is None
            and body[0] not in "-_"
            and body[-1] not in "-_"
        ):
            return token
    raise RuleError(f"service '{service.id}': cannot generate a plausible example token")
