"""Find and read the configuration: ``.leakguard.toml``, ``[tool.leakguard]`` in
``pyproject.toml``, or a file given with ``--config``.

Every key is checked: an unknown key or a wrong type is an error naming the
file, the line when it can be found, the key and the type expected.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from leakguard.errors import ConfigError, RuleError, UsageError
from leakguard.masking import REDACT_MODES
from leakguard.models import CONFIDENCES, KINDS, SEVERITIES, Allowlist, Finding, Rule
from leakguard.reporters import CLEARTEXT_FORMATS, REGISTRY
from leakguard.rules import parse_rule_document, parse_toml, toml_error

CONFIG_NAME = ".leakguard.toml"

MEGABYTE = 1024 * 1024

# Paths that hold no hand-written secrets but plenty of high-entropy strings:
# lock files (integrity hashes), vendored and generated code, minified bundles,
# images, fonts and build output (zip and tar archives are scanned by member).
DEFAULT_ALLOWLIST_PATHS = (
    "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb",
    "poetry.lock", "Pipfile.lock", "pdm.lock", "uv.lock", "Cargo.lock", "Gemfile.lock",
    "composer.lock", "go.sum", "packages.lock.json", "gradle.lockfile", "mix.lock",
    "*/node_modules/*", "node_modules/*", "vendor/*", "*/vendor/*",
    "bower_components/*", "*/bower_components/*", ".git/*",
    "*.min.js", "*.min.css", "*.js.map", "*.css.map", "*.min.map",
    "*.png", "*.jpg", "*.jpeg", "*.gif", "*.bmp", "*.ico", "*.webp", "*.tiff",
    "*.woff", "*.woff2", "*.ttf", "*.otf", "*.eot",
    "*.pdf", "*.7z", "*.jar", "*.whl",
    "*.pyc", "*.so", "*.dll", "*.dylib", "*.exe", "*.class", "*.o", "*.a",
)


TEST_DATA_MODES = ("report", "skip")


class PiiPolicy(NamedTuple):
    """Where personal-data rules run: everywhere by default, or only under
    ``paths`` when given, never under ``exclude``. ``test_data``: published
    test values (test card numbers, specimen IBANs) are reported at low
    severity, or skipped."""

    enabled: bool = True
    paths: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    test_data: str = "report"


CONFIG_FORMATS = tuple(name for name in REGISTRY if name not in CLEARTEXT_FORMATS)


class ReportSettings(NamedTuple):
    format: str = "text"
    redact: str = "full"


class FailPolicy(NamedTuple):
    """Which findings fail a scan: by kind, minimum severity and confidence."""

    kinds: tuple[str, ...] = KINDS
    # Info findings are identifiers (account SIDs, publishable keys): shown,
    # never blocking.
    severity: str = "low"
    confidence: str = "low"

    @classmethod
    def parse(cls, text: str) -> FailPolicy:
        """``--fail-on``: kinds (``secret``, ``pii``), ``severity=LEVEL``,
        ``confidence=LEVEL``, or ``none``, comma-separated."""
        kinds: list[str] = []
        severity, confidence = "low", "low"
        for token in (part.strip() for part in text.split(",")):
            name, _, value = token.partition("=")
            if token == "none":
                return cls(kinds=())
            if token in KINDS:
                kinds.append(token)
            elif name == "severity" and value in SEVERITIES:
                severity = value
            elif name == "confidence" and value in CONFIDENCES:
                confidence = value
            else:
                raise UsageError(
                    f"--fail-on: {token!r} is not a kind ({', '.join(KINDS)}), "
                    f"severity=({'|'.join(SEVERITIES)}), confidence=({'|'.join(CONFIDENCES)}) "
                    "or none"
                )
        return cls(kinds=tuple(kinds) or KINDS, severity=severity, confidence=confidence)

    def fails(self, finding: Finding) -> bool:
        """Whether ``finding`` is of a kind, severity and confidence that fails."""
        return (
            finding.kind in self.kinds
            and SEVERITIES.index(finding.severity) <= SEVERITIES.index(self.severity)  # type: ignore[arg-type,unused-ignore]
            and CONFIDENCES.index(finding.confidence) <= CONFIDENCES.index(self.confidence)  # type: ignore[arg-type,unused-ignore]
        )


class Config(NamedTuple):
    """The settings of one scan, after merging the file with the defaults."""

    source: str | None = None
    root: Path | None = None
    default_rules: bool = True
    rule_files: tuple[Path, ...] = ()
    custom_rules: tuple[Rule, ...] = ()
    disable_rules: tuple[str, ...] = ()
    disable_tags: tuple[str, ...] = ()
    default_allowlist: bool = True
    allowlist: Allowlist = Allowlist()
    max_file_size: int = 2 * MEGABYTE
    regex_timeout: float = 2.0
    pii: PiiPolicy = PiiPolicy()
    report: ReportSettings = ReportSettings()
    fail_on: FailPolicy = FailPolicy()
    min_confidence: str = "low"
    hook_min_confidence: str | None = None
    baseline: str | None = None
    decode_depth: int = 3  # how deep encoded text (base64, hex, …) is decoded; 0: never

    @property
    def allowlist_paths(self) -> tuple[str, ...]:
        defaults = DEFAULT_ALLOWLIST_PATHS if self.default_allowlist else ()
        return defaults + self.allowlist.paths


def discover(start: Path) -> Path | None:
    """The config file of the project at ``start``: ``.leakguard.toml`` or a
    ``pyproject.toml`` with a ``[tool.leakguard]`` table, never both."""
    dotfile = start / CONFIG_NAME
    pyproject = start / "pyproject.toml"
    has_pyproject = pyproject.is_file() and _has_tool_table(pyproject)
    if dotfile.is_file() and has_pyproject:
        raise ConfigError(
            f"{start}: both {CONFIG_NAME} and [tool.leakguard] in pyproject.toml are present; "
            "keep one of them"
        )
    if dotfile.is_file():
        return dotfile
    return pyproject if has_pyproject else None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[tool\.leakguard(\.|\])", text, re.MULTILINE) is not None


def load(path: Path | None) -> Config:
    """Read ``path`` (or return the defaults when there is none)."""
    if path is None:
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: config file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from exc
    try:
        document = parse_toml(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise ConfigError(toml_error(path, text, exc)) from exc
    prefix = ""
    if path.name == "pyproject.toml":
        document = document.get("tool", {}).get("leakguard", {})
        prefix = "tool.leakguard."
        if not isinstance(document, dict):
            raise ConfigError(f"{path}: [tool.leakguard] must be a table")
    return parse(document, _Reader(str(path), text, prefix), path.parent)


class _Reader:
    """Typed access to config tables; errors name file, line, key and type."""

    def __init__(self, origin: str, text: str, prefix: str) -> None:
        self.origin = origin
        self.text = text
        self.prefix = prefix

    def fail(self, key: str, message: str) -> ConfigError:
        line = self._line_of(key)
        where = f"{self.origin}:{line}" if line else self.origin
        return ConfigError(f"{where}: '{self.prefix}{key}' {message}")

    def _line_of(self, key: str) -> int:
        leaf = re.escape(key.rsplit(".", 1)[-1])
        pattern = re.compile(rf"^\s*(?:{leaf}\s*=|\[+[\w.]*{leaf}\]+)", re.MULTILINE)
        found = pattern.search(self.text)
        return self.text.count("\n", 0, found.start()) + 1 if found else 0

    def check_keys(self, table: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                name = f"{where}.{key}" if where else key
                raise self.fail(name, f"is not a known setting (known: {', '.join(allowed)})")

    def table(self, table: Mapping[str, Any], key: str, where: str = "") -> Mapping[str, Any]:
        value = table.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(_join(where, key), f"must be a table, not {_type(value)}")
        return value

    def boolean(self, table: Mapping[str, Any], key: str, default: bool, where: str = "") -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(_join(where, key), f"must be true or false, not {_type(value)}")
        return value

    def number(self, table: Mapping[str, Any], key: str, default: float, where: str = "") -> float:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise self.fail(_join(where, key), f"must be a positive number, not {value!r}")
        return float(value)

    def strings(self, table: Mapping[str, Any], key: str, where: str = "") -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(_join(where, key), f"must be an array of strings, not {_type(value)}")
        return tuple(value)

    def choice(
        self, table: Mapping[str, Any], key: str, choices: Sequence[str], default: str,
        where: str = "",
    ) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or value not in choices:
            expected = ", ".join(choices)
            raise self.fail(_join(where, key), f"must be one of {expected}, not {value!r}")
        return value

    def size(self, table: Mapping[str, Any], key: str, default: int) -> int:
        value = table.get(key, default)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        if isinstance(value, str):
            parsed = parse_size(value)
            if parsed is not None:
                return parsed
        raise self.fail(key, f"must be a size in bytes or a string like '2MB', not {value!r}")


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _type(value: object) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "a boolean",
             list: "an array", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def parse_size(text: str) -> int | None:
    """``'512'``, ``'300KB'``, ``'2MB'``, ``'1GB'`` (binary units) → bytes."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*", text, re.IGNORECASE)
    if not found:
        return None
    unit = (found.group(2) or "b").lower()[0]
    scale = {"b": 1, "k": 1024, "m": MEGABYTE, "g": 1024 * MEGABYTE}[unit]
    return int(float(found.group(1)) * scale)


