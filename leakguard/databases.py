"""SQLite databases → the rows of their tables, as data-file text.

Fixtures and sample data ship as SQLite files (Django's ``db.sqlite3``, test
databases): personal data and tokens sit in them as plain column values,
which a scan that skips binaries never reads. A database is read with
Python's own ``sqlite3`` from a private copy (read-only, immutable: the
user's file is never opened by SQLite, and nothing is ever written to it),
and each table becomes tab-separated text whose header names the columns as
``table.column``, so rows are scanned like a TSV file's, with their row
number and column name, and a column called ``email`` labels its values.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from leakguard import formats
from leakguard.models import Fragment, Origin, Skipped

if TYPE_CHECKING:
    import sqlite3

MAGIC = b"SQLite format 3\x00"
SUFFIXES = (".sqlite", ".sqlite3", ".db", ".db3")


def is_database(path: str, data: bytes) -> bool:
    """A SQLite file by both its name and its first bytes (``Thumbs.db`` and
    other ``.db`` files are something else)."""
    return path.lower().endswith(SUFFIXES) and data.startswith(MAGIC)


def fragments(
    path: str, data: bytes, origin: Origin = "file", *, max_record: int,
    before: bytes | None = None,
) -> Iterator[Fragment | Skipped]:
    """The fragments of every table's rows; with ``before`` (the previous
    version of the database), rows it already had are left blank, so that
    only new ones are scanned and row numbers stay those of the table."""
    import sqlite3  # databases only: the hook never loads it

    try:
        tables = _tables(data)
        known = {name: set(rows) for name, _, rows in _tables(before)} if before else {}
    except (sqlite3.Error, OSError, ValueError) as exc:  # damaged, or not one after all
        yield Skipped(path, f"SQLite database that cannot be read ({exc})")
        return
    for name, header, rows in tables:
        old = known.get(name, set())
        lines = [header, *(row if row not in old else "\n" for row in rows)]
        yield from formats.data_fragments(path, lines, origin, max_record=max_record)


def _tables(data: bytes) -> list[tuple[str, str, list[str]]]:
    """(name, header line, row lines) of each ordinary table."""
    import sqlite3
    import tempfile  # databases only: the hook never loads it

    handle, copy = tempfile.mkstemp(prefix="leakguard-", suffix=".sqlite3")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        connection = sqlite3.connect(f"file:{copy}?mode=ro&immutable=1", uri=True)
        try:
            connection.execute("PRAGMA trusted_schema = OFF")
            names = [
                row[0] for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
                )
            ]
            return [_table(connection, name) for name in names]
        finally:
            connection.close()
    finally:
        os.unlink(copy)


def _table(connection: sqlite3.Connection, name: str) -> tuple[str, str, list[str]]:
    quoted = '"' + name.replace('"', '""') + '"'
    cursor = connection.execute(f"SELECT * FROM {quoted}")
    columns = [f"{name}.{column[0]}" for column in cursor.description]
    return name, _line(columns), [_line([_text(value) for value in row]) for row in cursor]


def _text(value: object) -> str:
    if isinstance(value, bytes):  # a BLOB: text if it is UTF-8 without NULs
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            return ""
        return "" if "\0" in text else text
    return "" if value is None else str(value)


def _line(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\n").writerow(values)
    return buffer.getvalue()
