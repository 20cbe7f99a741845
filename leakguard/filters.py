"""Predicates that decide whether a match is a leak, each saying why not.

A filter returns ``None`` to let a match through or a ``Decision`` naming the
stage and the reason; nothing is dropped silently, so ``--show-suppressed``
and ``explain`` can show every judgement.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from leakguard.entropy import distinct_ratio, longest_run, longest_sequence
from leakguard.models import CONFIDENCES, Allowlist, CommitInfo, Decision, Finding, Rule

if TYPE_CHECKING:  # regex and hashlib load on first use, not at the hook's start-up
    import regex

# SHA-256 of credentials that providers publish in their documentation (AWS's
# AKIA…EXAMPLE keys are caught by the placeholder word instead), by length:
# kept as hashes so this file does not itself look like a leak, and only
# values of a listed length are hashed at all.
PUBLISHED_EXAMPLES: dict[int, frozenset[str]] = {
    # Stripe's documentation test secret keys (old and current) and publishable key
    32: frozenset({
        "2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326",
        "f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397",
        "b1471f544ceeea31333bde7e1ecbaad6eac0d4a749412ad29bd66ef895b81c6b",
    }),
    # the sample tokens on jwt.io's front page and in PyJWT's and joserfc's READMEs
    155: frozenset({"7f75367e7881255134e1375e723d1dea8ad5f6a4fdb79d938df1f1754a830606"}),
    105: frozenset({"bf145d9380bbe05bdc1a72525796b224f8a8c93ae0e9e102eafbc255ac1af9e8"}),
    99: frozenset({"f1cdf4d3485952c900a90f216a02d68db10d597cafca794d6e603ce303573061"}),
}

# Words that mark a typed-in stand-in in any secret rule; generic rules add
# more through their own allowlists.
PLACEHOLDER_WORDS = ("example", "placeholder", "changeme", "xxxxxx", "redacted", "dummy")

# Markers of an inline suppression. The full pragma grammar (rule ids,
# allow-next-line) lives in ``pragma_decision``.
# Rule ids follow the marker as one comma-separated token; anything else (a
# reason, a comment closer) ends it. A word that is not a rule id therefore
# silences nothing, which fails safe.
PRAGMA = (
    r"leakguard:allow(?P<next>-next-line)?(?:[:=]|[ \t]+)?"
    r"(?P<ids>[a-z0-9][a-z0-9.-]*(?:,[a-z0-9][a-z0-9.-]*)*)?"
)


def _compiled(pattern: str) -> regex.Pattern[str]:
    import regex  # it keeps its own cache of compiled patterns

    return regex.compile(pattern)


class MatchContext(NamedTuple):
    """Everything a filter may look at for one match."""

    rule: Rule
    secret: str
    line: str
    previous_line: str
    path: str
    entropy: float
    commit: CommitInfo | None = None
    field: str | None = None


def path_matches(path: str, patterns: Iterable[str]) -> str | None:
    """The first glob in ``patterns`` that matches ``path``; a pattern without a
    slash also matches the file name alone (``*.lock``, ``package-lock.json``)."""
    patterns = tuple(patterns)
    name = path.rsplit("/", 1)[-1]
    if not _any_path_match(path, name, patterns):
        return None
    for pattern in patterns:
        if fnmatch.fnmatchcase(path, pattern):
            return pattern
        if "/" not in pattern and fnmatch.fnmatchcase(name, pattern):
            return pattern
        if pattern.endswith("/**") and (path + "/").startswith(pattern[:-2]):
            return pattern
    return None


def _any_path_match(path: str, name: str, patterns: tuple[str, ...]) -> bool:
    """Whether any pattern matches, without a ``fnmatch`` call per pattern:
    listing a tree checks every file against the ~60 default patterns, and
    most files match none of them."""
    index = _path_index(patterns)
    return bool(
        name in index.names
        or name.endswith(index.suffixes)
        or (index.whole is not None and index.whole.match(path))
        or (index.by_name is not None and index.by_name.match(name))
        or (index.prefixes and (path + "/").startswith(index.prefixes))
    )


class _PathIndex(NamedTuple):
    names: frozenset[str]  # ``yarn.lock``: a file name, literally
    suffixes: tuple[str, ...]  # ``*.png`` as ``.png``: a name's ending, literally
    whole: re.Pattern[str] | None  # any other glob, against the whole path
    by_name: re.Pattern[str] | None  # any other glob without a slash, against the name
    prefixes: tuple[str, ...]  # ``vendor/**`` as ``vendor/``


def _literal(glob: str) -> bool:
    return not any(character in glob for character in "*?[/")


@functools.lru_cache(maxsize=64)
def _path_index(patterns: tuple[str, ...]) -> _PathIndex:
    # most patterns are a file name or ``*.ext``: set and suffix tests cost
    # nothing to set up, where compiling them all into one regex cost the
    # pre-commit hook ~2 ms
    names = frozenset(p for p in patterns if _literal(p))
    suffixes = tuple(p[1:] for p in patterns if p.startswith("*") and _literal(p[1:]))
    globs = [p for p in patterns if p not in names and not (p[:1] == "*" and _literal(p[1:]))]

    def union(globs: list[str]) -> re.Pattern[str] | None:
        return re.compile("|".join(fnmatch.translate(g) for g in globs)) if globs else None

    return _PathIndex(
        names,
        suffixes,
        union(globs),
        union([p for p in globs if "/" not in p]),
        tuple(p[:-2] for p in patterns if p.endswith("/**")),
    )


class CompiledAllowlist:
    """An ``Allowlist`` with its regexes compiled on first use."""

    def __init__(self, allowlist: Allowlist, label: str) -> None:
        self.allowlist = allowlist
        self.label = label
        # path -> matching glob: a file yields many matches, and globbing its
        # path against every pattern per match was a third of a PII scan
        self._paths: dict[str, str | None] = {}

    @cached_property
    def _secret_regexes(self) -> tuple[regex.Pattern[str], ...]:
        return tuple(_compiled(pattern) for pattern in self.allowlist.regexes)

    @cached_property
    def _line_regexes(self) -> tuple[regex.Pattern[str], ...]:
        return tuple(_compiled(pattern) for pattern in self.allowlist.line_regexes)

    @cached_property
    def _path_regexes(self) -> tuple[regex.Pattern[str], ...]:
        return tuple(_compiled(pattern) for pattern in self.allowlist.path_regexes)

    def path_decision(self, path: str) -> Decision | None:
        """The decision for every match in ``path``, if its path is allowlisted."""
        allowlist = self.allowlist
        if allowlist.paths:
            pattern = self._paths.get(path, "")
            if pattern == "":
                pattern = self._paths[path] = path_matches(path, allowlist.paths)
            if pattern:
                return Decision("allowlist", f"{self.label}: path matches '{pattern}'")
        for compiled in self._path_regexes:
            if compiled.search(path):
                return Decision("allowlist", f"{self.label}: path matches /{compiled.pattern}/")
        return None

    def decide(self, context: MatchContext) -> Decision | None:
        allowlist = self.allowlist
        decision = self.path_decision(context.path)
        if decision:
            return decision
        for compiled in self._secret_regexes:
            if compiled.search(context.secret):
                return Decision("allowlist", f"{self.label}: secret matches /{compiled.pattern}/")
        for compiled in self._line_regexes:
            if compiled.search(context.line):
                return Decision("allowlist", f"{self.label}: line matches /{compiled.pattern}/")
        lowered = context.secret.lower()
        for word in allowlist.stopwords:
            if word in lowered:
                return Decision("allowlist", f"{self.label}: stopword '{word}'")
        if allowlist.commits and context.commit is not None:
            sha = context.commit.sha
            if any(sha.startswith(prefix) for prefix in allowlist.commits):
                return Decision("allowlist", f"{self.label}: commit {sha[:12]} is allowlisted")
        return None


def published_example(context: MatchContext) -> Decision | None:
    known = PUBLISHED_EXAMPLES.get(len(context.secret))
    if known is None:
        return None
    import hashlib  # only for a value of a listed length

    digest = hashlib.sha256(context.secret.encode("utf-8", "surrogatepass")).hexdigest()
    if digest in known:
        return Decision("placeholder", "a value published in a provider's documentation")
    return None


def placeholder_shape(context: MatchContext) -> Decision | None:
    """Secrets only: typed-in fillers (``xxxxxxxx``, ``abcdef123456``, ``abab…``).

    Not applied to personal data, where repetition (``4111 1111 …``) is a
    question for the validator.
    """
    if context.rule.kind != "secret":
        return None
    secret = context.secret
    lowered = secret.lower()
    for word in PLACEHOLDER_WORDS:
        if word in lowered:
            return Decision("placeholder", f"contains the placeholder word '{word}'")
    if len(secret) >= 8:
        if longest_run(secret) >= max(6, len(secret) // 3):
            return Decision("placeholder", "a long run of one repeated character")
        if longest_sequence(lowered) >= 8:
            return Decision("placeholder", "a long alphabetic or numeric sequence")
        if distinct_ratio(secret) < 0.2 and len(set(secret)) <= 4:
            return Decision("placeholder", "too few distinct characters")
    return None


def entropy_threshold(context: MatchContext) -> Decision | None:
    minimum = context.rule.min_entropy
    if minimum and context.entropy < minimum:
        return Decision(
            "entropy", f"entropy {context.entropy:.2f} is below the rule's minimum {minimum:g}"
        )
    return None


def pragma_decision(context: MatchContext) -> Decision | None:
    """``leakguard:allow`` on the line (or ``leakguard:allow-next-line`` on the
    line before). With rule ids, only those rules are silenced, so a different
    secret pasted onto the line later is still reported."""
    for line, wants_next in ((context.line, False), (context.previous_line, True)):
        if "leakguard:allow" not in line:
            continue
        for match in _compiled(PRAGMA).finditer(line):
            if bool(match.group("next")) != wants_next:
                continue
            ids = [token for token in (match.group("ids") or "").split(",") if token]
            where = "the line before" if wants_next else "this line"
            if not ids:
                return Decision("pragma", f"leakguard:allow on {where}")
            if context.rule.id in ids:
                return Decision("pragma", f"leakguard:allow {context.rule.id} on {where}")
    return None


def below_confidence(finding: Finding, minimum: str) -> Decision | None:
    """Findings less sure than ``minimum`` (``--min-confidence``, the config's
    ``min_confidence``) are suppressed, not dropped: ``--show-suppressed``
    lists them."""
    if CONFIDENCES.index(finding.confidence) > CONFIDENCES.index(minimum):  # type: ignore[arg-type,unused-ignore]
        return Decision("confidence", f"{finding.confidence} confidence is below the minimum "
                        f"{minimum}" + (f" ({finding.validation})" if finding.validation else ""))
    return None


BUILTIN_FILTERS = (published_example, placeholder_shape, entropy_threshold)
