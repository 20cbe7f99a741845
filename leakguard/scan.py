"""The pipeline: fragment → keyword prefilter → regex match → filters →
specificity → one finding per fingerprint. ``scan_text()`` runs it on a string.
"""

from __future__ import annotations

import bisect
import functools
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from leakguard import decoding
from leakguard.baseline import fingerprint
from leakguard.columns import collapse
from leakguard.config import PiiPolicy
from leakguard.entropy import shannon
from leakguard.filters import (
    BUILTIN_FILTERS,
    CompiledAllowlist,
    MatchContext,
    path_matches,
    pragma_decision,
)
from leakguard.matcher import Matcher, RawMatch, Timeout, compile_rule_regex
from leakguard.models import (
    CONFIDENCES,
    Allowlist,
    Companion,
    Confidence,
    Decision,
    FieldSpan,
    Finding,
    Fragment,
    Rule,
    Severity,
    Skipped,
)
from leakguard.prefilter import KeywordIndex

if TYPE_CHECKING:  # validators load on first use
    from leakguard.validators.base import Validator

LINE_TEXT_LIMIT = 300
LINE_CONTEXT = 1024
COMPANION_REACH = 4096  # characters either side of a finding a companion regex searches


class FragmentScan(NamedTuple):
    """What one fragment produced: findings (suppressed ones included) and the
    windows a regex timed out on."""

    findings: tuple[Finding, ...] = ()
    incomplete: tuple[Skipped, ...] = ()


class ScanResult:
    """The outcome of a whole scan, accumulated as fragments are scanned
    (a plain class: it is mutable, and defining dataclasses costs start-up)."""

    def __init__(
        self,
        findings: list[Finding] | None = None,
        suppressed: list[Finding] | None = None,
        skipped: list[Skipped] | None = None,
    ) -> None:
        self.findings: list[Finding] = findings if findings is not None else []
        self.suppressed: list[Finding] = suppressed if suppressed is not None else []
        self.skipped: list[Skipped] = skipped if skipped is not None else []
        self.fragments = 0
        self.files = 0
        self.bytes = 0
        self.seconds = 0.0
        # the rules that ran, for reports that describe them (SARIF, remediation)
        self.rules: tuple[Rule, ...] = ()

    @property
    def errors(self) -> list[Skipped]:
        return [item for item in self.skipped if item.error]

    def suppress_where(self, decide: Callable[[Finding], Decision | None]) -> None:
        """Move the findings ``decide`` objects to into ``suppressed``, with the decision."""
        kept = []
        for finding in self.findings:
            decision = decide(finding)
            if decision is None:
                kept.append(finding)
            else:
                self.suppressed.append(finding._replace(suppressed_by=decision))
        if len(kept) != len(self.findings):
            self.findings = kept
            self.suppressed.sort(key=_finding_order)

    def merge(self, other: ScanResult) -> None:
        """Add a part scanned elsewhere; ``finish`` then dedupes the whole."""
        self.findings.extend(other.findings)
        self.suppressed.extend(other.suppressed)
        self.skipped.extend(other.skipped)
        self.fragments += other.fragments
        self.files += other.files
        self.bytes += other.bytes

    def finish(self, rank: Callable[[Finding], Any] | None = None) -> None:
        """One finding per fingerprint (the lowest ``rank``: in a history scan,
        the earliest commit), in a stable order whatever order parallel parts
        finished in."""
        self.findings = _lowest_per_fingerprint(self.findings, rank or _finding_order)
        self.suppressed = _lowest_per_fingerprint(self.suppressed, rank or _finding_order)
        self.findings.sort(key=_finding_order)
        self.suppressed.sort(key=_finding_order)
        self.skipped.sort(key=lambda item: (item.path, item.reason))


def _lowest_per_fingerprint(
    findings: list[Finding], rank: Callable[[Finding], Any]
) -> list[Finding]:
    best: dict[str, Finding] = {}
    for finding in findings:
        kept = best.get(finding.fingerprint)
        if kept is None or rank(finding) < rank(kept):
            best[finding.fingerprint] = finding
    return list(best.values())


