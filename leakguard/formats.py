"""Structured files → fragments: notebooks by cell, CSV/TSV and JSONL by row.

``fragments(path, text, origin)`` is the entry point for text already in
memory (a file, a staged blob, a commit's version); ``data_fragments`` takes
an iterator of lines so that sources can stream data files of any size.

- Notebooks (``.ipynb``): each cell's source and each text output (stream,
  ``text/*`` and JSON results, error tracebacks) becomes one fragment with
  ``cell`` (1-based) and lines numbered within that text; image payloads are
  skipped. The rest (the notebook's, cells' and outputs' metadata, text
  attachments) is one more fragment, as JSON with field ``metadata``. A
  notebook that is not valid JSON is scanned as plain text.
- Data files (``.csv``, ``.tsv``, ``.jsonl``, ``.ndjson``): rows are grouped
  into fragments of raw file text (so ``line`` and ``column`` stay positions
  in the file) with ``spans`` that give each value's row and column name or
  JSON key path. A CSV header is the fragments' ``context``: a column named
  ``ssn`` labels every value under it.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from json import decoder as json_decoder
from typing import Any, Literal, NamedTuple, overload

from leakguard.models import FieldSpan, Fragment, LineRuns, Origin, Skipped

FileKind = Literal["notebook", "csv", "jsonl"]
SUFFIXES: dict[str, FileKind] = {
    ".ipynb": "notebook",
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonlines": "jsonl",
}
CHUNK_CHARS = 64 * 1024  # rows per fragment: enough to amortise the engine's per-fragment cost
CHUNK_ROWS = 2000
TEXT_OUTPUT = re.compile(r"^(?:text/.*|application/(?:json|javascript|x-latex|xml)|.*\+json)$")


_LINE_BREAKS = str.maketrans("", "", "\n\r\t")


def text_value(value: bytes) -> str | None:
    """A binary format's value as text, if it is text: UTF-8, printable but
    for line breaks and tabs (a Parquet column's or a pickle's bytes may be
    an image or a hash as well as a token)."""
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if text.translate(_LINE_BREAKS).isprintable() else None


def kind(path: str) -> FileKind | None:
    """What structure ``path`` has, by its suffix (case-insensitive)."""
    name = path.rsplit("/", 1)[-1].lower()
    dot = name.rfind(".")
    return SUFFIXES.get(name[dot:]) if dot >= 0 else None


def delimiter(path: str) -> str:
    return "," if path.lower().endswith(".csv") else "\t"


def fragments(path: str, text: str, origin: Origin = "file") -> Iterator[Fragment]:
    """The fragments of one file's text, structured when its kind is known."""
    found = kind(path)
    if found == "notebook":
        yield from notebook_fragments(path, text, origin)
    elif found is not None:
        for item in data_fragments(path, io.StringIO(text, newline="\n"), origin):
            if isinstance(item, Fragment):
                yield item
    else:
        yield Fragment(path, text, origin)


# --- notebooks ----------------------------------------------------------------------

Key = str | int
JoinStyle = Literal["lines", "traceback", "string"]


class NotebookText(NamedTuple):
    """One scannable string of a notebook and where it lives in the document:
    ``keys`` lead from the root to it, ``style`` says how it was stored (a
    list of lines, traceback lines, or one string) so it can be written back."""

    cell: int
    keys: tuple[Key, ...]
    field: str
    text: str
    style: JoinStyle


def notebook_texts(document: Any) -> Iterator[NotebookText]:
    """Cell sources and text outputs of an nbformat-4 document, in order."""
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        return
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict):
            continue
        number = index + 1
        base: tuple[Key, ...] = ("cells", index)
        found = _text_at(cell, "source")
        if found:
            yield NotebookText(number, (*base, "source"), "source", *found)
        outputs = cell.get("outputs")
        if not isinstance(outputs, list):
            continue
        for position, output in enumerate(outputs):
            if isinstance(output, dict):
                yield from _output_texts(number, (*base, "outputs", position), output)


def _output_texts(
    number: int, keys: tuple[Key, ...], output: dict[str, Any]
) -> Iterator[NotebookText]:
    label = f"outputs[{keys[-1]}]"
    for name in ("text", "evalue", "traceback"):
        found = _text_at(output, name)
        if found:
            yield NotebookText(number, (*keys, name), f"{label}.{name}", *found)
    data = output.get("data")
    if isinstance(data, dict):
        for mime in sorted(data):
            if TEXT_OUTPUT.match(mime):
                found = _text_at(data, mime)
                if found:
                    yield NotebookText(number, (*keys, "data", mime), f"{label}.{mime}", *found)


