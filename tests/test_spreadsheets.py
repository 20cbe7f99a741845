"""Spreadsheets are read as tables: each sheet's rows with its column names.

tests/data/xlsx/ holds workbooks written by openpyxl (generate.py there),
which stores text inline; ``_workbook`` below builds one the way Excel and
LibreOffice store text, in a shared string table (ECMA-376, part 1, 18.4).
tests/data/ods/ holds OpenDocument spreadsheets written by odfpy.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Repo, Run, customer_findings, first_export_types
from pii_vectors import DOB, EMAIL, LABELLED_PHONE, OTHER_EMAIL
from vectors import GITHUB_TOKEN

from leakguard import spreadsheets

Runner = Callable[..., Run]
DATA = Path(__file__).parent / "data" / "xlsx"
ODS = Path(__file__).parent / "data" / "ods"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _workbook(sheet: str, strings: list[str], extra: dict[str, str] | None = None) -> bytes:
    """A one-sheet workbook ("Staff") whose cells index ``strings``."""
    shared = "".join(strings)
    members = {
        "[Content_Types].xml": "<Types/>",
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
                           '<sheet name="Staff" sheetId="1" r:id="rId7"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId7" Type="worksheet" Target="worksheets/staff.xml"/>'
            "</Relationships>",
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{shared}</sst>',
        "xl/worksheets/staff.xml": f'<worksheet xmlns="{MAIN}"><sheetData>{sheet}</sheetData>'
                                   "</worksheet>",
        **(extra or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


STRINGS = [
    "<si><t>name</t></si>", "<si><t>phone</t></si>",
    # a rich-text run with a phonetic reading (rPh), which is not the cell's text
    '<si><r><t>Ana </t></r><r><rPr><b/></rPr><t>Lima</t></r><rPh sb="0" eb="1"><t>アナ</t></rPh></si>',
    f"<si><t>{LABELLED_PHONE}</t></si>", "<si><t>a\tb\nc</t></si>",
]
SHEET = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
    '<row r="4"><c r="C4" t="s"><v>4</v></c><c r="D4"><v>42</v></c><c r="E4" t="b"><v>1</v></c>'
    '<c r="F4" t="s"><v>99</v></c></row>'
)


def test_sheets_as_tab_separated_rows() -> None:
    data = _workbook(SHEET, STRINGS)
    assert spreadsheets.is_workbook(data)
    assert spreadsheets.sheets(data, 10_000) == [
        ("Staff", f'name\tphone\nAna Lima\t{LABELLED_PHONE}\n\n\t\t"a\tb\nc"\t42\t1\n'),
    ]


def test_a_workbook_written_by_openpyxl() -> None:
    found = dict(spreadsheets.sheets((DATA / "customers.xlsx").read_bytes(), 10_000))
    assert found == {
        "Customers": f"name\temail\tphone\tdob\nAna Lima\t{EMAIL}\t{LABELLED_PHONE}\t{DOB}\n"
                     "Jo Berg\tn/a\tn/a\tn/a\n",
        "Notes": f"\n\n\tdeploy with {GITHUB_TOKEN}\n",
    }


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 not a zip", b"plain text", b"PK\x05\x06" + bytes(18)],  # the last: an empty zip
)
def test_what_is_not_a_workbook(data: bytes) -> None:
    assert not spreadsheets.is_workbook(data)


@pytest.mark.parametrize(
    "sheet",
    [
        "<row><c>",  # not XML
        '<row r="999999999"><c r="A1" t="s"><v>0</v></c></row>',  # past a sheet's last row
        '<row r="1"><c r="ZZZZZZZ1" t="s"><v>0</v></c></row>',  # past its last column
    ],
)
def test_damage_is_unreadable(sheet: str) -> None:
    with pytest.raises(spreadsheets.Unreadable):
        spreadsheets.sheets(_workbook(sheet, STRINGS), 100_000_000)


def test_the_size_limit_holds_the_sheets() -> None:
    with pytest.raises(spreadsheets.Unreadable):
        spreadsheets.sheets(_workbook(SHEET, STRINGS), 20)


def test_a_folder_scan_reports_rows_with_their_column(tmp_path: Path, run: Runner) -> None:
    """Labelled values (a national phone number, a date of birth) are found
    because their column says what they are; the sheets' XML is not scanned
    again as members, the workbook's other members are."""
    shutil.copy(DATA / "customers.xlsx", tmp_path / "customers.xlsx")
    custom = f'<Properties><property name="token"><vt:lpwstr>{GITHUB_TOKEN}</vt:lpwstr>' \
             "</property></Properties>"
    (tmp_path / "staff.xlsx").write_bytes(
        _workbook(SHEET, STRINGS, {"docProps/custom.xml": custom})
    )
    (tmp_path / "broken.xlsx").write_bytes(_workbook("<row><c>", STRINGS))
    result = run("scan", str(tmp_path), "--no-git", "-f", "json")
    assert result.code == 1
    document = result.json()
    assert sorted(
        (f["path"], f["type"], f["line"], f.get("row"), f.get("field"))
        for f in document["findings"]
    ) == [
        *customer_findings("customers.xlsx"),
        ("staff.xlsx!Staff", "PHONE", 2, 1, "phone"),
        ("staff.xlsx!docProps/custom.xml", "GITHUB_TOKEN", 1, None, None),
    ]
    notes = {item["path"]: item["reason"] for item in document["summary"]["skipped"]}
    assert notes["broken.xlsx"].startswith("workbook whose sheets cannot be read")