def _finding_order(finding: Finding) -> tuple[str, int, int, str]:
    return (finding.path, finding.line, finding.column, finding.rule_id)


class EngineSettings(NamedTuple):
    """What an ``Engine`` is built from; picklable, so workers can build their own."""

    rules: tuple[Rule, ...]
    allowlist: Allowlist | None = None
    pii: PiiPolicy | None = None
    regex_timeout: float = 2.0
    cache_matches: bool = False
    decode_depth: int = decoding.DEFAULT_DEPTH  # 0: do not look inside encoded text
    cache_dir: Path | None = None  # where compiled regexes and scanners are kept between runs


Matches = tuple[tuple[RawMatch, ...], tuple[Timeout, ...]]
MatchCache = dict[tuple[bytes, bool, str], Matches]
# decoded layers by (text digest, spans the raw matches cover)
LayerCache = dict[tuple[bytes, tuple[tuple[int, int], ...]], tuple[decoding.Layer, ...]]
# The cache's shared "nothing here" entry: most fragments match nothing.
_NO_MATCHES: Matches = ((), ())
# Distinct texts each cache remembers before it starts over: ~200 bytes an
# entry, so a worker's caches stay near 100 MB even on histories with millions
# of file changes; starting over only costs scanning a later copy again.
CACHED_TEXTS = 250_000
Key = TypeVar("Key")
Value = TypeVar("Value")


def _remember(cache: dict[Key, Value], key: Key, value: Value) -> None:
    """Store ``value`` in a cache that starts over when it is full."""
    if len(cache) >= CACHED_TEXTS:
        cache.clear()
    cache[key] = value