def _text_at(table: dict[str, Any], key: str) -> tuple[str, JoinStyle] | None:
    value = table.get(key)
    if isinstance(value, str):
        return (value, "string") if value else None
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        if key == "traceback":
            return "\n".join(value), "traceback"
        return "".join(value), "lines"
    if isinstance(value, (dict, list)) and value:  # application/json output
        return json.dumps(value, indent=1, ensure_ascii=False), "string"
    return None


def notebook_fragments(path: str, text: str, origin: Origin = "file") -> Iterator[Fragment]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        yield Fragment(path, text, origin)  # a broken notebook is still scanned
        return
    found = False
    for item in notebook_texts(document):
        found = True
        yield Fragment(path, item.text, origin, cell=item.cell, field=item.field)
    if not found and not isinstance(document, dict):
        yield Fragment(path, text, origin)
    rest = notebook_rest(document)
    if rest:
        yield Fragment(path, rest, origin, field=REST_FIELD)


REST_FIELD = "metadata"  # what the rest of a notebook is reported as


def notebook_rest(document: Any) -> str:
    """Everything of a notebook but its cells' sources and outputs' text and
    images (``rest_places``): the notebook's metadata (kernel, widget state,
    tool settings), each cell's and each output's metadata, and text
    attachments, as indented JSON (one value a line, "" when there is none).
    A token in them was read by no one before."""
    rest: dict[str, Any] = {}
    for holder, key, label in rest_places(document):
        value = holder[key]
        if key == "attachments" and isinstance(value, dict):  # their text, not their images
            value = {
                name: {mime: data for mime, data in bundle.items() if TEXT_OUTPUT.match(mime)}
                for name, bundle in value.items() if isinstance(bundle, dict)
            }
            value = {name: found for name, found in value.items() if found}
        if value:
            cell, _, name = label.rpartition("/")
            (rest.setdefault(cell, {}) if cell else rest)[name] = value
    return json.dumps(rest, indent=1, ensure_ascii=False, sort_keys=True) if rest else ""


def rest_places(document: Any) -> Iterator[tuple[Any, Key, str]]:
    """(container, key, label) of each part of a notebook ``notebook_rest``
    reads (and ``leakguard redact`` rewrites): the notebook's own keys but
    its cells and format numbers, each cell's metadata and attachments, each
    output's metadata. Labels: ``key`` or ``cells[i]/key``."""
    if not isinstance(document, dict):
        return
    for key in document:
        if key not in ("cells", "nbformat", "nbformat_minor"):
            yield document, key, key
    cells = document.get("cells")
    for index, cell in enumerate(cells if isinstance(cells, list) else ()):
        if not isinstance(cell, dict):
            continue
        for key in ("metadata", "attachments"):
            if key in cell:
                yield cell, key, f"cells[{index}]/{key}"
        outputs = cell.get("outputs")
        for position, output in enumerate(outputs if isinstance(outputs, list) else ()):
            if isinstance(output, dict) and "metadata" in output:
                yield output, "metadata", f"cells[{index}]/outputs[{position}].metadata"


def _rest_of(text: str) -> str:
    try:
        return notebook_rest(json.loads(text))
    except (ValueError, RecursionError):
        return ""


def _new_lines(fragment: Fragment, previous: str) -> Iterator[Fragment]:
    """``fragment`` (indented JSON) cut to its lines ``previous`` does not
    have; a comma is not a change (a value that was last is no longer)."""
    text, numbers = lines_not_in(fragment.text, previous, lambda line: line.rstrip(","))
    if numbers:
        yield fragment._replace(text=text, start_line=numbers[0], line_numbers=numbers)


def lines_not_in(
    text: str, previous: str, same: Callable[[str], str] = str
) -> tuple[str, LineRuns]:
    """The lines of ``text`` that ``previous`` does not have (compared as
    ``same`` makes them), joined, and their line numbers: what a change
    added, where git cannot say (a file it calls binary, the JSON of a
    notebook's metadata)."""
    known = {same(line) for line in previous.split("\n")}
    added = [(number, line) for number, line in enumerate(text.split("\n"), 1)
             if same(line) not in known]
    return "\n".join(line for _, line in added), LineRuns.of(number for number, _ in added)


# --- CSV / TSV / JSONL ---------------------------------------------------------------


