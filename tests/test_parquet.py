"""Parquet files are read for their text columns, with the columns' names.

The files under tests/data/parquet/ were written by pyarrow, the reference
writer (tests/data/parquet/generate.py), in each layout it writes: Snappy,
gzip, ZSTD, LZ4 or no compression, dictionary, PLAIN or delta encodings, version 1
or 2 data pages, several row groups, and Brotli (which leakguard does not read).
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Repo, Run
from pii_vectors import EMAIL, LABELLED_PHONE, OTHER_EMAIL
from vectors import GITHUB_TOKEN

from leakguard import parquet
from leakguard.models import Fragment
from leakguard.sources import content_fragments

Runner = Callable[..., Run]
DATA = Path(__file__).parent / "data" / "parquet"
READABLE = ["snappy", "gzip", "zstd", "lz4", "plain", "v2", "v2-plain", "row-groups", "delta",
            "delta-v2"]


def _columns(name: str) -> dict[str, tuple[list[str], str]]:
    """Each column's distinct values over all row groups, and its problem."""
    data = (DATA / f"{name}.parquet").read_bytes()
    assert parquet.is_parquet(data)
    found: dict[str, tuple[list[str], str]] = {}
    for column in parquet.columns(data, 1 << 20):
        values, _ = found.setdefault(column.name, ([], column.problem))
        values.extend(value for value in column.values if value not in values)
    return found


@pytest.mark.parametrize("name", READABLE)
def test_every_layout_pyarrow_writes_gives_the_text_columns(name: str) -> None:
    assert _columns(name) == {
        "name": (["Ana Lima", "Jo Berg", "Li Wei"], ""),
        "email": ([EMAIL, OTHER_EMAIL, "none"], ""),
        "phone": ([LABELLED_PHONE, "n/a"], ""),
        "tags.list.element": (["a", f"token {GITHUB_TOKEN}"], ""),  # in a list
        "profile.city": (["London", "York", "Leeds"], ""),  # in a struct
        "profile.note": (["x", "y"], ""),
        "raw": (["abc", "zz"], ""),  # binary: only its values that are text
    }


def test_delta_encoded_pages_of_many_blocks() -> None:
    expected = [f"customer-{n:04d}-" + "x" * (n % 37) for n in range(1000)]  # generate.many()
    assert _columns("delta-many") == {"a": (expected, ""), "b": (expected, "")}


@pytest.mark.parametrize(
    "header",
    [b"\x80\x01\x03\x80\x80\x80\x80\x01\x00",  # more values than a page could hold
     b"\x80\x01\x00\x02\x00", b"\x80\x01\x05\x02\x00"],  # no miniblocks; 128 / 5
)
def test_a_damaged_delta_header_is_unreadable(header: bytes) -> None:
    with pytest.raises(parquet.Unreadable):
        parquet._delta_packed(header, 0)


def test_a_codec_leakguard_does_not_read_is_named() -> None:
    assert {problem for _, problem in _columns("brotli").values()} == {
        "BROTLI compression is not supported"
    }


@pytest.mark.parametrize(
    ("packed", "expected"),
    [
        (b"\x05\x10hello", b"hello"),  # one literal
        (b"\x0a\x08abc\x0d\x03", b"abcabcabca"),  # a copy that overlaps what it copies
        (b"\x08\x08abc\x12\x03\x00", b"abcabcab"),  # a 2-byte offset
    ],
)
@pytest.mark.parametrize("native", [True, False])  # cramjam, and the fallback decoder
def test_snappy(packed: bytes, expected: bytes, native: bool) -> None:
    assert parquet.snappy(packed, len(expected), native=native) == expected


@pytest.mark.parametrize("packed", [b"\x05\x10hel", b"\x04\x15\x03", b"\x05\x10hello\x00"])
@pytest.mark.parametrize("native", [True, False])
def test_damaged_snappy_is_unreadable(packed: bytes, native: bool) -> None:
    with pytest.raises(parquet.Unreadable):
        parquet.snappy(packed, packed[0], native=native)


def test_the_fallback_snappy_decoder_agrees_with_cramjam() -> None:
    import random

    import cramjam

    chance = random.Random(3)
    words = [b"alpha", b"beta", b"gamma", b"\x00\x01", b"user@example.org", b" "]
    for _ in range(200):
        data = b"".join(chance.choice(words) for _ in range(chance.randint(0, 400)))
        packed = bytes(cramjam.snappy.compress_raw(data))
        assert parquet.snappy(packed, len(data), native=False) == data


def test_a_column_larger_than_the_size_limit_is_scanned_in_parts() -> None:
    """Each text is held to the size limit; all of a column is read, up to 64
    times the limit for the whole file."""
    data = (DATA / "snappy.parquet").read_bytes()
    emails = [f.text for f in content_fragments("users.parquet", data, None, "file", 30)
              if isinstance(f, Fragment) and f.field == "email"]
    assert emails == [EMAIL, f"{OTHER_EMAIL}\nnone"]