def test_the_hook_reports_only_rows_a_changed_workbook_adds(repo: Repo, run: Runner) -> None:
    repo.write("exports/customers.xlsx", (DATA / "customers.xlsx").read_bytes())
    first = repo.commit("export")
    repo.write("exports/customers.xlsx", (DATA / "customers-more.xlsx").read_bytes())
    repo.git("add", "--all")
    staged = run("scan", "--staged", "-f", "json", cwd=repo.path).json()["findings"]
    assert [(f["path"], f["type"], f.get("row"), f.get("field")) for f in staged] == [
        ("exports/customers.xlsx!Customers", "EMAIL", 3, "email")  # the new customer's
    ]
    second = repo.commit("one more customer")
    history = run("scan", "--history", "-f", "json", cwd=repo.path).json()["findings"]
    assert sorted((f["type"], f["commit"]["sha"]) for f in history) == sorted([
        *first_export_types(first), ("EMAIL", second),
    ])


@pytest.mark.parametrize(
    ("member", "expected"),
    [("xl/sharedStrings.xml", True), ("xl/worksheets/sheet1.xml", True),
     ("xl/worksheets/_rels/sheet1.xml.rels", False), ("xl/connections.xml", False),
     ("docProps/core.xml", False)],
)
def test_which_members_the_sheets_stand_for(member: str, expected: bool) -> None:
    assert spreadsheets.read_as_sheets(member) is expected


def test_an_opendocument_spreadsheet() -> None:
    """Repeated cells written out, empty rows kept as blank lines, a cell's
    paragraphs one per line."""
    found = dict(spreadsheets.sheets((ODS / "people.ods").read_bytes(), 10_000))
    assert found == {
        "People": f"name\temail\tphone\tdob\tvisits\nAna Lima\t{EMAIL}\t{LABELLED_PHONE}\t{DOB}\t3\n"
                  "\n\nn/a\tn/a\tn/a\t\t7\n",
        "Notes": f'\t"deploy\nwith {GITHUB_TOKEN}"\n',
    }


def _ods(content: str, mimetype: bytes = b"application/vnd.oasis.opendocument.spreadsheet") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def test_repeats_a_file_claims_are_bounded() -> None:
    """Sheets are padded with rows repeated a million times, and a damaged
    file may claim anything: written out up to a bound, never allocated."""
    huge = 10**9
    content = (
        f'<t:table xmlns:t="{TABLE}" xmlns:x="{TEXT}" t:name="S">'
        f'<t:table-row t:number-rows-repeated="{huge}"><t:table-cell/></t:table-row>'
        f'<t:table-row><t:table-cell t:number-columns-repeated="{huge}"/>'
        f'<t:table-cell t:number-columns-repeated="{huge}"><x:p>v</x:p></t:table-cell>'
        "</t:table-row></t:table>"
    )
    [(name, text)] = spreadsheets.sheets(_ods(content), 100_000_000)
    lines = text.split("\n")
    assert name == "S" and len(lines) == spreadsheets.MAX_ROWS + 2
    assert lines[-2] == "\t" * spreadsheets.MAX_COLUMNS + "\t".join(["v"] * spreadsheets.MAX_REPEAT)
    with pytest.raises(spreadsheets.Unreadable):
        spreadsheets.sheets(_ods(content), 1000)
    assert not spreadsheets.is_workbook(_ods(content, b"application/vnd.oasis.opendocument.text"))


def test_an_opendocument_spreadsheet_in_a_scan_and_the_hook(repo: Repo, run: Runner) -> None:
    repo.write("exports/people.ods", (ODS / "people.ods").read_bytes())
    first = repo.commit("export")
    found = run("scan", ".", "-f", "json", cwd=repo.path).json()["findings"]
    assert sorted((f["path"], f["type"], f.get("row"), f.get("field")) for f in found) == [
        ("exports/people.ods!Notes", "GITHUB_TOKEN", None, None),
        ("exports/people.ods!People", "DATE_OF_BIRTH", 1, "dob"),
        ("exports/people.ods!People", "EMAIL", 1, "email"),
        ("exports/people.ods!People", "PHONE", 1, "phone"),
    ]
    repo.write("exports/people.ods", (ODS / "people-more.ods").read_bytes())
    repo.git("add", "--all")
    staged = run("scan", "--staged", "-f", "json", cwd=repo.path).json()["findings"]
    assert [(f["type"], f.get("row"), f.get("field")) for f in staged] == [("EMAIL", 5, "email")]
    second = repo.commit("one more")
    history = run("scan", "--history", "-f", "json", cwd=repo.path).json()["findings"]
    assert sorted((f["type"], f["commit"]["sha"]) for f in history) == sorted([
        *first_export_types(first), ("EMAIL", second),
    ])
    assert OTHER_EMAIL not in str(history)  # redacted
