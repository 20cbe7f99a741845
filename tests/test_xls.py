"""Legacy Excel workbooks (.xls) are read as tables, as .xlsx ones are.

tests/data/xls/ holds workbooks written by xlwt (generate.py there): shared
strings, numbers, and a string table long enough to span CONTINUE records.
``_compound`` below builds a compound file by hand (MS-CFB), with a small
workbook stream kept in the mini stream, records xlwt does not write
(a formula's cached text, MULRK) or an Excel 95 header (MS-XLS).
"""

from __future__ import annotations

import random
import shutil
import struct
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Repo, Run, customer_findings, first_export_types
from pii_vectors import DOB, EMAIL, LABELLED_PHONE, OTHER_EMAIL
from vectors import GITHUB_TOKEN

from leakguard import spreadsheets, xls

Runner = Callable[..., Run]
DATA = Path(__file__).parent / "data" / "xls"
sys.path.insert(0, str(DATA))
from generate import filler_word  # noqa: E402

END, FREE, FAT_SECTOR = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def test_the_sheets_of_a_workbook_written_by_xlwt() -> None:
    found = dict(xls.sheets((DATA / "customers.xls").read_bytes(), 100_000))
    assert found == {
        "Customers": f"name\temail\tphone\tdob\nAna Lima\t{EMAIL}\t{LABELLED_PHONE}\t{DOB}\n"
                     "Jo Berg\tn/a\tn/a\tn/a\n",
        # row 3, column B; a float and a whole number (an RK value) below it
        "Notes": f"\n\n\tdeploy with {GITHUB_TOKEN}\n\namount\t1234.5\n\t42\n",
    }


def test_a_shared_string_table_across_continue_records() -> None:
    """3,000 strings, one or two bytes a character: the table runs on through
    CONTINUE records, some strings across their ends, switching width there."""
    found = dict(xls.sheets((DATA / "customers-more.xls").read_bytes(), 10_000_000))
    words = [filler_word(number) for number in range(3000)]
    assert found["Words"] == "\n".join(words) + f"\ncontact {OTHER_EMAIL}\n"
    assert len((DATA / "customers-more.xls").read_bytes()) > 4096 * 8


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _workbook_stream(sheets: dict[str, list[bytes]], version: int = 0x0600) -> bytes:
    """A BIFF stream: the globals (BOF, a BOUNDSHEET a sheet, EOF), then each
    sheet's records between its BOF and EOF."""
    bof = _record(0x0809, struct.pack("<HHHHII", version, 0x0005, 0, 0, 0, 0))
    sheet_bof = _record(0x0809, struct.pack("<HHHHII", version, 0x0010, 0, 0, 0, 0))
    eof = _record(0x000A, b"")

    def boundsheet(offset: int, name: str) -> bytes:
        return _record(0x0085, struct.pack("<IBB", offset, 0, 0)
                       + bytes([len(name), 0]) + name.encode("latin-1"))

    globals_size = len(bof) + len(eof) + sum(len(boundsheet(0, name)) for name in sheets)
    bodies = [sheet_bof + b"".join(records) + eof for records in sheets.values()]
    offsets, at = [], globals_size
    for body in bodies:
        offsets.append(at)
        at += len(body)
    heads = b"".join(boundsheet(offset, name) for offset, name in zip(offsets, sheets, strict=True))
    return bof + heads + eof + b"".join(bodies)


def _label(row: int, column: int, text: str) -> bytes:
    return _record(0x0204, struct.pack("<HHHHB", row, column, 0, len(text), 0)
                   + text.encode("latin-1"))


