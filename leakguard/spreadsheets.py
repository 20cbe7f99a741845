"""Spreadsheets (Excel ``.xlsx``/``.xlsm``, OpenDocument ``.ods``) read as
tables: each sheet's rows, with its first row's column names.

A workbook is a zip of XML: its members are scanned as text anyway, but a
cell's value there has lost its column, and a header is what makes a
national phone number, a date of birth or a passport number personal data
(``phone``, ``dob``). ``sheets`` turns each worksheet into tab-separated
text, which is then read as a data file's rows are (``formats``): findings
carry ``row`` and ``field``. The worksheets and the shared strings they
index (an OpenDocument file's ``content.xml``) are read this way instead of
as members; everything else in the zip (connection strings in
``xl/connections.xml``, comments, document properties) is still scanned as
a member.
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # imported where a workbook is read: zipfile loads shutil, the hook need not
    import zipfile

WORKBOOK = "xl/workbook.xml"
ODS_CONTENT = "content.xml"
ODS_TYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
# a row or cell repeated more often than this is written once, the rest of
# its rows kept as blank lines (files pad sheets with rows repeated a
# million times)
MAX_REPEAT = 1000
MAX_COLUMNS, MAX_ROWS = 16_384, 1_048_576  # a sheet's largest, as Excel has them
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


class Unreadable(Exception):
    """A workbook whose sheets cannot be read (damaged, or too large)."""


def read_as_sheets(member: str) -> bool:
    """A member ``sheets`` stands for: a worksheet or the shared strings
    (their XML, scanned as text, would repeat the rows)."""
    sheet = member.removeprefix("xl/worksheets/")
    return member in ("xl/sharedStrings.xml", ODS_CONTENT) or (
        sheet != member and sheet.endswith(".xml") and "/" not in sheet
    )


def is_workbook(data: bytes) -> bool:
    """A zip holding an Excel workbook."""
    if not data.startswith(b"PK"):
        return False
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return WORKBOOK in archive.namelist() or _opendocument(archive)
    except Exception:  # a damaged zip is no workbook (the archive reader says more)
        return False


def _opendocument(archive: zipfile.ZipFile) -> bool:
    """An OpenDocument spreadsheet: its ``mimetype`` member says so."""
    names = archive.namelist()
    return "mimetype" in names and ODS_CONTENT in names and (
        archive.read("mimetype").strip() == ODS_TYPE
    )


def sheets(data: bytes, limit: int) -> list[tuple[str, str]]:
    """(sheet name, its rows as tab-separated text) of each worksheet, the
    text of all of them together at most ``limit`` characters."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if WORKBOOK not in archive.namelist():
                return list(_ods_sheets(archive, limit))
            return list(_sheets(archive, limit))
    except Unreadable:
        raise
    except Exception as error:  # zip, XML and decompression errors alike: damage
        raise Unreadable(f"{type(error).__name__}: {error}") from None


def _sheets(archive: zipfile.ZipFile, limit: int) -> Iterator[tuple[str, str]]:
    names = set(archive.namelist())
    shared = _shared_strings(archive, limit) if "xl/sharedStrings.xml" in names else []
    targets = _targets(archive) if "xl/_rels/workbook.xml.rels" in names else {}
    left = limit
    for element in _elements(archive, WORKBOOK):
        if _local(element.tag) != "sheet":
            continue
        target = targets.get(element.get(_RELATIONSHIP, ""), "")
        member = posixpath.normpath(posixpath.join("xl", target)) if target else ""
        if target.startswith("/"):
            member = target.lstrip("/")
        if member not in names:
            continue
        text = _rows(archive, member, shared, left)
        left -= len(text)
        yield element.get("name", member), text


def _shared_strings(archive: zipfile.ZipFile, limit: int) -> list[str]:
    """The shared string table: each ``si``'s text runs joined (phonetic
    readings left out)."""
    found: list[str] = []
    parts: list[str] = []
    size = 0
    skipping = 0
    for event, element in _events(archive, "xl/sharedStrings.xml", ("start", "end")):
        name = _local(element.tag)
        if name == "rPh":
            skipping += 1 if event == "start" else -1
        elif event == "end" and name == "t" and not skipping:
            parts.append(element.text or "")
        elif event == "end" and name == "si":
            found.append("".join(parts))
            size += len(found[-1])
            parts = []
            element.clear()
            if size > limit:
                raise Unreadable("its shared strings are larger than the size limit")
    return found