class Engine:
    """The rules with their keyword index, compiled regexes and allowlists."""

    @classmethod
    def from_settings(cls, settings: EngineSettings) -> Engine:
        return cls(
            settings.rules,
            allowlist=settings.allowlist,
            pii=settings.pii,
            regex_timeout=settings.regex_timeout,
            cache_matches=settings.cache_matches,
            decode_depth=settings.decode_depth,
            cache_dir=settings.cache_dir,
        )

    def __init__(
        self,
        rules: Sequence[Rule],
        *,
        allowlist: Allowlist | None = None,
        pii: PiiPolicy | None = None,
        regex_timeout: float = 2.0,
        cache_matches: bool = False,
        decode_depth: int = decoding.DEFAULT_DEPTH,
        cache_dir: Path | None = None,
    ) -> None:
        self.pii = pii or PiiPolicy()
        # with personal data off everywhere, its rules are not even prefiltered
        self.rules = tuple(rule for rule in rules if self.pii.enabled or rule.kind != "pii")
        self.decode_depth = decode_depth
        self.companions = {rule.id: rule.companion for rule in self.rules if rule.companion}
        self._rule_numbers = {rule.id: number for number, rule in enumerate(self.rules)}
        self._validators: dict[str, Validator] = {}
        self._cache: MatchCache | None = {} if cache_matches else None
        # with the match cache, each distinct text is also decoded only once
        self._layers: LayerCache | None = {} if cache_matches else None
        self.index = KeywordIndex(self.rules, cache_dir=cache_dir)
        self.matcher = Matcher(self.rules, timeout=regex_timeout, cache_dir=cache_dir)
        self.rule_allowlists = {
            rule.id: CompiledAllowlist(rule.allowlist, f"rule {rule.id} allowlist")
            for rule in self.rules
            if not rule.allowlist.is_empty()
        }
        self.allowlist = (
            CompiledAllowlist(allowlist, "config allowlist")
            if allowlist and not allowlist.is_empty()
            else None
        )

    def pii_applies(self, path: str) -> bool:
        policy = self.pii
        if not policy.enabled:
            return False
        if policy.exclude and path_matches(path, policy.exclude):
            return False
        return not policy.paths or path_matches(path, policy.paths) is not None

    def scan_fragment(self, fragment: Fragment) -> FragmentScan:
        # the caches key on the text's digest: computed once for both
        digest = _digest(fragment.text) if self._cache is not None else None
        raw, incomplete = self._raw(fragment, digest)
        decoded: list[Finding] = []
        encoded: list[tuple[int, int]] = []  # segments that decoded to a finding
        if self.decode_depth:
            decoded, encoded = self._scan_decoded(fragment, raw, incomplete, digest)
        findings = self._findings(fragment, raw, encoded) if raw else []
        return FragmentScan((*findings, *decoded), tuple(incomplete))

    def _raw(
        self, fragment: Fragment, digest: bytes | None = None
    ) -> tuple[tuple[RawMatch, ...], list[Skipped]]:
        raw, timeouts = self._matches(
            fragment.text, self.pii_applies(fragment.path), fragment.context, digest
        )
        incomplete = [
            Skipped(fragment.path, f"rule {t.rule_id} timed out on a window; scanned in part",
                    error=True)
            for t in timeouts
        ]
        return raw, incomplete

    def _findings(
        self, fragment: Fragment, raw: Sequence[RawMatch], encoded: Sequence[tuple[int, int]] = ()
    ) -> list[Finding]:
        lines = LineIndex(fragment.text)
        values = _Spans([(match.start, match.end) for match in raw] + list(encoded))

        def judge(match: RawMatch, overruled_by: str | None) -> Finding:
            return self._judge(fragment, match, lines, overruled_by, values)

        findings = resolve_overlaps(raw, self.rules, judge)
        if self.companions:
            findings = [
                pair_companion(f, findings, fragment, lines, self.companions[f.rule_id])
                if f.rule_id in self.companions and not f.suppressed else f
                for f in findings
            ]
        return findings

    def _scan_decoded(
        self,
        fragment: Fragment,
        raw: Sequence[RawMatch],
        incomplete: list[Skipped],
        digest: bytes | None,
    ) -> tuple[list[Finding], list[tuple[int, int]]]:
        """Scan what encoded segments decode to; findings keep the segment's
        place in the original text and say how it was decoded. Also returns
        the segments that held them: encoded secrets, for lines to mask."""
        lines: LineIndex | None = None
        findings: list[Finding] = []
        segments: list[tuple[int, int]] = []
        for layer in self._decoded_layers(fragment.text, raw, digest):
            inner = fragment._replace(text=layer.text, start_line=1, line_numbers=None)
            inner_raw, inner_incomplete = self._raw(inner)
            incomplete.extend(inner_incomplete)
            if not inner_raw:
                continue
            lines = lines or LineIndex(fragment.text)
            segments.append((layer.start, layer.end))
            for finding in self._findings(inner, inner_raw):
                findings.append(self._relocate(finding, fragment, layer, lines))
        return findings, segments

    def _decoded_layers(
        self, text: str, raw: Sequence[RawMatch], digest: bytes | None
    ) -> Iterable[decoding.Layer]:
        skip = [(match.match_start, match.match_end) for match in raw]
        if self._layers is None:
            return decoding.layers(text, depth=self.decode_depth, skip=skip)
        key = (digest or _digest(text), tuple(skip))
        found = self._layers.get(key)
        if found is None:
            found = tuple(decoding.layers(text, depth=self.decode_depth, skip=skip))
            _remember(self._layers, key, found)
        return found

    def _relocate(
        self, finding: Finding, fragment: Fragment, layer: decoding.Layer, lines: LineIndex
    ) -> Finding:
        """A finding in decoded text, placed on the encoded segment it came from."""
        first, first_start, first_end = lines.locate(layer.start)
        last, last_start, _ = lines.locate(max(layer.end - 1, layer.start))
        span = (
            fragment.real_line(first), layer.start - first_start + 1,
            fragment.real_line(last), layer.end - last_start + 1,
        )
        decision = finding.suppressed_by
        if decision is None:  # a pragma on the encoded line covers what it decodes to
            rule = self.rules[self._rule_numbers[finding.rule_id]]
            line = fragment.text[first_start : min(first_end, first_start + 2 * LINE_CONTEXT)]
            context = MatchContext(rule, finding.secret, line, lines.previous_line(first_start),
                                   fragment.path, finding.entropy, fragment.commit)
            decision = pragma_decision(context)
        return finding._replace(
            line=span[0], column=span[1], end_line=span[2], end_column=span[3],
            match_span=span, decoded_from=layer.label, suppressed_by=decision,
        )

    def _matches(
        self, text: str, pii: bool, context: str = "", digest: bytes | None = None
    ) -> Matches:
        """The regex matches in ``text``; with a cache, each distinct text is
        matched once however many commits, paths or copies carry it.

        A keyword in ``context`` (a CSV header) labels every line of the
        text, so its rules search all of it."""
        key = None
        if self._cache is not None:
            key = (digest or _digest(text), pii, context)
            cached = self._cache.get(key)
            if cached is not None:
                return cached
        hits = self.index.hits(text)
        if context:
            for number in self.index.keyword_rules(context):
                hits[number] = []
        if hits and not pii:
            hits = {n: p for n, p in hits.items() if self.rules[n].kind != "pii"}
        timeouts: list[Timeout] = []
        raw = tuple(self.matcher.run(text, hits, timeouts)) if hits else ()
        found = (raw, tuple(timeouts)) if raw or timeouts else _NO_MATCHES
        if key is not None and self._cache is not None:
            _remember(self._cache, key, found)
        return found

    def _judge(
        self,
        fragment: Fragment,
        match: RawMatch,
        lines: LineIndex,
        overruled_by: str | None,
        values: _Spans,
    ) -> Finding:
        """The finding a match stands for, with the filters' decision; a match
        a more specific rule already owns is not put through them at all."""
        rule = self.rules[match.rule_number]
        line_index, line_start, line_end = lines.locate(match.start)

        def place(offset: int) -> tuple[int, int]:
            """(line index, line start) of ``offset``: most matches fit on the
            secret's first line, which is known already."""
            if line_start <= offset <= line_end:
                return line_index, line_start
            index, start, _ = lines.locate(offset)
            return index, start

        end_index, end_start = place(max(match.end - 1, match.start))
        column = match.start - line_start + 1
        # Filters see the line around the match, clipped: on a 10 MB minified
        # line, copying and searching the whole line per match is quadratic.
        context_start = max(line_start, match.start - LINE_CONTEXT)
        line = fragment.text[context_start : min(line_end, match.end + LINE_CONTEXT)]
        previous = lines.previous_line(line_start)
        # entropy says nothing about personal data, and costs per match
        entropy = shannon(match.secret) if rule.kind == "secret" else 0.0
        row, field_name = fragment.row, fragment.field
        if fragment.spans:
            row, field_name = locate_field(fragment.spans, match.start)
        context = MatchContext(
            rule, match.secret, line, previous, fragment.path, entropy, fragment.commit,
            field_name,
        )
        judgement = (
            Judgement(Decision("specificity", f"the same text matches {overruled_by}"),
                      rule.confidence)
            if overruled_by
            else self._decide(context, match.start - context_start)
        )
        first = place(match.match_start)
        last = place(max(match.match_end - 1, match.match_start))
        clipped = _clip(len(line), match.start - context_start, len(match.secret))
        line_text = line[clipped : clipped + max(LINE_TEXT_LIMIT, len(match.secret))]
        text_start = context_start + clipped
        matched = fragment.text[match.match_start : match.match_end]
        return Finding(
            rule_id=rule.id,
            description=rule.description,
            kind=rule.kind,
            type=rule.type,
            path=fragment.path,
            line=fragment.real_line(line_index),
            column=column,
            end_line=fragment.real_line(end_index),
            end_column=match.end - end_start + 1,
            secret=match.secret,
            entropy=round(entropy, 3),
            confidence=judgement.confidence,
            severity=judgement.severity or rule.severity,
            fingerprint=fingerprint(rule.id, fragment.path, match.secret),
            origin=fragment.origin,
            commit=fragment.commit,
            cell=fragment.cell,
            row=row,
            field=field_name,
            line_text=line_text,
            hidden=values.within(text_start, text_start + len(line_text)),
            suppressed_by=judgement.decision,
            validation=judgement.reason,
            keyword=_keyword(rule, matched, line, previous),
            match_span=(
                fragment.real_line(first[0]),
                match.match_start - first[1] + 1,
                fragment.real_line(last[0]),
                match.match_end - last[1] + 1,
            ),
        )

    def _decide(self, context: MatchContext, column: int) -> Judgement:
        """The first filter that objects, and what the validator says. The
        allowlists decide first: what they allow (an AUTHORS file's thousand
        addresses, translators' credits in every catalogue) is not a finding
        whatever the validator would say, and they cost less than it."""
        rule = context.rule
        for allowlist in (self.rule_allowlists.get(rule.id), self.allowlist):
            decision = allowlist.decide(context) if allowlist else None
            if decision:
                return Judgement(decision, rule.confidence)
        for check in BUILTIN_FILTERS:
            decision = check(context)
            if decision:
                return Judgement(decision, rule.confidence)
        confidence = rule.confidence
        reason = ""
        severity = None
        if rule.validator:
            from leakguard.validators.base import Candidate  # only when one is needed

            candidate = Candidate(
                context.secret, context.line, column, column + len(context.secret),
                context.field,
            )
            verdict = self._validator(rule.validator)(candidate)
            if not verdict.valid:
                return Judgement(Decision("validator", verdict.reason), confidence, verdict.reason)
            confidence = verdict.confidence or confidence
            reason = verdict.reason
            severity = verdict.severity
            if verdict.test_data and self.pii.test_data == "skip":
                decision = Decision("test-data", f"{reason} (pii.test_data = \"skip\")")
                return Judgement(decision, confidence, reason, severity)
        return Judgement(pragma_decision(context), confidence, reason, severity)

    def _validator(self, name: str) -> Validator:
        """The registry imports a validator's module on each lookup: resolve
        each name once per engine (a lookup per match was ~5% of judging)."""
        found = self._validators.get(name)
        if found is None:
            from leakguard.validators import VALIDATORS

            found = self._validators[name] = VALIDATORS[name]
        return found


