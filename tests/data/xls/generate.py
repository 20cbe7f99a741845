"""Writes this folder's legacy Excel workbooks (BIFF8 in an OLE2 compound
file) with xlwt, a widely used writer (not a leakguard dependency:
``pip install xlwt`` to run this again). Values are the suite's synthetic
ones (tests/pii_vectors.py, tests/vectors.py).

    python tests/data/xls/generate.py
"""

import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent.parent))
from pii_vectors import DOB, EMAIL, LABELLED_PHONE, OTHER_EMAIL  # noqa: E402
from vectors import GITHUB_TOKEN  # noqa: E402

ROWS = [
    ["name", "email", "phone", "dob"],
    ["Ana Lima", EMAIL, LABELLED_PHONE, DOB],
    ["Jo Berg", "n/a", "n/a", "n/a"],
]


def filler_word(number: int) -> str:
    """Thousands of distinct strings: the shared string table spans CONTINUE
    records, some strings across a record's end, one byte a character
    (Latin-1) or two (beyond it)."""
    return f"wörd-{number:05d} " + ("ü" if number % 2 else "ŵ") * (number % 37)


def write(name: str, rows: list[list[str]], *, filler: int = 0) -> None:
    import xlwt  # here: the tests import filler_word without it

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Customers")
    for number, row in enumerate(rows):
        for column, value in enumerate(row):
            sheet.write(number, column, value)
    notes = book.add_sheet("Notes")
    notes.write(2, 1, f"deploy with {GITHUB_TOKEN}")
    notes.write(4, 0, "amount")
    notes.write(4, 1, 1234.5)  # a number, stored as a float
    notes.write(5, 1, 42)  # a whole number, stored as an RK value
    if filler:
        words = book.add_sheet("Words")
        for number in range(filler):
            words.write(number, 0, filler_word(number))
        words.write(filler, 0, f"contact {OTHER_EMAIL}")
    book.save(str(HERE / name))


if __name__ == "__main__":
    write("customers.xls", ROWS)
    write("customers-more.xls", [*ROWS, ["Li Wei", OTHER_EMAIL, "n/a", "n/a"]], filler=3000)