def _compound(stream: bytes, name: str = "Workbook") -> bytes:
    """A version 3 compound file (512-byte sectors) holding one stream: in
    the mini stream when it is under 4,096 bytes, in sectors of its own else."""
    def padded(data: bytes, size: int, fill: bytes = b"\0") -> bytes:
        return data + fill * (-len(data) % size)

    def chain(first: int, count: int) -> list[int]:
        return [first + index + 1 for index in range(count - 1)] + [END]

    def entry(entry_name: str, kind: int, start: int, size: int) -> bytes:
        encoded = (entry_name + "\0").encode("utf-16-le")
        return (padded(encoded, 64)[:64] + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", FREE, FREE, 1 if kind == 5 else FREE) + b"\0" * 36
                + struct.pack("<IQ", start, size))

    if len(stream) < 4096:
        body = padded(stream, 64)
        mini_fat = chain(0, len(body) // 64)
        container = padded(body, 512)
        data_sectors = len(container) // 512
        fat = [FAT_SECTOR, END, END, *chain(3, data_sectors)]
        root = entry("Root Entry", 5, 3, len(body))
        own = entry(name, 2, 0, len(stream))
        extra = padded(struct.pack(f"<{len(mini_fat)}I", *mini_fat), 512, b"\xff") + container
        mini_fat_start, mini_fat_sectors = 2, 1
    else:
        container = padded(stream, 512)
        fat = [FAT_SECTOR, END, *chain(2, len(container) // 512)]
        root = entry("Root Entry", 5, END, 0)
        own = entry(name, 2, 2, len(stream))
        extra, mini_fat_start, mini_fat_sectors = container, END, 0
    assert len(fat) <= 128
    header = (xls.MAGIC + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<9I", 0, 1, 1, 0, 4096, mini_fat_start, mini_fat_sectors, END, 0)
              + struct.pack("<109I", 0, *[FREE] * 108))
    fat_sector = padded(struct.pack(f"<{len(fat)}I", *fat), 512, b"\xff")
    directory = padded(root + own, 512)
    return header + fat_sector + directory + extra


STAFF = {
    "Staff": [
        _label(0, 0, "name"), _label(0, 1, "phone"), _label(0, 2, "note"),
        _label(1, 0, "Jo Berg"), _label(1, 1, LABELLED_PHONE),
        # a formula whose result is text: the text follows in a STRING record
        _record(0x0006, struct.pack("<HHH", 1, 2, 0) + bytes(6) + b"\xff\xff" + bytes(8)),
        _record(0x0207, struct.pack("<HB", 13, 0) + b"see the token"),
        # MULRK: row 2, columns 0-2, whole numbers
        _record(0x00BD, struct.pack("<HH", 2, 0)
                + b"".join(struct.pack("<HI", 0, (value << 2) | 2) for value in (7, 8, 9))
                + struct.pack("<H", 2)),
    ],
}


def test_a_small_workbook_kept_in_the_mini_stream() -> None:
    data = _compound(_workbook_stream(STAFF))
    assert xls.is_workbook(data)
    assert xls.sheets(data, 100_000) == [
        ("Staff", f"name\tphone\tnote\nJo Berg\t{LABELLED_PHONE}\tsee the token\n7\t8\t9\n")
    ]


def test_a_formulas_long_text_continued_in_another_record() -> None:
    """A STRING record's text runs on into a CONTINUE record, which starts
    with a flags byte of its own: here the rest is two bytes a character."""
    first, rest = "x" * 150 + GITHUB_TOKEN[:10], GITHUB_TOKEN[10:] + " ünd ŵ"
    text = first + rest
    records = [
        _label(0, 0, "note"),
        _record(0x0006, struct.pack("<HHH", 1, 0, 0) + bytes(6) + b"\xff\xff" + bytes(8)),
        _record(0x0207, struct.pack("<HB", len(text), 0) + first.encode("latin-1")),
        _record(0x003C, b"\x01" + rest.encode("utf-16-le")),
    ]
    assert xls.sheets(_compound(_workbook_stream({"Calc": records})), 100_000) == [
        ("Calc", f"note\n{text}\n")
    ]


def test_a_workbook_in_sectors_of_its_own() -> None:
    rows = [_label(row, 0, f"line {row:04d}") for row in range(400)]
    stream = _workbook_stream({"Long": rows})
    assert len(stream) > 4096
    [(name, text)] = xls.sheets(_compound(stream), 100_000)
    assert name == "Long" and text.splitlines() == [f"line {row:04d}" for row in range(400)]


@pytest.mark.parametrize(
    "data",
    [b"", b"plain text", xls.MAGIC, xls.MAGIC + b"\0" * 600,
     b"PK\x03\x04" + b"\0" * 100, _compound(b"\0" * 200, name="WordDocument")],
    ids=["empty", "text", "magic only", "no sectors", "a zip", "a Word document"],
)
def test_what_is_not_a_workbook(data: bytes) -> None:
    assert not xls.is_workbook(data)


def test_an_excel_95_workbook_is_named_as_not_read() -> None:
    data = _compound(_workbook_stream(STAFF, version=0x0500))
    assert xls.is_workbook(data)
    with pytest.raises(spreadsheets.Unreadable, match="BIFF5"):
        xls.sheets(data, 100_000)


@pytest.mark.parametrize(("cut", "reason"), [("file", "past the file's end"), ("chain", "cut short")])
def test_a_stream_cut_short_is_unreadable_not_read_in_part(cut: str, reason: str) -> None:
    """The file ends before its sectors do, or the stream's sector chain ends
    before its size: what is missing would pass unread."""
    stream = _workbook_stream({"Long": [_label(row, 0, f"line {row:04d}") for row in range(400)]})
    data = bytearray(_compound(stream))
    if cut == "file":
        del data[len(data) // 2 :]
    else:  # the directory's second entry (sector 1, after the header and the FAT) claims more
        struct.pack_into("<Q", data, 512 * 2 + 128 + 120, len(stream) + 4096)
    with pytest.raises(spreadsheets.Unreadable) as raised:
        xls.sheets(bytes(data), 10_000_000)
    assert reason in str(raised.value)


def test_the_size_limit_holds_the_sheets() -> None:
    with pytest.raises(spreadsheets.Unreadable, match="size limit"):
        xls.sheets((DATA / "customers-more.xls").read_bytes(), 1000)


@pytest.mark.parametrize("seed", range(4))
def test_damage_is_unreadable_never_a_crash(seed: int) -> None:
    """Bytes flipped, runs zeroed or set, the file cut short: whatever a
    damaged file claims (sector numbers, chains, counts, offsets) is either
    read or Unreadable."""
    chance = random.Random(seed)
    originals = [(DATA / "customers.xls").read_bytes(), _compound(_workbook_stream(STAFF))]
    for _ in range(400):
        data = bytearray(chance.choice(originals))
        for _ in range(chance.randint(1, 8)):
            at = chance.randrange(len(data))
            if chance.random() < 0.5:
                data[at] = chance.randrange(256)
            else:
                data[at : at + 4] = bytes([chance.choice((0, 0xFF))]) * 4
        if chance.random() < 0.2:
            del data[chance.randrange(len(data)) :]
        try:
            found = xls.sheets(bytes(data), 1_000_000)
        except spreadsheets.Unreadable:
            continue
        assert all(isinstance(name, str) and isinstance(text, str) for name, text in found)
        assert sum(len(text) for _, text in found) <= 1_000_000


def test_a_folder_scan_reports_rows_with_their_column(tmp_path: Path, run: Runner) -> None:
    shutil.copy(DATA / "customers.xls", tmp_path / "customers.xls")
    (tmp_path / "staff.xls").write_bytes(_compound(_workbook_stream(STAFF)))
    (tmp_path / "old.xls").write_bytes(_compound(_workbook_stream(STAFF, version=0x0500)))
    result = run("scan", str(tmp_path), "--no-git", "-f", "json")
    assert result.code == 1
    document = result.json()
    assert sorted(
        (f["path"], f["type"], f["line"], f.get("row"), f.get("field"))
        for f in document["findings"]
    ) == [
        *customer_findings("customers.xls"),
        ("staff.xls!Staff", "PHONE", 2, 1, "phone"),
    ]
    notes = {item["path"]: item["reason"] for item in document["summary"]["skipped"]}
    assert notes["old.xls"] == (
        "workbook whose sheets cannot be read (an Excel 95 or older workbook (BIFF5), not read)"
    )


def test_the_hook_and_history_report_the_rows_a_change_adds(repo: Repo, run: Runner) -> None:
    repo.write("exports/customers.xls", (DATA / "customers.xls").read_bytes())
    first = repo.commit("export")
    repo.write("exports/customers.xls", (DATA / "customers-more.xls").read_bytes())
    repo.git("add", "--all")
    staged = run("scan", "--staged", "-f", "json", cwd=repo.path).json()["findings"]
    assert sorted((f["path"], f["type"], f.get("row"), f.get("field")) for f in staged) == [
        ("exports/customers.xls!Customers", "EMAIL", 3, "email"),  # the new customer's
        ("exports/customers.xls!Words", "EMAIL", 3000, "wörd-00000"),  # a new sheet, its first row the header
    ]
    second = repo.commit("more customers")
    history = run("scan", "--history", "-f", "json", cwd=repo.path).json()["findings"]
    assert sorted((f["type"], f["commit"]["sha"]) for f in history) == sorted([
        *first_export_types(first), ("EMAIL", second), ("EMAIL", second),
    ])
