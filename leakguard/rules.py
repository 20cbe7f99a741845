"""Load rule files (``patterns/*.toml`` and users' own) into ``Rule`` records.

Rules are data. Loading validates every field and names the file, line and
rule id of any mistake; ``lint()`` adds the checks that keep a rule set honest
(unique ids, examples on every rule, keywords present in the examples).
"""

from __future__ import annotations

import os
import pickle
import re
import sys
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from leakguard import __version__, cachefiles
from leakguard.errors import RuleError
from leakguard.models import (
    CONFIDENCES,
    KINDS,
    PREFILTERS,
    SEVERITIES,
    Allowlist,
    Companion,
    Example,
    Rule,
)

# bumped when the pickled record classes change shape
CACHE_FORMAT = "records-4"
RULE_ID = re.compile(r"^[a-z0-9][a-z0-9.-]*[a-z0-9]$")
RULE_TYPE = re.compile(r"^[A-Z][A-Z0-9_]*$")

RULE_KEYS = frozenset(
    {
        "id", "description", "kind", "type", "regex", "keywords", "secret_group",
        "min_entropy", "validator", "specificity", "severity", "confidence", "tags",
        "multiline", "allowlist", "examples", "counterexamples", "remediation", "companion",
        "prefilter", "shape",
    }
)
DEFAULT_KEYS = frozenset(
    {
        "kind", "type", "severity", "confidence", "specificity", "tags", "min_entropy",
        "validator", "allowlist", "remediation",
    }
)
ALLOWLIST_KEYS = frozenset(
    {"description", "regexes", "line_regexes", "paths", "path_regexes", "stopwords", "commits"}
)
COMPANION_KEYS = frozenset({"rule", "rules", "regex", "name", "within_lines", "confidence",
                            "required"})
MAX_COMPANION_LINES = 50
FILE_KEYS = frozenset({"rules", "defaults", "services"})


class LintProblem(NamedTuple):
    """One thing wrong with a rule, located for the person who has to fix it."""

    location: str
    rule_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: rule '{self.rule_id}': {self.message}"