class Record(NamedTuple):
    """One data row: its raw text (terminators included), first line number
    and row number. Its values are split off only when asked for
    (``record_values``): most rows never are. ``whole``: a CSV quote that
    never closes, read with the rest of the file as one value."""

    text: str
    line: int
    row: int
    whole: bool = False


Value = tuple[int, int, str | None]  # start and end within the row's text, column or key


class RecordTooLarge(Exception):
    """A record grew past the size limit (or a quote never closed)."""

    def __init__(self, row: int, line: int) -> None:
        super().__init__(f"row {row} (line {line})")
        self.row = row
        self.line = line


def records(
    path: str, lines: Iterable[str], *, max_record: int | None = None
) -> Iterator[Record | str]:
    """The rows of a data file; a CSV header is yielded first, as a string.
    Raises ``RecordTooLarge`` when a record exceeds ``max_record`` characters."""
    if kind(path) == "jsonl":
        yield from _jsonl_records(lines, max_record)
    else:
        yield from _csv_records(lines, max_record)


def _rows_after(
    path: str, lines: Iterable[str], max_record: int | None, *, line: int, rows_before: int
) -> Iterator[Record]:
    """The records of a data file's lines from line ``line`` on, numbered on
    from ``rows_before`` (the header, if any, is behind them)."""
    if kind(path) == "jsonl":
        return _jsonl_records(lines, max_record, line=line, rows_before=rows_before)
    found = _csv_records(lines, max_record, line=line, rows_before=rows_before)
    return (record for record in found if isinstance(record, Record))


def column_names(path: str, header: str) -> list[str]:
    """A CSV header's column names (none for JSONL, whose keys name values)."""
    if kind(path) == "jsonl" or not header:
        return []
    spans = split_record(header, delimiter(path))
    return [_header_name(header[start:end], i) for i, (start, end, _) in enumerate(spans)]


def record_values(path: str, names: Sequence[str], record: Record) -> tuple[Value, ...]:
    """Where each value of ``record`` lies, named by its CSV column (from
    ``column_names``) or by its JSON key path."""
    text = record.text
    if record.whole:
        return ((0, len(text), None),)
    if kind(path) == "jsonl":
        if not text.strip():
            return ()
        values = json_values(text)
        return ((0, len(text), None),) if values is None else tuple(v[:3] for v in values)
    return tuple(
        (start, end, names[i] if i < len(names) else f"column {i + 1}")
        for i, (start, end, _) in enumerate(split_record(text, delimiter(path)))
    )


def _jsonl_records(
    lines: Iterable[str], max_record: int | None, *, line: int = 1, rows_before: int = 0
) -> Iterator[Record]:
    row = rows_before
    for number, text in enumerate(lines, start=line):
        if max_record is not None and len(text) > max_record:
            raise RecordTooLarge(row + 1, number)
        if text.strip():  # a blank line is kept, so that lines stay contiguous in a chunk
            row += 1
        yield Record(text, number, row)


def _csv_records(
    lines: Iterable[str],
    max_record: int | None,
    *,
    line: int = 1,
    rows_before: int | None = None,
) -> Iterator[Record | str]:
    """Records from line ``line`` on: the header first (as a string) when
    ``rows_before`` is None, else rows numbered on from ``rows_before``."""
    pending: list[str] = []
    size = 0
    quotes = 0
    first_line = line
    number = line - 1
    row = -1 if rows_before is None else rows_before  # -1: the header (row 0) comes first
    for text in lines:
        number += 1
        pending.append(text)
        size += len(text)
        if max_record is not None and size > max_record:
            raise RecordTooLarge(max(row, 0) + 1, first_line)
        quotes += text.count('"')
        if quotes % 2:
            continue  # a quoted value spans lines
        record = text if len(pending) == 1 else "".join(pending)
        pending, size, quotes = [], 0, 0
        row += 1
        yield Record(record, first_line, row) if row else record
        first_line = number + 1
    if pending:  # an unclosed quote at the end: scan what is there
        yield Record("".join(pending), first_line, max(row, 0) + 1, whole=True)


def _header_name(raw: str, index: int) -> str:
    name = raw.strip()
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = name[1:-1].replace('""', '"')
    return name.strip() or f"column {index + 1}"