def test_a_damaged_column_hides_no_other() -> None:
    data = bytearray((DATA / "plain.parquet").read_bytes())
    footer_size = int.from_bytes(data[-8:-4], "little")
    metadata = parquet._Reader(bytes(data), len(data) - 8 - footer_size, len(data) - 8).struct()
    [email] = [chunk[3] for chunk in metadata[4][0][1] if chunk[3][3] == [b"email"]]
    data[email[9] : email[9] + 8] = b"\xff" * 8  # its first page header
    found = {column.name: column for column in parquet.columns(bytes(data), 1 << 20)}
    assert found["email"].values == [] and found["email"].problem.startswith("damaged")
    assert found["name"].values == ["Ana Lima", "Jo Berg", "Li Wei"]


@pytest.mark.parametrize("seed", range(4))
def test_a_damaged_parquet_file_is_a_note_never_a_crash(seed: int) -> None:
    """Every byte flip, cut and splice of real files: a note or fragments."""
    chance = random.Random(seed)
    sources = [(DATA / f"{name}.parquet").read_bytes() for name in READABLE]
    for _ in range(500):
        data = bytearray(chance.choice(sources))
        for _ in range(chance.randint(1, 4)):
            position = chance.randrange(4, len(data) - 4)
            data[position] = chance.randrange(256)
        if chance.random() < 0.2:
            cut = chance.randrange(8, len(data) - 8)
            data = data[:cut] + data[-8:]
        items = list(content_fragments("x.parquet", bytes(data), None, "file", 1 << 20))
        assert items  # fragments, or a note saying why not


def test_a_folder_scan_labels_values_with_their_column(tmp_path: Path, run: Runner) -> None:
    shutil.copy(DATA / "snappy.parquet", tmp_path / "users.parquet")
    shutil.copy(DATA / "brotli.parquet", tmp_path / "export.parquet")
    (tmp_path / "broken.parquet").write_bytes(b"PAR1" + bytes(40) + b"PAR1")
    # (a Parquet file may be 64 times the size limit: datasets are large)
    result = run("scan", str(tmp_path), "--no-git", "-f", "json", "--max-file-size", "1KB")
    assert result.code == 1
    document = result.json()
    assert sorted((f["path"], f["type"], f["field"]) for f in document["findings"]) == [
        ("users.parquet", "EMAIL", "email"), ("users.parquet", "EMAIL", "email"),
        ("users.parquet", "GITHUB_TOKEN", "tags.list.element"),
        ("users.parquet", "PHONE", "phone"),  # a national number: its column names it
    ]
    notes = {item["path"]: item["reason"] for item in document["summary"]["skipped"]}
    assert notes["export.parquet"] == (
        "Parquet columns not read (BROTLI compression is not supported: name, email, phone, "
        "tags.list.element, profile.city, profile.note, raw)"
    )
    assert notes["broken.parquet"].startswith("Parquet file that cannot be read")


def test_the_hook_and_history_report_what_a_changed_file_adds(repo: Repo, run: Runner) -> None:
    """Over the size limit too (up to 64 times it), both versions."""
    repo.write("data/users.parquet", (DATA / "first-row.parquet").read_bytes())
    first = repo.commit("users")
    repo.write("data/users.parquet", (DATA / "snappy.parquet").read_bytes())
    repo.git("add", "--all")
    staged = run("scan", "--staged", "-f", "json", "--max-file-size", "1KB",
                 cwd=repo.path).json()["findings"]
    assert sorted((f["type"], f["field"]) for f in staged) == [
        ("EMAIL", "email"), ("GITHUB_TOKEN", "tags.list.element")
    ]
    second = repo.commit("more users")
    for limit in ("2MB", "1KB"):
        history = run("scan", "--history", "-f", "json", "--max-file-size", limit,
                      cwd=repo.path).json()["findings"]
        assert sorted((f["type"], f["commit"]["sha"]) for f in history) == sorted([
            ("EMAIL", first), ("PHONE", first), ("EMAIL", second), ("GITHUB_TOKEN", second),
        ])
    shallow = repo.shallow_clone(repo.path.parent / "shallow")
    depth_one = run("scan", "--history", "-f", "json", "--max-file-size", "1KB",
                    cwd=shallow.path).json()["findings"]
    assert sorted(f["type"] for f in depth_one) == ["EMAIL", "EMAIL", "GITHUB_TOKEN", "PHONE"]
    repo.write("data/users.parquet", (DATA / "plain.parquet").read_bytes())  # same values
    repo.git("add", "--all")
    assert run("scan", "--staged", cwd=repo.path).code == 0
