"""``leakguard redact``: every finding replaced, structure kept, nothing
found when the output is scanned again, the input untouched unless asked."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Repo, Run
from pii_vectors import CARD, DOB, EMAIL, IBAN, IPV4, OTHER_EMAIL, PHONE, SSN
from vectors import GITHUB_TOKEN, PASSWORD

from leakguard.redact import Replacer

Runner = Callable[..., Run]

NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "id": "a1", "metadata": {"reviewer": OTHER_EMAIL},
         "source": [f"Ask {EMAIL}\n", "ok"],
         "attachments": {"notes.txt": {"text/plain": f"call {PHONE}"}}},
        {"cell_type": "code", "id": "b2", "metadata": {"tags": []}, "execution_count": 3,
         "source": [f"token = '{GITHUB_TOKEN}'\n", f"print('{PHONE}')"],
         "outputs": [
             {"output_type": "stream", "name": "stdout", "text": [f"{PHONE}\n", f"ssn {SSN}\n"]},
             {"output_type": "execute_result", "execution_count": 3, "metadata": {},
              "data": {"text/plain": [f"'{OTHER_EMAIL}'"], "image/png": "iVBORw0KGgo="}},
             {"output_type": "error", "ename": "ValueError", "evalue": f"bad card {CARD}",
              "traceback": ["Traceback", f"ValueError: bad card {CARD}"]},
         ]},
    ],
    "metadata": {"kernelspec": {"name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}

CASES = {
    "notes.md": (
        f"# Contacts\n\nMail {EMAIL} or call {PHONE}.\nCard {CARD}, IBAN {IBAN}.\n"
        f"from {IPV4}; dob: {DOB}\nGITHUB_TOKEN={GITHUB_TOKEN}\npassword = \"{PASSWORD}\"\n"
    ),
    "users.csv": (
        "id,name,email,phone,ssn,note\n"
        f'1,"Berg, Jo",{EMAIL},{PHONE},{SSN},"card {CARD}\nsecond line"\n'
        f'2,Ana,{OTHER_EMAIL},,,"plain"\n'
        f'3,Ana again,{EMAIL},{PHONE},,\n'
    ),
    "users.tsv": f"id\temail\tiban\n1\t{EMAIL}\t{IBAN}\n2\t{OTHER_EMAIL}\t\n",
    "events.jsonl": (
        json.dumps({"user": {"email": EMAIL, "ip": IPV4}, "card": int(CARD), "n": 1}) + "\n"
        + "\n"
        + json.dumps({"msg": f"call {PHONE} or {OTHER_EMAIL}", "tags": [SSN]}) + "\n"
    ),
    "analysis.ipynb": json.dumps(NOTEBOOK, indent=1) + "\n",
}


def _structure(path: Path) -> object:
    """What must survive redaction: rows and columns, JSON shapes, lines."""
    text = path.read_text()
    if path.suffix in (".csv", ".tsv"):
        rows = list(csv.reader(io.StringIO(text), delimiter="," if path.suffix == ".csv" else "\t"))
        return [len(row) for row in rows], rows[0]
    if path.suffix == ".jsonl":
        return [_shape(json.loads(line)) if line.strip() else None for line in text.splitlines()]
    if path.suffix == ".ipynb":
        return _shape(json.loads(text))
    return text.count("\n")


def _shape(value: object) -> object:
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return type(value).__name__ if not isinstance(value, (int, float)) else "scalar"


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("pseudonymize", [False, True])
def test_redacted_output_scans_clean_and_keeps_its_structure(
    tmp_path: Path, run: Runner, name: str, pseudonymize: bool
) -> None:
    source = tmp_path / "in" / name
    source.parent.mkdir()
    source.write_text(CASES[name])
    assert run("scan", str(source), "--no-git").code == 1
    (tmp_path / "key").write_bytes(b"k" * 32)
    output = tmp_path / "out" / name
    output.parent.mkdir()
    extra = ["--pseudonymize", "--key-file", str(tmp_path / "key")] if pseudonymize else []
    result = run("redact", str(source), "-o", str(output), *extra)
    assert result.code == 0, result.err
    assert "value(s) replaced" in result.out
    assert source.read_text() == CASES[name]  # the input is untouched
    rescan = run("scan", str(output), "--no-git")
    assert rescan.code == 0, rescan.out
    redacted = output.read_text()
    for value in (EMAIL, OTHER_EMAIL, PHONE, CARD, SSN, IBAN, IPV4, GITHUB_TOKEN, PASSWORD):
        assert value not in redacted
    if name.endswith(".jsonl"):
        # the card number stored as a JSON number becomes a token string
        assert _structure(output) != _structure(source)
        assert [json.loads(line) for line in redacted.splitlines() if line.strip()]
    else:
        assert _structure(output) == _structure(source)
    assert ("[REDACTED:" in redacted) is not pseudonymize
    assert "k" * 32 not in redacted


def test_notebook_keeps_images_metadata_and_ids(tmp_path: Path, run: Runner) -> None:
    source = tmp_path / "analysis.ipynb"
    source.write_text(CASES["analysis.ipynb"])
    output = tmp_path / "clean.ipynb"
    assert run("redact", str(source), "-o", str(output)).code == 0
    document = json.loads(output.read_text())
    cell = document["cells"][1]
    assert (cell["id"], cell["execution_count"], document["metadata"]) == ("b2", 3, NOTEBOOK["metadata"])
    assert cell["outputs"][1]["data"]["image/png"] == "iVBORw0KGgo="
    assert cell["outputs"][0]["text"] == ["[REDACTED:phone]\n", "ssn [REDACTED:us_ssn]\n"]
    assert cell["outputs"][2]["traceback"][1] == "ValueError: bad card [REDACTED:credit_card]"
    # the rest of the notebook: a cell's metadata and a text attachment
    first = document["cells"][0]
    assert first["metadata"] == {"reviewer": "[REDACTED:email]"}
    assert first["attachments"]["notes.txt"]["text/plain"] == "call [REDACTED:phone]"
    assert output.read_text().startswith('{\n "cells"')  # nbformat's one-space indent


def test_summary_counts_by_type(tmp_path: Path, run: Runner) -> None:
    source = tmp_path / "users.csv"
    source.write_text(CASES["users.csv"])
    result = run("redact", str(source), "-o", str(tmp_path / "clean.csv"))
    assert result.out.strip().endswith(
        "7 value(s) replaced (CREDIT_CARD 1, EMAIL 3, PHONE 2, US_SSN 1)"
    )


def test_pseudonyms_are_stable_per_value_and_key(tmp_path: Path, run: Runner) -> None:
    source = tmp_path / "users.csv"
    source.write_text(CASES["users.csv"])
    tokens = {}
    for key in ("one", "two"):
        (tmp_path / key).write_bytes(key.encode() * 16)
        output = tmp_path / f"{key}.csv"
        run("redact", str(source), "-o", str(output), "--pseudonymize", "--key-file", str(tmp_path / key))
        rows = list(csv.DictReader(io.StringIO(output.read_text())))
        assert rows[0]["email"] == rows[2]["email"] != rows[1]["email"]  # joins still work
        assert rows[0]["phone"] == rows[2]["phone"]
        assert re.fullmatch(r"\[email:[a-z]{12}\]", rows[0]["email"])
        tokens[key] = rows[0]["email"]
    assert tokens["one"] != tokens["two"]


def test_pseudonyms_ignore_formatting() -> None:
    replacer = Replacer(b"x" * 32)
    assert replacer.token("PHONE", "+1 (415) 867-2301") == replacer.token("PHONE", "+14158672301")
    assert replacer.token("EMAIL", "Ana@Gmail.com") == replacer.token("EMAIL", "ana@gmail.com")
    assert replacer.token("EMAIL", "ana@gmail.com") != replacer.token("PHONE", "ana@gmail.com")
    assert Replacer().token("CREDIT_CARD", CARD) == "[REDACTED:credit_card]"


def test_in_place_replaces_the_input_atomically_and_keeps_its_mode(
    tmp_path: Path, run: Runner
) -> None:
    source = tmp_path / "notes.md"
    source.write_text(CASES["notes.md"])
    source.chmod(0o640)
    result = run("redact", str(source), "--in-place")
    assert result.code == 0
    assert EMAIL not in source.read_text() and "[REDACTED:email]" in source.read_text()
    assert source.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"]  # no temporary left


def test_crlf_line_endings_survive(tmp_path: Path, run: Runner) -> None:
    for name in ("notes.md", "users.csv"):
        source = tmp_path / name
        source.write_bytes(CASES[name].replace("\n", "\r\n").encode())
        output = tmp_path / f"clean-{name}"
        assert run("redact", str(source), "-o", str(output)).code == 0
        data = output.read_bytes()
        assert data.count(b"\r\n") == data.count(b"\n") == CASES[name].count("\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{src}"], "needs -o OUTPUT"),
        (["{src}", "-o", "{src}"], "is the input file; use --in-place"),
        (["{src}", "-o", "{dir}/x", "--in-place"], "not both"),
        (["{dir}/absent.txt", "-o", "{dir}/x"], "no such file"),
        (["{src}", "-o", "{dir}/x", "--pseudonymize"], "needs --key-file"),
        (["{src}", "-o", "{dir}/x", "--pseudonymize", "--key-file", "{dir}/nokey"], "cannot read key file"),
        (["{src}", "-o", "{dir}/x", "--pseudonymize", "--key-file", "{dir}/short"], "at least 16 bytes"),
        (["{src}", "-o", "{dir}/x", "--key-file", "{dir}/short"], "only used with --pseudonymize"),
        (["{src}", "-o", "{dir}/no/such/dir/x"], "does not exist"),
        (["{dir}/blob.bin", "-o", "{dir}/x"], "binary file"),
    ],
)
def test_bad_requests_are_errors_that_write_nothing(
    tmp_path: Path, run: Runner, args: list[str], message: str
) -> None:
    source = tmp_path / "notes.md"
    source.write_text(CASES["notes.md"])
    (tmp_path / "short").write_bytes(b"abc")
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run("redact", *(a.format(src=source, dir=tmp_path) for a in args))
    assert result.code == 2, result.err
    assert message in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert source.read_text() == CASES["notes.md"]


def test_pii_path_policy_applies_to_redaction(repo: Repo, run: Runner) -> None:
    repo.write(".leakguard.toml", '[pii]\nexclude = ["docs/*"]\n')
    source = repo.write("docs/team.md", f"{EMAIL}\nGITHUB_TOKEN={GITHUB_TOKEN}\n")
    output = repo.path / "team.md"
    assert run("redact", str(source), "-o", str(output)).code == 0
    assert output.read_text() == f"{EMAIL}\nGITHUB_TOKEN=[REDACTED:github_token]\n"


def test_a_failed_write_leaves_the_target_untouched(tmp_path: Path) -> None:
    from collections.abc import Iterator

    from leakguard.redact import RedactError, _write_atomically

    target = tmp_path / "data.csv"
    target.write_text("original\n")

    def parts() -> Iterator[str]:
        yield "half a file"
        raise RedactError("the input went away")

    with pytest.raises(RedactError):
        _write_atomically(target, parts(), target, "utf-8")
    assert target.read_text() == "original\n"
    assert [p.name for p in tmp_path.iterdir()] == ["data.csv"]