def split_record(text: str, separator: str) -> list[tuple[int, int, bool]]:
    """(start, end, quoted) of each value in one CSV record, quotes excluded;
    RFC 4180 quoting (``""`` escapes a quote), any line terminator."""
    end_of_text = len(text.rstrip("\r\n"))
    result = []
    position = 0
    while True:
        if position < end_of_text and text[position] == '"':
            close = position + 1
            while True:
                close = text.find('"', close)
                if close < 0 or close >= end_of_text:
                    close = end_of_text
                    break
                if text[close + 1 : close + 2] == '"':
                    close += 2
                    continue
                break
            result.append((position + 1, close, True))
            found = text.find(separator, close, end_of_text)
        else:
            found = text.find(separator, position, end_of_text)
            result.append((position, end_of_text if found < 0 else found, False))
        if found < 0:
            return result
        position = found + 1


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
# The C string scanner that json itself uses: it returns where a string ends,
# which json.loads does not tell.
_scanstring: Callable[[str, int], tuple[str, int]] = json_decoder.scanstring  # type: ignore[attr-defined]
JsonValue = tuple[int, int, str | None, bool]


def json_values(line: str) -> list[JsonValue] | None:
    """(start, end, key path, is a string) of every scalar in a JSON text,
    strings without their quotes; None when the text is not JSON."""
    found: list[JsonValue] = []
    try:
        end = _walk(line, 0, "", found)
    except (ValueError, IndexError, RecursionError):
        return None
    if line[_skip(line, end) :]:
        return None
    return found


def _walk(text: str, position: int, path: str, found: list[JsonValue]) -> int:
    position = _skip(text, position)
    char = text[position]
    if char == "{":
        return _walk_object(text, position + 1, path, found)
    if char == "[":
        return _walk_array(text, position + 1, path, found)
    if char == '"':
        _, end = _scanstring(text, position + 1)
        found.append((position + 1, end - 1, path or None, True))
        return end
    _, end = _DECODER.raw_decode(text, position)
    found.append((position, end, path or None, False))
    return end


def _walk_object(text: str, position: int, path: str, found: list[JsonValue]) -> int:
    position = _skip(text, position)
    if text[position] == "}":
        return position + 1
    while True:
        position = _skip(text, position)
        if text[position] != '"':
            raise ValueError("expected a key")
        key, position = _scanstring(text, position + 1)
        position = _skip(text, position)
        if text[position] != ":":
            raise ValueError("expected ':'")
        position = _walk(text, position + 1, f"{path}.{key}" if path else key, found)
        position = _skip(text, position)
        if text[position] == "}":
            return position + 1
        if text[position] != ",":
            raise ValueError("expected ',' or '}'")
        position += 1


def _walk_array(text: str, position: int, path: str, found: list[JsonValue]) -> int:
    position = _skip(text, position)
    if text[position] == "]":
        return position + 1
    index = 0
    while True:
        position = _walk(text, position, f"{path}[{index}]", found)
        position = _skip(text, position)
        if text[position] == "]":
            return position + 1
        if text[position] != ",":
            raise ValueError("expected ',' or ']'")
        position += 1
        index += 1


def _skip(text: str, position: int) -> int:
    found = _WHITESPACE.match(text, position)
    return found.end() if found else position


BATCH_LINES = 250  # lines taken at a time: a batch's rows are counted, not handled one by one


def data_fragments(
    path: str, lines: Iterable[str], origin: Origin = "file", *, max_record: int | None = None
) -> Iterator[Fragment | Skipped]:
    """A data file's rows, grouped into fragments of raw text with spans.
    A record over ``max_record`` characters ends the scan of the file with a
    ``Skipped`` note (rows before it are scanned).

    Lines are taken a batch at a time and their rows only counted (a row per
    line where there is no quote): where each value lies is worked out when
    a match asks (``FieldSpans``). Handling each row on its own cost several
    times scanning it."""
    source = iter(lines)
    header = ""
    line, rows = 1, 0  # the next line's number; data rows before it
    if kind(path) != "jsonl":  # a CSV's header comes first
        try:
            first = next(_csv_records(source, max_record), None)
        except RecordTooLarge as too_large:
            yield _too_large(path, too_large)
            return
        if first is None:
            return
        if isinstance(first, Record):  # a quote that never closes: one value
            yield _chunk(path, header, origin, [first.text], line, rows, first)
            return
        header = first
        yield Fragment(path, header, origin)  # the header itself, as text
        line += header.count("\n")
    pieces: list[str] = []
    chunk_line, chunk_rows, size = line, rows, 0
    last: Record | None = None
    while batch := list(itertools.islice(source, BATCH_LINES)):
        try:
            text, count, last = _batch(batch, source, path, line, rows, max_record)
        except _TooLarge as partial:
            if partial.text:
                pieces.append(partial.text)
                last = partial.last
            if pieces and last is not None:
                yield _chunk(path, header, origin, pieces, chunk_line, chunk_rows, last)
            yield _too_large(path, partial.error)
            return
        pieces.append(text)
        size += len(text)
        line += len(batch)
        rows += count
        if size >= CHUNK_CHARS or rows - chunk_rows >= CHUNK_ROWS:
            yield _chunk(path, header, origin, pieces, chunk_line, chunk_rows, last)
            pieces, chunk_line, chunk_rows, size = [], line, rows, 0
    if pieces and last is not None:
        yield _chunk(path, header, origin, pieces, chunk_line, chunk_rows, last)


