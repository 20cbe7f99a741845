"""Writes this folder's OpenDocument spreadsheets with odfpy (not a
leakguard dependency: ``pip install odfpy`` to run this again). Values are
the suite's synthetic ones (tests/pii_vectors.py, tests/vectors.py).

    python tests/data/ods/generate.py
"""

import sys
from pathlib import Path

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent.parent))
from pii_vectors import DOB, EMAIL, LABELLED_PHONE, OTHER_EMAIL  # noqa: E402
from vectors import GITHUB_TOKEN  # noqa: E402


def row(*values: object, repeated: int = 1) -> TableRow:
    element = TableRow(numberrowsrepeated=repeated) if repeated > 1 else TableRow()
    for value in values:
        if value is None:
            element.addElement(TableCell())
        elif isinstance(value, tuple):  # (text, times): a repeated cell
            cell = TableCell(valuetype="string", numbercolumnsrepeated=value[1])
            cell.addElement(P(text=value[0]))
            element.addElement(cell)
        elif isinstance(value, int):
            cell = TableCell(valuetype="float", value=value)
            cell.addElement(P(text=str(value)))
            element.addElement(cell)
        else:
            cell = TableCell(valuetype="string")
            for line in str(value).split("\n"):
                cell.addElement(P(text=line))
            element.addElement(cell)
    return element


def write(name: str, extra: list[TableRow]) -> None:
    book = OpenDocumentSpreadsheet()
    people = Table(name="People")
    for element in [
        row("name", "email", "phone", "dob", "visits"),
        row("Ana Lima", EMAIL, LABELLED_PHONE, DOB, 3),
        row(None, repeated=2),  # two empty rows, written once
        row(("n/a", 3), None, 7),  # a cell repeated over three columns
        *extra,
    ]:
        people.addElement(element)
    notes = Table(name="Notes")
    notes.addElement(row(None, f"deploy\nwith {GITHUB_TOKEN}"))
    book.spreadsheet.addElement(people)
    book.spreadsheet.addElement(notes)
    book.save(str(HERE / name))


if __name__ == "__main__":
    write("people.ods", [])
    write("people-more.ods", [row("Li Wei", OTHER_EMAIL, "n/a", "n/a", 1)])
