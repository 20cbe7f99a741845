"""SQLite databases read as their tables' rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pii_vectors import EMAIL, OTHER_EMAIL
from vectors import GITHUB_TOKEN

from leakguard import databases
from leakguard.models import Fragment, Skipped


def _database(path: Path, *rows: tuple[int, str | None, bytes | None]) -> bytes:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE IF NOT EXISTS users (id INTEGER, email TEXT, note BLOB)")
    connection.execute('CREATE TABLE IF NOT EXISTS "odd ""name""" (v TEXT)')
    connection.execute("CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(body)")
    connection.executemany("INSERT INTO users VALUES (?, ?, ?)", rows)
    connection.execute('INSERT INTO "odd ""name""" VALUES (?)', (f"t\t{GITHUB_TOKEN}",))
    connection.execute("INSERT INTO search VALUES (?)", (f"indexed {OTHER_EMAIL}",))
    connection.commit()
    connection.close()
    return path.read_bytes()


def _rows(items: list[Fragment | Skipped]) -> dict[str, list[str]]:
    """Table -> its text, per fragment kind: header and row chunks."""
    texts: dict[str, list[str]] = {}
    for item in items:
        assert isinstance(item, Fragment)
        table = (item.context or item.text).split(".", 1)[0]
        texts.setdefault(table, []).append(item.text)
    return texts


def test_every_table_is_rows_of_text_with_its_columns(tmp_path: Path) -> None:
    data = _database(tmp_path / "app.sqlite3", (1, EMAIL, b"\x00\x01"), (2, None, b"note"))
    items = list(databases.fragments("app.sqlite3", data, max_record=1 << 20))
    texts = _rows(items)
    assert texts["users"] == ["users.id\tusers.email\tusers.note\n", f"1\t{EMAIL}\t\n2\t\tnote\n"]
    # a table name with a quote, a value with a tab; the full-text index's
    # own tables hold its text (the virtual table itself is not read)
    everything = "".join(item.text for item in items if isinstance(item, Fragment))
    assert f'"t\t{GITHUB_TOKEN}"' in everything and OTHER_EMAIL in everything
    chunk = next(i for i in items if isinstance(i, Fragment) and EMAIL in i.text)
    span = next(s for s in chunk.spans if chunk.text[s.start : s.end] == EMAIL)
    assert (span.row, span.field, chunk.context) == (1, "users.email", texts["users"][0])


def test_rows_an_earlier_version_had_are_blank_and_numbers_stay(tmp_path: Path) -> None:
    before = _database(tmp_path / "a.db", (1, EMAIL, None))
    after = _database(tmp_path / "a.db", (2, OTHER_EMAIL, None))
    items = list(databases.fragments("a.db", after, max_record=1 << 20, before=before))
    users = _rows(items)["users"]
    assert users[1] == f"\n2\t{OTHER_EMAIL}\t\n"  # row 1 blank, row 2 new
    assert not any(GITHUB_TOKEN in text for found in _rows(items).values() for text in found)


@pytest.mark.parametrize(
    ("name", "data", "found"),
    [("x.db", databases.MAGIC + b"rest", True), ("Thumbs.db", b"\xd0\xcf\x11\xe0", False),
     ("x.bin", databases.MAGIC, False), ("X.SQLITE3", databases.MAGIC, True)],
)
def test_is_database_by_name_and_first_bytes(name: str, data: bytes, found: bool) -> None:
    assert databases.is_database(name, data) is found


def test_a_database_sqlite_cannot_read_is_noted(tmp_path: Path) -> None:
    damaged = databases.MAGIC + b"\x10\x00" + b"\xff" * 200
    [item] = databases.fragments("broken.db", damaged, max_record=1 << 20)
    assert isinstance(item, Skipped) and "cannot be read" in item.reason