def _too_large(path: str, error: RecordTooLarge) -> Skipped:
    return Skipped(
        path,
        f"{error} is larger than the size limit (or a quote never closes); "
        "the rest of the file was not scanned",
        too_large=True,
    )


class _TooLarge(Exception):
    """A batch holds a record over the limit: the text and last record before it."""

    def __init__(self, text: str, last: Record | None, error: RecordTooLarge) -> None:
        super().__init__(str(error))
        self.text, self.last, self.error = text, last, error


def _batch(
    batch: list[str],
    source: Iterator[str],
    path: str,
    line: int,
    rows_before: int,
    max_record: int | None,
) -> tuple[str, int, Record]:
    """A batch of lines that starts a record (extended in place from
    ``source`` until a quoted value closes) → its text, how many rows it
    holds, and its last record. Raises ``_TooLarge`` with what precedes a
    record over the limit."""
    jsonl = kind(path) == "jsonl"
    text = "".join(batch)
    fits = max_record is None or len(text) <= max_record
    if jsonl and fits:
        count = sum(1 for piece in batch if piece.strip())
        return text, count, Record(batch[-1], line + len(batch) - 1, rows_before + count)
    if not jsonl and fits and '"' not in text:  # the common case: a row per line
        count = len(batch)
        return text, count, Record(batch[-1], line + count - 1, rows_before + count)
    if not jsonl:  # a quoted value may run on past the batch: read on to where it closes
        quotes, extra = text.count('"'), 0
        while quotes % 2 and (more := next(source, None)) is not None:
            batch.append(more)  # the caller counts the batch's lines after this
            quotes += more.count('"')
            extra += len(more)
            if max_record is not None and extra > max_record:
                break  # a quote that never closes: the careful pass below says where
    found: list[Record] = []
    try:
        for record in _rows_after(path, batch, max_record, line=line, rows_before=rows_before):
            found.append(record)  # one by one: those before a record too large are kept
    except RecordTooLarge as error:
        raise _TooLarge(
            "".join(record.text for record in found), found[-1] if found else None, error
        ) from None
    text = "".join(batch)
    return text, found[-1].row - rows_before, found[-1]


def changed_fragments(
    path: str, text: str, previous: str, added_lines: Collection[int], origin: Origin
) -> Iterator[Fragment]:
    """What a change adds to a structured file, with the file's structure:
    notebook cells whose text is new, and data rows on ``added_lines`` (with
    the header's column names). A diff's added lines alone would lose both."""
    structure = kind(path)
    if structure == "notebook":
        before = {fragment.text for fragment in notebook_fragments(path, previous, origin)}
        for fragment in notebook_fragments(path, text, origin):
            if fragment.field == REST_FIELD:  # its new lines: an old value there is old
                yield from _new_lines(fragment, _rest_of(previous))
            elif fragment.text not in before:
                yield fragment
        return
    header = ""
    run: list[Record] = []
    for item in records(path, text.splitlines(keepends=True)):
        if isinstance(item, str):
            header = item
            if 1 in added_lines:
                yield Fragment(path, item, origin)
            continue
        last = item.line + item.text.rstrip("\n").count("\n")
        if any(number in added_lines for number in range(item.line, last + 1)):
            if run and run[-1].line + run[-1].text.count("\n") != item.line:
                yield chunk_fragment(path, run, header, origin)  # not contiguous
                run = []
            run.append(item)
        elif run:
            yield chunk_fragment(path, run, header, origin)
            run = []
    if run:
        yield chunk_fragment(path, run, header, origin)


