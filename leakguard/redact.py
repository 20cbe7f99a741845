"""``leakguard redact``: a sanitised copy of a file, with every finding
(secrets and personal data) replaced by a mask or a keyed pseudonym.

- Masks name the type: ``[REDACTED:email]``.
- Pseudonyms (``--pseudonymize --key-file K``) are an HMAC-SHA256 of the
  type and the normalised value under the key, spelled in letters only
  (``[email:qkfzmwrbtyhe]``): the same value always gives the same token, so
  joins across rows and files still work, the key never appears in the
  output, and a token can never look like a number that a rule would match.
- Structure is kept: text stays text, a notebook stays valid nbformat JSON,
  a CSV keeps its rows and columns, a JSONL line stays valid JSON (a number
  that was a card number becomes a string token). Data files are streamed.
- The output is written to a temporary file beside it, fsynced and renamed
  over the target, so a crash never leaves half a file; the input is only
  replaced with ``--in-place``.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import ipaddress
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from leakguard import formats, sources
from leakguard.commands import config_start, engine_settings, load_config, select_rules
from leakguard.errors import LeakguardError, UsageError
from leakguard.models import Finding, Fragment
from leakguard.scan import Engine, LineIndex

MIN_KEY_BYTES = 16


class RedactError(LeakguardError):
    """The input cannot be redacted or the output cannot be written."""


@dataclass(frozen=True)
class RedactRequest:
    input: str
    output: str | None = None
    in_place: bool = False
    pseudonymize: bool = False
    key_file: str | None = None
    config: str | None = None
    rule_files: tuple[str, ...] = ()


@dataclass
class RedactResult:
    input: str
    output: str
    replaced: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Replacer:
    """Turns a finding's value into its token."""

    key: bytes | None = None

    def token(self, kind: str, value: str) -> str:
        name = kind.lower()
        if self.key is None:
            return f"[REDACTED:{name}]"
        message = f"{kind}\0{normalise(kind, value)}".encode("utf-8", "surrogatepass")
        digest = hmac.new(self.key, message, hashlib.sha256).digest()
        return f"[{name}:{''.join(chr(97 + byte % 26) for byte in digest[:12])}]"


def normalise(kind: str, value: str) -> str:
    """One spelling per value, so ``+1 (212) 555-0142`` and ``+12125550142``
    or ``Ana@Example.org`` and ``ana@example.org`` get the same pseudonym."""
    if kind == "EMAIL":
        return value.lower()
    if kind in ("IPV4", "IPV6"):
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            return value
    if kind in ("PHONE", "CREDIT_CARD", "US_SSN", "IBAN", "NATIONAL_ID", "PASSPORT"):
        return re.sub(r"[^0-9A-Za-z+]", "", value).upper()
    return value


def run_redact(request: RedactRequest) -> RedactResult:
    """Redact ``request.input`` into its output; nothing is written on error."""
    source = Path(request.input)
    target = _target(request, source)
    replacer = Replacer(_read_key(request.key_file) if request.pseudonymize else None)
    if request.key_file and not request.pseudonymize:
        raise UsageError("--key-file is only used with --pseudonymize")
    if not source.is_file():
        raise RedactError(f"{source}: no such file")
    config = load_config(request.config, config_start([str(source)], True))
    engine = Engine.from_settings(engine_settings(config, select_rules(config, request.rule_files)))
    display = _display_path(source)
    result = RedactResult(str(source), str(target))
    structure = formats.kind(display)
    if structure in ("csv", "jsonl"):
        with open(source, "rb") as handle:
            encoding = sources.stream_encoding(handle.read(sources.BINARY_SNIFF))
            if encoding is None:
                raise RedactError(f"{source}: a binary file, not {structure.upper()} text")
            handle.seek(0)
            stream = io.TextIOWrapper(handle, encoding=encoding, errors="surrogateescape",
                                      newline="\n")
            parts = _redact_data(engine, display, stream, replacer, result.replaced)
            _write_atomically(target, parts, source, encoding)
        return result
    data = source.read_bytes()
    text = sources.decode(data)
    if text is None:
        raise RedactError(
            f"{source}: a binary file; redact works on text, notebooks, CSV and JSONL"
        )
    if structure == "notebook":
        output = _redact_notebook(engine, display, text, replacer, result.replaced)
    else:
        output = redact_text(engine, Fragment(display, text), replacer, result.replaced)
    if b"\r\n" in data and data.count(b"\r\n") == data.count(b"\n"):
        output = output.replace("\n", "\r\n")  # decode() normalised CRLF; give it back
    _write_atomically(target, [output], source, "utf-8")
    return result