def builtin_patterns_dir() -> Path:
    """The shipped ``patterns/`` folder: inside the wheel, or beside the package
    in a source checkout (editable installs)."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "patterns", package.parent / "patterns"):
        if candidate.is_dir():
            return candidate
    raise RuleError(f"cannot find the built-in rule folder next to {package}")


def pattern_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into their ``*.toml`` files, sorted for a stable rule order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.toml")))
        elif path.is_file():
            files.append(path)
        else:
            raise RuleError(f"{path}: no such rule file or folder")
    return files


def load_rules(
    paths: Sequence[Path], *, cache_dir: Path | None = None, examples: bool = True
) -> tuple[Rule, ...]:
    """Load and validate every rule in ``paths`` (files or folders of ``*.toml``).

    The parsed rules are cached under ``cache_dir``, keyed by each file's path,
    size and modification time (like Python's own bytecode cache), because
    parsing hundreds of rules costs more than the pre-commit hook's whole
    latency budget; any change to a rule file misses the cache. Examples and
    counterexamples, half the cache, are kept apart: scans (``examples=False``)
    never load them.
    """
    files = pattern_files(paths)
    key = _cache_key(files)
    cached = _cache_read(cache_dir, key, examples=examples)
    if cached is not None:
        return cached
    rules: list[Rule] = []
    for path in files:
        rules.extend(parse_rule_file(path, _read(path)))
    _check_unique_ids(rules)
    result = tuple(rules)
    _cache_write(cache_dir, key, result)
    return result if examples else _without_examples(result)


def _without_examples(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    return tuple(rule._replace(examples=(), counterexamples=()) for rule in rules)


def default_cache_dir() -> Path | None:
    if os.environ.get("LEAKGUARD_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "leakguard"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc.strerror}") from exc


def _cache_key(files: Sequence[Path]) -> str:
    """What the cached rules depend on: leakguard's version and every file's
    path, size and modification time (a stat, not a read: no hashing at the
    hook's start-up)."""
    parts = [__version__, CACHE_FORMAT]
    for path in files:
        try:
            info = path.stat()
        except OSError as exc:
            raise RuleError(f"{path}: cannot read rule file: {exc.strerror}") from exc
        # abspath, not resolve(): resolving walks every folder of the path with
        # lstat, ~1.5 ms of the hook for the shipped files deep in a venv
        parts.append(f"{os.path.abspath(path)}\0{info.st_size}\0{info.st_mtime_ns}")
    return "\n".join(parts)


def _cache_file(cache_dir: Path, key: str) -> Path:
    # two checksums for a short, collision-unlikely name; the full key is
    # stored inside and compared, so a collision only costs a re-parse
    data = key.encode("utf-8", "surrogateescape")
    return cache_dir / f"rules-{zlib.crc32(data):08x}{zlib.adler32(data):08x}.pickle"


def _cache_read(
    cache_dir: Path | None, key: str, *, examples: bool
) -> tuple[Rule, ...] | None:
    if cache_dir is None:
        return None
    rules_file = _cache_file(cache_dir, key)
    try:
        with open(rules_file, "rb") as handle:
            stored_key, rules = pickle.load(handle)
        if examples:
            with open(rules_file.with_suffix(".examples"), "rb") as handle:
                stored_examples_key, by_id = pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError, ValueError):
        return None
    if stored_key != key or not isinstance(rules, tuple) or not all(
        isinstance(rule, Rule) for rule in rules
    ):
        return None
    if not examples:
        return rules
    if stored_examples_key != key or not isinstance(by_id, dict):
        return None
    try:
        return tuple(
            rule._replace(examples=by_id[rule.id][0], counterexamples=by_id[rule.id][1])
            for rule in rules
        )
    except (KeyError, TypeError, IndexError):
        return None


def _cache_write(cache_dir: Path | None, key: str, rules: tuple[Rule, ...]) -> None:
    """Best effort: a read-only home or a full disk only costs speed. The
    rules file is written last, so a reader never finds rules without the
    examples they were cached with."""
    if cache_dir is None:
        return
    examples = {rule.id: (rule.examples, rule.counterexamples) for rule in rules}
    target = _cache_file(cache_dir, key)
    examples_file = target.with_suffix(".examples")
    if cachefiles.store(examples_file, _pickled((key, examples)), cache_dir=cache_dir):
        cachefiles.store(target, _pickled((key, _without_examples(rules))), cache_dir=cache_dir)


def _pickled(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def parse_rule_file(path: Path, data: bytes) -> list[Rule]:
    """Parse one rule file; every error names the file, line and rule id."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError(
            f"{path}: rule files must be UTF-8 ({exc.reason} at byte {exc.start})"
        ) from exc
    try:
        document = parse_toml(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise RuleError(toml_error(path, text, exc)) from exc
    return parse_rule_document(document, str(path), text)


def parse_toml(text: str) -> dict[str, Any]:
    """Parse TOML with tomllib (tomli before Python 3.11), imported on first
    use: a hook run with cached rules and no config file never needs it."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    document: dict[str, Any] = tomllib.loads(text)
    return document


def toml_error(path: Path, text: str, error: Exception) -> str:
    """``file:line:column: invalid TOML: …`` from tomllib's message, which
    carries the position only as prose."""
    message = str(error)
    found = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if found:
        line, column = found.groups()
        message = message.replace(found.group(0), "").strip()
        return f"{path}:{line}:{column}: invalid TOML: {message}"
    if "end of document" in message:
        return f"{path}:{text.count(chr(10)) + 1}: invalid TOML: {message}"
    return f"{path}: invalid TOML: {message}"


def parse_rule_document(document: Mapping[str, Any], origin: str, text: str = "") -> list[Rule]:
    """Turn a parsed TOML document (a rule file, or a config's rule table) into rules."""
    unknown = set(document) - FILE_KEYS
    if unknown:
        raise RuleError(f"{origin}: unknown top-level key(s): {', '.join(sorted(unknown))}")
    defaults = document.get("defaults", {})
    if not isinstance(defaults, dict):
        raise RuleError(f"{origin}: 'defaults' must be a table")
    bad_defaults = set(defaults) - DEFAULT_KEYS
    if bad_defaults:
        raise RuleError(
            f"{origin}: unknown key(s) in [defaults]: {', '.join(sorted(bad_defaults))}"
        )
    entries = document.get("rules", [])
    if not isinstance(entries, list):
        raise RuleError(f"{origin}: 'rules' must be an array of tables ([[rules]])")
    header_lines = _rule_header_lines(text)
    rules = []
    for index, entry in enumerate(entries):
        line = header_lines[index] if index < len(header_lines) else 0
        location = f"{origin}:{line}" if line else origin
        if not isinstance(entry, dict):
            raise RuleError(f"{location}: each [[rules]] entry must be a table")
        rules.append(_parse_rule({**defaults, **entry}, location))
    if "services" in document:
        from leakguard.catalog import expand_services

        for table, location in expand_services(document["services"], origin, text, defaults):
            # built from validated parts: compiled on first use (and by
            # ``rules check``), not here, where hundreds would cost a second
            rules.append(_parse_rule(table, location, compile_check=False))
    return rules


def _rule_header_lines(text: str) -> list[int]:
    """1-based line numbers of each ``[[rules]]`` header, in order; tomllib
    keeps no positions, and an error without a line is hard to act on."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if _is_rules_header(line.strip().replace(" ", ""))
    ]


def _is_rules_header(compact: str) -> bool:
    # ``[[rules]]`` in a rule file, ``[[tool.leakguard.rules]]`` in pyproject.toml
    return compact.startswith("[[") and (compact == "[[rules]]" or compact.endswith(".rules]]"))


class _Fields:
    """Typed access to one rule's table, raising errors that locate the rule."""

    def __init__(self, table: Mapping[str, Any], location: str) -> None:
        self.table = table
        self.location = location
        self.rule_id = str(table.get("id", "?"))

    def fail(self, message: str) -> RuleError:
        return RuleError(f"{self.location}: rule '{self.rule_id}': {message}")

    def string(self, key: str, default: str | None = None) -> str:
        value = self.table.get(key, default)
        if value is None:
            raise self.fail(f"missing required key '{key}'")
        if not isinstance(value, str):
            raise self.fail(f"'{key}' must be a string, not {type(value).__name__}")
        return value

    def optional_string(self, key: str) -> str | None:
        return self.string(key) if key in self.table else None

    def strings(self, key: str, table: Mapping[str, Any] | None = None) -> tuple[str, ...]:
        value = (self.table if table is None else table).get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(f"'{key}' must be an array of strings")
        return tuple(value)

    def number(self, key: str, default: float) -> float:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"'{key}' must be a number, not {type(value).__name__}")
        return float(value)

    def integer(self, key: str, default: int) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"'{key}' must be an integer, not {type(value).__name__}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"'{key}' must be true or false")
        return value

    def choice(self, key: str, choices: Sequence[str], default: str) -> str:
        value = self.string(key, default)
        if value not in choices:
            raise self.fail(f"'{key}' must be one of {', '.join(choices)}, not '{value}'")
        return value

    def examples(self, key: str) -> tuple[Example, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"'{key}' must be an array")
        result = []
        for item in value:
            if isinstance(item, str):
                result.append(Example(item))
            elif isinstance(item, dict) and isinstance(item.get("text"), str):
                secret = item.get("secret")
                if secret is not None and not isinstance(secret, str):
                    raise self.fail(f"'{key}': 'secret' must be a string")
                if set(item) - {"text", "secret"}:
                    raise self.fail(f"'{key}': an example table has only 'text' and 'secret'")
                result.append(Example(item["text"], secret))
            else:
                raise self.fail(f"'{key}' entries must be strings or {{text, secret}} tables")
        return tuple(result)


def _parse_rule(table: Mapping[str, Any], location: str, *, compile_check: bool = True) -> Rule:
    fields = _Fields(table, location)
    unknown = set(table) - RULE_KEYS
    if unknown:
        raise fields.fail(f"unknown key(s): {', '.join(sorted(unknown))}")
    rule_id = fields.string("id")
    if not RULE_ID.match(rule_id):
        raise fields.fail("ids are lower-case letters, digits, '-' and '.'")
    rule_type = fields.string("type")
    if not RULE_TYPE.match(rule_type):
        raise fields.fail(
            f"'type' must be an upper-case category like GITHUB_TOKEN, not '{rule_type}'"
        )
    regex_source = fields.string("regex")
    secret_group: int | str
    raw_group = table.get("secret_group", 1)
    if isinstance(raw_group, bool) or not isinstance(raw_group, (int, str)):
        raise fields.fail("'secret_group' must be a group number or name")
    secret_group = raw_group
    from leakguard.validators import VALIDATORS  # parsing only: cached loads skip it

    validator = fields.optional_string("validator")
    if validator is not None and validator not in VALIDATORS:
        raise fields.fail(
            f"unknown validator '{validator}' (known: {', '.join(sorted(VALIDATORS))})"
        )
    keywords = tuple(keyword.lower() for keyword in fields.strings("keywords"))
    if any(not keyword for keyword in keywords):
        raise fields.fail("keywords must not be empty strings")
    allowlist_table = table.get("allowlist", {})
    if not isinstance(allowlist_table, dict):
        raise fields.fail("'allowlist' must be a table")
    unknown_allow = set(allowlist_table) - ALLOWLIST_KEYS
    if unknown_allow:
        raise fields.fail(f"unknown allowlist key(s): {', '.join(sorted(unknown_allow))}")
    allowlist = Allowlist(
        description=str(allowlist_table.get("description", "")),
        regexes=fields.strings("regexes", allowlist_table),
        line_regexes=fields.strings("line_regexes", allowlist_table),
        path_regexes=fields.strings("path_regexes", allowlist_table),
        paths=fields.strings("paths", allowlist_table),
        stopwords=tuple(word.lower() for word in fields.strings("stopwords", allowlist_table)),
        commits=fields.strings("commits", allowlist_table),
    )
    rule = Rule(
        id=rule_id,
        description=fields.string("description"),
        kind=fields.choice("kind", KINDS, "secret"),  # type: ignore[arg-type]
        type=rule_type,
        regex=regex_source,
        keywords=keywords,
        secret_group=secret_group,
        min_entropy=fields.number("min_entropy", 0.0),
        validator=validator,
        specificity=fields.integer("specificity", 50),
        severity=fields.choice("severity", SEVERITIES, "high"),  # type: ignore[arg-type]
        confidence=fields.choice("confidence", CONFIDENCES, "medium"),  # type: ignore[arg-type]
        tags=fields.strings("tags"),
        multiline=fields.boolean("multiline", False),
        allowlist=allowlist,
        examples=fields.examples("examples"),
        counterexamples=fields.examples("counterexamples"),
        source=location,
        remediation=fields.string("remediation", "").strip(),
        companion=_companion(table.get("companion"), fields),
        prefilter=fields.choice("prefilter", PREFILTERS, "keywords"),  # type: ignore[arg-type]
        shape=fields.optional_string("shape"),
    )
    if rule.prefilter == "shape" and (rule.multiline or not rule.keywords):
        # selected by where a match can end, the rule's window is the lines
        # around that end: a match must fit on them; and a rule without
        # keywords is selected by its shape already
        raise fields.fail("prefilter = 'shape' is for single-line rules with keywords")
    if rule.shape is not None and rule.keywords and rule.prefilter != "shape":
        raise fields.fail(
            "'shape' is for rules selected by it: prefilter = 'shape', or no keywords"
        )
    if compile_check:
        _check_regexes(rule, fields)
    return rule


def _companion(table: object, fields: _Fields) -> Companion | None:
    """``companion = { rules = [...] | regex = '...', within_lines = N, … }``."""
    if table is None:
        return None
    if not isinstance(table, dict):
        raise fields.fail("'companion' must be a table")
    unknown = set(table) - COMPANION_KEYS
    if unknown:
        raise fields.fail(f"unknown companion key(s): {', '.join(sorted(unknown))}")
    inner = _Fields(table, fields.location)
    inner.rule_id = fields.rule_id
    rules = inner.strings("rules") if "rules" in table else ()
    if "rule" in table:
        rules = (*rules, inner.string("rule"))
    regex_source = inner.optional_string("regex")
    if bool(rules) == (regex_source is not None):
        raise fields.fail("a companion names rules ('rule' or 'rules') or a 'regex', not both")
    if regex_source is not None:
        from leakguard.matcher import compile_rule_regex

        try:
            compile_rule_regex(regex_source)
        except Exception as exc:
            raise fields.fail(f"companion regex does not compile: {exc}") from exc
    within = inner.integer("within_lines", 5)
    if not 0 <= within <= MAX_COMPANION_LINES:
        raise fields.fail(f"companion 'within_lines' must be 0 to {MAX_COMPANION_LINES}")
    return Companion(
        rules=rules,
        regex=regex_source,
        name=inner.string("name", "") or (rules[0] if rules else "companion"),
        within_lines=within,
        confidence=inner.choice("confidence", CONFIDENCES, "high"),  # type: ignore[arg-type]
        required=inner.boolean("required", False),
    )


def _check_regexes(rule: Rule, fields: _Fields) -> None:
    """Compile the rule's regexes now, so a typo is reported where it was made
    rather than at the first keyword hit in somebody's repository."""
    from leakguard.matcher import compile_rule_regex

    try:
        compiled = compile_rule_regex(rule.regex)
    except Exception as exc:  # regex.error, and overflow/recursion on absurd input
        raise fields.fail(f"regex does not compile: {exc}") from exc
    group = rule.secret_group
    if isinstance(group, int):
        if not 0 <= group <= compiled.groups:
            raise fields.fail(
                f"secret_group {group} does not exist (the regex has {compiled.groups} groups)"
            )
    elif group not in compiled.groupindex:
        raise fields.fail(f"secret_group '{group}' is not a named group of the regex")
    if rule.shape is not None:
        try:
            compile_rule_regex(rule.shape)
        except Exception as exc:
            raise fields.fail(f"shape does not compile: {exc}") from exc
    allowlist = rule.allowlist
    for pattern in (*allowlist.regexes, *allowlist.line_regexes, *allowlist.path_regexes):
        try:
            compile_rule_regex(pattern)
        except Exception as exc:
            raise fields.fail(f"allowlist regex {pattern!r} does not compile: {exc}") from exc


def _check_unique_ids(rules: Sequence[Rule]) -> None:
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            raise RuleError(
                f"{rule.source}: rule '{rule.id}': duplicate id "
                f"(first defined at {seen[rule.id].source})"
            )
        seen[rule.id] = rule


def lint(rules: Sequence[Rule]) -> list[LintProblem]:
    """Checks beyond well-formedness that every shipped rule must pass."""
    problems: list[LintProblem] = []

    def problem(rule: Rule, message: str) -> None:
        problems.append(LintProblem(rule.source, rule.id, message))

    seen: set[str] = set()
    ids = {rule.id for rule in rules}
    for rule in rules:
        if rule.id in seen:
            problem(rule, "duplicate id")
        seen.add(rule.id)
        if not rule.examples:
            problem(rule, "has no examples")
        if not rule.counterexamples:
            problem(rule, "has no counterexamples")
        if rule.secret_group == 0:
            problem(rule, "needs a capture group for the secret (group 0 is the whole match)")
        if not rule.description.strip():
            problem(rule, "has an empty description")
        if rule.companion is not None:
            missing = [name for name in rule.companion.rules if name not in ids]
            if missing:
                problem(rule, f"companion names unknown rule(s): {', '.join(missing)}")
        for example in rule.examples:
            lowered = example.text.lower()
            if rule.keywords and not any(keyword in lowered for keyword in rule.keywords):
                problem(rule, f"example {_short(example.text)} contains none of its keywords")
        if rule.prefilter == "shape":
            problems.extend(_shape_problems(rule))
        if rule.shape is not None:
            problems.extend(_missed_by_shape(rule))
    return problems


def _shape_problems(rule: Rule) -> list[LintProblem]:
    """A rule selected by its shape runs wherever that shape occurs: its
    keywords must be part of what it matches, not a label near it that the
    rule relies on (which the shape would no longer require)."""
    from leakguard.matcher import compile_rule_regex

    pattern = compile_rule_regex(rule.regex)
    return [
        LintProblem(
            rule.source, rule.id,
            f"prefilter = 'shape', yet its match in example {_short(example.text)} holds "
            "none of its keywords",
        )
        for example in rule.examples
        for match in pattern.finditer(example.text)
        if not any(keyword in match.group(0).lower() for keyword in rule.keywords)
    ]


def _missed_by_shape(rule: Rule) -> list[LintProblem]:
    """A rule's own ``shape`` must end inside each of its examples' matches:
    hyperscan wakes the rule only where the shape ends, so a match without one
    would be missed. (A shape may begin before the match: hyperscan has no
    lookbehind, so a shape matches the character before instead.)"""
    from leakguard.matcher import compile_rule_regex

    pattern, shape = compile_rule_regex(rule.regex), compile_rule_regex(rule.shape or "")
    problems: list[LintProblem] = []
    for example in rule.examples:
        ends = {found.end() for found in shape.finditer(example.text, overlapped=True)}
        problems.extend(
            LintProblem(
                rule.source, rule.id,
                f"its match in example {_short(example.text)} does not contain its shape",
            )
            for match in pattern.finditer(example.text)
            if not any(match.start() < end <= match.end() for end in ends)
        )
    return problems


def _short(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
