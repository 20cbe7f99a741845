"""Find encoded segments in a text and decode them, so secrets hidden in
base64, hex, percent-encoding, JSON string escapes or quoted-printable are
scanned too.

``layers()`` yields each decoded text with the span of the encoded segment it
came from in the original text and the decodings applied (``base64``, then
``json``…), recursing into decoded text up to a depth. Cost stays bounded:
only segments that look encoded and are long enough are tried, a short prefix
is decoded first and anything that is not text (images, compressed data,
hashes) is dropped there, and a budget caps the bytes decoded per text.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple


class _Lazy:
    """A regex compiled on first use: most hook runs never decode anything,
    and compiling these at import would cost them milliseconds."""

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[Any] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return getattr(self._compiled, name)


DEFAULT_DEPTH = 3
DEFAULT_BUDGET = 512 * 1024  # decoded characters per fragment, all layers together

MIN_BASE64 = 28  # 21 bytes: `password=` and a 12-character password; a token is longer
MIN_HEX = 32
MIN_DECODED = 8
SNIFF = 64  # encoded characters decoded first, to reject binary cheaply

# Runs of the base64 alphabets (standard and URL-safe; hex is a subset) are
# found in a copy of the text where every alphabet character is 'A' and every
# other one a space: searching for `AAAA…` runs at memory speed, where a
# character class would be tried at every position. (Latin-1 with replacement
# keeps one byte per character, so offsets carry over.)
_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-"
_RUN_TABLE = bytes(0x41 if byte in _B64_ALPHABET else 0x20 for byte in range(256))
_RUN_NEEDLE = b"A" * MIN_BASE64  # bytes.find skips through text faster than a regex
_RUN = _Lazy(_RUN_NEEDLE + b"+")
# A wrapped block (MIME, `base64` output, or the same inside a JSON string with
# `\n` escapes) is one segment: runs separated by a line break (or its escape)
# join when the next run is a whole line.
_WRAP = _Lazy(r"\r?\n[ \t]*|(?:\\r)?\\")
_LINE_END = frozenset("\r\n\"',; \t\\")
_B64 = "A-Za-z0-9+/_-"
# Base64 of text has a telltale shape: the first character of every group of
# four encodes the top six bits of a byte, and for 0x09-0x7E (ASCII text, tabs,
# line breaks) that is one of C, D, I-Z, a-f. A run must show it in its first
# five groups (15 bytes), which rules out identifiers and random runs before
# anything is decoded. Hex of text: bytes 0x20-0x7E, tabs and line breaks.
_BASE64_TEXT = _Lazy(rf"(?:[CDI-Za-f][{_B64}]{{3}}){{5}}")
_HEX_TEXT = _Lazy(
    rf"(?:[2-7][0-9a-f]|0[9ad]){{{MIN_HEX // 2}}}|(?:[2-7][0-9A-F]|0[9AD]){{{MIN_HEX // 2}}}"
)
_BASE64_LEADERS = frozenset("CDIJKLMNOPQRSTUVWXYZabcdef")
# gzip's magic and method (1f 8b 08) in base64: compressed text has no
# telltale of its own
_GZIP_BASE64 = "H4sI"
GZIP_BASE64 = "base64 → gzip"
_HEX_LEADERS = frozenset("0234567")
_SPACES = _Lazy(r"\s+|\\[rn]")
_PERCENT_ESCAPE = _Lazy(r"%[0-9A-Fa-f]{2}")
_DELIMITER = _Lazy(r"[\s\"'`<>]")
# A URI with credentials is left as written: its escapes are URI syntax, and the
# URI rules read the password's escapes themselves (decoding `p%40ss@host`
# would move the host).
_USERINFO = _Lazy(r"://[^/?#@]*@")
MAX_REACH = 2048  # how far a percent-encoded segment extends around an escape
MAX_LITERAL = 65536  # the longest string literal whose escapes are decoded
_JSON_ESCAPE = _Lazy(r"""\\(?:u([0-9a-fA-F]{4})|(["'\\/bfnrt]))""")
_QP_ESCAPE = _Lazy(r"=[0-9A-F]{2}")
# escaped text that is worth decoding: JSON (or an assignment) inside a string,
# or ASCII hidden behind \u escapes; not the odd \" of a translated sentence
# or an HTML attribute (`href=\"…\"`)
# (written to start with the backslash: a literal first character is what lets
# the regex engine skip through text quickly)
_EMBEDDED = _Lazy(r"""\\(?:"\s*[:=]|(?<=[{\[]\\)"|(?<=[{\[] \\)"|u00[2-7][0-9a-fA-F])""")
_QP_LINES = _Lazy(r"(?:^[^\n]*(?:=[0-9A-F]{2}[^\n]*|=\r?)$\n?)+", re.MULTILINE)
_WHITESPACE = str.maketrans("", "", "\n\r\t")
_SIMPLE_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class Layer(NamedTuple):
    """A decoded text; ``start``/``end`` span the encoded segment in the
    original text, ``path`` lists the decodings from the outside in. (A named
    tuple, not a dataclass: this module loads in every hook run, and building
    a frozen dataclass costs milliseconds of start-up.)"""

    start: int
    end: int
    text: str
    path: tuple[str, ...]

    @property
    def label(self) -> str:
        return " → ".join(self.path)


class _Budget:
    """What is left to decode for one fragment (owned by one ``layers`` call)."""

    def __init__(self, characters: int) -> None:
        self.left = characters

    def take(self, wanted: int) -> int:
        granted = min(wanted, self.left)
        self.left -= granted
        return granted


def layers(
    text: str,
    *,
    depth: int = DEFAULT_DEPTH,
    budget: int = DEFAULT_BUDGET,
    skip: Sequence[tuple[int, int]] = (),
) -> Iterator[Layer]:
    """Every decoded layer of ``text`` (see the module docstring). Segments
    overlapping a span in ``skip`` (what the raw text already matched) are left
    alone: a JWT or a basic-auth header is reported as it is written."""
    if depth <= 0:
        return
    allowance = _Budget(budget)
    for start, end, decoded, kind in _decoded_segments(text, allowance, skip):
        yield from _descend(Layer(start, end, decoded, (kind,)), depth - 1, allowance)


def _descend(layer: Layer, depth: int, allowance: _Budget) -> Iterator[Layer]:
    yield layer
    if depth <= 0 or allowance.left <= 0:
        return
    for _, _, decoded, kind in _decoded_segments(layer.text, allowance, ()):
        inner = Layer(layer.start, layer.end, decoded, (*layer.path, kind))
        yield from _descend(inner, depth - 1, allowance)


Segment = tuple[int, int, str, str]  # start, end, decoded text, decoding


def _decoded_segments(
    text: str, allowance: _Budget, skip: Sequence[tuple[int, int]]
) -> Iterator[Segment]:
    finders: list[Callable[[str, _Budget], Iterator[Segment]]] = [_base64_and_hex]
    # cheap substring tests keep the common case to the search for runs
    if "%" in text:
        finders.append(_percent)
    if "\\" in text and _EMBEDDED.search(text):
        finders.append(_json_strings)
    # `x=42` is code, not quoted-printable: QP comes with its
    # Content-Transfer-Encoding header (emails, MIME dumps, mbox files)
    if "uoted-printable" in text:
        finders.append(_quoted_printable)
    for finder in finders:
        for segment in finder(text, allowance):
            if not any(start < segment[1] and segment[0] < end for start, end in skip):
                yield segment


def _text(data: bytes, truncated: bool = False) -> str | None:
    """``data`` as UTF-8 text of printable characters, or None. A truncated
    decode may end inside a multi-byte character, which is cut off."""
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if not truncated or error.start < len(data) - 3:
            return None
        decoded = data[: error.start].decode("utf-8")
    if len(decoded) < MIN_DECODED or not decoded.translate(_WHITESPACE).isprintable():
        return None
    return decoded


def _base64_and_hex(text: str, allowance: _Budget) -> Iterator[Segment]:
    data = text.encode("latin-1", "replace").translate(_RUN_TABLE)
    looks_base64, looks_hex = _BASE64_TEXT.match, _HEX_TEXT.match
    position = data.find(_RUN_NEEDLE)
    while position >= 0:
        start = position
        run_end = data.find(b" ", start + MIN_BASE64)
        run_end = len(data) if run_end < 0 else run_end
        position = data.find(_RUN_NEEDLE, run_end)
        # most runs are names and paths: their first character, or one anchored
        # match, rules them out
        first = text[start]
        if first in _BASE64_LEADERS and looks_base64(text, start):
            decode, chars, size, kind = _base64_text, 4, 3, "base64"
        elif first in _HEX_LEADERS and looks_hex(text, start):
            decode, chars, size, kind = _hex_text, 2, 1, "hex"
        elif first == "H" and text.startswith(_GZIP_BASE64, start):
            decode, chars, size, kind = _base64_text, 4, 3, GZIP_BASE64
        else:
            continue
        end = _block_end(text, data, run_end)
        if end > run_end:  # a wrapped block: search on after it
            position = data.find(_RUN_NEEDLE, end)
        segment = text[start:end]
        if "\n" in segment or "\\" in segment:  # a wrapped block: join its lines
            segment = _SPACES.sub("", segment)
        if kind == "base64" and ("-" in segment or "_" in segment):
            kind = "base64url"
        decoded = (
            _gunzipped_base64(segment, allowance) if kind == GZIP_BASE64
            else _decode(segment, decode, chars, size, allowance)
        )
        if decoded is not None:
            yield start, end, decoded, kind


def _block_end(text: str, data: bytes, end: int) -> int:
    """The end of the wrapped block a run starts: following runs join when a
    line break (or a ``\\n`` escape, whose ``n`` the run holds) separates them
    and each is a whole line. Padding is included."""
    while end < len(text) and text[end] in "\r\n\\":
        gap = _WRAP.match(text, end)
        after = _RUN.match(data, gap.end()) if gap else None
        if gap is None or after is None or not _whole_line(text, after.end()):
            break
        if gap.group().startswith("\\") and text[gap.end()] != "n":
            break
        end = after.end()
    padding = end
    while padding < len(text) and padding - end < 2 and text[padding] == "=":
        padding += 1
    return padding


def _whole_line(text: str, end: int) -> bool:
    while end < len(text) and text[end] == "=":
        end += 1
    return end >= len(text) or text[end] in _LINE_END


def _base64_text(part: str, truncated: bool = False) -> str | None:
    """``part`` (standard or URL-safe base64) decoded to text, or None."""
    urlsafe = "-" in part or "_" in part
    if urlsafe and ("+" in part or "/" in part):
        return None
    body = part.rstrip("=")
    if truncated or len(body) % 4 == 1:  # a cut-off end, or a stray character
        body = body[: len(body) - len(body) % 4]
    else:
        body += "=" * (-len(body) % 4)
    try:
        data = base64.urlsafe_b64decode(body) if urlsafe else base64.b64decode(body)
    except (ValueError, binascii.Error):
        return None
    return _text(data, truncated)


def _gunzipped_base64(segment: str, allowance: _Budget) -> str | None:
    """Base64 of gzip data (Helm's release records, compressed payloads in
    configuration) → the text it packs, unpacked no further than the budget:
    a few kilobytes can hold megabytes."""
    import zlib  # only once a text holds such a run

    body = segment.rstrip("=")
    body += "=" * (-len(body) % 4)
    urlsafe = "-" in body or "_" in body
    try:
        packed = base64.urlsafe_b64decode(body) if urlsafe else base64.b64decode(body)
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)  # gzip's header and trailer
        data = inflater.decompress(packed, allowance.left)
    except (ValueError, binascii.Error, zlib.error):
        return None
    decoded = _text(data, truncated=not inflater.eof)
    if decoded is not None:
        allowance.take(len(decoded))
    return decoded


def _hex_text(part: str, truncated: bool = False) -> str | None:
    try:
        return _text(bytes.fromhex(part[: len(part) - len(part) % 2]), truncated)
    except ValueError:
        return None


def _decode(
    segment: str,
    decode: Callable[[str, bool], str | None],
    chars: int,
    size: int,
    allowance: _Budget,
) -> str | None:
    """Decode ``segment`` (``chars`` encoded characters per ``size`` bytes):
    a prefix first, to give up on binary cheaply, then as much as the budget
    allows. Only text that is kept counts against the budget."""
    if len(segment) > SNIFF and decode(segment[:SNIFF], True) is None:
        return None
    limit = allowance.left * chars // size
    if limit < MIN_DECODED:
        return None
    truncated = len(segment) > limit
    decoded = decode(segment[:limit] if truncated else segment, truncated)
    if decoded is not None:
        allowance.take(len(decoded))
    return decoded


def _percent(text: str, allowance: _Budget) -> Iterator[Segment]:
    """The delimited run around each ``%XX`` escape (found from the escapes,
    so a long run without one costs nothing)."""
    position = 0
    while True:
        escape = _PERCENT_ESCAPE.search(text, position)
        if escape is None:
            return
        before = text[max(0, escape.start() - MAX_REACH) : escape.start()]
        delimiter = _DELIMITER.search(before[::-1])  # the nearest one before the escape
        start = escape.start() - (delimiter.start() if delimiter else len(before))
        after = _DELIMITER.search(text, escape.end(), escape.end() + MAX_REACH)
        end = after.start() if after else min(len(text), escape.end() + MAX_REACH)
        position = end
        segment = text[start:end]
        if _USERINFO.search(segment):
            continue
        if allowance.left < len(segment):
            return
        from urllib.parse import unquote  # only once a text holds an escape

        try:
            decoded = unquote(segment, errors="strict")
        except UnicodeDecodeError:
            continue
        allowance.take(len(decoded))
        if len(decoded) >= MIN_DECODED and decoded.translate(_WHITESPACE).isprintable():
            yield start, end, decoded, "percent"


def _json_unescape(match: re.Match[str]) -> str:
    code, simple = match.groups()
    if code is not None:
        return chr(int(code, 16))
    return _SIMPLE_ESCAPES.get(simple, simple)


def _json_strings(text: str, allowance: _Budget) -> Iterator[Segment]:
    """String literals whose content is itself escaped text: JSON inside a JSON
    string (``"{\\"password\\": …}"``), or ``\\u`` escapes of ASCII. Found
    from the telltale escapes, and delimited by walking to the unescaped quotes
    around them, so the cost follows the literals, not the text."""
    done = 0
    for hint in _EMBEDDED.finditer(text):
        if hint.start() < done:
            continue
        opening = _unescaped_quote_before(text, hint.start())
        if opening < 0:
            done = hint.end()
            continue
        closing = _unescaped(text, text[opening], opening + 1)
        if closing < 0 or closing - opening > MAX_LITERAL:
            done = hint.end()
            continue
        done = closing + 1
        decoded = _JSON_ESCAPE.sub(_json_unescape, text[opening + 1 : closing])
        decoded = decoded.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        if allowance.take(len(decoded)) == len(decoded) and len(decoded) >= MIN_DECODED:
            yield opening + 1, closing, decoded, "json"


def _escaped(text: str, position: int) -> bool:
    """Whether the character at ``position`` follows an odd run of backslashes."""
    start = position
    while start > 0 and text[start - 1] == "\\":
        start -= 1
    return (position - start) % 2 == 1


def _unescaped_quote_before(text: str, position: int) -> int:
    """The nearest quote (either kind) before ``position`` that opens a
    literal on the same line, or -1."""
    floor = max(text.rfind("\n", 0, position) + 1, position - MAX_LITERAL)
    while position > floor:
        position = max(text.rfind('"', floor, position), text.rfind("'", floor, position))
        if position < 0:
            return -1
        if not _escaped(text, position):
            return position
    return -1


def _unescaped(text: str, quote: str, position: int) -> int:
    """The next unescaped ``quote`` from ``position`` on the same line, or -1."""
    line_end = text.find("\n", position)
    ceiling = min(len(text) if line_end < 0 else line_end, position + MAX_LITERAL)
    while True:
        position = text.find(quote, position, ceiling)
        if position < 0 or not _escaped(text, position):
            return position
        position += 1


def _quoted_printable(text: str, allowance: _Budget) -> Iterator[Segment]:
    """Runs of lines holding ``=XX`` escapes or ending in a soft line break."""
    import quopri  # only once a text holds an escape

    for found in _QP_LINES.finditer(text):
        segment = found.group().rstrip("\n")
        if len(_QP_ESCAPE.findall(segment)) < 2 and not segment.endswith("="):
            continue
        granted = allowance.take(len(segment))
        decoded = _text(quopri.decodestring(segment[:granted].encode("latin-1", "replace")))
        if decoded is not None and decoded != segment:
            yield found.start(), found.start() + len(segment), decoded, "quoted-printable"