class Judgement(NamedTuple):
    """What the filters and the validator made of one match."""

    decision: Decision | None
    confidence: Confidence
    reason: str = ""
    severity: Severity | None = None


def locate_field(spans: Sequence[FieldSpan], offset: int) -> tuple[int | None, str | None]:
    """The row and field of a data-file fragment that ``offset`` falls in."""
    index = bisect.bisect_right(spans, offset, key=lambda span: span.start) - 1
    if index < 0:
        return None, None
    span = spans[index]
    return span.row, span.field if offset < span.end else None


def _digest(text: str) -> bytes:
    import hashlib  # history scans only: the hook never caches

    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class LineIndex:
    """Offsets of a text to its lines.

    Lines are counted (``str.count``, at memory speed) from the last offset
    asked about, not listed up front: most texts are asked about a few matches
    close together, and listing every line start of a large file in Python
    cost more than matching it. Lookups by line index (companions, redaction)
    list them once, on first use.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._offset = 0  # an offset whose line index is known
        self._index = 0
        self._starts: list[int] | None = None

    @functools.cached_property
    def count(self) -> int:
        """How many lines the text has (asked up to three times per companion)."""
        return self.text.count("\n") + 1

    def start_of(self, index: int) -> int:
        if self._starts is None:
            text = self.text
            starts = [0]
            position = text.find("\n")
            while position >= 0:
                starts.append(position + 1)
                position = text.find("\n", position + 1)
            self._starts = starts
        return self._starts[index]

    def locate(self, offset: int) -> tuple[int, int, int]:
        """(0-based line index, line start, line end) of ``offset``."""
        text = self.text
        if offset >= self._offset:
            index = self._index + text.count("\n", self._offset, offset)
        else:
            index = self._index - text.count("\n", offset, self._offset)
        self._offset, self._index = offset, index
        end = text.find("\n", offset)
        return index, text.rfind("\n", 0, offset) + 1, len(text) if end < 0 else end

    def previous_line(self, line_start: int) -> str:
        """The line before the one starting at ``line_start``."""
        if line_start == 0:
            return ""
        return self.text[self.text.rfind("\n", 0, line_start - 1) + 1 : line_start - 1]


def _keyword(rule: Rule, *texts: str) -> str:
    """The rule keyword nearest the match, for ``explain``: in the match, else on
    its line or the line before (a keyword further away leaves it empty)."""
    for text in texts:
        lowered = text.lower()
        for keyword in rule.keywords:
            if keyword in lowered:
                return keyword
    return ""


def _clip(size: int, column: int, length: int) -> int:
    """Where the line shown around a match starts in a line of ``size``
    characters: short enough for a report on minified code."""
    if size <= LINE_TEXT_LIMIT:
        return 0
    half = max(0, (LINE_TEXT_LIMIT - length) // 2)
    return max(0, column - half)


class _Spans:
    """Where a text holds values: what its matches extracted (reported or
    not) and the encoded segments that decoded to a finding. A line shown
    for one finding masks all of them, or it prints the others in clear (two
    tokens in one literal, a token beside its own base64)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self._spans = sorted(set(spans))
        self._starts = [start for start, _ in self._spans]
        self._longest = max((end - start for start, end in self._spans), default=0)

    def within(self, line_start: int, line_end: int) -> tuple[tuple[int, int], ...]:
        """The spans that reach into ``[line_start, line_end)``, cut to it and
        counted from ``line_start``."""
        starts = self._starts
        low = bisect.bisect_left(starts, line_start - self._longest)
        high = bisect.bisect_left(starts, line_end, low)
        return tuple([
            (max(start, line_start) - line_start, min(end, line_end) - line_start)
            for start, end in self._spans[low:high]
            if end > line_start
        ])