def _target(request: RedactRequest, source: Path) -> Path:
    if request.in_place and request.output:
        raise UsageError("give either -o OUTPUT or --in-place, not both")
    if request.in_place:
        return source
    if not request.output:
        raise UsageError("redact needs -o OUTPUT (or --in-place to replace the input)")
    target = Path(request.output)
    if target.exists() and source.exists() and os.path.samefile(target, source):
        raise UsageError(f"{target} is the input file; use --in-place to overwrite it")
    return target


def _read_key(key_file: str | None) -> bytes:
    if not key_file:
        raise UsageError("--pseudonymize needs --key-file FILE (e.g. 32 random bytes)")
    try:
        key = Path(key_file).read_bytes()
    except OSError as exc:
        raise RedactError(f"{key_file}: cannot read key file: {exc.strerror}") from exc
    if len(key.strip()) < MIN_KEY_BYTES:
        raise RedactError(
            f"{key_file}: a key needs at least {MIN_KEY_BYTES} bytes "
            "(e.g. head -c 32 /dev/urandom > KEY)"
        )
    return key


def _display_path(source: Path) -> str:
    """The path findings and path policies see: repository-relative in git."""
    _, base = sources.scan_roots([str(source)], use_git=True)
    try:
        return source.resolve().relative_to(base).as_posix()
    except ValueError:
        return source.name


def replacements(engine: Engine, fragment: Fragment) -> list[tuple[int, int, Finding]]:
    """(start, end, finding) of every reported finding in the fragment, as
    offsets in its text, overlaps merged into the earliest one."""
    findings = [f for f in engine.scan_fragment(fragment).findings if not f.suppressed]
    if not findings:
        return []
    lines = LineIndex(fragment.text)
    spans = []
    for finding in findings:
        start = lines.start_of(_index(fragment, finding.line)) + finding.column - 1
        end = lines.start_of(_index(fragment, finding.end_line)) + finding.end_column - 1
        spans.append((start, end, finding))
    spans.sort(key=lambda span: (span[0], -span[1]))
    merged: list[tuple[int, int, Finding]] = []
    for start, end, finding in spans:
        if merged and start < merged[-1][1]:
            previous = merged[-1]
            merged[-1] = (previous[0], max(previous[1], end), previous[2])
        else:
            merged.append((start, end, finding))
    return merged


def _index(fragment: Fragment, line: int) -> int:
    if fragment.line_numbers is not None:
        return fragment.line_numbers.index(line)
    return line - fragment.start_line


def redact_text(
    engine: Engine, fragment: Fragment, replacer: Replacer, counts: Counter[str],
    spans: Sequence[tuple[int, int, Finding]] | None = None,
) -> str:
    """The fragment's text with each finding replaced by its token."""
    found = replacements(engine, fragment) if spans is None else spans
    text = fragment.text
    pieces = []
    position = 0
    for start, end, finding in found:
        pieces.append(text[position:start])
        pieces.append(replacer.token(finding.type, text[start:end]))
        counts[finding.type] += 1
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _redact_data(
    engine: Engine, display: str, lines: Iterable[str], replacer: Replacer,
    counts: Counter[str],
) -> Iterator[str]:
    is_jsonl = formats.kind(display) == "jsonl"
    for item in formats.data_fragments(display, lines):
        if not isinstance(item, Fragment):
            raise RedactError(f"{display}: {item.reason}")
        spans = replacements(engine, item)
        if spans and is_jsonl:
            yield _redact_json_lines(item.text, spans, replacer, counts)
        else:
            yield redact_text(engine, item, replacer, counts, spans)


