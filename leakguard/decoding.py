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

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return getattr(self._compiled, name)


DEFAULT_DEPTH = 3
DEFAULT_BUDGET = 512 * 1024  # decoded characters per fragment, all layers together

MIN_BASE64 = 20  # 15 bytes: shorter than any token worth finding
MIN_HEX = 32
MIN_DECODED = 8
SNIFF = 64  # encoded characters decoded first, to reject binary cheaply

# Runs of the base64 alphabets (standard and URL-safe), not inside a longer
# word; a character before the run would have been part of it.
_BASE64 = _Lazy(rf"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{{{MIN_BASE64},}}={{0,2}}")
_HEX = _Lazy(r"^(?:[0-9a-f]{2})+$|^(?:[0-9A-F]{2})+$")
_PERCENT_ESCAPE = _Lazy(r"%[0-9A-Fa-f]{2}")
_DELIMITER = _Lazy(r"[\s\"'`<>]")
# A URI with credentials is left as written: its escapes are URI syntax, and the
# URI rules read the password's escapes themselves (decoding `p%40ss@host`
# would move the host).
_USERINFO = _Lazy(r"://[^/?#@]*@")
MAX_REACH = 2048  # how far a percent-encoded segment extends around an escape
_QUOTED = _Lazy(r""""(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*'""")
_JSON_ESCAPE = _Lazy(r"""\\(?:u([0-9a-fA-F]{4})|(["'\\/bfnrt]))""")
_QP_ESCAPE = _Lazy(r"=[0-9A-F]{2}")
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
    # cheap substring tests keep the common case to one regex pass
    if "%" in text:
        finders.append(_percent)
    if '\\"' in text or "\\u" in text or "\\'" in text:
        finders.append(_json_strings)
    if "=" in text and _QP_ESCAPE.search(text):
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
    for found in _BASE64.finditer(text):
        segment = found.group()
        # base64 of text mixes cases; snake_case and SHOUTING names do not
        if segment.islower() or segment.isupper():
            if len(segment) >= MIN_HEX and _HEX.match(segment):
                decoded = _decode_hex(segment, allowance)
                if decoded is not None:
                    yield found.start(), found.end(), decoded, "hex"
            continue
        kind = "base64url" if ("-" in segment or "_" in segment) else "base64"
        decoded = _decode_base64(segment, kind == "base64url", allowance)
        if decoded is not None:
            yield found.start(), found.end(), decoded, kind


def _decode_base64(segment: str, urlsafe: bool, allowance: _Budget) -> str | None:
    if urlsafe and ("+" in segment or "/" in segment):
        return None
    body = segment.rstrip("=")
    decode = base64.urlsafe_b64decode if urlsafe else base64.b64decode

    def attempt(part: str, truncated: bool) -> str | None:
        part = part[: len(part) - len(part) % 4]
        try:
            return _text(decode(part), truncated)
        except (ValueError, binascii.Error):
            return None

    if len(body) > SNIFF and attempt(body[:SNIFF], truncated=True) is None:
        return None
    wanted = len(body) * 3 // 4
    granted = allowance.take(wanted)
    if granted < MIN_DECODED:
        return None
    limited = body[: granted * 4 // 3] if granted < wanted else body + "=" * (-len(body) % 4)
    return attempt(limited, truncated=granted < wanted)


def _decode_hex(segment: str, allowance: _Budget) -> str | None:
    try:
        if _text(bytes.fromhex(segment[:SNIFF]), truncated=True) is None:
            return None
        granted = allowance.take(len(segment) // 2)
        return _text(bytes.fromhex(segment[: granted * 2]), truncated=granted * 2 < len(segment))
    except ValueError:
        return None


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
    string (``"{\\"password\\": …}"``), or ``\\u`` escapes."""
    for found in _QUOTED.finditer(text):
        inner = found.group()[1:-1]
        if '\\"' not in inner and "\\u" not in inner and "\\'" not in inner:
            continue
        decoded = _JSON_ESCAPE.sub(_json_unescape, inner)
        decoded = decoded.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        if allowance.take(len(decoded)) == len(decoded) and len(decoded) >= MIN_DECODED:
            yield found.start() + 1, found.end() - 1, decoded, "json"


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