def pair_companion(
    finding: Finding,
    findings: Sequence[Finding],
    fragment: Fragment,
    lines: LineIndex,
    companion: Companion,
) -> Finding:
    """A composite rule's finding with its companion: the nearest finding of a
    companion rule, or the nearest line matching the companion regex, at most
    ``within_lines`` away. Found, it raises the confidence and is recorded (its
    rule and place, never its value); missing and required, it suppresses."""
    found = _companion_location(finding, findings, fragment, lines, companion)
    if found is None:
        if not companion.required:
            return finding
        reason = f"no {companion.name} within {companion.within_lines} lines"
        return finding._replace(suppressed_by=Decision("companion", reason))
    confidence = min(finding.confidence, companion.confidence, key=CONFIDENCES.index)
    return finding._replace(confidence=confidence, companion=found)


def _companion_location(
    finding: Finding,
    findings: Sequence[Finding],
    fragment: Fragment,
    lines: LineIndex,
    companion: Companion,
) -> str | None:
    reach = companion.within_lines
    if companion.rules:
        near = [
            other for other in findings
            if other.rule_id in companion.rules and not other.suppressed
            and abs(other.line - finding.line) <= reach
        ]
        if not near:
            return None
        nearest = min(near, key=lambda other: (abs(other.line - finding.line), other.column))
        return f"{nearest.rule_id} at {nearest.line}:{nearest.column}"
    first, last = _line_indexes(fragment, finding.line - reach, finding.line + reach, lines)
    start = lines.start_of(first)
    end = lines.start_of(last + 1) if last + 1 < lines.count else len(fragment.text)
    # on a minified or single-line file the lines around a finding are the
    # whole file: look only so far either side of it
    at = lines.start_of(_line_indexes(fragment, finding.line, finding.line, lines)[0])
    start = max(start, at + finding.column - 1 - COMPANION_REACH)
    end = min(end, at + finding.column - 1 + COMPANION_REACH)
    best: tuple[int, int, int] | None = None  # distance, line, column
    for match in compile_rule_regex(companion.regex or "").finditer(fragment.text, start, end):
        index, line_start, _ = lines.locate(match.start())
        line = fragment.real_line(index)
        candidate = (abs(line - finding.line), line, match.start() - line_start + 1)
        if best is None or candidate < best:
            best = candidate
    return None if best is None else f"{companion.name} at {best[1]}:{best[2]}"