def _redact_json_lines(
    text: str, spans: Sequence[tuple[int, int, Finding]], replacer: Replacer,
    counts: Counter[str],
) -> str:
    """Like ``redact_text``, but a finding inside a JSON number (a card number
    stored as a number) replaces the whole number with a quoted token, so
    every line stays valid JSON."""
    numbers: list[tuple[int, int]] = []
    offset = 0
    for line in io.StringIO(text, newline="\n"):
        for start, end, _, is_string in formats.json_values(line) or []:
            if not is_string:
                numbers.append((offset + start, offset + end))
        offset += len(line)
    pieces = []
    position = 0
    for start, end, finding in spans:
        number = next((n for n in numbers if n[0] <= start and end <= n[1]), None)
        token = replacer.token(finding.type, text[start:end])
        if number is not None:
            start, end = number
            token = json.dumps(token)
        pieces.append(text[position:start])
        pieces.append(token)
        counts[finding.type] += 1
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _redact_notebook(
    engine: Engine, display: str, text: str, replacer: Replacer, counts: Counter[str]
) -> str:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return redact_text(engine, Fragment(display, text), replacer, counts)
    for item in formats.notebook_texts(document):
        fragment = Fragment(display, item.text, cell=item.cell, field=item.field)
        spans = replacements(engine, fragment)
        if spans:
            _store(document, item, redact_text(engine, fragment, replacer, counts, spans))
    _redact_notebook_rest(engine, display, document, replacer, counts)
    ending = "\n" if text.endswith("\n") else ""
    return json.dumps(document, indent=_indent_of(text), ensure_ascii=False) + ending


def _redact_notebook_rest(
    engine: Engine, display: str, document: Any, replacer: Replacer, counts: Counter[str]
) -> None:
    """What the rest of a notebook (metadata, text attachments) holds,
    replaced in every string of those parts."""
    rest = formats.notebook_rest(document)
    if not rest:
        return
    fragment = Fragment(display, rest, field=formats.REST_FIELD)
    for start, end, finding in replacements(engine, fragment):
        try:  # the value as the document holds it, not as JSON writes it
            value = json.loads(f'"{rest[start:end]}"')
        except ValueError:
            value = rest[start:end]
        token = replacer.token(finding.type, value)
        counts[finding.type] += sum(
            _replace_in(holder, key, value, token)
            for holder, key, _ in formats.rest_places(document)
        )


def _replace_in(holder: Any, key: Any, value: str, token: str) -> int:
    """Replace ``value`` in the strings under ``holder[key]`` (keys too);
    how many were replaced."""
    if isinstance(holder, dict) and key not in holder:
        return 0
    item = holder[key]
    if isinstance(item, str):
        holder[key] = item.replace(value, token)
        return item.count(value)
    if isinstance(item, list):
        return sum(_replace_in(item, index, value, token) for index in range(len(item)))
    if isinstance(item, dict):
        count = 0
        for name in list(item):
            count += _replace_in(item, name, value, token)
            if value in name:
                item[name.replace(value, token)] = item.pop(name)
                count += 1
        return count
    return 0


def _indent_of(text: str) -> int:
    """The indentation the notebook was written with (nbformat uses 1)."""
    lines = text.split("\n", 2)
    if len(lines) < 2:
        return 1
    return len(lines[1]) - len(lines[1].lstrip(" ")) or 1


def _store(document: Any, item: formats.NotebookText, text: str) -> None:
    """Put a redacted string back where ``item`` came from, in its shape."""
    holder = document
    for key in item.keys[:-1]:
        holder = holder[key]
    last = item.keys[-1]
    original = holder[last]
    value: Any
    if item.style == "lines":
        value = list(io.StringIO(text, newline="\n"))
    elif item.style == "traceback":
        value = text.split("\n")
    elif isinstance(original, (dict, list)):  # application/json output
        try:
            value = json.loads(text)
        except ValueError:
            value = text
    else:
        value = text
    holder[last] = value


def _write_atomically(target: Path, parts: Iterable[str], like: Path, encoding: str) -> None:
    """Write to a temporary file beside ``target``, fsync, then rename: the
    target is either untouched or complete. It keeps the input's mode."""
    folder = target.resolve().parent
    if not folder.is_dir():
        raise RedactError(f"{target}: the folder {folder} does not exist")
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding=encoding, errors="surrogateescape",
                       newline="") as handle:
            _write_parts(handle, parts)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, like.stat().st_mode & 0o777)
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise RedactError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_parts(handle: TextIO, parts: Iterable[str]) -> None:
    for part in parts:
        handle.write(part)