def _targets(archive: zipfile.ZipFile) -> dict[str, str]:
    return {
        element.get("Id", ""): element.get("Target", "")
        for element in _elements(archive, "xl/_rels/workbook.xml.rels")
        if _local(element.tag) == "Relationship"
    }


def _rows(archive: zipfile.ZipFile, member: str, shared: list[str], limit: int) -> str:
    """A worksheet as tab-separated text (quoted where a value needs it),
    one line per row from its first to its last, blank rows kept so that
    ``line`` is the sheet's row number."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    row: dict[int, str] = {}
    written = 0  # rows written so far
    for _, element in _events(archive, member, ("end",)):
        name = _local(element.tag)
        if name == "c":
            value = _cell(element, shared)
            column = _column(element.get("r", ""), len(row))
            if column >= MAX_COLUMNS:  # a cell past any sheet's edge: damage
                raise Unreadable(f"a cell in column {column + 1}")
            if value:
                row[column] = value
        elif name == "row":
            number = int(element.get("r") or written + 1)
            if number > MAX_ROWS:
                raise Unreadable(f"a row numbered {number}")
            out.write("\n" * max(0, number - 1 - written))
            writer.writerow([row.get(index, "") for index in range(max(row, default=-1) + 1)])
            written = max(written, number)
            row = {}
            element.clear()
            if out.tell() > limit:
                raise Unreadable("its sheets are larger than the size limit")
    return out.getvalue()


def _ods_sheets(archive: zipfile.ZipFile, limit: int) -> Iterator[tuple[str, str]]:
    """An OpenDocument spreadsheet's tables as tab-separated text: a cell is
    its paragraphs (annotations included), one per line; repeated cells and
    rows are written out (up to ``MAX_REPEAT``), trailing empty ones not."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    row: list[str] = []
    empty_cells = blank_rows = 0
    paragraphs: list[str] = []
    written = 0
    for event, element in _events(archive, ODS_CONTENT, ("start", "end")):
        name = _local(element.tag)
        if event == "start":
            if name == "table":
                out, row, blank_rows = io.StringIO(), [], 0
                writer = csv.writer(out, delimiter="\t", lineterminator="\n")
            continue
        if name in ("p", "h"):
            paragraphs.append("".join(element.itertext()))
        elif name in ("table-cell", "covered-table-cell"):
            repeat = _repeat(element, "number-columns-repeated")
            text = "\n".join(paragraphs)
            paragraphs = []
            if text:
                row += [""] * min(empty_cells, MAX_COLUMNS) + [text] * min(repeat, MAX_REPEAT)
                empty_cells = 0
            else:
                empty_cells += repeat
            element.clear()
        elif name == "table-row":
            repeat = _repeat(element, "number-rows-repeated")
            if row:
                out.write("\n" * min(blank_rows, MAX_ROWS))
                writer.writerow(row)
                out.write("\n" * (min(repeat, MAX_REPEAT) - 1))
                blank_rows = max(0, repeat - MAX_REPEAT) if repeat > MAX_REPEAT else 0
            else:
                blank_rows += repeat
            row, empty_cells = [], 0
            element.clear()
            if written + out.tell() > limit:
                raise Unreadable("its sheets are larger than the size limit")
        elif name == "table":
            text = out.getvalue()
            written += len(text)
            yield element.get(f"{_TABLE}name", "sheet"), text
            element.clear()


def _repeat(element: Any, attribute: str) -> int:
    value = element.get(f"{_TABLE}{attribute}", "1")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def _cell(element: Any, shared: list[str]) -> str:
    kind = element.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in element.iter() if _local(t.tag) == "t")
    value = next((child.text or "" for child in element if _local(child.tag) == "v"), "")
    if kind == "s":
        index = int(value) if value.isdigit() else -1
        return shared[index] if 0 <= index < len(shared) else ""
    return value


def _column(reference: str, fallback: int) -> int:
    """``C7`` -> 2 (0-based), or the next column when a cell has no reference."""
    index = 0
    for letter in reference:
        if not "A" <= letter <= "Z":
            break
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1 if index else fallback


def _elements(archive: zipfile.ZipFile, member: str) -> Iterator[Any]:
    for _, element in _events(archive, member, ("end",)):
        yield element


def _events(
    archive: zipfile.ZipFile, member: str, events: tuple[Literal["start", "end"], ...]
) -> Iterator[Any]:
    import xml.etree.ElementTree as ElementTree  # only for a workbook

    with archive.open(member) as stream:
        yield from ElementTree.iterparse(stream, events=events)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