def added_rows(
    path: str, header: str, text: str, first_line: int, origin: Origin = "file"
) -> Iterator[Fragment]:
    """Lines a change added to a data file, from line ``first_line`` on, as
    rows under the file's ``header`` (a CSV's first line; "" for JSONL):
    what the change adds, with its columns, found without reading the rest
    of the file (a one-line change to a large CSV costs a line). A row is
    taken to be a line: a quoted value that began before ``first_line`` is
    read from where the run starts. In fragments of up to ``CHUNK_ROWS``."""
    lines = text.split("\n")
    header_lines = 0 if kind(path) == "jsonl" else 1
    if header_lines and first_line == 1:  # the header itself is new
        yield Fragment(path, lines[0], origin)
        lines, first_line = lines[1:], 2
    for start in range(0, len(lines), CHUNK_ROWS):
        chunk = lines[start : start + CHUNK_ROWS]
        line = first_line + start
        rows_before = line - 1 - header_lines
        last = Record(chunk[-1] + "\n", line + len(chunk) - 1, rows_before + len(chunk))
        yield _chunk(path, header, origin, ["\n".join(chunk) + "\n"], line, rows_before, last)


def chunk_fragment(path: str, chunk: Sequence[Record], header: str, origin: Origin) -> Fragment:
    """Consecutive records as one fragment; a record's lines are contiguous
    in the file, so lines number on from the first record's line."""
    text = "".join(record.text for record in chunk)
    return Fragment(path, text, origin, start_line=chunk[0].line,
                    spans=FieldSpans(path, header, chunk[-1], records=chunk), context=header)


def _chunk(
    path: str, header: str, origin: Origin, pieces: Sequence[str], line: int, rows_before: int,
    last: Record,
) -> Fragment:
    """A batch-read run of rows as one fragment, its records left unsplit."""
    text = "".join(pieces)
    spans = FieldSpans(path, header, last, text=text, line=line, rows_before=rows_before)
    return Fragment(path, text, origin, start_line=line, spans=spans, context=header)


class FieldSpans(Sequence[FieldSpan]):
    """The spans of a fragment of data rows (see ``Fragment``), worked out
    when first asked for: splitting every row into its values cost twenty
    times reading it, and only a fragment with a match ever asks. Made from
    the fragment's records, or from its text (read from line ``line``, after
    ``rows_before`` rows), which is split into records then. The scan asks
    every fragment for its last span, which comes from ``last`` alone.
    Equal to other ``FieldSpans`` with the same spans."""

    __slots__ = ("_built", "_header", "_last", "_line", "_path", "_records", "_rows", "_text")

    def __init__(
        self,
        path: str,
        header: str,
        last: Record,
        *,
        records: Sequence[Record] = (),
        text: str = "",
        line: int = 1,
        rows_before: int = 0,
    ) -> None:
        self._path, self._header, self._last = path, header, last
        self._records, self._text, self._line, self._rows = records, text, line, rows_before
        self._built: tuple[FieldSpan, ...] | None = None

    def _all(self) -> Iterable[Record]:
        if self._records or not self._text:
            return self._records
        lines = io.StringIO(self._text, newline="\n")
        return _rows_after(self._path, lines, None, line=self._line, rows_before=self._rows)

    def _spans(self) -> tuple[FieldSpan, ...]:
        if self._built is None:
            spans: list[FieldSpan] = []
            offset = 0
            names = column_names(self._path, self._header)
            for record in self._all():
                spans.append(FieldSpan(offset, offset, record.row))
                for start, end, name in record_values(self._path, names, record):
                    spans.append(FieldSpan(offset + start, offset + end, record.row, name))
                offset += len(record.text)
            self._built, self._records, self._text = tuple(spans), (), ""
        return self._built

    def __bool__(self) -> bool:  # there is always a last record, and it has a span
        return True

    def __len__(self) -> int:
        return len(self._spans())

    @overload
    def __getitem__(self, index: int) -> FieldSpan: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[FieldSpan, ...]: ...
    def __getitem__(self, index: int | slice) -> FieldSpan | tuple[FieldSpan, ...]:
        if index == -1 and self._built is None:
            return self._last_span()  # what the scan asks every fragment: its last row
        return self._spans()[index]

    def _last_span(self) -> FieldSpan:
        last = self._last
        length = len(self._text) if self._text else sum(len(r.text) for r in self._records)
        offset = length - len(last.text)
        values = record_values(self._path, column_names(self._path, self._header), last)
        if not values:
            return FieldSpan(offset, offset, last.row)
        start, end, name = values[-1]
        return FieldSpan(offset + start, offset + end, last.row, name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FieldSpans):
            return NotImplemented
        return self._spans() == other._spans()

    def __hash__(self) -> int:
        return hash(self._spans())

    def __repr__(self) -> str:
        return f"FieldSpans({self._spans()!r})"