TOP_KEYS = (
    "default_rules", "rule_files", "rules", "disable_rules", "disable_tags",
    "default_allowlist", "allowlist", "max_file_size", "regex_timeout", "pii", "report",
    "fail_on", "min_confidence", "hook", "baseline", "decode_depth",
)
MAX_DECODE_DEPTH = 5
ALLOWLIST_KEYS = (
    "description", "paths", "path_regexes", "regexes", "line_regexes", "stopwords", "commits",
)


def parse(document: Mapping[str, Any], reader: _Reader, root: Path) -> Config:
    reader.check_keys(document, TOP_KEYS, "")
    allow = reader.table(document, "allowlist")
    reader.check_keys(allow, ALLOWLIST_KEYS, "allowlist")
    pii = reader.table(document, "pii")
    reader.check_keys(pii, ("enabled", "paths", "exclude", "test_data"), "pii")
    report = reader.table(document, "report")
    reader.check_keys(report, ("format", "redact"), "report")
    fail_on = reader.table(document, "fail_on")
    reader.check_keys(fail_on, ("kinds", "severity", "confidence"), "fail_on")
    hook = reader.table(document, "hook")
    reader.check_keys(hook, ("min_confidence",), "hook")
    kinds = reader.strings(fail_on, "kinds", "fail_on") if "kinds" in fail_on else KINDS
    for kind in kinds:
        if kind not in KINDS:
            raise reader.fail("fail_on.kinds", f"entries must be one of {', '.join(KINDS)}")
    custom_rules = _custom_rules(document, reader)
    baseline = document.get("baseline")
    if baseline is not None and not isinstance(baseline, str):
        raise reader.fail("baseline", f"must be a path string, not {_type(baseline)}")
    depth = document.get("decode_depth", 3)
    if isinstance(depth, bool) or not isinstance(depth, int) or not 0 <= depth <= MAX_DECODE_DEPTH:
        raise reader.fail("decode_depth", f"must be a whole number from 0 to {MAX_DECODE_DEPTH}, "
                          f"not {depth!r}")
    return Config(
        source=reader.origin,
        root=root,
        default_rules=reader.boolean(document, "default_rules", True),
        rule_files=tuple(root / name for name in reader.strings(document, "rule_files")),
        custom_rules=custom_rules,
        disable_rules=reader.strings(document, "disable_rules"),
        disable_tags=reader.strings(document, "disable_tags"),
        default_allowlist=reader.boolean(document, "default_allowlist", True),
        allowlist=Allowlist(
            description=str(allow.get("description", "config allowlist")),
            paths=reader.strings(allow, "paths", "allowlist"),
            regexes=reader.strings(allow, "regexes", "allowlist"),
            line_regexes=reader.strings(allow, "line_regexes", "allowlist"),
            path_regexes=reader.strings(allow, "path_regexes", "allowlist"),
            stopwords=tuple(w.lower() for w in reader.strings(allow, "stopwords", "allowlist")),
            commits=reader.strings(allow, "commits", "allowlist"),
        ),
        max_file_size=reader.size(document, "max_file_size", 2 * MEGABYTE),
        regex_timeout=reader.number(document, "regex_timeout", 2.0),
        pii=PiiPolicy(
            enabled=reader.boolean(pii, "enabled", True, "pii"),
            paths=reader.strings(pii, "paths", "pii"),
            exclude=reader.strings(pii, "exclude", "pii"),
            test_data=reader.choice(pii, "test_data", TEST_DATA_MODES, "report", "pii"),
        ),
        report=ReportSettings(
            # a format that holds secrets in clear is only ever asked for explicitly
            format=reader.choice(report, "format", CONFIG_FORMATS, "text", "report"),
            redact=reader.choice(report, "redact", REDACT_MODES, "full", "report"),
        ),
        fail_on=FailPolicy(
            kinds=kinds,
            severity=reader.choice(fail_on, "severity", SEVERITIES, "low", "fail_on"),
            confidence=reader.choice(fail_on, "confidence", CONFIDENCES, "low", "fail_on"),
        ),
        min_confidence=reader.choice(document, "min_confidence", CONFIDENCES, "low"),
        hook_min_confidence=(
            reader.choice(hook, "min_confidence", CONFIDENCES, "low", "hook")
            if "min_confidence" in hook
            else None
        ),
        baseline=baseline,
        decode_depth=depth,
    )


def _custom_rules(document: Mapping[str, Any], reader: _Reader) -> tuple[Rule, ...]:
    entries = document.get("rules", [])
    if not isinstance(entries, list):
        raise reader.fail("rules", "must be an array of tables ([[rules]])")
    try:
        return tuple(parse_rule_document({"rules": entries}, reader.origin, reader.text))
    except RuleError as exc:
        raise ConfigError(str(exc)) from exc