def _line_indexes(fragment: Fragment, low: int, high: int, lines: LineIndex) -> tuple[int, int]:
    """The fragment's first and last line index whose real line number lies in
    ``[low, high]`` (a diff's added lines are numbered with gaps)."""
    count = lines.count
    if fragment.line_numbers is None:
        first = low - fragment.start_line
        last = high - fragment.start_line
    else:
        first = bisect.bisect_left(fragment.line_numbers, low)
        last = bisect.bisect_right(fragment.line_numbers, high) - 1
    return max(0, first), max(0, min(count - 1, last))


def resolve_overlaps(
    raw: Sequence[RawMatch],
    rules: Sequence[Rule],
    judge: Callable[[RawMatch, str | None], Finding],
) -> list[Finding]:
    """When rules match overlapping text, the most specific one owns it: a
    provider rule beats the generic detector on the same value. The owner's
    verdict stands even when it suppressed its own match (a provider rule that
    knows a value is a placeholder must not let a generic rule report it) -
    except for personal data: a BSN rule rejecting nine digits says nothing
    about whether they are an SSN, so a rejected PII match owns nothing.

    Matches are judged most specific first, so a match another rule already
    owns is never put through its filters and validator (``judge`` is told
    who overruled it): the generic detector's checks are the costly ones."""
    result: list[Finding] = []
    for cluster in _overlapping_clusters(raw):
        result.extend(_resolve_cluster(cluster, rules, judge))
    result.sort(key=lambda f: (f.line, f.column, f.rule_id))
    return result


