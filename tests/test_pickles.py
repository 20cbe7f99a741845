"""Pickles are read for their strings, never unpickled."""

from __future__ import annotations

import gzip
import io
import os
import pickle
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Repo, Run
from pii_vectors import EMAIL, OTHER_EMAIL, PHONE
from vectors import GITHUB_TOKEN

from leakguard.pickles import NUMPY, PICKLE, kind_of, values

Runner = Callable[..., Run]

ROWS = [
    {"name": "Ana Lima", "email": EMAIL, "phone": PHONE},
    {"name": "Jo Berg", "session": {"token": GITHUB_TOKEN.encode()}},
]


def _npy(objects: list[object]) -> bytes:
    """An ``.npy`` file of a 1-D array of Python objects, as ``numpy.save``
    lays it out: magic, version 1.0, a padded header dictionary, the pickle."""
    header = f"{{'descr': '|O', 'fortran_order': False, 'shape': ({len(objects)},), }}"
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    return (b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode("latin-1")
            + pickle.dumps(objects, protocol=3))


class _Trap:
    """Unpickled, it would create a file: proof that nothing is unpickled."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (self.path, "w"))


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (pickle.dumps(ROWS, protocol=2), PICKLE), (pickle.dumps(ROWS, protocol=5), PICKLE),
        (pickle.dumps(ROWS, protocol=0), None),  # Python 2's text protocol: read as text
        (_npy(["a", EMAIL]), NUMPY), (_npy(["a"]).replace(b"'|O'", b"'|O8'"), NUMPY),
        (b"\x93NUMPY\x01\x00\x10\x00{'descr': '<f8'}" + bytes(16), None),  # numbers only
        (b"\x80\x09 not a protocol", None), (b"plain text", None),
        (pickle.dumps(ROWS, protocol=4)[:-1], None),  # no STOP: some other binary
    ],
)
def test_kind_of(data: bytes, kind: str | None) -> None:
    assert kind_of(data) == kind


def test_values_are_the_strings_and_text_bytes_in_order() -> None:
    found, problem = values(pickle.dumps(ROWS, protocol=4), 10_000)
    assert problem == ""
    assert found == ["name", "Ana Lima", "email", EMAIL, "phone", PHONE, "Jo Berg", "session",
                     "token", GITHUB_TOKEN]
    assert values(_npy(["a", EMAIL]), 10_000)[0][-2:] == ["a", EMAIL]
    # Python 2's str: its bytes, UTF-8 here (Latin-1 stays as it reads)
    python2 = b"\x80\x02]q\x00(U\x06" + "優良".encode() + b"U\x02\xe9tq\x01e."
    assert values(python2, 100) == (["優良", "\xe9t"], "")


def test_a_damaged_or_oversized_pickle_keeps_what_came_before() -> None:
    data = pickle.dumps(ROWS, protocol=4)
    cut = data.index(PHONE.encode()) + 3
    found, problem = values(data[:cut], 10_000)
    assert found[-2:] == [EMAIL, "phone"] and problem.startswith("damaged pickle")
    found, problem = values(data, len("nameAna Limaemail") + len(EMAIL))
    assert found[-1] == EMAIL and problem == "larger than the size limit once unpacked"


def test_a_folder_scan_reads_pickles_without_unpickling_them(
    tmp_path: Path, run: Runner
) -> None:
    trap = tmp_path / "created-by-unpickling"
    (tmp_path / "users.pkl").write_bytes(pickle.dumps([_Trap(str(trap)), ROWS], protocol=4))
    (tmp_path / "cache.joblib.gz").write_bytes(gzip.compress(pickle.dumps(ROWS)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # a PyTorch checkpoint is a zip
        archive.writestr("model/data.pkl", pickle.dumps({"api_key": GITHUB_TOKEN}, protocol=2))
    (tmp_path / "model.pt").write_bytes(buffer.getvalue())
    (tmp_path / "names.npy").write_bytes(_npy(["Jo Berg", OTHER_EMAIL]))
    result = run("scan", str(tmp_path), "--no-git", "-f", "json")
    assert result.code == 1
    assert not trap.exists() and not os.path.exists("created-by-unpickling")
    assert sorted((f["path"], f["type"], f.get("field")) for f in result.json()["findings"]) == [
        ("cache.joblib.gz!cache.joblib", "EMAIL", "pickled strings"),
        ("cache.joblib.gz!cache.joblib", "GITHUB_TOKEN", "pickled strings"),
        ("cache.joblib.gz!cache.joblib", "PHONE", "pickled strings"),
        ("model.pt!model/data.pkl", "GITHUB_TOKEN", "pickled strings"),
        ("names.npy", "EMAIL", "pickled strings"),
        ("users.pkl", "EMAIL", "pickled strings"),
        ("users.pkl", "GITHUB_TOKEN", "pickled strings"),
        ("users.pkl", "PHONE", "pickled strings"),
    ]


def test_the_hook_reports_only_what_a_changed_pickle_adds(repo: Repo, run: Runner) -> None:
    repo.write("fixtures/users.pkl", pickle.dumps(ROWS[:1], protocol=4))
    first = repo.commit("fixture")
    repo.write("fixtures/users.pkl", pickle.dumps([*ROWS[:1], {"email": OTHER_EMAIL}], protocol=4))
    repo.git("add", "fixtures/users.pkl")
    staged = run("scan", "--staged", "-f", "json", cwd=repo.path)
    assert [(f["path"], f["type"]) for f in staged.json()["findings"]] == [
        ("fixtures/users.pkl", "EMAIL")
    ]
    assert staged.json()["findings"][0]["line"] == 1  # the one new string
    second = repo.commit("another user")
    history = run("scan", "--history", "-f", "json", cwd=repo.path).json()["findings"]
    assert sorted((f["type"], f["commit"]["sha"]) for f in history) == sorted([
        ("EMAIL", first), ("PHONE", first), ("EMAIL", second),
    ])
