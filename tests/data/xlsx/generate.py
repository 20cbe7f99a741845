"""Writes this folder's workbooks with openpyxl, a widely used writer (not a
leakguard dependency: ``pip install openpyxl`` to run this again). Values
are the suite's synthetic ones (tests/pii_vectors.py, tests/vectors.py).

    python tests/data/xlsx/generate.py
"""

import sys
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent.parent))
from pii_vectors import DOB, EMAIL, LABELLED_PHONE, OTHER_EMAIL  # noqa: E402
from vectors import GITHUB_TOKEN  # noqa: E402

ROWS = [
    ["name", "email", "phone", "dob"],
    ["Ana Lima", EMAIL, LABELLED_PHONE, DOB],
    ["Jo Berg", "n/a", "n/a", "n/a"],
]


def write(name: str, rows: list[list[str]]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Customers"
    for row in rows:
        sheet.append(row)
    notes = book.create_sheet("Notes")
    notes["B3"] = f"deploy with {GITHUB_TOKEN}"
    book.save(HERE / name)


if __name__ == "__main__":
    write("customers.xlsx", ROWS)
    write("customers-more.xlsx", [*ROWS, ["Li Wei", OTHER_EMAIL, "n/a", "n/a"]])