def _overlapping_clusters(raw: Sequence[RawMatch]) -> Iterator[list[RawMatch]]:
    """Groups of matches connected by overlap, so the pairwise work below only
    ever sees a handful of matches (a file can hold tens of thousands)."""
    ordered = sorted(raw, key=lambda match: match.start)
    cluster: list[RawMatch] = []
    reach = -1
    for match in ordered:
        if cluster and match.start >= reach:
            yield cluster
            cluster = []
        cluster.append(match)
        reach = max(reach, match.end) if len(cluster) > 1 else match.end
    if cluster:
        yield cluster


def _resolve_cluster(
    cluster: list[RawMatch],
    rules: Sequence[Rule],
    judge: Callable[[RawMatch, str | None], Finding],
) -> list[Finding]:
    if len(cluster) == 1:
        return [judge(cluster[0], None)]
    cluster = sorted(cluster, key=lambda match: -rules[match.rule_number].specificity)
    owners: list[tuple[int, int, int, str]] = []  # start, end, specificity, rule id
    resolved = []
    for match in cluster:
        specificity = rules[match.rule_number].specificity
        owner = next(
            (
                rule_id
                for start, end, other, rule_id in owners
                if other > specificity and start < match.end and match.start < end
            ),
            None,
        )
        finding = judge(match, owner)
        if not (finding.suppressed and finding.kind == "pii"):
            owners.append((match.start, match.end, specificity, finding.rule_id))
        resolved.append(finding)
    return resolved


def scan(engine: Engine, items: Iterable[Fragment | Skipped]) -> ScanResult:
    """Scan every fragment, keeping one finding per fingerprint."""
    with engine.matcher.watchdog:
        result = _scan(engine, items)
    return result


def _scan(engine: Engine, items: Iterable[Fragment | Skipped]) -> ScanResult:
    began = time.perf_counter()
    result = ScanResult()
    seen: set[str] = set()
    paths: set[str] = set()
    rows: dict[str, int] = {}  # data rows per data file, for column-level findings
    for item in items:
        if isinstance(item, Skipped):
            result.skipped.append(item)
            continue
        result.fragments += 1
        result.bytes += len(item.text)
        paths.add(item.path)
        if item.spans:
            rows[item.path] = max(rows.get(item.path, 0), item.spans[-1].row)
        scanned = engine.scan_fragment(item)
        result.skipped.extend(scanned.incomplete)
        for finding in scanned.findings:
            if finding.suppressed:
                result.suppressed.append(finding)
            elif finding.fingerprint not in seen:
                seen.add(finding.fingerprint)
                result.findings.append(finding)
    result.findings = collapse(result.findings, rows)
    result.files = len(paths)
    result.seconds = time.perf_counter() - began
    return result


def scan_text(
    text: str, rules: Sequence[Rule], *, path: str = "snippet.txt", include_suppressed: bool = False
) -> list[Finding]:
    """Scan a string with ``rules``: the whole pipeline, for tests and rule checks."""
    result = scan(Engine(rules), [Fragment(path, text)])
    return result.findings + (result.suppressed if include_suppressed else [])
